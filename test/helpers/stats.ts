// A namespace whose links' counters hold still once made: IPv6 off (no router solicitations,
// no MLD), STP off (no BPDUs); a bridge br0 with the veth port p0, whose peer p1 lives in a
// second namespace with a macvlan m0 on it. Pings across leave counters that are not zero.
import type { Test } from 'tap';
import { ip, scratchNetns, setSysctl } from './kernel.js';
import { ping } from './ping.js';

export async function quietScene(t: Test, prefix: string): Promise<{ ns: string; peer: string }> {
  const [ns, peer] = [scratchNetns(t, prefix), scratchNetns(t, `${prefix}p`)];
  for (const n of [ns, peer]) for (const c of ['all', 'default']) setSysctl(n, `net.ipv6.conf.${c}.disable_ipv6`, 1);
  ip(['link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0', 'forward_delay', '0'], { netns: ns });
  ip(['link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1', 'netns', peer], { netns: ns });
  ip(['link', 'set', 'p0', 'master', 'br0'], { netns: ns });
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'br0'], { netns: ns });
  ip(['address', 'add', '192.0.2.2/24', 'dev', 'p1'], { netns: peer });
  ip(['link', 'add', 'link', 'p1', 'name', 'm0', 'type', 'macvlan', 'mode', 'bridge'], { netns: peer });
  for (const l of ['br0', 'p0']) ip(['link', 'set', l, 'up'], { netns: ns });
  for (const l of ['p1', 'm0']) ip(['link', 'set', l, 'up'], { netns: peer });
  if (!await ping(peer, '192.0.2.1')) throw new Error('the quiet scene: p1 does not reach br0');
  return { ns, peer };
}
