// `rtnl netconf`: ip/ipnetconf.c's grammar (show [ dev DEV ]) over rt.netconf.
import { Args, CliError, pick, usageError } from './args.js';
import type { Context } from './context.js';
import { printNetconf } from './format-netconf.js';

export const NETCONF_USAGE = 'Usage: rtnl netconf show [ dev STRING ]';

const COMMANDS = ['show', 'list', 'lst', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  if (args.done) return show(ctx, args);
  const word = args.next();
  const cmd = pick(word, COMMANDS);
  if (cmd === 'help') throw usageError(NETCONF_USAGE);
  if (cmd === undefined) throw usageError(`Command "${word}" is unknown, try "rtnl netconf help".`);
  return show(ctx, args);
}

/**
 * Every family's settings, or -4's or -6's; `dev` selects a link's. A link and a family ask the
 * kernel for that one entry, as ip does (and, unlike ip, say so when the kernel has none).
 */
async function show(ctx: Context, args: Args): Promise<void> {
  let dev: string | undefined;
  while (!args.done) {
    const w = args.next();
    if (w !== 'dev') throw usageError(`Argument "${w}" is unknown, try "rtnl netconf help".`); // ip passes over it
    dev = args.next();
  }
  const index = dev === undefined ? undefined : await ctx.lookup(dev);
  if (dev !== undefined && index === undefined) throw new CliError(`Device "${dev}" does not exist.`);
  const rt = await ctx.rt();
  const { family } = ctx.opts;
  ctx.out.listing = true;
  const name = await ctx.namer();
  const entries = index !== undefined && family !== 0
    ? [await rt.netconf.lookup(family, index)] // a refusal prints the kernel's words (or why), not the subject
    : (await rt.netconf.dump(family)).filter((m) => index === undefined || m.attrs.ifindex === index);
  for (const m of entries) printNetconf(ctx.out, m, name);
}
