// A neighbour entry as `ip neigh show` prints it (ip/ipneigh.c print_neigh); ip monitor prints FDB entries so too.
import { AF_BRIDGE, AF_INET, AF_INET6, USER_HZ } from '../../codecs/route/constants.js';
import {
  NTF_EXT_LEARNED, NTF_EXT_MANAGED, NTF_OFFLOADED, NTF_PROXY, NTF_ROUTER, type NeighbourMessage,
} from '../../codecs/route/neighbour.js';
import { protocolName } from './format-route.js';
import { llAddrText } from './ll-names.js';
import { familyColor, type Printer } from './print.js';

const NUD: Array<[number, string]> = [
  [0x01, 'INCOMPLETE'], [0x02, 'REACHABLE'], [0x04, 'STALE'], [0x08, 'DELAY'], [0x10, 'PROBE'], [0x20, 'FAILED'],
  [0x40, 'NOARP'], [0x80, 'PERMANENT'],
];
/** print_neigh()'s flags in its order: bits of ndm_flags, and `managed` of NDA_FLAGS_EXT. */
const NTF: Array<['flags' | 'flagsExt', number, string]> = [
  ['flags', NTF_ROUTER, 'router'], ['flags', NTF_PROXY, 'proxy'], ['flagsExt', NTF_EXT_MANAGED, 'managed'],
  ['flags', NTF_EXT_LEARNED, 'extern_learn'], ['flags', NTF_OFFLOADED, 'offload'],
];

/** How a neighbour prints besides the entry: see printNeighbour(). */
export interface NeighbourView { deleted?: boolean; miss?: boolean; stats?: boolean; brief?: boolean; linkType?: (index: number) => number | undefined }

/**
 * `name` gives a link's name, or undefined when the listing was for one link (then no `dev` is
 * printed); `deleted`: an RTM_DELNEIGH, `miss`: an RTM_GETNEIGH (ip monitor); `stats` (-s): the
 * timers and probes; `linkType` a link's ARPHRD_* type where known (a tunnel's lladdr is an address).
 */
export function printNeighbour(p: Printer, n: NeighbourMessage, name: (index: number) => string | undefined, view: NeighbourView = {}): void {
  const a = n.attrs;
  p.openObject();
  if (view.deleted) p.bool('deleted', 'Deleted ');
  else if (view.miss) p.null('miss', '%s ', 'miss');
  const dev = n.ifindex ? name(n.ifindex) : undefined;
  if (view.brief) {
    printBrief(p, n, dev, view);
    return;
  }
  // An FDB entry's remote (AF_BRIDGE) is coloured by what it is.
  const family = n.family === AF_BRIDGE ? (a.dst?.includes(':') ? AF_INET6 : AF_INET) : n.family;
  if (a.dst !== undefined) p.colored(familyColor(family), 'dst', '%s ', a.dst);
  if (dev !== undefined) {
    p.fp('dev ');
    p.colored('ifname', 'dev', '%s ', dev);
  }
  if (a.lladdr !== undefined) {
    p.fp('lladdr ');
    p.colored('mac', 'lladdr', '%s ', lladdrText(n, view));
  }
  for (const [field, bit, flag] of NTF) if (((field === 'flags' ? n.flags : a.flagsExt) ?? 0) & bit) p.null(flag, '%s ', flag);
  if (view.stats) printStats(p, n);
  if (n.state) {
    // print_neigh_state(): the known bits only.
    p.openArray('state');
    for (const [bit, state] of NUD) if (n.state & bit) p.any(null, '%s ', state);
    p.closeArray();
  }
  if (a.protocol) p.any('protocol', 'proto %s ', p.named(a.protocol, protocolName));
  p.fp('\n');
  p.closeObject();
}

/** ll_addr_n2a() by the link's type, as ip prints NDA_LLADDR (ll_index_to_type(): -1 for a link it does not know, printed as bytes). */
const lladdrText = (n: NeighbourMessage, view: NeighbourView): string => llAddrText(n.attrs.lladdr ?? '', view.linkType?.(n.ifindex) ?? -1);

/** print_neigh_brief() (-br): the address, the link (unless the listing was for one) and the MAC, in columns. */
function printBrief(p: Printer, n: NeighbourMessage, dev: string | undefined, view: NeighbourView): void {
  const a = n.attrs;
  if (a.dst !== undefined) p.colored(familyColor(n.family), 'dst', '%-39s ', a.dst);
  if (dev !== undefined) p.colored('ifname', 'dev', '%-16s ', dev);
  if (a.lladdr !== undefined) p.colored('mac', 'lladdr', '%s', lladdrText(n, view));
  p.fp('\n');
  p.closeObject();
}

/** print_cacheinfo() and the probes: the timers in whole seconds (USER_HZ ticks), as ip spaces them. */
function printStats(p: Printer, n: NeighbourMessage): void {
  const ci = n.attrs.cacheinfo;
  if (ci) {
    const seconds = (ticks: number): number => Math.floor(ticks / USER_HZ);
    if (ci.refcnt) p.any('refcnt', ' ref %s', ci.refcnt);
    p.any('used', ' used %s', seconds(ci.used));
    p.any('confirmed', '/%s', seconds(ci.confirmed));
    p.any('updated', '/%s', seconds(ci.updated));
  }
  if (n.attrs.probes !== undefined) p.any('probes', 'probes %s ', n.attrs.probes);
}
