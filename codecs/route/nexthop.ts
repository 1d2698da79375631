// RTM_NEWNEXTHOP / RTM_DELNEXTHOP / RTM_GETNEXTHOP: struct nhmsg, then NHA_* attributes
// (<linux/nexthop.h>): nexthop objects, which routes name by id (RTA_NH_ID) instead of carrying
// their gateway and device: one gateway, a blackhole, or a group of other nexthops.
// RTM_*NEXTHOPBUCKET: the same nhmsg, a resilient group's id and one of its buckets (NHA_RES_BUCKET).
import { DecodeError } from '../netlink/errors.js';
import { getAt } from '../netlink/attrs.js';
import { bytes, flag, ip, u16, u32, u64 } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage, type Struct } from '../netlink/family.js';
import { field, nested, type Codec } from '../netlink/schema.js';
import { USER_HZ } from './constants.js';

export const NHA_ID = 1;
export const NHA_GROUP = 2;
export const NHA_GROUP_TYPE = 3;
export const NHA_BLACKHOLE = 4;
export const NHA_OIF = 5;
export const NHA_GATEWAY = 6;
export const NHA_ENCAP_TYPE = 7;
export const NHA_ENCAP = 8;
/** In a dump request: groups only. */
export const NHA_GROUPS = 9;
/** In a dump request: the nexthops of links under this master. */
export const NHA_MASTER = 10;
export const NHA_FDB = 11;
export const NHA_RES_GROUP = 12;
export const NHA_RES_BUCKET = 13;
/** u32, newer than this system's header: NHA_OP_FLAG_* (requests), or what the answer leaves out. */
export const NHA_OP_FLAGS = 14;

export const NEXTHOP_GRP_TYPE_MPATH = 0;
export const NEXTHOP_GRP_TYPE_RES = 1;
/** A group's type (NHA_GROUP_TYPE): hash-threshold multipath, or resilient (buckets that keep flows where they are). */
export const NEXTHOP_GROUP_TYPES = { mpath: NEXTHOP_GRP_TYPE_MPATH, resilient: NEXTHOP_GRP_TYPE_RES } as const;
export type NexthopGroupType = keyof typeof NEXTHOP_GROUP_TYPES;

export const NHA_RES_GROUP_BUCKETS = 1;
export const NHA_RES_GROUP_IDLE_TIMER = 2;
export const NHA_RES_GROUP_UNBALANCED_TIMER = 3;
export const NHA_RES_GROUP_UNBALANCED_TIME = 4;

export const NHA_RES_BUCKET_INDEX = 1;
export const NHA_RES_BUCKET_IDLE_TIME = 2;
export const NHA_RES_BUCKET_NH_ID = 3;

/** struct nhmsg: 8 bytes. */
export interface NhMsg {
  family: number;
  /** Reported, not taken: the kernel works it out (host for a device alone, link with a gateway). */
  scope: number;
  protocol: number;
  resvd: number;
  /** RTNH_F_* (onlink, dead, linkdown...). */
  flags: number;
}

export const nhMsg: Struct<NhMsg> = {
  size: 8,
  // familyCodec() checks the payload holds the header first.
  decode: (b) => ({ family: b[0], scope: b[1], protocol: b[2], resvd: b[3], flags: getAt.u32(b, 4, 8) }),
  encode(w, m) {
    w.u8(m.family).u8(m.scope).u8(m.protocol).u8(m.resvd).u32(m.flags);
  },
};

/**
 * struct nexthop_grp, as the kernel has it: the weight on the wire is one less than the
 * weight (0 is 1), its high byte in `weightHigh` (newer kernels: weights to 65536; older ones
 * call the byte resvd1 and keep it 0).
 */
export interface NexthopGrp {
  id: number;
  weight: number;
  weightHigh: number;
  resvd2: number;
}

const GRP_SIZE = 8;

/** A member's weight, 1 to 65536. */
export const grpWeight = (e: NexthopGrp): number => (e.weightHigh << 8) + e.weight + 1;

/** The nexthop_grp of member `id` of weight 1 to 65536. */
export const nexthopGrp = (id: number, weight: number): NexthopGrp => ({ id, weight: (weight - 1) & 0xff, weightHigh: (weight - 1) >> 8, resvd2: 0 });

/** NHA_GROUP: nexthop_grp structs back to back. */
const group: Codec<NexthopGrp[]> = {
  decode(v) {
    if (v.length % GRP_SIZE !== 0) throw new DecodeError(`NHA_GROUP is ${v.length} bytes, not a whole number of ${GRP_SIZE}-byte nexthop_grp`);
    const out: NexthopGrp[] = [];
    for (let at = 0; at < v.length; at += GRP_SIZE) {
      out.push({ id: getAt.u32(v, at, at + 4), weight: v[at + 4], weightHigh: v[at + 5], resvd2: getAt.u16(v, at + 6, at + 8) });
    }
    return out;
  },
  encode(w, entries) {
    for (const e of entries) w.u32(e.id).u8(e.weight).u8(e.weightHigh).u16(e.resvd2);
  },
};

/** A resilient group's timer in seconds: clock_t, USER_HZ ticks a second. */
export const resSeconds = (ticks: number | bigint): number => Number(ticks) / USER_HZ;

/** NHA_RES_GROUP: a resilient group's buckets and timers (clock_t: hundredths of a second). */
export const resGroupTable = {
  buckets: field(NHA_RES_GROUP_BUCKETS, u16),
  idleTimer: field(NHA_RES_GROUP_IDLE_TIMER, u32),
  unbalancedTimer: field(NHA_RES_GROUP_UNBALANCED_TIMER, u32),
  unbalancedTime: field(NHA_RES_GROUP_UNBALANCED_TIME, u64),
};

/** NHA_RES_BUCKET: a bucket of a resilient group, and the member it sends to; in a dump request, the member alone. */
// In the kernel's order (nh_fill_res_bucket()).
export const resBucketTable = {
  index: field(NHA_RES_BUCKET_INDEX, u16),
  nhId: field(NHA_RES_BUCKET_NH_ID, u32),
  /** clock_t: how long no packet went through the bucket. */
  idleTime: field(NHA_RES_BUCKET_IDLE_TIME, u64),
};

// In the order the kernel writes them (nh_fill_node()), so that a dump re-encodes as it came.
export const nhTable = {
  id: field(NHA_ID, u32),
  fdb: field(NHA_FDB, flag),
  groupType: field(NHA_GROUP_TYPE, u16),
  group: field(NHA_GROUP, group),
  resGroup: field(NHA_RES_GROUP, nested(resGroupTable), { flagNested: true }),
  resBucket: field(NHA_RES_BUCKET, nested(resBucketTable), { flagNested: true }),
  opFlags: field(NHA_OP_FLAGS, u32),
  blackhole: field(NHA_BLACKHOLE, flag),
  oif: field(NHA_OIF, u32),
  gateway: field(NHA_GATEWAY, ip),
  /** A lightweight tunnel encapsulation, read by its NHA_ENCAP_TYPE (codecs/route/encap.ts). */
  encap: field(NHA_ENCAP, bytes, { flagNested: true }),
  encapType: field(NHA_ENCAP_TYPE, u16),
  groups: field(NHA_GROUPS, flag),
  master: field(NHA_MASTER, u32),
};

export const nhCodec = familyCodec('nhmsg', nhMsg, nhTable);
export type NhMessage = FamilyMessage<NhMsg, typeof nhTable>;
