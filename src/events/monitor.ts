// rtnl.monitor(): links, bridge ports, addresses, routes, rules, nexthop objects, neighbours, FDB entries, netconf settings, namespace ids,
// prefixes heard in router advertisements and links' offloaded counters switched as typed events, on a
// socket of its own that joins the kernel's multicast groups. It keeps what it has told (plus
// the links, for their names), so that it can say `change` rather than `new`, and so that after
// an overflow (ENOBUFS: the kernel dropped notifications) it dumps again and tells the
// differences instead of losing them. docs/events.md describes the model.
import { AF_BRIDGE, AF_INET, RTM_DELADDR, RTM_DELLINK, RTM_DELNEIGH, RTM_DELNETCONF, RTM_DELNEXTHOP, RTM_DELNSID, RTM_DELROUTE, RTM_DELRULE,
  RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNEIGH, RTM_NEWNETCONF, RTM_NEWNEXTHOP, RTM_NEWNSID, RTM_NEWROUTE, RTM_NEWRULE, RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_NETCONF, RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV6_RULE,
  RTNLGRP_LINK, RTNLGRP_MPLS_NETCONF, RTNLGRP_NEIGH, RTNLGRP_NEXTHOP, RTNLGRP_NSID, RTM_NEWPREFIX, RTNLGRP_IPV6_PREFIX, RTM_NEWSTATS,
  RTNLGRP_STATS } from '../../codecs/route/constants.js';
import { NLMSG_NOOP } from '../../codecs/netlink/constants.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { addressCodec, type AddressMessage } from '../../codecs/route/address.js';
import { IFLA_STATS, decodeLink, type Link } from '../../codecs/route/link.js';
import type { NeighbourMessage } from '../../codecs/route/neighbour.js';
import { RTM_F_CLONED, routeCodec, type RouteMessage } from '../../codecs/route/route.js';
import { ruleCodec, type RuleFlag, type RuleMessage } from '../../codecs/route/rule.js';
import { nhCodec, type NhMessage } from '../../codecs/route/nexthop.js';
import { prefixCodec, type PrefixMessage } from '../../codecs/route/prefix.js';
import { statsCodec, type StatsMessage } from '../../codecs/route/stats.js';
import { toAddress, type Address } from '../api/address.js';
import { decodeNeighbour, toNeighbour, type Neighbour } from '../api/neighbour.js';
import { decodeFdb, toFdbEntry, type FdbEntry } from '../api/fdb.js';
import { decodeNetconf, mergeNetconf, toNetconf, type Netconf } from '../api/netconf.js';
import type { NetconfMessage } from '../../codecs/route/netconf.js';
import { nsidOf, type NsidEntry } from '../api/nsid.js';
import { toRoute, type Route } from '../api/route.js';
import { toRule, type Rule } from '../api/rule.js';
import { toNexthopObject, type NexthopObject } from '../api/nexthop.js';
import { toAdvertisedPrefix, type AdvertisedPrefix } from '../api/prefix.js';
import { toLinkStats, type LinkStats } from '../api/stats.js';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname } from 'node:path';
import { NetlinkError, NotFoundError, OverflowError, checkBoolean, checkObject, invalid } from '../errors.js';
import { logger } from '../log.js';
import { describeNetns, netnsFile, type NetnsRef } from '../netns/resolve.js';
import { RtNetlink } from '../rtnetlink.js';

const debug = logger('rtnl:monitor');

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
type ToldOnly = 'prefix' | 'stats';
type ToldAs = { prefix: 'new'; stats: 'change' };
/** What the monitor keeps, and dumps again to tell what it missed. */
type KeptFamily = Exclude<WatchedFamily, ToldOnly>;

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

/**
 * A change, narrowed by `family` to its object (the very shape list() gives): `new` for an object
 * not known before, `change` for one known, `del` for one gone.
 */
export type ChangeEvent = {
  [F in WatchedFamily]: {
    type: F extends ToldOnly ? ToldAs[F] : 'new' | 'change' | 'del';
    family: F;
    /**
     * 'notification': the kernel said so. 'dump': found by dumping again, after an overflow or
     * where the kernel says nothing (the IPv4 routes of a link that went down or away).
     */
    via: F extends ToldOnly ? 'notification' : 'notification' | 'dump';
    source?: Sources[F];
    /**
     * For a change in another namespace (`allNsid`): the id the watched namespace gives that peer.
     * Its `new`, `change` and `del` are of what the monitor has heard of there (see allNsid).
     */
    peerNsid?: number;
  } & { [K in F]: Watchable[F] };
}[WatchedFamily];

/**
 * `synced`: every object that exists has been told. After `existing: true` (reason
 * 'existing'), and after an overflow (reason 'overflow'): the monitor dumped again and told the
 * differences (new, change, del) from what it had told before; what a consumer built from the
 * events equals the kernel's state at that point.
 */
export interface SyncedEvent {
  type: 'synced';
  /** After the existing objects; after the socket overflowed; after the consumer fell `maxQueued` behind. */
  reason: 'existing' | 'overflow' | 'backlog';
  /** None: so that `ev.family === 'link'` narrows any event. */
  family?: undefined;
  /** None: it speaks for the watched namespace only. */
  peerNsid?: undefined;
}

export type MonitorEvent = ChangeEvent | SyncedEvent;

export interface MonitorOptions {
  link?: boolean;
  /** Bridge ports as their bridges tell them (joined, left, their state), as `rt.link.ports()` gives them. */
  bridgePort?: boolean;
  address?: boolean;
  route?: boolean;
  /** Routing policy rules, as `rt.rule.list()` gives them. */
  rule?: boolean;
  /** Nexthop objects, as `rt.nexthop.list()` gives them. */
  nexthop?: boolean;
  neighbour?: boolean;
  /** Forwarding database entries (a bridge's, a vxlan's, a link's own), as `rt.fdb.list()` gives them. */
  fdb?: boolean;
  /**
   * Each link's forwarding, rp_filter... and `all`'s and `default`'s, as `rt.netconf.list()` gives
   * them. The kernel tells a change with the setting that changed only; the event's object has
   * every setting, its `source` what the kernel said.
   */
  netconf?: boolean;
  nsid?: boolean;
  /**
   * The prefixes of IPv6 router advertisements' Prefix Information options, as the kernel takes
   * them in: each a `new` event as it comes (the kernel keeps no list of them: none is told as
   * existing, none deleted, and one lost in an overflow is not found again).
   */
  prefix?: boolean;
  /**
   * A link's offloaded counters switched on or off (`rt.stats.set()`), or given or no longer given
   * by its hardware: each a `change` event as it comes, its `stats` the link's `offload.hwStatsInfo`
   * (what the kernel says then) as `rt.stats.get()` gives it. The kernel keeps no list of these
   * changes: none is told as existing, and one lost in an overflow is not found again.
   */
  stats?: boolean;
  /** Start with every existing object as a `new` event, then `synced`, then the live changes. */
  existing?: boolean;
  /**
   * Also the watched families' changes in every namespace the watched one gives an id (`ip
   * netns set`), as `ip monitor all-nsid`, each event with that `peerNsid`. Those are told as heard,
   * never dumped: `new` the first time the monitor hears of an object (which may have been there
   * before), `change` after, `del`; links are named from what was heard there. What an overflow or
   * a lagging consumer loses there is lost (`synced` speaks for the watched namespace only).
   */
  allNsid?: boolean;
  /** The namespace to watch (a name under /run/netns, a path, or an fd). Default: the caller's. */
  netns?: NetnsRef;
  /** Stops the monitor, as close() does. */
  signal?: AbortSignal;
  /** The socket's receive buffer in bytes (default the client's, 4 MiB); smaller overflows sooner. */
  receiveBuffer?: number;
  /** Give each change event its `source` too: the codec's message, as `rt.address.dump()` gives them. */
  sources?: boolean;
  /**
   * The most events held for a consumer that lags (default 10,000). Beyond it notifications are
   * read and dropped; once the consumer has taken half of what is held, the monitor dumps and
   * tells the differences, then `synced` with reason 'backlog': memory stays bounded, state is
   * never lost.
   */
  maxQueued?: number;
}

const MAX_QUEUED = 10_000;

/** One object as the monitor holds it: the typed form, and the codec's message it came from. */
interface Item { object: Watchable[WatchedFamily]; source: Sources[WatchedFamily] }

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

const FAMILIES: Record<KeptFamily, Family> = {
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

const KEPT = Object.keys(FAMILIES) as KeptFamily[];
/** How the kernel tells each told-only family: the message and group, how it is read, and the event's type. */
const TOLD: { [F in ToldOnly]: { type: number; group: number; told: ToldAs[F]; read(m: NlMessage, names: Map<number, string>): Item } } = {
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
const TOLD_ONLY = Object.keys(TOLD) as ToldOnly[];

const NAMES: WatchedFamily[] = [...KEPT, ...TOLD_ONLY];
const isKept = (f: WatchedFamily): f is KeptFamily => !(TOLD_ONLY as WatchedFamily[]).includes(f);

/**
 * What the kernel changes without a word, dumped again quietly when it may have: the IPv4 routes
 * of every table (dropped with a link that goes down or away, or with the nexthop object they
 * name), the rules (a goto rule's target coming or going makes it resolved or `unresolved`),
 * and the nexthop objects (dropped with a link that goes down or away, and out of their groups).
 * `of`: the part of the family the dump covers.
 */
const RECHECKS = {
  route: { dump: (rt: RtNetlink): Promise<RouteMessage[]> => rt.route.dump({ table: 0, family: AF_INET }), of: (o: Item['object']): boolean => 'table' in o && o.family === 'inet' },
  rule: { dump: FAMILIES.rule.dump, of: undefined },
  nexthop: { dump: FAMILIES.nexthop.dump, of: undefined },
};
type Recheck = keyof typeof RECHECKS;

/** masterName and parentName, as list() gives them, from the links the monitor knows. */
function named(l: Link, link: (index: number) => Link | undefined): Link {
  delete l.stats64;
  const master = l.master === undefined ? undefined : link(l.master)?.name;
  if (master !== undefined) l.masterName = master;
  const parent = l.parent === undefined || l.linkNsid !== undefined ? undefined : link(l.parent)?.name;
  if (parent !== undefined) l.parentName = parent;
  return l;
}

/** A link's name as the monitor now knows it (`names`: its namespace's, by index). */
function nameSeen(names: Map<number, string>, l: Link, gone: boolean): void {
  if (gone || l.name === undefined) names.delete(l.index);
  else names.set(l.index, l.name);
}

/** What the monitor has told, by family and key: the object, its source, its comparison form once needed. */
type Known = Map<string, Item & { same?: string }>;

/** What the monitor has heard of another namespace (allNsid), and the names of its links. */
interface Peer { known: Map<KeptFamily, Known>; names: Map<number, string> }
const knowNothing = (): Map<KeptFamily, Known> => new Map(KEPT.map((f) => [f, new Map()]));

/**
 * Watches the kernel's changes: `for await (const ev of rtnl.monitor({ link: true, address: true }))`.
 * Iterating keeps the process alive; `break`, close() or the signal stop it and close the socket.
 */
export function monitor(opts: MonitorOptions = {}): Monitor {
  return new Monitor(opts);
}

export class Monitor implements AsyncIterableIterator<MonitorEvent> {
  private readonly rt: RtNetlink;
  private readonly watched: WatchedFamily[];
  /** What is dumped, links first (they name the rest): the kept families watched, and the links always. */
  private readonly kept: KeptFamily[];
  /** What was told, by family; links always (watched or not: they name the links of the rest). */
  private readonly known = knowNothing();
  /** Link names by index, from `known`, in the form toAddress, toRoute and toNeighbour take. */
  private readonly names = new Map<number, string>();
  private readonly signal?: AbortSignal;
  private readonly linkOf = (index: number): Link | undefined => this.link(index);
  private readonly queue: MonitorEvent[] = [];
  private readonly maxQueued: number;
  /** Notifications were dropped for a full queue: a resync is due once the consumer catches up. */
  private lagging = false;
  private wake?: () => void;
  private failure?: Error;
  private closed = false;
  /** Notifications that came during a dump: applied after it, those it already showed dropped. */
  private held: NlMessage[] | undefined;
  private syncing = false;
  /** What the silent first dump took in: a notification of one of them, held meanwhile, says `new`. */
  private readonly madeSilently = new Set<string>();
  private resyncAgain = false;
  /** Found while syncing: what the kernel may have changed without a word (a link went down: its IPv4 routes). */
  private readonly stale = new Set<Recheck>();
  private readonly onAbort = (): void => this.close();
  private readonly sources: boolean;
  /** Watches the namespace's file (a named one): deleted, the monitor ends rather than keep it alive. */
  private nsWatcher?: FSWatcher;
  /** The other namespaces heard of, by nsid (allNsid). */
  private readonly peers = new Map<number, Peer>();

  constructor(opts: MonitorOptions) {
    checkObject('monitor options', opts);
    this.watched = NAMES.filter((f) => checkBoolean('monitor options', f, opts[f]) === true);
    if (this.watched.length === 0) throw invalid('monitor options', `nothing to watch: say which of ${NAMES.join(', ')}`);
    this.sources = checkBoolean('monitor options', 'sources', opts.sources) === true;
    const existing = checkBoolean('monitor options', 'existing', opts.existing) === true;
    const max = opts.maxQueued ?? MAX_QUEUED;
    if (!Number.isSafeInteger(max) || max < 1) throw invalid('monitor options', `maxQueued is a whole number from 1, not ${JSON.stringify(max)}`);
    this.maxQueued = max;
    if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) throw invalid('monitor options', 'signal is an AbortSignal');
    this.kept = ['link', ...this.watched.filter(isKept).filter((f) => f !== 'link')];
    const allNsid = checkBoolean('monitor options', 'allNsid', opts.allNsid) === true;
    // With allNsid, the ids given and taken back: a peer's id may later name another namespace.
    const told = TOLD_ONLY.filter((f) => this.watched.includes(f)).map((f) => TOLD[f].group);
    const groups = [...new Set([...this.kept.flatMap((f) => FAMILIES[f].groups), ...told,
      ...(allNsid ? [RTNLGRP_NSID] : [])])];
    this.rt = RtNetlink.openSync({ netns: opts.netns, groups, receiveBuffer: opts.receiveBuffer, allNsid });
    this.rt.client.keepAlive(true);
    this.rt.client.onNotification((m, nsid) => (nsid === undefined ? this.notified(m) : this.peerHeard(m, nsid)));
    this.rt.client.onError((e) => this.socketError(e));
    if (typeof opts.netns === 'string') this.watchNetns(opts.netns);
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (opts.signal?.aborted) this.close();
    this.signal = opts.signal;
    void this.sync(existing ? 'existing' : undefined);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<MonitorEvent, undefined>> {
    for (;;) {
      const ev = this.queue.shift();
      if (this.lagging && this.queue.length <= this.maxQueued / 2) {
        this.lagging = false;
        void this.sync('backlog');
      }
      if (ev) return { value: ev, done: false };
      if (this.failure) {
        const e = this.failure;
        this.failure = undefined;
        this.close();
        throw e;
      }
      if (this.closed) return { value: undefined, done: true };
      await new Promise<void>((r) => { this.wake = r; });
      this.wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<MonitorEvent, undefined>> {
    this.close();
    return { value: undefined, done: true };
  }

  /** Stops watching and closes the socket; a waiting next() ends the iteration. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.release();
    this.wake?.();
  }

  private release(): void {
    this.nsWatcher?.close();
    this.rt.close();
  }

  /** Ends the iteration with `e` once the events before it are taken. */
  private fail(e: Error): void {
    if (this.closed || this.failure) return;
    this.failure = e;
    this.release();
    this.wake?.();
  }

  /**
   * A namespace is deleted (`ip netns del`) by removing its name; it lives on while a socket in
   * it is open, with whatever links are in it. The monitor's socket would be such: when the name
   * goes, the monitor ends with a NotFoundError and lets the namespace go.
   */
  private watchNetns(ref: string): void {
    const file = netnsFile(ref);
    if (file.startsWith('/proc/')) return; // inotify says nothing there
    try {
      this.nsWatcher = watch(dirname(file), (_type, name) => {
        if (name !== basename(file) || existsSync(file)) return;
        this.fail(new NotFoundError({ errno: constants.errno.ENOENT, subject: describeNetns(ref), text: 'deleted while monitored: the monitor ends (its socket would keep the namespace alive)' }));
      });
      this.nsWatcher.unref();
    } catch (e) {
      debug('cannot watch %s: %s', file, String(e));
    }
  }

  /**
   * A link as the monitor last saw it (links are followed whatever is watched: they name the
   * rest); with `nsid`, as last heard of in that namespace (allNsid).
   */
  link(index: number, nsid?: number): Link | undefined {
    const known = nsid === undefined ? this.known : this.peers.get(nsid)?.known;
    return known?.get('link')?.get(String(index))?.object as Link | undefined; // FAMILIES.link.key
  }

  private emit(ev: MonitorEvent): void {
    if (this.closed) return;
    this.queue.push(ev);
    this.wake?.();
  }

  private notified(m: NlMessage): void {
    if (m.header.type === RTM_DELNSID) this.forgetPeer(m);
    if (this.held) this.held.push(m);
    else if (this.lagging || this.queue.length >= this.maxQueued) this.lagging = true; // told by the resync
    else this.apply(m, 'notification');
  }

  /** An overflow lost notifications: dump again and tell the differences. */
  private socketError(e: NetlinkError): void {
    if (!(e instanceof OverflowError) || this.closed) return;
    debug('overflow: resync');
    void this.sync('overflow');
  }

  /**
   * Dumps the links (always: they name the rest) and every watched family, and compares with
   * what was told: `new`, `change` and `del` for the differences, silently at the start unless
   * `existing`. Notifications meanwhile are held, then applied, dropping what the dump showed.
   * `quiet` is a re-dump of what the kernel may have changed without a word (RECHECKS); nothing
   * was lost, so what came before it is told as it came.
   */
  private async sync(reason: SyncedEvent['reason'] | undefined, quiet: Recheck[] = []): Promise<void> {
    if (this.syncing) {
      // A dump is under way: it goes round once more, for what is stale or for everything.
      for (const q of quiet) this.stale.add(q);
      if (quiet.length === 0) this.resyncAgain = true;
      return;
    }
    this.syncing = true;
    // Silent only the first time round at the start without `existing`: later rounds tell what differs.
    let tell = reason !== undefined || quiet.length > 0;
    try {
      for (;;) {
        this.held = [];
        this.resyncAgain = false;
        this.stale.clear();
        // Silent at the start: every notification since the groups were joined is told after the
        // dump, as it came, and an object the silent dump took in that one of them made is `new`.
        const silent = !tell;
        const families: KeptFamily[] = quiet.length > 0 ? quiet : this.kept;
        await this.barrier(silent ? 'keep' : quiet.length > 0 ? 'tell' : 'drop', families);
        const dumps: Array<Array<Sources[WatchedFamily]>> = [];
        for (const f of families) dumps.push(await (quiet.length > 0 ? RECHECKS[f as Recheck] : FAMILIES[f]).dump(this.rt));
        if (this.closed) return;
        const held = this.held;
        this.held = undefined;
        // A re-dump lost nothing: what the kernel told meanwhile is newer than the dump or as new,
        // and told as it came, in its order (the dump may have run after a change it told first).
        const spoken = quiet.length > 0 ? this.spokenOf(held) : undefined;
        // In order, links first: they name the links of the rest.
        families.forEach((f, i) => this.reconcile(f, dumps[i], tell, quiet.length > 0 ? RECHECKS[f as Recheck].of : undefined, spoken?.get(f)));
        // What the dumps showed is compared with them ('held'); the rest is told as it came.
        const dumped = new Set(families.flatMap((f) => [FAMILIES[f].types.new, FAMILIES[f].types.del]));
        for (const m of held) this.apply(m, !silent && !spoken && dumped.has(m.header.type) ? 'held' : 'notification');
        this.madeSilently.clear();
        // Another overflow meanwhile, or links that went down in what was held: once more.
        if (!this.resyncAgain && this.stale.size === 0) break;
        quiet = this.resyncAgain ? [] : [...this.stale];
        tell = true;
      }
      if (reason !== undefined) this.emit({ type: 'synced', reason });
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.syncing = false;
    }
  }

  /**
   * Waits until what the socket had queued has been read: the kernel answers a NLMSG_NOOP (an
   * ack) after the notifications queued before it. Those are then kept for after the dumps (the
   * silent start), told now, in order (nothing was lost), or, after an overflow, those of the
   * families about to be dumped dropped: they are the stale part, from before the loss, and
   * replayed after the dump they would undo what it shows.
   */
  private async barrier(queued: 'keep' | 'tell' | 'drop', dumped: KeptFamily[]): Promise<void> {
    await this.rt.client.request({ type: NLMSG_NOOP, name: 'NLMSG_NOOP', idempotent: true, body: () => undefined });
    if (queued === 'keep') return;
    const before = this.held ?? [];
    this.held = [];
    if (queued === 'tell') for (const m of before) this.apply(m, 'notification');
    else {
      const types = new Set(dumped.flatMap((f) => [FAMILIES[f].types.new, FAMILIES[f].types.del]));
      this.held = before.filter((m) => !types.has(m.header.type));
    }
  }

  /**
   * The differences between a fresh dump of family `f` and what was known of it (of what `of`
   * says the dump covers, when it covers part of the family).
   */
  private reconcile(f: KeptFamily, sources: Array<Sources[WatchedFamily]>, tell: boolean, of?: (o: Item['object']) => boolean, spoken?: Set<string>): void {
    const fam = FAMILIES[f];
    const known = this.known.get(f) as Known;
    const seen = new Set<string>(spoken); // those spoken of are left to their notifications
    for (const source of sources) {
      const object = fam.typed(source as never, this.names, this.linkOf);
      const key = fam.key(object as never);
      if (seen.has(key)) continue;
      seen.add(key);
      this.record(f, 'new', key, { object, source }, tell, 'dump');
    }
    for (const [key, item] of known) if (!seen.has(key) && (!of || of(item.object))) this.record(f, 'del', key, item, tell, 'dump');
  }

  /**
   * The keys of the objects the notifications `held` speak of, by family. They are read again
   * when applied: each is named then, after the links told before it.
   */
  private spokenOf(held: NlMessage[]): Map<KeptFamily, Set<string>> {
    const keys = new Map<KeptFamily, Set<string>>();
    for (const m of held) {
      const r = this.read(m);
      if (!r) continue;
      let of = keys.get(r.f);
      if (!of) keys.set(r.f, (of = new Set()));
      of.add(r.key);
    }
    return keys;
  }

  /**
   * A notification's family, kind and object. Neighbours and FDB entries share their messages
   * (and group): the family is the one whose decoder takes it. Undefined for one no family
   * followed takes, or that does not decode.
   */
  private read(m: NlMessage, names = this.names, link = this.linkOf): { f: KeptFamily; type: 'new' | 'del'; key: string; item: Item } | undefined {
    for (const f of KEPT) {
      const fam = FAMILIES[f];
      if ((m.header.type !== fam.types.new && m.header.type !== fam.types.del) || (f !== 'link' && !this.watched.includes(f))) continue;
      let item: Item;
      try {
        const source = fam.decode(m);
        if (source === undefined) continue;
        item = { object: fam.typed(source as never, names, link), source };
      } catch (e) {
        // A message this library cannot read: the next dump (after an overflow) will show its object.
        debug('notification %d not decoded: %s', m.header.type, String(e));
        return undefined;
      }
      return { f, type: m.header.type === fam.types.new ? 'new' : 'del', key: fam.key(item.object as never), item };
    }
    return undefined;
  }

  /** A notification: its object read, and told. */
  private apply(m: NlMessage, from: 'held' | 'notification'): void {
    if (this.toldOnly(m)) return;
    const r = this.read(m);
    if (r) this.record(r.f, r.type, r.key, r.item, true, from);
  }

  /** A notification of a told-only family (a prefix, a link's offloaded counters): told as it comes, and not kept; false for another. */
  private toldOnly(m: NlMessage, names = this.names, nsid?: number): boolean {
    const f = TOLD_ONLY.find((k) => TOLD[k].type === m.header.type);
    if (f === undefined) return false;
    try {
      this.tell(f, TOLD[f].told, 'notification', TOLD[f].read(m, names), nsid);
    } catch (e) {
      debug('%s notification not decoded: %s', f, String(e));
    }
    return true;
  }

  /**
   * Updates what is known of one object and tells it when watched and told: `new` or `change`
   * for one present, `del` for one gone (an unknown one's `del` says nothing). From a dump, and
   * for notifications held during one, nothing is told when nothing changed.
   */
  private record(f: KeptFamily, type: 'new' | 'del', key: string, item: Item, tell: boolean, from: 'dump' | 'held' | 'notification'): void {
    const known = this.known.get(f) as Known;
    const before = known.get(key);
    let told: ChangeEvent['type'];
    if (type === 'del') {
      // The kernel may announce the end of what it never announced (a tentative IPv6 address):
      // told; but a dump's news of the same deletion was told already.
      if (!before && from !== 'notification') return;
      known.delete(key);
      told = 'del';
    } else {
      const { merge } = FAMILIES[f];
      if (before && merge && from !== 'dump') item = { ...item, object: merge(before.object as never, item.object as never) };
      // Compared only for what a dump shows (a notification is told as it comes): the JSON that
      // comparison takes is the dearest part of an event.
      const fp = (o: Watchable[WatchedFamily]): string => FAMILIES[f].same(o as never);
      if (from === 'notification') known.set(key, item);
      else {
        const same = fp(item.object);
        if (before && (before.same ??= fp(before.object)) === same) return;
        known.set(key, { ...item, same });
      }
      told = before && !this.madeSilently.delete(`${f}|${key}`) ? 'change' : 'new';
      if (!before && !tell) this.madeSilently.add(`${f}|${key}`);
    }
    if (f === 'link') this.linkSeen(item.object as Link, before?.object as Link | undefined, type === 'del');
    if (f === 'rule' && from !== 'dump') this.ruleSeen(item.object as Rule);
    if (f === 'nexthop' && told === 'del' && from !== 'dump') this.nexthopGone();
    if (tell) this.tell(f, told, from === 'dump' ? 'dump' : 'notification', item);
  }

  /** Tells a change of a watched family (in the namespace of that id, when another's). */
  private tell(f: WatchedFamily, type: ChangeEvent['type'], via: ChangeEvent['via'], item: Item, nsid?: number): void {
    if (!this.watched.includes(f)) return;
    const ev = { type, family: f, via, [f]: item.object } as Record<string, unknown>;
    if (this.sources) ev.source = item.source;
    if (nsid !== undefined) ev.peerNsid = nsid;
    this.emit(ev as unknown as ChangeEvent);
  }

  /**
   * A notification from another namespace (allNsid): told as heard, against what was heard there
   * before. Nothing is dumped there, so a full queue drops it for good.
   */
  private peerHeard(m: NlMessage, nsid: number): void {
    if (this.queue.length >= this.maxQueued) return debug('dropped a notification from nsid %d: the queue is full', nsid);
    let peer = this.peers.get(nsid);
    if (!peer) this.peers.set(nsid, (peer = { known: knowNothing(), names: new Map() }));
    const { known, names } = peer;
    if (this.toldOnly(m, names, nsid)) return;
    const r = this.read(m, names, (i) => this.link(i, nsid));
    if (!r) return;
    const of = known.get(r.f) as Known;
    const before = of.get(r.key);
    const { merge } = FAMILIES[r.f];
    const item = r.type === 'new' && before && merge ? { ...r.item, object: merge(before.object as never, r.item.object as never) } : r.item;
    if (r.type === 'del') of.delete(r.key);
    else of.set(r.key, item);
    if (r.f === 'link') nameSeen(names, item.object as Link, r.type === 'del');
    this.tell(r.f, r.type === 'del' ? 'del' : before ? 'change' : 'new', 'notification', item, nsid);
  }

  /** An id taken back: what was heard under it is forgotten (the id may come to name another namespace). */
  private forgetPeer(m: NlMessage): void {
    const nsid = nsidOf(m);
    if (nsid !== undefined) this.peers.delete(nsid);
  }

  /**
   * The kernel removes the IPv4 routes and the nexthop objects of a link that goes down or away
   * without a word (no RTM_DELROUTE, no RTM_DELNEXTHOP): when one does, they are dumped again and
   * the difference told.
   */
  private linkSeen(l: Link, before: Link | undefined, gone: boolean): void {
    const wasUp = before?.flags.includes('up') === true;
    if (wasUp && (gone || !l.flags.includes('up'))) {
      if (this.watched.includes('route')) this.recheck('route');
      // Its nexthop objects go too, and out of their groups, without a word.
      if (this.watched.includes('nexthop')) this.recheck('nexthop');
    }
    nameSeen(this.names, l, gone);
    if (before && !gone && before.name !== l.name) this.renamed();
  }

  /** Dumps `what` again quietly, after the notifications the kernel queued with this one: only what it kept quiet about differs. */
  private recheck(what: Recheck): void {
    if (this.syncing) this.stale.add(what);
    else setImmediate(() => void this.sync(undefined, [what]));
  }

  /**
   * A rule came or went: the kernel resolves the goto rules aimed at its priority, or leaves them
   * `unresolved`, and tells neither.
   */
  private ruleSeen(r: Rule): void {
    for (const { object } of (this.known.get('rule') as Known).values()) {
      const other = object as Rule;
      if (other.action === 'goto' && other.goto === r.priority && other.family === r.family) return this.recheck('rule');
    }
  }

  /** A nexthop object was deleted: the IPv4 routes that named it go without a word (IPv6's, and its groups' change, are told). */
  private nexthopGone(): void {
    if (this.watched.includes('route')) this.recheck('route');
  }

  /**
   * A link was renamed: what is known of the other families names links afresh, so that what a
   * dump later finds gone is told with the names of now (their comparisons leave names out).
   */
  private renamed(): void {
    for (const f of KEPT) {
      if (f === 'link') continue;
      for (const item of (this.known.get(f) as Known).values()) item.object = FAMILIES[f].typed(item.source as never, this.names, this.linkOf);
    }
  }
}
