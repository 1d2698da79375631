// `rtnl route`: ip/iproute.c's grammar (add, change, replace, append, delete, show, get).
import { RTM_GETROUTE, RTM_NEWROUTE } from '../../codecs/route/constants.js';
import { ROUTE_TYPES, routeCodec, routeTableId, TABLES, type RouteMessage } from '../../codecs/route/route.js';
import type { RouteSpec } from '../api/route.js';
import { Args, CliError, duparg, matches, pick, uint, usageError } from './args.js';
import type { Context } from './context.js';
import { printRoute } from './format-route.js';

export const ROUTE_USAGE = `Usage: rtnl route { show | flush } [ SELECTOR ]
       rtnl route get ADDRESS [ from ADDRESS ] [ iif STRING ] [ oif STRING ] [ mark NUMBER ]
       rtnl route { add | del | change | append | replace } ROUTE
SELECTOR := [ table TABLE_ID ] [ proto RTPROTO ] [ type TYPE ] [ dev STRING ]
ROUTE := [ TYPE ] PREFIX [ tos TOS ] [ table TABLE_ID ] [ proto RTPROTO ] [ scope SCOPE ] [ metric METRIC ]
         [ via ADDRESS ] [ dev STRING ] [ src ADDRESS ] [ onlink ] [ mtu NUMBER ]
TYPE := { unicast | local | broadcast | multicast | throw | unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
`;

const COMMANDS = ['add', 'change', 'replace', 'prepend', 'append', 'test', 'delete', 'list', 'show', 'lst', 'get', 'flush', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  const word = args.done ? 'show' : args.next();
  const cmd = word === 'chg' ? 'change' : pick(word, COMMANDS);
  switch (cmd) {
    case 'add': case 'change': case 'replace': case 'append': case 'delete': return modify(ctx, args, cmd);
    case 'list': case 'show': case 'lst': return show(ctx, args);
    case 'get': return get(ctx, args);
    case 'help': throw usageError(ROUTE_USAGE.trimEnd());
    case undefined: throw usageError(`Command "${word}" is unknown, try "rtnl route help".`);
    default: throw new CliError(`rtnl: "route ${cmd}" is not supported`);
  }
}

const table = (s: string): RouteSpec['table'] => (s in TABLES ? (s as 'main') : uint(s, 'table'));
const protocol = (s: string): RouteSpec['protocol'] => (/^\d+$/.test(s) ? uint(s, 'protocol', 255) : (s as 'static'));

async function modify(ctx: Context, args: Args, cmd: 'add' | 'change' | 'replace' | 'append' | 'delete'): Promise<void> {
  const s: Partial<RouteSpec> = {};
  if (ctx.opts.family === 2) s.family = 'inet';
  if (ctx.opts.family === 10) s.family = 'inet6';
  while (!args.done) {
    const w = args.next();
    if (w === 'via') {
      let g = args.next();
      if (g === 'inet' || g === 'inet6') g = args.next();
      s.gateway = g;
    } else if (w === 'dev' || w === 'oif') s.dev = args.next();
    else if (w === 'src') s.src = args.next();
    else if (w === 'from') s.from = args.next();
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') s.metric = uint(args.next(), 'metric');
    else if (matches(w, 'table')) s.table = table(args.next());
    else if (matches(w, 'protocol')) s.protocol = protocol(args.next());
    else if (matches(w, 'scope')) s.scope = args.next() as RouteSpec['scope'];
    else if (w === 'mtu') s.mtu = uint(args.next(), 'mtu');
    else if (w === 'onlink') s.onlink = true;
    else if (w === 'tos' || matches(w, 'dsfield')) s.tos = uint(args.next(), 'tos', 255);
    else if (w in ROUTE_TYPES && s.dst === undefined && s.type === undefined) s.type = w as RouteSpec['type'];
    else {
      const dst = w === 'to' ? args.next() : w;
      if (s.dst !== undefined) throw duparg('to', dst);
      s.dst = dst === 'all' || dst === 'any' ? 'default' : dst;
    }
  }
  if (s.dst === undefined) throw new CliError('rtnl: a route needs a destination ("default" or a prefix)');
  const rt = await ctx.rt(); // first: ctx.index() then uses its socket
  if (typeof s.dev === 'string') await ctx.index(s.dev);
  const spec = s as RouteSpec;
  if (cmd === 'add') await rt.route.add(spec);
  else if (cmd === 'append') await rt.route.append(spec);
  else if (cmd === 'delete') await rt.route.delete(spec);
  else await rt.route.replace(spec);
}

async function show(ctx: Context, args: Args): Promise<void> {
  let tableId: number | undefined = 254;
  let dev: string | undefined;
  let proto: number | undefined;
  let type: number | undefined;
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'table')) {
      const t = args.next();
      tableId = t === 'all' ? undefined : t in TABLES ? TABLES[t as keyof typeof TABLES] : uint(t, 'table');
    } else if (w === 'dev' || w === 'oif') dev = args.next();
    else if (matches(w, 'protocol')) {
      const pr = args.next();
      proto = /^\d+$/.test(pr) ? Number(pr) : ({ kernel: 2, boot: 3, static: 4 } as Record<string, number>)[pr];
    } else if (w === 'type') type = ROUTE_TYPES[args.next() as keyof typeof ROUTE_TYPES];
    else if (matches(w, 'help')) throw usageError(ROUTE_USAGE.trimEnd());
    else throw new CliError(`rtnl: route show selector "${w}" is not supported`);
  }
  ctx.out.listing = true;
  const oif = dev === undefined ? undefined : await ctx.index(dev);
  const client = await ctx.client();
  const head: RouteMessage = {
    // Both families for `table all`, as ip (its default family is inet only when a table is chosen).
    family: ctx.opts.family === 10 || ctx.opts.family === 2 ? ctx.opts.family : tableId === undefined ? 0 : 2, dstLen: 0, srcLen: 0, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0, attrs: {},
  };
  if (tableId !== undefined) head.attrs.table = tableId;
  if (oif !== undefined) head.attrs.oif = oif;
  const ms = await client.dump({ type: RTM_GETROUTE, name: 'RTM_GETROUTE', body: (w) => routeCodec.encode(w, head) });
  const links = await ctx.links();
  const view = { details: ctx.opts.details, tableFiltered: tableId !== undefined, name: (i: number) => links.get(i)?.name ?? `if${i}` };
  for (const m of ms) {
    const r = routeCodec.decode(m.payload);
    if (r.flags & 0x200) continue; // cloned: the route cache, shown only by `show cache`
    if (tableId !== undefined && routeTableId(r) !== tableId) continue;
    if (oif !== undefined && r.attrs.oif !== oif) continue;
    if (proto !== undefined && r.protocol !== proto) continue;
    if (type !== undefined && r.type !== type) continue;
    printRoute(ctx.out, r, view);
  }
}

async function get(ctx: Context, args: Args): Promise<void> {
  let addr: string | undefined;
  const attrs: RouteMessage['attrs'] = {};
  let srcLen = 0;
  while (!args.done) {
    const w = args.next();
    if (w === 'from') {
      attrs.src = args.next();
      srcLen = attrs.src.includes(':') ? 128 : 32;
    } else if (w === 'iif') attrs.iif = await ctx.index(args.next());
    else if (w === 'oif' || w === 'dev') attrs.oif = await ctx.index(args.next());
    else if (w === 'mark') attrs.mark = uint(args.next(), 'mark');
    else if (matches(w, 'help')) throw usageError(ROUTE_USAGE.trimEnd());
    else addr = w === 'to' ? args.next() : w;
  }
  ctx.out.listing = true;
  if (addr === undefined) throw new CliError('need at least a destination address');
  const family = addr.includes(':') ? 10 : 2;
  if (!/^[0-9a-f:.]+$/i.test(addr)) throw new CliError(`Error: ${family === 10 ? 'inet6' : 'inet'} prefix is expected rather than "${addr}".`, 1, true);
  attrs.dst = addr;
  const client = await ctx.client();
  const m: RouteMessage = {
    family, dstLen: family === 10 ? 128 : 32, srcLen, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0, attrs,
  };
  const replies = await client.request({ type: RTM_GETROUTE, name: 'RTM_GETROUTE', body: (w) => routeCodec.encode(w, m) });
  const links = await ctx.links();
  for (const r of replies.filter((x) => x.header.type === RTM_NEWROUTE)) {
    printRoute(ctx.out, routeCodec.decode(r.payload), { details: ctx.opts.details, tableFiltered: false, name: (i) => links.get(i)?.name ?? `if${i}` });
  }
}
