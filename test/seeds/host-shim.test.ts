// The remedy for the seeds' "the parent cannot reach its children": Macvlan.hostShim gives the
// host a bridge-mode macvlan of its own on the same parent, with its own address and routes
// to the children through it. It works for bridge-mode children (not for private ones).
import t from 'tap';
import { ip, kernel } from '../helpers/kernel.js';
import { measure } from '../helpers/ping.js';
import { ADDR, buildSeed } from '../../demo/topology.js';
import { Macvlan } from '../../src/index.js';

t.test('host shim: the host reaches its bridge-mode children through a macvlan of its own', kernel, async (t) => {
  const seed = await buildSeed('shim');
  t.teardown(() => seed.destroy());
  const child = await seed.child(0, 'bridge');
  const isolated = await seed.child(1, 'private');
  const probes = {
    'host -> bridge child': { from: seed.ns.host, to: child.netns as string, address: ADDR.child(0) },
    'host -> private child': { from: seed.ns.host, to: isolated.netns as string, address: ADDR.child(1) },
  };
  let got = await measure(probes);
  t.same(got.ping, { 'host -> bridge child': false, 'host -> private child': false }, 'before: the host reaches neither (ping)');

  const shim = await Macvlan.hostShim({
    parent: 'eth0', parentNetns: seed.ns.host, address: `${ADDR.shim}/32`, routes: [`${ADDR.child(0)}/32`, `${ADDR.child(1)}/32`],
  });
  t.equal(shim.name, 'eth0-shim');
  t.equal(shim.mode, 'bridge');
  t.same(shim.addresses.filter((a) => !a.startsWith('fe80')), [`${ADDR.shim}/32`]);
  t.match(ip(['route', 'show', `${ADDR.child(0)}/32`], { netns: seed.ns.host }), 'dev eth0-shim', 'the route to the child goes through the shim');
  got = await measure(probes);
  const expected = { 'host -> bridge child': true, 'host -> private child': false };
  t.same(got.ping, expected, 'after: the bridge-mode child is reached (ping)');
  t.same(got.udp, expected, 'after: the bridge-mode child is reached (UDP echo)');
});
