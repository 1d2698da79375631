// `rtnl link`: ip/iplink.c's grammar (add, set, delete, show) over RTM_*LINK.
import { closeSync, openSync } from 'node:fs';
import { NLM_F_CREATE, NLM_F_EXCL } from '../../codecs/netlink/constants.js';
import { parseLladdr } from '../../codecs/netlink/codecs.js';
import { RTM_DELLINK, RTM_NEWLINK } from '../../codecs/route/constants.js';
import { encodeLink, type IffFlag, type Link, type LinkInfo } from '../../codecs/route/link.js';
import { MACVLAN_MODES, type MacvlanData } from '../../codecs/route/link-kinds/macvlan.js';
import { Args, CliError, duparg, invarg, matches, pick, uint, usageError } from './args.js';
import type { Context } from './context.js';
import { printLink, type LinkNames } from './format-link.js';

export const LINK_USAGE = `Usage: rtnl link add [link DEV] [ name ] NAME
                    [ txqueuelen PACKETS ] [ address LLADDR ] [ broadcast LLADDR ]
                    [ mtu MTU ] [ netns { PID | NAME } ] [ up ]
                    type TYPE [ ARGS ]

       rtnl link delete { DEVICE | dev DEVICE } [ type TYPE ]

       rtnl link set { DEVICE | dev DEVICE }
                    [ { up | down } ] [ type TYPE ARGS ]
                    [ arp { on | off } ] [ multicast { on | off } ]
                    [ allmulticast { on | off } ] [ promisc { on | off } ]
                    [ txqueuelen PACKETS ] [ name NEWNAME ] [ address LLADDR ]
                    [ broadcast LLADDR ] [ mtu MTU ] [ netns { PID | NAME } ]
                    [ alias NAME ] [ master DEVICE ] [ nomaster ]

       rtnl link show [ DEVICE ] [ up ] [ master DEV ] [ type TYPE ]

       rtnl link help [ TYPE ]

TYPE := { macvlan | macvtap | veth | bridge | vxlan | ... }
MACVLAN ARGS := [ mode { private | vepa | bridge | passthru [ nopromisc ] | source [ nodst ] } ]
                [ macaddr { { add | del } MAC | set [ MAC [ MAC ... ] ] | flush } ]
                [ bcqueuelen N ]
`;

const COMMANDS = ['add', 'change', 'replace', 'set', 'delete', 'show', 'lst', 'list', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  const word = args.done ? 'show' : args.next();
  const cmd = word === 'chg' ? 'change' : pick(word, COMMANDS);
  switch (cmd) {
    case 'add': return modify(ctx, args, 'add');
    case 'change': case 'set': return modify(ctx, args, 'set');
    case 'replace': throw usageError('rtnl link replace is not supported; use delete then add');
    case 'delete': return modify(ctx, args, 'delete');
    case 'show': case 'lst': case 'list': return show(ctx, args);
    case 'help': throw usageError(LINK_USAGE.trimEnd());
    default: throw usageError(`Command "${word}" is unknown, try "rtnl link help".`);
  }
}

/** What `rtnl link add|set|delete` asks, as iplink_parse() reads it. */
interface Request {
  dev?: string;
  name?: string;
  parent?: string;
  kind?: string;
  flags: IffFlag[];
  change: number;
  attrs: Partial<Link>;
  netns?: string;
  master?: string;
}

const ON_OFF_FLAGS: Record<string, IffFlag> = {
  arp: 'noarp', multicast: 'multicast', allmulticast: 'allmulti', promisc: 'promisc', trailers: 'notrailers', dynamic: 'dynamic',
};
const IFF: Record<IffFlag, number> = {
  up: 0x1, broadcast: 0x2, debug: 0x4, loopback: 0x8, pointopoint: 0x10, notrailers: 0x20, running: 0x40, noarp: 0x80,
  promisc: 0x100, allmulti: 0x200, master: 0x400, slave: 0x800, multicast: 0x1000, portsel: 0x2000, automedia: 0x4000,
  dynamic: 0x8000, lower_up: 0x10000, dormant: 0x20000, echo: 0x40000,
};

function setFlag(r: Request, flag: IffFlag, on: boolean): void {
  r.change |= IFF[flag];
  r.flags = r.flags.filter((f) => f !== flag);
  if (on) r.flags.push(flag);
}

function onOff(word: string, key: string): boolean {
  if (word === 'on') return true;
  if (word === 'off') return false;
  throw usageError(`Error: argument of "${key}" must be "on" or "off", not "${word}"`);
}

function lladdr(s: string): string {
  try {
    parseLladdr(s);
    return s.toLowerCase();
  } catch {
    throw new CliError(`"${s}" is invalid lladdr.`);
  }
}

/** iplink_parse(): the words before `type`, then the kind's own words. */
function parse(args: Args, create: boolean): Request {
  const r: Request = { flags: [], change: 0, attrs: {} };
  while (!args.done) {
    const w = args.next();
    if (w === 'up' || w === 'down') setFlag(r, 'up', w === 'up');
    else if (w === 'name') r.name = args.next();
    else if (matches(w, 'link')) r.parent = args.next();
    else if (matches(w, 'address')) r.attrs.address = lladdr(args.next());
    else if (matches(w, 'broadcast') || w === 'brd') r.attrs.broadcast = lladdr(args.next());
    else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) r.attrs.txqlen = uint(args.next(), 'txqueuelen');
    else if (w === 'mtu') r.attrs.mtu = uint(args.next(), 'mtu');
    else if (w === 'netns') {
      if (r.netns !== undefined) throw duparg('netns', args.peek() ?? '');
      r.netns = args.next();
    } else if (w in ON_OFF_FLAGS || (w !== 'a' && matches(w, 'allmulticast'))) {
      const key = w in ON_OFF_FLAGS ? w : 'allmulticast';
      const on = onOff(args.next(), key);
      setFlag(r, ON_OFF_FLAGS[key], key === 'arp' || key === 'trailers' ? !on : on);
    } else if (w === 'alias') r.attrs.alias = args.next();
    else if (w === 'master') r.master = args.next();
    else if (w === 'nomaster') r.attrs.master = 0;
    else if (matches(w, 'numtxqueues')) r.attrs.numTxQueues = uint(args.next(), 'numtxqueues');
    else if (matches(w, 'numrxqueues')) r.attrs.numRxQueues = uint(args.next(), 'numrxqueues');
    else if (matches(w, 'type')) {
      r.kind = args.next();
      r.attrs.info = kindInfo(r.kind, args, create);
      break;
    } else if (matches(w, 'help')) {
      throw usageError(LINK_USAGE.trimEnd());
    } else {
      const dev = w === 'dev' ? args.next() : w;
      if (r.dev !== undefined) throw duparg('dev', dev);
      r.dev = dev;
    }
  }
  return r;
}

/** IFLA_LINKINFO for `type KIND ARGS`. */
function kindInfo(kind: string, args: Args, create: boolean): LinkInfo {
  if (kind === 'macvlan' || kind === 'macvtap') return { kind, data: macvlanData(kind, args) };
  if (kind === 'veth' && !args.done) {
    const w = args.next();
    if (w !== 'peer') throw usageError(`veth: unknown option "${w}"?`);
    const peer = parse(args, create);
    const name = peer.name ?? peer.dev;
    return { kind, data: { peer: { ...peer.attrs, ...(name === undefined ? {} : { name }), flags: peer.flags, change: peer.change } } };
  }
  if (!args.done) throw usageError(`rtnl: options of link type "${kind}" are not supported (only macvlan, macvtap and veth peer)`);
  return { kind };
}

const MAC_MODES = ['add', 'del', 'set', 'flush'] as const;

/** iplink_macvlan.c macvlan_parse_opt(). */
function macvlanData(kind: string, args: Args): MacvlanData {
  const d: MacvlanData = {};
  const flags: Array<'nopromisc' | 'nodst'> = [];
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'mode')) {
      const mode = args.next();
      if (!(mode in MACVLAN_MODES)) {
        throw new CliError(`Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${mode}"`);
      }
      d.mode = mode as keyof typeof MACVLAN_MODES;
    } else if (matches(w, 'macaddr')) {
      const m = args.next();
      if (!(MAC_MODES as readonly string[]).includes(m)) throw usageError(`${kind}: unknown command "${m}"?`);
      d.macaddrMode = m as (typeof MAC_MODES)[number];
      if (m === 'add' || m === 'del') d.macaddr = lladdr(args.next());
      if (m === 'set') {
        d.macaddrs = [];
        for (let next = args.peek(); next !== undefined && isMac(next); next = args.peek()) d.macaddrs.push(args.next().toLowerCase());
      }
    } else if (matches(w, 'nopromisc')) flags.push('nopromisc');
    else if (matches(w, 'nodst')) flags.push('nodst');
    else if (matches(w, 'bcqueuelen')) d.bcqueuelen = uint(args.next(), 'bcqueuelen');
    else if (matches(w, 'help')) throw usageError(LINK_USAGE.trimEnd());
    else throw usageError(`${kind}: unknown option "${w}"?`);
  }
  if (flags.length) {
    if (flags.includes('nopromisc') && d.mode !== 'passthru') throw usageError(`${kind}: nopromisc flag only valid in passthru mode`);
    d.flags = flags;
  }
  return d;
}

const isMac = (s: string): boolean => /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i.test(s);

/** The IFLA_NET_NS_FD or IFLA_NET_NS_PID of `netns NS`; returns the fd to close after. */
function netnsAttr(r: Request): number | undefined {
  if (r.netns === undefined) return undefined;
  const ns = r.netns;
  if (!ns.includes('/')) {
    try {
      const fd = openSync(`/run/netns/${ns}`, 'r');
      r.attrs.netnsFd = fd;
      return fd;
    } catch { /* not a name: maybe a pid */ }
  }
  if (!/^\d+$/.test(ns)) throw invarg('Invalid "netns" value', ns);
  r.attrs.netnsPid = Number(ns);
  return undefined;
}

async function modify(ctx: Context, args: Args, cmd: 'add' | 'set' | 'delete'): Promise<void> {
  const r = parse(args, cmd === 'add');
  const attrs: Partial<Link> = { ...r.attrs, flags: r.flags, change: r.change };
  if (cmd === 'add') {
    const name = r.name ?? r.dev;
    if (name !== undefined) attrs.name = name;
    if (!r.kind) throw new CliError('Not enough information: "type" argument is required');
  } else {
    if (r.dev === undefined) throw new CliError('Not enough information: "dev" argument is required.');
    attrs.index = await ctx.index(r.dev);
    if (r.name !== undefined) attrs.name = r.name;
  }
  if (r.parent !== undefined) attrs.parent = await ctx.index(r.parent);
  if (r.master !== undefined) attrs.master = await ctx.index(r.master);
  const fd = netnsAttr(r);
  if (fd !== undefined) attrs.netnsFd = fd;
  else if (r.attrs.netnsPid !== undefined) attrs.netnsPid = r.attrs.netnsPid;
  const client = await ctx.client();
  try {
    await client.request({
      type: cmd === 'delete' ? RTM_DELLINK : RTM_NEWLINK,
      flags: cmd === 'add' ? NLM_F_CREATE | NLM_F_EXCL : 0,
      name: cmd === 'delete' ? 'RTM_DELLINK' : 'RTM_NEWLINK',
      body: (w) => encodeLink(w, attrs),
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `ip link show [dev] X [up] [master M] [type T]`. */
async function show(ctx: Context, args: Args): Promise<void> {
  const f: { dev?: string; up?: boolean; master?: string; kind?: string } = {};
  while (!args.done) {
    const w = args.next();
    if (w === 'up') f.up = true;
    else if (w === 'master') f.master = args.next();
    else if (w === 'type') f.kind = args.next();
    else if (matches(w, 'help')) throw usageError(LINK_USAGE.trimEnd());
    else {
      const dev = w === 'dev' ? args.next() : w;
      if (f.dev !== undefined) throw duparg('dev', dev);
      f.dev = dev;
    }
  }
  await printLinks(ctx, f, true);
}

/** The links that pass a filter, each printed as print_linkinfo does; also the first lines of `ip address show`. */
export async function printLinks(
  ctx: Context,
  f: { dev?: string; up?: boolean; master?: string; kind?: string },
  doLink: boolean,
  after?: (l: Link) => void,
  keep?: (l: Link) => boolean,
): Promise<void> {
  ctx.out.listing = true;
  const all = await ctx.links();
  let list = [...all.values()];
  if (f.dev !== undefined) {
    const one = await ctx.link(f.dev);
    if (!one) throw new CliError(`Device "${f.dev}" does not exist.`);
    list = [one];
  }
  const master = f.master === undefined ? undefined : await ctx.index(f.master);
  list = list.filter((l) => (!f.up || l.flags.includes('up'))
    && (master === undefined || l.master === master)
    && (f.kind === undefined || l.info?.kind === f.kind)
    && (keep === undefined || keep(l)));
  const names = await linkNames(ctx);
  for (const l of list) {
    printLink(ctx.out, l, names, ctx.opts.details, doLink, ctx.opts.family);
    after?.(l);
    ctx.out.closeObject();
  }
}

/** Names for the formatter: links of this namespace, and namespaces by nsid (for link-netns). */
export async function linkNames(ctx: Context): Promise<LinkNames> {
  const all = await ctx.links();
  const nsNames = new Map<number, string>();
  if ([...all.values()].some((l) => l.linkNetnsId !== undefined)) {
    for (const e of await (await ctx.rt()).nsid.list()) if (e.name !== undefined) nsNames.set(e.nsid, e.name);
  }
  return {
    name: (i) => all.get(i)?.name ?? `if${i}`,
    flagsOf: (i) => all.get(i)?.flags,
    netnsName: (id) => nsNames.get(id),
  };
}
