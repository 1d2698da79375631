// Full link dumps of 1,000 macvlans: decoded by us (rt.link.list) against `ip -j -d link show`.
// A script, not a test: `npm run bench -- dist/bench/link-dump.js` (or `node dist/bench/link-dump.js`:
// it re-runs itself inside a fresh network namespace, so the host's links are never touched).
import { execFileSync, spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { RtNetlink } from '../src/index.js';
import { RTM_GETLINK, RTM_NEWLINK } from '../codecs/route/constants.js';
import { decodeLink } from '../codecs/route/link.js';

const N = Number(process.env.LINKS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 20);

if (process.env.RTNL_BENCH_ISOLATED !== '1') {
  const r = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', '--', process.execPath, ...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit', env: { ...process.env, RTNL_BENCH_ISOLATED: '1' },
  });
  process.exit(r.status ?? 1);
}

function seconds(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
async function secondsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
const rate = (links: number, s: number): string => `${Math.round(links / s).toLocaleString('en-US')} links/s`;

const rt = await RtNetlink.open();
await rt.link.add({ name: 'p0', kind: 'veth', veth: { peer: { name: 'p1' } }, up: true });
const made = await secondsAsync(async () => {
  for (let i = 0; i < N; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, N - i) }, (_, j) =>
      rt.link.add({ name: `mv${i + j}`, kind: 'macvlan', parent: 'p0', macvlan: { mode: 'vepa' } })));
  }
});
const total = (await rt.link.list()).length;
console.log(`created ${N} macvlans in ${made.toFixed(2)} s (${rate(N, made)}); ${total} links in the namespace`);

// Warm up both, then time full dumps.
for (let i = 0; i < 3; i++) await rt.link.list();
const ip = (): string => execFileSync('ip', ['-j', '-d', 'link', 'show'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
ip();

// Warm up: the first dumps run before the JIT has compiled the decoder.
for (let i = 0; i < 5; i++) await rt.link.list();
const ours = await secondsAsync(async () => { for (let i = 0; i < RUNS; i++) await rt.link.list(); });
// Lazy values (stats64, afSpec, other) are decoded on first read: the same listing, everything read.
const readAll = await secondsAsync(async () => {
  for (let i = 0; i < RUNS; i++) for (const l of await rt.link.list()) void [l.stats64, l.afSpec, l.other];
});
// Without stats64 (what `rtnl link show` and the monitor's snapshots ask for).
const noStats = await secondsAsync(async () => { for (let i = 0; i < RUNS; i++) await rt.link.list({ stats: false }); });
const raw = await secondsAsync(async () => { for (let i = 0; i < RUNS; i++) await rt.client.dump({ type: RTM_GETLINK, body: (w) => w.zeros(16) }); });
const replies = (await rt.client.dump({ type: RTM_GETLINK, body: (w) => w.zeros(16) })).filter((m) => m.header.type === RTM_NEWLINK);
const decodeOnly = seconds(() => { for (let i = 0; i < RUNS; i++) for (const m of replies) decodeLink(m.payload); });
const theirs = seconds(() => { for (let i = 0; i < RUNS; i++) ip(); });
const theirsParsed = seconds(() => { for (let i = 0; i < RUNS; i++) JSON.parse(ip()); });

const links = total * RUNS;
console.log(`rt.link.list() (dump + decode)      ${rate(links, ours).padStart(18)}  ${(ours / RUNS * 1e3).toFixed(1)} ms per dump`);
console.log(`  then reading stats64, afSpec, other ${rate(links, readAll).padStart(18)}  ${(readAll / RUNS * 1e3).toFixed(1)} ms per dump`);
console.log(`rt.link.list({ stats: false })       ${rate(links, noStats).padStart(18)}  ${(noStats / RUNS * 1e3).toFixed(1)} ms per dump`);
console.log(`  of which the dump alone           ${rate(links, raw).padStart(18)}  ${(raw / RUNS * 1e3).toFixed(1)} ms`);
console.log(`  of which decoding alone           ${rate(links, decodeOnly).padStart(18)}  ${(decodeOnly / RUNS * 1e3).toFixed(1)} ms (${(decodeOnly / links * 1e6).toFixed(2)} µs per link)`);
console.log(`ip -j -d link show                  ${rate(links, theirs).padStart(18)}  ${(theirs / RUNS * 1e3).toFixed(1)} ms per run`);
console.log(`ip -j -d link show + JSON.parse     ${rate(links, theirsParsed).padStart(18)}  ${(theirsParsed / RUNS * 1e3).toFixed(1)} ms per run`);
console.log(`ratio: ours ${(theirs / ours).toFixed(1)}x the links/s of ip -j -d link show`);

/** Bytes `fn` allocates, garbage included: V8's sampling heap profiler, a sample every 256 bytes. */
async function allocated(fn: () => Promise<unknown>): Promise<number> {
  const s = new Session();
  s.connect();
  await s.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await fn();
  const { profile } = await s.post('HeapProfiler.stopSampling');
  s.disconnect();
  type Node = { selfSize: number; children: Node[] };
  const sum = (n: Node): number => n.children.reduce((a, c) => a + sum(c), n.selfSize);
  return sum(profile.head as Node);
}
const perLink = await allocated(async () => { for (let i = 0; i < RUNS; i++) await rt.link.list(); });
console.log(`allocated by rt.link.list(), garbage included: ${Math.round(perLink / links).toLocaleString('en-US')} bytes per link`);

rt.close();
