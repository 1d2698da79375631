// IFLA_INFO_DATA of kind "vlan".
import { bytes, enumOf, u16, u16be } from '../../netlink/codecs.js';
import { field, type Attrs } from '../../netlink/schema.js';

export const IFLA_VLAN_ID = 1;
export const IFLA_VLAN_FLAGS = 2;
export const IFLA_VLAN_EGRESS_QOS = 3;
export const IFLA_VLAN_INGRESS_QOS = 4;
export const IFLA_VLAN_PROTOCOL = 5;
/** ETH_P_8021Q, ETH_P_8021AD (big-endian on the wire). */
export const VLAN_PROTOCOLS = { '802.1Q': 0x8100, '802.1ad': 0x88a8 } as const;

export const vlanTable = {
  id: field(IFLA_VLAN_ID, u16),
  /** struct ifla_vlan_flags { u32 flags; u32 mask; }, kept as bytes. */
  flags: field(IFLA_VLAN_FLAGS, bytes),
  egressQos: field(IFLA_VLAN_EGRESS_QOS, bytes),
  ingressQos: field(IFLA_VLAN_INGRESS_QOS, bytes),
  protocol: field(IFLA_VLAN_PROTOCOL, enumOf(u16be, VLAN_PROTOCOLS)),
};
export type VlanData = Attrs<typeof vlanTable>;
