// `rtnl stats`: ip/ipstats.c's grammar (show [ dev DEV ] [ group G [ subgroup S [ suite X ] ] ]...,
// set dev DEV l3_stats on|off) over rt.stats.
import { statsRequest, type OffloadPart, type StatsGroup } from '../api/stats.js';
import type { StatsRequestMessage } from '../../codecs/route/stats.js';
import { Args, CliError, badName, duparg2, invarg, usageError } from './args.js';
import type { Context } from './context.js';
import { LEAVES, LEVELS, printStats, type Leaf } from './format-stats.js';

export const STATS_USAGE = `Usage: rtnl stats help
       rtnl stats show [ dev DEV ] [ group GROUP [ subgroup SUBGROUP [ suite SUITE ] ... ] ... ] ...
       rtnl stats set dev DEV l3_stats { on | off }
GROUP := { link | xstats | xstats_slave | offload | afstats }
xstats SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }
xstats_slave SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }
offload SUBGROUP := { cpu_hit | hw_stats_info | l3_stats }
afstats SUBGROUP := { mpls }`;

/** ip returns -EINVAL from these: its exit status 22, and a batch goes on with -force. */
const EINVAL = 22;
const refused = (message: string): CliError => new CliError(message, EINVAL);
const help = (): CliError => new CliError(STATS_USAGE, 0);
const whatIs = (w: string): CliError => refused(`What is "${w}"?\n${STATS_USAGE}`);

export async function run(ctx: Context, args: Args): Promise<void> {
  // `ip stats` alone shows without the -s that `show` implies.
  if (args.done) return show(ctx, args, 0);
  const w = args.next();
  if (w === 'help') throw help();
  if (w === 'show') return show(ctx, args, 1 + (ctx.opts.details ? 1 : 0));
  if (w === 'set') return set(ctx, args);
  throw new CliError(`Command "${w}" is unknown, try "rtnl stats help".`);
}

/** ip's tree of groups: a name, and its subtrees, or a leaf. */
interface Node {
  name: string;
  subs?: Node[];
  leaf?: Leaf;
}

/** The tree, built from the leaves' paths (what it selects prints in the leaves' order, whatever its own). */
const TREE: Node = (() => {
  const root: Node = { name: 'top-level', subs: [] };
  for (const leaf of LEAVES) {
    let node = root;
    leaf.path.forEach((name, i) => {
      let next = node.subs?.find((n) => n.name === name);
      if (!next) (node.subs ??= []).push(next = i === leaf.path.length - 1 ? { name, leaf } : { name, subs: [] });
      node = next;
    });
  }
  return root;
})();

const leavesUnder = (n: Node): Leaf[] => (n.leaf ? [n.leaf] : (n.subs ?? []).flatMap(leavesUnder));

/** ipstats_enable_find_stat_desc(): the node a selection names, or ip's refusal. */
function find(sel: readonly string[]): Node {
  let node = TREE;
  sel.forEach((name, i) => {
    if (node.leaf) throw refused(`Error: ${LEVELS[i]} ${name} requested inside leaf ${LEVELS[i - 1]} ${node.name}`);
    const next = node.subs?.find((n) => n.name === name);
    if (!next) throw refused(`Error: no ${LEVELS[i]} named ${name} found inside ${node.name}`);
    node = next;
  });
  return node;
}

/** `dev DEV`'s value: once only, and a name ip's check_ifname() takes. */
function devArg(args: Args, dev: string | undefined): string {
  const v = args.next();
  if (dev !== undefined) throw duparg2('dev', v);
  if (badName(v)) throw invarg('"dev" not a valid ifname', v, false);
  return v;
}

/** ipstats_show()'s words: each level word starts a selection, a finished one adds its leaves. */
function selection(args: Args): { dev?: string; leaves: Leaf[] } {
  let dev: string | undefined;
  let sel: string[] = [];
  const chosen = new Set<Leaf>();
  const enable = (): void => { for (const l of leavesUnder(find(sel))) chosen.add(l); };
  while (!args.done) {
    const w = args.next();
    if (w === 'dev') dev = devArg(args, dev);
    else if (w === 'help') throw help();
    else if ((LEVELS as readonly string[]).includes(w)) {
      const level = LEVELS.indexOf(w as (typeof LEVELS)[number]);
      const v = args.next();
      for (let i = 0; i < level; i++) if (sel[i] === undefined) throw refused(`Error: ${w} ${v} requested without selecting a ${LEVELS[i]} first`);
      if (sel.length > level) enable();
      sel = [...sel.slice(0, level), v];
    } else throw whatIs(w);
  }
  enable();
  return { dev, leaves: LEAVES.filter((l) => chosen.has(l)) };
}

/** ip's groups by the library's names, and the offload group's parts each of its leaves asks for (l3_stats prints hw_stats_info's state too). */
const GROUPS: Record<string, StatsGroup> = { link: 'link', xstats: 'xstats', xstats_slave: 'xstatsSlave', offload: 'offload', afstats: 'afstats' };
const PARTS: Record<string, OffloadPart[]> = { cpu_hit: ['cpuHit'], hw_stats_info: ['hwStatsInfo'], l3_stats: ['l3Stats', 'hwStatsInfo'] };

/**
 * The request for a link's (or, index 0, every link's) counters that the leaves print
 * (ipstats_req_add_filters()): their groups, and the offload group's parts.
 */
export function requestFor(leaves: readonly Leaf[], ifindex: number): StatsRequestMessage {
  const groups = new Set<StatsGroup>();
  const offload = new Set<OffloadPart>();
  for (const { path } of leaves) {
    groups.add(GROUPS[path[0]]);
    if (path[0] === 'offload') for (const part of PARTS[path[1]]) offload.add(part);
  }
  return statsRequest(ifindex, { groups: [...groups], offload: offload.size > 0 ? [...offload] : undefined }, 'stats');
}

async function show(ctx: Context, args: Args, implied: number): Promise<void> {
  const { dev, leaves } = selection(args);
  const index = dev === undefined ? undefined : await ctx.index(dev);
  const rt = await ctx.rt();
  const request = requestFor(leaves, index ?? 0);
  ctx.out.listing = true;
  const name = await ctx.namer();
  const level = ctx.opts.stats + implied;
  if (index !== undefined) {
    printStats(ctx.out, await rt.stats.lookup(request), name, leaves, level);
    return;
  }
  for (const m of await rt.stats.dump(request)) {
    printStats(ctx.out, m, name, leaves, level);
    ctx.out.nl();
  }
}

/** ipstats_set(): `dev` and one counter set to switch. */
async function set(ctx: Context, args: Args): Promise<void> {
  let dev: string | undefined;
  let l3Stats: boolean | undefined;
  while (!args.done) {
    const w = args.next();
    if (w === 'dev') dev = devArg(args, dev);
    else if (w === 'l3_stats') {
      const v = args.next();
      if (l3Stats !== undefined) throw refused('A statistics suite to toggle was already given.');
      if (v !== 'on' && v !== 'off') throw refused(`Error: argument of "l3_stats" must be one of "off", "on", not "${v}"`);
      l3Stats = v === 'on';
    } else if (w === 'help') throw help();
    else throw whatIs(w);
  }
  if (dev === undefined) throw usageError('Not enough information: "dev" argument is required.');
  if (l3Stats === undefined) throw usageError('Not enough information: stat type to toggle is required.');
  const index = await ctx.index(dev);
  await (await ctx.rt()).stats.set({ dev: index, l3Stats });
}
