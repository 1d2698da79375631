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

/** How the datagrams of a node process running `how` over table 100 of `ns` were read: by the main thread (recvfrom), by others (recvmmsg, several a call); reads that found some. */
function readsByThread(t: Test, ns: string, how: 'list' | 'iterate'): { main: number; others: number; pooled: number; routes: number } {
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
  const out = execFileSync('strace', ['-f', '-qq', '-e', 'trace=execve,recvfrom,recvmmsg', '-o', trace, process.execPath, script], { encoding: 'utf8' });
  const lines = readFileSync(trace, 'utf8').split('\n');
  // The first line is node's execve: its pid is the main thread's.
  const main = Number(/^(\d+) +execve\(/.exec(lines[0])?.[1]);
  // Reads that found nothing (EAGAIN: a watcher told of a datagram another read took) count for nothing.
  const reads = lines.map((l) => /^(\d+) +(recvfrom|recvmmsg)\(.* = (\d+)/.exec(l)).filter((m) => m !== null)
    .map((m) => ({ pid: Number(m[1]), call: m[2], got: Number(m[3]) }));
  const others = reads.filter((r) => r.pid !== main);
  t.ok(reads.every((r) => (r.pid === main) === (r.call === 'recvfrom')), 'recvfrom in the main thread, recvmmsg in others');
  return { main: reads.length - others.length, others: others.length, pooled: others.reduce((n, r) => n + r.got, 0), routes: Number(out.trim()) };
}

t.test('a listed dump is read in the main thread for its first parts, then in the pool; a streamed one in the pool throughout', kernel, async (t) => {
  const ns = scratchNetns(t, 'str');
  fillRouteTable(ns, N);
  // The dump's parts are ~32 KiB, about 270 routes each: 50 parts at least.
  const listed = readsByThread(t, ns, 'list');
  t.equal(listed.routes, N, 'list() gave every route');
  t.equal(listed.main, 4, 'list(): four datagrams read in the main thread');
  t.ok(listed.pooled >= N / 400, `list(): the other ${listed.pooled} in the pool`);
  t.ok(listed.others < listed.pooled / 2, `several a read there (${listed.others} reads)`);
  const streamed = readsByThread(t, ns, 'iterate');
  t.equal(streamed.routes, N, 'iterate() gave every route');
  t.equal(streamed.main, 0, 'iterate(): none read in the main thread');
  t.ok(streamed.pooled >= N / 400, `iterate(): ${streamed.pooled} datagrams in ${streamed.others} reads in the pool`);
  const small = scratchNetns(t, 'strs');
  fillRouteTable(small, 10);
  const few = readsByThread(t, small, 'list');
  t.equal(few.routes, 10);
  t.same([few.others, few.main], [0, 2], 'a small dump: its datagram and the one of its end, read in the main thread');
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
