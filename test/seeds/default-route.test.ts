// Seed: the default route. A child with only its address reaches its own subnet, not another
// one; with a default route via the router (`gateway` in Macvlan.create) it does.
import t from 'tap';
import { ip, kernel } from '../helpers/kernel.js';
import { measure } from '../helpers/ping.js';
import { ADDR, addFarSubnet, buildSeed } from '../../demo/topology.js';

t.test('default route: a child without one is unreachable from another subnet, with one reachable', kernel, async (t) => {
  const seed = await buildSeed('gw');
  t.teardown(() => seed.destroy());
  const far = await addFarSubnet(seed);
  const bare = await seed.child(0, 'bridge');
  const routed = await seed.child(1, 'bridge', { gateway: ADDR.outside });
  t.match(ip(['route', 'show', 'default'], { netns: routed.netns as string }), `default via ${ADDR.outside} dev mv1`, 'the default route is there');
  t.equal(ip(['route', 'show', 'default'], { netns: bare.netns as string }), '', 'and not on the other');
  const probes = {
    'far -> child without default route': { from: far, to: bare.netns as string, address: ADDR.child(0) },
    'far -> child with default route': { from: far, to: routed.netns as string, address: ADDR.child(1) },
    'outside -> child without default route': { from: seed.ns.outside, to: bare.netns as string, address: ADDR.child(0) },
  };
  const expected = {
    'far -> child without default route': false, 'far -> child with default route': true, 'outside -> child without default route': true,
  };
  const got = await measure(probes);
  t.same(got.ping, expected, 'ping');
  t.same(got.udp, expected, 'UDP echo');
});
