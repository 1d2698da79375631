// `rtnl address`: ip/ipaddress.c's grammar (add, change, replace, delete, show, flush).
import { constants } from 'node:os';
import type { AddressMessage } from '../../codecs/route/address.js';
import { SCOPES } from '../../codecs/route/common.js';
import type { AddressFlag } from '../../codecs/route/address.js';
import type { AddressOptions } from '../api/address.js';
import type { Lifetime } from '../api/inet.js';
import { Args, CliError, duparg2, invarg, matches, named, pick, uint, usageError } from './args.js';
import type { Context } from './context.js';
import { printAddress } from './format-address.js';
import { printLinkStats } from './format-link.js';
import { flushRounds, terminated } from './flush.js';
import { linkGroup, printLinks, type LinkFilter } from './link.js';
import { inside, prefixArg, type Prefix } from './prefix.js';

export const ADDRESS_USAGE = `Usage: rtnl address { add | change | replace } IFADDR dev IFNAME [ LIFETIME ] [ CONFFLAG-LIST ]
       rtnl address del IFADDR dev IFNAME
       rtnl address flush [ dev IFNAME ] [ to PREFIX ] [ scope SCOPE-ID ] [ label PATTERN ] [ FLAG-LIST ]
       rtnl address [ show [ dev IFNAME ] [ to PREFIX ] [ scope SCOPE-ID ] [ label PATTERN ] [ up ] [ group GROUP ] [ master DEV ] [ type TYPE ] [ FLAG-LIST ] ]
IFADDR := PREFIX [ broadcast ADDR ] [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG := [ [-]permanent | [-]dynamic | [-]secondary | [-]primary | [-]tentative | [-]deprecated | [-]dadfailed | ... ]
`;

const COMMANDS = ['add', 'change', 'replace', 'delete', 'list', 'show', 'lst', 'flush', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  const word = args.done ? 'show' : args.next();
  const cmd = word === 'chg' ? 'change' : pick(word, COMMANDS);
  switch (cmd) {
    case 'add': case 'change': case 'replace': case 'delete': return modify(ctx, args, cmd);
    case 'list': case 'show': case 'lst': return show(ctx, args);
    case 'flush': return flush(ctx, args);
    case 'help': throw usageError(ADDRESS_USAGE.trimEnd());
    default: throw usageError(`Command "${word}" is unknown, try "rtnl address help".`);
  }
}

const CONF_FLAGS = ['home', 'nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin'] as const;

function prefix(s: string): string {
  const [addr, len, extra] = s.split('/');
  const ok = extra === undefined && (len === undefined || /^\d{1,3}$/.test(len))
    && (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr) || (addr.includes(':') && /^[0-9a-f:.]+$/i.test(addr)));
  if (!ok) throw new CliError(`Error: any valid prefix is expected rather than "${s}".`, 1, true); // get_prefix() exits
  return s;
}

function lft(s: string, what: string): Lifetime {
  return s === 'forever' ? s : uint(s, what);
}

async function modify(ctx: Context, args: Args, cmd: 'add' | 'change' | 'replace' | 'delete'): Promise<void> {
  let dev: string | undefined;
  let local: string | undefined;
  const o: AddressOptions = {};
  const flags: AddressFlag[] = [];
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'peer') || matches(w, 'remote')) throw new CliError('rtnl: "peer" addresses are not supported');
    else if (matches(w, 'broadcast') || w === 'brd') o.broadcast = args.next();
    else if (matches(w, 'anycast')) throw new CliError('rtnl: "anycast" is not supported');
    else if (matches(w, 'scope')) {
      const s = args.next();
      o.scope = s in SCOPES ? (s as 'global') : uint(s, 'scope', 255);
    } else if (w === 'dev') dev = args.next();
    else if (matches(w, 'label')) o.label = args.next();
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') o.metric = uint(args.next(), 'metric');
    else if (matches(w, 'valid_lft')) o.validLft = lft(args.next(), 'valid_lft');
    else if (matches(w, 'preferred_lft')) o.preferredLft = lft(args.next(), 'preferred_lft');
    else if ((CONF_FLAGS as readonly string[]).includes(w)) flags.push(w as AddressFlag);
    else {
      const a = w === 'local' ? args.next() : w;
      if (local !== undefined) throw duparg2('local', a);
      local = prefix(a);
    }
  }
  if (dev === undefined) throw new CliError('Not enough information: "dev" argument is required.');
  if (local === undefined) throw new CliError('Not enough information: "local" argument is required.');
  if (flags.length) o.flags = flags;
  if (o.broadcast === '+' || o.broadcast === '-') throw invarg('rtnl computes no broadcast address: give it', o.broadcast);
  // default_scope(): 127.0.0.0/8 is host scope unless a scope was given.
  if (o.scope === undefined && cmd !== 'delete' && local.startsWith('127.')) o.scope = 'host';
  const rt = await ctx.rt(); // first: ctx.index() then uses its socket
  await ctx.index(dev); // `Cannot find device "x"` before anything is sent, as ip
  if (cmd === 'delete') await rt.address.delete({ dev, address: local });
  else if (cmd === 'add') await rt.address.add({ ...o, dev, address: local });
  else await rt.address.replace({ ...o, dev, address: local });
}

/** Every address of the -4/-6 family asked for (all without one), grouped by link index, in the kernel's order. */
async function addresses(ctx: Context): Promise<Map<number, AddressMessage[]>> {
  const out = new Map<number, AddressMessage[]>();
  for (const a of await (await ctx.rt()).address.dump({ family: ctx.opts.family })) out.set(a.index, [...(out.get(a.index) ?? []), a]);
  return out;
}

async function show(ctx: Context, args: Args): Promise<void> {
  const { sel, links } = selector(ctx, args, 'show');
  const { family, brief, oneline, stats } = ctx.opts;
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
  await printLinks(ctx, { ...links, family: sel.family }, false, (l) => {
    if (family === 17) return;
    p.openArray('addr_info');
    const view = { brief, oneline, dev: l.name ?? `if${l.index}` };
    for (const a of byLink.get(l.index) ?? []) {
      if (chosen(a)) printAddress(p, a, view);
      else if (!sel.family || a.family === sel.family) emptyObject(p); // print_selected_addrinfo() opens one before print_addrinfo() declines
    }
    p.closeArray();
    if (brief) p.fp('\n');
    else if (stats && showLink) {
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

/** ifa_flag_data[]: the flags a selector may name. */
const FILTER_FLAGS: Record<string, number> = {
  secondary: 0x01, temporary: 0x01, nodad: 0x02, optimistic: 0x04, dadfailed: 0x08, home: 0x10, deprecated: 0x20,
  tentative: 0x40, permanent: 0x80, mngtmpaddr: 0x100, noprefixroute: 0x200, autojoin: 0x400, 'stable-privacy': 0x800,
};

/** get_filter(): `[-]FLAG`, `dynamic` (not permanent), `primary` (not secondary); false for another word. */
function flagWord(sel: AddressSelector, word: string): boolean {
  let inv = word.startsWith('-');
  let name = inv ? word.slice(1) : word;
  if (name === 'dynamic' || name === 'primary') {
    inv = !inv;
    name = name === 'dynamic' ? 'permanent' : 'secondary';
  }
  if (!Object.hasOwn(FILTER_FLAGS, name)) return false;
  const bit = FILTER_FLAGS[name];
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

/**
 * ipaddr_list_flush_or_save()'s words, for `show` and `flush`: what selects addresses, and for
 * show what selects links (`up`, `group`, `master`, `type`: link filters, which flush does not take).
 */
function selector(ctx: Context, args: Args, cmd: 'show' | 'flush'): { sel: AddressSelector; links: LinkFilter } {
  const sel: AddressSelector = { family: ctx.opts.family, flags: 0, flagmask: 0 };
  const links: LinkFilter = {};
  while (!args.done) {
    const w = args.next();
    if (w === 'to') {
      const a = args.next();
      sel.prefix = prefixArg(a, sel.family);
      if (sel.family === 0) sel.family = sel.prefix.family;
    } else if (w === 'scope') {
      const sc = args.next();
      const n = named(SCOPES, sc);
      if (n === undefined && sc !== 'all') throw invarg('invalid "scope"', sc);
      sel.scope = n;
    } else if (w === 'up') links.up = true;
    else if (flagWord(sel, w)) continue;
    else if (w === 'label') sel.label = glob(args.next());
    else if (cmd === 'show' && w === 'group') links.group = linkGroup(args.next());
    else if (cmd === 'show' && w === 'master') links.master = args.next();
    else if (cmd === 'show' && w === 'type') links.kind = args.next();
    else if (['group', 'master', 'vrf', 'nomaster', 'type'].includes(w)) throw new CliError(`rtnl: address ${cmd} selector "${w}" is not supported`);
    else {
      const d = w === 'dev' ? args.next() : w;
      if (w !== 'dev' && matches(w, 'help')) throw usageError(ADDRESS_USAGE.trimEnd());
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
 * none is left (ip: at most 10 rounds; one with `primary`, lest promoted secondaries go too).
 */
async function flush(ctx: Context, args: Args): Promise<void> {
  if (args.done) throw new CliError('Flush requires arguments.');
  if (ctx.opts.family === 17) throw new CliError('Cannot flush link addresses.');
  const { sel } = selector(ctx, args, 'flush');
  const rt = await ctx.rt(); // first: the link lookups and dumps then use its socket
  const index = sel.dev === undefined ? undefined : await ctx.lookup(sel.dev);
  if (sel.dev !== undefined && index === undefined) throw new CliError(`Device "${sel.dev}" does not exist.`);
  const name = await ctx.namer();
  const once = (sel.flagmask & 0x01) !== 0 && (sel.flags & 0x01) === 0;
  const rules = { noun: 'addresses', maxRounds: 10, failStatus: 255, once, ignore: (errno: number) => errno === constants.errno.EADDRNOTAVAIL };
  const complete = await flushRounds(ctx, rules, async () => {
    const all = await rt.address.dump({ family: sel.family, index }).catch(terminated('Flush', 1, true));
    return all.filter((a) => selected(sel, index, a, name)).map((a) => ({
      print: () => printAddress(ctx.out, a, { brief: false, oneline: true, dev: name(a.index) }),
      remove: () => rt.address.delete({ dev: a.index, address: `${a.attrs.local ?? a.attrs.address}/${a.prefixlen}` }),
    }));
  });
  if (!complete) throw new CliError('*** Flush remains incomplete after 10 rounds. ***', 255, false);
}
