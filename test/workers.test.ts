// Sockets in worker threads: they work there, and however the worker ends (terminated, the
// process exiting under it, a natural exit with the worker unreferenced), the process exits
// with the main thread's own status, never by a signal (koffi's uv_poll handle crashed it).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fillRouteTable, kernel, scratchNetns } from './helpers/kernel.js';

const fixture = fileURLToPath(new URL('./helpers/worker-fixture.js', import.meta.url));

const cases: Array<[string, number, string]> = [
  ['terminate', 7, 'terminated, with a notification waiting'],
  ['pending', 7, 'terminated with a request in flight'],
  ['unused', 7, 'terminated, its socket never used'],
  ['exit', 7, 'process.exit() from the main thread while the worker lives'],
  ['natural', 0, 'a natural exit with the worker unreferenced'],
  ['stream', 7, 'terminated while a streamed dump reads in the thread pool'],
  ['stream-exit', 7, 'process.exit() from the main thread while the worker streams a dump'],
  ['main-stream', 7, 'process.exit() in the main thread while its own streamed dump reads in the thread pool'],
];

for (const [scenario, status, what] of cases) {
  t.test(`a worker with open sockets: ${what}`, kernel, async (t) => {
    const ns = scratchNetns(t, 'wk');
    if (scenario.includes('stream')) fillRouteTable(ns, 20_000);
    for (let run = 0; run < 3; run++) {
      const r = spawnSync(process.execPath, [fixture, scenario, ns], { encoding: 'utf8', timeout: 60_000 });
      t.equal(r.signal, null, `run ${run}: no signal (${r.stderr.trim().split('\n').slice(-1)[0] ?? ''})`);
      t.equal(r.status, status, `run ${run}: the main thread's status`);
      if (scenario !== 'unused') t.match(r.stdout, /"links":\d+/, `run ${run}: the worker listed links`);
      if (scenario.includes('stream')) t.match(r.stdout, /"routes":20000\b/, `run ${run}: a whole dump streamed before the end came`);
    }
  });
}
