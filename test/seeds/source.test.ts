// Seed: mode source. A source-mode macvlan receives only the frames whose source MAC is on
// its list (`ip link set mv0 type macvlan macaddr add MAC`): the outside host, listed, reaches
// it; another host on the same switch does not, until its MAC is added; removed, it no longer does.
import t from 'tap';
import { kernel } from '../helpers/kernel.js';
import { measure } from '../helpers/ping.js';
import { ADDR, buildSeed } from '../../demo/topology.js';

t.test('source: only frames from the allowed source MACs arrive', kernel, async (t) => {
  const seed = await buildSeed('src');
  t.teardown(() => seed.destroy());
  const outsideMac = await seed.macOf(seed.ns.outside);
  const otherMac = await seed.macOf(seed.ns.other);
  const [a, b] = [
    await seed.child(0, 'source', { sourceMacs: [outsideMac] }),
    await seed.child(1, 'source', { sourceMacs: [outsideMac] }),
  ];
  t.same(a.sourceMacs, [outsideMac], 'the list holds the outside host');
  const probes = {
    'outside (allowed) -> child': { from: seed.ns.outside, to: a.netns as string, address: ADDR.child(0) },
    'other (not allowed) -> child': { from: seed.ns.other, to: a.netns as string, address: ADDR.child(0) },
    'child -> child': { from: a.netns as string, to: b.netns as string, address: ADDR.child(1) },
    'host -> child': { from: seed.ns.host, to: a.netns as string, address: ADDR.child(0) },
  };
  let got = await measure(probes);
  const expected = { 'outside (allowed) -> child': true, 'other (not allowed) -> child': false, 'child -> child': false, 'host -> child': false };
  t.same(got.ping, expected, 'ping');
  t.same(got.udp, expected, 'UDP echo');

  await a.addSourceMacs(otherMac);
  t.same([...a.sourceMacs].sort(), [outsideMac, otherMac].sort(), 'the other host added to the list');
  got = await measure({ 'other -> child': probes['other (not allowed) -> child'] });
  t.same(got, { ping: { 'other -> child': true }, udp: { 'other -> child': true } }, 'added: the other host reaches it');

  await a.removeSourceMacs(otherMac);
  t.same(a.sourceMacs, [outsideMac]);
  got = await measure({ 'other -> child': probes['other (not allowed) -> child'] });
  t.same(got, { ping: { 'other -> child': false }, udp: { 'other -> child': false } }, 'removed: it no longer does');
});
