// IFLA_INFO_DATA of kind "macvlan" (and "macvtap", which shares the netlink interface).
import { enumOf, flagsOf, listOf, mac, s32, u16, u32 } from '../../netlink/codecs.js';
import { field, type Attrs } from '../../netlink/schema.js';

export const IFLA_MACVLAN_MODE = 1;
export const IFLA_MACVLAN_FLAGS = 2;
export const IFLA_MACVLAN_MACADDR_MODE = 3;
export const IFLA_MACVLAN_MACADDR = 4;
export const IFLA_MACVLAN_MACADDR_DATA = 5;
export const IFLA_MACVLAN_MACADDR_COUNT = 6;
export const IFLA_MACVLAN_BC_QUEUE_LEN = 7;
export const IFLA_MACVLAN_BC_QUEUE_LEN_USED = 8;
export const IFLA_MACVLAN_BC_CUTOFF = 9;

/** enum macvlan_mode: bits, not a sequence. The kernel picks vepa when no mode is sent. */
export const MACVLAN_MODES = { private: 1, vepa: 2, bridge: 4, passthru: 8, source: 16 } as const;
export type MacvlanMode = keyof typeof MACVLAN_MODES;
export const MACVLAN_FLAGS = { nopromisc: 1, nodst: 2 } as const;
export type MacvlanFlag = keyof typeof MACVLAN_FLAGS;
/** enum macvlan_macaddr_mode: what to do with the source-mode MAC list. */
export const MACVLAN_MACADDR_MODES = { add: 0, del: 1, flush: 2, set: 3 } as const;
export type MacvlanMacaddrMode = keyof typeof MACVLAN_MACADDR_MODES;

export const macvlanTable = {
  mode: field(IFLA_MACVLAN_MODE, enumOf(u32, MACVLAN_MODES)),
  /** u16 on the wire. */
  flags: field(IFLA_MACVLAN_FLAGS, flagsOf(u16, MACVLAN_FLAGS)),
  /** Request only: how `macaddr`/`macaddrs` change the source-mode list. */
  macaddrMode: field(IFLA_MACVLAN_MACADDR_MODE, enumOf(u32, MACVLAN_MACADDR_MODES)),
  /** Request only: the one MAC that `add`/`del` concern. */
  macaddr: field(IFLA_MACVLAN_MACADDR, mac),
  /** The source-mode MAC list (every child is IFLA_MACVLAN_MACADDR, 6 bytes). */
  macaddrs: field(IFLA_MACVLAN_MACADDR_DATA, listOf(IFLA_MACVLAN_MACADDR, mac)),
  /** Read-only: sending it is EINVAL. */
  macaddrCount: field(IFLA_MACVLAN_MACADDR_COUNT, u32),
  bcqueuelen: field(IFLA_MACVLAN_BC_QUEUE_LEN, u32),
  /** Read-only: the broadcast queue length in use (the largest asked for on this parent). */
  usedBcqueuelen: field(IFLA_MACVLAN_BC_QUEUE_LEN_USED, u32),
  /** s32; the kernel reports it only when it is not 1. */
  bcCutoff: field(IFLA_MACVLAN_BC_CUTOFF, s32),
};
export type MacvlanData = Attrs<typeof macvlanTable>;
