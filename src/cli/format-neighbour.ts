// A neighbour entry as `ip neigh show` prints it (ip/ipneigh.c print_neigh).
import type { NeighbourMessage } from '../../codecs/route/neighbour.js';
import { familyColor, type Printer } from './print.js';

const NUD: Array<[number, string]> = [
  [0x01, 'INCOMPLETE'], [0x02, 'REACHABLE'], [0x04, 'STALE'], [0x08, 'DELAY'], [0x10, 'PROBE'], [0x20, 'FAILED'],
  [0x40, 'NOARP'], [0x80, 'PERMANENT'],
];
const NTF: Array<[number, string]> = [[0x80, 'router'], [0x08, 'proxy'], [0x10, 'extern_learn'], [0x20, 'offload']];

/** `name` gives a link's name, or undefined when the listing was for one link (then no `dev` is printed). */
export function printNeighbour(p: Printer, n: NeighbourMessage, name: (index: number) => string | undefined, deleted = false): void {
  const a = n.attrs;
  p.openObject();
  // RTM_DELNEIGH (ip monitor).
  if (deleted) p.bool('deleted', 'Deleted ');
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
  for (const [bit, flag] of NTF) if (n.flags & bit) p.null(flag, '%s ', flag);
  if (n.state) {
    let s = n.state;
    p.openArray('state');
    for (const [bit, state] of NUD) {
      if (s & bit) {
        s &= ~bit;
        p.any(null, '%s ', state);
      }
    }
    if (s) p.any(null, '%s ', s.toString(16));
    p.closeArray();
  }
  p.fp('\n');
  p.closeObject();
}
