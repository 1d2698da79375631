// `rtnl neighbour`: ip/ipneigh.c's grammar (add, change, replace, delete, show, flush).
import { RTM_GETNEIGH } from '../../codecs/route/constants.js';
import { NEIGHBOUR_STATES, neighbourCodec, type NeighbourMessage, type NeighbourState } from '../../codecs/route/neighbour.js';
import { Args, CliError, duparg, matches, pick, usageError } from './args.js';
import type { Context } from './context.js';
import { printNeighbour } from './format-neighbour.js';

export const NEIGH_USAGE = `Usage: rtnl neigh { add | del | change | replace } { ADDR [ lladdr LLADDR ] [ nud STATE ] [ router ] } dev DEV
       rtnl neigh { show | flush } [ dev DEV ] [ nud STATE ]
STATE := { delay | failed | incomplete | noarp | none | permanent | probe | reachable | stale }
`;

const COMMANDS = ['add', 'change', 'replace', 'delete', 'get', 'show', 'list', 'lst', 'flush', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  const word = args.done ? 'show' : args.next();
  const cmd = word === 'chg' ? 'change' : pick(word, COMMANDS);
  switch (cmd) {
    case 'add': case 'change': case 'replace': case 'delete': return modify(ctx, args, cmd);
    case 'show': case 'list': case 'lst': return show(ctx, args);
    case 'help': throw usageError(NEIGH_USAGE.trimEnd());
    case undefined: throw usageError(`Command "${word}" is unknown, try "rtnl neigh help".`);
    default: throw new CliError(`rtnl: "neigh ${cmd}" is not supported`);
  }
}

async function modify(ctx: Context, args: Args, cmd: 'add' | 'change' | 'replace' | 'delete'): Promise<void> {
  let dev: string | undefined;
  let dst: string | undefined;
  let lladdr: string | undefined;
  let state: NeighbourState | undefined;
  let router = false;
  while (!args.done) {
    const w = args.next();
    if (w === 'lladdr') lladdr = args.next();
    else if (w === 'nud') {
      const s = args.next();
      if (!(s in NEIGHBOUR_STATES)) throw usageError(`Error: argument "${s}" is wrong: nud state is bad\n`);
      state = s as NeighbourState;
    } else if (w === 'router') router = true;
    else if (w === 'dev') dev = args.next();
    else if (matches(w, 'help')) throw usageError(NEIGH_USAGE.trimEnd());
    else {
      const a = w === 'to' ? args.next() : w;
      if (dst !== undefined) throw duparg('to', a);
      dst = a;
    }
  }
  if (dst === undefined || dev === undefined) throw usageError('Device and destination are required arguments.');
  if (cmd === 'change') throw new CliError('rtnl: "neigh change" is not supported; use replace');
  const { neighbour } = await ctx.rt(); // first: ctx.index() then uses its socket
  const index = await ctx.index(dev);
  if (cmd === 'delete') await neighbour.delete(index, dst);
  else await neighbour[cmd](index, dst, lladdr, { state, router });
}

async function show(ctx: Context, args: Args): Promise<void> {
  let dev: string | undefined;
  while (!args.done) {
    const w = args.next();
    if (w === 'dev') dev = args.next();
    else if (matches(w, 'help')) throw usageError(NEIGH_USAGE.trimEnd());
    else throw new CliError(`rtnl: neigh show selector "${w}" is not supported`);
  }
  ctx.out.listing = true;
  const index = dev === undefined ? undefined : await ctx.index(dev);
  const head: NeighbourMessage = { family: ctx.opts.family, pad1: 0, pad2: 0, ifindex: 0, state: 0, flags: 0, type: 0, attrs: {} };
  if (index !== undefined) head.attrs.ifindex = index;
  const client = await ctx.client();
  const ms = await client.dump({ type: RTM_GETNEIGH, name: 'RTM_GETNEIGH', body: (w) => neighbourCodec.encode(w, head) });
  const links = await ctx.links();
  for (const m of ms) {
    const n = neighbourCodec.decode(m.payload);
    // ip shows ARP and NDP entries, not the bridge FDB, nor NOARP ones (multicast, loopback) unless asked.
    if ((n.family !== 2 && n.family !== 10) || n.state === NEIGHBOUR_STATES.noarp || n.state === 0) continue;
    printNeighbour(ctx.out, n, (i) => (index !== undefined ? undefined : links.get(i)?.name ?? `if${i}`));
  }
}
