// RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE: struct fib_rule_hdr, then FRA_* attributes
// (<linux/fib_rules.h>): the routing policy database, which table a packet is looked up in.
import { DecodeError } from '../netlink/errors.js';
import { view, LE } from '../netlink/endian.js';
import { getAt } from '../netlink/attrs.js';
import { ip, s32, string, u16, u32, u8 } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage, type Struct } from '../netlink/family.js';
import { field, type Codec } from '../netlink/schema.js';
import { u32Struct } from './common.js';
import { tunnelId } from './encap.js';

export const FRA_DST = 1;
export const FRA_SRC = 2;
/** The incoming link's name (FRA_IFNAME in older headers). */
export const FRA_IIFNAME = 3;
export const FRA_GOTO = 4;
export const FRA_PRIORITY = 6;
export const FRA_FWMARK = 10;
export const FRA_FLOW = 11;
export const FRA_TUN_ID = 12;
export const FRA_SUPPRESS_IFGROUP = 13;
export const FRA_SUPPRESS_PREFIXLEN = 14;
export const FRA_TABLE = 15;
export const FRA_FWMASK = 16;
export const FRA_OIFNAME = 17;
export const FRA_PAD = 18;
export const FRA_L3MDEV = 19;
export const FRA_UID_RANGE = 20;
export const FRA_PROTOCOL = 21;
export const FRA_IP_PROTO = 22;
export const FRA_SPORT_RANGE = 23;
export const FRA_DPORT_RANGE = 24;

export const FR_ACT_UNSPEC = 0;
export const FR_ACT_TO_TBL = 1;
export const FR_ACT_GOTO = 2;
export const FR_ACT_NOP = 3;
export const FR_ACT_BLACKHOLE = 6;
export const FR_ACT_UNREACHABLE = 7;
export const FR_ACT_PROHIBIT = 8;
/** A rule's action (fib_rule_hdr.action): `lookup` a table, `goto` another rule, do nothing, or drop. */
export const RULE_ACTIONS = {
  unspec: FR_ACT_UNSPEC, lookup: FR_ACT_TO_TBL, goto: FR_ACT_GOTO, nop: FR_ACT_NOP, blackhole: FR_ACT_BLACKHOLE,
  unreachable: FR_ACT_UNREACHABLE, prohibit: FR_ACT_PROHIBIT,
} as const;
export type RuleAction = keyof typeof RULE_ACTIONS;

export const FIB_RULE_PERMANENT = 0x1;
export const FIB_RULE_INVERT = 0x2;
export const FIB_RULE_UNRESOLVED = 0x4;
export const FIB_RULE_IIF_DETACHED = 0x8;
export const FIB_RULE_OIF_DETACHED = 0x10;
export const FIB_RULE_FIND_SADDR = 0x10000;
/** fib_rule_hdr.flags: `invert` is ip's `not`; `unresolved` a goto whose target rule is missing; a `*_detached` names a link that does not exist. */
export const RULE_FLAGS = {
  permanent: FIB_RULE_PERMANENT, invert: FIB_RULE_INVERT, unresolved: FIB_RULE_UNRESOLVED,
  iif_detached: FIB_RULE_IIF_DETACHED, oif_detached: FIB_RULE_OIF_DETACHED, find_saddr: FIB_RULE_FIND_SADDR,
} as const;
export type RuleFlag = keyof typeof RULE_FLAGS;

/** struct fib_rule_hdr: 12 bytes. */
export interface FibRuleHdr {
  family: number;
  dstLen: number;
  srcLen: number;
  tos: number;
  /** The table if below 256 (RT_TABLE_COMPAT above); FRA_TABLE carries the full id. */
  table: number;
  res1: number;
  res2: number;
  action: number;
  flags: number;
}

export const fibRuleHdr: Struct<FibRuleHdr> = {
  size: 12,
  // familyCodec() checks the payload holds the header first.
  decode(b) {
    return {
      family: b[0], dstLen: b[1], srcLen: b[2], tos: b[3], table: b[4], res1: b[5], res2: b[6], action: b[7],
      flags: getAt.u32(b, 8, 12),
    };
  },
  encode(w, m) {
    w.u8(m.family).u8(m.dstLen).u8(m.srcLen).u8(m.tos).u8(m.table).u8(m.res1).u8(m.res2).u8(m.action).u32(m.flags);
  },
};

/** A range of ports or of user ids: `start` to `end`, both included. */
export interface RuleRange { start: number; end: number }

/** struct fib_rule_port_range: two u16s. */
const portRange: Codec<RuleRange> = {
  decode: (v) => {
    if (v.length !== 4) throw new DecodeError(`fib_rule_port_range is ${v.length} bytes, expected 4`);
    const dv = view(v);
    return { start: dv.getUint16(0, LE), end: dv.getUint16(2, LE) };
  },
  encode: (w, r) => {
    u16.encode(w, r.start);
    u16.encode(w, r.end);
  },
};

/**
 * FRA_SRC, FRA_DST: an IPv4 or IPv6 address. ip sends one of no bytes for `from all` (the kernel
 * reads none under a length of 0): '' here, written back as none.
 */
const address: Codec<string> = {
  decode: (v) => (v.length === 0 ? '' : ip.decode(v)),
  encode: (w, v) => {
    if (v !== '') ip.encode(w, v);
  },
};

// In the order the kernel writes them (fib_nl_fill_rule(), then fib4_rule_fill() or
// fib6_rule_fill()), so that a dump re-encodes as it came.
export const ruleTable = {
  table: field(FRA_TABLE, u32),
  /** -1 (0xffffffff on the wire): none. */
  suppressPrefixlen: field(FRA_SUPPRESS_PREFIXLEN, s32),
  protocol: field(FRA_PROTOCOL, u8),
  iifname: field(FRA_IIFNAME, string),
  oifname: field(FRA_OIFNAME, string),
  priority: field(FRA_PRIORITY, u32),
  fwmark: field(FRA_FWMARK, u32),
  fwmask: field(FRA_FWMASK, u32),
  goto: field(FRA_GOTO, u32),
  tunId: field(FRA_TUN_ID, tunnelId),
  l3mdev: field(FRA_L3MDEV, u8),
  uidRange: field(FRA_UID_RANGE, u32Struct('fib_rule_uid_range', ['start', 'end'] as const)),
  sportRange: field(FRA_SPORT_RANGE, portRange),
  dportRange: field(FRA_DPORT_RANGE, portRange),
  ipProto: field(FRA_IP_PROTO, u8),
  /** -1: none. */
  suppressIfgroup: field(FRA_SUPPRESS_IFGROUP, s32),
  dst: field(FRA_DST, address),
  src: field(FRA_SRC, address),
  /** Realms, as RTA_FLOW: the source realm in the upper 16 bits. */
  flow: field(FRA_FLOW, u32),
};

export const ruleCodec = familyCodec('fib_rule_hdr', fibRuleHdr, ruleTable);
export type RuleMessage = FamilyMessage<FibRuleHdr, typeof ruleTable>;
