// `rtnl link`: ip/iplink.c's grammar (add, set, delete, show) mapped onto rt.link.
import { ADDR_GEN_MODES, OPERSTATES } from '../../codecs/route/link.js';
import type { BridgeData, BridgePortData } from '../../codecs/route/link-kinds/bridge.js';
import {
  NO_PARENT, type AddLinkOptions, type LinkChanges, type LinkMode, type MacvlanOptions, type NewLinkSettings, type OperState, type VxlanOptions,
} from '../api/link-options.js';
import { bridgeOptions, bridgePortOptions, macvlanOptions, vxlanOptions } from './link-kind-args.js';
import { lladdr, lladdrBytes } from './prefix.js';
import { NetlinkError } from '../errors.js';
import { checkNetnsName, withNetnsFd, type NetnsRef } from '../netns/resolve.js';
import { Args, CliError, atoi, badAltName, badName, duparg2, duparg, int32, invarg, linkGroup, matches, named, notTaken, parseOnOff, pick, uint, usageError } from './args.js';
import { protodownReasons } from './name-db.js';
import { ifIndex, type Context } from './context.js';
import { show } from './address.js';
import { XDP_WORDS, xdpArgs } from './xdp-args.js';
import { vfArgs } from './vf-args.js';
import { ipvlanOptions, vlanOptions } from './vlan-args.js';
import type { VlanData } from '../../codecs/route/link-kinds/vlan.js';
import type { IpvlanData } from '../../codecs/route/link-kinds/ipvlan.js';
import type { PinnedProgram } from '../api/bpf.js';

export const LINK_USAGE = `Usage: rtnl link add [ link DEV [ link-netns NAME | link-netnsid ID ] ] [ name ] NAME
                    [ index IDX ] [ txqueuelen PACKETS ] [ address LLADDR ] [ broadcast LLADDR ]
                    [ mtu MTU ] [ netns { PID | NAME } ] [ up ] [ FLAG { on | off } ]
                    [ numtxqueues QUEUES ] [ numrxqueues QUEUES ]
                    [ alias NAME ] [ master DEVICE ] [ group GROUP ]
                    [ mode LINKMODE ] [ state OPERSTATE ] [ gso_max_size BYTES ]
                    [ gso_max_segs SEGMENTS ] [ gro_max_size BYTES ]
                    type TYPE [ ARGS ]

       rtnl link delete { DEVICE | dev DEVICE | group GROUP } [ type TYPE ]

       rtnl link set { DEVICE | dev DEVICE | group GROUP }
                    [ { up | down } ] [ type { macvlan | macvtap | bridge_slave } ARGS ]
                    [ FLAG { on | off } ]
                    [ txqueuelen PACKETS ] [ name NEWNAME ] [ address LLADDR ]
                    [ broadcast LLADDR ] [ mtu MTU ] [ netns { PID | NAME } [ index IDX ] ]
                    [ alias NAME ] [ master DEVICE ] [ nomaster ]
                    [ addrgenmode { eui64 | none | stable_secret | random } ]
                    [ group GROUP ] [ mode LINKMODE ] [ state OPERSTATE ]
                    [ carrier { on | off } ] [ protodown { on | off } ]
                    [ protodown_reason PREASON { on | off } ]
                    [ gso_max_size BYTES ] [ gso_max_segs SEGMENTS ] [ gro_max_size BYTES ]
                    [ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off | pinned FILE } ]
                    [ vf NUM [ mac LLADDR ] [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]
                             [ rate TXRATE ] [ max_tx_rate TXRATE ] [ min_tx_rate TXRATE ]
                             [ spoofchk { on | off } ] [ query_rss { on | off } ] [ state { auto | enable | disable } ]
                             [ trust { on | off } ] [ node_guid EUI64 ] [ port_guid EUI64 ] ]

       rtnl link show [ DEVICE | group GROUP ] [ up ] [ master DEV | nomaster ] [ vrf NAME ] [ type TYPE ]

       rtnl link xstats type { bridge | bridge_slave } [ igmp | stp ] [ dev DEVICE ]

       rtnl link property add dev DEVICE [ altname NAME .. ]
       rtnl link property del dev DEVICE [ altname NAME .. ]

       rtnl link help [ TYPE ]

GROUP := { default | NUMBER }
LINKMODE := { default | dormant }
OPERSTATE := { up | down | unknown | dormant | testing | lowerlayerdown | notpresent }
PREASON := { NUMBER (0 to 31) | a name of /etc/iproute2/protodown_reasons.d/*.conf }
FLAG := { arp | multicast | allmulticast | promisc | trailers | dynamic }
TYPE := { macvlan | macvtap | veth | bridge | vxlan | vlan | ipvlan | ipvtap | ... }
VETH ARGS := [ peer [ name ] NAME [ address LLADDR ] [ mtu MTU ] [ netns { PID | NAME } ] ... ]
MACVLAN ARGS := [ mode { private | vepa | bridge | passthru [ nopromisc ] | source [ nodst ] } ]
                [ macaddr { { add | del } MAC | set [ MAC [ MAC ... ] ] | flush } ]
                [ bcqueuelen N ] [ bclim N ]
VLAN ARGS := [ id VLANID ] [ protocol VLANPROTO ] [ { reorder_hdr | gvrp | mvrp | loose_binding | bridge_binding } { on | off } ]
             [ ingress-qos-map FROM:TO ... ] [ egress-qos-map FROM:TO ... ]
IPVLAN ARGS := [ mode { l2 | l3 | l3s } ] [ bridge | private | vepa ]
BRIDGE_SLAVE ARGS := [ state STATE ] [ priority N ] [ cost N ] [ mcast_router N ] [ group_fwd_mask N ]
                     [ { guard | hairpin | fastleave | root_block | learning | flood | proxy_arp | proxy_arp_wifi |
                         mcast_fast_leave | mcast_flood | bcast_flood | mcast_to_unicast | neigh_suppress |
                         vlan_tunnel | isolated | locked } { on | off } ]
`;

const COMMANDS = ['add', 'change', 'replace', 'set', 'delete', 'show', 'lst', 'list', 'xstats', 'afstats', 'property', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  const word = args.done ? 'show' : args.next();
  const cmd = pick(word, COMMANDS); // no `chg`: ip's address, route and neigh take it, its link does not
  switch (cmd) {
    case 'add': return modify(ctx, args, 'add');
    case 'change': case 'set': return modify(ctx, args, 'set');
    case 'replace': throw usageError('rtnl link replace is not supported; use delete then add');
    case 'delete': return modify(ctx, args, 'delete');
    case 'show': case 'lst': case 'list': return show(ctx, args, { usage: LINK_USAGE });
    case 'xstats': return (await import('./link-xstats.js')).xstats(ctx, args, IP_KINDS);
    case 'afstats': throw new CliError('rtnl: "link afstats" is not supported (this kernel has no MPLS, whose counters it prints)');
    case 'property': return property(ctx, args);
    case 'help': throw usageError(LINK_USAGE.trimEnd());
    default: throw usageError(`Command "${word}" is unknown, try "rtnl link help".`);
  }
}

/** What `rtnl link add|set|delete` asks, as iplink_parse() reads it. */
interface Request {
  dev?: string;
  name?: string;
  parent?: string;
  /** The last `master DEV` given (ip looks every one up as it reads it; the kernel takes the last). */
  master?: number;
  nomaster?: true;
  /** `netns NAME|PID` as written, and the namespace it names, checked as ip reads it. */
  netns?: string;
  netnsRef?: NetnsRef;
  /** `link-netns NAME` or `link-netnsid ID`: the namespace the parent (`link DEV`) is in, as ip reads them. */
  linkNetns?: string | { nsid: number };
  settings: NewLinkSettings;
  /** protodown, its reasons, the carrier, XDP and VFs: `link set` only (the kernel passes over them at creation). */
  setOnly: Pick<LinkChanges, 'protoDown' | 'protoDownReason' | 'carrier' | 'xdp' | 'vfs'>;
  /** The program `xdp pinned FILE` opened, held until the request is answered. */
  pinned?: PinnedProgram;
  kind?: string;
  macvlan?: MacvlanOptions;
  peer?: Request;
  /** `type bridge_slave ...`: the link's options as a bridge port. */
  bridgePort?: BridgePortData;
  /** `type bridge_slave backup_port DEV`: resolved to an index when the request is sent. */
  backupPort?: string;
  /** IFLA_INET6_ADDR_GEN_MODE, with `link set` only. */
  addrGenMode?: keyof typeof ADDR_GEN_MODES;
  bridge?: BridgeData;
  vxlan?: VxlanOptions;
  vlan?: VlanData;
  /** Of an ipvlan or ipvtap. */
  ipvlan?: IpvlanData;
  /** What ip writes on stderr and goes on (vxlan without dstport). */
  warnings: string[];
}

/** `WORD on|off`: the setting it is, and whether `on` sets it or clears it (`arp on` clears NOARP). */
const ON_OFF: Record<string, 'arp' | 'multicast' | 'allmulti' | 'promisc' | 'trailers' | 'dynamic'> = {
  arp: 'arp', multicast: 'multicast', allmulticast: 'allmulti', promisc: 'promisc', trailers: 'trailers', dynamic: 'dynamic',
};

function onOff(word: string, key: string): boolean {
  if (word === 'on') return true;
  if (word === 'off') return false;
  // ip's parse_on_off() fails the command (exit 1), it does not exit().
  throw new CliError(`Error: argument of "${key}" must be "on" or "off", not "${word}"`);
}

/** iplink_parse()'s words rtnl does not take, each exact or by prefix as ip reads it (in ip's order, after those rtnl takes). */
const NOT_TAKEN: Array<[string, boolean]> = [
  ['vrf', true], ['parentdev', true],
];

/** ip's get_link_mode() and get_operstate(): the names, in any case (ip 6.1 has no `testing` mode). */
const LINKMODE_WORDS: LinkMode[] = ['default', 'dormant'];
const OPERSTATE_WORDS = Object.keys(OPERSTATES) as OperState[];
function oneOf<T extends string>(word: string, names: readonly T[], refusal: string): T {
  const name = names.find((n) => n === word.toLowerCase());
  if (name === undefined) throw invarg(refusal, word);
  return name;
}

/** The kernel's GSO_MAX_SEGS, which ip checks gso_max_segs against. */
const GSO_MAX_SEGS = 65535;

/** `protodown_reason PREASON on|off`: that bit of the mask, set or cleared (ip sends each such pair as its own nest; the kernel takes the last). */
function protodownReason(args: Args): { mask: number; value: number } {
  const word = args.next();
  const bit = named(protodownReasons.names(), word, 31);
  if (bit === undefined) throw invarg('invalid protodown reason', word);
  const mask = 2 ** bit;
  const on = args.next();
  // Either by a prefix (`o` is on here), else on_off()'s refusal.
  const set = matches(on, 'on') || (!matches(on, 'off') && onOff(on, 'protodown_reason'));
  return { mask, value: set ? mask : 0 };
}

/** ip's duparg(): a word given twice ends ip at its second value, before that value is read. */
function once(given: unknown, key: string, v: string): string {
  if (given !== undefined) throw duparg(key, v);
  return v;
}

/**
 * iplink_parse(): its words, exact or by prefix as ip takes each, in its order, up to the kind;
 * a master looked up and a namespace opened where ip does it, as the words are read.
 */
async function parse(ctx: Context, args: Args): Promise<Request> {
  const r: Request = { settings: {}, setOnly: {}, warnings: [] };
  try {
    await parseInto(ctx, args, r);
    return r;
  } catch (e) {
    r.pinned?.[Symbol.dispose]();
    throw e;
  }
}

async function parseInto(ctx: Context, args: Args, r: Request): Promise<void> {
  const s = r.settings;
  while (!args.done) {
    const w = args.next();
    if (w === 'up' || w === 'down') s.up = w === 'up';
    else if (w === 'name') {
      r.name = once(r.name, 'name', args.next());
      if (badName(r.name)) throw invarg('"name" not a valid ifname', r.name, false);
    } else if (w === 'index') {
      const v = args.next();
      if (s.index) throw duparg('index', v); // ip's test: an index of 0 was never taken
      s.index = atoi(v);
      if (s.index <= 0) throw invarg('Invalid "index" value', v, false);
    }
    else if (matches(w, 'link')) r.parent = args.next();
    else if (matches(w, 'address')) s.address = lladdr(args.next());
    else if (matches(w, 'broadcast') || w === 'brd') s.broadcast = lladdr(args.next());
    else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) s.txqlen = uint(once(s.txqlen, 'txqueuelen', args.next()), 'txqueuelen');
    else if (w === 'mtu') s.mtu = uint(once(s.mtu, 'mtu', args.next()), 'mtu');
    else if (Object.hasOwn(XDP_WORDS, w)) {
      // ip sends each; the kernel takes the last.
      r.pinned?.[Symbol.dispose]();
      ({ change: r.setOnly.xdp, pinned: r.pinned } = xdpArgs(args, XDP_WORDS[w], ctx.opts.force === true));
    }
    else if (w === 'netns') {
      r.netns = once(r.netns, 'netns', args.next());
      r.netnsRef = netnsArg(r.netns);
    }
    else if (Object.hasOwn(ON_OFF, w) && w !== 'dynamic') s[ON_OFF[w]] = onOff(args.next(), w);
    else if (matches(w, 'master')) {
      // Each sends IFLA_MASTER (nomaster as 0), and the kernel takes the last: the last word counts.
      r.master = await ctx.existing(args.next());
      r.nomaster = undefined;
    } else if (matches(w, 'nomaster')) r.nomaster = true;
    else if (matches(w, 'dynamic')) s.dynamic = onOff(args.next(), 'dynamic');
    else if (matches(w, 'type')) {
      r.kind = args.next(); // the kind's own words are read later (kindWordsRead), as ip reads them
      break;
    } else if (matches(w, 'alias')) s.alias = args.next();
    else if (w === 'group') s.group = linkGroup(once(s.group, 'group', args.next()));
    else if (matches(w, 'numtxqueues')) s.numTxQueues = uint(once(s.numTxQueues, 'numtxqueues', args.next()), 'numtxqueues');
    else if (matches(w, 'numrxqueues')) s.numRxQueues = uint(once(s.numRxQueues, 'numrxqueues', args.next()), 'numrxqueues');
    else if (matches(w, 'addrgenmode')) {
      const mode = args.next();
      if (!Object.hasOwn(ADDR_GEN_MODES, mode)) throw invarg('Invalid address generation mode', mode);
      r.addrGenMode = mode as keyof typeof ADDR_GEN_MODES;
    } else if (w === 'carrier') r.setOnly.carrier = parseOnOff(args.next(), w);
    else if (w === 'mode') s.linkmode = oneOf(args.next(), LINKMODE_WORDS, 'Invalid link mode');
    else if (w === 'state') s.operstate = oneOf(args.next(), OPERSTATE_WORDS, 'Invalid operstate');
    else if (w === 'protodown') r.setOnly.protoDown = parseOnOff(args.next(), w);
    else if (w === 'protodown_reason') r.setOnly.protoDownReason = protodownReason(args);
    else if (w === 'gso_max_size') s.gsoMaxSize = uint(args.next(), w);
    else if (w === 'gso_max_segs') s.gsoMaxSegs = uint(args.next(), w, GSO_MAX_SEGS);
    else if (w === 'gro_max_size') s.groMaxSize = uint(args.next(), w);
    else if (matches(w, 'link-netns')) r.linkNetns = linkNetnsArg(r.linkNetns, args.next());
    else if (matches(w, 'link-netnsid')) {
      const v = args.next();
      if (r.linkNetns !== undefined) throw duparg('link-netns/link-netnsid', v);
      r.linkNetns = { nsid: int32(v, 'link-netnsid', () => invarg('Invalid "link-netnsid" value', v)) };
    } else if (w === 'vf') {
      // ip sends each `vf` in an IFLA_VFINFO_LIST of its own, of which the kernel reads the last; rtnl sends them all in one.
      const vf = args.next();
      if (r.dev === undefined) throw usageError('Error: argument "dev" is required');
      (r.setOnly.vfs ??= []).push(vfArgs(args, vf));
    } else if (notTaken(w, NOT_TAKEN)) {
      throw new CliError(`rtnl: link "${w}" is not supported`);
    } else if (matches(w, 'help')) {
      throw usageError(LINK_USAGE.trimEnd());
    } else {
      const dev = w === 'dev' ? args.next() : w;
      if (r.dev !== undefined) throw duparg2('dev', dev);
      if (badAltName(dev)) throw invarg('"dev" not a valid ifname', dev, false); // a link is also found by an alternative name
      r.dev = dev;
    }
  }
}

/** The words after `type KIND`; `device`: a vxlan's `dev` to its index. */
async function kindArgs(ctx: Context, r: Request, args: Args, create: boolean, device: (name: string) => number): Promise<void> {
  // ip reads a kind's words only when some follow it, and sends no kind data without (the kernel
  // then judges: a vxlan without its id is `Required attributes not provided`, a link that is no
  // bridge port takes `type bridge_slave`).
  if (args.done) return;
  const kind = r.kind!;
  const warn = (w: string): number => r.warnings.push(w);
  if (kind === 'macvlan' || kind === 'macvtap') r.macvlan = macvlanOptions(kind, args, warn);
  else if (kind === 'bridge_slave') Object.assign(r, bridgePortOptions(args));
  else if (kind === 'bridge') r.bridge = bridgeOptions(args);
  else if (kind === 'vxlan') r.vxlan = vxlanOptions(args, create, warn, ctx.opts.family, device);
  else if (kind === 'vlan') r.vlan = vlanOptions(args);
  else if (kind === 'ipvlan' || kind === 'ipvtap') r.ipvlan = ipvlanOptions(kind, args);
  else if (kind === 'veth') {
    const w = args.next();
    // ip 6.1 prints veth's usage and exits 1.
    if (w !== 'peer') throw new CliError("Usage: rtnl link <options> type veth [peer <options>]\nTo get <options> type 'rtnl link add help'");
    r.peer = await parse(ctx, args);
    if (r.peer.parent !== undefined || r.peer.master !== undefined || r.peer.nomaster || r.peer.kind !== undefined) {
      throw usageError('rtnl: a veth peer takes no "link", "master", "nomaster" or "type"');
    }
  } else {
    // ip 6.1 reads options for the kinds it has a link_util for; after any other kind, a word is garbage.
    const w = args.peek()!;
    if (IP_KINDS.has(kind)) throw usageError(`rtnl: options of link type "${kind}" are not supported (only macvlan, macvtap, bridge, vxlan, vlan, ipvlan, ipvtap and veth peer)`);
    if (matches(w, 'help')) throw usageError(LINK_USAGE.trimEnd());
    throw new CliError(`Garbage instead of arguments "${w} ...". Try "rtnl link help".`);
  }
}

/** The kinds ip 6.1 has a link_util (options of its own) for. */
const IP_KINDS = new Set([
  'amt', 'bareudp', 'batadv', 'bond', 'bond_slave', 'bridge', 'bridge_slave', 'can', 'dsa', 'dummy', 'erspan', 'geneve', 'gre',
  'gretap', 'gtp', 'hsr', 'ifb', 'ip6erspan', 'ip6gre', 'ip6gretap', 'ip6tnl', 'ipip', 'ipoib', 'ipvlan', 'ipvtap', 'macsec',
  'macvlan', 'macvtap', 'netdevsim', 'nlmon', 'rmnet', 'sit', 'team', 'tun', 'vcan', 'veth', 'virt_wifi', 'vlan', 'vrf',
  'vrf_slave', 'vti', 'vti6', 'vxcan', 'vxlan', 'wwan', 'xfrm',
]);

/**
 * `rtnl link property { add | del } [ dev ] DEV [ altname NAME ]...`: iplink_prop() and
 * iplink_prop_mod(). Where rtnl differs from ip: the names go all or none (addAltNames()); ip
 * sends them in one request, and the kernel keeps those before the one it refused.
 */
async function property(ctx: Context, args: Args): Promise<void> {
  if (args.done) throw usageError(LINK_USAGE.trimEnd());
  const op = args.next();
  const add = matches(op, 'add');
  if (!add && !matches(op, 'del')) {
    if (matches(op, 'help')) throw usageError(LINK_USAGE.trimEnd());
    throw usageError('Operator required');
  }
  const names: string[] = [];
  let dev: string | undefined;
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'altname')) {
      const name = args.next();
      if (badAltName(name)) throw invarg('not a valid altname', name, false);
      names.push(name);
    } else if (matches(w, 'help')) {
      throw usageError(LINK_USAGE.trimEnd());
    } else {
      const d = w === 'dev' ? args.next() : w;
      if (dev !== undefined) throw duparg2('dev', d);
      if (badAltName(d)) throw invarg('"dev" not a valid ifname', d, false);
      dev = d;
    }
  }
  if (dev === undefined) throw usageError('Not enough of information: "dev" argument is required.');
  const index = await ctx.index(dev);
  const api = await ctx.linkApi();
  await (add ? api.addAltNames(index, names) : api.deleteAltNames(index, names));
}

/**
 * `netns NAME|PID`, as ip reads it: a name under /run/netns (or a path) that opens, else digits
 * only as a process id, else `Invalid "netns" value` (exit 255) before anything is sent.
 */
function netnsArg(ns: string): NetnsRef {
  try {
    return withNetnsFd(ns, () => ns);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    if (/^\d+$/.test(ns)) return { pid: Number(ns) };
    throw invarg('Invalid "netns" value', ns);
  }
}

/**
 * `link-netns NAME`: a name under /run/netns (or a path) that opens, else ip's `Invalid
 * "link-netns" value`; given twice, ip's duparg().
 */
function linkNetnsArg(given: Request['linkNetns'], ns: string): string {
  if (given !== undefined) throw duparg('link-netns/link-netnsid', ns);
  try {
    withNetnsFd(ns.includes('/') ? ns : checkNetnsName(ns), () => undefined);
  } catch {
    throw invarg('Invalid "link-netns" value', ns);
  }
  return ns;
}

/** A namespace that cannot be opened: ip's `Invalid "netns" value` for a name, the library's message for a process. */
function namespaceFailed(r: Request) {
  return (e: unknown): never => {
    if (!(e instanceof NetlinkError) || !e.subject?.startsWith('namespace')) throw e;
    const ns = r.netns ?? r.peer?.netns ?? '';
    throw /^\d+$/.test(ns) ? new CliError(e.message, 2) : invarg('Invalid "netns" value', ns);
  };
}

async function modify(ctx: Context, args: Args, cmd: 'add' | 'set' | 'delete'): Promise<void> {
  const r = await parse(ctx, args);
  try {
    await apply(ctx, r, args, cmd);
  } finally {
    for (const m of [r, r.peer]) m?.pinned?.[Symbol.dispose]();
  }
}

async function apply(ctx: Context, r: Request, args: Args, cmd: 'add' | 'set' | 'delete'): Promise<void> {
  // Links are looked up in ip's order, the first missing one named: the master as ip reads the
  // words, then the parent (add) or the link itself (set), then a vxlan's device as ip reads the
  // kind's words, whose warnings come last.
  const refs = await references(ctx, r);
  if (cmd === 'add') {
    if (!r.kind) throw new CliError('Not enough information: "type" argument is required');
    if (r.addrGenMode) throw usageError('rtnl: addrgenmode is taken by "link set" only');
    // The parent is looked up where it is (ip looks its name up here and sends that index for there).
    if (r.peer?.linkNetns !== undefined) throw usageError('rtnl: link-netns is for the link, not a veth peer');
    if (r.linkNetns !== undefined) {
      if (r.parent === undefined) throw usageError('rtnl: link-netns is where the parent ("link DEV") is: it takes one');
      Object.assign(refs, { parent: ifIndex(r.parent) ?? r.parent, parentNetns: r.linkNetns });
    }
    await kindWordsRead(ctx, r, args, true);
    for (const made of [r, r.peer]) {
      if (made && Object.keys(made.setOnly).length > 0) throw usageError('rtnl: protodown, protodown_reason, carrier, vf and xdp are taken by "link set" only (the kernel passes over them at creation)');
    }
    // One request with the final name, as ip sends it (the kernel checks it in the target namespace).
    const o: Record<string, unknown> = { ...r.settings, ...refs, name: r.name ?? r.dev, kind: r.kind, renameInside: false };
    // ip sends `link DEV` as IFLA_LINK whatever the kind; veth, bridge and dummy drivers ignore it, add() refuses it.
    if (NO_PARENT.has(r.kind)) delete o.parent;
    if (r.kind === 'macvlan' || r.kind === 'macvtap') o[r.kind] = r.macvlan;
    if (r.kind === 'bridge' || r.kind === 'vxlan' || r.kind === 'vlan') o[r.kind] = r[r.kind];
    if (r.kind === 'ipvlan' || r.kind === 'ipvtap') o[r.kind] = r.ipvlan;
    const p = r.peer;
    if (p) o.veth = { peer: { ...p.settings, name: p.name ?? p.dev, netns: p.netnsRef } };
    // Words typed by a user are what a plain-JS caller passes: add() checks them at run time.
    await (await ctx.linkApi()).add(o as unknown as AddLinkOptions).catch(namespaceFailed(r));
    return;
  }
  if (r.linkNetns !== undefined) throw usageError('rtnl: link-netns is taken by "link add" only (the kernel reads it when it makes a link)');
  if (r.dev === undefined && r.settings.group !== undefined) return modifyGroup(ctx, r, cmd, refs);
  if (r.dev === undefined) throw usageError('Not enough information: "dev" argument is required.'); // exit(-1)
  // One request for the link: its address length checked (ip's order), then its index.
  const link = await ctx.link(r.dev);
  for (const a of [r.settings.address, ...(r.setOnly.vfs ?? []).map((v) => v.mac)]) sameAddressLength(link?.address, a);
  indexWhereTaken(r);
  const index = link?.index ?? await ctx.index(r.dev); // not found by name: `ifN`, or ip's `Cannot find device`
  await kindWordsRead(ctx, r, args, false);
  if (cmd === 'delete') return (await ctx.linkApi()).delete(index); // ip sends the rest too; the kernel reads none of it
  const { numTxQueues, numRxQueues, ...settings } = r.settings;
  if (numTxQueues !== undefined || numRxQueues !== undefined) throw usageError('rtnl: numtxqueues and numrxqueues are set at creation only');
  const c: LinkChanges = { ...settings, ...r.setOnly, ...refs };
  if (r.name !== undefined) c.name = r.name;
  if (r.nomaster) c.nomaster = true;
  if (r.addrGenMode) c.inet6 = { addrGenMode: r.addrGenMode };
  if (r.kind === 'macvlan' || r.kind === 'macvtap') c[r.kind] = r.macvlan;
  else if (r.kind === 'bridge_slave') {
    if (r.bridgePort) c.bridgePort = { ...r.bridgePort, ...(r.backupPort !== undefined && { backupPort: await ctx.existing(r.backupPort) }) };
  }
  else if (r.kind === 'bridge') c.bridge = r.bridge;
  else if (r.kind === 'vxlan') c.vxlan = r.vxlan;
  else if (r.kind === 'vlan') c.vlan = r.vlan;
  else if (r.kind === 'ipvlan' || r.kind === 'ipvtap') c[r.kind] = r.ipvlan;
  else if (r.kind !== undefined) throw usageError(`rtnl: link set ... type ${r.kind} is not supported (only macvlan, macvtap, bridge, vxlan, vlan, ipvlan, ipvtap and bridge_slave)`);
  return (await ctx.linkApi()).set(index, c).catch(namespaceFailed(r));
}

/** iplink_parse()'s check of `index N` beside a link that exists: only when it moves to another namespace. */
function indexWhereTaken(r: Request): void {
  if (r.settings.index !== undefined && r.netns === undefined) {
    throw new CliError('index can be used only when creating devices or when moving device to another netns.', 255);
  }
}

/** iplink_parse()'s check of `link set DEV address LLADDR`: as long as the link's own address, when it has one. */
function sameAddressLength(own: string | undefined, address: string | undefined): void {
  if (address === undefined || own === undefined) return;
  const [given, must] = [lladdrBytes(address), lladdrBytes(own)];
  if (must !== undefined && given !== must) throw new CliError(`Invalid address length ${given} - must be ${must} bytes`);
}

/** `link set|delete group N ...`: every link of the group, in one request. */
async function modifyGroup(ctx: Context, r: Request, cmd: 'set' | 'delete', refs: References): Promise<void> {
  indexWhereTaken(r);
  const { group: selected, numTxQueues, numRxQueues, ...settings } = r.settings;
  const sel = { group: selected as number };
  if (cmd === 'delete') return (await ctx.linkApi()).delete(sel);
  if (numTxQueues !== undefined || numRxQueues !== undefined || r.name !== undefined || r.netns !== undefined || r.kind !== undefined) {
    throw usageError('rtnl: link set group N changes flags, mtu, txqueuelen, address, broadcast, alias and master only');
  }
  const c: LinkChanges = { ...settings, ...r.setOnly, ...refs };
  if (r.nomaster) c.nomaster = true;
  return (await ctx.linkApi()).set(sel, c);
}

/**
 * Parent and master by index, resolved as ip resolves them (`Cannot find device "x"`); the
 * namespace as a NetnsRef. A parent in another namespace (`link-netns`) is found there, by add().
 */
type References = { parent?: number | string; master?: number; netns?: NetnsRef; parentNetns?: Request['linkNetns'] };
async function references(ctx: Context, r: Request): Promise<References> {
  const out: References = {};
  if (r.master !== undefined && !r.nomaster) out.master = r.master;
  if (r.parent !== undefined && r.linkNetns === undefined) out.parent = await ctx.index(r.parent);
  if (r.netnsRef !== undefined) out.netns = r.netnsRef;
  return out;
}

/**
 * The kind's words, read after the links above are found, as ip reads them, then their warnings.
 * A vxlan's `dev` fails where ip reads it (`Cannot find device "x"`, exit 255): every word that
 * could be its name is looked up first, since the words are read synchronously.
 */
async function kindWordsRead(ctx: Context, r: Request, args: Args, create: boolean): Promise<void> {
  if (r.kind === undefined) return;
  const words = args.ahead();
  const found = new Map<string, number | undefined>();
  if (r.kind === 'vxlan') for (let i = 1; i < words.length; i++) if (words[i - 1] === 'dev') found.set(words[i], await ctx.lookup(words[i]));
  try {
    await kindArgs(ctx, r, args, create, (name) => {
      const index = found.get(name);
      if (index === undefined) throw new CliError(`Cannot find device "${name}"`, 255);
      return index;
    });
  } finally {
    for (const w of r.warnings) ctx.io?.err(w); // before a refusal where ip would send (a vxlan's `remote any`)
  }
}

