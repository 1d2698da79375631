// A neighbour entry as `ip neigh show` prints it (ip/ipneigh.c print_neigh).
import { USER_HZ } from '../../codecs/route/constants.js';
import { PROTOCOLS } from '../../codecs/route/route.js';
import { namer } from '../../codecs/netlink/names.js';
import type { NeighbourMessage } from '../../codecs/route/neighbour.js';
import { familyColor, type Printer } from './print.js';

const NUD: Array<[number, string]> = [
  [0x01, 'INCOMPLETE'], [0x02, 'REACHABLE'], [0x04, 'STALE'], [0x08, 'DELAY'], [0x10, 'PROBE'], [0x20, 'FAILED'],
  [0x40, 'NOARP'], [0x80, 'PERMANENT'],
];
const NTF: Array<[number, string]> = [[0x80, 'router'], [0x08, 'proxy'], [0x10, 'extern_learn'], [0x20, 'offload']];
/** NTF_EXT_MANAGED, of NDA_FLAGS_EXT: printed after proxy. */
const NTF_EXT_MANAGED = 0x01;
const protocolName = namer(PROTOCOLS);

/**
 * `name` gives a link's name, or undefined when the listing was for one link (then no `dev` is
 * printed); `deleted`: an RTM_DELNEIGH (ip monitor); `stats` (-s): the timers and probes.
 */
export function printNeighbour(
  p: Printer, n: NeighbourMessage, name: (index: number) => string | undefined, view: { deleted?: boolean; stats?: boolean } = {},
): void {
  const a = n.attrs;
  p.openObject();
  if (view.deleted) p.bool('deleted', 'Deleted ');
  if (a.dst !== undefined) p.colored(familyColor(n.family), 'dst', '%s ', a.dst);
  const dev = n.ifindex ? name(n.ifindex) : undefined;
  if (dev !== undefined) {
    p.fp('dev ');
    p.colored('ifname', 'dev', '%s ', dev);
  }
  if (a.lladdr !== undefined) {
    p.fp('lladdr ');
    p.colored('mac', 'lladdr', '%s ', a.lladdr);
  }
  for (const [bit, flag] of NTF) {
    if (bit === 0x10 && (a.flagsExt ?? 0) & NTF_EXT_MANAGED) p.null('managed', '%s ', 'managed');
    if (n.flags & bit) p.null(flag, '%s ', flag);
  }
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
