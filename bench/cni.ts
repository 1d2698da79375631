// CNI ADD and DEL wall time, a process per operation as a container engine runs them: ours
// against the reference macvlan plugin (Debian's containernetworking-plugins) and `node -e 0`.
//   npm run bench -- dist/bench/cni.js [rounds]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { median } from './median.js';

const rounds = Number(process.argv[2] ?? 20);
const OURS = fileURLToPath(new URL('../bin/rtnl-cni-macvlan.cjs', import.meta.url));
const REFERENCE = '/usr/lib/cni/macvlan';
const ip = (...args: string[]): void => { execFileSync('ip', args); };
ip('netns', 'add', 'cnib-ctr');
ip('link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'wire');
ip('link', 'set', 'eth0', 'up');
ip('link', 'set', 'wire', 'up');

function run(file: string, command: string, dataDir: string): number {
  const conf = JSON.stringify({
    cniVersion: '1.0.0', name: 'b', type: 'macvlan', master: 'eth0', mode: 'bridge',
    ipam: { type: 'host-local', subnet: '192.0.2.0/24', gateway: '192.0.2.1', routes: [{ dst: '0.0.0.0/0' }], dataDir },
  });
  const t0 = performance.now();
  const r = spawnSync(file, [], { input: conf, env: { CNI_COMMAND: command, CNI_CONTAINERID: 'b1', CNI_NETNS: '/run/netns/cnib-ctr', CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni', PATH: process.env.PATH } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${file} ${command}: ${String(r.stdout)}`);
  return ms;
}

const dirs = { ours: mkdtempSync(join(tmpdir(), 'cnib-')), reference: mkdtempSync(join(tmpdir(), 'cnib-')) };
// Whatever happens, the namespace and the IPAM folders go.
try {
  const times: Record<string, number[]> = {};
  for (let i = 0; i < rounds; i++) {
    for (const [name, file] of [['reference', REFERENCE], ['ours', OURS]] as const) {
      (times[`${name} ADD`] ??= []).push(run(file, 'ADD', dirs[name]));
      (times[`${name} DEL`] ??= []).push(run(file, 'DEL', dirs[name]));
    }
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    (times['node -e 0'] ??= []).push(performance.now() - t0);
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  for (const [k, v] of Object.entries(m)) console.log(`${k.padEnd(16)} ${v.toFixed(1).padStart(7)} ms (median of ${rounds})`);
  console.log(`ours ADD: ${(m['ours ADD'] / m['reference ADD']).toFixed(2)}x the reference, node -e 0 + ${(m['ours ADD'] - m['node -e 0']).toFixed(1)} ms`);
  console.log(`ours DEL: ${(m['ours DEL'] / m['reference DEL']).toFixed(2)}x the reference, node -e 0 + ${(m['ours DEL'] - m['node -e 0']).toFixed(1)} ms`);
} finally {
  ip('netns', 'del', 'cnib-ctr');
  for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
}
