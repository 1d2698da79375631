// rt.link: list, get, add, set and delete links, every kind the codecs know.
import { constants } from 'node:os';
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL } from '../../codecs/netlink/constants.js';
import { parseLladdr } from '../../codecs/netlink/codecs.js';
import { EncodeError } from '../../codecs/netlink/errors.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import type { Writer } from '../../codecs/netlink/writer.js';
import { RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK } from '../../codecs/route/constants.js';
import {
  ADDR_GEN_MODES, IFF_FLAGS, IPV4_DEVCONF, RTEXT_FILTER_SKIP_STATS, decodeLink, encodeLink,
  type IffFlag, type Link, type LinkInfo, type LinkKind, type VethData,
} from '../../codecs/route/link.js';
import {
  MACVLAN_FLAGS, MACVLAN_MODES, type BridgeData, type BridgePortData, type IpvlanData, type MacvlanData,
  type MacvlanFlag, type MacvlanMode, type OtherKind, type VlanData, type VxlanData,
} from '../../codecs/route/link-kinds/index.js';
import { InvalidArgumentError, NetlinkError, NotFoundError, checkObject, decoding, invalid, typedPartial } from '../errors.js';
import { logger } from '../log.js';
import { openNetns, withNetnsFd, type NetnsRef } from '../netns/resolve.js';
import { sys } from '../socket/libc.js';
import type { LinkRef, Session } from './session.js';

const debug = logger('rtnl:link');

export type { LinkRef };

export interface LinkListFilter {
  /** Only links of this kind (`macvlan`, `veth`...). The kernel filters when it knows the kind. */
  kind?: LinkKind;
  /** Only the ports of this master. */
  master?: LinkRef;
  /** List the links of the namespace with this id (as seen from the socket's namespace). */
  targetNsid?: number;
  /**
   * false: leave `stats64` out of the result and ask the kernel to skip VF counters
   * (RTEXT_FILTER_SKIP_STATS). The kernel sends IFLA_STATS64 whatever the mask.
   */
  stats?: boolean;
}

/** Macvlan and macvtap options at creation. */
export interface MacvlanOptions {
  /** Default (no mode sent): the kernel's, vepa. */
  mode?: MacvlanMode;
  flags?: MacvlanFlag[];
  /** Length of the broadcast/multicast receive queue. */
  bcqueuelen?: number;
  /** Above this many macvlans on a parent, broadcast is queued rather than delivered at once (kernel >= 6.4). */
  bcCutoff?: number;
  /** Source mode: the MACs whose frames this macvlan receives. */
  sourceMacs?: string[];
  /** One change to the source list (what `ip link add ... macaddr add MAC` sends); `sourceMacs` is `{ set }`. */
  macaddr?: MacaddrChange;
}

/** One change to a source-mode MAC list. */
export type MacaddrChange = { add: string } | { del: string } | { set: string[] } | { flush: true };

/** Macvlan and macvtap changes in place. */
export type MacvlanChanges = Omit<MacvlanOptions, 'sourceMacs'>;

/** What a link takes at creation and in set(): IFF_* flags and plain attributes. */
export interface LinkSettings {
  /** Up (IFF_UP); at creation, brought up once made. */
  up?: boolean;
  mtu?: number;
  address?: string;
  /** The link-layer broadcast address. */
  broadcast?: string;
  txqlen?: number;
  group?: number;
  /** '' removes it. */
  alias?: string;
  promisc?: boolean;
  allmulti?: boolean;
  multicast?: boolean;
  dynamic?: boolean;
  /** false sets NOARP. */
  arp?: boolean;
  /** false sets NOTRAILERS. */
  trailers?: boolean;
}

/** At creation only: the kernel sizes the queues when it makes the device. */
export interface NewLinkSettings extends LinkSettings {
  numTxQueues?: number;
  numRxQueues?: number;
}

export interface VethOptions {
  peer: NewLinkSettings & {
    /** Default: the kernel picks one (veth1...). */
    name?: string;
    /** Create the peer straight in this namespace. */
    netns?: NetnsRef;
  };
}

/** What every kind takes at creation. */
export interface AddLinkCommon extends NewLinkSettings {
  /** Default: the kernel picks one (veth0, macvlan0...). */
  name?: string;
  /** Bridge or bond to enslave it to. */
  master?: LinkRef;
  /**
   * Make the link in this namespace. By default the link is made under a temporary name and
   * renamed inside (see `renameInside`); the parent, if any, stays in the caller's namespace.
   */
  netns?: NetnsRef;
  /** With `netns`: false sends the final name as is. Default true. */
  renameInside?: boolean;
}

/** Vxlan options: those of the codec, with the underlying device by name or index. */
export type VxlanOptions = Omit<VxlanData, 'link'> & {
  /** The device the tunnel's packets leave by (IFLA_VXLAN_LINK). */
  link?: LinkRef;
};

/** Options by kind: the kind's own options sit under a key named after it, as in a listed Link's `info`. */
export interface AddLinkKinds {
  macvlan: { parent: LinkRef; macvlan?: MacvlanOptions };
  macvtap: { parent: LinkRef; macvtap?: MacvlanOptions };
  veth: { veth?: VethOptions };
  bridge: { bridge?: BridgeData };
  vxlan: { parent?: LinkRef; vxlan?: VxlanOptions };
  vlan: { parent: LinkRef; vlan?: VlanData };
  ipvlan: { parent: LinkRef; ipvlan?: IpvlanData };
  ipvtap: { parent: LinkRef; ipvtap?: IpvlanData };
  dummy: object;
}

/**
 * What `rt.link.add` takes: one member per kind, so that a kind's options go with that kind
 * only (`{ kind: 'veth', macvlan: ... }` does not compile) and kinds that sit on a parent
 * device require one. Kinds the library does not model take the common settings and a parent.
 */
export type AddLinkOptions =
  | { [K in keyof AddLinkKinds]: AddLinkCommon & { kind: K } & AddLinkKinds[K] }[keyof AddLinkKinds]
  | (AddLinkCommon & { kind: OtherKind; parent?: LinkRef });

export interface LinkChanges extends LinkSettings {
  /** New name. */
  name?: string;
  master?: LinkRef;
  nomaster?: true;
  /** Move the link into this namespace. */
  netns?: NetnsRef;
  macvlan?: MacvlanChanges;
  macvtap?: MacvlanChanges;
  /** Options of the link as a bridge port, e.g. `{ hairpin: true }`. */
  bridgePort?: BridgePortData;
  /** IPv4 devconf values (net.ipv4.conf.DEV.*), e.g. `{ arpNotify: 1 }`. */
  inet?: { [K in (typeof IPV4_DEVCONF)[number]]?: number };
  inet6?: { addrGenMode?: keyof typeof ADDR_GEN_MODES; token?: string };
}

/** A kind is a non-empty string: the kernel judges kinds newer than the types know. */
function checkKind(subject: string, kind: unknown): LinkKind {
  if (typeof kind !== 'string' || kind === '') throw invalid(subject, `a link kind is a name (macvlan, veth, bridge...), not ${String(kind)}`);
  return kind as LinkKind;
}

/** A kind's options, passed to its table as they are (the codecs check every value). */
function ownData(subject: string, kind: string, data: object | undefined): object | undefined {
  if (data !== undefined) checkObject(`${subject}: ${kind}`, data);
  return data;
}

/** Kinds whose links sit on a parent device. */
const NEEDS_PARENT = new Set(['macvlan', 'macvtap', 'vlan', 'ipvlan', 'ipvtap']);
const IFNAMSIZ = 16;

/** What the kernel's dev_valid_name() refuses, refused before sending. */
export function checkLinkName(name: unknown): string {
  const subject = `link "${String(name).slice(0, 40)}"`;
  if (typeof name !== 'string' || name === '') throw invalid(subject, 'a link name must be a non-empty string');
  const len = Buffer.byteLength(name);
  if (len >= IFNAMSIZ) throw invalid(subject, `a link name is at most ${IFNAMSIZ - 1} bytes, this one is ${len}`);
  if (name === '.' || name === '..') throw invalid(subject, `"${name}" is not a usable link name`);
  if (/[/:\s\0]/.test(name)) throw invalid(subject, 'a link name cannot contain "/", ":" or whitespace');
  return name;
}

/** A unicast MAC: the kernel refuses a multicast one with EADDRNOTAVAIL, which would read as "not found". */
function checkMac(subject: string, mac: unknown, what = 'address', unicast = true): string {
  let bytes: Uint8Array;
  try {
    bytes = parseLladdr(mac as string, 6);
  } catch {
    throw invalid(subject, `${what} ${typeof mac === 'string' ? `"${mac}"` : String(mac)} is not a MAC address (six hex bytes like 02:00:00:00:00:01)`);
  }
  if (unicast && bytes[0] & 1) throw invalid(subject, `${what} "${mac as string}" is a multicast MAC; a link's address must be unicast`);
  return mac as string;
}

function checkUint(subject: string, what: string, v: unknown, bits = 32): void {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= 2 ** bits)) {
    throw invalid(subject, `${what} must be an integer from 0 to ${2 ** bits - 1}, not ${String(v)}`);
  }
}

/** One of the names of a table (numbers are not taken: only the names mean something to the kernel). */
function checkName(subject: string, what: string, names: Record<string, number>, v: unknown): void {
  if (!(typeof v === 'string' && Object.hasOwn(names, v))) {
    throw invalid(subject, `unknown ${what} ${typeof v === 'string' ? `"${v}"` : String(v)} (known: ${Object.keys(names).join(', ')})`);
  }
}

/** The IFLA_MACVLAN_* attributes for macvlan options, checked. */
function macvlanData(subject: string, o: MacvlanOptions): MacvlanData {
  const d: MacvlanData = {};
  checkObject(`${subject}: macvlan options`, o);
  if (o.mode !== undefined) {
    checkName(subject, 'macvlan mode', MACVLAN_MODES, o.mode);
    d.mode = o.mode;
  }
  if (o.flags !== undefined) {
    if (!Array.isArray(o.flags)) throw invalid(subject, `macvlan flags must be an array, not ${String(o.flags)}`);
    for (const f of o.flags) checkName(subject, 'macvlan flag', MACVLAN_FLAGS, f);
    d.flags = o.flags;
  }
  checkUint(subject, 'bcqueuelen', o.bcqueuelen);
  d.bcqueuelen = o.bcqueuelen;
  if (o.bcCutoff !== undefined && !Number.isInteger(o.bcCutoff)) throw invalid(subject, `bcCutoff must be an integer, not ${o.bcCutoff}`);
  d.bcCutoff = o.bcCutoff;
  const m = o.macaddr ?? (o.sourceMacs ? { set: o.sourceMacs } : undefined);
  if (m) {
    if ('add' in m) Object.assign(d, { macaddrMode: 'add', macaddr: checkMac(subject, m.add, 'source MAC') });
    else if ('del' in m) Object.assign(d, { macaddrMode: 'del', macaddr: checkMac(subject, m.del, 'source MAC') });
    else if ('set' in m) Object.assign(d, { macaddrMode: 'set', macaddrs: m.set.map((x) => checkMac(subject, x, 'source MAC')) });
    else if ('flush' in m) d.macaddrMode = 'flush';
    else throw invalid(subject, 'macaddr takes one of add, del, set or flush');
  }
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as MacvlanData;
}

/** Sets or clears IFF_* bits: ifi_flags with ifi_change saying which ones count. */
function setFlag(link: Partial<Link>, flag: IffFlag, on: boolean | undefined): void {
  if (on === undefined) return;
  const bit = IFF_FLAGS[flag];
  link.change = ((link.change ?? 0) | bit) >>> 0;
  if (on) (link.flags ??= []).push(flag);
}

/** Links out of the replies, RTM_NEWLINK only; bytes that do not decode are a ProtocolError. */
function linksOf(replies: NlMessage[], stats = true): Link[] {
  return decoding(() => {
    const out: Link[] = [];
    for (const m of replies) {
      if (m.header.type !== RTM_NEWLINK) continue;
      const link = decodeLink(m.payload);
      if (!stats) delete link.stats64;
      out.push(link);
    }
    return out;
  }, 'link message');
}

/**
 * Keeps a namespace open while `fn` runs: the kernel opens IFLA_NET_NS_FD when the request
 * arrives, which may be after the call that built it. An fd given by the caller stays theirs.
 */
async function holdingNetns<T>(ref: NetnsRef, fn: (fd: number) => Promise<T>): Promise<T> {
  if (typeof ref === 'number') return withNetnsFd(ref, fn);
  const fd = openNetns(ref);
  try {
    return await fn(fd);
  } finally {
    sys.close(fd);
  }
}

/** A name no one would choose, for a link on its way into another namespace. */
function temporaryName(): string {
  return `rtnl${Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0')}`;
}

const about = (subject: string) => (e: unknown): never => {
  throw e instanceof NetlinkError ? e.about(subject) : e;
};

export class LinkApi {
  constructor(protected readonly rt: Session) {}

  /** Every link, or those that match: `rt.link.list({ kind: 'macvlan' })`. */
  async list(filter: LinkListFilter = {}): Promise<Link[]> {
    checkObject('link filter', filter);
    const req: Partial<Link> = {};
    if (filter.kind !== undefined) req.info = { kind: checkKind('link filter', filter.kind) } as LinkInfo;
    if (filter.master !== undefined) req.master = await this.indexOf(filter.master);
    if (filter.targetNsid !== undefined) req.targetNsid = filter.targetNsid;
    if (filter.stats === false) req.extMask = RTEXT_FILTER_SKIP_STATS;
    const replies = await this.rt.client.dump({ type: RTM_GETLINK, name: 'RTM_GETLINK', body: (w) => encodeLink(w, req) })
      .catch(typedPartial((r) => linksOf(r, filter.stats)));
    const links = linksOf(replies, filter.stats);
    // The kernel ignores a kind it has no driver for: filter here too.
    return filter.kind === undefined ? links : links.filter((l) => l.info?.kind === filter.kind);
  }

  /** One link by name or index; a NotFoundError naming it when there is none. */
  async get(ref: LinkRef, opts: Pick<LinkListFilter, 'targetNsid' | 'stats'> = {}): Promise<Link> {
    const req = this.refer(ref);
    if (opts.stats === false) req.extMask = RTEXT_FILTER_SKIP_STATS;
    if (opts.targetNsid !== undefined) req.targetNsid = opts.targetNsid;
    const replies = await this.rt.client
      .request({ type: RTM_GETLINK, name: 'RTM_GETLINK', body: (w) => encodeLink(w, req) })
      .catch(about(describe(ref)));
    const [link] = linksOf(replies, opts.stats);
    if (!link) throw new NotFoundError({ errno: constants.errno.ENODEV, subject: describe(ref), text: 'no such link' });
    return link;
  }

  /** The index of a link given by name (or the index itself). */
  async indexOf(ref: LinkRef): Promise<number> {
    return typeof ref === 'number' ? (this.refer(ref).index as number) : (await this.get(checkLinkName(ref))).index;
  }

  /**
   * Creates a link and resolves with it as the kernel made it (index, name, MAC...). Input is
   * checked before anything is sent; a refusal names the link. With `netns`, the link is made
   * under a temporary name and renamed inside that namespace (to `<kind>%d`, the kernel's own
   * choice, when no name is given), and removed again if the rename fails.
   */
  async add(opts: AddLinkOptions): Promise<Link> {
    checkObject('new link', opts);
    const subject = opts.name === undefined ? `new ${String(opts.kind)} link` : `link "${opts.name}"`;
    if (opts.name !== undefined) checkLinkName(opts.name);
    const msg = await this.newLinkMessage(opts, subject);
    const peerNetns = opts.kind === 'veth' ? opts.veth?.peer.netns : undefined;
    if (opts.netns === undefined) {
      const made = await this.create(msg, subject, peerNetns).catch((e: unknown) => this.explain(e, msg, subject));
      return made ?? this.lookUpMade(msg);
    }
    const netns = opts.netns;
    if (opts.renameInside === false && opts.name !== undefined) {
      await holdingNetns(netns, (fd) => this.create({ ...msg, netnsFd: fd }, subject, peerNetns));
      return this.inNetns(netns, (inside) => inside.get(opts.name as string));
    }
    // Made down under the temporary name; renamed, then brought up, inside.
    const temp = temporaryName();
    const { flags: _flags, change: _change, ...rest } = msg;
    await holdingNetns(netns, (fd) => this.create({ ...rest, name: temp, netnsFd: fd }, subject, peerNetns))
      .catch((e: unknown) => this.explain(e, msg, subject));
    debug('created %s as %s in another namespace; renaming inside', opts.name, temp);
    return this.renameInside(netns, temp, opts.name ?? `${opts.kind}%d`, opts.up);
  }

  /**
   * Renames a link inside another namespace (then brings it up if asked); deletes it if that
   * fails. `to` may be a pattern such as `mv%d`, which the kernel fills in. Resolves with the link.
   */
  async renameInside(netns: NetnsRef, from: string, to: string, up?: boolean): Promise<Link> {
    return this.inNetns(netns, async (inside) => {
      try {
        const { index } = await inside.get(from, { stats: false });
        await inside.set(index, { name: to, up });
        return await inside.get(index);
      } catch (e) {
        await inside.delete(from).catch((d: unknown) => debug('rollback of %s failed: %s', from, (d as Error).message));
        throw e instanceof NetlinkError ? e.about(`link "${to}"`) : e;
      }
    });
  }

  /** Runs `fn` with the links of another namespace, through a socket there closed afterwards. */
  private inNetns<T>(netns: NetnsRef, fn: (inside: LinkApi) => Promise<T>): Promise<T> {
    return this.rt.inNetns(netns, (session) => fn(new LinkApi(session)));
  }

  /** Every link's name by index (no counters asked for). */
  async names(): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const l of await this.list({ stats: false })) if (l.name !== undefined) out.set(l.index, l.name);
    return out;
  }

  /** Changes a link: flags, mtu, address, name, namespace, master, kind options... */
  async set(ref: LinkRef, c: LinkChanges): Promise<void> {
    const subject = describe(ref);
    checkObject(`${subject}: changes`, c);
    const msg = typeof ref === 'number' || c.name === undefined ? this.refer(ref) : { index: await this.indexOf(ref) };
    if (c.name !== undefined) msg.name = checkLinkName(c.name);
    this.common(msg, c, subject);
    if (c.master !== undefined && c.nomaster) throw invalid(subject, 'master and nomaster together');
    if (c.master !== undefined) msg.master = await this.indexOf(c.master);
    if (c.nomaster) msg.master = 0;
    const info: LinkInfo = {};
    for (const kind of ['macvlan', 'macvtap'] as const) {
      const o = c[kind];
      if (o) Object.assign(info, { kind, data: macvlanData(subject, o) });
    }
    if (c.bridgePort) Object.assign(info, { slaveKind: 'bridge', slaveData: c.bridgePort });
    if (Object.keys(info).length > 0) msg.info = info;
    if (c.inet || c.inet6) {
      if (c.inet6?.addrGenMode !== undefined) checkName(subject, 'addrGenMode', ADDR_GEN_MODES, c.inet6.addrGenMode);
      msg.afSpec = {};
      if (c.inet) msg.afSpec.inet = { set: c.inet };
      if (c.inet6) msg.afSpec.inet6 = Object.fromEntries(Object.entries(c.inet6).filter(([, v]) => v !== undefined));
    }
    const send = (m: Partial<Link>): Promise<void> => this.modify(m, 0, subject).then(() => undefined);
    if (c.netns === undefined) return send(msg);
    return holdingNetns(c.netns, (fd) => send({ ...msg, netnsFd: fd }));
  }

  /** Deletes a link (its peer too, for veth; its children, for a macvlan parent). */
  async delete(ref: LinkRef): Promise<void> {
    const msg = this.refer(ref);
    await this.rt.client
      .request({ type: RTM_DELLINK, name: 'RTM_DELLINK', body: (w) => encodeLink(w, msg) })
      .catch(about(describe(ref)));
  }

  /** A request naming the link: by index in the header, or by IFLA_IFNAME. */
  private refer(ref: LinkRef): Partial<Link> {
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref <= 0) throw invalid(`link ${ref}`, 'a link index is a positive integer');
      return { index: ref };
    }
    return { name: checkLinkName(ref) };
  }

  /** Settings shared by add, set and a veth peer, checked. */
  private common(msg: Partial<Link>, o: NewLinkSettings, subject: string): void {
    for (const key of ['mtu', 'txqlen', 'group', 'numTxQueues', 'numRxQueues'] as const) {
      checkUint(subject, key, o[key]);
      if (o[key] !== undefined) msg[key] = o[key];
    }
    if (o.address !== undefined) msg.address = checkMac(subject, o.address);
    if (o.broadcast !== undefined) msg.broadcast = checkMac(subject, o.broadcast, 'broadcast', false);
    if (o.alias !== undefined) msg.alias = o.alias;
    setFlag(msg, 'up', o.up);
    setFlag(msg, 'promisc', o.promisc);
    setFlag(msg, 'allmulti', o.allmulti);
    setFlag(msg, 'multicast', o.multicast);
    setFlag(msg, 'dynamic', o.dynamic);
    setFlag(msg, 'noarp', o.arp === undefined ? undefined : !o.arp);
    setFlag(msg, 'notrailers', o.trailers === undefined ? undefined : !o.trailers);
  }

  private async newLinkMessage(o: AddLinkOptions, subject: string): Promise<Partial<Link>> {
    checkKind(subject, o.kind);
    const parent = 'parent' in o ? o.parent : undefined;
    if (NEEDS_PARENT.has(o.kind) && parent === undefined) throw invalid(subject, `a ${o.kind} link needs a parent device`);
    const msg: Partial<Link> = o.name === undefined ? {} : { name: o.name };
    this.common(msg, o, subject);
    const data = await this.kindData(o, subject);
    msg.info = (data === undefined ? { kind: o.kind } : { kind: o.kind, data }) as LinkInfo;
    if (parent !== undefined) msg.parent = await this.indexOf(parent).catch(about(`${subject}: parent ${describe(parent)}`));
    if (o.master !== undefined) msg.master = await this.indexOf(o.master);
    return msg;
  }

  /** IFLA_INFO_DATA for the kind, from the options under the kind's own key. */
  private async kindData(o: AddLinkOptions, subject: string): Promise<object | undefined> {
    switch (o.kind) {
      case 'macvlan':
        return o.macvlan && macvlanData(subject, o.macvlan);
      case 'macvtap':
        return o.macvtap && macvlanData(subject, o.macvtap);
      case 'veth': {
        if (!o.veth) return undefined;
        checkObject(`${subject}: veth.peer`, o.veth.peer);
        const p = o.veth.peer;
        const peer: Partial<Link> = p.name === undefined ? {} : { name: checkLinkName(p.name) };
        this.common(peer, p, `${subject}: peer`);
        return { peer };
      }
      case 'vxlan': {
        if (!o.vxlan) return undefined;
        checkObject(`${subject}: vxlan`, o.vxlan);
        const { link, ...rest } = o.vxlan;
        return link === undefined ? rest : { ...rest, link: await this.indexOf(link).catch(about(`${subject}: vxlan.link ${JSON.stringify(link)}`)) };
      }
      case 'bridge':
        return ownData(subject, o.kind, o.bridge);
      case 'vlan':
        return ownData(subject, o.kind, o.vlan);
      case 'ipvlan':
        return ownData(subject, o.kind, o.ipvlan);
      case 'ipvtap':
        return ownData(subject, o.kind, o.ipvtap);
      default:
        return undefined;
    }
  }

  /**
   * The kernel refuses a macvlan beside a passthru one (and passthru beside any) with a bare
   * EINVAL: say which sibling is in the way, as far as this namespace can see.
   */
  private async explain(e: unknown, msg: Partial<Link>, subject: string): Promise<never> {
    const kind = msg.info?.kind;
    if (!(e instanceof InvalidArgumentError) || e.kernelMessage || msg.parent === undefined || (kind !== 'macvlan' && kind !== 'macvtap')) throw e;
    const isMacvlan = (l: Link): boolean => l.info?.kind === 'macvlan' || l.info?.kind === 'macvtap';
    const siblings = (await this.list().catch(() => [])).filter((l) => l.parent === msg.parent && l.linkNsid === undefined && isMacvlan(l));
    const passthru = siblings.find((l) => (l.info?.kind === 'macvlan' || l.info?.kind === 'macvtap') && l.info.data?.mode === 'passthru');
    const mode = (msg.info?.data as MacvlanData | undefined)?.mode;
    const why = passthru ? `the parent has a passthru ${passthru.info?.kind} ("${passthru.name}"), which allows no other`
      : mode === 'passthru' && siblings.length > 0 ? `passthru must be the parent's only macvlan, and it has ${siblings.map((l) => `"${l.name}"`).join(', ')}`
      : mode === 'passthru' ? 'passthru must be the only macvlan of its parent (one may exist in another namespace)'
      : undefined;
    if (!why) throw e;
    throw new InvalidArgumentError({ errno: e.errno, request: e.request, subject, text: `${e.text} (${why})` });
  }

  /**
   * Sends RTM_NEWLINK with CREATE|EXCL; a veth peer bound for another namespace gets its fd
   * here. Made in this socket's namespace, the link comes back through NLM_F_ECHO (on kernels
   * that honour it there). Not when made in another: the kernel sends the echo to our port id
   * in that namespace, which is some other socket's there.
   */
  private async create(msg: Partial<Link>, subject: string, peerNetns?: NetnsRef): Promise<Link | undefined> {
    const echo = msg.netnsFd === undefined ? NLM_F_ECHO : 0;
    const send = (): Promise<Link | undefined> => this.modify(msg, NLM_F_CREATE | NLM_F_EXCL | echo, subject)
      .then((replies) => linksOf(replies)[0]);
    const peer = (msg.info?.data as VethData | undefined)?.peer;
    if (peerNetns === undefined || !peer) return send();
    return holdingNetns(peerNetns, (fd) => {
      peer.netnsFd = fd;
      return send();
    });
  }

  /**
   * The link just made here, on a kernel that did not echo it: by its name, or, unnamed, the
   * newest link of its kind (the kernel hands out indexes in increasing order).
   */
  private async lookUpMade(msg: Partial<Link>): Promise<Link> {
    if (msg.name !== undefined) return this.get(msg.name);
    const kind = msg.info?.kind;
    const newest = (await this.list({ kind })).reduce<Link | undefined>((a, l) => (a && a.index > l.index ? a : l), undefined);
    if (!newest) throw new NotFoundError({ errno: constants.errno.ENODEV, subject: `new ${String(kind)} link`, text: 'made, but not found afterwards' });
    return newest;
  }

  private modify(msg: Partial<Link>, flags: number, subject: string): Promise<NlMessage[]> {
    const body = (w: Writer): void => encodeLink(w, msg);
    return this.rt.client
      .request({ type: RTM_NEWLINK, flags, name: 'RTM_NEWLINK', body })
      .catch((e: unknown) => {
        // A value the codecs could not encode: named as the caller wrote it.
        const cause = e instanceof InvalidArgumentError ? e.cause : undefined;
        throw cause instanceof EncodeError ? invalid(subject, `${userPath(cause.path, msg)}: ${cause.reason}`) : about(subject)(e);
      });
  }
}

/**
 * The option a caller wrote, from the message keys an EncodeError names: `info.data.forwardDelay`
 * was `bridge.forwardDelay`, `afSpec.inet.set.arpNotify` was `inet.arpNotify`.
 */
function userPath(path: readonly string[], msg: Partial<Link>): string {
  const p = path.join('.');
  const kind = msg.info?.kind ?? 'data';
  return p.replace(/^info\.data\./, `${kind}.`).replace(/^info\.slaveData\./, 'bridgePort.').replace(/^afSpec\.inet\.set\./, 'inet.').replace(/^afSpec\./, '');
}


function describe(ref: LinkRef): string {
  return typeof ref === 'number' ? `link ${ref}` : `link "${ref}"`;
}
