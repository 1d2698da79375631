// What rt.link takes: the option types, one member per kind, and the checks that plain-JS
// callers get as TypeScript callers do (names, MACs, integers, kinds, macvlan options).
import { parseLladdr } from '../../codecs/netlink/addresses.js';
import type { Names } from '../../codecs/netlink/names.js';
import { ADDR_GEN_MODES, IPV4_DEVCONF, LINKMODES, OPERSTATES, type LinkKind } from '../../codecs/route/link.js';
import type { VF_LINK_STATES } from '../../codecs/route/link-vf.js';
import type { VLAN_PROTOCOLS } from '../../codecs/route/link-kinds/vlan.js';
import {
  MACVLAN_FLAGS, MACVLAN_MODES, type BridgeData, type BridgePortData, type IpvlanData, type MacvlanData,
  type MacvlanFlag, type MacvlanMode, type OtherKind, type VlanData, type VxlanData,
} from '../../codecs/route/link-kinds/index.js';
import { checkObject, invalid, optionKeys } from '../errors.js';
import type { NetnsRef } from '../netns/resolve.js';
import type { LinkRef } from './session.js';
import { asJson, asText } from '../../codecs/netlink/errors.js';

/** Every link of a group (IFLA_GROUP): what `ip link set|delete group N` selects. Group 0 is `default`. */
export interface LinkGroup {
  group: number;
}

export interface LinkListFilter {
  /** Only links of this kind (`macvlan`, `veth`...). The kernel filters when it knows the kind. */
  kind?: LinkKind;
  /** Only the ports of this master. */
  master?: LinkRef;
  /** Only the links of this group (the kernel does not filter by group: this is done here). */
  group?: number;
  /** List the links of the namespace with this id (as seen from the socket's namespace). */
  targetNsid?: number;
  /**
   * false: leave `stats64` out of the result and ask the kernel to skip VF counters
   * (RTEXT_FILTER_SKIP_STATS). The kernel sends IFLA_STATS64 whatever the mask.
   */
  stats?: boolean;
  /** true: an SR-IOV device's virtual functions too (RTEXT_FILTER_VF: `numVf`, `vfInfoList`), as ip lists links. */
  vfs?: boolean;
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

/** IFLA_LINKMODE's and IFLA_OPERSTATE's names, as links are read with them. */
export type LinkMode = keyof typeof LINKMODES;
export type OperState = keyof typeof OPERSTATES;

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
  /** The largest packet (bytes) and segment count the stack builds for the link to segment (GSO). */
  gsoMaxSize?: number;
  gsoMaxSegs?: number;
  /** The largest packet (bytes) GRO builds on the link. */
  groMaxSize?: number;
  /** The same two limits for IPv4 (kernel 6.3 and later), above 64 KiB for BIG TCP. */
  gsoIpv4MaxSize?: number;
  groIpv4MaxSize?: number;
  /** 'dormant': user space (a supplicant) holds the link's operstate at dormant until it says `operstate: 'up'`. */
  linkmode?: LinkMode;
  /** What user space says of the link under linkmode dormant: the kernel takes 'up', 'dormant' and 'testing', and passes over the rest. */
  operstate?: OperState;
}

/** At creation only: the kernel sizes the queues when it makes the device. */
export interface NewLinkSettings extends LinkSettings {
  numTxQueues?: number;
  numRxQueues?: number;
  /** The index (ifindex) the link gets, 1 to 2147483647 (`ip link add ... index N`); default the next free one. One taken: ExistsError. */
  index?: number;
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

/** What a link that sits on a parent device takes: the parent, and where it is. */
export interface OnParent {
  parent: LinkRef;
  /**
   * The namespace the parent is in, when not the socket's (`ip link add ... link-netns NAME`,
   * IFLA_LINK_NETNSID): a parent given by name is looked up there; the link is made there on it
   * and moved to the socket's namespace (or `netns`'s). The namespace gets an id there if it has
   * none, as ip gives it one. `{ nsid }` is the namespace the link's own (the socket's, or
   * `netns`'s) numbers so (`link-netnsid ID`).
   */
  parentNetns?: NetnsRef | { nsid: number };
}

/** Options by kind: the kind's own options sit under a key named after it, as in a listed Link's `info`. */
export interface AddLinkKinds {
  macvlan: OnParent & { macvlan?: MacvlanOptions };
  macvtap: OnParent & { macvtap?: MacvlanOptions };
  veth: { veth?: VethOptions };
  bridge: { bridge?: BridgeData };
  vxlan: Partial<OnParent> & { vxlan?: VxlanOptions };
  vlan: OnParent & { vlan?: VlanData };
  ipvlan: OnParent & { ipvlan?: IpvlanData };
  ipvtap: OnParent & { ipvtap?: IpvlanData };
  dummy: object;
}

/**
 * What `rt.link.add` takes: one member per kind, so that a kind's options go with that kind
 * only (`{ kind: 'veth', macvlan: ... }` does not compile) and kinds that sit on a parent
 * device require one. Kinds the library does not model take the common settings and a parent.
 */
export type AddLinkOptions =
  | { [K in keyof AddLinkKinds]: AddLinkCommon & { kind: K } & AddLinkKinds[K] }[keyof AddLinkKinds]
  | (AddLinkCommon & { kind: OtherKind } & Partial<OnParent>);

export interface LinkChanges extends LinkSettings {
  /** New name. */
  name?: string;
  /**
   * Held down whatever its carrier (IFLA_PROTO_DOWN), as a VRRP backup holds its macvlan: for
   * links whose driver allows it (macvlan, vxlan; a veth refuses it). Not at creation, where the
   * kernel passes over it.
   */
  protoDown?: boolean;
  /**
   * The reason bits of `mask` set to those of `value` (32 bits each): while any reason is set,
   * protodown cannot be cleared. `{ mask: 1 << 3, value: 1 << 3 }` sets reason 3.
   */
  protoDownReason?: { mask: number; value: number };
  /** The carrier, for the drivers that let user space say it (not veth nor macvlan: the kernel refuses). Not at creation. */
  carrier?: boolean;
  master?: LinkRef;
  nomaster?: true;
  /** Move the link into this namespace. */
  netns?: NetnsRef;
  /** With `netns`: the index it gets there, 1 to 2147483647 (IFLA_NEW_IFINDEX, Linux 6.7); else it keeps its own when free. */
  index?: number;
  macvlan?: MacvlanChanges;
  macvtap?: MacvlanChanges;
  /** A bridge's own options, e.g. `{ stpState: 1, forwardDelay: 400 }` (the kernel takes what it can change). */
  bridge?: BridgeData;
  /** A vxlan's options the kernel can change in place (ttl, tos, learning, ageing...). */
  vxlan?: VxlanOptions;
  /** A vlan's flags and priority maps (the kernel changes no id nor protocol). */
  vlan?: VlanData;
  /** An ipvlan's or ipvtap's mode and flags. */
  ipvlan?: IpvlanData;
  ipvtap?: IpvlanData;
  /** Options of the link as a bridge port, e.g. `{ hairpin: true }`. */
  bridgePort?: BridgePortData;
  /** IPv4 devconf values (net.ipv4.conf.DEV.*), e.g. `{ arpNotify: 1 }`. */
  inet?: { [K in (typeof IPV4_DEVCONF)[number]]?: number };
  inet6?: { addrGenMode?: keyof typeof ADDR_GEN_MODES; token?: string };
  /** An XDP program attached or detached (`ip link set DEV xdp|xdpgeneric|xdpdrv|xdpoffload ...`). */
  xdp?: XdpChange;
  /** Settings of an SR-IOV device's virtual functions (`ip link set DEV vf N ...`), each VF by its number. */
  vfs?: VfChange[];
}

/**
 * One virtual function's settings (IFLA_VF_INFO); those left out stay as they are. The driver
 * judges them: a device without VFs refuses any (EOPNOTSUPP), as does a driver without that setting.
 */
export interface VfChange {
  /** The VF's number, from 0. */
  vf: number;
  /** Its link-layer address, as long as the device's own (six bytes for Ethernet). */
  mac?: string;
  /** The VLAN the VF's traffic is put in (id 0: none); 802.1Q unless said, or 802.1ad (QinQ). */
  vlan?: { id: number; qos?: number; protocol?: keyof typeof VLAN_PROTOCOLS };
  /** The most it may send, Mbps (0: no limit); the least stays (IFLA_VF_TX_RATE, ip's `rate`). */
  txRate?: number;
  /** The least and the most it may send, Mbps (0: no limit); one left out stays as the VF has it. */
  rate?: { minTxRate?: number; maxTxRate?: number };
  /** Whether the device drops what the VF sends from another source address. */
  spoofchk?: boolean;
  /** The VF's link: up with the device's (`auto`), up, or down. */
  linkState?: keyof typeof VF_LINK_STATES;
  /** Whether the VF may read the device's RSS configuration. */
  rssQueryEn?: boolean;
  /** Whether the VF may ask for privileged things (promiscuity, more MACs). */
  trust?: boolean;
  /** An InfiniBand VF's node and port GUIDs (64 bits). */
  ibNodeGuid?: bigint;
  ibPortGuid?: bigint;
}

/** Where an XDP program runs: in the driver, in the generic path every link has (`xdpgeneric`), or on the card. */
export type XdpMode = 'drv' | 'generic' | 'offload';

export interface XdpChange {
  /**
   * The program: the descriptor of one loaded, the path where one is pinned (a file of a bpf
   * filesystem, as `ip ... xdp pinned PATH`), or null to detach the mode's program (`xdp off`).
   */
  program: number | string | null;
  /** Default: the kernel's choice, the driver's XDP when it has one, else generic. */
  mode?: XdpMode;
  /** Replace a program attached already, as ip's -force; without it the kernel refuses (BusyError). */
  force?: boolean;
}

// The keys each options object takes, refused otherwise (checkObject()).
const SETTINGS = [
  'up', 'mtu', 'address', 'broadcast', 'txqlen', 'group', 'alias', 'promisc', 'allmulti', 'multicast', 'dynamic', 'arp', 'trailers',
  'gsoMaxSize', 'gsoMaxSegs', 'groMaxSize', 'gsoIpv4MaxSize', 'groIpv4MaxSize', 'linkmode', 'operstate',
] as const;
/** The keys under which a kind's own options go: each taken with its kind only. */
export const KIND_KEYS = ['macvlan', 'macvtap', 'veth', 'bridge', 'vxlan', 'vlan', 'ipvlan', 'ipvtap'] as const;
export const ADD_KEYS = optionKeys<AddLinkOptions>()(...SETTINGS, ...KIND_KEYS, 'numTxQueues', 'numRxQueues', 'index', 'name', 'master', 'netns', 'renameInside', 'kind', 'parent', 'parentNetns');
export const VETH_KEYS = optionKeys<VethOptions>()('peer');
export const PEER_KEYS = optionKeys<VethOptions['peer']>()(...SETTINGS, 'numTxQueues', 'numRxQueues', 'index', 'name', 'netns');
export const CHANGE_KEYS = optionKeys<LinkChanges>()(
  ...SETTINGS, 'name', 'protoDown', 'protoDownReason', 'carrier', 'master', 'nomaster', 'netns', 'index', 'macvlan', 'macvtap', 'bridge', 'vxlan', 'vlan', 'ipvlan', 'ipvtap', 'bridgePort', 'inet', 'inet6', 'xdp', 'vfs',
);
export const XDP_KEYS = optionKeys<XdpChange>()('program', 'mode', 'force');
export const VF_KEYS = optionKeys<VfChange>()('vf', 'mac', 'vlan', 'txRate', 'rate', 'spoofchk', 'linkState', 'rssQueryEn', 'trust', 'ibNodeGuid', 'ibPortGuid');
export const VF_VLAN_KEYS = optionKeys<Required<VfChange>['vlan']>()('id', 'qos', 'protocol');
export const VF_RATE_KEYS = optionKeys<Required<VfChange>['rate']>()('minTxRate', 'maxTxRate');
export const REASON_KEYS = optionKeys<Required<LinkChanges>['protoDownReason']>()('mask', 'value');
export const GROUP_KEYS = optionKeys<LinkGroup>()('group');
const MACVLAN_KEYS = optionKeys<MacvlanOptions>()('mode', 'flags', 'bcqueuelen', 'bcCutoff', 'sourceMacs', 'macaddr');

/** A kind is a non-empty string: the kernel judges kinds newer than the types know. */
export function checkKind(subject: string, kind: unknown): LinkKind {
  if (typeof kind !== 'string' || kind === '') throw invalid(subject, `a link kind is a name (macvlan, veth, bridge...), not ${asText(kind)}`);
  return kind as LinkKind;
}

/** A kind's options, passed to its table as they are (the codecs check every value). */
export function ownData(subject: string, kind: string, data: object | undefined): object | undefined {
  if (data !== undefined) checkObject(`${subject}: ${kind}`, data);
  return data;
}

/** Kinds whose links sit on a parent device. */
export const NEEDS_PARENT = new Set(['macvlan', 'macvtap', 'vlan', 'ipvlan', 'ipvtap']);
/** Kinds the types give no parent (AddLinkKinds): refused at run time too, for plain JS. */
export const NO_PARENT = new Set(['veth', 'bridge', 'dummy']);
const IFNAMSIZ = 16;

/** What the kernel's dev_valid_name() refuses, refused before sending. */
export function checkLinkName(name: unknown): string {
  const subject = `link "${asText(name).slice(0, 40)}"`;
  if (typeof name !== 'string' || name === '') throw invalid(subject, 'a link name must be a non-empty string');
  const len = Buffer.byteLength(name);
  if (len >= IFNAMSIZ) throw invalid(subject, `a link name is at most ${IFNAMSIZ - 1} bytes, this one is ${len}`);
  if (name === '.' || name === '..') throw invalid(subject, `"${name}" is not a usable link name`);
  if (/[/:\s\0]/.test(name)) throw invalid(subject, 'a link name cannot contain "/", ":" or whitespace');
  return name;
}

/** ALTIFNAMSIZ: an alternative name's room, its NUL included. */
const ALTIFNAMSIZ = 128;

/** What makes `name` no alternative name a link can have: ip's check_altifname() (empty, "/", whitespace) and the kernel's limit. */
function altNameFault(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return `an alternative name is a non-empty string, not ${asJson(name)}`;
  const len = Buffer.byteLength(name);
  if (len >= ALTIFNAMSIZ) return `an alternative name is at most ${ALTIFNAMSIZ - 1} bytes, "${name.slice(0, 40)}..." is ${len}`;
  if (/[/\s\0]/.test(name)) return `an alternative name cannot contain "/" or whitespace, as "${name}" does`;
  return undefined;
}

/** An alternative name for `subject`, checked. */
export function checkAltName(subject: string, name: unknown): string {
  const fault = altNameFault(name);
  if (fault) throw invalid(subject, fault);
  return name as string;
}

/**
 * A link named by the caller, as a request names it: IFLA_IFNAME for a name a link can have,
 * IFLA_ALT_IFNAME for any other name it can be known by (an alternative name: longer, or with
 * ":"), as ip sends them; the kernel looks either up among all names. One that can be neither
 * is refused as a link name.
 */
export function byName(name: unknown): { name: string } | { altName: string } {
  try {
    return { name: checkLinkName(name) };
  } catch (e) {
    if (altNameFault(name) === undefined) return { altName: name as string };
    throw e;
  }
}

/** A unicast MAC: the kernel refuses a multicast one with EADDRNOTAVAIL, which would read as "not found". */
export function checkMac(subject: string, mac: unknown, what = 'address', unicast = true): string {
  let bytes: Uint8Array;
  try {
    bytes = parseLladdr(mac as string, 6);
  } catch {
    throw invalid(subject, `${what} ${typeof mac === 'string' ? `"${mac}"` : asText(mac)} is not a MAC address (six hex bytes like 02:00:00:00:00:01)`);
  }
  if (unicast && bytes[0] & 1) throw invalid(subject, `${what} "${mac as string}" is a multicast MAC; a link's address must be unicast`);
  return mac as string;
}

/** A link index a caller asks for: 1 to 2147483647 (the kernel's ifindex is a positive int). */
export function checkIndex(subject: string, what: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 0x7fffffff) throw invalid(subject, `${what} must be an integer from 1 to 2147483647, not ${asText(v)}`);
  return v as number;
}

export function checkUint(subject: string, what: string, v: unknown, bits = 32): void {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= 2 ** bits)) {
    throw invalid(subject, `${what} must be an integer from 0 to ${2 ** bits - 1}, not ${asText(v)}`);
  }
}

/** One of the names of a table (numbers are not taken: only the names mean something to the kernel). */
export function checkName(subject: string, what: string, names: Names, v: unknown): void {
  if (!(typeof v === 'string' && Object.hasOwn(names, v))) {
    throw invalid(subject, `unknown ${what} ${typeof v === 'string' ? `"${v}"` : asText(v)} (known: ${Object.keys(names).join(', ')})`);
  }
}

/** The IFLA_MACVLAN_* attributes for macvlan options, checked. */
export function macvlanData(subject: string, o: MacvlanOptions): MacvlanData {
  const d: MacvlanData = {};
  checkObject(`${subject}: macvlan options`, o, MACVLAN_KEYS);
  if (o.mode !== undefined) {
    checkName(subject, 'macvlan mode', MACVLAN_MODES, o.mode);
    d.mode = o.mode;
  }
  if (o.flags !== undefined) {
    if (!Array.isArray(o.flags)) throw invalid(subject, `macvlan flags must be an array, not ${asText(o.flags)}`);
    for (const f of o.flags) checkName(subject, 'macvlan flag', MACVLAN_FLAGS, f);
    d.flags = o.flags;
  }
  checkUint(subject, 'bcqueuelen', o.bcqueuelen);
  d.bcqueuelen = o.bcqueuelen;
  if (o.bcCutoff !== undefined && !Number.isInteger(o.bcCutoff)) throw invalid(subject, `bcCutoff must be an integer, not ${asText(o.bcCutoff)}`);
  d.bcCutoff = o.bcCutoff;
  const m = o.macaddr ?? (o.sourceMacs ? { set: o.sourceMacs } : undefined);
  if (m) {
    if ('add' in m) Object.assign(d, { macaddrMode: 'add', macaddr: checkMac(subject, m.add, 'source MAC') });
    else if ('del' in m) Object.assign(d, { macaddrMode: 'del', macaddr: checkMac(subject, m.del, 'source MAC') });
    else if ('set' in m) Object.assign(d, { macaddrMode: 'set', macaddrs: Array.from(m.set, (x) => checkMac(subject, x, 'source MAC')) });
    else if ('flush' in m) d.macaddrMode = 'flush';
    else throw invalid(subject, 'macaddr takes one of add, del, set or flush');
  }
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as MacvlanData;
}
