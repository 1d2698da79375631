// The links `rtnl link show` and `rtnl address show` list: selected as ipaddr_list_flush_or_save()
// selects them, printed as print_linkinfo() prints them.
import { STATS64_FIELDS, type Link, type LinkStats64 } from '../../codecs/route/link.js';
import { LE } from '../../codecs/netlink/endian.js';
import { AF_INET6 } from '../../codecs/route/constants.js';
import { NetlinkError, strerror } from '../errors.js';
import { CliError } from './args.js';
import { NO_MASTER, ifIndex, type Context } from './context.js';
import { printLink, type LinkNames } from './format-link.js';
import { truncatedVfs } from './format-vf.js';

/**
 * What `ip link show` and `ip address show` select links by: `master`, an index or NO_MASTER;
 * `kind` the link's, `slaveKind` its master's (`type bridge_slave`: a bridge's ports), both when
 * both are given, as ip keeps them apart; `family`, the family an address listing is of (-4, -6,
 * or `to PREFIX`'s), when it is not the command line's.
 */
export interface LinkFilter { dev?: string; up?: boolean; master?: number; kind?: string; slaveKind?: string; group?: number; family?: number }

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
    && (f.kind === undefined || l.info?.kind === f.kind)
    && (f.slaveKind === undefined || l.info?.slaveKind === f.slaveKind)
    && (f.group === undefined || l.group === f.group)
    && (keep === undefined || keep(l)));
  const names = await linkNames(ctx);
  // `ip link` asks for and lists links with family AF_PACKET whatever -4/-6 said.
  const view = { ...ctx.opts, family: doLink ? 17 : f.family ?? ctx.opts.family };
  // `ip address` dumps with the command line's family (-6: AF_INET6 link messages; `to PREFIX`
  // changes only the view); a link asked for by `dev` comes whole whatever the family.
  const inet6 = !doLink && f.dev === undefined && ctx.opts.family === AF_INET6;
  for (const whole of list) {
    const l = inet6 ? asInet6(whole) : whole;
    if (showLink) printLink(ctx.out, l, names, view, doLink);
    else ctx.out.openObject();
    // After the link, as print_linkinfo() warns (print_linkinfo_brief() does not).
    const truncated = showLink && !view.brief && (doLink || view.details) ? truncatedVfs(l) : undefined;
    if (truncated) ctx.io?.err(truncated);
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
    return [await (await ctx.linkApi()).get(byName ? dev : index, { stats: ctx.opts.stats > 0, vfs: true })];
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    const words = `${e.text}\nCannot send link ${byName ? 'get ' : ''}request: ${strerror(e.errno)}`;
    if (byName) throw new CliError(words);
    ctx.io?.err(`${words}\n`);
    return [];
  }
}

/**
 * A link as `ip -6 address` has it: ip asks the kernel for AF_INET6 link messages
 * (inet6_fill_ifinfo()), which carry its name, MAC, MTU, parent and operstate and its IPv6
 * information, and nothing else: no qdisc, master, group, broadcast, alternative names, kind,
 * parent's namespace or counters (ip reads the queue length by ioctl). Under -s, ip prints the link's IPv6 counters as
 * its counters (get_snmp_counters()).
 */
function asInet6(l: Link): Link {
  const { family, type, index, flags, change, name, address, mtu, parent, operstate, txqlen } = l;
  // IFLA_LINK only when it is not the link's own index (a veth whose peer has the same index in
  // another namespace: no `@`), and never the namespace of the parent (IFLA_LINK_NETNSID).
  const seen: Partial<Link> = {
    family, type, index, flags, change, name, address, mtu, parent: parent === index ? undefined : parent, operstate, txqlen, stats64: ipv6Counters(l),
  };
  return Object.setPrototypeOf(seen, Object.getPrototypeOf(l) as object) as Link;
}

/** Where get_snmp_counters() finds each counter it shows, by IPSTATS_MIB_* index (<linux/snmp.h>); the others are 0. */
const SNMP_COUNTERS: Array<[(typeof STATS64_FIELDS)[number], number]> = [
  ['rxPackets', 1], ['rxBytes', 2], ['txPackets', 5], ['txBytes', 6], ['rxErrors', 13], ['txErrors', 14], ['multicast', 23], ['rxFrameErrors', 31],
];

/** The link's IFLA_INET6_STATS as get_snmp_counters() reads them into link counters (all 0 when the kernel sent none). */
function ipv6Counters(l: Link): LinkStats64 {
  const mib = l.afSpec?.inet6?.stats;
  const dv = mib && new DataView(mib.buffer, mib.byteOffset, mib.byteLength);
  const at = (i: number): bigint => (dv && dv.byteLength >= 8 * (i + 1) ? dv.getBigUint64(8 * i, LE) : 0n);
  const counters = Object.fromEntries(STATS64_FIELDS.map((k) => [k, 0n])) as LinkStats64;
  for (const [key, i] of SNMP_COUNTERS) counters[key] = at(i);
  return counters;
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
