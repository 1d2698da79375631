// Lists a table of many IPv6 routes (1,000,000 by default) with a 1 ms interval timer running,
// and reports the longest gap between its ticks (the longest event-loop stall), the loop turns,
// the longest garbage-collection pause and the heap, for list() and for iterate().
// `npm run bench -- dist/bench/huge-dump.js` (or `node --expose-gc dist/bench/huge-dump.js [count]`
// inside a throwaway namespace: it fills table 100 of the namespace it runs in).
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { RtNetlink } from '../src/index.js';

const count = Number(process.argv[2] ?? 1_000_000);
const which = process.argv[3] ?? 'iterate,list';
const file = `/tmp/rtnl-huge-${process.pid}.batch`;
writeFileSync(file, Array.from({ length: count }, (_, i) =>
  `route add 2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::/64 dev lo table 100`).join('\n'));
execFileSync('ip', ['-batch', file]);
rmSync(file);

let gcWorst = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcWorst = Math.max(gcWorst, e.duration);
}).observe({ entryTypes: ['gc'] });

async function watched(name: string, fn: () => Promise<number>): Promise<void> {
  globalThis.gc?.();
  gcWorst = 0;
  let last = performance.now();
  let worst = 0;
  let turns = 0;
  let heap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    turns++;
    if (turns % 64 === 0) heap = Math.max(heap, process.memoryUsage().heapUsed);
  }, 1);
  const t0 = performance.now();
  const n = await fn();
  const took = performance.now() - t0;
  worst = Math.max(worst, performance.now() - last);
  clearInterval(timer);
  await new Promise((r) => setTimeout(r, 50));
  console.log(`${name}: ${n} routes in ${(took / 1000).toFixed(1)} s, longest stall ${worst.toFixed(0)} ms, ` +
    `${turns} loop turns, longest GC pause ${gcWorst.toFixed(0)} ms, peak heap seen ${(heap / 2 ** 20).toFixed(0)} MiB`);
}

const rt = await RtNetlink.open({ timeout: 1000 });
const filter = { table: 100, family: 'inet6' } as const;
for (const w of which.split(',')) {
  if (w === 'iterate') {
    await watched('iterate()', async () => {
      let n = 0;
      for await (const r of rt.route.iterate(filter)) if (r.table === 100) n++;
      return n;
    });
  } else {
    await watched('list()', async () => (await rt.route.list(filter)).length);
  }
}
rt.close();
