// NetNS.watch() and `rtnl netns monitor` against `ip netns monitor`: the names made and removed
// under /run/netns, by either tool, in order; after an overflow of the kernel's inotify queue, the
// differences found by listing again, then `synced`; close() and an abort signal end it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { InvalidArgumentError, NetNS, type NetnsEvent } from '../src/index.js';
import { BIN } from './helpers/cli.js';
import { ip, kernel, uniqueName } from './helpers/kernel.js';

/** Runs a bash script in a mount namespace of its own, on a /run/netns of its own (tmpfs). */
function privateRunDir(script: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'bash', '-c', `set -eu; mount -t tmpfs rtnl-watch /run/netns; ${script}`],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('rtnl netns monitor prints what ip netns monitor prints, for names made by either tool and by hand', kernel, async (t) => {
  // ip 6.1 does not flush its stdout after a line: stdbuf makes it, lest a kill lose what it printed.
  const r = privateRunDir(`
    stdbuf -oL ip netns monitor > ip.out & A=$!
    node ${BIN} netns monitor > rtnl.out 2> rtnl.err & B=$!
    # A failed step leaves neither monitor running, even one that no longer heeds a signal (a planted bug spinning).
    trap 'kill -9 $A $B 2>/dev/null || true' EXIT
    # Until both are watching (each prints a probe's name), then a mark: what comes after it is compared.
    until grep -q probe ip.out && grep -q probe rtnl.out; do touch /run/netns/probe; rm /run/netns/probe; sleep 0.1; done
    touch /run/netns/mark; rm /run/netns/mark
    ip netns add n1; node ${BIN} netns add n2; ip netns del n1; touch /run/netns/plain; rm /run/netns/plain; node ${BIN} netns del n2
    sleep 0.5; kill $A; kill -INT $B
    # 10 s at most, then killed (status 137): a monitor that ignores SIGINT fails the test, and is not left behind.
    for i in $(seq 100); do kill -0 $B 2>/dev/null || break; sleep 0.1; done
    kill -9 $B 2>/dev/null || true; wait $B; echo "status $?"
    echo "== ip"; sed -n '/^delete mark$/,$p' ip.out | tail -n +2; echo "== rtnl"; sed -n '/^delete mark$/,$p' rtnl.out | tail -n +2; cat rtnl.err`.replace(/(ip|rtnl)\.(out|err)/g, '/tmp/$&-$$'));
  t.equal(r.status, 0, r.stderr);
  const [status, theirs, ours] = r.stdout.split(/== ip\n|== rtnl\n/);
  t.equal(status, 'status 0\n', 'SIGINT ends it, exit 0');
  t.equal(theirs, 'add n1\nadd n2\ndelete n1\nadd plain\ndelete plain\ndelete n2\n', 'ip saw each');
  t.equal(ours, theirs, 'rtnl printed the same, line by line');
});

t.test('NetNS.watch(): each name the library and ip make and remove, in order; close() ends the iteration', kernel, async (t) => {
  const names = [uniqueName('nw'), uniqueName('nw')];
  const w = NetNS.watch();
  const seen: NetnsEvent[] = [];
  const done = (async () => {
    // Other test files make namespaces meanwhile: only this test's names are looked at.
    for await (const ev of w) if (ev.type === 'synced' || names.includes(ev.name)) seen.push(ev);
  })();
  await NetNS.add(names[0]);
  ip(['netns', 'add', names[1]]);
  await NetNS.delete(names[1]);
  ip(['netns', 'del', names[0]]);
  while (seen.length < 4) await new Promise((r) => setTimeout(r, 20));
  w.close();
  await done;
  t.same(seen, [{ type: 'add', name: names[0] }, { type: 'add', name: names[1] }, { type: 'delete', name: names[1] }, { type: 'delete', name: names[0] }]);
  // Closed: a new iteration ends at once, and close() again is harmless.
  for await (const ev of w) t.fail(`nothing after close: ${JSON.stringify(ev)}`);
  w.close();

  const aborter = new AbortController();
  const watching = NetNS.watch({ signal: aborter.signal });
  setTimeout(() => aborter.abort(), 50);
  for await (const ev of watching) if (ev.type !== 'synced' && ev.name.startsWith('nw')) t.fail('nothing of ours');
  t.pass('an abort ends the iteration');
  const pre = new AbortController();
  pre.abort();
  for await (const ev of NetNS.watch({ signal: pre.signal })) t.fail(`an aborted signal watches nothing: ${JSON.stringify(ev)}`);
  t.throws(() => NetNS.watch({ signall: aborter.signal } as never), InvalidArgumentError, 'a misspelt option is refused');
  t.throws(() => NetNS.watch({ signal: 5 } as never), { name: 'InvalidArgumentError', message: 'NetNS.watch options: signal must be an AbortSignal' });
});

t.test('NetNS.watch() tells add once the name is a namespace, in order; a file that never becomes one after a wait', kernel, async (t) => {
  // "late" made, "quick" made a namespace at once, then "late" bound a moment after, as ip netns
  // add binds: a consumer that opens each name as it is told finds a namespace, and the order is kept.
  const netns = fileURLToPath(new URL('../src/netns/netns.js', import.meta.url));
  const script = `
    import { NetNS } from ${JSON.stringify(netns)};
    import { exec, execSync } from 'node:child_process';
    import { promisify } from 'node:util';
    import { statfsSync } from 'node:fs';
    const w = NetNS.watch(); const seen = []; const t0 = performance.now();
    const done = (async () => {
      for await (const ev of w) {
        if (ev.type === 'synced') continue;
        let fs = 'gone';
        try { fs = statfsSync('/run/netns/' + ev.name).type === 0x6e736673 ? 'nsfs' : 'file'; } catch {}
        seen.push(ev.type + ' ' + ev.name + ' ' + fs + (ev.name === 'plain' || ev.name === 'brief' ? (performance.now() - t0 > 900 ? ' waited' : ' at once') : ''));
      }
    })();
    // Not execSync: the watcher reads and tells while the steps run.
    await promisify(exec)('touch /run/netns/late /run/netns/brief; ip netns add quick; rm /run/netns/brief; sleep 0.3; unshare --net mount --bind /proc/self/ns/net /run/netns/late; touch /run/netns/plain');
    await new Promise((r) => setTimeout(r, 1500));
    w.close(); await done;
    execSync('umount /run/netns/late /run/netns/quick');
    console.log(JSON.stringify(seen));`;
  const r = privateRunDir('exec node --input-type=module -e "$SCRIPT"', { SCRIPT: script });
  t.equal(r.status, 0, r.stderr);
  t.same(JSON.parse(r.stdout), ['add late nsfs', 'add brief gone at once', 'add quick nsfs', 'delete brief gone at once', 'add plain file waited'],
    'late told once bound, before quick; brief (removed first: not waited for) and plain (after the wait) told as files');
});

t.test('NetNS.watch() after the kernel\'s queue overflowed: the differences, then synced, adding up to the directory', kernel, async (t) => {
  // 20,000 names made and 100 older ones removed while the event loop is held (the queue keeps
  // 16,384 events by default), in a /run/netns of its own; then some removed. What the watcher
  // told, from the names there when it began, must be what is there.
  const netns = fileURLToPath(new URL('../src/netns/netns.js', import.meta.url));
  const script = `
    import { NetNS } from ${JSON.stringify(netns)};
    import { closeSync, openSync, readdirSync, unlinkSync } from 'node:fs';
    for (let i = 0; i < 100; i++) closeSync(openSync('/run/netns/old' + i, 'w'));
    const w = NetNS.watch();
    const names = new Set(readdirSync('/run/netns')); const kinds = [];
    const done = (async () => { for await (const ev of w) { kinds.push(ev.type); if (ev.type === 'add') names.add(ev.name); if (ev.type === 'delete') names.delete(ev.name); } })();
    for (let i = 0; i < 20000; i++) closeSync(openSync('/run/netns/n' + i, 'w'));
    for (let i = 0; i < 100; i++) unlinkSync('/run/netns/old' + i); // past the overflow: told by the resync only
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 20000; i += 7) unlinkSync('/run/netns/n' + i);
    await new Promise((r) => setTimeout(r, 500));
    w.close(); await done;
    const there = readdirSync('/run/netns');
    console.log(JSON.stringify({ synced: kinds.filter((k) => k === 'synced').length, told: names.size, there: there.length, same: there.every((n) => names.has(n)) }));`;
  const r = privateRunDir('exec node --input-type=module -e "$SCRIPT"', { SCRIPT: script });
  t.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { synced: number; told: number; there: number; same: boolean };
  t.ok(result.synced >= 1, `the queue overflowed and was made up for (${result.synced} time(s))`);
  t.same({ told: result.told, same: result.same }, { told: result.there, same: true }, `the names told are the ${result.there} there`);
});

t.test('NetNS.watch() in a worker thread: events there, and the worker ends once the watcher is closed', kernel, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-watch-'));
  t.teardown(() => rmSync(dir, { recursive: true }));
  const file = join(dir, 'worker.mjs');
  const netns = fileURLToPath(new URL('../src/netns/netns.js', import.meta.url));
  writeFileSync(file, `
    import { parentPort, workerData } from 'node:worker_threads';
    import { NetNS } from ${JSON.stringify(netns)};
    const w = NetNS.watch();
    parentPort.postMessage('watching');
    for await (const ev of w) {
      if (ev.type === 'synced' || ev.name !== workerData) continue;
      parentPort.postMessage(ev);
      if (ev.type === 'delete') w.close();
    }`);
  const name = uniqueName('nww');
  t.teardown(() => {
    try { ip(['netns', 'del', name]); } catch { /* deleted by the test, as it should be */ }
  });
  const worker = new Worker(file, { workerData: name });
  const seen: unknown[] = [];
  const exited = new Promise<number>((resolve) => worker.on('exit', resolve));
  worker.on('message', (m: unknown) => {
    if (m === 'watching') {
      ip(['netns', 'add', name]);
      ip(['netns', 'del', name]);
    } else seen.push(m);
  });
  t.equal(await exited, 0, 'the worker ended by itself once its watcher was closed');
  t.same(seen, [{ type: 'add', name }, { type: 'delete', name }]);
});

