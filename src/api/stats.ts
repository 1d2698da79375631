// rt.stats: a link's counters by group, without the rest of the link, as `ip stats` reads and
// switches them (RTM_GETSTATS, RTM_SETSTATS): the link's own (what a link dump's stats64 says),
// its kind's and its master's (a bridge's multicast and STP counters, a bond's 802.3ad ones),
// the offloaded ones (what reached the CPU, what the hardware routed) and per family (MPLS).
import { jsonable } from '../../codecs/netlink/json.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import type { Attrs } from '../../codecs/netlink/schema.js';
import { RTM_GETSTATS, RTM_NEWSTATS, RTM_SETSTATS } from '../../codecs/route/constants.js';
import type { LinkStats64 } from '../../codecs/route/link.js';
import {
  IFLA_OFFLOAD_XSTATS_CPU_HIT, IFLA_OFFLOAD_XSTATS_HW_S_INFO, IFLA_OFFLOAD_XSTATS_L3_STATS, IFLA_STATS_AF_SPEC, IFLA_STATS_LINK_64,
  IFLA_STATS_LINK_OFFLOAD_XSTATS, IFLA_STATS_LINK_XSTATS, IFLA_STATS_LINK_XSTATS_SLAVE, statsCodec, statsFilterBit, statsRequestCodec,
  type BrMcastStats, type BridgeStpXstats, type BridgeVlanXstats, type HwStats64, type MplsLinkStats, type StatsMessage,
  type StatsRequestMessage, type bond3adTable, type xstatsTable,
} from '../../codecs/route/stats.js';
import type { Request } from '../client.js';
import { ProtocolError, checkObject, decoding, invalid, optionKeys, typedPartial } from '../errors.js';
import type { LinkRef, Session } from './session.js';
import { listNames, naming, present, type ListNaming } from './inet.js';
import { constants } from 'node:os';
import { asJson, asText } from '../../codecs/netlink/errors.js';

/** The groups of counters, by the words of `ip stats` (xstats_slave camel-cased). */
export const STATS_GROUPS = {
  link: IFLA_STATS_LINK_64, xstats: IFLA_STATS_LINK_XSTATS, xstatsSlave: IFLA_STATS_LINK_XSTATS_SLAVE,
  offload: IFLA_STATS_LINK_OFFLOAD_XSTATS, afstats: IFLA_STATS_AF_SPEC,
} as const;
export type StatsGroup = keyof typeof STATS_GROUPS;

/** The offload group's parts. */
export const OFFLOAD_PARTS = { cpuHit: IFLA_OFFLOAD_XSTATS_CPU_HIT, hwStatsInfo: IFLA_OFFLOAD_XSTATS_HW_S_INFO, l3Stats: IFLA_OFFLOAD_XSTATS_L3_STATS } as const;
export type OffloadPart = keyof typeof OFFLOAD_PARTS;

/** A bond's or bond port's 802.3ad counters. */
export type Bond3adStats = Omit<Attrs<typeof bond3adTable>, 'other'>;

/** Counters of a link's kind (xstats) or of its master's kind about it (xstatsSlave). */
export interface Xstats {
  bridge?: { vlan?: BridgeVlanXstats[]; mcast?: BrMcastStats; stp?: BridgeStpXstats };
  bond?: { ad?: Bond3adStats };
}

/** A set of offloaded counters: asked for (`ip stats set ... on`), and given by the hardware. */
export interface HwStatsInfo {
  request?: boolean;
  used?: boolean;
}

export interface OffloadStats {
  /** What reached the CPU of a link whose forwarding is offloaded. */
  cpuHit?: LinkStats64;
  hwStatsInfo?: { l3Stats?: HwStatsInfo };
  /** What the hardware routed, once switched on (set()) and given. */
  l3Stats?: HwStats64;
}

/** One link's counters, each group present when asked for and the kernel has it, like `ip -j stats show` lists them. */
export interface LinkStats {
  index: number;
  /** The link's name, when known (ListNaming). */
  dev?: string;
  /** The link's own counters (what a link's stats64 says). */
  link?: LinkStats64;
  xstats?: Xstats;
  xstatsSlave?: Xstats;
  offload?: OffloadStats;
  afstats?: { mpls?: MplsLinkStats };
}

/** Which counters: the groups (default every one), the offload group's parts (default all), and ListNaming's link and names. */
export interface StatsFilter extends ListNaming {
  groups?: StatsGroup[];
  offload?: OffloadPart[];
}

/** One link's counters: the link, and the groups and parts as in StatsFilter. */
export interface StatsRef {
  dev: LinkRef;
  groups?: StatsGroup[];
  offload?: OffloadPart[];
}

/** What set() switches: a counter set of the link (only `l3Stats` now: what the hardware routes). */
export interface StatsSpec {
  dev: LinkRef;
  l3Stats: boolean;
}

/** Every attribute's bit of a table of them. */
const allBits = (table: Record<string, number>): number => Object.values(table).reduce((m, a) => m | statsFilterBit(a), 0);
const ALL_PARTS = allBits(OFFLOAD_PARTS);

/** The bits of a list of names in a table of attribute types, every one when the list is absent; a bad name is named. */
function bitsOf<N extends string>(table: Record<N, number>, list: unknown, what: string, subject: string): number {
  if (list === undefined) return allBits(table);
  if (!Array.isArray(list) || list.length === 0) throw invalid(subject, `${what} is a non-empty array of ${Object.keys(table).join(', ')}`);
  let mask = 0;
  for (const n of list) {
    if (typeof n !== 'string' || !Object.hasOwn(table, n)) throw invalid(subject, `${what}: ${asJson(n)} is not one of ${Object.keys(table).join(', ')}`);
    mask |= statsFilterBit(table[n as N]);
  }
  return mask;
}

/**
 * The request `ip stats show` sends for those groups and parts: filter_mask, and the offload
 * group's parts (IFLA_STATS_GET_FILTERS) when not all of them are asked for.
 */
export function statsRequest(ifindex: number, what: { groups?: unknown; offload?: unknown }, subject: string): StatsRequestMessage {
  const filterMask = bitsOf(STATS_GROUPS, what.groups, 'groups', subject);
  const parts = bitsOf(OFFLOAD_PARTS, what.offload, 'offload', subject);
  const m: StatsRequestMessage = { family: 0, ifindex, filterMask, attrs: {} };
  if (parts !== ALL_PARTS && (filterMask & statsFilterBit(IFLA_STATS_LINK_OFFLOAD_XSTATS)) !== 0) m.attrs.getFilters = { offloadXstats: parts };
  return m;
}

/** The keys of `obj` that hold a value, in a plain object (a decoded one has room for every key of its table). */
function defined<T extends object>(obj: T, keys: ReadonlyArray<keyof T>): T {
  const out: Partial<T> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out as T;
}

const BOND_3AD_KEYS = ['lacpduRx', 'lacpduTx', 'lacpduUnknownRx', 'lacpduIllegalRx', 'markerRx', 'markerTx', 'markerRespRx', 'markerRespTx', 'markerUnknownRx'] as const;

function toXstats(x: Attrs<typeof xstatsTable>): Xstats {
  const out: Xstats = {};
  if (x.bridge) out.bridge = defined(x.bridge, ['vlan', 'mcast', 'stp']);
  if (x.bond) out.bond = x.bond.ad ? { ad: defined(x.bond.ad, BOND_3AD_KEYS) } : {};
  return out;
}

const on = (v: number | undefined): boolean | undefined => (v === undefined ? undefined : v !== 0);

function toOffload(o: NonNullable<StatsMessage['attrs']['offloadXstats']>): OffloadStats {
  const l3 = o.hwStatsInfo?.l3Stats;
  const hwStatsInfo = o.hwStatsInfo && (l3 ? { l3Stats: defined({ request: on(l3.request), used: on(l3.used) }, ['request', 'used']) } : {});
  return defined({ cpuHit: o.cpuHit, hwStatsInfo, l3Stats: o.l3Stats }, ['cpuHit', 'hwStatsInfo', 'l3Stats']);
}

/** The typed form of a stats message; `names` names its link. */
export function toLinkStats(m: StatsMessage, names?: Map<number, string>): LinkStats {
  const a = m.attrs;
  const s: LinkStats = Object.assign(Object.create(jsonable) as object, { index: m.ifindex });
  const dev = names?.get(m.ifindex);
  if (dev !== undefined) s.dev = dev;
  if (a.link64) s.link = a.link64;
  if (a.xstats) s.xstats = toXstats(a.xstats);
  if (a.xstatsSlave) s.xstatsSlave = toXstats(a.xstatsSlave);
  if (a.offloadXstats) s.offload = toOffload(a.offloadXstats);
  if (a.afSpec) s.afstats = a.afSpec.mpls?.link ? { mpls: a.afSpec.mpls.link } : {};
  return s;
}

const decodeStats = (m: NlMessage): StatsMessage | undefined => (m.header.type === RTM_NEWSTATS ? statsCodec.decode(m.payload) : undefined);

function getRequest(m: StatsRequestMessage, type = RTM_GETSTATS): Request {
  return { type, name: type === RTM_GETSTATS ? 'RTM_GETSTATS' : 'RTM_SETSTATS', idempotent: type === RTM_GETSTATS, body: (w) => statsRequestCodec.encode(w, m) };
}

const FILTER_KEYS = optionKeys<StatsFilter>()('dev', 'names', 'groups', 'offload');
const REF_KEYS = optionKeys<StatsRef>()('dev', 'groups', 'offload');
const SPEC_KEYS = optionKeys<StatsSpec>()('dev', 'l3Stats');

export class StatsApi {
  constructor(protected readonly rt: Session) {}

  /** Every link's counters (or `dev`'s), like `ip -j stats show [dev DEV] [group ...]`. */
  async list(filter: StatsFilter = {}): Promise<LinkStats[]> {
    checkObject('stats filter', filter, FILTER_KEYS);
    const index = filter.dev === undefined ? undefined : await this.rt.linkIndex(filter.dev).catch(naming('stats filter: dev'));
    const request = statsRequest(index ?? 0, filter, 'stats filter');
    const names = await listNames(this.rt, filter, 'stats filter', index);
    const messages = index === undefined ? await this.dump(request) : [await this.lookup(request, `stats of ${asText(filter.dev)}`)];
    return messages.map((m) => toLinkStats(m, names));
  }

  /** One link's counters, like `ip -j stats show dev DEV [group ...]`: a NotFoundError when there is no such link. */
  async get(ref: StatsRef): Promise<LinkStats> {
    checkObject('stats', ref, REF_KEYS);
    const subject = `stats of ${asText(ref.dev)}`;
    const index = await this.rt.linkIndex(ref.dev).catch(naming(subject));
    return this.one(ref.dev, index, statsRequest(index, ref, subject), subject);
  }

  /** One link's answer, typed, named by `dev` when that is its name (lookup() decoded it: typing it cannot fail). */
  private async one(dev: LinkRef, index: number, request: StatsRequestMessage, subject: string): Promise<LinkStats> {
    return toLinkStats(await this.lookup(request, subject), typeof dev === 'string' ? new Map([[index, dev]]) : undefined);
  }

  /**
   * Switches a set of counters of a link on or off (`ip stats set dev DEV l3_stats on`); resolves
   * with the link's offload counters as the kernel then gives them. A link whose hardware cannot
   * count is refused by the kernel (EOPNOTSUPP, with its reason).
   */
  async set(spec: StatsSpec): Promise<LinkStats> {
    checkObject('stats', spec, SPEC_KEYS);
    const subject = `stats of ${asText(spec.dev)}`;
    if (typeof spec.l3Stats !== 'boolean') throw invalid(subject, `l3Stats is true or false, not ${asJson(spec.l3Stats)}`);
    const index = await this.rt.linkIndex(spec.dev).catch(naming(subject));
    const m: StatsRequestMessage = { family: 0, ifindex: index, filterMask: 0, attrs: { setOffloadXstatsL3Stats: spec.l3Stats ? 1 : 0 } };
    await this.rt.client.request(getRequest(m, RTM_SETSTATS)).catch(naming(subject));
    return this.one(spec.dev, index, statsRequest(index, { groups: ['offload'], offload: ['hwStatsInfo', 'l3Stats'] }, subject), subject);
  }

  /** The kernel's answers to a dump request (statsRequest()) as the codec decodes them: what `ip stats show` prints from. */
  async dump(request: StatsRequestMessage): Promise<StatsMessage[]> {
    return present(await this.rt.client.dump(getRequest(request), decodeStats).catch(typedPartial(present)).catch(naming('stats')));
  }

  /** The kernel's answer to a request for one link (statsRequest() with its index), as the codec decodes it. */
  async lookup(request: StatsRequestMessage, subject = `stats of link ${request.ifindex}`): Promise<StatsMessage> {
    const replies = await this.rt.client.request(getRequest(request)).catch(naming(subject));
    const found = decoding(() => present(replies.map(decodeStats)), 'stats message')[0];
    if (!found) throw new ProtocolError({ errno: constants.errno.EPROTO, subject, text: 'the kernel acknowledged the request without the counters' });
    return found;
  }
}
