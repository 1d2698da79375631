// `rtnl ntable`: ip/ipntable.c's grammar (show, change) over rt.neighbourTable.
import type { NeighbourTableMessage } from '../../codecs/route/neighbour-table.js';
import type { NeighbourTableSpec } from '../api/neighbour-table.js';
import { NetlinkError } from '../errors.js';
import { Args, cInteger, CliError, duparg, fail, invarg, matches, usageError } from './args.js';
import type { Context } from './context.js';
import { terminated } from './flush.js';
import { printNtable } from './format-ntable.js';

export const NTABLE_USAGE = `Usage: rtnl ntable change name NAME [ dev DEV ]
        [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]
        [ PARMS ]
Usage: rtnl ntable show [ dev DEV ] [ name NAME ]
PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]
         [ delay_probe MSEC ] [ queue LEN ]
         [ app_probes VAL ] [ ucast_probes VAL ] [ mcast_probes VAL ]
         [ anycast_delay MSEC ] [ proxy_delay MSEC ] [ proxy_queue LEN ]
         [ locktime MSEC ]`;

export async function run(ctx: Context, args: Args): Promise<void> {
  if (args.done) return show(ctx, args);
  const w = args.next();
  if (matches(w, 'change') || matches(w, 'chg')) return change(ctx, args);
  if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return show(ctx, args);
  if (matches(w, 'help')) throw usageError(NTABLE_USAGE);
  throw usageError(`Command "${w}" is unknown, try "rtnl ntable help".`);
}

/** A link's parameters only (`dev DEV`), or the tables' own only (`dev none`). */
type DevFilter = number | 'none' | undefined;

/** ipntable_show(): the selector, then the tables print_ntable() keeps. */
async function show(ctx: Context, args: Args): Promise<void> {
  let dev: DevFilter;
  let name: string | undefined;
  while (!args.done) {
    const w = args.next();
    if (w === 'dev') {
      const v = args.next();
      dev = v === 'none' ? 'none' : await ctx.lookup(v) ?? fail(invarg('"DEV" is invalid', v, false));
    } else if (w === 'name') name = args.next();
    else throw invarg('unknown', w, false);
  }
  const { neighbourTable } = await ctx.rt();
  const tables = await neighbourTable.dump(ctx.opts.family).catch(terminated('Dump', 1));
  const view = { stats: ctx.opts.stats > 0, name: await ctx.namer() };
  ctx.out.listing = true;
  for (const m of tables) if (kept(m, name, dev)) printNtable(ctx.out, m, view);
}

/** print_ntable()'s filter: the name exactly; a link's index, or none for the tables' own. */
function kept(m: NeighbourTableMessage, name: string | undefined, dev: DevFilter): boolean {
  if (name !== undefined && m.attrs.name !== undefined && m.attrs.name !== name) return false;
  const parms = m.attrs.parms;
  if (!parms || dev === undefined) return true;
  return parms.ifindex !== undefined ? dev === parms.ifindex : dev === 'none';
}

/** The words change takes after `name` and `dev`: get_u32() or get_u64() values, by the spec's key. */
const VALUES: Record<string, [key: keyof NeighbourTableSpec, max: bigint]> = {
  thresh1: ['thresh1', 0xffffffffn], thresh2: ['thresh2', 0xffffffffn], thresh3: ['thresh3', 0xffffffffn],
  gc_int: ['gcInterval', 0xffffffffffffffffn], base_reachable: ['baseReachable', 0xffffffffffffffffn],
  retrans: ['retrans', 0xffffffffffffffffn], gc_stale: ['gcStale', 0xffffffffffffffffn],
  delay_probe: ['delayProbe', 0xffffffffffffffffn], queue: ['queue', 0xffffffffn], app_probes: ['appProbes', 0xffffffffn],
  ucast_probes: ['ucastProbes', 0xffffffffn], mcast_probes: ['mcastProbes', 0xffffffffn],
  anycast_delay: ['anycastDelay', 0xffffffffffffffffn], proxy_delay: ['proxyDelay', 0xffffffffffffffffn],
  proxy_queue: ['proxyQueue', 0xffffffffn], locktime: ['locktime', 0xffffffffffffffffn],
};

/** ipntable_modify(): the words, each value as get_u32()/get_u64() reads it, then one RTM_SETNEIGHTBL. */
async function change(ctx: Context, args: Args): Promise<void> {
  const spec: Partial<NeighbourTableSpec> = {};
  let changes = 0;
  while (!args.done) {
    const w = args.next();
    if (w === 'name') {
      const v = args.next();
      if (spec.name !== undefined) throw duparg('NAME', v);
      spec.name = v;
    } else if (w === 'dev') spec.dev = await ctx.index(args.next());
    else if (Object.hasOwn(VALUES, w)) {
      const [key, max] = VALUES[w];
      const v = args.next();
      const n = cInteger(v);
      if (n === undefined || n > max) throw invarg(`"${w}" value is invalid`, v, false);
      // A value past 2^53 cannot be a millisecond count the kernel keeps (it stores jiffies in a long).
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new CliError(`rtnl: ntable "${w}" ${v} is past what rtnl can send (${Number.MAX_SAFE_INTEGER})`, 2);
      Object.assign(spec, { [key]: Number(n) });
      changes++;
    } else throw invarg('unknown', w, false);
  }
  if (spec.name === undefined) throw usageError('Error: argument "NAME" is required');
  if (changes === 0) throw usageError('Not enough information: changeable attributes required.');
  const family = ctx.opts.family;
  if (family !== 0 && family !== 2 && family !== 10) throw new CliError('rtnl: neighbour tables are of inet or inet6', 2);
  if (family) spec.family = family === 2 ? 'inet' : 'inet6';
  // ipntable_modify() exit()s when the kernel refuses: a batch stops there even with -force.
  await (await ctx.rt()).neighbourTable.change(spec as NeighbourTableSpec)
    .catch((e: unknown) => { throw e instanceof NetlinkError ? new CliError(e.text, 2, true) : e; });
}
