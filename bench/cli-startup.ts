// Start-up cost of the rtnl command: `rtnl link show` against `node -e 0`, on this machine.
// `npm run bench -- dist/bench/cli-startup.js` (bench/run.sh: in a throwaway namespace), or
// `npm run build && unshare -rn node dist/bench/cli-startup.js [runs]`: it only lists links.
// It times the program npm installs (dist/bin/rtnl.cjs, one bundled file) and, to show what
// the bundle saves, the same program run from tsc's output, one ES module a source file.
// The commands alternate, so that a change in the machine's load falls on all alike.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 30);
const path = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const commands: Record<string, string[]> = {
  'node -e 0': [process.execPath, '-e', '0'],
  'rtnl link show': [process.execPath, path('../bin/rtnl.cjs'), 'link', 'show'],
  '  (unbundled)': [process.execPath, path('../src/cli/bin.js'), 'link', 'show'],
};

function time(cmd: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
  return ms;
}

for (const cmd of Object.values(commands)) time(cmd); // warm the page cache
const times = new Map(Object.keys(commands).map((k) => [k, [] as number[]]));
for (let i = 0; i < runs; i++) for (const [k, cmd] of Object.entries(commands)) times.get(k)!.push(time(cmd));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = times.get('node -e 0')!;
for (const [k, xs] of times) {
  const ratio = k === 'node -e 0' ? '' : `, ratio ${(median(xs) / median(bare)).toFixed(2)}`;
  console.log(`${k.padEnd(16)} median ${median(xs).toFixed(1)} ms, min ${Math.min(...xs).toFixed(1)} ms${ratio}`);
}
console.log(`(${runs} runs each; aim for rtnl link show: ratio <= 1.5)`);
