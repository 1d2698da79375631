// rtnl.monitor(): links, bridge ports, addresses, routes, rules, nexthop objects, neighbours, FDB entries, netconf settings, namespace ids,
// prefixes heard in router advertisements and links' offloaded counters switched as typed events, on a
// socket of its own that joins the kernel's multicast groups. It keeps what it has told (plus
// the links, for their names), so that it can say `change` rather than `new`, and so that after
// an overflow (ENOBUFS: the kernel dropped notifications) it dumps again and tells the
// differences instead of losing them. docs/events.md describes the model.
import { AF_INET, RTM_DELNSID, RTNLGRP_NSID } from '../../codecs/route/constants.js';
import { NLMSG_NOOP } from '../../codecs/netlink/constants.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import type { Link } from '../../codecs/route/link.js';
import type { RouteMessage } from '../../codecs/route/route.js';
import { nsidOf } from '../api/nsid.js';
import type { Rule } from '../api/rule.js';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname } from 'node:path';
import { NetlinkError, NotFoundError, OverflowError, checkBoolean, checkObject, invalid, optionKeys } from '../errors.js';
import { logger } from '../log.js';
import { describeNetns, netnsFile, type NetnsRef } from '../netns/resolve.js';
import { RtNetlink } from '../rtnetlink.js';
import {
  FAMILIES, Hearing, KEPT, NAMES, TOLD, TOLD_ONLY, eventOf, isKept, knowNothing, nameSeen, readMessage, readUnkept,
  type ChangeEvent, type Item, type KeptFamily, type Known, type Sources, type WatchedFamily,
} from './families.js';
import { asJson, asText } from '../../codecs/netlink/errors.js';

const debug = logger('rtnl:monitor');

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

/**
 * Watches the kernel's changes: `for await (const ev of rtnl.monitor({ link: true, address: true }))`.
 * Iterating keeps the process alive; `break`, close() or the signal stop it and close the socket.
 */
export function monitor(opts: MonitorOptions = {}): Monitor {
  return new Monitor(opts);
}

const OPTION_KEYS = optionKeys<MonitorOptions>()(
  'link', 'bridgePort', 'address', 'route', 'rule', 'nexthop', 'neighbour', 'fdb', 'netconf', 'nsid', 'prefix', 'stats', 'netns',
  'existing', 'sources', 'signal', 'maxQueued', 'receiveBuffer', 'allNsid',
);

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
  private readonly peers = new Map<number, Hearing>();

  constructor(opts: MonitorOptions) {
    checkObject('monitor options', opts, OPTION_KEYS);
    this.watched = NAMES.filter((f) => checkBoolean('monitor options', f, opts[f]) === true);
    if (this.watched.length === 0) throw invalid('monitor options', `nothing to watch: say which of ${NAMES.join(', ')}`);
    this.sources = checkBoolean('monitor options', 'sources', opts.sources) === true;
    const existing = checkBoolean('monitor options', 'existing', opts.existing) === true;
    const max = opts.maxQueued ?? MAX_QUEUED;
    if (!Number.isSafeInteger(max) || max < 1) throw invalid('monitor options', `maxQueued is a whole number from 1, not ${asJson(max)}`);
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
      debug('cannot watch %s: %s', file, asText(e));
    }
  }

  /**
   * A link as the monitor last saw it (links are followed whatever is watched: they name the
   * rest); with `nsid`, as last heard of in that namespace (allNsid).
   */
  link(index: number, nsid?: number): Link | undefined {
    if (nsid !== undefined) return this.peers.get(nsid)?.link(index);
    return this.known.get('link')?.get(String(index))?.object as Link | undefined; // FAMILIES.link.key
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
      this.fail(e instanceof Error ? e : new Error(asText(e)));
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

  /** A notification's family, kind and object (families.ts); undefined for one that does not decode (logged). */
  private read(m: NlMessage): ReturnType<typeof readMessage> {
    try {
      return readMessage(m, this.watched, this.names, this.linkOf);
    } catch (e) {
      // A message this library cannot read: the next dump (after an overflow) will show its object.
      debug('notification %d not decoded: %s', m.header.type, asText(e));
      return undefined;
    }
  }

  /** A notification: its object read, and told. */
  private apply(m: NlMessage, from: 'held' | 'notification'): void {
    if (this.unkept(m)) return;
    const r = this.read(m);
    if (r) this.record(r.f, r.type, r.key, r.item, true, from);
  }

  /**
   * A notification of a told-only family (a prefix, a link's offloaded counters) or a neighbour's
   * miss: told as it comes, and not kept; false for another.
   */
  private unkept(m: NlMessage): boolean {
    try {
      const unkept = readUnkept(m, this.names);
      if (!unkept) return false;
      this.tell(unkept.f, unkept.type, 'notification', unkept.item);
    } catch (e) {
      debug('notification %d not decoded: %s', m.header.type, asText(e));
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
      const fp = (o: Item['object']): string => FAMILIES[f].same(o as never);
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

  /** Tells a change of a watched family. */
  private tell(f: WatchedFamily, type: ChangeEvent['type'], via: ChangeEvent['via'], item: Item): void {
    if (this.watched.includes(f)) this.emit(eventOf(f, type, via, item, this.sources));
  }

  /**
   * A notification from another namespace (allNsid): told as heard, against what was heard there
   * before (families.ts's Hearing). Nothing is dumped there, so a full queue drops it for good.
   */
  private peerHeard(m: NlMessage, nsid: number): void {
    if (this.queue.length >= this.maxQueued) return debug('dropped a notification from nsid %d: the queue is full', nsid);
    let peer = this.peers.get(nsid);
    if (!peer) this.peers.set(nsid, (peer = new Hearing(this.watched, this.sources, nsid)));
    try {
      const ev = peer.hear(m);
      if (ev) this.emit(ev);
    } catch (e) {
      debug('notification %d from nsid %d not decoded: %s', m.header.type, nsid, asText(e));
    }
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
