// The socket's handling of system calls failing in ways the kernel will not fail them on demand:
// a signal interrupting send or recvfrom (EINTR), bind or getsockname refused at open, an errno
// recvfrom should never give, a read that throws. Each libc wrapper is replaced for a while by
// one that fails (errno set through koffi, as libc sets it) then calls the real one.
import t, { type Test } from 'tap';
import { constants } from 'node:os';
import { RtNetlink, NetlinkError } from '../src/index.js';
import { koffi, sys } from '../src/socket/libc.js';
import { NETLINK_ADD_MEMBERSHIP, SOL_NETLINK, SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE } from '../src/socket/constants.js';
import { THREAD_NETNS, inNetns, inNewNetns, openNetnsFd } from '../src/socket/netns-switch.js';
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { fillRouteTable, kernel, scratchNetns } from './helpers/kernel.js';

const { EINTR, EACCES, EIO, EADDRINUSE, EPERM } = constants.errno;
type Sys = typeof sys;
type Name = 'send' | 'recvfrom' | 'bind' | 'getsockname' | 'close' | 'setns' | 'unshare';

/**
 * `sys[name]` fails with `errno` the next `times` calls (returns -1), then is itself again; its
 * calls are counted. Restored when the test ends.
 */
function failing<N extends Name>(t: Test, name: N, errno: number, times = 1): { calls: number; failed: number } {
  const real = sys[name];
  const seen = { calls: 0, failed: 0 };
  const fake = (...args: unknown[]): number => {
    seen.calls++;
    if (seen.failed < times) {
      seen.failed++;
      koffi.errno(errno);
      return -1;
    }
    return (real as (...a: unknown[]) => number)(...args);
  };
  (sys as Record<Name, unknown>)[name] = Object.assign(fake, real) as Sys[N];
  t.teardown(() => { sys[name] = real; });
  return seen;
}

/** The fds `sys.close` is called with while the test runs (the calls still go through). */
function closes(t: Test): number[] {
  const real = sys.close;
  const fds: number[] = [];
  sys.close = (fd: number) => {
    fds.push(fd);
    return real(fd);
  };
  t.teardown(() => { sys.close = real; });
  return fds;
}

t.test('a send interrupted by a signal (EINTR) is sent again: the request is answered', kernel, async (t) => {
  await using rt = await RtNetlink.open();
  const send = failing(t, 'send', EINTR, 2);
  const lo = await rt.link.get(1);
  t.equal(lo.name, 'lo');
  t.equal(send.failed, 2, 'two sends interrupted');
  t.equal(send.calls, 3, 'then one went');
});

t.test('a send refused (EACCES) fails the request with the errno, naming send', kernel, async (t) => {
  await using rt = await RtNetlink.open();
  failing(t, 'send', EACCES);
  const e = await rt.link.get(1).catch((x: unknown) => x);
  t.type(e, NetlinkError);
  t.match(e, { code: 'EACCES', errno: EACCES, syscall: 'send', message: /^link 1: send: Permission denied$/ });
  t.equal((await rt.link.get(1)).name, 'lo', 'the socket is usable afterwards');
});

t.test('a read interrupted by a signal (EINTR) is read again: the answer comes', kernel, async (t) => {
  await using rt = await RtNetlink.open();
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  const recv = failing(t, 'recvfrom', EINTR, 3);
  t.equal((await rt.link.get(1)).name, 'lo');
  t.equal(recv.failed, 3, 'three reads interrupted');
  t.same(errors, [], 'nothing reported');
});

t.test('a read failing otherwise (EIO) is reported, and the answer still comes', kernel, async (t) => {
  await using rt = await RtNetlink.open();
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  failing(t, 'recvfrom', EIO);
  const lo = rt.link.get(1);
  t.equal((await lo).name, 'lo');
  t.equal(errors.length, 1, 'one error reported');
  t.match(errors[0], { code: 'EIO', message: /^recvfrom: Input\/output error/ });
});

t.test('a read that throws is reported as EIO, naming what it threw', kernel, async (t) => {
  await using rt = await RtNetlink.open();
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  const real = sys.recvfrom;
  let thrown = 0;
  sys.recvfrom = Object.assign((...args: Parameters<typeof real>) => {
    if (thrown++ === 0) throw new Error('boom');
    return real(...args);
  }, real);
  t.teardown(() => { sys.recvfrom = real; });
  // The first drain (right after the send) throws; the readiness watcher reads the answer.
  t.equal((await rt.link.get(1)).name, 'lo');
  t.equal(errors.length, 1);
  t.match(errors[0], { code: 'EIO', message: /receive failed: Error: boom/ });
  t.equal((errors[0].cause as Error).message, 'boom', 'the cause kept');
});

for (const [call, errno, text] of [['bind', EADDRINUSE, /^bind: Address already in use/], ['getsockname', EIO, /^getsockname: Input\/output error/]] as const) {
  t.test(`${call} refused at open: the open fails naming ${call}, and the socket is closed`, kernel, async (t) => {
    const closed = closes(t);
    failing(t, call, errno);
    const e = await RtNetlink.open().catch((x: unknown) => x);
    t.type(e, NetlinkError);
    t.match(e, { errno, syscall: call, message: text });
    t.equal(closed.length, 1, 'one fd closed');
    t.ok(closed[0] >= 0, 'the socket made');
  });
}

/** The thread pool's reads (recvmmsg.async) with their answers held back `ms`, or replaced by `fail` once; restored when the test ends. */
function slowPoolReads(t: Test, ms: number, fail?: { err?: Error; errno?: number }): { started: number } {
  const real = sys.recvmmsg.async;
  const seen = { started: 0 };
  sys.recvmmsg.async = (fd, msgvec, vlen, flags, timeout, cb) => {
    seen.started++;
    if (fail && seen.started === 1) {
      setTimeout(() => {
        if (fail.errno !== undefined) koffi.errno(fail.errno);
        cb(fail.err ?? null, -1);
      }, ms);
      return;
    }
    real(fd, msgvec, vlen, flags, timeout, (err, n) => {
      const errno = koffi.errno(); // the read's own, as koffi gives it to the callback: kept across the delay
      setTimeout(() => {
        koffi.errno(errno);
        cb(err, n);
      }, ms);
    });
  };
  t.teardown(() => { sys.recvmmsg.async = real; });
  return seen;
}

t.test('closed twice, a socket closes its fd once (a second close could hit a reused fd number)', kernel, async (t) => {
  const rt = await RtNetlink.open();
  const closed = closes(t);
  rt.close();
  rt.close();
  t.same(closed, [rt.client.fd]);
});

t.test('closed while a pool read is out, the fd stays open until that read returns', kernel, async (t) => {
  const ns = scratchNetns(t, 'sfc');
  fillRouteTable(ns, 3000);
  const rt = await RtNetlink.open({ netns: ns });
  const closed = closes(t);
  const reads = slowPoolReads(t, 50);
  const it = rt.route.iterate({ table: 100, family: 'inet6' });
  const first = it.next();
  await new Promise((r) => setTimeout(r, 10)); // the first pool read is out, held back 50 ms
  t.equal(reads.started, 1, 'one pool read out');
  rt.close();
  t.same(closed, [], 'not closed under the read');
  await t.rejects(first, { code: 'ECANCELED' });
  await new Promise((r) => setTimeout(r, 80));
  t.same(closed, [rt.client.fd], 'closed when it returned');
});

t.test('a pool read that fails is reported as EIO; the stream goes on and gives everything', kernel, async (t) => {
  const ns = scratchNetns(t, 'sfp');
  fillRouteTable(ns, 3000);
  await using rt = await RtNetlink.open({ netns: ns });
  const errors: NetlinkError[] = [];
  rt.client.onError((e) => errors.push(e));
  slowPoolReads(t, 0, { err: new Error('pool boom') });
  let n = 0;
  for await (const r of rt.route.iterate({ table: 100, family: 'inet6' })) if (r.table === 100) n++;
  t.equal(n, 3000, 'every route');
  t.same(errors.map((e) => e.message), ['receive failed: Error: pool boom']);
});

t.test('a namespace that cannot be opened: the error names open and the path', kernel, async (t) => {
  const e = (() => { try { return openNetnsFd('/run/netns/no-such-netns'); } catch (x) { return x; } })();
  t.type(e, NetlinkError);
  t.match(e, { code: 'ENOENT', syscall: 'open /run/netns/no-such-netns', message: /^open \/run\/netns\/no-such-netns: No such file or directory$/ });
});

for (const [call, run] of [
  ['setns', (fn: () => void) => { const fd = openNetnsFd(THREAD_NETNS); try { inNetns(fd, fn); } finally { sys.close(fd); } }],
  ['unshare', (fn: () => void) => inNewNetns(fn)],
] as const) {
  t.test(`${call} refused: the switch fails naming ${call}, runs nothing, and closes what it opened`, kernel, async (t) => {
    const home = readlinkSync(THREAD_NETNS);
    failing(t, call, EPERM);
    const closed = closes(t);
    let ran = false;
    const e = (() => { try { run(() => { ran = true; }); } catch (x) { return x; } })();
    t.type(e, NetlinkError);
    t.match(e, { code: 'EPERM', syscall: call === 'setns' ? 'setns' : 'unshare(CLONE_NEWNET)', message: /Operation not permitted$/ });
    t.notOk(ran, 'the function did not run');
    t.equal(closed.length, call === 'setns' ? 2 : 1, 'the home fd closed (and the caller its own)');
    t.equal(readlinkSync(THREAD_NETNS), home, 'still at home');
  });
}

t.test('a thread that cannot return to its namespace aborts the process, saying why', kernel, async (t) => {
  // In a child: the process must die (SIGABRT), the thread being stranded in another namespace.
  const lib = (f: string): string => new URL(`../src/socket/${f}`, import.meta.url).href;
  const script = `
    import { sys, koffi } from ${JSON.stringify(lib('libc.js'))};
    import { inNewNetns } from ${JSON.stringify(lib('netns-switch.js'))};
    const real = sys.setns;
    sys.setns = () => { koffi.errno(1); return -1; };
    inNewNetns(() => console.log('inside'));
    console.log('came back');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  t.equal(r.signal, 'SIGABRT');
  t.match(r.stdout, /^inside\n$/, 'ran inside, never came back');
  t.match(r.stderr, /^rtnl: could not return to the original network namespace \(setns: Operation not permitted\): aborting\n/);
});

/** setsockopt fails with `errno` for (level, name), and goes through for the others; the calls are recorded. */
function refusedOption(t: Test, level: number, name: number, errno: number): Array<{ level: number; name: number; value: number }> {
  const real = sys.setsockopt;
  const calls: Array<{ level: number; name: number; value: number }> = [];
  sys.setsockopt = (fd, l, n, val, len) => {
    calls.push({ level: l, name: n, value: new DataView(val.buffer, val.byteOffset).getInt32(0, true) });
    if (l === level && n === name) {
      koffi.errno(errno);
      return -1;
    }
    return real(fd, l, n, val, len);
  };
  t.teardown(() => { sys.setsockopt = real; });
  return calls;
}

t.test('SO_RCVBUFFORCE refused (no CAP_NET_ADMIN): the receive buffer is asked for with SO_RCVBUF instead', kernel, async (t) => {
  const calls = refusedOption(t, SOL_SOCKET, SO_RCVBUFFORCE, EPERM);
  await using rt = await RtNetlink.open({ receiveBuffer: 1 << 20 });
  t.same(calls.filter((c) => c.level === SOL_SOCKET), [
    { level: SOL_SOCKET, name: SO_RCVBUFFORCE, value: 1 << 20 },
    { level: SOL_SOCKET, name: SO_RCVBUF, value: 1 << 20 },
  ]);
  const got = new Uint8Array(4);
  t.equal(sys.getsockopt(rt.client.fd, SOL_SOCKET, SO_RCVBUF, got, [4]), 0);
  t.ok(new DataView(got.buffer).getInt32(0, true) > 0, 'a receive buffer is set');
  t.equal((await rt.link.get(1)).name, 'lo');
});

t.test('a group that cannot be joined: the open fails naming the option, and the socket is closed', kernel, async (t) => {
  refusedOption(t, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, EPERM);
  const closed = closes(t);
  const e = await RtNetlink.open({ groups: [1] }).catch((x: unknown) => x);
  t.type(e, NetlinkError);
  t.match(e, { code: 'EPERM', syscall: `setsockopt(${SOL_NETLINK}, ${NETLINK_ADD_MEMBERSHIP})`, message: /^setsockopt\(270, 1\): Operation not permitted$/ });
  t.equal(closed.length, 1, 'the socket closed');
});

t.test('a namespace opened as fd 0 (stdin closed) is a namespace like any other', kernel, async (t) => {
  const lib = new URL('../src/socket/netns-switch.js', import.meta.url).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
    import { closeSync } from 'node:fs';
    import { openNetnsFd } from ${JSON.stringify(lib)};
    closeSync(0);
    console.log(openNetnsFd('/proc/self/ns/net'));`], { encoding: 'utf8' });
  t.equal(r.stdout, '0\n', r.stderr);
});

t.test('koffi is loaded from its native module directly, without its own loader (start-up time)', kernel, async (t) => {
  const lib = new URL('../src/socket/libc.js', import.meta.url).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
    import { createRequire } from 'node:module';
    const { sys } = await import(${JSON.stringify(lib)});
    console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('koffi'))));
    console.log(sys.strerror(2));`], { encoding: 'utf8' });
  const [loaded, text] = r.stdout.split('\n');
  const files = JSON.parse(loaded) as string[];
  t.equal(files.length, 1, `one koffi file loaded: ${loaded}`);
  const { platform, arch } = process;
  t.ok(files[0].endsWith(`koffi-${platform}-${arch}/${platform}_${arch}/koffi.node`), files[0]);
  t.equal(text, 'No such file or directory', 'and libc is bound through it');
});
