// Start-up cost of the rtnl command: `rtnl link show` against `node -e 0`, on this machine.
// `npm run bench -- dist/bench/cli-startup.js` (bench/run.sh: in a throwaway namespace), or
// `npx tsc -p . && unshare -rn node dist/bench/cli-startup.js [runs]`: it only lists links.
// The two commands alternate, so that a change in the machine's load falls on both alike.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 30);
const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const commands = { 'node -e 0': [process.execPath, '-e', '0'], 'rtnl link show': [process.execPath, main, 'link', 'show'] };

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
for (const [k, xs] of times) console.log(`${k.padEnd(16)} median ${median(xs).toFixed(1)} ms, min ${Math.min(...xs).toFixed(1)} ms (${runs} runs)`);
const [bare, rtnl] = [...times.values()];
console.log(`ratio            median ${(median(rtnl) / median(bare)).toFixed(2)}, min ${(Math.min(...rtnl) / Math.min(...bare)).toFixed(2)} (aim: <= 1.5)`);
