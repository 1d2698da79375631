// `rtnl monitor`: ip/ipmonitor.c over rtnl.monitor(). Each change prints as `ip monitor` prints
// it, as it comes (the other commands print when done); `-j` prints one JSON object a line.
import { AF_UNSPEC } from '../../codecs/route/constants.js';
import type { Link } from '../../codecs/route/link.js';
import type { ChangeEvent, WatchedFamily } from '../events/families.js';
import type { MonitorEvent } from '../events/monitor.js';
import type { StampEvent } from '../events/replay.js';
import { Args, CliError, matches, usageError } from './args.js';
import { ProtocolError, strerror } from '../errors.js';
import {
  RTM_DELADDRLABEL, RTM_DELNEXTHOPBUCKET, RTM_NEWADDRLABEL, RTM_NEWNEXTHOPBUCKET, RTNL_FAMILY_IP6MR, RTNL_FAMILY_IPMR,
} from '../../codecs/route/constants.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { printerFor, type Context } from './context.js';
import { printAddress } from './format-address.js';
import { printLink, type LinkNames } from './format-link.js';
import { truncatedVfs } from './format-vf.js';
import { printNeighbour } from './format-neighbour.js';
import { printNetconf } from './format-netconf.js';
import { printRoute } from './format-route.js';
import { printRule } from './format-rule.js';
import { printPrefix } from './format-prefix.js';
import { printStatsNotification } from './format-stats.js';
import { nhInfoOf, printNexthop } from './format-nexthop.js';
import type { NhMessage } from '../../codecs/route/nexthop.js';
import { stringify, type Printer } from './print.js';
import { readFile } from 'node:fs/promises';

export const MONITOR_USAGE = `Usage: rtnl monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ] [ dev DEVICE ]
OBJECTS :=  address | link | neigh | netconf | nexthop | nsid | prefix | route | rule | stats
FILE := file FILENAME`;

/** The names of namespaces by nsid, as far as known; undefined for one asked for and found unnamed. */
type NsNames = Map<number, string | undefined>;

/**
 * ip's words for the objects, each an abbreviation as matches() takes it, the library's families
 * they watch (ip's neighbours are the FDB's entries too: the same messages), and the label under `all`.
 */
const OBJECTS: Array<[word: string, families: WatchedFamily[], label: string]> = [
  ['link', ['link', 'bridgePort'], 'LINK'], ['address', ['address'], 'ADDR'], ['route', ['route'], 'ROUTE'], ['neigh', ['neighbour', 'fdb'], 'NEIGH'],
  ['netconf', ['netconf'], 'NETCONF'], ['rule', ['rule'], 'RULE'], ['nsid', ['nsid'], 'NSID'], ['nexthop', ['nexthop'], 'NEXTHOP'],
  ['prefix', ['prefix'], 'PREFIX'], ['stats', ['stats'], 'STATS'],
];
/**
 * ip 6.1's words in its order: a word is the first one it abbreviates (`l` is `label`, `al`
 * `all-nsid`), or is exactly (`all`, `stats`, `dev`). What rtnl does not model is refused by name.
 */
const WORDS: Array<[word: string, exact: boolean, does: 'object' | 'label' | 'refused' | 'help' | 'dev' | 'all-nsid' | 'file']> = [
  ['file', false, 'file'], ['label', false, 'label'], ['link', false, 'object'], ['address', false, 'object'],
  ['route', false, 'object'], ['mroute', false, 'refused'], ['prefix', false, 'object'], ['neigh', false, 'object'],
  ['netconf', false, 'object'], ['rule', false, 'object'], ['nsid', false, 'object'], ['nexthop', false, 'object'],
  ['stats', true, 'object'], ['all', true, 'label'], ['all-nsid', false, 'all-nsid'], ['help', false, 'help'], ['dev', true, 'dev'],
];

/** What the words chose, and ip's caches, kept as the events print. */
interface Run {
  /** `all` or `label`: each line starts with its object's label. */
  banner: boolean;
  /** `dev DEV`: the index of the one link whose objects print. */
  dev?: number;
  /** `all-nsid`: the changes of every namespace this one gives an id, each line saying whose. */
  allNsid: boolean;
  /** `file FILE`: a recording (rtmon's) printed instead of the kernel's changes. */
  file?: string;
  nsNames: NsNames;
  nexthops: Nexthops;
}

export async function run(ctx: Context, args: Args): Promise<number | undefined> {
  const watched = new Set<WatchedFamily>();
  // The names of the namespaces this one has an id for, read once as ip monitor reads them as it
  // starts (netns_map_init()); later ones are learnt from nsid events only (print_nsid()). The
  // nexthop objects routes name, for -d's nh_info: as ip's cache, each asked of the kernel when
  // first named, then as the nexthop events tell them (ipnh_cache_process_nlmsg()).
  const r: Run = { banner: false, allNsid: false, nsNames: new Map(), nexthops: new Map() };
  while (!args.done) {
    const w = args.next();
    const [word, , does] = WORDS.find(([word, exact]) => (exact ? w === word : matches(w, word))) ?? [];
    const object = OBJECTS.find(([o]) => o === word);
    if (object) for (const f of object[1]) watched.add(f);
    else if (does === 'label') r.banner = true;
    else if (does === 'all-nsid') r.allNsid = true;
    else if (does === 'dev') r.dev = await ctx.existing(args.next());
    else if (does === 'file') r.file = args.next();
    else if (does === 'help') throw usageError(MONITOR_USAGE);
    else if (does === 'refused') throw usageError(`rtnl: monitor ${w} is not supported (only ${OBJECTS.map(([o]) => o).join(', ')})`);
    else throw usageError(`Argument "${w}" is unknown, try "rtnl monitor help".`);
  }
  // A recording holds whatever rtmon recorded: ip prints all of it, whatever objects were named.
  if (r.file !== undefined) return replayFile(ctx, r, r.file);
  if (watched.size === 0) for (const f of OBJECTS.flatMap(([, fs]) => fs)) watched.add(f);
  const { monitor } = await import('../events/monitor.js');
  const m = monitor({ netns: ctx.opts.netns, receiveBuffer: ctx.opts.rcvbuf, sources: true, allNsid: r.allNsid, ...Object.fromEntries([...watched].map((f) => [f, true])) });
  const stop = (): void => m.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await ctx.netnsNames(r.nsNames);
    const show = shower(ctx, r, (i, nsid) => m.link(i, nsid));
    for await (const ev of m) await show(ev);
  } finally {
    m.close(); // also when the names could not be read
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * Prints each event as ip monitor does. `link`: the links as the events' source knows them; what
 * the events have not told (names, nexthop objects) is asked of the kernel, as ip asks it, also
 * when printing a file.
 */
function shower(ctx: Context, r: Run, link: (index: number, nsid?: number) => Link | undefined): (ev: MonitorEvent) => Promise<void> {
  // The flags of the links told so far, as each was told (null: gone), which ip keeps in its
  // cache as it prints (ll_remember_index()): the M-DOWN of a link whose parent went in the same
  // burst. Links not told since the start are as the monitor knows them. Keyed by at(): another
  // namespace's links (all-nsid) are its own.
  const told = new Map<string, Link['flags'] | null>();
  // Names asked of the kernel for links no event had told yet (ip's ll_index_to_name() asks, and
  // keeps the answer): until the link's own event comes.
  const asked = new Map<string, string>();
  // Headers left without a line wait for the next line, as in ip's stdio buffer: ip flushes after
  // each line, and SIGINT ends it with what waits unwritten. Printing a file, ip exits, which writes it all.
  let waiting = '';
  return async (ev) => {
    const nsid = ev.peerNsid;
    if (ctx.opts.details && nsid === undefined) await knowNexthop(ctx, ev, r.nexthops);
    const flagsOf = (i: number): Link['flags'] | undefined => (told.has(at(nsid, i)) ? told.get(at(nsid, i)) ?? undefined : link(i, nsid)?.flags);
    const out = await printEvent(ctx, ev, r, { link: (i) => link(i, nsid), asked }, flagsOf);
    if (!out.line && r.file === undefined) waiting += out.text;
    else if (out.text) {
      ctx.io?.out(waiting + out.text);
      waiting = '';
    }
    if (ev.family === 'nexthop' && ev.source && nsid === undefined) {
      if (ev.type === 'del') r.nexthops.delete(ev.nexthop.id);
      else r.nexthops.set(ev.nexthop.id, ev.source);
    }
    const l = linkIn(ev);
    if (l) {
      told.set(at(nsid, l.index), ev.type === 'del' ? null : l.flags);
      asked.delete(at(nsid, l.index));
    }
  };
}

/**
 * `monitor file FILE`: rtmon's recording, printed as ip prints it (rtnl_from_file()): its time
 * stamps as `Timestamp:` lines, each message as the monitor prints its event, a message no family
 * reads as ip's `Unknown message` on stderr. What ip prints and rtnl cannot (an address label, a
 * nexthop bucket, a multicast route) is said on stderr and makes the status 1; bytes that do not
 * form messages end it with 255, as ip.
 */
async function replayFile(ctx: Context, r: Run, file: string): Promise<number> {
  await ctx.rt(); // as ip, whose socket is open before the file is (and libc's words for its errors loaded)
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`Cannot fopen: ${strerror(-(e.errno ?? 0))}`, 255);
  });
  const { replay } = await import('../events/replay.js');
  const events = replay(bytes, { sources: true });
  const show = shower(ctx, r, (i) => events.link(i));
  let status = 0;
  try {
    for (const ev of events) {
      if (ev.type === 'stamp') ctx.io?.out(stampLine(ctx, ev));
      else if (ev.type === 'unread') status = Math.max(status, unread(ctx, ev.message));
      else if (ev.family === 'route' && ev.source && MROUTE_FAMILIES.includes(ev.source.family)) status = cannotPrint(ctx, 'a multicast route');
      else await show(ev);
    }
  } catch (e) {
    if (e instanceof ProtocolError) throw new CliError(`rtnl: ${file}: ${e.text}`, 255);
    throw e;
  }
  return status;
}
/** Where a link is kept in the command's caches: its index, in its namespace (all-nsid) or this one. */
const at = (nsid: number | undefined, index: number): string => `${nsid ?? ''}|${index}`;

/** Nexthop objects by id, as ip monitor knows them. */
type Nexthops = Map<number, NhMessage>;

/** A route's nexthop object not known yet is asked of the kernel (gone meanwhile: none printed, as ip). */
async function knowNexthop(ctx: Context, ev: MonitorEvent, nexthops: Nexthops): Promise<void> {
  const id = ev.family === 'route' ? ev.source?.attrs.nhId : undefined;
  if (id === undefined || nexthops.has(id)) return;
  const m = await (await ctx.rt()).nexthop.lookup(id).catch(() => undefined);
  if (m) nexthops.set(id, m);
}

/** One event, as ip monitor prints it (or as a JSON line with -j). */
async function printEvent(ctx: Context, ev: MonitorEvent, r: Run, links: Links, flagsOf: LinkNames['flagsOf']): Promise<Printed> {
  if (ev.type === 'synced') {
    const why = ev.reason === 'backlog' ? 'dropped while the output lagged' : 'lost (ENOBUFS)';
    ctx.io?.err(`rtnl: notifications were ${why}; the changes above since the last such line were found by dumping again\n`);
    return NOTHING;
  }
  const { json } = ctx.opts;
  const ofFamily = inFamily(ev, ctx.opts.family, r.file !== undefined);
  const onDev = r.dev === undefined || onLink(ev, r.dev);
  // Another namespace's links are never DEVICE (ip takes its link of DEVICE's index for it): what is on them prints nothing.
  if (!onDev && ev.peerNsid !== undefined) return NOTHING;
  const shown = ofFamily && onDev;
  // What ip has and its printers leave out (by DEVICE; by family in a file, where it joined no
  // group) leaves the line's headers (stamp, nsid, label) without a line, to run into the next:
  // printed as ip prints them. What ip never has (another family's groups not joined), or drops
  // before any header (a neighbour of another family), prints nothing.
  const neighbour = ev.family === 'neighbour' || ev.family === 'fdb';
  if (!shown && (json || (!ofFamily && (r.file === undefined || neighbour)))) return NOTHING;
  const stamp = timestamp(ctx.opts.timestamp);
  const label = OBJECTS.find(([, fs]) => fs.includes(ev.family))?.[2] ?? '';
  // Links named as the event's own object names them, as they were when the kernel told it (ip's
  // cache then), else as the monitor knows them now (the links told after it may be gone or
  // renamed), else as the kernel said when asked.
  const known = (i: number): string | undefined => nameIn(ev, i) ?? links.link(i)?.name ?? links.asked.get(at(ev.peerNsid, i));
  const render = async (): Promise<{ p: Printer; unknown: Set<number> }> => {
    const p = printerFor(ctx.opts);
    // Text only (fp() prints nothing under -j, where the stamp is a field).
    if (stamp && ctx.opts.timestamp === 'long') p.fp(`Timestamp: ${stamp}\n`);
    else if (stamp) p.fp(`[${stamp}] `);
    if (r.allNsid) p.fp(ev.peerNsid === undefined ? '[nsid current]' : `[nsid ${ev.peerNsid}]`);
    if (r.banner) p.fp(`[${label}]`);
    const unknown = new Set<number>();
    const name = (i: number): string => known(i) ?? (unknown.add(i), `if${i}`);
    if (shown) await print(ctx, p, ev, { name, flagsOf, netnsName: (id) => r.nsNames.get(id) }, r, (i) => links.link(i)?.type);
    return { p, unknown };
  };
  let { p, unknown } = await render();
  if (unknown.size > 0 && await askNames(ctx, links.asked, unknown, ev.peerNsid)) ({ p } = await render());
  if (!json) return { text: p.output(), line: shown };
  const fields = {
    event: ev.type, object: ev.family, ...(ev.via === 'dump' ? { via: 'dump' } : {}), ...(ev.peerNsid !== undefined ? { peer_nsid: ev.peerNsid } : {}),
    ...(stamp ? { timestamp: stamp } : {}),
  };
  return { text: `${stringify({ ...fields, ...(p.rows[0] as object) })}\n`, line: true };
}

/** What an event prints: `line` false for a line's headers alone (its message left out). */
interface Printed { text: string; line: boolean }
const NOTHING: Printed = { text: '', line: true };

async function print(ctx: Context, p: Printer, ev: ChangeEvent, names: LinkNames, r: Run, linkType: (index: number) => number | undefined): Promise<void> {
  const { name } = names;
  const deleted = ev.type === 'del';
  // -br as ip prints it here: its link and address lines end without a line break (only the
  // listings end them); -s gives neighbours their counters, and a link's VFs theirs (ip monitor
  // prints no link's own: printLink() prints those for `ip link` only).
  const { details, brief } = ctx.opts;
  switch (ev.family) {
    case 'link':
    case 'bridgePort': {
      const l = ev.family === 'link' ? ev.link : ev.bridgePort;
      printLink(p, l, names, { details, family: 0, stats: ctx.opts.stats, brief, deleted, queue: false }, false);
      const truncated = details && !brief ? truncatedVfs(l) : undefined;
      if (truncated) ctx.io?.err(truncated);
      return p.closeObject();
    }
    case 'address':
      if (ev.source) printAddress(p, ev.source, { brief, oneline: true, dev: name(ev.address.index), deleted });
      return p.closeObject();
    case 'route':
      // Under `dev`, as `route show dev` and `neigh show dev`: the link is not named.
      if (ev.source) printRoute(p, ev.source, { details, name, deleted, nhInfo: nhInfoOf(r.nexthops, name), omit: { dev: r.dev !== undefined } });
      return p.closeObject();
    case 'neighbour':
    case 'fdb':
      if (ev.source) printNeighbour(p, ev.source, (i) => (i === r.dev ? undefined : name(i)), { deleted, miss: ev.type === 'miss', stats: ctx.opts.stats > 0, brief, linkType });
      return;
    case 'netconf':
      if (ev.source) printNetconf(p, ev.source, name, { deleted });
      return;
    case 'rule':
      if (ev.source) printRule(p, ev.source, { deleted, details });
      return;
    case 'nexthop':
      if (ev.source) printNexthop(p, ev.source, { deleted, details, name });
      return;
    case 'nsid':
      // Another namespace's ids are its own numbering: the names here are of this one's.
      return printNsid(ctx, p, ev.nsid.nsid, deleted, ev.peerNsid === undefined ? r.nsNames : undefined);
    case 'prefix':
      if (ev.source) printPrefix(p, ev.source, name);
      return;
    case 'stats':
      if (ev.source) printStatsNotification(p, ev.source, name);
      return;
  }
}

/**
 * What ip monitor prints under -4, -6 or -0 (`family`): the objects of that address family (ip
 * joins only its groups, and filters neighbours as it prints them), and every link, bridge port,
 * nexthop object, nsid and counters' change whatever the family. From a file (`file`), where no
 * group was chosen, only what its printers filter: routes, rules, neighbours and prefixes; every
 * address and netconf setting prints.
 */
function inFamily(ev: ChangeEvent, family: number, file: boolean): boolean {
  if (family === AF_UNSPEC) return true;
  switch (ev.family) {
    case 'link': case 'bridgePort': case 'nexthop': case 'nsid': case 'stats': return true;
    case 'address': case 'netconf': return file || ev.source?.family === family;
    default: return ev.source?.family === family;
  }
}

/**
 * What ip monitor prints under `dev DEV` (`dev`, its index): that link's lines, addresses,
 * neighbours (and forwarding entries) and netconf settings, the routes out of it (RTA_OIF: no
 * multipath one), and every rule, nexthop object, nsid, prefix and counters' change whatever its link. Another
 * namespace's objects (all-nsid) are never on it (ip takes a link of the same index there for it).
 */
function onLink(ev: ChangeEvent, dev: number): boolean {
  const here = ev.peerNsid === undefined;
  switch (ev.family) {
    case 'link': return here && ev.link.index === dev;
    case 'bridgePort': return here && ev.bridgePort.index === dev;
    case 'address': return here && ev.address.index === dev;
    case 'route': return here && ev.source?.attrs.oif === dev;
    case 'neighbour':
    case 'fdb': return here && ev.source?.ifindex === dev;
    case 'netconf': return here && ev.netconf.index === dev;
    default: return true;
  }
}

/** The links the monitor knows (in the event's namespace), and the names asked of the kernel for others (by at()). */
interface Links { link(index: number): Link | undefined; asked: Map<string, string> }

/**
 * The kernel tells a new link's netconf settings and forwarding entries before the link itself:
 * the names a line needs that nothing knows are asked of the kernel, as ip's ll_index_to_name()
 * asks for a link its cache has not (one gone meanwhile stays `ifN`, as in ip); another
 * namespace's (all-nsid) of that namespace, where ip asks this one. Whether any was learnt (the
 * line is then printed again).
 */
async function askNames(ctx: Context, asked: Map<string, string>, unknown: Set<number>, nsid: number | undefined): Promise<boolean> {
  const named = await (await ctx.rt()).link.names([...unknown], { targetNsid: nsid });
  for (const [i, n] of named) asked.set(at(nsid, i), n);
  return named.size > 0;
}

/** The link an event tells of: a link's, or a bridge port's as its bridge tells it. */
function linkIn(ev: MonitorEvent): Link | undefined {
  return ev.family === 'link' ? ev.link : ev.family === 'bridgePort' ? ev.bridgePort : undefined;
}

/** The name an event's own object gives a link index, when it has it. */
function nameIn(ev: MonitorEvent, index: number): string | undefined {
  const l = linkIn(ev);
  if (l) return l.parent === index ? l.parentName : l.master === index ? l.masterName : undefined;
  switch (ev.family) {
    case 'address': return ev.address.index === index ? ev.address.dev : undefined;
    case 'neighbour': return ev.neighbour.index === index ? ev.neighbour.dev : undefined;
    case 'fdb': return ev.fdb.index === index ? ev.fdb.dev : undefined;
    case 'netconf': return ev.netconf.index === index ? ev.netconf.dev : undefined;
    case 'prefix': return ev.prefix.index === index ? ev.prefix.dev : undefined;
    case 'stats': return ev.stats.index === index ? ev.stats.dev : undefined;
    case 'route': return ev.route.index === index ? ev.route.dev : ev.route.iif === index ? ev.route.iifName : undefined;
    default: return undefined;
  }
}

/**
 * print_nsid(): `nsid 7 (iproute2 netns name: blue)`; the name remembered for its deletion. No
 * `nsNames` for another namespace's id (all-nsid): the names here are of this namespace's ids.
 */
async function printNsid(ctx: Context, p: Printer, nsid: number, deleted: boolean, nsNames: NsNames | undefined): Promise<void> {
  const name = !nsNames ? undefined : deleted ? nsNames.get(nsid) : await (await ctx.rt()).nsid.nameOf(nsid).catch(() => undefined);
  if (name !== undefined) nsNames?.set(nsid, name);
  p.openObject();
  if (deleted) p.bool('deleted', 'Deleted ');
  p.any('nsid', 'nsid %s ', nsid);
  if (name !== undefined) p.any('name', '(iproute2 netns name: %s)', name);
  p.fp('\n');
  p.closeObject();
}

/** print_timestamp(): `Wed Dec  2 01:52:38 2026 54572 usec` (-t), `2026-12-02T01:52:38.054572` (-ts), local time. */
function timestamp(kind: 'long' | 'short' | undefined): string | undefined {
  if (!kind) return undefined;
  const ms = performance.timeOrigin + performance.now(); // the wall clock to the microsecond
  const now = new Date(Math.floor(ms));
  const us = String(Math.floor((ms % 1000) * 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  if (kind === 'short') {
    return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}T${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${us.padStart(6, '0')}`;
  }
  return `${ctime(now)} ${us} usec`; // the microseconds unpadded ("%s %lu usec")
}

/** ctime() without its line break, local time: `Wed Dec  2 01:52:38 2026` (the day padded with a blank, where toString() has `04`). */
function ctime(d: Date): string {
  const [wd, mon, , year, time] = d.toString().split(' ');
  return `${wd} ${mon} ${String(d.getDate()).padStart(2, ' ')} ${time} ${year}`;
}

/** rtmon's time stamp as print_nlmsg_timestamp() prints it (asctime(), local time); -j: one JSON object. */
function stampLine(ctx: Context, { seconds, microseconds }: StampEvent): string {
  const time = ctime(new Date(seconds * 1000));
  return ctx.opts.json ? `${stringify({ event: 'stamp', timestamp: time, seconds, microseconds })}\n` : `Timestamp: ${time} ${microseconds} us\n`;
}

/** Multicast routes (ip's print_mroute()): rtnl does not print them. */
const MROUTE_FAMILIES: number[] = [RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR];

/**
 * The message types ip monitor prints that no family of rtnl reads: said on stderr (status 1),
 * not printed some other way. Any other type, ip's `Unknown message` line (status 0).
 */
const UNPRINTED: Record<number, string> = {
  [RTM_NEWADDRLABEL]: 'an address label', [RTM_DELADDRLABEL]: 'an address label',
  [RTM_NEWNEXTHOPBUCKET]: 'a nexthop bucket', [RTM_DELNEXTHOPBUCKET]: 'a nexthop bucket',
};

/** A message of a recording no family reads, as ip's accept_msg() tells it; the status it leaves. */
function unread(ctx: Context, m: NlMessage): number {
  const what = UNPRINTED[m.header.type];
  if (what !== undefined) return cannotPrint(ctx, what);
  const { type, flags, len } = m.header;
  const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}(${n})`;
  ctx.io?.err(`Unknown message: type=${hex(type)} flags=${hex(flags)} len=${hex(len)}\n`);
  return 0;
}

/** What ip would print and rtnl cannot: said, never printed wrong. */
function cannotPrint(ctx: Context, what: string): number {
  ctx.io?.err(`rtnl: monitor file: ${what} is not printed (rtnl does not read it as ip does)\n`);
  return 1;
}
