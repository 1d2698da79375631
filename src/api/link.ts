// rt.link: list, get, add, set and delete links, every kind the codecs know.
import { constants } from 'node:os';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL } from '../../codecs/netlink/constants.js';
import { EncodeError, asText } from '../../codecs/netlink/errors.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import type { Writer } from '../../codecs/netlink/writer.js';
import { AF_BRIDGE, RTM_DELLINK, RTM_DELLINKPROP, RTM_GETLINK, RTM_NEWLINK, RTM_NEWLINKPROP } from '../../codecs/route/constants.js';
import {
  RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF, decodeLink, decodeLinkName, encodeLink, type Link, type LinkInfo, type VethData,
} from '../../codecs/route/link.js';
import type { MacvlanData } from '../../codecs/route/link-kinds/index.js';
import type { VfInfo } from '../../codecs/route/link-vf.js';
import { BusyError, ExistsError, InvalidArgumentError, NetlinkError, NotFoundError, checkBoolean, checkObject, decoding, errorFor, invalid, optionKeys, typedPartial } from '../errors.js';
import { logger } from '../log.js';
import { openPinned } from './bpf.js';
import { describeNetns, withNetnsFd, type NetnsRef } from '../netns/resolve.js';
import { NsidApi } from './nsid.js';
import { present, naming } from './inet.js';
import { changeMessage, describe, newLinkMessage, referTo, select, userPath } from './link-message.js';
import { holdingNetns, renameInside, temporaryName } from './link-netns.js';
import {
  checkAltName, checkKind, checkLinkName, checkUint, type AddLinkOptions, type LinkChanges, type LinkGroup, type LinkListFilter,
} from './link-options.js';
import type { Request } from '../client.js';
import type { LinkRef, Session } from './session.js';

const debug = logger('rtnl:link');

export type { LinkRef };
export { checkLinkName };

/** A link out of a reply (RTM_NEWLINK only), without its counters when not wanted. */
function linkOf(m: NlMessage, stats = true): Link | undefined {
  return m.header.type === RTM_NEWLINK ? decodeLink(m.payload, { stats }) : undefined;
}

/** The links out of a request's replies; bytes that do not decode are a ProtocolError. */
function linksOf(replies: NlMessage[], stats = true): Link[] {
  return decoding(() => present(replies.map((m) => linkOf(m, stats))), 'link message');
}

/** The filters the kernel does not apply (a kind it has no driver for, the group), applied here. */
function matching(filter: LinkListFilter): (l: Link) => boolean {
  return (l) => (filter.kind === undefined || l.info?.kind === filter.kind) && (filter.group === undefined || l.group === filter.group);
}

const LIST_KEYS = optionKeys<LinkListFilter>()('kind', 'master', 'group', 'targetNsid', 'stats', 'vfs');
const PORTS_KEYS = optionKeys<{ master?: LinkRef }>()('master');
const GET_KEYS = optionKeys<Pick<LinkListFilter, 'targetNsid' | 'stats' | 'vfs'>>()('targetNsid', 'stats', 'vfs');
const NAMES_KEYS = optionKeys<Pick<LinkListFilter, 'targetNsid'>>()('targetNsid');

/** IFLA_EXT_MASK for a listing's `stats` and `vfs`; none when neither asks anything. */
function extMask(o: Pick<LinkListFilter, 'stats' | 'vfs'>, subject: string): number | undefined {
  const mask = (o.stats === false ? RTEXT_FILTER_SKIP_STATS : 0) | (checkBoolean(subject, 'vfs', o.vfs) ? RTEXT_FILTER_VF : 0);
  return mask === 0 ? undefined : mask;
}

export class LinkApi {
  constructor(protected readonly rt: Session) {}

  /** Every link, or those that match: `rt.link.list({ kind: 'macvlan' })`. */
  async list(filter: LinkListFilter = {}): Promise<Link[]> {
    const req = await this.listRequest(filter);
    const links = present(await this.rt.client.dump(req, (m) => linkOf(m, filter.stats)).catch(typedPartial(present)));
    // Name the links they refer to, from this very dump (when the dump had them: no filter).
    const names = new Map(links.map((l) => [l.index, l.name]));
    for (const l of links) {
      if (l.master !== undefined && names.has(l.master)) l.masterName = names.get(l.master);
      if (l.parent !== undefined && l.linkNsid === undefined && names.has(l.parent)) l.parentName = names.get(l.parent);
    }
    return links.filter(matching(filter));
  }

  /** list() for tables too big to hold: `for await (const l of rt.link.iterate())` (no masterName/parentName). */
  async *iterate(filter: LinkListFilter = {}): AsyncGenerator<Link, void, undefined> {
    const req = await this.listRequest(filter);
    for await (const batch of this.rt.client.stream(req, (m) => linkOf(m, filter.stats))) {
      const keep = matching(filter);
      for (const l of batch) if (l && keep(l)) yield l;
    }
  }

  private async listRequest(filter: LinkListFilter): Promise<Request> {
    checkObject('link filter', filter, LIST_KEYS);
    const req: Partial<Link> = {};
    if (filter.kind !== undefined) req.info = { kind: checkKind('link filter', filter.kind) } as LinkInfo;
    if (filter.master !== undefined) req.master = await this.indexOf(filter.master);
    checkUint('link filter', 'group', filter.group);
    if (filter.targetNsid !== undefined) req.targetNsid = filter.targetNsid;
    req.extMask = extMask(filter, 'link filter');
    return { type: RTM_GETLINK, name: 'RTM_GETLINK', body: (w) => encodeLink(w, req) };
  }

  /**
   * Bridge ports as their bridges tell them, like `bridge -j link show`: each link of family
   * AF_BRIDGE (7) with `protinfo`, its state (`forwarding`...), priority, cost and switches. The
   * kernel lists every port; `master` selects one bridge's here (bridge 6.1 takes the word and
   * lists them all).
   */
  async ports(filter: { master?: LinkRef } = {}): Promise<Link[]> {
    checkObject('port filter', filter, PORTS_KEYS);
    const master = filter.master === undefined ? undefined : await this.indexOf(filter.master);
    const req: Request = { type: RTM_GETLINK, name: 'RTM_GETLINK', body: (w) => encodeLink(w, { family: AF_BRIDGE }) };
    const ports = present(await this.rt.client.dump(req, (m) => linkOf(m)).catch(typedPartial(present)));
    return master === undefined ? ports : ports.filter((l) => l.master === master);
  }

  /** One link by name or index; a NotFoundError naming it when there is none. */
  async get(ref: LinkRef, opts: Pick<LinkListFilter, 'targetNsid' | 'stats' | 'vfs'> = {}): Promise<Link> {
    checkObject(`${describe(ref)}: options`, opts, GET_KEYS);
    const req = referTo(ref);
    req.extMask = extMask(opts, describe(ref));
    if (opts.targetNsid !== undefined) req.targetNsid = opts.targetNsid;
    const replies = await this.rt.client
      .request({ type: RTM_GETLINK, name: 'RTM_GETLINK', idempotent: true, body: (w) => encodeLink(w, req) })
      .catch(naming(describe(ref)));
    const [link] = linksOf(replies, opts.stats);
    if (!link) throw new NotFoundError({ errno: constants.errno.ENODEV, subject: describe(ref), text: 'no such link' });
    return link;
  }

  /** The index of a link given by name (or the index itself). */
  async indexOf(ref: LinkRef): Promise<number> {
    return typeof ref === 'number' ? (referTo(ref).index as number) : (await this.get(ref)).index;
  }

  /**
   * Creates a link and resolves with it as the kernel made it (index, name, MAC...). Input is
   * checked before anything is sent; a refusal names the link. With `netns`, the link is made
   * under a temporary name and renamed inside that namespace (to `<kind>%d`, the kernel's own
   * choice, when no name is given), and removed again if the rename fails.
   */
  async add(opts: AddLinkOptions): Promise<Link> {
    checkObject('new link', opts);
    const subject = opts.name === undefined ? `new ${asText(opts.kind)} link` : `link "${asText(opts.name)}"`;
    if (opts.name !== undefined) checkLinkName(opts.name);
    const parentNetns = 'parentNetns' in opts ? opts.parentNetns : undefined;
    if (parentNetns !== undefined && !('parent' in opts && opts.parent !== undefined)) throw invalid(subject, 'parentNetns is where the parent is: it takes a parent');
    const parentSubject = parentNetns === undefined ? subject : `${subject}: parentNetns ${describeParentNetns(parentNetns)}`;
    const msg = await newLinkMessage(opts, subject, (r) => this.indexOf(r), parentNetns === undefined ? undefined : this.parentFinder(parentNetns, opts.netns, parentSubject));
    if (parentNetns !== undefined) msg.linkNsid = await this.nsidOf(parentNetns, opts.netns).catch(naming(parentSubject));
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
      .catch((e: unknown) => this.explain(e, msg, subject, false));
    debug('created %s as %s in another namespace; renaming inside', opts.name, temp);
    return this.renameInside(netns, temp, opts.name ?? `${opts.kind}%d`, opts.up);
  }

  /**
   * How the parent is found in its namespace: by a socket there, or by `targetNsid` from here
   * (for `{ nsid }`, which names no namespace one can open). Checked first: a namespace that does
   * not open, or a bad id, is named as such (`named`) rather than as a parent missing there.
   */
  private parentFinder(where: NetnsRef | { nsid: number }, netns: NetnsRef | undefined, named: string): (r: LinkRef) => Promise<number> {
    if (!isNsid(where)) {
      tryNaming(named, () => withNetnsFd(where, () => undefined));
      return (r) => this.inNetns(where, (there) => there.indexOf(r));
    }
    const { nsid } = where;
    if (!Number.isInteger(nsid) || nsid < 0 || nsid > 0x7fffffff) throw invalid(named, `an nsid is an integer from 0 to 2147483647, not ${asText(nsid)}`);
    return async (r) => {
      if (typeof r === 'number') return r;
      // The id is the link's namespace's; a name is looked up by the socket's.
      if (netns !== undefined) throw invalid(named, 'with netns, give the parent by index (its name is looked up through the socket\'s ids, not netns\'s)');
      return (await this.get(r, { stats: false, targetNsid: nsid })).index;
    };
  }

  /**
   * The id the namespace a link is made in (`netns`, else the socket's) has for `ref`, given
   * one if it has none: the kernel reads IFLA_LINK_NETNSID there. `{ nsid }` is that id.
   */
  private nsidOf(ref: NetnsRef | { nsid: number }, netns: NetnsRef | undefined): Promise<number> {
    if (isNsid(ref)) return Promise.resolve(ref.nsid);
    const idIn = async (session: Session): Promise<number> => {
      const ids = new NsidApi(session);
      const id = await ids.get(ref);
      if (id !== undefined) return id;
      // Given one meanwhile (ExistsError): that one.
      return ids.set(ref).catch(async (e: unknown) => (e instanceof ExistsError ? await ids.get(ref) : undefined) ?? Promise.reject(e));
    };
    return netns === undefined ? idIn(this.rt) : this.rt.inNetns(netns, idIn);
  }

  /**
   * Renames a link inside another namespace (then brings it up if asked); deletes it if that
   * fails. `to` may be a pattern such as `mv%d`, which the kernel fills in. Resolves with the link.
   */
  renameInside(netns: NetnsRef, from: string, to: string, up?: boolean): Promise<Link> {
    return this.inNetns(netns, (inside) => renameInside(inside, from, to, up));
  }

  /** Runs `fn` with the links of another namespace, through a socket there closed afterwards. */
  private inNetns<T>(netns: NetnsRef, fn: (inside: LinkApi) => Promise<T>): Promise<T> {
    return this.rt.inNetns(netns, (session) => fn(new LinkApi(session)));
  }

  /**
   * Link names by index: every link's by a dump whose messages are read for their name only
   * (decodeLinkName), or, given `indexes`, those links' by get() (a link gone meanwhile is left out).
   * With `targetNsid`, of the namespace the socket's own gives that id.
   */
  async names(indexes?: number[], opts: Pick<LinkListFilter, 'targetNsid'> = {}): Promise<Map<number, string>> {
    checkObject('link names: options', opts, NAMES_KEYS);
    const { targetNsid } = opts;
    const named = indexes === undefined
      ? await this.rt.client.dump(await this.listRequest({ stats: false, targetNsid }), (m) => (m.header.type === RTM_NEWLINK ? decodeLinkName(m.payload) : undefined))
      : await Promise.all([...new Set(indexes)].map((index) => this.get(index, { stats: false, targetNsid }).catch((e: unknown) => {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      })));
    const out = new Map<number, string>();
    for (const l of named) if (l?.name !== undefined) out.set(l.index, l.name);
    return out;
  }

  /**
   * Changes a link: flags, mtu, address, name, namespace, master, kind options... With
   * `{ group: N }`, every link of the group at once, in one request (`ip link set group N up`).
   */
  async set(ref: LinkRef | LinkGroup, c: LinkChanges): Promise<void> {
    const subject = describe(ref);
    const msg = await changeMessage(ref, c, subject, (r) => this.indexOf(r), () => this.vfsOf(ref, subject));
    const send = (m: Partial<Link>): Promise<void> => this.modify(m, 0, subject).then(() => undefined);
    // Opened once the rest is checked, held until the kernel has answered.
    const pinned = typeof c.xdp?.program === 'string' ? openPinned(c.xdp.program, subject) : undefined;
    try {
      if (pinned) msg.xdp = { ...msg.xdp, fd: pinned.fd };
      if (c.netns === undefined) return await send(msg);
      return await holdingNetns(c.netns, (fd) => send({ ...msg, netnsFd: fd }));
    } finally {
      pinned?.[Symbol.dispose]();
    }
  }

  /** A link's VFs as the kernel lists them, for set(); a group's links each have their own. */
  private async vfsOf(ref: LinkRef | LinkGroup, subject: string): Promise<VfInfo[]> {
    if (typeof ref === 'object') throw invalid(subject, 'a VF rate for a whole group takes both minTxRate and maxTxRate');
    return (await this.get(ref, { vfs: true, stats: false })).vfInfoList ?? [];
  }

  /**
   * Gives a link alternative names (`ip link property add dev X altname A`), up to 127 bytes
   * each, by which get(), set() and delete() find it as by its name; resolves with the link as
   * it then is. All or none: when the kernel refuses one (a name some link has: ExistsError),
   * those this call gave are taken back before the error is thrown.
   */
  addAltNames(ref: LinkRef, names: readonly string[]): Promise<Link> {
    return this.changeAltNames(ref, names, RTM_NEWLINKPROP);
  }

  /** Takes alternative names from a link (`ip link property del`), all or none (one it lacks: NotFoundError); resolves with the link. */
  deleteAltNames(ref: LinkRef, names: readonly string[]): Promise<Link> {
    return this.changeAltNames(ref, names, RTM_DELLINKPROP);
  }

  /** A request a name, all sent together; when one fails, those that went through are undone. */
  private async changeAltNames(ref: LinkRef, names: readonly string[], type: number): Promise<Link> {
    const subject = describe(ref);
    if (!Array.isArray(names)) throw invalid(subject, `alternative names are an array of strings, not ${asText(names)}`);
    for (const n of names) checkAltName(subject, n);
    const index = await this.indexOf(ref);
    const send = (t: number, name: string): Promise<unknown> => this.rt.client
      .request({
        type: t,
        name: t === RTM_NEWLINKPROP ? 'RTM_NEWLINKPROP' : 'RTM_DELLINKPROP',
        flags: t === RTM_NEWLINKPROP ? NLM_F_CREATE | NLM_F_EXCL | NLM_F_APPEND : 0, // ip's; the kernel reads none
        body: (w) => encodeLink(w, { index, altNames: [name] }),
      })
      .catch(naming(`${subject}: altname "${name}"`));
    const sent = await Promise.allSettled(names.map((n) => send(type, n)));
    const failed = sent.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      const undo = type === RTM_NEWLINKPROP ? RTM_DELLINKPROP : RTM_NEWLINKPROP;
      await Promise.allSettled(names.filter((_, i) => sent[i].status === 'fulfilled').map((n) => send(undo, n)));
      throw failed.reason;
    }
    return this.get(index);
  }

  /**
   * Deletes a link (its peer too, for veth; its children, for a macvlan parent). With
   * `{ group: N }`, every link of the group, in one request: the kernel then waits for its
   * RCU grace period once for them all rather than once per link (`ip link delete group N`).
   * The kernel refuses group 0 (EPERM) and a group with no link (ENODEV).
   */
  async delete(ref: LinkRef | LinkGroup): Promise<void> {
    const msg = select(ref);
    await this.rt.client
      .request({ type: RTM_DELLINK, name: 'RTM_DELLINK', body: (w) => encodeLink(w, msg) })
      .catch(naming(describe(ref)));
  }

  /**
   * The kernel refuses a macvlan beside a passthru one (and passthru beside any) with a bare
   * EINVAL: say which sibling is in the way, as far as this namespace can see.
   */
  private async explain(e: unknown, msg: Partial<Link>, subject: string, here = true): Promise<never> {
    const kind = msg.info?.kind;
    // veth_open() refuses to open an end whose peer is not attached yet: the peer, at creation.
    const peer = kind === 'veth' ? (msg.info?.data as VethData | undefined)?.peer : undefined;
    // EEXIST (an index taken, for the link) and EBUSY (for a veth peer) say not what is taken.
    if ((e instanceof ExistsError || e instanceof BusyError) && here) {
      for (const [what, index] of [['index', msg.index], ['the peer\'s index', peer?.netnsFd === undefined ? peer?.index : undefined]] as const) {
        const holder = index ? await this.get(index, { stats: false }).catch(() => undefined) : undefined;
        if (holder) throw errorFor({ errno: e.errno, request: e.request, subject, text: `${e.text} (${what} ${index} is link "${holder.name}"'s)` });
      }
    }
    if (e instanceof NetlinkError && e.errno === constants.errno.ENOTCONN && peer?.flags?.includes('up')) {
      throw errorFor({ errno: e.errno, request: e.request, subject, text: `${e.text} (a veth peer cannot be brought up at creation: set it up afterwards)` });
    }
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
    if (!newest) throw new NotFoundError({ errno: constants.errno.ENODEV, subject: `new ${asText(kind)} link`, text: 'made, but not found afterwards' });
    return newest;
  }

  private modify(msg: Partial<Link>, flags: number, subject: string): Promise<NlMessage[]> {
    const body = (w: Writer): void => encodeLink(w, msg);
    return this.rt.client
      .request({ type: RTM_NEWLINK, flags, name: 'RTM_NEWLINK', body })
      .catch((e: unknown) => {
        // A value the codecs could not encode: named as the caller wrote it.
        const cause = e instanceof InvalidArgumentError ? e.cause : undefined;
        throw cause instanceof EncodeError ? invalid(subject, `${userPath(cause.path, msg)}: ${cause.reason}`) : naming(subject)(e);
      });
  }
}

/** Runs `fn`, its NetlinkError given `subject`. */
function tryNaming<T>(subject: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    return naming(subject)(e);
  }
}

const isNsid = (ref: NetnsRef | { nsid: number }): ref is { nsid: number } => typeof ref === 'object' && ref !== null && 'nsid' in ref;

const describeParentNetns = (ref: NetnsRef | { nsid: number }): string => (isNsid(ref) ? `nsid ${asText(ref.nsid)}` : describeNetns(ref));

