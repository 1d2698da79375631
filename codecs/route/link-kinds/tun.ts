// IFLA_INFO_DATA of kind "tun" (tun and tap devices: read only, the kernel makes them through
// /dev/net/tun, not RTM_NEWLINK).
import { bool8, enumOf, u32, u8 } from '../../netlink/codecs.js';
import { field, type Attrs } from '../../netlink/schema.js';

export const IFLA_TUN_OWNER = 1;
export const IFLA_TUN_GROUP = 2;
export const IFLA_TUN_TYPE = 3;
export const IFLA_TUN_PI = 4;
export const IFLA_TUN_VNET_HDR = 5;
export const IFLA_TUN_PERSIST = 6;
export const IFLA_TUN_MULTI_QUEUE = 7;
export const IFLA_TUN_NUM_QUEUES = 8;
export const IFLA_TUN_NUM_DISABLED_QUEUES = 9;
/** IFF_TUN, IFF_TAP (linux/if_tun.h). */
export const TUN_TYPES = { tun: 1, tap: 2 } as const;

export const tunTable = {
  owner: field(IFLA_TUN_OWNER, u32),
  group: field(IFLA_TUN_GROUP, u32),
  type: field(IFLA_TUN_TYPE, enumOf(u8, TUN_TYPES)),
  pi: field(IFLA_TUN_PI, bool8),
  vnetHdr: field(IFLA_TUN_VNET_HDR, bool8),
  persist: field(IFLA_TUN_PERSIST, bool8),
  multiQueue: field(IFLA_TUN_MULTI_QUEUE, bool8),
  numQueues: field(IFLA_TUN_NUM_QUEUES, u32),
  numDisabledQueues: field(IFLA_TUN_NUM_DISABLED_QUEUES, u32),
};
export type TunData = Attrs<typeof tunTable>;
