// `rtnl neighbour`: ip/ipneigh.c's grammar (add, change, replace, delete, show, flush).
import { NEIGHBOUR_STATES, NTF_EXT_LEARNED, NTF_PROXY, type NeighbourMessage, type NeighbourState } from '../../codecs/route/neighbour.js';
import { namer } from '../../codecs/netlink/names.js';
import { NetlinkError } from '../errors.js';
import { Args, CliError, duparg, duparg2, matches, named, pick, protocolArg, protocolSelector, usageError } from './args.js';
import { NO_MASTER, type Context } from './context.js';
import { flushRounds } from './flush.js';
import { printNeighbour } from './format-neighbour.js';
import { addressArg, addressText, inside, lladdr as lladdrArg, noBytes, expectedError, prefixArg, type Prefix } from './prefix.js';

export const NEIGH_USAGE = `Usage: rtnl neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR } [ dev DEV ] [ router ] [ extern_learn ]
                [ protocol PROTO ]
       rtnl neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
                [ master DEV | vrf NAME | nomaster ] [ protocol PROTO ] [ unused ]
       rtnl neigh get { ADDR | proxy ADDR } dev DEV
STATE := { delay | failed | incomplete | noarp | none | permanent | probe | reachable | stale }
`;

const stateName = namer(NEIGHBOUR_STATES);
const COMMANDS = ['add', 'change', 'replace', 'delete', 'get', 'show', 'list', 'lst', 'flush', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<number | void> {
  const word = args.done ? 'show' : args.next();
  const cmd = word === 'chg' ? 'change' : pick(word, COMMANDS);
  switch (cmd) {
    case 'add': case 'change': case 'replace': case 'delete': return modify(ctx, args, cmd);
    case 'show': case 'list': case 'lst': return show(ctx, args);
    case 'flush': return flush(ctx, args);
    case 'get': return get(ctx, args);
    case 'help': throw usageError(NEIGH_USAGE.trimEnd());
    case undefined: throw usageError(`Command "${word}" is unknown, try "rtnl neigh help".`);
  }
}

async function modify(ctx: Context, args: Args, cmd: 'add' | 'change' | 'replace' | 'delete'): Promise<void> {
  let dev: string | undefined;
  let dst: Prefix | undefined;
  let dstArg = '';
  let lladdr: string | undefined;
  let state: NeighbourState | undefined;
  let router = false;
  let proxy = false;
  let externLearn = false;
  let protocol: number | undefined;
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'lladdr')) {
      const l = args.next();
      if (lladdr !== undefined) throw duparg('lladdr', l);
      lladdr = l;
    } else if (w === 'nud') {
      const s = args.next();
      const bit = nudState(s);
      const name = bit === undefined ? undefined : stateName(bit);
      if (typeof name !== 'string') throw usageError(`Error: argument "${s}" is wrong: nud state is bad`);
      state = name;
    } else if (matches(w, 'proxy')) {
      const a = args.next();
      if (matches(a, 'help')) throw usageError(NEIGH_USAGE.trimEnd());
      if (dst !== undefined) throw duparg('address', a);
      dst = addressArg(a, ctx.opts.family);
      dstArg = a;
      proxy = true;
    } else if (w === 'router') router = true;
    else if (matches(w, 'extern_learn')) externLearn = true;
    else if (matches(w, 'protocol')) protocol = protocolArg(args.next());
    else if (w === 'dev') dev = args.next();
    else if (w === 'use' || w === 'managed') throw new CliError(`rtnl: neigh ${cmd} "${w}" is not supported`);
    else {
      const to = w === 'to' ? args.next() : w;
      const a = matches(to, 'help') ? args.next() : to; // ipneigh_modify() skips a `help` here, usage or not
      if (dst !== undefined) throw duparg2('to', a);
      dst = addressArg(a, ctx.opts.family);
      dstArg = a;
    }
  }
  // `default`, `any` and `all` read as addresses of no family: ip refuses them here with the same words.
  if (dst === undefined || dst.family === 0 || dev === undefined) throw usageError('Device and destination are required arguments.');
  if (lladdr !== undefined && lladdr !== 'null') lladdrArg(lladdr); // read once the words are, as ip reads it
  const { neighbour } = await ctx.rt(); // first: ctx.index() then uses its socket
  const index = await ctx.index(dev);
  checkSendable(dst, dstArg, cmd);
  // The address as ip read it: `192.0.2` is 192.0.2.0.
  const address = addressText(dst);
  const sent = cmd === 'delete' ? neighbour.delete({ dev: index, address, proxy })
    : neighbour[cmd]({ dev: index, address, lladdr, state, router, proxy, externLearn, protocol });
  // ipneigh_modify() exits when the kernel refuses (exit(2)): a batch ends there, even with -force.
  await sent.catch((e: unknown) => {
    throw e instanceof NetlinkError ? new CliError(e.text, 2, true) : e;
  });
}

/** do_show_or_flush()'s filter: a link, a family, a prefix, NUD states (0x100 stands for `none`). */
/** `master`: an index, or NO_MASTER; `protocol` absent or 0: any (ip's filter.protocol); `unused`: entries nothing refers to. */
interface NeighSelector { dev?: string; family: number; prefix?: Prefix; states: number; proxy?: boolean; master?: number; protocol?: number; unused?: boolean }

/** nud_state_a2n(): a state's name (`permanent`, `reachable` and `failed` by prefix) or its bit as a number (get_unsigned()). */
function nudState(s: string): number | undefined {
  if (matches(s, 'permanent')) return NEIGHBOUR_STATES.permanent;
  if (matches(s, 'reachable')) return NEIGHBOUR_STATES.reachable;
  if (matches(s, 'failed')) return NEIGHBOUR_STATES.failed;
  const n = named(NEIGHBOUR_STATES, s, 0xff);
  return n !== undefined && (n & (n - 1)) === 0 ? n : undefined;
}

/** The words of `neigh show|flush`: flush leaves out permanent and noarp entries unless a `nud` asks for them. */
async function selector(ctx: Context, args: Args, flush: boolean): Promise<NeighSelector> {
  const sel: NeighSelector = { family: ctx.opts.family, states: flush ? ~(NEIGHBOUR_STATES.permanent | NEIGHBOUR_STATES.noarp) : 0xff & ~NEIGHBOUR_STATES.noarp };
  let stateGiven = false;
  while (!args.done) {
    const w = args.next();
    if (w === 'dev') {
      const d = args.next();
      if (sel.dev !== undefined) throw duparg('dev', d);
      sel.dev = d;
    } else if (w === 'nud') {
      const s = args.next();
      if (!stateGiven) sel.states = 0;
      stateGiven = true;
      let state = nudState(s);
      if (state === undefined) {
        if (s !== 'all') throw usageError(`Error: argument "${s}" is wrong: nud state is bad`);
        state = flush ? ~NEIGHBOUR_STATES.noarp : ~0;
      }
      sel.states |= state === 0 ? 0x100 : state;
    } else if (w === 'proxy') sel.proxy = true;
    else if (w === 'master' || w === 'vrf') sel.master = await ctx.masterIndex(args.next(), w === 'vrf');
    else if (w === 'nomaster') sel.master = NO_MASTER;
    else if (w === 'unused') sel.unused = true;
    else if (matches(w, 'protocol')) sel.protocol = protocolSelector(args.next());
    else {
      const a = w === 'to' ? args.next() : w;
      if (matches(a, 'help')) throw usageError(NEIGH_USAGE.trimEnd());
      sel.prefix = prefixArg(a, sel.family);
      if (sel.family === 0) sel.family = sel.prefix.family;
    }
  }
  return sel;
}

/** print_neigh()'s filter, but for the family, the link and its master, which the dump's request leaves to the kernel. */
function selected(sel: NeighSelector, n: NeighbourMessage): boolean {
  if (!(sel.states & n.state) && !(n.flags & (NTF_PROXY | NTF_EXT_LEARNED)) && (n.state || !(sel.states & 0x100))) return false;
  if (sel.protocol && sel.protocol !== (n.attrs.protocol ?? 0)) return false;
  if (sel.unused && n.attrs.cacheinfo?.refcnt) return false;
  return inside(sel.prefix, n.attrs.dst);
}

/** One dump of the selected entries. */
async function dump(ctx: Context, sel: NeighSelector, index: number | undefined): Promise<NeighbourMessage[]> {
  const entries = await (await ctx.rt()).neighbour.dump({ family: sel.family, index, proxy: sel.proxy, master: sel.master });
  return entries.filter((n) => selected(sel, n));
}

async function show(ctx: Context, args: Args): Promise<void> {
  const sel = await selector(ctx, args, false);
  ctx.out.listing = true;
  const index = sel.dev === undefined ? undefined : await ctx.index(sel.dev);
  const entries = await dump(ctx, sel, index);
  const name = await ctx.namer();
  const linkType = await ctx.linkType();
  for (const n of entries) printNeighbour(ctx.out, n, devName(name, index), { stats: ctx.opts.stats > 0, brief: ctx.opts.brief, linkType });
}

/** print_neigh(): each entry's link is named unless the listing is for one link. */
function devName(name: (i: number) => string, index: number | undefined): (i: number) => string | undefined {
  return (i) => (index !== undefined ? undefined : name(i));
}

/**
 * `neigh flush`: dump, delete each selected entry through rt.neighbour.delete, again until none
 * is left; failed entries are spared after the first round, as ip spares them.
 */
async function flush(ctx: Context, args: Args): Promise<number | void> {
  if (args.done) throw new CliError('Flush requires arguments.');
  const sel = await selector(ctx, args, true);
  const rt = await ctx.rt(); // first: ctx.index() and the dumps then use its socket
  const index = sel.dev === undefined ? undefined : await ctx.index(sel.dev);
  const name = devName(await ctx.namer(), index);
  const linkType = await ctx.linkType();
  const complete = await flushRounds(ctx, { noun: 'entries', maxRounds: 10, failStatus: 1, failExits: true }, async (round) => {
    if (round > 0) sel.states &= ~NEIGHBOUR_STATES.failed;
    return (await dump(ctx, sel, index)).map((n) => ({
      print: () => printNeighbour(ctx.out, n, name, { stats: true, brief: ctx.opts.brief, linkType }), // -s -s: each entry as print_neigh() prints it, stats on
      remove: () => rt.neighbour.delete({ dev: n.ifindex, address: n.attrs.dst ?? '', proxy: sel.proxy }),
    }));
  });
  if (complete) return;
  ctx.out.fp('*** Flush not complete bailing out after 10 rounds\n');
  return 255;
}

/**
 * What ip sends for the kernel to refuse, refused here once ip's checks have passed: `any` or
 * `all` in a family, sent empty (`Invalid network address`); a link-layer address (-0), sent
 * with AF_PACKET, which has no neighbour table (exit 2 as ip's, the kernel's words aside; a
 * change ends a batch there, as ipneigh_modify() exits).
 */
function checkSendable(dst: Prefix, arg: string, cmd: string): void {
  if (dst.family === 17) throw new CliError(`rtnl: neigh ${cmd} of a link-layer address (-0) is not supported`, 2, cmd !== 'get');
  if (noBytes(dst, arg)) throw expectedError(arg, dst.family, false, 'address');
}

/** `neigh get ADDR dev DEV`: the kernel's entry, printed as `neigh show` prints it (with `dev`). */
async function get(ctx: Context, args: Args): Promise<void> {
  let dev: string | undefined;
  let dst: Prefix | undefined;
  let dstArg = '';
  let proxy = false;
  while (!args.done) {
    const w = args.next();
    if (w === 'dev') dev = args.next();
    else {
      const isProxy = matches(w, 'proxy');
      proxy ||= isProxy;
      const a = w === 'to' || isProxy ? args.next() : w;
      if (matches(a, 'help')) throw usageError(NEIGH_USAGE.trimEnd());
      if (dst !== undefined) throw duparg2('to', a);
      dst = addressArg(a, ctx.opts.family);
      dstArg = a;
    }
  }
  if (dev === undefined || dst === undefined || dst.family === 0) throw new CliError('Device and address are required arguments.');
  ctx.out.listing = true;
  const index = await ctx.index(dev);
  checkSendable(dst, dstArg, 'get');
  const found = await (await ctx.rt()).neighbour.lookup(index, addressText(dst), proxy);
  if (found) printNeighbour(ctx.out, found, await ctx.namer(), { stats: ctx.opts.stats > 0, brief: ctx.opts.brief, linkType: await ctx.linkType() });
}
