// RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE: struct rtmsg, then RTA_* attributes (<linux/rtnetlink.h>).
import { DecodeError } from '../netlink/errors.js';
import { getAt } from '../netlink/attrs.js';
import { LE, view } from '../netlink/endian.js';
import { bytes, ip, string, u16, u16be, u32, u8 } from '../netlink/codecs.js';
import { formatIp, parseIp } from '../netlink/addresses.js';
import { familyCodec, type FamilyMessage, type Struct } from '../netlink/family.js';
import { decodeAttrs, encodeAttrs, field, nested, type Attrs, type Codec } from '../netlink/schema.js';
import { Writer } from '../netlink/writer.js';
import { u32Struct } from './common.js';

export const RTA_DST = 1;
export const RTA_SRC = 2;
export const RTA_IIF = 3;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_METRICS = 8;
export const RTA_MULTIPATH = 9;
export const RTA_FLOW = 11;
export const RTA_CACHEINFO = 12;
export const RTA_TABLE = 15;
export const RTA_MARK = 16;
export const RTA_MFC_STATS = 17;
export const RTA_VIA = 18;
export const RTA_NEWDST = 19;
export const RTA_PREF = 20;
export const RTA_ENCAP_TYPE = 21;
export const RTA_ENCAP = 22;
export const RTA_EXPIRES = 23;
export const RTA_UID = 25;
export const RTA_TTL_PROPAGATE = 26;
export const RTA_IP_PROTO = 27;
export const RTA_SPORT = 28;
export const RTA_DPORT = 29;
export const RTA_NH_ID = 30;

export const RTAX_LOCK = 1;
export const RTAX_MTU = 2;
export const RTAX_WINDOW = 3;
export const RTAX_RTT = 4;
export const RTAX_RTTVAR = 5;
export const RTAX_SSTHRESH = 6;
export const RTAX_CWND = 7;
export const RTAX_ADVMSS = 8;
export const RTAX_REORDERING = 9;
export const RTAX_HOPLIMIT = 10;
export const RTAX_INITCWND = 11;
export const RTAX_FEATURES = 12;
export const RTAX_RTO_MIN = 13;
export const RTAX_INITRWND = 14;
export const RTAX_QUICKACK = 15;
export const RTAX_CC_ALGO = 16;
export const RTAX_FASTOPEN_NO_COOKIE = 17;
/** RTAX_FEATURES bits. */
export const RTAX_FEATURE_ECN = 1;

export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_COMPAT = 252;
export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;
export const TABLES = { default: RT_TABLE_DEFAULT, main: RT_TABLE_MAIN, local: RT_TABLE_LOCAL } as const;
export type TableName = keyof typeof TABLES;

export const RTN_UNSPEC = 0;
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_ANYCAST = 4;
export const RTN_MULTICAST = 5;
export const RTN_BLACKHOLE = 6;
export const RTN_UNREACHABLE = 7;
export const RTN_PROHIBIT = 8;
export const RTN_THROW = 9;
export const RTN_NAT = 10;
export const RTN_XRESOLVE = 11;
export const ROUTE_TYPES = {
  unspec: RTN_UNSPEC, unicast: RTN_UNICAST, local: RTN_LOCAL, broadcast: RTN_BROADCAST, anycast: RTN_ANYCAST,
  multicast: RTN_MULTICAST, blackhole: RTN_BLACKHOLE, unreachable: RTN_UNREACHABLE, prohibit: RTN_PROHIBIT,
  throw: RTN_THROW, nat: RTN_NAT, xresolve: RTN_XRESOLVE,
} as const;
export type RouteType = keyof typeof ROUTE_TYPES;

// RTA_PREF: an IPv6 route's router preference (RFC 4191), <linux/icmpv6.h>. The kernel takes any
// other value for medium.
export const ICMPV6_ROUTER_PREF_LOW = 0x3;
export const ICMPV6_ROUTER_PREF_MEDIUM = 0x0;
export const ICMPV6_ROUTER_PREF_HIGH = 0x1;
export const ROUTE_PREFS = { low: ICMPV6_ROUTER_PREF_LOW, medium: ICMPV6_ROUTER_PREF_MEDIUM, high: ICMPV6_ROUTER_PREF_HIGH } as const;
export type RoutePref = keyof typeof ROUTE_PREFS;

export const RTPROT_UNSPEC = 0;
export const RTPROT_REDIRECT = 1;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;
/** Protocol names as in iproute2's rt_protos table. */
export const PROTOCOLS = {
  unspec: RTPROT_UNSPEC, redirect: RTPROT_REDIRECT, kernel: RTPROT_KERNEL, boot: RTPROT_BOOT, static: RTPROT_STATIC,
  gated: 8, ra: 9, mrt: 10, zebra: 11, bird: 12, dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16, mrouted: 17,
  keepalived: 18, babel: 42, openr: 99, bgp: 186, isis: 187, ospf: 188, rip: 189, eigrp: 192,
} as const;
export type ProtocolName = keyof typeof PROTOCOLS;

/** TOS (DS field) names as in iproute2's rt_dsfield table: DSCP classes (RFC 2597, 2474, 2598). */
export const DSFIELDS = {
  default: 0x00, AF11: 0x28, AF12: 0x30, AF13: 0x38, AF21: 0x48, AF22: 0x50, AF23: 0x58, AF31: 0x68, AF32: 0x70,
  AF33: 0x78, AF41: 0x88, AF42: 0x90, AF43: 0x98, CS1: 0x20, CS2: 0x40, CS3: 0x60, CS4: 0x80, CS5: 0xa0, CS6: 0xc0,
  CS7: 0xe0, EF: 0xb8,
} as const;

export const RTM_F_NOTIFY = 0x100;
export const RTM_F_CLONED = 0x200;
export const RTM_F_EQUALIZE = 0x400;
export const RTM_F_PREFIX = 0x800;
export const RTM_F_LOOKUP_TABLE = 0x1000;
export const RTM_F_FIB_MATCH = 0x2000;
export const RTM_F_OFFLOAD = 0x4000;
export const RTM_F_TRAP = 0x8000;
export const RTM_F_OFFLOAD_FAILED = 0x20000000;

export const RTNH_F_DEAD = 1;
export const RTNH_F_PERVASIVE = 2;
export const RTNH_F_ONLINK = 4;
export const RTNH_F_OFFLOAD = 8;
export const RTNH_F_LINKDOWN = 16;
export const RTNH_F_UNRESOLVED = 32;
export const RTNH_F_TRAP = 64;
/** Next-hop flags (rtnh_flags, and the low byte of rtm_flags) as iproute2 prints them. */
export const NEXTHOP_FLAGS = {
  dead: RTNH_F_DEAD, pervasive: RTNH_F_PERVASIVE, onlink: RTNH_F_ONLINK, offload: RTNH_F_OFFLOAD,
  linkdown: RTNH_F_LINKDOWN, unresolved: RTNH_F_UNRESOLVED, trap: RTNH_F_TRAP,
} as const;
export const ROUTE_FLAGS = {
  ...NEXTHOP_FLAGS, notify: RTM_F_NOTIFY, cloned: RTM_F_CLONED, equalize: RTM_F_EQUALIZE, prefix: RTM_F_PREFIX,
  lookup_table: RTM_F_LOOKUP_TABLE, fib_match: RTM_F_FIB_MATCH, rt_offload: RTM_F_OFFLOAD, rt_trap: RTM_F_TRAP,
  rt_offload_failed: RTM_F_OFFLOAD_FAILED,
} as const;
export type RouteFlag = keyof typeof ROUTE_FLAGS;
export type NexthopFlag = keyof typeof NEXTHOP_FLAGS;

/** struct rtmsg: 12 bytes. */
export interface RtMsg {
  family: number;
  dstLen: number;
  srcLen: number;
  tos: number;
  /** The table if below 256; RTA_TABLE carries the full id. */
  table: number;
  protocol: number;
  scope: number;
  type: number;
  flags: number;
}

export const rtmsg: Struct<RtMsg> = {
  size: 12,
  decode(b) {
    return {
      family: b[0], dstLen: b[1], srcLen: b[2], tos: b[3], table: b[4], protocol: b[5], scope: b[6], type: b[7],
      flags: getAt.u32(b, 8, 12),
    };
  },
  encode(w, m) {
    w.u8(m.family).u8(m.dstLen).u8(m.srcLen).u8(m.tos).u8(m.table).u8(m.protocol).u8(m.scope).u8(m.type).u32(m.flags);
  },
};

/** RTA_METRICS: a nest of RTAX_* u32s (RTAX_CC_ALGO is a string). */
export const metricsTable = {
  lock: field(RTAX_LOCK, u32),
  mtu: field(RTAX_MTU, u32),
  window: field(RTAX_WINDOW, u32),
  rtt: field(RTAX_RTT, u32),
  rttvar: field(RTAX_RTTVAR, u32),
  ssthresh: field(RTAX_SSTHRESH, u32),
  cwnd: field(RTAX_CWND, u32),
  advmss: field(RTAX_ADVMSS, u32),
  reordering: field(RTAX_REORDERING, u32),
  hoplimit: field(RTAX_HOPLIMIT, u32),
  initcwnd: field(RTAX_INITCWND, u32),
  features: field(RTAX_FEATURES, u32),
  rtoMin: field(RTAX_RTO_MIN, u32),
  initrwnd: field(RTAX_INITRWND, u32),
  quickack: field(RTAX_QUICKACK, u32),
  congctl: field(RTAX_CC_ALGO, string),
  fastopenNoCookie: field(RTAX_FASTOPEN_NO_COOKIE, u32),
};
export type Metrics = Attrs<typeof metricsTable>;

/** RTA_VIA: struct rtvia, an address family (u16) then the address, for gateways of another family. */
export interface Via { family: number; address: string }
export const via: Codec<Via> = {
  decode: (v) => {
    if (v.length < 2) throw new DecodeError(`RTA_VIA is ${v.length} bytes, too short`);
    return { family: view(v).getUint16(0, LE), address: formatIp(v.subarray(2)) };
  },
  encode: (w, v) => w.u16(v.family).bytes(parseIp(v.address)),
};

/** Attributes inside each rtnexthop of RTA_MULTIPATH. */
export const nexthopTable = {
  gateway: field(RTA_GATEWAY, ip),
  via: field(RTA_VIA, via),
  flow: field(RTA_FLOW, u32),
  newdst: field(RTA_NEWDST, bytes),
  encapType: field(RTA_ENCAP_TYPE, u16),
  encap: field(RTA_ENCAP, bytes),
};

/** struct rtnexthop (len u16, flags u8, hops u8, ifindex s32) and its attributes. */
export interface RtNexthop {
  flags: number;
  /** Weight minus one. */
  hops: number;
  ifindex: number;
  attrs: Attrs<typeof nexthopTable>;
}

const RTNH_HDRLEN = 8;

/** RTA_MULTIPATH: rtnexthop structs back to back, each 4-byte aligned. */
export const multipath: Codec<RtNexthop[]> = {
  decode: (v) => {
    const out: RtNexthop[] = [];
    const dv = view(v);
    for (let off = 0; off < v.length;) {
      const len = v.length - off >= RTNH_HDRLEN ? dv.getUint16(off, LE) : 0;
      if (len < RTNH_HDRLEN || off + len > v.length) throw new DecodeError(`rtnexthop claims ${len} bytes, ${v.length - off} remain`, off);
      out.push({
        flags: v[off + 2], hops: v[off + 3], ifindex: dv.getInt32(off + 4, LE),
        attrs: decodeAttrs(nexthopTable, v.subarray(off + RTNH_HDRLEN, off + len)),
      });
      off += (len + 3) & ~3;
    }
    return out;
  },
  encode: (w, list) => {
    for (const nh of list) {
      const inner = new Writer(64);
      encodeAttrs(nexthopTable, nh.attrs, inner);
      w.u16(RTNH_HDRLEN + inner.length).u8(nh.flags).u8(nh.hops).s32(nh.ifindex).bytes(inner.finish());
    }
  },
};

export const routeTable = {
  dst: field(RTA_DST, ip),
  src: field(RTA_SRC, ip),
  iif: field(RTA_IIF, u32),
  oif: field(RTA_OIF, u32),
  gateway: field(RTA_GATEWAY, ip),
  priority: field(RTA_PRIORITY, u32),
  prefsrc: field(RTA_PREFSRC, ip),
  metrics: field(RTA_METRICS, nested(metricsTable)),
  multipath: field(RTA_MULTIPATH, multipath),
  flow: field(RTA_FLOW, u32),
  cacheinfo: field(RTA_CACHEINFO, u32Struct('rta_cacheinfo', ['clntref', 'lastuse', 'expires', 'error', 'used', 'id', 'ts', 'tsage'] as const)),
  table: field(RTA_TABLE, u32),
  mark: field(RTA_MARK, u32),
  via: field(RTA_VIA, via),
  newdst: field(RTA_NEWDST, bytes),
  pref: field(RTA_PREF, u8),
  encapType: field(RTA_ENCAP_TYPE, u16),
  encap: field(RTA_ENCAP, bytes),
  expires: field(RTA_EXPIRES, u32),
  uid: field(RTA_UID, u32),
  ttlPropagate: field(RTA_TTL_PROPAGATE, u8),
  ipProto: field(RTA_IP_PROTO, u8),
  sport: field(RTA_SPORT, u16be),
  dport: field(RTA_DPORT, u16be),
  nhId: field(RTA_NH_ID, u32),
};

export const routeCodec = familyCodec('rtmsg', rtmsg, routeTable);
export type RouteMessage = FamilyMessage<RtMsg, typeof routeTable>;

/** The table a route is in: RTA_TABLE when present (ids above 255 live only there), else rtm_table. */
export function routeTableId(m: RouteMessage): number {
  return m.attrs.table ?? m.table;
}

