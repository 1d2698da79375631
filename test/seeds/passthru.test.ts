// Seed: mode passthru. One child takes the whole parent: the outside host reaches it, a second
// child on the same parent is refused (and leaves nothing behind), the parent's host does not reach it.
import t from 'tap';
import { InvalidArgumentError } from '../../src/index.js';
import { ip, kernel } from '../helpers/kernel.js';
import { measure } from '../helpers/ping.js';
import { ADDR, buildSeed } from '../../demo/topology.js';

t.test('passthru: one child per parent; a second is refused', kernel, async (t) => {
  const seed = await buildSeed('pass');
  t.teardown(() => seed.destroy());
  const only = await seed.child(0, 'passthru');
  t.equal(only.mode, 'passthru');
  t.equal(only.mac, await seed.macOf(seed.ns.host), 'passthru takes the parent\'s own MAC');

  const before = ip(['-br', 'link', 'show'], { netns: seed.ns.host });
  const err = await seed.child(1, 'passthru').catch((e: unknown) => e);
  t.type(err, InvalidArgumentError, 'a second passthru child is refused');
  t.match((err as Error).message, /^macvlan "mv1" \(create on parent "eth0" into namespace "[^"]+"\): .*Invalid argument.*passthru/,
    'the error names the macvlan, the step, the kernel\'s answer and what it may mean');
  const other = await seed.child(2, 'bridge').catch((e: unknown) => e);
  t.type(other, InvalidArgumentError, 'a parent with a passthru child takes no other mode either');
  t.equal(ip(['-br', 'link', 'show'], { netns: seed.ns.host }), before, 'nothing was left on the parent\'s side');
  t.same(ip(['-br', 'link', 'show'], { netns: seed.extra[1] }).trim().split('\n').map((l) => l.split(/\s+/)[0]), ['lo'],
    'nothing was left in the namespace it was bound for');

  const probes = {
    'outside -> child': { from: seed.ns.outside, to: only.netns as string, address: ADDR.child(0) },
    'child -> outside': { from: only.netns as string, to: seed.ns.outside, address: ADDR.outside },
    'host -> child': { from: seed.ns.host, to: only.netns as string, address: ADDR.child(0) },
  };
  const expected = { 'outside -> child': true, 'child -> outside': true, 'host -> child': false };
  for (const hairpin of [false, true]) {
    await seed.setHairpin(hairpin);
    const got = await measure(probes);
    t.same(got.ping, expected, `hairpin ${hairpin ? 'on' : 'off'}: ping`);
    t.same(got.udp, expected, `hairpin ${hairpin ? 'on' : 'off'}: UDP echo`);
  }
});
