// Netconf tests' shared parts: a namespace whose settings differ from the defaults, and typed
// entries in the shape `ip -j netconf show` prints.
import type { Netconf } from '../../src/index.js';
import { ip, setSysctl, vethPair } from './kernel.js';

/** A typed entry in the shape `ip -j netconf show` prints (ip 6.1 prints no bc_forwarding). */
export function asIp(n: Netconf): Record<string, unknown> {
  const keys: Array<[string, unknown]> = [
    ['family', n.family], ['interface', n.dev], ['forwarding', n.forwarding], ['rp_filter', n.rpFilter], ['mc_forwarding', n.mcForwarding],
    ['proxy_neigh', n.proxyNeigh], ['ignore_routes_with_linkdown', n.ignoreRoutesWithLinkdown], ['input', n.input],
  ];
  return Object.fromEntries(keys.filter(([, v]) => v !== undefined));
}

/** In `ns`: v0/v1 with settings changed from their defaults (all's and default's too), and `small` (MTU 1000: no IPv6 settings). */
export function netconfScene(ns: string): void {
  vethPair(ns, 'v0', 'v1');
  setSysctl(ns, 'net.ipv4.conf.v0.forwarding', 1);
  setSysctl(ns, 'net.ipv4.conf.v1.rp_filter', 2);
  setSysctl(ns, 'net.ipv4.conf.all.rp_filter', 1);
  setSysctl(ns, 'net.ipv6.conf.v1.forwarding', 1);
  setSysctl(ns, 'net.ipv4.conf.default.proxy_arp', 1);
  ip(['link', 'add', 'small', 'mtu', '1000', 'type', 'veth', 'peer', 'name', 'small1'], { netns: ns });
}
