// The seeds' `ip` session, through the library. README's usage section shows this code.
//
//   ip link add link eth0 dev macvlan1 type macvlan mode private
//   ip netns add ns01
//   ip link set macvlan1 netns ns01
//   ip netns exec ns01 ip addr add 192.0.2.101/24 dev macvlan1
//   ip netns exec ns01 ip link set macvlan1 up
//   ip netns exec ns01 ip route add 0.0.0.0/0 via 192.0.2.1
//   ip -d link show            # ... macvlan mode private ...
import { NetNS, RtNetlink } from '../src/index.js';

/** Runs the session with `parent` as the macvlan parent; `rt` is a socket where the parent is. */
export async function tour(rt: RtNetlink, parent: string, ns: string): Promise<string> {
  await rt.link.add({ name: 'macvlan1', kind: 'macvlan', parent, macvlan: { mode: 'private' } });
  await NetNS.add(ns);
  await rt.link.set('macvlan1', { netns: ns });

  await using inside = await RtNetlink.open({ netns: ns });
  await inside.address.add({ dev: 'macvlan1', address: '192.0.2.101/24' });
  await inside.link.set('macvlan1', { up: true });
  await inside.route.add({ dst: 'default', gateway: '192.0.2.1' });

  const link = await inside.link.get('macvlan1');
  if (link.info?.kind !== 'macvlan') throw new Error(`${link.name} is not a macvlan`);
  return `${link.name}: ${link.info.kind} mode ${link.info.data?.mode}`; // "macvlan1: macvlan mode private"
}
