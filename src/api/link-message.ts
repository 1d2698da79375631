// Request assembly for rt.link: options (checked in link-options.ts) into the link messages
// the codec encodes. Links named by the caller are resolved through `resolve` (rt.link.indexOf).
import { ADDR_GEN_MODES, IFF_FLAGS, LINKMODES, OPERSTATES, XDP_FLAGS, type IffFlag, type Link, type LinkInfo, type XdpAttrs } from '../../codecs/route/link.js';
import { checkBoolean, checkObject, invalid } from '../errors.js';
import { naming } from './inet.js';
import { vfsMessage, type CurrentVfs } from './link-vf.js';
import {
  ADD_KEYS, CHANGE_KEYS, GROUP_KEYS, KIND_KEYS, NEEDS_PARENT, NO_PARENT, PEER_KEYS, REASON_KEYS, VETH_KEYS, XDP_KEYS,
  byName, checkIndex, checkKind, checkLinkName, checkMac, checkName, checkUint, macvlanData, ownData,
  type AddLinkOptions, type LinkChanges, type LinkGroup, type NewLinkSettings, type VxlanOptions, type XdpChange, type XdpMode,
} from './link-options.js';
import type { LinkRef } from './session.js';
import { asJson, asText } from '../../codecs/netlink/errors.js';

/** A link's index by name (an index is checked and given back). */
export type Resolve = (ref: LinkRef) => Promise<number>;

/** A request naming the link: by index in the header, or by name (IFLA_IFNAME, or IFLA_ALT_IFNAME: byName()). */
export function referTo(ref: LinkRef): Partial<Link> {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref <= 0) throw invalid(`link ${ref}`, 'a link index is a positive integer');
    return { index: ref };
  }
  return byName(ref);
}

/**
 * What set and delete act on: one link, or every link of a group (index 0 and IFLA_GROUP, which
 * the kernel then reads as the selector rather than as a new group).
 */
export function select(sel: LinkRef | LinkGroup): Partial<Link> {
  if (typeof sel !== 'object') return referTo(sel);
  checkObject('link selector', sel, GROUP_KEYS);
  checkUint(describe(sel), 'group', sel.group);
  if (sel.group === undefined) throw invalid('link selector', 'a link name, an index or { group: N }');
  return { index: 0, group: sel.group };
}

/** Settings shared by add, set and a veth peer, checked. */
export function putSettings(msg: Partial<Link>, o: NewLinkSettings, subject: string): void {
  for (const key of ['mtu', 'txqlen', 'group', 'numTxQueues', 'numRxQueues', 'gsoMaxSize', 'gsoMaxSegs', 'groMaxSize', 'gsoIpv4MaxSize', 'groIpv4MaxSize'] as const) {
    checkUint(subject, key, o[key]);
    if (o[key] !== undefined) msg[key] = o[key];
  }
  if (o.address !== undefined) msg.address = checkMac(subject, o.address);
  if (o.broadcast !== undefined) msg.broadcast = checkMac(subject, o.broadcast, 'broadcast', false);
  if (o.alias !== undefined) msg.alias = o.alias;
  if (o.linkmode !== undefined) {
    checkName(subject, 'linkmode', LINKMODES, o.linkmode);
    msg.linkmode = o.linkmode;
  }
  if (o.operstate !== undefined) {
    checkName(subject, 'operstate', OPERSTATES, o.operstate);
    msg.operstate = o.operstate;
  }
  setFlag(msg, 'up', o.up, subject, 'up');
  setFlag(msg, 'promisc', o.promisc, subject, 'promisc');
  setFlag(msg, 'allmulti', o.allmulti, subject, 'allmulti');
  setFlag(msg, 'multicast', o.multicast, subject, 'multicast');
  setFlag(msg, 'dynamic', o.dynamic, subject, 'dynamic');
  setFlag(msg, 'noarp', negated(o.arp, subject, 'arp'), subject, 'arp');
  setFlag(msg, 'notrailers', negated(o.trailers, subject, 'trailers'), subject, 'trailers');
}

/** `arp: false` is NOARP set: the opposite flag, once checked. */
function negated(v: unknown, subject: string, key: string): boolean | undefined {
  const on = checkBoolean(subject, key, v);
  return on === undefined ? undefined : !on;
}

/** Sets or clears IFF_* bits: ifi_flags with ifi_change saying which ones count. */
function setFlag(link: Partial<Link>, flag: IffFlag, on: boolean | undefined, subject: string, key: string): void {
  if (checkBoolean(subject, key, on) === undefined) return;
  const bit = IFF_FLAGS[flag];
  link.change = ((link.change ?? 0) | bit) >>> 0;
  if (on) (link.flags ??= []).push(flag);
}

/**
 * The RTM_NEWLINK message for `add`, checked; `resolve` gives a link's index by name, and
 * `resolveParent` the parent's (in `parentNetns` when given).
 */
export async function newLinkMessage(o: AddLinkOptions, subject: string, resolve: Resolve, resolveParent = resolve): Promise<Partial<Link>> {
  checkKind(subject, o.kind);
  const parent = 'parent' in o ? o.parent : undefined;
  if (NEEDS_PARENT.has(o.kind) && parent === undefined) throw invalid(subject, `a ${o.kind} link needs a parent device`);
  if (NO_PARENT.has(o.kind) && parent !== undefined) throw invalid(subject, `a ${o.kind} link takes no parent device`);
  const msg: Partial<Link> = o.name === undefined ? {} : { name: o.name };
  refuseSetOnly(o, subject);
  checkObject(subject, o, ADD_KEYS);
  if (o.index !== undefined) msg.index = checkIndex(subject, 'index', o.index);
  const other = KIND_KEYS.find((k) => k !== o.kind && (o as Partial<Record<string, unknown>>)[k] !== undefined);
  if (other) throw invalid(subject, `${other} options are for a ${other} link, not a ${o.kind} one`);
  putSettings(msg, o, subject);
  const data = await kindData(o, subject, resolve);
  msg.info = (data === undefined ? { kind: o.kind } : { kind: o.kind, data }) as LinkInfo;
  if (parent !== undefined) msg.parent = await resolveParent(parent).catch(naming(`${subject}: parent ${describe(parent)}`));
  if (o.master !== undefined) msg.master = await resolve(o.master);
  return msg;
}

/** IFLA_INFO_DATA for the kind, from the options under the kind's own key. */
async function kindData(o: AddLinkOptions, subject: string, resolve: Resolve): Promise<object | undefined> {
  switch (o.kind) {
    case 'macvlan':
      return o.macvlan === undefined ? undefined : macvlanData(subject, o.macvlan);
    case 'macvtap':
      return o.macvtap === undefined ? undefined : macvlanData(subject, o.macvtap);
    case 'veth': {
      if (o.veth === undefined) return undefined;
      checkObject(`${subject}: veth`, o.veth, VETH_KEYS);
      checkObject(`${subject}: veth.peer`, o.veth.peer);
      const p = o.veth.peer;
      const peer: Partial<Link> = p.name === undefined ? {} : { name: checkLinkName(p.name) };
      refuseSetOnly(p, `${subject}: peer`);
      checkObject(`${subject}: veth.peer`, p, PEER_KEYS);
      if (p.index !== undefined) {
        // veth_newlink() takes the peer's ifi_index only when the link's own is given, else passes over it.
        if (o.index === undefined) throw invalid(subject, "veth.peer.index needs index too: the kernel takes the peer's only beside the link's own");
        peer.index = checkIndex(subject, 'veth.peer.index', p.index);
      }
      putSettings(peer, p, `${subject}: peer`);
      return { peer };
    }
    case 'vxlan':
      return o.vxlan === undefined ? undefined : vxlanData(subject, o.vxlan, resolve);
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

/** A vxlan's options, its underlay device resolved to an index. */
async function vxlanData(subject: string, o: VxlanOptions, resolve: Resolve): Promise<object> {
  checkObject(`${subject}: vxlan`, o);
  const { link, ...rest } = o;
  return link === undefined ? rest : { ...rest, link: await resolve(link).catch(naming(`${subject}: vxlan.link ${asJson(link)}`)) };
}

/** The RTM_NEWLINK message for `set` (all but the namespace), checked; `currentVfs` for a VF's rate given by half. */
export async function changeMessage(ref: LinkRef | LinkGroup, c: LinkChanges, subject: string, resolve: Resolve, currentVfs: CurrentVfs): Promise<Partial<Link>> {
  checkObject(`${subject}: changes`, c, CHANGE_KEYS);
  if (typeof ref === 'object') {
    // The group is the selector; a name for every link of it cannot be.
    const bad = (['name', 'group', 'netns'] as const).find((k) => c[k] !== undefined);
    if (bad) throw invalid(subject, `${bad} cannot be set for a whole group`);
  }
  const msg = typeof ref !== 'string' || c.name === undefined ? select(ref) : { index: await resolve(ref) };
  if (c.name !== undefined) msg.name = checkLinkName(c.name);
  putSettings(msg, c, subject);
  putLinkState(msg, c, subject);
  if (c.master !== undefined && c.nomaster) throw invalid(subject, 'master and nomaster together');
  if (c.master !== undefined) msg.master = await resolve(c.master);
  if (c.nomaster) msg.master = 0;
  if (c.index !== undefined) {
    if (c.netns === undefined) throw invalid(subject, 'index changes only with a move to another namespace (netns)');
    msg.newIfindex = checkIndex(subject, 'index', c.index);
  }
  const info: LinkInfo = {};
  const kinds = (['macvlan', 'macvtap', 'bridge', 'vxlan', 'vlan', 'ipvlan', 'ipvtap'] as const).filter((k) => c[k] !== undefined);
  if (kinds.length > 1) throw invalid(subject, `${kinds.join(' and ')} changes together: a link is of one kind`);
  if (c.macvlan !== undefined) Object.assign(info, { kind: 'macvlan', data: macvlanData(subject, c.macvlan) });
  if (c.macvtap !== undefined) Object.assign(info, { kind: 'macvtap', data: macvlanData(subject, c.macvtap) });
  if (c.bridge !== undefined) Object.assign(info, { kind: 'bridge', data: ownData(subject, 'bridge', c.bridge) });
  if (c.vxlan !== undefined) Object.assign(info, { kind: 'vxlan', data: await vxlanData(subject, c.vxlan, resolve) });
  // The kinds whose data goes as given: from those present (none, on the common path), not from every kind.
  for (const kind of kinds) if (kind === 'vlan' || kind === 'ipvlan' || kind === 'ipvtap') Object.assign(info, { kind, data: ownData(subject, kind, c[kind]) });
  if (c.bridgePort !== undefined) Object.assign(info, { slaveKind: 'bridge', slaveData: ownData(subject, 'bridgePort', c.bridgePort) });
  if (Object.keys(info).length > 0) msg.info = info;
  for (const key of ['inet', 'inet6'] as const) if (c[key] !== undefined) checkObject(`${subject}: ${key}`, c[key]);
  if (c.inet || c.inet6) {
    if (c.inet6?.addrGenMode !== undefined) checkName(subject, 'addrGenMode', ADDR_GEN_MODES, c.inet6.addrGenMode);
    msg.afSpec = {};
    if (c.inet) msg.afSpec.inet = { set: c.inet };
    if (c.inet6) msg.afSpec.inet6 = Object.fromEntries(Object.entries(c.inet6).filter(([, v]) => v !== undefined));
  }
  if (c.xdp !== undefined) msg.xdp = xdpMessage(c.xdp, subject);
  if (c.vfs !== undefined) msg.vfInfoList = await vfsMessage(c.vfs, subject, currentVfs);
  return msg;
}

/** XDP_FLAGS_*_MODE by mode. */
const XDP_MODES: Record<XdpMode, number> = { drv: XDP_FLAGS.drvMode, generic: XDP_FLAGS.skbMode, offload: XDP_FLAGS.hwMode };

/** IFLA_XDP for an XdpChange, checked; a program given by the path it is pinned at is the caller's to open (its `fd` left out). */
function xdpMessage(x: XdpChange, subject: string): XdpAttrs {
  checkObject(`${subject}: xdp`, x, XDP_KEYS);
  const { program, mode } = x;
  if (!('program' in x)) throw invalid(subject, 'xdp.program is missing: a program\'s descriptor, the path it is pinned at, or null to detach');
  if (program !== null && typeof program !== 'string' && !(Number.isInteger(program) && program >= 0 && program <= 0x7fffffff)) {
    throw invalid(subject, `xdp.program is a descriptor (an integer from 0), a pinned path or null, not ${asText(program)}`);
  }
  if (mode !== undefined) checkName(subject, 'xdp mode', XDP_MODES, mode);
  const flags = (checkBoolean(subject, 'xdp.force', x.force) ? 0 : XDP_FLAGS.updateIfNoexist) | (mode === undefined ? 0 : XDP_MODES[mode]);
  const fd = program === null ? -1 : typeof program === 'number' ? program : undefined;
  return { fd, flags: [flags] };
}

/** What only a link that exists takes: given to add() (by plain JS: the types have no such key there), it would be passed over (IFLA_XDP and IFLA_VFINFO_LIST too). */
const SET_ONLY = ['protoDown', 'protoDownReason', 'carrier', 'xdp', 'vfs'] as const;
function refuseSetOnly(o: object, subject: string): void {
  const key = SET_ONLY.find((k) => (o as LinkChanges)[k] !== undefined);
  if (key) throw invalid(subject, `${key} is for a link that exists (link.set()): the kernel passes over it at creation`);
}

/** What only a link that exists takes (the kernel passes over them at creation): protodown, its reasons, the carrier. */
function putLinkState(msg: Partial<Link>, c: LinkChanges, subject: string): void {
  if (checkBoolean(subject, 'protoDown', c.protoDown) !== undefined) msg.protoDown = c.protoDown;
  if (checkBoolean(subject, 'carrier', c.carrier) !== undefined) msg.carrier = c.carrier;
  const reason = c.protoDownReason;
  if (reason === undefined) return;
  checkObject(`${subject}: protoDownReason`, reason, REASON_KEYS);
  for (const key of ['mask', 'value'] as const) {
    if (reason[key] === undefined) throw invalid(subject, `protoDownReason.${key} is missing: the reason bits to set, and what to set them to`);
    checkUint(subject, `protoDownReason.${key}`, reason[key]);
  }
  msg.protoDownReason = { mask: reason.mask, value: reason.value };
}

/**
 * The option a caller wrote, from the message keys an EncodeError names: `info.data.forwardDelay`
 * was `bridge.forwardDelay`, `afSpec.inet.set.arpNotify` was `inet.arpNotify`.
 */
export function userPath(path: readonly string[], msg: Partial<Link>): string {
  const p = path.join('.');
  const kind = msg.info?.kind ?? 'data';
  return p.replace(/^info\.data(?=\.|$)/, kind).replace(/^info\.slaveData(?=\.|$)/, 'bridgePort').replace(/^afSpec\.inet\.set(?=\.|$)/, 'inet').replace(/^afSpec\./, '');
}


export function describe(ref: LinkRef | LinkGroup): string {
  if (typeof ref === 'object' && ref !== null) return `link group ${asText(ref.group)}`;
  return typeof ref === 'number' ? `link ${ref}` : `link "${asText(ref)}"`;
}
