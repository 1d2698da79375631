// Start-up cost of the rtnl command, `rtnl link show`, and of importing the library, against
// `node -e 0`, on this machine; with the resident memory at the end of the scripts (not of the
// command: printing it from a preloaded module would add to its start-up).
// `npm run bench -- dist/bench/cli-startup.js` (bench/run.sh: in a throwaway namespace), or
// `npm run build && unshare -rn node dist/bench/cli-startup.js [runs]`: it only lists links.
// It times what npm installs (dist/bin/rtnl.cjs, the launcher of one bundled file with its code
// cache; dist/lib, the package's bundled entries) and, to show what the bundles save, the same code run from tsc's output,
// one ES module a source file. The commands alternate, so that a change in the machine's load
// falls on all alike.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './median.js';

const runs = Number(process.argv[2] ?? 30);
const path = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
// The scripts print their resident memory last.
const rss = `process.on('exit', () => process.stderr.write('rss ' + process.memoryUsage().rss + '\\n'))`;
const imports = (file: string): string[] => [process.execPath, '--input-type=module', '-e', `${rss}; await import(${JSON.stringify(file)})`];
const commands: Record<string, string[]> = {
  'node -e 0': [process.execPath, '-e', rss],
  'rtnl link show': [process.execPath, path('../bin/rtnl.cjs'), 'link', 'show'],
  '  (unbundled)': [process.execPath, path('../src/cli/bin.js'), 'link', 'show'],
  "import('rtnl')": imports(path('../lib/index.js')),
  '  (unbundled) ': imports(path('../src/index.js')),
};

function run(cmd: string[]): { ms: number; mib?: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
  const rssLine = /rss (\d+)\n$/.exec(r.stderr);
  return { ms, mib: rssLine ? Number(rssLine[1]) / 1048576 : undefined };
}

for (const cmd of Object.values(commands)) run(cmd); // warm the page cache
const seen = new Map(Object.keys(commands).map((k) => [k, [] as Array<ReturnType<typeof run>>]));
for (let i = 0; i < runs; i++) for (const [k, cmd] of Object.entries(commands)) seen.get(k)!.push(run(cmd));
const bare = median(seen.get('node -e 0')!.map((r) => r.ms));
for (const [k, rs] of seen) {
  const ms = rs.map((r) => r.ms);
  const ratio = k === 'node -e 0' ? '' : `, ratio ${(median(ms) / bare).toFixed(2)}`;
  const mib = rs[0].mib === undefined ? '' : `; rss ${median(rs.map((r) => r.mib ?? 0)).toFixed(1)} MiB`;
  console.log(`${k.padEnd(16)} median ${median(ms).toFixed(1)} ms, min ${Math.min(...ms).toFixed(1)} ms${ratio}${mib}`);
}
console.log(`(${runs} runs each; aim for rtnl link show: ratio <= 1.5)`);
