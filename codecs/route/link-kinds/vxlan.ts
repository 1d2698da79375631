// IFLA_INFO_DATA of kind "vxlan". Attributes not listed here are kept as they came.
import { get } from '../../netlink/attrs.js';
import { bool8, bytes, ip, u16be, u32, u32be, u8 } from '../../netlink/codecs.js';
import { DecodeError } from '../../netlink/errors.js';
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
export const IFLA_VXLAN_PORT_RANGE = 10;
export const IFLA_VXLAN_PROXY = 11;
export const IFLA_VXLAN_RSC = 12;
export const IFLA_VXLAN_L2MISS = 13;
export const IFLA_VXLAN_L3MISS = 14;
export const IFLA_VXLAN_PORT = 15;
export const IFLA_VXLAN_GROUP6 = 16;
export const IFLA_VXLAN_LOCAL6 = 17;
export const IFLA_VXLAN_UDP_CSUM = 18;
export const IFLA_VXLAN_UDP_ZERO_CSUM6_TX = 19;
export const IFLA_VXLAN_UDP_ZERO_CSUM6_RX = 20;
export const IFLA_VXLAN_REMCSUM_TX = 21;
export const IFLA_VXLAN_REMCSUM_RX = 22;
export const IFLA_VXLAN_GBP = 23;
export const IFLA_VXLAN_COLLECT_METADATA = 25;
export const IFLA_VXLAN_LABEL = 26;
export const IFLA_VXLAN_GPE = 27;
export const IFLA_VXLAN_TTL_INHERIT = 28;
export const IFLA_VXLAN_DF = 29;
export const IFLA_VXLAN_VNIFILTER = 30;

/** struct ifla_vxlan_port_range: the UDP source ports, both big-endian (0 0: the kernel picks). */
export interface PortRange { low: number; high: number }
const portRange: Codec<PortRange> = {
  decode: (v) => {
    if (v.length !== 4) throw new DecodeError(`ifla_vxlan_port_range of ${v.length} bytes`);
    return { low: get.u16be(v.subarray(0, 2)), high: get.u16be(v.subarray(2)) };
  },
  encode: (w, v) => { w.u16be(v.low); w.u16be(v.high); },
};

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
  portRange: field(IFLA_VXLAN_PORT_RANGE, portRange),
  proxy: field(IFLA_VXLAN_PROXY, bool8),
  rsc: field(IFLA_VXLAN_RSC, bool8),
  l2miss: field(IFLA_VXLAN_L2MISS, bool8),
  l3miss: field(IFLA_VXLAN_L3MISS, bool8),
  /** Destination UDP port (big-endian on the wire). */
  port: field(IFLA_VXLAN_PORT, u16be),
  group6: field(IFLA_VXLAN_GROUP6, ip),
  local6: field(IFLA_VXLAN_LOCAL6, ip),
  udpCsum: field(IFLA_VXLAN_UDP_CSUM, bool8),
  udpZeroCsum6Tx: field(IFLA_VXLAN_UDP_ZERO_CSUM6_TX, bool8),
  udpZeroCsum6Rx: field(IFLA_VXLAN_UDP_ZERO_CSUM6_RX, bool8),
  remcsumTx: field(IFLA_VXLAN_REMCSUM_TX, bool8),
  remcsumRx: field(IFLA_VXLAN_REMCSUM_RX, bool8),
  /** Group Based Policy: a flag, present or not. */
  gbp: field(IFLA_VXLAN_GBP, bytes),
  collectMetadata: field(IFLA_VXLAN_COLLECT_METADATA, bool8),
  /** IPv6 flow label (big-endian on the wire). */
  label: field(IFLA_VXLAN_LABEL, u32be),
  /** Generic Protocol Extension: a flag, present or not. */
  gpe: field(IFLA_VXLAN_GPE, bytes),
  ttlInherit: field(IFLA_VXLAN_TTL_INHERIT, flagOrU8),
  df: field(IFLA_VXLAN_DF, u8),
  vnifilter: field(IFLA_VXLAN_VNIFILTER, bool8),
};
export type VxlanData = Attrs<typeof vxlanTable>;
