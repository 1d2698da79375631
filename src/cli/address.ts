// `rtnl address`: ip/ipaddress.c's grammar (add, change, replace, delete, show, flush).
import { constants } from 'node:os';
import { ADDRESS_FLAGS, INFINITY_LIFE_TIME, addressCodec, type AddressFlag, type AddressMessage } from '../../codecs/route/address.js';
import { RTM_DELADDR, RTM_NEWADDR } from '../../codecs/route/constants.js';
import { ADDRESS_DUMP_MAGIC, writeSaved } from '../../codecs/netlink/saved.js';
import { decoding } from '../errors.js';
import { getAt } from '../../codecs/netlink/attrs.js';
import { checkOutput, readInput, restoreFrom, savedMessages, type SavedKind } from './saved.js';
import { toAddress, type AddressOptions } from '../api/address.js';
import { fromLifetime } from '../api/inet.js';
import { Args, CliError, duparg, duparg2, invarg, linkGroup, matches, named, pick, uint, usageError } from './args.js';
import { NO_MASTER, type Context } from './context.js';
import { printAddress } from './format-address.js';
import { scopes } from './name-db.js';
import { printLinkStats } from './format-link.js';
import { flushRounds, terminated } from './flush.js';
import { printLinks, type LinkFilter } from './link-list.js';
import { addressArg, addressText, inside, noBytes, expectedError, prefixArg, type Prefix } from './prefix.js';

export const ADDRESS_USAGE = `Usage: rtnl address { add | change | replace } IFADDR dev IFNAME [ LIFETIME ] [ CONFFLAG-LIST ]
       rtnl address del IFADDR dev IFNAME
       rtnl address flush [ dev IFNAME ] [ to PREFIX ] [ scope SCOPE-ID ] [ label PATTERN ] [ FLAG-LIST ]
       rtnl address save [ dev IFNAME ] [ to PREFIX ] [ scope SCOPE-ID ] [ label PATTERN ] [ FLAG-LIST ]
       rtnl address { showdump | restore }
       rtnl address [ show [ dev IFNAME ] [ to PREFIX ] [ scope SCOPE-ID ] [ label PATTERN ] [ up ] [ group GROUP ] [ master DEV | nomaster ] [ vrf NAME ] [ type TYPE ] [ FLAG-LIST ] ]
IFADDR := PREFIX [ broadcast ADDR ] [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG := [ [-]permanent | [-]dynamic | [-]secondary | [-]primary | [-]tentative | [-]deprecated | [-]dadfailed | ... ]
`;

const COMMANDS = ['add', 'change', 'replace', 'delete', 'list', 'show', 'lst', 'flush', 'save', 'showdump', 'restore', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  const word = args.done ? 'show' : args.next();
  const cmd = word === 'chg' ? 'change' : pick(word, COMMANDS);
  switch (cmd) {
    case 'add': case 'change': case 'replace': case 'delete': return modify(ctx, args, cmd);
    case 'list': case 'show': case 'lst': return show(ctx, args);
    case 'flush': return flush(ctx, args);
    case 'save': return save(ctx, args);
    case 'showdump': return showdump(ctx);
    case 'restore': return restore(ctx);
    case 'help': throw usageError(ADDRESS_USAGE.trimEnd());
    default: throw usageError(`Command "${word}" is unknown, try "rtnl address help".`);
  }
}

/** ifa_flag_data[]'s names: `temporary` is `secondary` read back from IPv6. */
const FLAGS: Record<string, number> = { ...ADDRESS_FLAGS, temporary: ADDRESS_FLAGS.secondary };
/** The flags only the kernel sets, and those only IPv6 takes: `address add` warns of them and leaves them out. */
const READONLY = new Set(['secondary', 'temporary', 'dadfailed', 'deprecated', 'tentative', 'permanent', 'stable-privacy']);
const V6ONLY = new Set(['nodad', 'optimistic', 'home', 'mngtmpaddr']);

/** set_lifetime(): `forever` or a u32 (of which 0xffffffff is forever too). */
function lft(s: string, what: string): number {
  return s === 'forever' ? INFINITY_LIFE_TIME : uint(s, what, INFINITY_LIFE_TIME, () => invarg(`${what} value`, s, false));
}

/** `broadcast +` or `-`: the prefix's last or first address; none past /30, as ip sets none there. */
function computedBroadcast(p: Prefix, plus: boolean): string | undefined {
  if (p.bitlen > 30) return undefined;
  const mask = p.bitlen === 0 ? 0 : ~0 << (32 - p.bitlen);
  const n = (p.bytes[0] << 24) | (p.bytes[1] << 16) | (p.bytes[2] << 8) | p.bytes[3];
  const v = plus ? n | ~mask : n & mask;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

/** What `address add|change|replace|del` was given: ipaddr_modify()'s variables. */
interface Modify {
  /** The family so far: -4/-6, else the first address's. */
  family: number;
  dev?: string;
  local?: Prefix;
  /** The local address as written (the wildcard deletion's warning quotes it). */
  localArg?: string;
  peer?: Prefix;
  /** `+`, `-` or an address. */
  brd?: string;
  /** The first local address, peer or broadcast of no bytes, as written: ip sends it empty. */
  empty?: string;
  valid?: number;
  preferred?: number;
  o: AddressOptions;
  flags: AddressFlag[];
}

/** ipaddr_modify()'s loop: one word (and its value), exact or by prefix as ip takes each, in ip's order. */
function modifyWord(ctx: Context, args: Args, w: string, m: Modify): void {
  const once = (seen: unknown, key: string, arg: string): void => {
    if (seen !== undefined) throw duparg(key, arg);
  };
  if (w === 'peer' || w === 'remote') {
    const a = args.next();
    once(m.peer, 'peer', a);
    m.peer = sawAddress(m, a, prefixArg(a, m.family));
  } else if (matches(w, 'broadcast') || w === 'brd') {
    const b = args.next();
    once(m.brd, 'broadcast', b);
    m.brd = b;
    if (b !== '+' && b !== '-') {
      m.o.broadcast = addressText(sawAddress(m, b, addressArg(b, m.family)));
    }
  } else if (w === 'anycast') {
    // The kernel reads no IFA_ANYCAST from a request (neither family): ip's checks only.
    const a = addressArg(args.next(), m.family);
    m.family ||= a.family;
  } else if (w === 'scope') {
    const s = args.next();
    m.o.scope = named(scopes.names(), s, 255);
    if (m.o.scope === undefined) throw invarg('invalid scope value.', s, false);
  } else if (w === 'dev') m.dev = args.next();
  else if (w === 'label') m.o.label = args.next();
  else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) {
    const v = args.next();
    m.o.metric = uint(v, 'metric', undefined, () => invarg('"metric" value is invalid', v));
  } else if (matches(w, 'valid_lft')) {
    once(m.valid, 'valid_lft', w);
    m.valid = lft(args.next(), 'valid_lft');
  } else if (matches(w, 'preferred_lft')) {
    once(m.preferred, 'preferred_lft', w);
    m.preferred = lft(args.next(), 'preferred_lft');
  } else if (Object.hasOwn(FLAGS, w)) {
    if (READONLY.has(w)) ctx.io?.err(`Warning: ${w} option is not mutable from userspace\n`);
    else if (V6ONLY.has(w) && m.family !== 10) ctx.io?.err(`Warning: ${w} option can be set only for IPv6 addresses\n`);
    else m.flags.push(w as AddressFlag);
  } else {
    const a = w === 'local' ? args.next() : w;
    if (matches(a, 'help')) throw usageError(ADDRESS_USAGE.trimEnd());
    if (m.local !== undefined) throw duparg2('local', a);
    m.local = sawAddress(m, a, prefixArg(a, m.family));
    m.localArg = a;
  }
}

/** ipaddr_modify(): the words, ip's checks with its messages in its order, then rt.address. */
async function modify(ctx: Context, args: Args, cmd: 'add' | 'change' | 'replace' | 'delete'): Promise<void> {
  const m: Modify = { family: ctx.opts.family, o: {}, flags: [] };
  while (!args.done) modifyWord(ctx, args, args.next(), m);
  const { dev, local, peer, o } = m;
  if (dev === undefined) throw new CliError('Not enough information: "dev" argument is required.');
  if (local === undefined) throw new CliError('Not enough information: "local" argument is required.');
  // ip's "wildcard deletion": an IPv4 address without its length goes whatever its length (warned before the link is looked up).
  const anyLength = cmd === 'delete' && !peer && local.family === 2 && !local.lenGiven;
  if (anyLength) ctx.io?.err(WILDCARD(`${m.localArg}/32`));
  // ifa_prefixlen is the peer's length, and when that is 0, the local address's (ipaddr_modify()).
  if (peer) o.peer = `${addressText(peer)}/${peer.bitlen || local.bitlen}`;
  if (m.flags.length) o.flags = m.flags;
  if (m.family === 10) delete o.label; // the kernel reads no IFA_LABEL for IPv6
  if ((m.brd === '+' || m.brd === '-') && cmd !== 'delete') {
    if (m.family !== 2) throw new CliError('Broadcast can be set only for IPv4 addresses');
    o.broadcast = computedBroadcast(peer ?? local, m.brd === '+');
  }
  // default_scope(): 127.0.0.0/8 is host scope unless a scope was given.
  if (o.scope === undefined && cmd !== 'delete' && local.family === 2 && local.bytes[0] === 127) o.scope = 'host';
  const rt = await ctx.rt(); // first: ctx.index() then uses its socket
  await ctx.index(dev); // `Cannot find device "x"` before anything is sent, as ip
  if (m.valid !== undefined || m.preferred !== undefined) lifetimes(o, m.valid, m.preferred);
  if (m.flags.includes('autojoin') && !multicast(local)) throw new CliError('autojoin needs multicast address');
  // An address of no bytes: ip goes through its checks (those above, in its order) and sends it
  // empty, which the kernel refuses (`Attribute failed policy validation`, or no family); rtnl
  // refuses it where it would send (exit 1: a -force batch goes on).
  if (m.empty !== undefined) throw expectedError(m.empty, m.family);
  if (cmd !== 'delete') {
    await rt.address[cmd === 'add' ? 'add' : 'replace']({ ...o, dev, address: cidr(local) });
    return;
  }
  await rt.address.delete({ dev, address: anyLength ? addressText(local) : cidr(local), label: o.label, peer: o.peer });
}

/** The lifetimes' checks (either absent is forever): valid not 0, preferred not past it. */
function lifetimes(o: AddressOptions, valid = INFINITY_LIFE_TIME, preferred = INFINITY_LIFE_TIME): void {
  if (valid === 0) throw new CliError('valid_lft is zero');
  if (valid < preferred) throw new CliError('preferred_lft is greater than valid_lft');
  o.validLft = fromLifetime(valid);
  o.preferredLft = fromLifetime(preferred);
}

/** An address as read: the family it gives the request when it has none yet, and the first of no bytes (`any`). */
function sawAddress(m: Modify, word: string, a: Prefix): Prefix {
  if (noBytes(a, word)) m.empty ??= word;
  m.family ||= a.family;
  return a;
}

const cidr = (p: Prefix): string => `${addressText(p)}/${p.bitlen}`;

const WILDCARD = (address: string): string => `Warning: Executing wildcard deletion to stay compatible with old scripts.
         Explicitly specify the prefix length (${address}) to avoid this warning.
         This special behaviour is likely to disappear in further releases,
         fix your scripts!
`;

/** ipaddr_is_multicast(): 224.0.0.0/4, ff00::/8. */
function multicast(p: Prefix): boolean {
  return p.family === 2 ? (p.bytes[0] & 0xf0) === 0xe0 : p.bytes[0] === 0xff;
}

/** Every address of the -4/-6 family asked for (all without one), grouped by link index, in the kernel's order. */
async function addresses(ctx: Context): Promise<Map<number, AddressMessage[]>> {
  const out = new Map<number, AddressMessage[]>();
  for (const a of await (await ctx.rt()).address.dump({ family: ctx.opts.family })) out.set(a.index, [...(out.get(a.index) ?? []), a]);
  return out;
}

/**
 * ipaddr_list_flush_or_save()'s listing: `address show`, and with `link` `link show`
 * (ipaddr_list_link(): family AF_PACKET whatever -4/-6 said, do_link, link's usage for `help`).
 */
export async function show(ctx: Context, args: Args, link?: { usage: string }): Promise<void> {
  const family = link ? 17 : ctx.opts.family;
  const { sel, links } = await selector(ctx, args, 'show', family, link?.usage);
  const { brief, oneline, stats } = ctx.opts;
  const byLink = family === 17 ? new Map<number, AddressMessage[]>() : await addresses(ctx);
  const name = await ctx.namer();
  const chosen = (a: AddressMessage): boolean => selected(sel, undefined, a, name);
  const p = ctx.out;
  // ipaddr_filter(): a link is listed when one of its addresses is selected, or when it has none
  // at all and no family was asked for (-4, -6, `to PREFIX`).
  const keep = family === 17 ? undefined : (l: { index: number }) => byLink.get(l.index)?.some(chosen) ?? sel.family === 0;
  // ipaddr_list_flush_or_save(): -o lists addresses without their link's lines (-br keeps them),
  // and so does `label` (print_linkinfo() stops at once); -s adds the link's counters after its
  // addresses, to the full listing only.
  const showLink = (brief || !oneline || family === 17) && sel.label === undefined;
  await printLinks(ctx, { ...links, family: sel.family }, link !== undefined, (l) => {
    if (family !== 17) {
      p.openArray('addr_info');
      const view = { brief, oneline, dev: l.name ?? `if${l.index}` };
      for (const a of byLink.get(l.index) ?? []) {
        if (chosen(a)) printAddress(p, a, view);
        else if (!sel.family || a.family === sel.family) emptyObject(p); // print_selected_addrinfo() opens one before print_addrinfo() declines
      }
      p.closeArray();
      if (brief) {
        p.fp('\n');
        return;
      }
    }
    // -0 address show too (AF_PACKET: no addresses), not link show nor -br (print_linkinfo() there gives 0).
    if (stats && showLink && !link && !brief) {
      printLinkStats(p, l, stats);
      p.nl();
    }
  }, keep, showLink);
}

/** `{}` in JSON (ip's, for an address its filter passes over); nothing in text. */
function emptyObject(p: Context['out']): void {
  p.openObject();
  p.closeObject();
}

/** What `address flush` matches (ipaddress.c's filter); a field absent matches anything. */
interface AddressSelector {
  dev?: string;
  family: number;
  prefix?: Prefix;
  scope?: number;
  /** Flag bits that must be set or clear (`flags` under `flagmask`), from words such as `permanent`, `-tentative`, `primary`. */
  flags: number;
  flagmask: number;
  label?: RegExp;
}

/** get_filter(): `[-]FLAG`, `dynamic` (not permanent), `primary` (not secondary); false for another word. */
function flagWord(sel: AddressSelector, word: string): boolean {
  let inv = word.startsWith('-');
  let name = inv ? word.slice(1) : word;
  if (name === 'dynamic' || name === 'primary') {
    inv = !inv;
    name = name === 'dynamic' ? 'permanent' : 'secondary';
  }
  if (!Object.hasOwn(FLAGS, name)) return false;
  const bit = FLAGS[name];
  sel.flags = inv ? sel.flags & ~bit : sel.flags | bit;
  sel.flagmask |= bit;
  return true;
}

/** fnmatch(pattern, s, 0) as a regular expression: `*`, `?`, `[...]` (`[!...]` too), `\\x`. */
function glob(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const close = c === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (c === '*') re += '[^]*';
    else if (c === '?') re += '[^]';
    else if (close > 0) {
      const body = pattern.slice(i + 1, close);
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else {
      const lit = c === '\\' && i + 1 < pattern.length ? pattern[++i] : c;
      re += lit.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** The links' words of ipaddr_list_flush_or_save(), which `address flush` and `save` do not take (ip passes over them). */
const LINK_WORDS = ['group', 'master', 'vrf', 'nomaster', 'type'];

/**
 * ipaddr_list_flush_or_save()'s words, for `show`, `flush` and `save`: what selects addresses (in
 * `family`: the command line's, or AF_PACKET for `link show`), and for show what selects links.
 */
async function selector(ctx: Context, args: Args, cmd: 'show' | 'flush' | 'save', family: number, usage = ADDRESS_USAGE): Promise<{ sel: AddressSelector; links: LinkFilter }> {
  const sel: AddressSelector = { family, flags: 0, flagmask: 0 };
  const links: LinkFilter = {};
  while (!args.done) {
    const w = args.next();
    if (w === 'to') {
      const a = args.next();
      sel.prefix = prefixArg(a, sel.family);
      if (sel.family === 0) sel.family = sel.prefix.family;
    } else if (w === 'scope') {
      const sc = args.next();
      const n = named(scopes.names(), sc);
      if (n === undefined && sc !== 'all') throw invarg('invalid "scope"', sc);
      sel.scope = n;
    } else if (w === 'up') links.up = true;
    else if (flagWord(sel, w)) continue;
    else if (w === 'label') sel.label = glob(args.next());
    else if (cmd !== 'show' && LINK_WORDS.includes(w)) throw new CliError(`rtnl: address ${cmd} selector "${w}" is not supported`);
    else if (w === 'group') links.group = linkGroup(args.next());
    else if (w === 'master') links.master = await ctx.masterIndex(args.next(), false);
    else if (w === 'vrf') links.master = await ctx.masterIndex(args.next(), true);
    else if (w === 'nomaster') links.master = NO_MASTER;
    else if (w === 'type') {
      // A kind ending in _slave is the master's: another selector than the link's own kind.
      const kind = args.next();
      if (kind.endsWith('_slave')) links.slaveKind = kind.slice(0, -'_slave'.length);
      else links.kind = kind;
    }
    else {
      const d = w === 'dev' ? args.next() : w;
      if (w !== 'dev' && matches(w, 'help')) throw usageError(usage.trimEnd());
      if (sel.dev !== undefined) throw duparg2('dev', d);
      sel.dev = links.dev = d;
    }
  }
  return { sel, links };
}

/** print_addrinfo()'s filter. */
function selected(sel: AddressSelector, index: number | undefined, a: AddressMessage, linkName: (i: number) => string): boolean {
  if ((index !== undefined && a.index !== index) || (sel.scope !== undefined && a.scope !== sel.scope)) return false;
  if (((sel.flags ^ (a.attrs.flags ?? a.flags)) & sel.flagmask) || (sel.family && a.family !== sel.family)) return false;
  if (sel.label && !sel.label.test(a.attrs.label ?? linkName(a.index))) return false;
  return inside(sel.prefix, a.attrs.local ?? a.attrs.address);
}

/**
 * `address flush`: dump, delete each selected address through rt.address.delete, again until
 * none is left (ip: at most 10 rounds, or -l's; one with `primary`, lest promoted secondaries go too).
 */
async function flush(ctx: Context, args: Args): Promise<void> {
  if (args.done) throw new CliError('Flush requires arguments.');
  if (ctx.opts.family === 17) throw new CliError('Cannot flush link addresses.');
  const { sel } = await selector(ctx, args, 'flush', ctx.opts.family);
  const { dump, name } = await selection(ctx, sel, 'Flush');
  const rt = await ctx.rt();
  const once = (sel.flagmask & 0x01) !== 0 && (sel.flags & 0x01) === 0;
  const loops = ctx.opts.loops ?? 10; // -l; 0 is no end
  const rules = { noun: 'addresses', maxRounds: loops === 0 ? undefined : loops, failStatus: 255, once, ignore: (errno: number) => errno === constants.errno.EADDRNOTAVAIL };
  const complete = await flushRounds(ctx, rules, async () => (await dump()).map((a) => ({
    print: () => printAddress(ctx.out, a, { brief: false, oneline: true, dev: name(a.index) }),
    // As listed: a point-to-point address goes with its peer, which the kernel matches too.
    remove: () => rt.address.delete(toAddress(a)),
  })));
  if (!complete) throw new CliError(`*** Flush remains incomplete after ${loops} rounds. ***`, 255, false);
}

/**
 * What flush and save select from: `dump` lists the selected addresses afresh (the link of
 * `dev` asked of the kernel; `Device "x" does not exist.` when it is neither a link nor `ifN`).
 */
async function selection(ctx: Context, sel: AddressSelector, what: 'Flush' | 'Save'): Promise<{ dump: () => Promise<AddressMessage[]>; name: (i: number) => string }> {
  const rt = await ctx.rt(); // first: the link lookups and dumps then use its socket
  const index = sel.dev === undefined ? undefined : await ctx.lookup(sel.dev);
  if (sel.dev !== undefined && index === undefined) throw new CliError(`Device "${sel.dev}" does not exist.`);
  const name = await ctx.namer();
  const dump = async (): Promise<AddressMessage[]> => {
    // Not asked of the kernel in a batch (Connection.strict): an index no link has matches nothing there.
    const all = await rt.address.dump({ family: sel.family, index: ctx.conn.strict ? index : undefined }).catch(terminated(what, 1, true));
    return all.filter((a) => selected(sel, index, a, name));
  };
  return { dump, name };
}

/** ip's address dumps: ipaddress.c exits with -1 for one it cannot read and for a refused entry (and 1 for a terminal on stdout). */
const SAVED: SavedKind = { what: 'address', magic: ADDRESS_DUMP_MAGIC, notDump: 255, broken: 255, refused: 255 };

/**
 * `address save`: the addresses its words select, as the kernel dumped them, in ip's file. ip
 * saves every address of the link (or all) whatever `scope`, `to`, `label` and flags say; rtnl
 * saves those they select.
 */
async function save(ctx: Context, args: Args): Promise<void> {
  checkOutput(1);
  const { sel } = await selector(ctx, args, 'save', ctx.opts.family);
  ctx.io?.out(writeSaved(SAVED.magic, RTM_NEWADDR, addressCodec, await (await selection(ctx, sel, 'Save')).dump()));
}

/**
 * `address restore`: a saved dump from stdin through rt.address.restore(); each address there
 * already is the kernel's refusal, said and passed over, as ip does. A file that does not read is
 * refused in ip's words before anything is sent; the kernel's other refusals end it, exit 255.
 */
async function restore(ctx: Context): Promise<void> {
  await restoreFrom(ctx, SAVED, async (bytes) => (await ctx.rt()).address.restore(bytes));
}

/** A message of another type in a saved dump: ip prints the `ifN:` of what would be its ifaddrmsg, and nothing else. */
function otherMessage(p: Context['out'], payload: Uint8Array): void {
  p.openObject();
  if (payload.length >= 8) {
    p.any('index', 'if%s:', getAt.s32(payload, 4, 8));
    p.nl();
  }
  p.closeObject();
}

/**
 * `address showdump`: a saved dump from stdin, each address after `ifN:` (JSON: its `index`),
 * as print_addrinfo() prints it; those before bytes that do not read are printed.
 */
async function showdump(ctx: Context): Promise<void> {
  const p = ctx.out;
  p.listing = true;
  const name = await ctx.namer();
  p.openObject();
  p.openArray('addr_info');
  try {
    for (const m of savedMessages(readInput(SAVED), SAVED)) {
      const { type } = m.header;
      if (type !== RTM_NEWADDR && type !== RTM_DELADDR) {
        otherMessage(p, m.payload);
        continue;
      }
      const a = decoding(() => addressCodec.decode(m.payload), 'address of the saved dump');
      // Not print_addrinfo()'s oneline view (`1: lo` first): showdump leaves its filter unset, -o only joins the lines.
      printAddress(p, a, { brief: ctx.opts.brief, oneline: false, dev: name(a.index), deleted: m.header.type === RTM_DELADDR, ifLine: true });
    }
  } finally {
    p.closeArray();
    p.closeObject();
  }
}
