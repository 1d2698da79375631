// `rtnl address`: ip/ipaddress.c's grammar (add, change, replace, delete, show, flush).
import { addressCodec, type AddressMessage } from '../../codecs/route/address.js';
import { RTM_GETADDR } from '../../codecs/route/constants.js';
import type { AddressFlag } from '../../codecs/route/address.js';
import type { AddressOptions } from '../api/address.js';
import { Args, CliError, duparg, invarg, matches, pick, uint, usageError } from './args.js';
import type { Context } from './context.js';
import { printAddress } from './format-address.js';
import { printLinkStats } from './format-link.js';
import { printLinks } from './link.js';

export const ADDRESS_USAGE = `Usage: rtnl address { add | change | replace } IFADDR dev IFNAME [ LIFETIME ] [ CONFFLAG-LIST ]
       rtnl address del IFADDR dev IFNAME
       rtnl address flush dev IFNAME
       rtnl address [ show [ dev IFNAME ] [ up ] ]
IFADDR := PREFIX [ broadcast ADDR ] [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
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

const SCOPES: Record<string, number> = { global: 0, site: 200, link: 253, host: 254, nowhere: 255 };
const CONF_FLAGS = ['home', 'nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin'] as const;

function prefix(s: string): string {
  const [addr, len, extra] = s.split('/');
  const ok = extra === undefined && (len === undefined || /^\d{1,3}$/.test(len))
    && (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr) || (addr.includes(':') && /^[0-9a-f:.]+$/i.test(addr)));
  if (!ok) throw new CliError(`Error: any valid prefix is expected rather than "${s}".`, 1, true); // get_prefix() exits
  return s;
}

function lft(s: string, what: string): number {
  return s === 'forever' ? Infinity : uint(s, what);
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
      if (local !== undefined) throw duparg('local', a);
      local = prefix(a);
    }
  }
  if (dev === undefined) throw new CliError('Not enough information: "dev" argument is required.');
  if (local === undefined) throw new CliError('Not enough information: "local" argument is required.');
  if (o.label !== undefined && !o.label.startsWith(dev)) throw new CliError('"dev" (' + dev + ') must match "label" (' + o.label + ').');
  if (flags.length) o.flags = flags;
  if (o.broadcast === '+' || o.broadcast === '-') throw invarg('rtnl computes no broadcast address: give it', o.broadcast);
  // default_scope(): 127.0.0.0/8 is host scope unless a scope was given.
  if (o.scope === undefined && cmd !== 'delete' && local.startsWith('127.')) o.scope = 'host';
  const rt = await ctx.rt(); // first: ctx.index() then uses its socket
  await ctx.index(dev); // `Cannot find device "x"` before anything is sent, as ip
  if (cmd === 'delete') await rt.address.delete(dev, local);
  else if (cmd === 'add') await rt.address.add(dev, local, o);
  else await rt.address.replace(dev, local, o);
}

async function showFilter(args: Args): Promise<{ dev?: string; up?: boolean }> {
  const f: { dev?: string; up?: boolean } = {};
  while (!args.done) {
    const w = args.next();
    if (w === 'up') f.up = true;
    else if (matches(w, 'help')) throw usageError(ADDRESS_USAGE.trimEnd());
    else {
      const d = w === 'dev' ? args.next() : w;
      if (f.dev !== undefined) throw duparg('dev', d);
      f.dev = d;
    }
  }
  return f;
}

/** Every address, grouped by link index, in the kernel's order. */
async function addresses(ctx: Context): Promise<Map<number, AddressMessage[]>> {
  const client = await ctx.client();
  const family = ctx.opts.family === 17 ? 0 : ctx.opts.family;
  const ms = await client.dump({
    type: RTM_GETADDR, name: 'RTM_GETADDR',
    body: (w) => addressCodec.header.encode(w, { family, prefixlen: 0, flags: 0, scope: 0, index: 0 }),
  });
  const out = new Map<number, AddressMessage[]>();
  for (const m of ms) {
    const a = addressCodec.decode(m.payload);
    out.set(a.index, [...(out.get(a.index) ?? []), a]);
  }
  return out;
}

async function show(ctx: Context, args: Args): Promise<void> {
  const f = await showFilter(args);
  const { family, brief, oneline, stats } = ctx.opts;
  const byLink = family === 17 ? new Map<number, AddressMessage[]>() : await addresses(ctx);
  const p = ctx.out;
  // With a family (-4, -6), links without an address of it are left out, as ip does.
  const keep = family === 0 || family === 17 ? undefined : (l: { index: number }) => byLink.has(l.index);
  // ipaddr_list_flush_or_save(): -o lists addresses without their link's lines (-br keeps them);
  // -s adds the link's counters after its addresses, to the full listing only.
  const showLink = brief || !oneline || family === 17;
  await printLinks(ctx, f, false, (l) => {
    if (family === 17) return;
    p.openArray('addr_info');
    const view = { brief, oneline, dev: l.name ?? `if${l.index}` };
    for (const a of byLink.get(l.index) ?? []) printAddress(p, a, view);
    p.closeArray();
    if (brief) p.fp('\n');
    else if (stats && showLink) {
      printLinkStats(p, l, stats);
      p.nl();
    }
  }, keep, showLink);
}

async function flush(ctx: Context, args: Args): Promise<void> {
  if (args.done) throw new CliError('Flush requires arguments.');
  const f = await showFilter(args);
  if (f.dev === undefined) throw new CliError('rtnl: address flush needs "dev IFNAME"');
  const rt = await ctx.rt();
  await ctx.index(f.dev);
  const family = ctx.opts.family === 2 ? 'inet' : ctx.opts.family === 10 ? 'inet6' : undefined;
  await rt.address.flush(f.dev, family ? { family } : {});
}
