// The seed experiment for one mode: two children of the host's eth0, each in its own namespace;
// reachability measured with hairpin off, then on, at the host's switch port.
import type { Test } from 'tap';
import type { MacvlanMode } from '../../codecs/route/link-kinds/macvlan.js';
import { ADDR, buildSeed } from '../../demo/topology.js';
import { measure } from '../helpers/ping.js';
import { ip } from '../helpers/kernel.js';

export type Expected = Record<'outside -> child' | 'child -> outside' | 'child -> child' | 'host -> child', boolean>;

export async function seedMatrix(t: Test, mode: MacvlanMode, expected: { off: Expected; on: Expected }): Promise<void> {
  const seed = await buildSeed(mode.slice(0, 4));
  t.teardown(() => seed.destroy());
  const [a, b] = [await seed.child(0, mode), await seed.child(1, mode)];
  t.equal(a.mode, mode, 'the kernel reports the mode asked for');
  const probes = {
    'outside -> child': { from: seed.ns.outside, to: a.netns as string, address: ADDR.child(0) },
    'child -> outside': { from: a.netns as string, to: seed.ns.outside, address: ADDR.outside },
    'child -> child': { from: a.netns as string, to: b.netns as string, address: ADDR.child(1) },
    'host -> child': { from: seed.ns.host, to: a.netns as string, address: ADDR.child(0) },
  };
  for (const hairpin of ['off', 'on'] as const) {
    await seed.setHairpin(hairpin === 'on');
    // Each round from clean neighbour tables: an ARP entry the previous round left INCOMPLETE or
    // FAILED delays the first packets of this one, and on a loaded machine past the probes' wait.
    for (const ns of [a.netns as string, b.netns as string, seed.ns.host, seed.ns.outside]) ip(['neigh', 'flush', 'all'], { netns: ns });
    const got = await measure(probes);
    t.same(got.ping, expected[hairpin], `${mode}, hairpin ${hairpin}: ping`);
    t.same(got.udp, expected[hairpin], `${mode}, hairpin ${hairpin}: UDP echo through sockets made inside`);
  }
}
