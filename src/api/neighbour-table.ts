// rt.neighbourTable: the kernel's neighbour tables (arp_cache for IPv4, ndisc_cache for IPv6), as
// `ip ntable` shows and changes them: the garbage collector's thresholds (thresh1-3), and the
// parameters of the table and of each link in it (how long an entry stays reachable, how many
// probes, how many packets wait for a resolution). Tables are made by the kernel, never added.
import { NLM_F_REPLACE } from '../../codecs/netlink/constants.js';
import { jsonable } from '../../codecs/netlink/json.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import type { FamilyName } from '../../codecs/route/common.js';
import { AF_UNSPEC, RTM_GETNEIGHTBL, RTM_NEWNEIGHTBL, RTM_SETNEIGHTBL } from '../../codecs/route/constants.js';
import {
  neighbourTableCodec, ndtParmsTable, type NdtConfig, type NdtStats, type NeighbourTableMessage,
} from '../../codecs/route/neighbour-table.js';
import type { Request } from '../client.js';
import { NotFoundError, checkObject, decoding, invalid, optionKeys, typedPartial } from '../errors.js';
import type { LinkRef, Session } from './session.js';
import { familyName, familyNumber, listNames, lookup, naming, present, type ListNaming } from './inet.js';
import { constants } from 'node:os';
import { asJson, asText } from '../../codecs/netlink/errors.js';

/**
 * The parameters a table has for itself and for each of its links, by `ip ntable`'s words; times
 * in milliseconds. `refcnt` and `reachable` (base_reachable randomised by the kernel) are read only.
 */
export interface NeighbourParms {
  refcnt?: number;
  reachable?: number;
  baseReachable?: number;
  retrans?: number;
  gcStale?: number;
  delayProbe?: number;
  /** Packets kept waiting for a resolution. */
  queue?: number;
  /** The same limit in bytes (what the kernel counts now; `queue` is worked out from it). */
  queueBytes?: number;
  appProbes?: number;
  ucastProbes?: number;
  mcastProbes?: number;
  mcastReprobes?: number;
  anycastDelay?: number;
  proxyDelay?: number;
  proxyQueue?: number;
  locktime?: number;
  intervalProbeTime?: number;
}

/** A table's parameters, or a link's in it, like `ip -j ntable show` lists them. */
export interface NeighbourTable extends NeighbourParms {
  family: FamilyName | number;
  /** 'arp_cache', 'ndisc_cache'. */
  name: string;
  /** The link these parameters are of (its index, and its name when known); absent: the table's own. */
  index?: number;
  dev?: string;
  /** The garbage collector's thresholds and interval (ms): the table's own only. */
  thresh1?: number;
  thresh2?: number;
  thresh3?: number;
  gcInterval?: number;
  /** The table's size and hashing (`ip -s ntable`); lastFlush and lastRand are milliseconds before now. */
  config?: NdtConfig;
  /** The table's counters (`ip -s ntable`). */
  stats?: NdtStats;
}

/** What list() lists: a family's tables, one table by name, one link's parameters (ListNaming). */
export interface NeighbourTableFilter extends ListNaming {
  family?: FamilyName;
  name?: string;
}

/** The read-only parameters, which a change cannot set. */
type ReadOnly = 'refcnt' | 'reachable';

/** What change() takes: the table by name (and family), a link's parameters by `dev`, and the values to set. */
export interface NeighbourTableSpec extends Omit<NeighbourParms, ReadOnly> {
  name: string;
  family?: FamilyName;
  /** A link's parameters; absent: the table's own (which, like the thresholds, only the first namespace may change). */
  dev?: LinkRef;
  thresh1?: number;
  thresh2?: number;
  thresh3?: number;
  gcInterval?: number;
}

type ParmKey = keyof typeof ndtParmsTable;
/** Each public parameter, the codec's key for it, and whether it is 64 bits on the wire. */
const PARMS: ReadonlyArray<[keyof NeighbourParms, ParmKey, boolean]> = [
  ['refcnt', 'refcnt', false], ['reachable', 'reachableTime', true], ['baseReachable', 'baseReachableTime', true],
  ['retrans', 'retransTime', true], ['gcStale', 'gcStaletime', true], ['delayProbe', 'delayProbeTime', true],
  ['queue', 'queueLen', false], ['queueBytes', 'queueLenBytes', false], ['appProbes', 'appProbes', false],
  ['ucastProbes', 'ucastProbes', false], ['mcastProbes', 'mcastProbes', false], ['mcastReprobes', 'mcastReprobes', false],
  ['anycastDelay', 'anycastDelay', true], ['proxyDelay', 'proxyDelay', true], ['proxyQueue', 'proxyQlen', false],
  ['locktime', 'locktime', true], ['intervalProbeTime', 'intervalProbeTimeMs', true],
];
const READ_ONLY: ReadonlyArray<keyof NeighbourParms> = ['refcnt', 'reachable'];
const THRESHOLDS = ['thresh1', 'thresh2', 'thresh3'] as const;

/** The typed form of a table message; `names` names its link. */
export function toNeighbourTable(m: NeighbourTableMessage, names?: Map<number, string>): NeighbourTable {
  const a = m.attrs;
  const t: NeighbourTable = Object.assign(Object.create(jsonable) as object, { family: familyName(m.family), name: a.name ?? '' });
  const p = a.parms ?? {};
  if (p.ifindex !== undefined) {
    t.index = p.ifindex;
    const dev = names?.get(p.ifindex);
    if (dev !== undefined) t.dev = dev;
  }
  for (const k of THRESHOLDS) if (a[k] !== undefined) t[k] = a[k];
  if (a.gcInterval !== undefined) t.gcInterval = Number(a.gcInterval);
  for (const [key, wire] of PARMS) {
    const v = p[wire];
    if (v !== undefined) t[key] = Number(v);
  }
  if (a.config !== undefined) t.config = a.config;
  if (a.stats !== undefined) t.stats = a.stats;
  return t;
}

const FILTER_KEYS = optionKeys<NeighbourTableFilter>()('dev', 'names', 'family', 'name');
const SPEC_KEYS = optionKeys<NeighbourTableSpec>()(
  'name', 'family', 'dev', 'gcInterval', 'thresh1', 'thresh2', 'thresh3', 'appProbes', 'ucastProbes', 'mcastProbes', 'mcastReprobes', 'anycastDelay',
  'proxyDelay', 'locktime', 'baseReachable', 'retrans', 'gcStale', 'delayProbe', 'queue', 'queueBytes', 'proxyQueue', 'intervalProbeTime',
);

/** How a spec reads in errors: `neighbour table arp_cache dev v0`. */
const describe = (s: NeighbourTableSpec): string => `neighbour table ${asText(s.name)}${s.dev === undefined ? '' : ` dev ${asText(s.dev)}`}`;

/** The RTM_SETNEIGHTBL message of `ip ntable change` for a spec, its link resolved to an index. */
export function changeMessage(s: NeighbourTableSpec, ifindex: number | undefined): NeighbourTableMessage {
  const subject = describe(s);
  if (typeof s.name !== 'string' || s.name === '') throw invalid(subject, 'name (the table: arp_cache, ndisc_cache) is required');
  const m: NeighbourTableMessage = { family: familyNumber(s.family), attrs: { name: s.name } };
  const a = m.attrs;
  for (const k of THRESHOLDS) if (s[k] !== undefined) a[k] = lookup({}, s[k], k, 0xffffffff, subject);
  if (s.gcInterval !== undefined) a.gcInterval = BigInt(lookup({}, s.gcInterval, 'gcInterval', Number.MAX_SAFE_INTEGER, subject) ?? 0);
  const parms: NonNullable<NeighbourTableMessage['attrs']['parms']> = {};
  for (const [key, wire, wide] of PARMS) {
    const v = (s as NeighbourParms)[key];
    if (v === undefined) continue;
    if (READ_ONLY.includes(key)) throw invalid(subject, `${key} is the kernel's to say, not to set`);
    const n = lookup({}, v, key, wide ? Number.MAX_SAFE_INTEGER : 0xffffffff, subject) ?? 0;
    Object.assign(parms, { [wire]: wide ? BigInt(n) : n });
  }
  checkObject(subject, s, SPEC_KEYS); // after the read-only parameters, refused with their reason
  if (Object.keys(a).length === 1 && Object.keys(parms).length === 0) throw invalid(subject, 'nothing to change: give a threshold, gcInterval or a parameter');
  if (ifindex !== undefined || Object.keys(parms).length > 0) a.parms = { ...(ifindex === undefined ? {} : { ifindex }), ...parms };
  return m;
}

const decodeTable = (m: NlMessage): NeighbourTableMessage | undefined => (m.header.type === RTM_NEWNEIGHTBL ? neighbourTableCodec.decode(m.payload) : undefined);

export class NeighbourTableApi {
  constructor(protected readonly rt: Session) {}

  /** The tables and their links' parameters, like `ip -j ntable show [dev DEV] [name NAME]`. */
  async list(filter: NeighbourTableFilter = {}): Promise<NeighbourTable[]> {
    checkObject('neighbour table filter', filter, FILTER_KEYS);
    if (filter.name !== undefined && typeof filter.name !== 'string') throw invalid('neighbour table filter', `name must be a string, not ${asJson(filter.name)}`);
    const index = filter.dev === undefined ? undefined : await this.rt.linkIndex(filter.dev);
    const names = await listNames(this.rt, filter, 'neighbour table filter', index);
    const messages = await this.dump(familyNumber(filter.family));
    const kept = messages.filter((m) => (filter.name === undefined || m.attrs.name === filter.name)
      && (index === undefined || m.attrs.parms?.ifindex === index));
    return decoding(() => kept.map((m) => toNeighbourTable(m, names)), 'neighbour table message');
  }

  /** The kernel's table messages as the codec decodes them (what `ip ntable show` prints from); `family` an AF_* number, 0 for all. */
  async dump(family = AF_UNSPEC): Promise<NeighbourTableMessage[]> {
    const req: Request = { type: RTM_GETNEIGHTBL, name: 'RTM_GETNEIGHTBL', body: (w) => neighbourTableCodec.encode(w, { family, attrs: {} }) };
    // The kernel dumps the family asked for only (neightbl_dump_info()).
    return present(await this.rt.client.dump(req, decodeTable).catch(typedPartial(present)).catch(naming('neighbour tables')));
  }

  /**
   * Changes a table's thresholds or parameters, or a link's in it (`ip ntable change`); resolves
   * with them as the kernel then lists them. A table or link the kernel has no parameters for is
   * a NotFoundError (the table's own, in any namespace but the first).
   */
  async change(spec: NeighbourTableSpec): Promise<NeighbourTable> {
    checkObject('neighbour table', spec);
    const subject = describe(spec);
    const ifindex = spec.dev === undefined ? undefined : await this.rt.linkIndex(spec.dev).catch(naming(`${subject}: dev`));
    const m = changeMessage(spec, ifindex);
    await this.rt.client
      .request({ type: RTM_SETNEIGHTBL, flags: NLM_F_REPLACE, name: 'RTM_SETNEIGHTBL', body: (w) => neighbourTableCodec.encode(w, m) })
      .catch(naming(subject));
    const names = typeof spec.dev === 'string' && ifindex !== undefined ? new Map([[ifindex, spec.dev]]) : undefined;
    const now = (await this.dump(m.family)).find((t) => t.attrs.name === spec.name && t.attrs.parms?.ifindex === ifindex);
    if (!now) throw new NotFoundError({ errno: constants.errno.ENOENT, subject, text: 'changed, but no longer listed' });
    return toNeighbourTable(now, names);
  }
}
