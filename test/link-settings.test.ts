// The link settings rt.link took on for the rtnl command (what `ip link add|set` accepts):
// broadcast, the multicast/dynamic/trailers/arp flags, queue counts at creation, a veth peer
// with settings of its own, a source MAC change at creation, and no name at all. Against the
// kernel, with `ip -j -d link show` as the oracle.
import t from 'tap';
import { InvalidArgumentError, RtNetlink } from '../src/index.js';
import { ipJson, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

interface IpLink {
  ifname: string; flags: string[]; mtu: number; txqlen: number; address: string; broadcast: string;
  num_tx_queues: number; num_rx_queues: number; linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
}
const show = (ns: string, dev: string): IpLink => ipJson<IpLink[]>(['-d', 'link', 'show', 'dev', dev], { netns: ns })[0];

t.test('a veth made with flags, broadcast, queue counts and a peer with settings of its own', kernel, async (t) => {
  const ns = scratchNetns(t, 'lse');
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  await rt.link.add({
    name: 'va', kind: 'veth', broadcast: '02:ff:ff:ff:ff:fe', multicast: false, dynamic: true, trailers: false,
    numTxQueues: 3, numRxQueues: 2,
    veth: { peer: { name: 'vb', mtu: 1400, txqlen: 500, address: '02:00:00:00:0b:01', arp: false, numTxQueues: 4 } },
    up: true,
  });
  const a = show(ns, 'va');
  t.equal(a.broadcast, '02:ff:ff:ff:ff:fe');
  t.notOk(a.flags.includes('MULTICAST'), 'multicast off');
  t.ok(a.flags.includes('DYNAMIC'));
  t.ok(a.flags.includes('NOTRAILERS'), 'trailers off');
  t.same([a.num_tx_queues, a.num_rx_queues], [3, 2]);
  const b = show(ns, 'vb');
  t.same([b.mtu, b.txqlen, b.address, b.num_tx_queues], [1400, 500, '02:00:00:00:0b:01', 4]);
  t.ok(b.flags.includes('NOARP'), 'the peer is NOARP');
  t.ok(a.flags.includes('UP'), 'up once made');
  // (A peer brought up at creation is refused by this kernel, ENOTCONN, with ip too.)
  t.ok(b.flags.includes('MULTICAST'), 'the peer keeps the default flags');

  // And back, in place.
  await rt.link.set('va', { multicast: true, dynamic: false, trailers: true, broadcast: 'ff:ff:ff:ff:ff:ff' });
  const a2 = show(ns, 'va');
  t.ok(a2.flags.includes('MULTICAST'));
  t.notOk(a2.flags.includes('DYNAMIC') || a2.flags.includes('NOTRAILERS'));
  t.equal(a2.broadcast, 'ff:ff:ff:ff:ff:ff');
  await rt.link.set('vb', { arp: true });
  t.notOk(show(ns, 'vb').flags.includes('NOARP'));
});

t.test('no name: the kernel picks one, for the link and for its peer', kernel, async (t) => {
  const ns = scratchNetns(t, 'lsn');
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  await rt.link.add({ kind: 'veth' });
  t.same((await rt.link.list({ kind: 'veth' })).map((l) => l.name).sort(), ['veth0', 'veth1']);
});

t.test('a source macvlan made with one allowed MAC, as `ip link add ... macaddr add` sends it', kernel, async (t) => {
  const ns = scratchNetns(t, 'lsm');
  vethPair(ns, 'p0', 'p1');
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  await rt.link.add({ name: 'mv0', kind: 'macvlan', parent: 'p0', macvlan: { mode: 'source', macaddr: { add: '02:00:00:00:00:01' } } });
  t.same(show(ns, 'mv0').linkinfo?.info_data?.macaddr_data, ['02:00:00:00:00:01']);
});

t.test('bad peer and flag settings are refused before sending, naming the peer', kernel, async (t) => {
  const ns = scratchNetns(t, 'lsb');
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  await t.rejects(rt.link.add({ name: 'va', kind: 'veth', veth: { peer: { name: 'vb', mtu: -1 } } }), {
    constructor: InvalidArgumentError, message: 'link "va": peer: mtu must be an integer from 0 to 4294967295, not -1',
  });
  await t.rejects(rt.link.add({ name: 'va', kind: 'veth', broadcast: 'zz' }), { constructor: InvalidArgumentError, message: /broadcast "zz" is not a MAC/ });
  await t.rejects(rt.link.add({ name: 'va', kind: 'veth', numTxQueues: 1.5 }), /numTxQueues must be an integer/);
  t.same(ipJson<IpLink[]>(['link', 'show'], { netns: ns }).map((l) => l.ifname), ['lo'], 'nothing was made');
});
