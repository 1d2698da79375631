// A streamed dump's socket is read in the thread pool (the kernel produces each next part inside
// the read, which for a big table can take tens of milliseconds): seen with strace, which names
// the thread of every recvfrom. And a socket closed while such a read is under way keeps its fd
// until the read returns, then closes it.
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RtNetlink } from '../src/index.js';
import { fillRouteTable, kernel, scratchNetns } from './helpers/kernel.js';

const N = 20_000;
const index = fileURLToPath(new URL('../src/index.js', import.meta.url));

/** The recvfrom calls of a node process running `how` over table 100 of `ns`: by the main thread, by others. */
function recvfromThreads(t: Test, ns: string, how: 'list' | 'iterate'): { main: number; others: number; routes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-strace-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'dump.mjs');
  writeFileSync(script, `
    import { RtNetlink } from ${JSON.stringify(index)};
    const rt = await RtNetlink.open({ netns: ${JSON.stringify(ns)} });
    const filter = { table: 100, family: 'inet6' };
    let n = 0;
    if (${JSON.stringify(how)} === 'list') n = (await rt.route.list(filter)).length;
    else for await (const r of rt.route.iterate(filter)) if (r.table === 100) n++;
    rt.close();
    console.log(n);
  `);
  const trace = join(dir, 'trace');
  const out = execFileSync('strace', ['-f', '-qq', '-e', 'trace=recvfrom', '-o', trace, process.execPath, script], { encoding: 'utf8' });
  const pids = readFileSync(trace, 'utf8').split('\n').filter((l) => /^\d+ +recvfrom\(/.test(l)).map((l) => Number(l.split(' ')[0]));
  // strace's first traced process is node's main thread: its pid is the lowest.
  const main = Math.min(...pids);
  return { main: pids.filter((p) => p === main).length, others: pids.filter((p) => p !== main).length, routes: Number(out.trim()) };
}

t.test('a streamed dump is read off the main thread; list() reads in it', kernel, async (t) => {
  const ns = scratchNetns(t, 'str');
  fillRouteTable(ns, N);
  const listed = recvfromThreads(t, ns, 'list');
  t.equal(listed.routes, N, 'list() gave every route');
  t.equal(listed.others, 0, 'list(): every read in the main thread (a hop to the pool costs more than a small read)');
  t.ok(listed.main > 0, `list(): ${listed.main} reads in the main thread`);
  const streamed = recvfromThreads(t, ns, 'iterate');
  t.equal(streamed.routes, N, 'iterate() gave every route');
  // The dump's parts are ~32 KiB, about 270 routes each: 50 parts at least, each read in the pool.
  t.ok(streamed.others >= N / 400, `iterate(): ${streamed.others} reads in other threads, ${streamed.main} in the main thread`);
});

/** How many fds this process has open. */
function fds(): number {
  return readdirSync('/proc/self/fd').length;
}

t.test('closing a socket while its streamed dump reads in the pool: the stream fails, the fd is closed', kernel, async (t) => {
  const ns = scratchNetns(t, 'strc');
  fillRouteTable(ns, N);
  const before = fds();
  const rt = await RtNetlink.open({ netns: ns });
  let got = 0;
  await t.rejects(async () => {
    for await (const r of rt.route.iterate({ table: 100, family: 'inet6' })) if (r && ++got === 1000) rt.close();
  }, { code: 'ECANCELED' }, 'the stream ends with the close');
  t.ok(got >= 1000 && got < N, `it gave ${got} routes before`);
  // The read under way returns within a turn or two of the loop; the fd goes with it.
  for (let turn = 0; turn < 1000 && fds() > before; turn++) await new Promise((r) => setImmediate(r));
  t.equal(fds(), before, 'no fd left open');
});
