// The families a monitor follows, and how a notification is read: its family, its typed object
// and the event that tells it. Shared by the monitor (monitor.ts), which also dumps, and by what
// only hears: another namespace's notifications (allNsid) and a recording replayed (replay.ts).
import { AF_BRIDGE, RTM_DELADDR, RTM_DELLINK, RTM_DELNEIGH, RTM_DELNETCONF, RTM_DELNEXTHOP, RTM_DELNSID, RTM_DELROUTE, RTM_DELRULE,
  RTM_GETNEIGH, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNEIGH, RTM_NEWNETCONF, RTM_NEWNEXTHOP, RTM_NEWNSID, RTM_NEWROUTE, RTM_NEWRULE, RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_NETCONF, RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV6_RULE,
  RTNLGRP_LINK, RTNLGRP_MPLS_NETCONF, RTNLGRP_NEIGH, RTNLGRP_NEXTHOP, RTNLGRP_NSID, RTM_NEWPREFIX, RTNLGRP_IPV6_PREFIX, RTM_NEWSTATS,
  RTNLGRP_STATS } from '../../codecs/route/constants.js';
import { DecodeError } from '../../codecs/netlink/errors.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { addressCodec, type AddressMessage } from '../../codecs/route/address.js';
import { IFLA_STATS, decodeLink, type Link } from '../../codecs/route/link.js';
import type { NeighbourMessage } from '../../codecs/route/neighbour.js';
import { RTM_F_CLONED, routeCodec, type RouteMessage } from '../../codecs/route/route.js';
import { ruleCodec, type RuleFlag, type RuleMessage } from '../../codecs/route/rule.js';
import { nhCodec, type NhMessage } from '../../codecs/route/nexthop.js';
import { prefixCodec, type PrefixMessage } from '../../codecs/route/prefix.js';
import { statsCodec, type StatsMessage } from '../../codecs/route/stats.js';
import type { NetconfMessage } from '../../codecs/route/netconf.js';
import { toAddress, type Address } from '../api/address.js';
import { decodeNeighbour, toNeighbour, type Neighbour } from '../api/neighbour.js';
import { decodeFdb, toFdbEntry, type FdbEntry } from '../api/fdb.js';
import { decodeNetconf, mergeNetconf, toNetconf, type Netconf } from '../api/netconf.js';
import { nsidOf, type NsidEntry } from '../api/nsid.js';
import { toRoute, type Route } from '../api/route.js';
import { toRule, type Rule } from '../api/rule.js';
import { toNexthopObject, type NexthopObject } from '../api/nexthop.js';
import { toAdvertisedPrefix, type AdvertisedPrefix } from '../api/prefix.js';
import { toLinkStats, type LinkStats } from '../api/stats.js';
import type { RtNetlink } from '../rtnetlink.js';

/** The objects a monitor watches, by the name of their family. */
export interface Watchable {
  link: Link;
  bridgePort: Link;
  address: Address;
  route: Route;
  rule: Rule;
  nexthop: NexthopObject;
  neighbour: Neighbour;
  fdb: FdbEntry;
  netconf: Netconf;
  nsid: NsidEntry;
  prefix: AdvertisedPrefix;
  stats: LinkStats;
}
export type WatchedFamily = keyof Watchable;
/**
 * What the kernel only tells, keeping no list of it to dump: each told as it comes, a prefix as
 * `new`, a link's offloaded counters' state as a `change`.
 */
export type ToldOnly = 'prefix' | 'stats';
export type ToldAs = { prefix: 'new'; stats: 'change' };
/** What the monitor keeps, and dumps again to tell what it missed. */
export type KeptFamily = Exclude<WatchedFamily, ToldOnly>;

/** The kernel's messages as the codecs decode them (what `ip monitor` prints from), by family. */
export interface Sources {
  link: Link;
  bridgePort: Link;
  address: AddressMessage;
  route: RouteMessage;
  rule: RuleMessage;
  nexthop: NhMessage;
  neighbour: NeighbourMessage;
  fdb: NeighbourMessage;
  netconf: NetconfMessage;
  nsid: NsidEntry;
  prefix: PrefixMessage;
  stats: StatsMessage;
}

/** One event's fields: `type` what happened, the object under its family's name. */
type Told<F extends WatchedFamily, T, V> = {
  type: T;
  family: F;
  /**
   * 'notification': the kernel said so. 'dump': found by dumping again, after an overflow or
   * where the kernel says nothing (the IPv4 routes of a link that went down or away).
   */
  via: V;
  source?: Sources[F];
  /**
   * For a change in another namespace (`allNsid`): the id the watched namespace gives that peer.
   * Its `new`, `change` and `del` are of what the monitor has heard of there (see allNsid).
   */
  peerNsid?: number;
} & { [K in F]: Watchable[F] };

/**
 * A change, narrowed by `family` to its object (the very shape list() gives): `new` for an object
 * not known before, `change` for one known, `del` for one gone. And a neighbour's `miss`: the
 * kernel asking user space to resolve it (where the table's app_solicit is set), which changes
 * nothing the monitor keeps.
 */
export type ChangeEvent = {
  [F in WatchedFamily]: F extends ToldOnly ? Told<F, ToldAs[F], 'notification'> : Told<F, 'new' | 'change' | 'del', 'notification' | 'dump'>;
}[WatchedFamily] | Told<'neighbour', 'miss', 'notification'>;

/** One object as the monitor holds it: the typed form, and the codec's message it came from. */
export interface Item { object: Watchable[WatchedFamily]; source: Sources[WatchedFamily] }

/** How one family is watched: its groups and messages, how its objects are read, keyed, compared and dumped. */
interface Family {
  groups: number[];
  types: { new: number; del: number };
  /** The codec's message of a notification; undefined for one the family does not track. */
  decode(m: NlMessage): Sources[WatchedFamily] | undefined;
  /** The typed object, with links named from what the monitor knows. */
  typed(source: never, names: Map<number, string>, link: (index: number) => Link | undefined): Watchable[WatchedFamily];
  key(o: never): string;
  /** What must differ for a `change`: the object without its counters and timers. */
  same(o: never): string;
  dump(rt: RtNetlink): Promise<Array<Sources[WatchedFamily]>>;
  /** Where a notification says only what changed: the object it makes of the one before. */
  merge?(before: never, now: never): Watchable[WatchedFamily];
}

/**
 * JSON of an object without the keys that tick (counters, timers, lifetimes), without the
 * unmodelled attributes (`other`) of the types in `ticking`, and without the `flags` in `derived`.
 */
const without = (keys: string[], ticking: number[] = [], derived: string[] = []) => (o: object): string =>
  JSON.stringify(o, (k, v: unknown) => (keys.includes(k) ? undefined
    : k === 'other' && Array.isArray(v) ? v.filter((a: { type: number }) => !ticking.includes(a.type))
    : k === 'flags' && derived.length > 0 && Array.isArray(v) ? v.filter((f: unknown) => !derived.includes(f as string))
    : typeof v === 'bigint' ? String(v) : v));

/** What fib_nl_fill_rule() works out as it tells a rule: a goto's target missing, a link of that name missing. */
const COMPUTED_RULE_FLAGS: ReadonlyArray<RuleFlag | number> = ['unresolved', 'iif_detached', 'oif_detached'];
/** A rule's JSON, whole. */
const ruleJson = without([]);

export const FAMILIES: Record<KeptFamily, Family> = {
  link: {
    groups: [RTNLGRP_LINK],
    types: { new: RTM_NEWLINK, del: RTM_DELLINK },
    // AF_BRIDGE messages on the same group speak of bridge ports, not of links coming or going.
    decode: (m) => (m.payload[0] === AF_BRIDGE ? undefined : decodeLink(m.payload)),
    typed: (l: Link, _names, link) => named(l, link),
    key: (l: Link) => String(l.index),
    // IFLA_STATS, the 32-bit counters, is not modelled: it would be in `other`, and tick.
    same: without(['stats64', 'afSpec', 'masterName', 'parentName'], [IFLA_STATS]),
    dump: (rt) => rt.link.list({ stats: false }),
  },
  bridgePort: {
    groups: [RTNLGRP_LINK],
    types: { new: RTM_NEWLINK, del: RTM_DELLINK },
    decode: (m) => (m.payload[0] === AF_BRIDGE ? decodeLink(m.payload) : undefined),
    typed: (l: Link, _names, link) => named(l, link),
    key: (l: Link) => String(l.index),
    // The port's STP timers tick.
    same: without(['messageAgeTimer', 'forwardDelayTimer', 'holdTimer', 'masterName', 'parentName']),
    dump: (rt) => rt.link.ports(),
  },
  address: {
    groups: [RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR],
    types: { new: RTM_NEWADDR, del: RTM_DELADDR },
    decode: (m) => addressCodec.decode(m.payload),
    typed: (a: AddressMessage, names) => toAddress(a, names),
    key: (a: Address) => `${a.family}|${a.index}|${a.cidr}`,
    same: without(['validLft', 'preferredLft', 'created', 'updated', 'dev']),
    dump: (rt) => rt.address.dump(),
  },
  route: {
    groups: [RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE],
    types: { new: RTM_NEWROUTE, del: RTM_DELROUTE },
    decode: (m) => {
      const r = routeCodec.decode(m.payload);
      // Cached routes (exceptions) are not in the tables a dump lists.
      return r.flags & RTM_F_CLONED ? undefined : r;
    },
    typed: (r: RouteMessage, names) => toRoute(r, names),
    // The same prefix may be routed through several links (IPv6 gives each link its fe80::/64).
    key: (r: Route) => `${r.family}|${r.table}|${r.dst}|${r.from ?? ''}|${r.tos}|${r.metric ?? ''}|${r.index ?? ''}`,
    // A path's `linkdown`, and `dead` under ignore_routes_with_linkdown, follow its link's carrier,
    // which the kernel marks without a word: the link's events tell it, not the route's.
    same: without(['expires', 'dev', 'iifName'], [], ['linkdown', 'dead']),
    dump: (rt) => rt.route.dump({ table: 0 }),
  },
  rule: {
    groups: [RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE],
    types: { new: RTM_NEWRULE, del: RTM_DELRULE },
    decode: (m) => ruleCodec.decode(m.payload),
    typed: (r: RuleMessage) => toRule(r),
    // A rule is all it matches and does (two may share a priority); not the flags the kernel
    // works out as it tells it, which change without a word (a goto's target added).
    key: (r: Rule) => ruleJson({ ...r, flags: r.flags.filter((f) => !COMPUTED_RULE_FLAGS.includes(f)) }),
    same: ruleJson,
    dump: (rt) => rt.rule.dump(),
  },
  nexthop: {
    groups: [RTNLGRP_NEXTHOP],
    types: { new: RTM_NEWNEXTHOP, del: RTM_DELNEXTHOP },
    decode: (m) => nhCodec.decode(m.payload),
    typed: (n: NhMessage, names) => toNexthopObject(n, names),
    key: (n: NexthopObject) => String(n.id),
    same: without(['unbalancedTime', 'dev']),
    dump: (rt) => rt.nexthop.dump(),
  },
  neighbour: {
    groups: [RTNLGRP_NEIGH],
    types: { new: RTM_NEWNEIGH, del: RTM_DELNEIGH },
    // ARP and NDP entries (the bridge FDB's, on the same group, are the fdb family's).
    decode: decodeNeighbour,
    typed: (n: NeighbourMessage, names) => toNeighbour(n, names),
    key: (n: Neighbour) => `${n.family}|${n.index}|${n.address ?? ''}`,
    same: without(['confirmed', 'used', 'updated', 'probes', 'dev']),
    dump: (rt) => rt.neighbour.dump(),
  },
  fdb: {
    groups: [RTNLGRP_NEIGH],
    types: { new: RTM_NEWNEIGH, del: RTM_DELNEIGH },
    decode: decodeFdb,
    typed: (n: NeighbourMessage, names) => toFdbEntry(n, names),
    // A MAC may be in a bridge's table and the port's own, in several VLANs, and a vxlan's at several remotes.
    key: (e: FdbEntry) => `${e.index}|${e.lladdr ?? ''}|${e.vlan ?? ''}|${e.master ?? 'self'}|${e.dst ?? ''}|${e.port ?? ''}|${e.vni ?? ''}|${e.srcVni ?? ''}`,
    same: without(['used', 'updated', 'dev', 'masterName']),
    dump: (rt) => rt.fdb.dump(),
  },
  netconf: {
    groups: [RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF, RTNLGRP_MPLS_NETCONF],
    types: { new: RTM_NEWNETCONF, del: RTM_DELNETCONF },
    decode: decodeNetconf,
    typed: (m: NetconfMessage, names) => toNetconf(m, names),
    key: (n: Netconf) => `${n.family}|${n.index}`,
    same: without(['dev']),
    dump: (rt) => rt.netconf.dump(),
    // A change comes with the one setting that changed. (A renamed link's come again whole: the
    // kernel deletes and makes them anew, so renamed() may type them from the last source alone.)
    merge: mergeNetconf,
  },
  nsid: {
    groups: [RTNLGRP_NSID],
    types: { new: RTM_NEWNSID, del: RTM_DELNSID },
    decode: (m) => {
      const nsid = nsidOf(m);
      return nsid === undefined ? undefined : { nsid };
    },
    typed: (e: NsidEntry) => e,
    key: (e: NsidEntry) => String(e.nsid),
    same: (e: NsidEntry) => String(e.nsid),
    // The names list() finds are left out: a notification carries none.
    dump: async (rt) => (await rt.nsid.list()).map(({ nsid }) => ({ nsid })),
  },
};

export const KEPT = Object.keys(FAMILIES) as KeptFamily[];
/** How the kernel tells each told-only family: the message and group, how it is read, and the event's type. */
export const TOLD: { [F in ToldOnly]: { type: number; group: number; told: ToldAs[F]; read(m: NlMessage, names: Map<number, string>): Item } } = {
  prefix: {
    type: RTM_NEWPREFIX, group: RTNLGRP_IPV6_PREFIX, told: 'new',
    read(m, names) {
      const source = prefixCodec.decode(m.payload);
      return { object: toAdvertisedPrefix(source, names), source };
    },
  },
  stats: {
    type: RTM_NEWSTATS, group: RTNLGRP_STATS, told: 'change',
    read(m, names) {
      const source = statsCodec.decode(m.payload);
      return { object: toLinkStats(source, names), source };
    },
  },
};
export const TOLD_ONLY = Object.keys(TOLD) as ToldOnly[];

export const NAMES: WatchedFamily[] = [...KEPT, ...TOLD_ONLY];
export const isKept = (f: WatchedFamily): f is KeptFamily => !(TOLD_ONLY as WatchedFamily[]).includes(f);

/** masterName and parentName, as list() gives them, from the links the monitor knows. */
export function named(l: Link, link: (index: number) => Link | undefined): Link {
  delete l.stats64;
  const master = l.master === undefined ? undefined : link(l.master)?.name;
  if (master !== undefined) l.masterName = master;
  const parent = l.parent === undefined || l.linkNsid !== undefined ? undefined : link(l.parent)?.name;
  if (parent !== undefined) l.parentName = parent;
  return l;
}

/** A link's name as the monitor now knows it (`names`: its namespace's, by index). */
export function nameSeen(names: Map<number, string>, l: Link, gone: boolean): void {
  if (gone || l.name === undefined) names.delete(l.index);
  else names.set(l.index, l.name);
}

/** What the monitor has told, by family and key: the object, its source, its comparison form once needed. */
export type Known = Map<string, Item & { same?: string }>;

export const knowNothing = (): Map<KeptFamily, Known> => new Map(KEPT.map((f) => [f, new Map()]));

/**
 * A notification of a kept family: its family, whether it says new or gone, its key and object;
 * undefined for a message no family in `watched` (links always: they name the rest) takes. A
 * message that does not decode throws its DecodeError, naming the family.
 */
export function readMessage(
  m: NlMessage, watched: readonly WatchedFamily[], names: Map<number, string>, link: (index: number) => Link | undefined,
): { f: KeptFamily; type: 'new' | 'del'; key: string; item: Item } | undefined {
  for (const f of KEPT) {
    const fam = FAMILIES[f];
    if ((m.header.type !== fam.types.new && m.header.type !== fam.types.del) || (f !== 'link' && !watched.includes(f))) continue;
    const source = readAs(f, () => fam.decode(m));
    if (source === undefined) continue;
    const item = { object: readAs(f, () => fam.typed(source as never, names, link)), source };
    return { f, type: m.header.type === fam.types.new ? 'new' : 'del', key: fam.key(item.object as never), item };
  }
  return undefined;
}

/**
 * A neighbour solicitation asked of user space (RTM_GETNEIGH on the neighbours' group): the
 * neighbour as the kernel tells it; undefined for another family's (the bridge sends none).
 */
function readMiss(m: NlMessage, names: Map<number, string>): Item | undefined {
  const source = decodeNeighbour(m);
  return source && { object: toNeighbour(source, names), source };
}

/**
 * What is told as it comes and kept by no one, by message type: the told-only families'
 * notifications (a prefix, a link's offloaded counters) and a neighbour's miss.
 */
const UNKEPT: Array<{ f: WatchedFamily; type: number; told: ChangeEvent['type']; read(m: NlMessage, names: Map<number, string>): Item | undefined }> = [
  ...TOLD_ONLY.map((f) => ({ f, type: TOLD[f].type, told: TOLD[f].told, read: TOLD[f].read })),
  { f: 'neighbour', type: RTM_GETNEIGH, told: 'miss', read: readMiss },
];

/** Such a notification read, with the event's type; undefined for another message. A DecodeError names the family. */
export function readUnkept(m: NlMessage, names: Map<number, string>): { f: WatchedFamily; type: ChangeEvent['type']; item: Item } | undefined {
  const u = UNKEPT.find((k) => k.type === m.header.type);
  const item = u && readAs(u.f, () => u.read(m, names));
  return item && { f: u.f, type: u.told, item };
}

/** Whether some family reads messages of this type. */
export function isFamilyType(type: number): boolean {
  return KEPT.some((f) => FAMILIES[f].types.new === type || FAMILIES[f].types.del === type) || UNKEPT.some((u) => u.type === type);
}

/** What `read` gives; a DecodeError names the family whose notification did not decode. */
function readAs<T>(f: WatchedFamily, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw e instanceof DecodeError ? new DecodeError(`${f} notification: ${e.message}`) : e;
  }
}

/** The event that tells a change (with the codec's message when `sources`; `nsid`: another namespace's). */
export function eventOf(f: WatchedFamily, type: ChangeEvent['type'], via: ChangeEvent['via'], item: Item, sources: boolean, nsid?: number): ChangeEvent {
  const ev = { type, family: f, via, [f]: item.object } as Record<string, unknown>;
  if (sources) ev.source = item.source;
  if (nsid !== undefined) ev.peerNsid = nsid;
  return ev as unknown as ChangeEvent;
}

/**
 * What is known of a namespace from its notifications alone, nothing dumped: each told against
 * what was heard before it (`new` the first time an object is heard of, which may have been
 * there before, `change` after, `del`), links named from what was heard.
 */
export class Hearing {
  private readonly known = knowNothing();
  private readonly names = new Map<number, string>();
  private readonly linkOf = (index: number): Link | undefined => this.link(index);

  constructor(private readonly watched: readonly WatchedFamily[], private readonly sources: boolean, private readonly nsid?: number) {}

  /** A link as last heard of. */
  link(index: number): Link | undefined {
    return this.known.get('link')?.get(String(index))?.object as Link | undefined; // FAMILIES.link.key
  }

  /** The event a notification tells; undefined for one no watched family takes. Throws a DecodeError for one that does not decode. */
  hear(m: NlMessage): ChangeEvent | undefined {
    const unkept = readUnkept(m, this.names);
    if (unkept) return this.watched.includes(unkept.f) ? eventOf(unkept.f, unkept.type, 'notification', unkept.item, this.sources, this.nsid) : undefined;
    const r = readMessage(m, this.watched, this.names, this.linkOf);
    if (!r) return undefined;
    const of = this.known.get(r.f) as Known;
    const before = of.get(r.key);
    const { merge } = FAMILIES[r.f];
    const item = r.type === 'new' && before && merge ? { ...r.item, object: merge(before.object as never, r.item.object as never) } : r.item;
    if (r.type === 'del') of.delete(r.key);
    else of.set(r.key, item);
    if (r.f === 'link') nameSeen(this.names, item.object as Link, r.type === 'del');
    if (!this.watched.includes(r.f)) return undefined;
    return eventOf(r.f, r.type === 'del' ? 'del' : before ? 'change' : 'new', 'notification', item, this.sources, this.nsid);
  }
}
