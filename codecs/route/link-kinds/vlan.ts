// IFLA_INFO_DATA of kind "vlan".
import { enumOf, listOf, u16, u16be } from '../../netlink/codecs.js';
import { field, type Attrs } from '../../netlink/schema.js';
import { u32Struct } from '../common.js';

export const IFLA_VLAN_ID = 1;
export const IFLA_VLAN_FLAGS = 2;
export const IFLA_VLAN_EGRESS_QOS = 3;
export const IFLA_VLAN_INGRESS_QOS = 4;
export const IFLA_VLAN_PROTOCOL = 5;
/** Each entry of IFLA_VLAN_EGRESS_QOS / IFLA_VLAN_INGRESS_QOS. */
export const IFLA_VLAN_QOS_MAPPING = 1;
/** VLAN_FLAG_* bits of struct ifla_vlan_flags. */
export const VLAN_FLAG_REORDER_HDR = 0x1;
export const VLAN_FLAG_GVRP = 0x2;
export const VLAN_FLAG_LOOSE_BINDING = 0x4;
export const VLAN_FLAG_MVRP = 0x8;
export const VLAN_FLAG_BRIDGE_BINDING = 0x10;
/** ETH_P_8021Q, ETH_P_8021AD (big-endian on the wire). */
export const VLAN_PROTOCOLS = { '802.1Q': 0x8100, '802.1ad': 0x88a8 } as const;

/** IFLA_VLAN_EGRESS_QOS / IFLA_VLAN_INGRESS_QOS: struct ifla_vlan_qos_mapping each. */
const qosMap = listOf(IFLA_VLAN_QOS_MAPPING, u32Struct('ifla_vlan_qos_mapping', ['from', 'to'] as const));

export const vlanTable = {
  id: field(IFLA_VLAN_ID, u16),
  /** struct ifla_vlan_flags: VLAN_FLAG_* bits, and in a request which of them to change. */
  flags: field(IFLA_VLAN_FLAGS, u32Struct('ifla_vlan_flags', ['flags', 'mask'] as const)),
  /** skb priority `from` to VLAN priority `to`. */
  egressQos: field(IFLA_VLAN_EGRESS_QOS, qosMap),
  /** VLAN priority `from` to skb priority `to`. */
  ingressQos: field(IFLA_VLAN_INGRESS_QOS, qosMap),
  protocol: field(IFLA_VLAN_PROTOCOL, enumOf(u16be, VLAN_PROTOCOLS)),
};
export type VlanData = Attrs<typeof vlanTable>;
