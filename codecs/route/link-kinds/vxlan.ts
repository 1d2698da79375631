// IFLA_INFO_DATA of kind "vxlan". Attributes not listed here are kept as they came.
import { bool8, ip, u16be, u32, u8 } from '../../netlink/codecs.js';
import { field, type Attrs, type Codec } from '../../netlink/schema.js';

export const IFLA_VXLAN_ID = 1;
export const IFLA_VXLAN_GROUP = 2;
export const IFLA_VXLAN_LINK = 3;
export const IFLA_VXLAN_LOCAL = 4;
export const IFLA_VXLAN_TTL = 5;
export const IFLA_VXLAN_TOS = 6;
export const IFLA_VXLAN_LEARNING = 7;
export const IFLA_VXLAN_AGEING = 8;
export const IFLA_VXLAN_LIMIT = 9;
export const IFLA_VXLAN_PROXY = 11;
export const IFLA_VXLAN_RSC = 12;
export const IFLA_VXLAN_L2MISS = 13;
export const IFLA_VXLAN_L3MISS = 14;
export const IFLA_VXLAN_PORT = 15;
export const IFLA_VXLAN_GROUP6 = 16;
export const IFLA_VXLAN_LOCAL6 = 17;
export const IFLA_VXLAN_UDP_CSUM = 18;
export const IFLA_VXLAN_COLLECT_METADATA = 25;
export const IFLA_VXLAN_TTL_INHERIT = 28;
export const IFLA_VXLAN_DF = 29;

/** Sent as a flag (no value) but reported as a u8: read either, write back what came. */
const flagOrU8: Codec<boolean | number> = {
  decode: (v) => (v.length === 0 ? true : bool8.decode(v)),
  encode: (w, v, was) => { if (was === 1) bool8.encode(w, v); },
};

export const vxlanTable = {
  /** The VNI. */
  id: field(IFLA_VXLAN_ID, u32),
  /** Remote or multicast group, IPv4 (IPv6 goes in group6). */
  group: field(IFLA_VXLAN_GROUP, ip),
  /** Index of the underlay device. */
  link: field(IFLA_VXLAN_LINK, u32),
  local: field(IFLA_VXLAN_LOCAL, ip),
  ttl: field(IFLA_VXLAN_TTL, u8),
  tos: field(IFLA_VXLAN_TOS, u8),
  learning: field(IFLA_VXLAN_LEARNING, bool8),
  ageing: field(IFLA_VXLAN_AGEING, u32),
  limit: field(IFLA_VXLAN_LIMIT, u32),
  proxy: field(IFLA_VXLAN_PROXY, bool8),
  rsc: field(IFLA_VXLAN_RSC, bool8),
  l2miss: field(IFLA_VXLAN_L2MISS, bool8),
  l3miss: field(IFLA_VXLAN_L3MISS, bool8),
  /** Destination UDP port (big-endian on the wire). */
  port: field(IFLA_VXLAN_PORT, u16be),
  group6: field(IFLA_VXLAN_GROUP6, ip),
  local6: field(IFLA_VXLAN_LOCAL6, ip),
  udpCsum: field(IFLA_VXLAN_UDP_CSUM, bool8),
  collectMetadata: field(IFLA_VXLAN_COLLECT_METADATA, bool8),
  ttlInherit: field(IFLA_VXLAN_TTL_INHERIT, flagOrU8),
  df: field(IFLA_VXLAN_DF, u8),
};
export type VxlanData = Attrs<typeof vxlanTable>;
