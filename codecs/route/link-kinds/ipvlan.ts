// IFLA_INFO_DATA of kind "ipvlan" (and "ipvtap").
import { enumOf, flagsOf, u16 } from '../../netlink/codecs.js';
import { field, type Attrs } from '../../netlink/schema.js';

export const IFLA_IPVLAN_MODE = 1;
export const IFLA_IPVLAN_FLAGS = 2;
/** enum ipvlan_mode */
export const IPVLAN_MODES = { l2: 0, l3: 1, l3s: 2 } as const;
export type IpvlanMode = keyof typeof IPVLAN_MODES;
/** IPVLAN_F_PRIVATE, IPVLAN_F_VEPA (neither: bridge) */
export const IPVLAN_FLAGS = { private: 1, vepa: 2 } as const;

export const ipvlanTable = {
  mode: field(IFLA_IPVLAN_MODE, enumOf(u16, IPVLAN_MODES)),
  flags: field(IFLA_IPVLAN_FLAGS, flagsOf(u16, IPVLAN_FLAGS)),
};
export type IpvlanData = Attrs<typeof ipvlanTable>;
