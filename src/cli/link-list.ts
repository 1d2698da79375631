// The links `rtnl link show` and `rtnl address show` list: selected as ipaddr_list_flush_or_save()
// selects them, printed as print_linkinfo() prints them.
import type { Link } from '../../codecs/route/link.js';
import { AF_INET6 } from '../../codecs/route/constants.js';
import { NetlinkError, strerror } from '../errors.js';
import { CliError } from './args.js';
import { NO_MASTER, ifIndex, type Context } from './context.js';
import { printLink, type LinkNames } from './format-link.js';

/**
 * What `ip link show` and `ip address show` select links by: `master`, an index or NO_MASTER;
 * `family`, the family an address listing is of (-4, -6, or `to PREFIX`'s), when it is not the
 * command line's.
 */
export interface LinkFilter { dev?: string; up?: boolean; master?: number; kind?: string; group?: number; family?: number }

/**
 * The links that pass a filter, each printed as print_linkinfo does (`doLink`: as `ip link show`),
 * then `after` prints its addresses; `keep` (when given) chooses among them, and `showLink` false
 * leaves the link's own lines out (-oneline).
 */
export async function printLinks(
  ctx: Context,
  f: LinkFilter,
  doLink: boolean,
  after: (l: Link) => void,
  keep: ((l: Link) => boolean) | undefined,
  showLink: boolean,
): Promise<void> {
  ctx.out.listing = true;
  const all = await ctx.links();
  let list = [...all.values()];
  if (f.dev !== undefined) list = await devLink(ctx, f.dev, doLink && f.group === undefined);
  list = list.filter((l) => (!f.up || l.flags.includes('up'))
    && (f.master === undefined || l.master === (f.master === NO_MASTER ? undefined : f.master))
    && (f.kind === undefined || ofType(l, f.kind))
    && (f.group === undefined || l.group === f.group)
    && (keep === undefined || keep(l)));
  const names = await linkNames(ctx);
  // `ip link` asks for and lists links with family AF_PACKET whatever -4/-6 said.
  const view = { ...ctx.opts, family: doLink ? 17 : f.family ?? ctx.opts.family };
  // `ip address` dumps with the command line's family (-6: AF_INET6 link messages; `to PREFIX`
  // changes only the view); a link asked for by `dev` comes whole whatever the family.
  const inet6 = !doLink && f.dev === undefined && ctx.opts.family === AF_INET6;
  for (const l of list) {
    if (showLink) printLink(ctx.out, inet6 ? asInet6(l) : l, names, view, doLink);
    else ctx.out.openObject();
    after(l);
    ctx.out.closeObject();
  }
}

/**
 * `dev NAME` as ipaddr_list_flush_or_save() finds it: by ll_name_to_index() (`Device "x" does not
 * exist.` when neither a link nor `ifN`), then asked for by name by `ip link show` without
 * `group` (a refusal ends the command, exit 1), else by index (a refusal is printed and nothing
 * is listed, exit 0).
 */
async function devLink(ctx: Context, dev: string, byName: boolean): Promise<Link[]> {
  const found = await ctx.link(dev);
  if (found) return [found]; // the same link by name or by index
  const index = ifIndex(dev);
  if (index === undefined) throw new CliError(`Device "${dev}" does not exist.`);
  try {
    return [await (await ctx.linkApi()).get(byName ? dev : index, { stats: ctx.opts.stats > 0 })];
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    const words = `${e.text}\nCannot send link ${byName ? 'get ' : ''}request: ${strerror(e.errno)}`;
    if (byName) throw new CliError(words);
    ctx.io?.err(`${words}\n`);
    return [];
  }
}

/** `type KIND` as ip filters: the link's kind, or with `_slave` its master's (`bridge_slave`: a bridge's ports). */
function ofType(l: Link, type: string): boolean {
  return type.endsWith('_slave') ? l.info?.slaveKind === type.slice(0, -'_slave'.length) : l.info?.kind === type;
}

/**
 * A link as `ip -6 address` has it: ip asks the kernel for AF_INET6 link messages, which carry
 * no qdisc, master or group (inet6_fill_ifinfo), so their lines leave those out.
 */
function asInet6(l: Link): Link {
  const { qdisc: _q, master: _m, group: _g, ...rest } = l;
  return Object.setPrototypeOf(rest, Object.getPrototypeOf(l) as object) as Link;
}

/** Names for the formatter: links of this namespace, and namespaces by nsid (for link-netns). */
async function linkNames(ctx: Context): Promise<LinkNames> {
  const all = await ctx.links();
  const nsNames = new Map<number, string>();
  if ([...all.values()].some((l) => l.linkNsid !== undefined)) await ctx.netnsNames(nsNames);
  return {
    name: await ctx.namer(),
    flagsOf: (i) => all.get(i)?.flags,
    netnsName: (id) => nsNames.get(id),
  };
}
