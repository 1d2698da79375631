// The link settings rt.link took on for the rtnl command (what `ip link add|set` accepts):
// broadcast, the multicast/dynamic/trailers/arp flags, queue counts at creation, a veth peer
// with settings of its own, a source MAC change at creation, and no name at all. Against the
// kernel, with `ip -j -d link show` as the oracle.
import t from 'tap';
import { BusyError, InvalidArgumentError, RtNetlink } from '../src/index.js';
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

interface IpLinkState extends IpLink {
  proto_down?: boolean; proto_down_reason?: string[]; gso_max_size: number; gso_max_segs: number; gro_max_size: number; linkmode: string; operstate: string;
}
const state = (ns: string, dev: string): IpLinkState => ipJson<IpLinkState[]>(['-d', 'link', 'show', 'dev', dev], { netns: ns })[0];

t.test('protodown and its reasons, the GSO/GRO limits, the link mode and operstate: set, read back, as ip shows them', kernel, async (t) => {
  const ns = scratchNetns(t, 'lsp');
  vethPair(ns, 'p0', 'p1');
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  // At creation: the limits and the mode (protodown is set on a link that exists: the kernel passes over it at creation).
  const made = await rt.link.add({ name: 'mv0', kind: 'macvlan', parent: 'p0', gsoMaxSize: 32000, gsoMaxSegs: 100, groMaxSize: 40000, linkmode: 'dormant' });
  t.match(made, { gsoMaxSize: 32000, gsoMaxSegs: 100, groMaxSize: 40000, linkmode: 'dormant' }, 'add resolves with them');
  t.match(state(ns, 'mv0'), { gso_max_size: 32000, gso_max_segs: 100, gro_max_size: 40000, linkmode: 'DORMANT' });
  // A VRRP backup's macvlan: held down, for reason 3 (bit 3 of the mask set in the value).
  await rt.link.set('mv0', { protoDown: true, protoDownReason: { mask: 1 << 3, value: 1 << 3 }, up: true });
  t.match(state(ns, 'mv0'), { proto_down: true, proto_down_reason: ['3'] }, 'ip sees it held down for reason 3');
  t.match(await rt.link.get('mv0'), { protoDown: true, protoDownReason: { value: 8 } }, 'read back typed');
  await t.rejects(rt.link.set('mv0', { protoDown: false }), { constructor: BusyError, code: 'EBUSY', message: /Cannot clear protodown, active reasons/ }, 'the kernel holds it while a reason is set');
  await rt.link.set('mv0', { protoDownReason: { mask: 1 << 3, value: 0 } });
  await rt.link.set('mv0', { protoDown: false, linkmode: 'default', operstate: 'up', gsoMaxSize: 65536 });
  const after = state(ns, 'mv0');
  t.notOk(after.proto_down, 'protodown cleared once no reason holds it');
  t.equal(after.proto_down_reason, undefined, 'no reason left');
  t.match(after, { linkmode: 'DEFAULT', gso_max_size: 65536 });
  // A veth has no protodown: the kernel's refusal (EOPNOTSUPP, 95), typed, with its words.
  await t.rejects(rt.link.set('p0', { protoDown: true }), { errno: 95, message: /Protodown not supported by device/ });
  await t.rejects(rt.link.set('p0', { carrier: false }), { errno: 95, message: /Operation not supported/ }, 'nor does it let user space say its carrier');
});

t.test('bad protodown, limit, mode and operstate values are refused before sending, naming the option', kernel, async (t) => {
  const ns = scratchNetns(t, 'lsq');
  vethPair(ns, 'p0', 'p1');
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  const refused = async (changes: object, message: RegExp): Promise<void> => {
    await t.rejects(rt.link.set('p0', changes as never), { constructor: InvalidArgumentError, message }, JSON.stringify(changes));
  };
  await refused({ protoDown: 'yes' }, /link "p0": protoDown is true or false, not "yes"/);
  await refused({ protoDownReason: { mask: 8 } }, /protoDownReason\.value is missing/);
  await refused({ protoDownReason: { mask: -1, value: 0 } }, /protoDownReason\.mask must be an integer from 0 to 4294967295, not -1/);
  await refused({ protoDownReason: 8 }, /protoDownReason/);
  await refused({ carrier: 'x' }, /link "p0": carrier is true or false, not "x"/);
  await refused({ gsoMaxSize: 1.5 }, /gsoMaxSize must be an integer/);
  await refused({ linkmode: 'testy' }, /unknown linkmode "testy" \(known: default, dormant, testing\)/);
  await refused({ operstate: 'UP' }, /unknown operstate "UP"/);
  await t.rejects(rt.link.add({ name: 'mv9', kind: 'macvlan', parent: 'p0', protoDown: true } as never), { constructor: InvalidArgumentError, message: 'link "mv9": protoDown is for a link that exists (link.set()): the kernel passes over it at creation' },
    'protodown at creation, which the kernel would pass over');
  await t.rejects(rt.link.add({ name: 'va', kind: 'veth', veth: { peer: { name: 'vb', carrier: true } } } as never),
    { constructor: InvalidArgumentError, message: 'link "va": peer: carrier is for a link that exists (link.set()): the kernel passes over it at creation' }, 'nor for a veth peer');
  t.same(ipJson<IpLink[]>(['link', 'show'], { netns: ns }).map((l) => l.ifname).sort(), ['lo', 'p0', 'p1'], 'nothing was made');
  t.match(state(ns, 'p0'), { linkmode: 'DEFAULT', gso_max_size: 65536 }, 'nothing was changed');
});

t.test('index: a link and a veth peer made with the index asked for, a link moved with a new one; a taken one named, a bad one refused', kernel, async (t) => {
  const [ns, ns2] = [scratchNetns(t, 'lsi'), scratchNetns(t, 'lsi')];
  await using rt = await RtNetlink.open({ netns: ns });
  const indexes = (n: string): Array<[string, number]> => ipJson<Array<{ ifname: string; ifindex: number }>>(['link', 'show'], { netns: n }).map((l): [string, number] => [l.ifname, l.ifindex]);
  const made = await rt.link.add({ name: 'va', kind: 'veth', index: 100, veth: { peer: { name: 'vb', index: 101 } } });
  t.equal(made.index, 100, 'resolves with the link at its index');
  t.same(indexes(ns), [['lo', 1], ['va', 100], ['vb', 101]], 'ip lists both at theirs');

  await t.rejects(rt.link.add({ name: 'br0', kind: 'bridge', index: 101 }), { name: 'ExistsError', message: /^link "br0": .*File exists.* \(index 101 is link "vb"'s\)$/ });
  await t.rejects(rt.link.add({ name: 'vc', kind: 'veth', index: 102, veth: { peer: { name: 'vd', index: 100 } } }), { name: 'BusyError', message: /busy.* \(the peer's index 100 is link "va"'s\)$/ });
  await t.rejects(rt.link.add({ name: 'vc', kind: 'veth', veth: { peer: { name: 'vd', index: 102 } } }), {
    name: 'InvalidArgumentError', message: 'link "vc": veth.peer.index needs index too: the kernel takes the peer\'s only beside the link\'s own',
  }, 'a peer\'s index alone, which the kernel would pass over');
  await t.rejects(rt.link.add({ name: 'br0', kind: 'bridge' }).then(() => rt.link.add({ name: 'br0', kind: 'bridge', index: 50 })), { name: 'ExistsError', message: /File exists$/ }, 'a name taken, the index free: no word of the index');
  await rt.link.delete('br0');
  for (const bad of [0, -1, 2 ** 31, 1.5, '5', null]) {
    await t.rejects(rt.link.add({ name: 'br1', kind: 'bridge', index: bad as number }), { name: 'InvalidArgumentError', message: `link "br1": index must be an integer from 1 to 2147483647, not ${String(bad)}` });
  }
  await t.rejects(rt.link.add({ name: 'vc', kind: 'veth', index: 102, veth: { peer: { name: 'vd', index: 0 } } }), { name: 'InvalidArgumentError', message: 'link "vc": veth.peer.index must be an integer from 1 to 2147483647, not 0' });
  await t.rejects(rt.link.set('va', { index: 7 }), { name: 'InvalidArgumentError', message: 'link "va": index changes only with a move to another namespace (netns)' });
  t.same(indexes(ns), [['lo', 1], ['va', 100], ['vb', 101]], 'nothing made, nothing changed');

  await rt.link.set('va', { netns: ns2, index: 7 });
  t.same(indexes(ns2), [['lo', 1], ['va', 7]], 'moved, at the index asked for there (IFLA_NEW_IFINDEX)');
  await t.rejects(rt.link.set('vb', { netns: ns2, index: 7 }), { name: 'BusyError', message: 'link "vb": Error: The ifindex 7 is not available in the target netns.' }, 'the kernel names a taken one itself');
});
