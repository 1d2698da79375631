// A family's settings for a link as `ip netconf show` and `ip monitor` print them (ip/ipnetconf.c print_netconf()).
import { namer } from '../../codecs/netlink/names.js';
import { NETCONF_INDEXES, RP_FILTERS, type NetconfMessage } from '../../codecs/route/netconf.js';
import { FAMILIES } from './format-address.js';
import { onOffs, type Printer } from './print.js';

const specialName = namer(NETCONF_INDEXES);
/** rp_filter_names[]: ip prints other values as unsigned numbers. */
const rpFilterName = namer(RP_FILTERS);

/** What the kernel said, in ip's order (ip 6.1 knows no bc_forwarding: left out as it leaves it). */
export function printNetconf(p: Printer, m: NetconfMessage, name: (index: number) => string, view: { deleted?: boolean } = {}): void {
  const a = m.attrs;
  p.openObject();
  if (view.deleted) p.bool('deleted', 'Deleted ');
  p.any('family', '%s ', FAMILIES[m.family] ?? '???');
  if (a.ifindex !== undefined) {
    const special = specialName(a.ifindex);
    p.colored('ifname', 'interface', '%s ', typeof special === 'string' ? special : name(a.ifindex >>> 0));
  }
  onOffs(p, [['forwarding', 'forwarding', a.forwarding]]);
  if (a.rpFilter !== undefined) {
    const rp = rpFilterName(a.rpFilter);
    p.any('rp_filter', 'rp_filter %s ', typeof rp === 'string' ? rp : a.rpFilter >>> 0);
  }
  onOffs(p, [
    ['mc_forwarding', 'mc_forwarding', a.mcForwarding], ['proxy_neigh', 'proxy_neigh', a.proxyNeigh],
    ['ignore_routes_with_linkdown', 'ignore_routes_with_linkdown', a.ignoreRoutesWithLinkdown], ['input', 'input', a.input],
  ]);
  p.closeObject();
  p.fp('\n');
}
