// Times a dump of 10,000 routes through rt.route.list() against `ip -j route show`.
// A script, not a test: `npm run build && sudo node dist/bench/route-dump.js [count] [rounds]`.
// It re-runs itself inside a throwaway network namespace, so the host's routes are never touched.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { RtNetlink } from '../src/index.js';
import { median } from './median.js';

const count = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 20);

if (process.env.RTNL_BENCH_INSIDE !== '1') {
  execFileSync('unshare', ['--net', '--', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, RTNL_BENCH_INSIDE: '1' },
  });
  process.exit(0);
}

const ip = (args: string[], input?: string): string => execFileSync('ip', args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
ip(['link', 'set', 'lo', 'up']);
ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
ip(['link', 'set', 'v0', 'up']);
ip(['addr', 'add', '192.0.2.5/24', 'dev', 'v0']);
const hosts = ['198.51.100', '203.0.113'].flatMap((net) => Array.from({ length: 256 }, (_, i) => `${net}.${i}`));
ip(['-batch', '-'], Array.from({ length: count }, (_, i) =>
  `route add ${hosts[i % hosts.length]}/32 via 192.0.2.1 metric ${Math.floor(i / hosts.length) + 1}`).join('\n'));

async function time(fn: () => unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

const rt = await RtNetlink.open();
const n = (await rt.route.list({ family: 'inet' })).length;
await time(() => rt.route.list({ family: 'inet' })); // warm up the JIT
const ours = await time(() => rt.route.list({ family: 'inet' }));
const ipOnly = await time(() => ip(['-j', 'route', 'show']));
const ipParsed = await time(() => JSON.parse(ip(['-j', 'route', 'show'])));
rt.close();

const fmt = (x: number): string => `${x.toFixed(1)} ms`;
console.log(`routes dumped: ${n} (median of ${rounds} rounds, node ${process.version})`);
console.log(`rt.route.list({ family: 'inet' }):          ${fmt(ours)}`);
console.log(`ip -j route show (spawned, output read):    ${fmt(ipOnly)}  ratio ${(ipOnly / ours).toFixed(2)}x`);
console.log(`ip -j route show, then JSON.parse:          ${fmt(ipParsed)}  ratio ${(ipParsed / ours).toFixed(2)}x`);
