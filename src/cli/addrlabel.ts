// `rtnl addrlabel`: ip/ipaddrlabel.c's grammar (add, del, list, flush) over rt.addrlabel.
import { AF_INET6 } from '../../codecs/route/constants.js';
import { IPV6_ADDR_LABEL_DEFAULT } from '../../codecs/route/addrlabel.js';
import type { AddrLabel } from '../api/addrlabel.js';
import { Args, CliError, invarg, pick, uint, usageError } from './args.js';
import type { Context } from './context.js';
import { familyColor, type Printer } from './print.js';
import { addressText, prefixArg } from './prefix.js';

export const ADDRLABEL_USAGE = `Usage: rtnl addrlabel { add | del } prefix PREFIX [ dev DEV ] [ label LABEL ]
       rtnl addrlabel [ list | flush | help ]`;

// ipaddrlabel.c's commands, in its order: an abbreviation means the first that it starts.
const COMMANDS = ['list', 'lst', 'show', 'add', 'delete', 'flush', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  // The table is IPv6's: the kernel refuses any other family's dump (EOPNOTSUPP), rtnl before asking.
  if (ctx.opts.family !== 0 && ctx.opts.family !== AF_INET6) throw new CliError('rtnl: address labels are IPv6\'s', 255);
  if (args.done) return list(ctx);
  const word = args.next();
  const cmd = pick(word, COMMANDS);
  if (cmd === 'help') throw usageError(ADDRLABEL_USAGE);
  if (cmd === undefined) throw usageError(`Command "${word}" is unknown, try "rtnl addrlabel help".`);
  if (cmd === 'add' || cmd === 'delete') return modify(ctx, args, cmd);
  if (!args.done) throw new CliError(cmd === 'flush' ? '"rtnl addrlabel flush" does not allow extra arguments' : '"rtnl addrlabel show" does not take any arguments.');
  return cmd === 'flush' ? flush(ctx) : list(ctx);
}

async function list(ctx: Context): Promise<void> {
  const labels = await (await ctx.rt()).addrlabel.list();
  ctx.out.listing = true;
  const name = await ctx.namer();
  for (const l of labels) printAddrLabel(ctx.out, l, name);
}

/** Every label goes, the kernel's defaults too, as ip flushes them. */
async function flush(ctx: Context): Promise<void> {
  const rt = await ctx.rt();
  for (const l of await rt.addrlabel.list()) await rt.addrlabel.delete(l);
}

/** `prefix PREFIX [ dev DEV ] [ label LABEL ]`, each exact, as ipaddrlabel_modify() reads them. */
async function modify(ctx: Context, args: Args, cmd: 'add' | 'delete'): Promise<void> {
  let prefix: string | undefined;
  let label: number | undefined;
  let dev: number | undefined;
  while (!args.done) {
    const w = args.next();
    if (w === 'prefix') {
      const p = prefixArg(args.next(), ctx.opts.family);
      prefix = `${addressText(p)}/${p.bitlen}`;
    } else if (w === 'dev') {
      const name = args.next();
      dev = await ctx.lookup(name);
      if (dev === undefined) throw invarg('dev is invalid', name);
    } else if (w === 'label') {
      const v = args.next();
      label = uint(v, 'label', IPV6_ADDR_LABEL_DEFAULT - 1, () => invarg('label is invalid', v));
    } else throw usageError(`Argument "${w}" is unknown, try "rtnl addrlabel help".`); // ip passes over it
  }
  if (prefix === undefined) throw new CliError('Not enough information: "prefix" argument is required.');
  if (label === undefined) throw new CliError('Not enough information: "label" argument is required.');
  const api = (await ctx.rt()).addrlabel;
  const spec = { prefix, label, dev };
  await (cmd === 'add' ? api.add(spec) : api.delete(spec));
}

/** print_addrlabel(): `prefix 2001:db8::/32 dev v0 label 100 `. */
function printAddrLabel(p: Printer, l: AddrLabel, name: (index: number) => string): void {
  const slash = l.prefix.lastIndexOf('/');
  p.openObject();
  p.fp('prefix ');
  p.colored(familyColor(AF_INET6), 'address', '%s', l.prefix.slice(0, slash));
  p.any('prefixlen', '/%s ', Number(l.prefix.slice(slash + 1)));
  if (l.index !== undefined) {
    p.fp('dev ');
    p.colored('ifname', 'ifname', '%s ', name(l.index));
  }
  p.any('label', 'label %s ', l.label);
  p.fp('\n');
  p.closeObject();
}
