// `rtnl link xstats type TYPE [ ARGS ]`: ip/iplink_xstats.c with iplink_bridge.c's
// bridge_parse_xstats() and bridge_print_xstats(): the multicast and STP counters of bridges
// (`type bridge`) or of bridge ports (`type bridge_slave`), over rt.stats.dump().
import { statsRequest } from '../api/stats.js';
import { Args, CliError, invarg, matches } from './args.js';
import type { Context } from './context.js';
import { printMcast, printStp } from './format-stats.js';

/** The kinds whose counters ip 6.1 prints (its link_utils with print_ifla_xstats). */
const XSTATS_KINDS = ['bridge', 'bridge_slave', 'bond', 'bond_slave'];

/**
 * `ipKinds`: the kinds ip has a link_util for (another is `invalid type`, one without counters
 * of its own `doesn't support xstats`).
 */
export async function xstats(ctx: Context, args: Args, ipKinds: ReadonlySet<string>): Promise<void> {
  if (args.done) throw new CliError('xstats: missing argument');
  const w = args.next();
  if (matches(w, 'help')) {
    ctx.io?.out('Usage: ... xstats type TYPE [ ARGS ]\n'); // to stdout, text even with -j, as ip
    return;
  }
  if (!matches(w, 'type')) throw invarg('unknown argument', w, false);
  const kind = args.next();
  if (!ipKinds.has(kind)) throw invarg('invalid type', kind, false);
  if (!XSTATS_KINDS.includes(kind)) throw new CliError(`xstats: link type ${kind} doesn't support xstats`);
  if (kind.startsWith('bond')) throw new CliError(`rtnl: link xstats type ${kind} is not supported (this kernel has no bonding to compare it with)`);
  const { only, dev } = bridgeWords(ctx, args, kind);
  if (only === 'help') return;
  const index = dev === undefined ? undefined : await ctx.index(dev);
  const rt = await ctx.rt();
  const slave = kind === 'bridge_slave';
  const messages = await rt.stats.dump(statsRequest(0, { groups: [slave ? 'xstatsSlave' : 'xstats'] }, 'link xstats'));
  const name = await ctx.namer();
  const p = ctx.out;
  p.listing = true;
  for (const m of messages) {
    const bridge = (slave ? m.attrs.xstatsSlave : m.attrs.xstats)?.bridge;
    if ((index !== undefined && m.ifindex !== index) || !bridge) continue;
    p.openObject();
    p.any('ifname', '%-16s\n', name(m.ifindex));
    // In the kernel's order: the multicast counters, then a port's STP ones.
    if (bridge.mcast && only !== 'stp') printMcast(p, bridge.mcast);
    if (bridge.stp && only !== 'mcast') printStp(p, bridge.stp);
    p.closeObject();
  }
}

/** bridge_parse_xstats(): `igmp`/`mcast` or `stp` alone, `dev DEV`; `help` prints its usage. */
function bridgeWords(ctx: Context, args: Args, kind: string): { only?: 'mcast' | 'stp' | 'help'; dev?: string } {
  const out: { only?: 'mcast' | 'stp' | 'help'; dev?: string } = {};
  while (!args.done) {
    const w = args.next();
    if (w === 'igmp' || w === 'mcast') out.only = 'mcast';
    else if (w === 'stp') out.only = 'stp';
    else if (w === 'dev') out.dev = args.next();
    else if (w === 'help') {
      ctx.io?.out(`Usage: ... ${kind} [ igmp ] [ dev DEVICE ]\n`);
      return { only: 'help' };
    } else throw invarg('unknown attribute', w, false);
  }
  return out;
}
