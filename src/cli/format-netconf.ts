// A family's settings for a link as `ip netconf show` and `ip monitor` print them (ip/ipnetconf.c print_netconf()).
import { NETCONFA_IFINDEX_ALL, NETCONFA_IFINDEX_DEFAULT, type NetconfMessage } from '../../codecs/route/netconf.js';
import { FAMILIES } from './format-address.js';
import { onOffs, type Printer } from './print.js';

/** rp_filter_names[]: ip prints other values as numbers. */
const RP_FILTERS = ['off', 'strict', 'loose'];

/** What the kernel said, in ip's order (ip 6.1 knows no bc_forwarding: left out as it leaves it). */
export function printNetconf(p: Printer, m: NetconfMessage, name: (index: number) => string, view: { deleted?: boolean } = {}): void {
  const a = m.attrs;
  p.openObject();
  if (view.deleted) p.bool('deleted', 'Deleted ');
  p.any('family', '%s ', FAMILIES[m.family] ?? '???');
  if (a.ifindex !== undefined) {
    const dev = a.ifindex === NETCONFA_IFINDEX_ALL ? 'all' : a.ifindex === NETCONFA_IFINDEX_DEFAULT ? 'default' : name(a.ifindex >>> 0);
    p.colored('ifname', 'interface', '%s ', dev);
  }
  onOffs(p, [['forwarding', 'forwarding', a.forwarding]]);
  if (a.rpFilter !== undefined) p.any('rp_filter', 'rp_filter %s ', RP_FILTERS[a.rpFilter] ?? a.rpFilter >>> 0);
  onOffs(p, [
    ['mc_forwarding', 'mc_forwarding', a.mcForwarding], ['proxy_neigh', 'proxy_neigh', a.proxyNeigh],
    ['ignore_routes_with_linkdown', 'ignore_routes_with_linkdown', a.ignoreRoutesWithLinkdown], ['input', 'input', a.input],
  ]);
  p.closeObject();
  p.fp('\n');
}
