// The high-level Macvlan class: what the seeds do in six `ip` commands, in one call that
// either does all of it or leaves nothing behind, and the objects to inspect and change after.
import { logger } from './log.js';
import { statSync } from 'node:fs';
import { constants } from 'node:os';
import type { Link } from '../codecs/route/link.js';
import type { MacvlanData } from '../codecs/route/link-kinds/macvlan.js';
import { MACVLAN_MODES, type MacvlanFlag, type MacvlanMode } from '../codecs/route/link-kinds/macvlan.js';
import { parseAddress, parsePrefix } from './api/inet.js';
import { AF_INET } from '../codecs/route/constants.js';
import { LinkApi } from './api/link.js';
import { checkLinkName, type MacaddrChange, type MacvlanOptions } from './api/link-options.js';
import type { LinkRef } from './api/session.js';
import { ROUTE_SPEC_KEYS, type RouteSpec } from './api/route.js';
import type { Session } from './api/session.js';
import type { AddressOptions } from './api/address.js';
import { InvalidArgumentError, NetlinkError, NotFoundError, TimeoutError, checkObject, errorFor, invalid, optionKeys } from './errors.js';
import { monitor } from './events/monitor.js';
import { NetNS } from './netns/netns.js';
import { describeNetns, netnsFile, type NetnsRef } from './netns/resolve.js';
import { RtNetlink } from './rtnetlink.js';
import { asJson, asText } from '../codecs/netlink/errors.js';

const debug = logger('rtnl:macvlan');

export interface MacvlanCreateOptions {
  /** 'macvtap' makes a macvtap (a macvlan with a tap character device); default 'macvlan'. */
  kind?: MacvlanKind;
  /** The lower device, by name or index, in `parentNetns`. */
  parent: LinkRef;
  /** Where the parent is. Default: the caller's namespace. */
  parentNetns?: NetnsRef;
  name: string;
  /** Default: the kernel's, vepa. */
  mode?: MacvlanMode;
  /** Where the macvlan goes: made there under a temporary name, then renamed. Default: the parent's. */
  netns?: NetnsRef;
  /** Its MAC (default: a random one from the kernel). Keep it stable across re-creations: upstream ARP caches remember it. */
  address?: string;
  mtu?: number;
  flags?: MacvlanFlag[];
  bcqueuelen?: number;
  /** Above this many macvlans on the parent, broadcast is queued (kernel >= 6.4). */
  bcCutoff?: number;
  /** Source mode: the MACs whose frames it receives. */
  sourceMacs?: string[];
  /** `192.0.2.101/24`, `2001:db8::101/64`... */
  addresses?: string[];
  /** Default route via this gateway (needs `up`). */
  gateway?: string;
  /** More routes, as rt.route.add takes them; `dev` defaults to the macvlan (`ip route add PREFIX dev NAME`). */
  routes?: Array<Omit<RouteSpec, 'dev'> & { dev?: LinkRef }>;
  /** Announce the MAC with gratuitous ARP when it comes up or changes (net.ipv4.conf.NAME.arp_notify). */
  arpNotify?: boolean;
  /** Default true. */
  up?: boolean;
  /** IPv4 addresses get their subnet's broadcast address (`ip address add ... brd +`). */
  broadcast?: boolean;
  /** Transmit queue length (the kernel's default for a macvlan is 1000). */
  txqlen?: number;
}

export interface HostShimOptions {
  parent: LinkRef;
  parentNetns?: NetnsRef;
  /** Default `${parent}-shim` when it fits, else `shim`. */
  name?: string;
  /** The host's own address on the shim, e.g. `192.0.2.3/32`. */
  address: string;
  /** The children's addresses or prefixes, routed through the shim rather than the parent. */
  routes: string[];
  mac?: string;
}

/** The two kinds that share the macvlan driver. */
export type MacvlanKind = 'macvlan' | 'macvtap';

export interface MacvlanFilter {
  /** Default 'macvlan'. */
  kind?: MacvlanKind;
  /** Only the children of this parent (by name or index, in `parentNetns`). */
  parent?: LinkRef;
  parentNetns?: NetnsRef;
  /**
   * Where to look. Default: the caller's namespace, or, with `parent`, the parent's namespace
   * and every named one (children are usually moved away from their parent).
   */
  netns?: NetnsRef;
}

/** The parent as seen from a child: always its index; its name and namespace when they can be found. */
export interface MacvlanParent {
  index: number;
  name?: string;
  /** undefined: the caller's namespace (or unknown, when `name` is missing too). */
  netns?: NetnsRef;
}

export interface MacvlanJSON {
  kind: MacvlanKind;
  name: string;
  index: number;
  netns: NetnsRef | null;
  parent: MacvlanParent;
  mode: MacvlanMode | number;
  flags: Array<MacvlanFlag | number>;
  mac: string | null;
  mtu: number | null;
  bcqueuelen: number | null;
  sourceMacs: string[];
  addresses: string[];
  up: boolean;
}

const PASSTHRU_HINT = 'the kernel moves no macvlan into or out of passthru mode: delete it and create it again in the mode wanted';
const CREATE_HINT = 'the kernel gave no reason; it says so when a passthru macvlan would not be the only macvlan on its parent';
const SOURCE_HINT = 'source MACs apply in source mode only';

/** Runs `fn` with a socket in `netns` (the caller's when undefined), closed after. */
async function withRt<T>(netns: NetnsRef | undefined, fn: (rt: RtNetlink) => Promise<T>): Promise<T> {
  const rt = await RtNetlink.open(netns === undefined ? {} : { netns });
  try {
    return await fn(rt);
  } finally {
    rt.close();
  }
}

/**
 * `outside`, but with `inside` lent for `netns`: rt.link.add then renames and reads the new link
 * through the socket the caller opened there, so that create() uses one socket per namespace.
 */
function lending(outside: RtNetlink, netns: NetnsRef, inside: RtNetlink): Session {
  return {
    client: outside.client,
    linkIndex: (ref) => outside.linkIndex(ref),
    linkNames: (indexes) => outside.linkNames(indexes),
    inNetns: (ns, fn) => (ns === netns ? fn(inside) : outside.inNetns(ns, fn)),
  };
}

/** The same kernel error, its subject moved into the text and a new subject in front (and a hint, if any). */
function restate(e: unknown, subject: string, hint?: string): unknown {
  if (!(e instanceof NetlinkError)) return e;
  const inner = e.subject ? `${e.subject}: ${e.text}` : e.text;
  const { errno, kernelMessage, offset, request } = e;
  return errorFor({ errno, kernelMessage, offset, request, subject, text: hint ? `${inner} (${hint})` : inner, cause: e });
}

/** The broadcast address of an IPv4 prefix shorter than /31 (its last address); none otherwise. */
function broadcastOf(cidr: string): string | undefined {
  const p = parsePrefix(cidr, 'address');
  if (p.family !== AF_INET || p.prefixlen >= 31) return undefined;
  const n = p.address.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const host = 2 ** (32 - p.prefixlen) - 1;
  const b = (n - (n % (host + 1))) + host;
  return [24, 16, 8, 0].map((s) => Math.floor(b / 2 ** s) % 256).join('.');
}

/** Identity of a namespace (device and inode of its nsfs file), to tell whether two references are one. */
function netnsKey(ref: NetnsRef | undefined): string {
  const s = statSync(ref === undefined ? '/proc/thread-self/ns/net' : typeof ref === 'number' ? `/proc/self/fd/${ref}` : netnsFile(ref));
  return `${s.dev}:${s.ino}`;
}

function checkMode(subject: string, mode: unknown): void {
  if (mode !== undefined && !(typeof mode === 'string' && Object.hasOwn(MACVLAN_MODES, mode))) {
    throw invalid(subject, `unknown macvlan mode "${asText(mode)}" (known: ${Object.keys(MACVLAN_MODES).join(', ')})`);
  }
}

const CREATE_KEYS = optionKeys<MacvlanCreateOptions>()(
  'kind', 'parent', 'parentNetns', 'name', 'mode', 'netns', 'address', 'mtu', 'flags', 'bcqueuelen', 'bcCutoff', 'sourceMacs', 'addresses', 'gateway',
  'routes', 'arpNotify', 'up', 'broadcast', 'txqlen',
);
const SHIM_KEYS = optionKeys<HostShimOptions>()('parent', 'parentNetns', 'name', 'address', 'routes', 'mac');
const FILTER_KEYS = optionKeys<MacvlanFilter>()('kind', 'parent', 'parentNetns', 'netns');
const GET_KEYS = optionKeys<{ netns?: NetnsRef }>()('netns');
const WAIT_KEYS = optionKeys<{ timeout?: number; signal?: AbortSignal }>()('timeout', 'signal');
const SET_MAC_KEYS = optionKeys<{ arpNotify?: boolean }>()('arpNotify');

/** Everything that can be refused before the kernel is asked, refused before anything is made. */
function checkCreate(o: MacvlanCreateOptions, subject: string): void {
  checkObject('Macvlan.create', o, CREATE_KEYS);
  checkLinkName(o.name);
  if (o.kind !== undefined && o.kind !== 'macvlan' && o.kind !== 'macvtap') throw invalid(subject, `kind is macvlan or macvtap, not ${asText(o.kind)}`);
  if (o.parent === undefined) throw invalid(subject, 'a macvlan needs a parent device');
  checkMode(subject, o.mode);
  if (o.addresses !== undefined && !Array.isArray(o.addresses)) throw invalid(subject, `addresses is an array of prefixes ("192.0.2.5/24"), not ${asJson(o.addresses)}`);
  for (const cidr of o.addresses ?? []) parsePrefix(cidr, `${subject}: address`);
  if (o.routes !== undefined && !Array.isArray(o.routes)) throw invalid(subject, 'routes is an array of route specs ({ dst, gateway... })');
  for (const r of o.routes ?? []) checkObject(`${subject}: route`, r, ROUTE_SPEC_KEYS);
  if (o.gateway !== undefined) parseAddress(o.gateway, `${subject}: gateway`);
  if (o.sourceMacs !== undefined && o.mode !== 'source') throw invalid(subject, `sourceMacs given with mode ${o.mode ?? 'vepa (the default)'}: ${SOURCE_HINT}`);
  if (o.up === false && (o.gateway !== undefined || (o.routes ?? []).length > 0)) {
    throw invalid(subject, 'routes and a gateway need the link up (the kernel has no route to the gateway while it is down)');
  }
}

/**
 * A macvlan link: a snapshot of its state (refreshed after every change made through it) and
 * the operations on it. Each operation opens a socket in the macvlan's namespace and closes it after.
 */
export class Macvlan {
  private constructor(
    private link: Link,
    /** The namespace it is in, as given (undefined: the caller's). */
    public netns: NetnsRef | undefined,
    public parent: MacvlanParent,
    public addresses: string[],
  ) {}

  get kind(): MacvlanKind { return this.link.info?.kind === 'macvtap' ? 'macvtap' : 'macvlan'; }
  get name(): string { return this.link.name ?? ''; }
  get index(): number { return this.link.index; }
  /** IFLA_INFO_DATA, narrowed by kind. */
  private get data(): MacvlanData | undefined {
    const { info } = this.link;
    return info?.kind === 'macvlan' || info?.kind === 'macvtap' ? info.data : undefined;
  }
  get mode(): MacvlanMode | number { return this.data?.mode ?? 'vepa'; }
  get flags(): Array<MacvlanFlag | number> { return this.data?.flags ?? []; }
  get mac(): string | undefined { return this.link.address; }
  get mtu(): number | undefined { return this.link.mtu; }
  get bcqueuelen(): number | undefined { return this.data?.bcqueuelen; }
  /** Source mode: the MACs whose frames it receives. */
  get sourceMacs(): string[] { return this.data?.macaddrs ?? []; }
  get isUp(): boolean { return this.link.flags.includes('up'); }

  /**
   * Creates a macvlan, moves it into its namespace, gives it its addresses, brings it up and
   * adds its default route, in one call. All or nothing: when a step fails, the link is
   * deleted and the error says which step and why (`macvlan "mv1" (add address ...): ...`).
   * @example await Macvlan.create({ parent: 'eth0', name: 'mv1', mode: 'private', netns: 'ns01',
   *   addresses: ['192.0.2.101/24'], gateway: '192.0.2.1' })
   */
  static async create(o: MacvlanCreateOptions): Promise<Macvlan> {
    const subject = `${asText(o?.kind ?? 'macvlan')} "${asText(o?.name)}"`;
    checkCreate(o, subject);
    const where = o.netns ?? o.parentNetns;
    const parentRef = typeof o.parent === 'number' ? `link ${o.parent}` : `"${asText(o.parent)}"`;
    let step = `create on parent ${parentRef}${o.netns === undefined ? '' : ` into ${describeNetns(o.netns)}`}`;
    // One socket per namespace: the parent's, and the macvlan's when that is another one.
    const outside = await RtNetlink.open(o.parentNetns === undefined ? {} : { netns: o.parentNetns });
    let inside = outside;
    let index: number | undefined;
    try {
      if (o.netns !== undefined) inside = await RtNetlink.open({ netns: o.netns });
      const links = o.netns === undefined ? outside.link : new LinkApi(lending(outside, o.netns, inside));
      const options: MacvlanOptions = { mode: o.mode, flags: o.flags, bcqueuelen: o.bcqueuelen, bcCutoff: o.bcCutoff, sourceMacs: o.sourceMacs };
      const common = { name: o.name, parent: o.parent, address: o.address, mtu: o.mtu, txqlen: o.txqlen, netns: o.netns };
      const made = await links.add(o.kind === 'macvtap' ? { ...common, kind: 'macvtap', macvtap: options } : { ...common, kind: 'macvlan', macvlan: options });
      index = made.index;
      const dev = made.index;
      if (o.arpNotify !== undefined) {
        step = 'set arp_notify';
        await inside.link.set(dev, { inet: { arpNotify: o.arpNotify ? 1 : 0 } });
      }
      for (const cidr of o.addresses ?? []) {
        step = `add address ${cidr}`;
        const brd = o.broadcast ? broadcastOf(cidr) : undefined;
        await inside.address.add(brd === undefined ? { dev, address: cidr } : { dev, address: cidr, broadcast: brd });
      }
      if (o.up !== false) {
        step = 'bring it up';
        await inside.link.set(dev, { up: true });
      }
      for (const route of o.routes ?? []) {
        step = `add route ${asText(route.dst)}`;
        await inside.route.add({ ...route, dev: route.dev ?? dev });
      }
      if (o.gateway !== undefined) {
        step = `add default route via ${o.gateway}`;
        await inside.route.add({ dst: 'default', gateway: o.gateway, dev });
      }
      step = 'read it back';
      // Its flags changed since add() answered: one get, by the index add() gave. The parent is known.
      const { index: parentIndex, name: parentName } = await outside.link.get(o.parent, { stats: false });
      const parent: MacvlanParent = { index: parentIndex, name: parentName, netns: o.parentNetns };
      return await Macvlan.build(inside, await inside.link.get(dev, { stats: false }), where, parent);
    } catch (e) {
      if (index !== undefined) {
        await inside.link.delete(index).catch((d: unknown) => debug('rollback of %s failed: %s', o.name, (d as Error).message));
      }
      // The kernel refuses passthru conflicts with a bare EINVAL: say what it may mean.
      const hint = index === undefined && e instanceof InvalidArgumentError && e.request !== undefined && !e.kernelMessage ? CREATE_HINT : undefined;
      throw restate(e, `${subject} (${step})`, hint);
    } finally {
      if (inside !== outside) inside.close();
      outside.close();
    }
  }

  /**
   * The standard remedy for a host that must reach its own macvlan children (the parent
   * cannot: the macvlan driver never hands frames between parent and children): a
   * bridge-mode macvlan for the host on the same parent, with its own address, and routes
   * to the children through it. It reaches bridge-mode children (not private or vepa ones).
   */
  static async hostShim(o: HostShimOptions): Promise<Macvlan> {
    checkObject('Macvlan.hostShim', o, SHIM_KEYS);
    if (!Array.isArray(o.routes)) throw invalid('Macvlan.hostShim', `routes is an array of prefixes, not ${typeof o.routes}`);
    const fallback = typeof o.parent === 'string' && Buffer.byteLength(`${o.parent}-shim`) < 16 ? `${o.parent}-shim` : 'shim';
    return Macvlan.create({
      parent: o.parent, parentNetns: o.parentNetns, name: o.name ?? fallback, mode: 'bridge',
      address: o.mac, addresses: [o.address], routes: o.routes.map((dst) => ({ dst })), up: true,
    });
  }

  /** One macvlan (or macvtap) by name, in `netns` (default: the caller's namespace). */
  static async get(name: string, opts: { netns?: NetnsRef } = {}): Promise<Macvlan> {
    checkObject('Macvlan.get', opts, GET_KEYS);
    return withRt(opts.netns, (rt) => Macvlan.read(rt, name, opts.netns));
  }

  /**
   * Macvlans (or, with `kind: 'macvtap'`, macvtaps) in a namespace, or, with `parent`, the
   * children of that parent wherever they are. Without `netns`, that means the parent's namespace
   * and every named one: children are usually moved away from their parent, and the kernel
   * tells a parent nothing of its children in other namespaces. Give `netns` to look in one only.
   */
  static async list(filter: MacvlanFilter = {}): Promise<Macvlan[]> {
    checkObject('Macvlan.list', filter, FILTER_KEYS);
    const places: Array<NetnsRef | undefined> = filter.netns !== undefined ? [filter.netns]
      : filter.parent === undefined ? [undefined] : [filter.parentNetns, ...await NetNS.list()];
    const seen = new Set<string>();
    const want = filter.parent === undefined ? undefined : {
      index: await withRt(filter.parentNetns, (rt) => rt.link.indexOf(filter.parent as LinkRef)),
      key: netnsKey(filter.parentNetns),
    };
    const out: Macvlan[] = [];
    for (const netns of places) {
      let key: string;
      try {
        key = netnsKey(netns);
      } catch {
        continue; // a leftover name, or deleted meanwhile
      }
      if (seen.has(key)) continue;
      seen.add(key);
      await withRt(netns, async (rt) => {
        for (const link of await rt.link.list({ kind: filter.kind ?? 'macvlan', stats: false })) {
          if (want && !(link.parent === want.index && await Macvlan.parentIn(rt, link, key, filter.parentNetns, want.key))) continue;
          out.push(await Macvlan.build(rt, link, netns));
        }
      });
    }
    return out;
  }

  /** Whether the parent of `link` (seen from the namespace with `key`) is in the namespace with `parentKey`. */
  private static async parentIn(rt: RtNetlink, link: Link, key: string, parentNetns: NetnsRef | undefined, parentKey: string): Promise<boolean> {
    if (link.linkNsid === undefined) return key === parentKey;
    return (await rt.nsid.get(parentNetns ?? '/proc/self/ns/net')) === link.linkNsid;
  }

  private static async read(rt: RtNetlink, name: string, netns: NetnsRef | undefined): Promise<Macvlan> {
    const link = await rt.link.get(name, { stats: false });
    if (link.info?.kind !== 'macvlan' && link.info?.kind !== 'macvtap') {
      throw invalid(`link "${asText(name)}"${netns === undefined ? '' : ` in ${describeNetns(netns)}`}`, `is ${link.info?.kind ? `a ${link.info.kind}` : 'not a macvlan'} link, not a macvlan or macvtap`);
    }
    return Macvlan.build(rt, link, netns);
  }

  /** `known`: the parent when the caller knows it (create() does), else found. */
  private static async build(rt: RtNetlink, link: Link, netns: NetnsRef | undefined, known?: MacvlanParent): Promise<Macvlan> {
    const [addresses, parent] = await Promise.all([
      rt.address.list({ dev: link.index }).then((l) => l.map((a) => a.cidr)),
      known ?? Macvlan.findParent(rt, link, netns),
    ]);
    return new Macvlan(link, netns, parent, addresses);
  }

  /** The parent's name and namespace: in the same namespace, or one with a name here, or the caller's. */
  private static async findParent(rt: RtNetlink, link: Link, netns: NetnsRef | undefined): Promise<MacvlanParent> {
    const index = link.parent ?? 0;
    const nameIn = async (r: RtNetlink): Promise<string | undefined> => (await r.link.get(index, { stats: false }).catch(() => undefined))?.name;
    if (link.linkNsid === undefined) return { index, name: await nameIn(rt), netns };
    const named = await rt.nsid.nameOf(link.linkNsid);
    if (named !== undefined) return { index, name: await withRt(named, nameIn), netns: named };
    if ((await rt.nsid.get('/proc/self/ns/net')) === link.linkNsid) return { index, name: await withRt(undefined, nameIn) };
    return { index };
  }

  /** Reads the link again (by index, in its namespace): the fields reflect the kernel's state. */
  async refresh(): Promise<this> {
    await withRt(this.netns, async (rt) => {
      const fresh = await Macvlan.build(rt, await rt.link.get(this.index, { stats: false }), this.netns);
      this.link = fresh.link;
      this.parent = fresh.parent;
      this.addresses = fresh.addresses;
    });
    return this;
  }

  /**
   * Waits until the link passes `test`, e.g. carrier: `mv.waitFor((l) => l.operstate === 'up')`.
   * It watches the kernel's notifications (rtnl.monitor, starting from the link as it is now),
   * rather than polling; resolves with this Macvlan refreshed. A TimeoutError after `timeout` ms
   * (default 10 000; 0 waits for ever), a NotFoundError if the link goes away meanwhile.
   */
  async waitFor(test: (link: Link) => boolean, opts: { timeout?: number; signal?: AbortSignal } = {}): Promise<this> {
    if (typeof test !== 'function') throw invalid(this.subject, 'waitFor takes a function of the link');
    checkObject(`${this.subject}: waitFor options`, opts, WAIT_KEYS);
    const timeout = opts.timeout ?? 10_000;
    if (!Number.isInteger(timeout) || timeout < 0) throw invalid(this.subject, `timeout is a number of milliseconds, not ${asText(timeout)}`);
    const m = monitor({ netns: this.netns, link: true, existing: true, signal: opts.signal });
    let timedOut = false;
    const timer = timeout > 0 ? setTimeout(() => { timedOut = true; m.close(); }, timeout) : undefined;
    try {
      for await (const ev of m) {
        if (ev.family !== 'link' || ev.link.index !== this.index) continue;
        if (ev.type === 'del') throw new NotFoundError({ errno: constants.errno.ENODEV, subject: this.subject, text: 'the link went away while waited for' });
        if (test(ev.link)) return await this.refresh();
      }
      const why = timedOut ? `not so within ${timeout} ms` : 'the wait was aborted';
      throw new TimeoutError({ errno: constants.errno.ETIMEDOUT, subject: this.subject, text: why });
    } finally {
      clearTimeout(timer);
      m.close();
    }
  }

  private get subject(): string {
    return `${this.kind} "${this.name}"${this.netns === undefined ? '' : ` in ${describeNetns(this.netns)}`}`;
  }

  /** One change through a socket in its namespace, then a refresh; errors name the macvlan and what was asked. */
  private async change(what: string, fn: (rt: RtNetlink) => Promise<unknown>, hint?: (e: NetlinkError) => string | undefined): Promise<this> {
    try {
      await withRt(this.netns, fn);
    } catch (e) {
      throw restate(e, `${this.subject} (${what})`, e instanceof NetlinkError ? hint?.(e) : undefined);
    }
    return this.refresh();
  }

  /** Changes the mode. Into or out of passthru the kernel refuses (EINVAL): the error says so. */
  async setMode(mode: MacvlanMode): Promise<this> {
    if (mode === undefined) throw invalid(this.subject, 'setMode takes a mode, not undefined'); // no mode would be no change
    checkMode(this.subject, mode);
    const from = this.mode;
    return this.change(`set mode ${mode}`, (rt) => rt.link.set(this.index, { [this.kind]: { mode } }),
      (e) => (e instanceof InvalidArgumentError && mode !== from && (mode === 'passthru' || from === 'passthru') ? PASSTHRU_HINT : undefined));
  }

  private sources(what: string, change: MacaddrChange): Promise<this> {
    return this.change(what, (rt) => rt.link.set(this.index, { [this.kind]: { macaddr: change } }),
      (e) => (e instanceof InvalidArgumentError && this.mode !== 'source' ? `${SOURCE_HINT}; this one is in ${this.mode} mode` : undefined));
  }

  /** Source mode: also receive the frames from these MACs. */
  async addSourceMacs(...macs: string[]): Promise<this> {
    for (const mac of macs) await this.sources(`add source MAC ${asText(mac)}`, { add: mac });
    return this;
  }

  /** Source mode: no longer receive the frames from these MACs. */
  async removeSourceMacs(...macs: string[]): Promise<this> {
    for (const mac of macs) await this.sources(`remove source MAC ${asText(mac)}`, { del: mac });
    return this;
  }

  /** Source mode: receive the frames from exactly these MACs. */
  async setSourceMacs(macs: string[]): Promise<this> {
    if (!Array.isArray(macs)) throw invalid(this.subject, `source MACs are an array of MAC addresses, not ${asText(macs)}`);
    return this.sources('set source MACs', { set: macs });
  }

  /** Source mode: receive frames from no MAC at all. */
  clearSourceMacs(): Promise<this> {
    return this.sources('clear source MACs', { flush: true });
  }

  /** Moves it into another namespace (where it keeps its name; addresses and routes do not follow). */
  async moveTo(netns: NetnsRef): Promise<this> {
    if (netns === undefined) throw invalid(this.subject, 'moveTo takes a namespace, not undefined'); // else a move to nowhere, then a search here
    const name = this.name;
    try {
      await withRt(this.netns, (rt) => rt.link.set(this.index, { netns }));
    } catch (e) {
      throw restate(e, `${this.subject} (move to ${describeNetns(netns)})`);
    }
    const moved = await Macvlan.get(name, { netns });
    Object.assign(this, { link: moved.link, netns, parent: moved.parent, addresses: moved.addresses });
    return this;
  }

  async up(): Promise<this> {
    return this.change('bring it up', (rt) => rt.link.set(this.index, { up: true }));
  }

  async down(): Promise<this> {
    return this.change('bring it down', (rt) => rt.link.set(this.index, { up: false }));
  }

  /** Changes its MAC. Neighbours cache the old one: with `arpNotify` the kernel announces the new one. */
  async setMac(mac: string, opts: { arpNotify?: boolean } = {}): Promise<this> {
    checkObject(`${this.subject}: setMac options`, opts, SET_MAC_KEYS);
    // Checked here: undefined would be no address to set, a change that does nothing after arpNotify's.
    if (typeof mac !== 'string') throw invalid(this.subject, `setMac takes a MAC address, not ${asText(mac)}`);
    return this.change(`set MAC ${mac}`, async (rt) => {
      if (opts.arpNotify !== undefined) await rt.link.set(this.index, { inet: { arpNotify: opts.arpNotify ? 1 : 0 } });
      await rt.link.set(this.index, { address: mac });
    });
  }

  async addAddress(cidr: string, opts: AddressOptions = {}): Promise<this> {
    return this.change(`add address ${asText(cidr)}`, (rt) => rt.address.add({ ...opts, dev: this.index, address: cidr }));
  }

  async removeAddress(cidr: string): Promise<this> {
    return this.change(`remove address ${asText(cidr)}`, (rt) => rt.address.delete({ dev: this.index, address: cidr }));
  }

  async delete(): Promise<void> {
    try {
      await withRt(this.netns, (rt) => rt.link.delete(this.index));
    } catch (e) {
      throw restate(e, `${this.subject} (delete)`);
    }
  }

  toJSON(): MacvlanJSON {
    return {
      kind: this.kind, name: this.name, index: this.index, netns: this.netns ?? null, parent: this.parent, mode: this.mode,
      flags: this.flags, mac: this.mac ?? null, mtu: this.mtu ?? null, bcqueuelen: this.bcqueuelen ?? null,
      sourceMacs: this.sourceMacs, addresses: this.addresses, up: this.isUp,
    };
  }
}
