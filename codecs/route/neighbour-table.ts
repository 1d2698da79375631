// RTM_NEWNEIGHTBL / RTM_GETNEIGHTBL / RTM_SETNEIGHTBL: struct ndtmsg, then NDTA_* attributes
// (<linux/neighbour.h>): the neighbour tables (arp_cache, ndisc_cache), their garbage
// collector's thresholds, and the parameters of each table and of each link in it.
import { DecodeError } from '../netlink/errors.js';
import { getAt } from '../netlink/attrs.js';
import { string, u32, u64 } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage } from '../netlink/family.js';
import { field, nested, type Codec } from '../netlink/schema.js';
import { familyByte, u64s, type FamilyByte, type Packed } from './common.js';

export const NDTA_NAME = 1;
export const NDTA_THRESH1 = 2;
export const NDTA_THRESH2 = 3;
export const NDTA_THRESH3 = 4;
export const NDTA_CONFIG = 5;
export const NDTA_PARMS = 6;
export const NDTA_STATS = 7;
export const NDTA_GC_INTERVAL = 8;

export const NDTPA_IFINDEX = 1;
export const NDTPA_REFCNT = 2;
export const NDTPA_REACHABLE_TIME = 3;
export const NDTPA_BASE_REACHABLE_TIME = 4;
export const NDTPA_RETRANS_TIME = 5;
export const NDTPA_GC_STALETIME = 6;
export const NDTPA_DELAY_PROBE_TIME = 7;
export const NDTPA_QUEUE_LEN = 8;
export const NDTPA_APP_PROBES = 9;
export const NDTPA_UCAST_PROBES = 10;
export const NDTPA_MCAST_PROBES = 11;
export const NDTPA_ANYCAST_DELAY = 12;
export const NDTPA_PROXY_DELAY = 13;
export const NDTPA_PROXY_QLEN = 14;
export const NDTPA_LOCKTIME = 15;
export const NDTPA_QUEUE_LENBYTES = 16;
export const NDTPA_MCAST_REPROBES = 17;
export const NDTPA_INTERVAL_PROBE_TIME_MS = 19;

/** struct ndtmsg: the family byte, padded to 4. */
export type NdtMsg = FamilyByte;
export const ndtmsg = familyByte('ndtmsg');

/** struct ndt_config: a table's size and hashing; the two times are milliseconds before now. */
export interface NdtConfig {
  keyLen: number;
  entrySize: number;
  entries: number;
  lastFlush: number;
  lastRand: number;
  hashRnd: number;
  hashMask: number;
  hashChainGc: number;
  proxyQlen: number;
}

const CONFIG_SIZE = 32;
const CONFIG_U32S = ['entries', 'lastFlush', 'lastRand', 'hashRnd', 'hashMask', 'hashChainGc', 'proxyQlen'] as const;

const ndtConfig: Codec<NdtConfig> = {
  decode(v) {
    if (v.length !== CONFIG_SIZE) throw new DecodeError(`ndt_config is ${v.length} bytes, expected ${CONFIG_SIZE}`);
    const c = { keyLen: getAt.u16(v, 0, 2), entrySize: getAt.u16(v, 2, 4) } as NdtConfig;
    CONFIG_U32S.forEach((k, i) => { c[k] = getAt.u32(v, 4 + 4 * i, 8 + 4 * i); });
    return c;
  },
  encode(w, c) {
    w.u16(c.keyLen).u16(c.entrySize);
    for (const k of CONFIG_U32S) w.u32(c[k]);
  },
};

/** struct ndt_stats, in order: the table's counters. */
export const NDT_STATS_FIELDS = [
  'allocs', 'destroys', 'hashGrows', 'resFailed', 'lookups', 'hits', 'rcvProbesMcast', 'rcvProbesUcast', 'periodicGcRuns',
  'forcedGcRuns', 'tableFulls',
] as const;
export type NdtStats = Packed<(typeof NDT_STATS_FIELDS)[number], bigint>;

// In the order the kernel writes them (neightbl_fill_parms()); times in milliseconds.
export const ndtParmsTable = {
  ifindex: field(NDTPA_IFINDEX, u32),
  refcnt: field(NDTPA_REFCNT, u32),
  queueLenBytes: field(NDTPA_QUEUE_LENBYTES, u32),
  queueLen: field(NDTPA_QUEUE_LEN, u32),
  proxyQlen: field(NDTPA_PROXY_QLEN, u32),
  appProbes: field(NDTPA_APP_PROBES, u32),
  ucastProbes: field(NDTPA_UCAST_PROBES, u32),
  mcastProbes: field(NDTPA_MCAST_PROBES, u32),
  mcastReprobes: field(NDTPA_MCAST_REPROBES, u32),
  reachableTime: field(NDTPA_REACHABLE_TIME, u64),
  baseReachableTime: field(NDTPA_BASE_REACHABLE_TIME, u64),
  gcStaletime: field(NDTPA_GC_STALETIME, u64),
  delayProbeTime: field(NDTPA_DELAY_PROBE_TIME, u64),
  retransTime: field(NDTPA_RETRANS_TIME, u64),
  anycastDelay: field(NDTPA_ANYCAST_DELAY, u64),
  proxyDelay: field(NDTPA_PROXY_DELAY, u64),
  locktime: field(NDTPA_LOCKTIME, u64),
  intervalProbeTimeMs: field(NDTPA_INTERVAL_PROBE_TIME_MS, u64),
};

// In the order the kernel writes them (neightbl_fill_info()).
export const ndtTable = {
  name: field(NDTA_NAME, string),
  gcInterval: field(NDTA_GC_INTERVAL, u64),
  thresh1: field(NDTA_THRESH1, u32),
  thresh2: field(NDTA_THRESH2, u32),
  thresh3: field(NDTA_THRESH3, u32),
  config: field(NDTA_CONFIG, ndtConfig),
  stats: field(NDTA_STATS, u64s(NDT_STATS_FIELDS)),
  parms: field(NDTA_PARMS, nested(ndtParmsTable)),
};

export const neighbourTableCodec = familyCodec('ndtmsg', ndtmsg, ndtTable);
export type NeighbourTableMessage = FamilyMessage<NdtMsg, typeof ndtTable>;
