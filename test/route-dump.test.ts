// A dump of 10,000 routes decodes to exactly what `ip -j route show` prints.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { RtNetlink } from '../src/index.js';
import { ip, ipJson, kernel, scratchNetns } from './helpers/kernel.js';

const COUNT = 10_000;

/** `ip -batch` lines for COUNT routes: 768 documentation /32s, each at as many metrics as needed. */
export function routeBatch(count: number): string {
  const hosts = ['192.0.2', '198.51.100', '203.0.113'].flatMap((net) => Array.from({ length: 256 }, (_, i) => `${net}.${i}`))
    .filter((h) => !h.startsWith('192.0.2.'));
  return Array.from({ length: count }, (_, i) =>
    `route add ${hosts[i % hosts.length]}/32 via 192.0.2.1 metric ${Math.floor(i / hosts.length) + 1}`).join('\n');
}

t.test(`a dump of ${COUNT} routes decodes correctly`, kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'set', 'v0', 'up'], { netns: ns });
  ip(['addr', 'add', '192.0.2.5/24', 'dev', 'v0'], { netns: ns });
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: routeBatch(COUNT) });
  await using rt = await RtNetlink.open({ netns: ns });
  const ours = await rt.route.list({ family: 'inet', names: true });
  const theirs = ipJson<Array<{ dst: string; gateway?: string; dev: string; metric?: number }>>(['route', 'show'], { netns: ns });
  t.equal(ours.length, COUNT + 1, 'every route, and the prefix route of 192.0.2.5/24');
  const key = (dst: string, gw: string | undefined, dev: string | undefined, metric: number | undefined): string => `${dst} ${gw} ${dev} ${metric ?? 0}`;
  t.same(
    ours.map((r) => key(r.dst, r.gateway, r.dev, r.metric)).sort(),
    theirs.map((r) => key(r.dst.includes('/') ? r.dst : `${r.dst}/32`, r.gateway, r.dev, r.metric)).sort(),
    'the same routes as ip -j route show',
  );
});
