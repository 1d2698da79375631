// Sockets in worker threads: they work there, and however the worker ends (terminated, the
// process exiting under it, a natural exit with the worker unreferenced), the process exits
// with the main thread's own status, never by a signal (koffi's uv_poll handle crashed it).
import t, { type Test } from 'tap';
import { Worker } from 'node:worker_threads';
import { RtNetlink } from '../src/index.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillRouteTable, ip, kernel, scratchNetns } from './helpers/kernel.js';

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

/**
 * A worker thread of this process running `body` (the source of an async function of `rt`, the
 * library, and `post`, which messages this thread), in `ns`. In this process, not a child: what
 * the worker's sockets do is this test's to see.
 */
function worker(t: Test, ns: string, body: string): { w: Worker; messages: string[]; next: (m: string) => Promise<boolean>; exited: Promise<number> } {
  const index = new URL('../src/index.js', import.meta.url).href;
  const w = new Worker(`
    const { parentPort } = require('node:worker_threads');
    const post = (m) => parentPort.postMessage(m);
    import(${JSON.stringify(index)}).then(async (rtnl) => { await (${body})(rtnl, ${JSON.stringify(ns)}, post); });
  `, { eval: true, execArgv: [] }); // without the test runner's preloaded hooks (a mutation run's among them)
  const messages: string[] = [];
  const waiters: Array<() => void> = [];
  w.on('message', (m: string) => { messages.push(m); for (const f of waiters.splice(0)) f(); });
  w.on('error', (e) => t.fail(`worker error: ${String(e)}`));
  const exited = new Promise<number>((r) => w.on('exit', r));
  const next = (m: string): Promise<boolean> => new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    const look = (): void => {
      if (messages.includes(m)) { clearTimeout(timer); resolve(true); } else waiters.push(look);
    };
    look();
  });
  t.teardown(() => w.terminate());
  return { w, messages, next, exited };
}

/** This process's sockets (its netlink sockets among them), by their descriptors. */
function sockets(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false; // the directory's own descriptor, gone by now
    }
  }).length;
}

t.test('a terminated worker leaves no socket behind: opened, opened synchronously one after another, a monitor', kernel, async (t) => {
  const ns = scratchNetns(t, 'wkf');
  const before = sockets();
  for (let round = 0; round < 3; round++) {
    const { w, next } = worker(t, ns, `async ({ RtNetlink, monitor }, netns, post) => {
      const opened = await RtNetlink.open({ netns });
      await opened.link.list();
      const one = RtNetlink.openSync({ netns });
      const two = RtNetlink.openSync({ netns });
      await Promise.all([one.link.list(), two.link.list()]);
      const m = monitor({ netns, link: true, existing: true });
      await m.next();
      // What opened synchronously in this run of microtasks is taken over at the loop's next turn.
      await (await import(${JSON.stringify(new URL('../src/socket/fd-keeper.js', import.meta.url).href)})).keeperReady();
      post('open');
    }`);
    t.ok(await next('open'), `round ${round}: four sockets open in the worker`);
    t.equal(sockets(), before + 4, 'four more sockets in this process');
    await w.terminate();
    t.equal(sockets(), before, `round ${round}: terminated, none left`);
  }
});

t.test('a worker\'s socket opened before its file was ready moves to it mid-dump: every route read, none left at the end', kernel, async (t) => {
  const ns = scratchNetns(t, 'wkd');
  fillRouteTable(ns, 20_000);
  const keeper = new URL('../src/socket/fd-keeper.js', import.meta.url).href;
  const before = sockets();
  const { w, next } = worker(t, ns, `async ({ RtNetlink }, netns, post) => {
    // Three at once: more than the spares, so the last waits for its file, which comes while its
    // dump is read in the thread pool (the move waits for that read to return).
    const socks = [RtNetlink.openSync({ netns }), RtNetlink.openSync({ netns }), RtNetlink.openSync({ netns })];
    let n = 0;
    for await (const r of socks[2].route.iterate({ table: 100, family: 'inet6' })) if (r.table === 100) n++;
    await (await import(${JSON.stringify(keeper)})).keeperReady();
    post('routes ' + n);
  }`);
  t.ok(await next('routes 20000'), 'the whole dump, read across the move');
  await w.terminate();
  t.equal(sockets(), before, 'terminated, none left');
});

t.test('in a worker with the thread pool held by other work, open() does not wait for its file for ever', kernel, async (t) => {
  const ns = scratchNetns(t, 'wkp');
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-fifo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // Four readers of FIFOs nobody writes: each holds one of the pool's four threads in open(2).
  const fifos = [0, 1, 2, 3].map((i) => join(dir, `f${i}`));
  for (const f of fifos) execFileSync('mkfifo', [f]);
  // Gives each reader still waiting its writer (none waits any more: ENXIO), the pool its threads
  // back: before the worker is terminated, which waits for them, whatever the test found.
  const release = (): void => {
    for (const f of fifos) {
      try {
        closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch { /* no reader */ }
    }
  };
  const { next } = worker(t, ns, `async ({ RtNetlink }, netns, post) => {
    for (const f of ${JSON.stringify(fifos)}) require('node:fs').promises.readFile(f).catch(() => undefined);
    const rt = await RtNetlink.open({ netns });
    post((await rt.link.get(1)).name);
  }`);
  try {
    t.ok(await next('lo'), 'opened and used while no file could be opened');
  } finally {
    release();
  }
});

t.test('in a worker: a socket in a group hears notifications without being kept alive; joined later too', kernel, async (t) => {
  const ns = scratchNetns(t, 'wkn');
  const { next } = worker(t, ns, `async ({ RtNetlink }, netns, post) => {
    const opened = await RtNetlink.open({ netns, groups: [1] });
    opened.client.onNotification(() => post('opened heard'));
    const joined = await RtNetlink.open({ netns });
    joined.client.onNotification(() => post('joined heard'));
    joined.client.joinGroup(1);
    post('ready');
  }`);
  t.ok(await next('ready'), 'the worker is listening');
  ip(['link', 'add', 'n0', 'type', 'veth', 'peer', 'name', 'n1'], { netns: ns });
  t.ok(await next('opened heard'), 'in groups from the open: heard');
  t.ok(await next('joined heard'), 'joined afterwards: heard');
});

t.test('in a worker: sockets left open and idle let the worker end by itself', kernel, async (t) => {
  const ns = scratchNetns(t, 'wki');
  const { exited, messages } = worker(t, ns, `async ({ RtNetlink }, netns, post) => {
    const rt = await RtNetlink.open({ netns });
    post((await rt.link.get(1)).name);
  }`);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running after 5 s'), 5000))]);
  t.equal(code, 0, 'the worker ended');
  t.same(messages, ['lo']);
});

t.test('in a worker: terminated with notifications waiting, this process goes on', kernel, async (t) => {
  const ns = scratchNetns(t, 'wkt');
  const { w, next } = worker(t, ns, `async ({ RtNetlink }, netns, post) => {
    const rt = await RtNetlink.open({ netns, groups: [1] });
    rt.client.onNotification(() => undefined);
    post('ready');
  }`);
  t.ok(await next('ready'));
  ip(['link', 'add', 't0', 'type', 'veth', 'peer', 'name', 't1'], { netns: ns });
  await new Promise((r) => setTimeout(r, 20));
  t.equal(await w.terminate(), 1, 'terminated');
  // A koffi handle left in the worker would have brought the whole process down by now.
  await new Promise((r) => setTimeout(r, 100));
  await using rt = await RtNetlink.open({ netns: ns });
  t.equal((await rt.link.get('t0')).name, 't0', 'this process goes on, its sockets too');
});
