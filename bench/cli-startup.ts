// Start-up cost of the rtnl command: `rtnl link show` against `node -e 0`, on this machine.
// A script, not a test: `npx tsc -p . && node dist/bench/cli-startup.js [runs]`. Run it as root
// (or in a namespace of your own: `unshare -rn node dist/bench/cli-startup.js`): it only lists links.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 30);
const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

function median(cmd: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// Interleaved warm-up so that neither side pays for a cold page cache.
median([process.execPath, '-e', '0']);
const bare = median([process.execPath, '-e', '0']);
const rtnl = median([process.execPath, main, 'link', 'show']);
console.log(`node -e 0:          ${bare.toFixed(1)} ms (median of ${runs})`);
console.log(`rtnl link show:     ${rtnl.toFixed(1)} ms (median of ${runs})`);
console.log(`ratio:              ${(rtnl / bare).toFixed(2)} (aim: <= 1.5)`);
