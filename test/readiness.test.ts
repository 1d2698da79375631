// When a socket has something to read: both watchers (koffi's uv_poll handle in the main thread,
// poll(2) in the thread pool for worker threads), on real netlink sockets with a dump's answer
// waiting. The pool's is asked for here in the main thread, so that it is seen without a worker.
import t, { type Test } from 'tap';
import { AF_NETLINK, MSG_DONTWAIT, SOCKADDR_NL_LEN, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_RAW } from '../src/socket/constants.js';
import { sys } from '../src/socket/libc.js';
import { watch, type Readiness } from '../src/socket/readiness.js';
import { nlmsg } from './helpers/bytes.js';

const RTM_GETLINK = 18;
const DUMP_REQUEST = 0x301;
/** Long enough for several of the pool's 50 ms polls. */
const QUIET_MS = 200;

/** A bound netlink socket. */
function bound(t: Test): number {
  const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  t.ok(fd >= 0, 'socket');
  const sa = new Uint8Array(SOCKADDR_NL_LEN);
  sa[0] = AF_NETLINK;
  t.equal(sys.bind(fd, sa, sa.length), 0, 'bind');
  return fd;
}

/** A bound netlink socket, closed at the end of the test. */
function socket(t: Test): number {
  const fd = bound(t);
  t.teardown(() => sys.close(fd));
  return fd;
}

/** Makes the kernel's answer to a link dump wait on `fd`. */
function answerWaiting(fd: number): void {
  const req = nlmsg(RTM_GETLINK, DUMP_REQUEST, 1, 0, new Array<number>(16).fill(0));
  if (sys.send(fd, req, req.length, 0) !== req.length) throw new Error('send failed');
}

/** Reads everything waiting on `fd`: how many datagrams. */
function readAll(fd: number): number {
  const buf = new Uint8Array(65536);
  let n = 0;
  while (sys.recvfrom(fd, buf, buf.length, MSG_DONTWAIT, new Uint8Array(SOCKADDR_NL_LEN), new Uint32Array([SOCKADDR_NL_LEN])) >= 0) n++;
  return n;
}

/** A watcher of `fd` whose every call reads what waits (on `reads`, once moved); `calls` counts them, `next()` waits for one. */
function watched(t: Test, fd: number, inPool: boolean, always = false, reads = fd): { r: Readiness; calls: () => number; next: () => Promise<boolean> } {
  let calls = 0;
  let wake: (() => void) | undefined;
  const r = watch(fd, () => {
    calls++;
    readAll(reads);
    wake?.();
  }, always, inPool);
  t.teardown(() => r.close());
  const next = (): Promise<boolean> => new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    wake = () => { clearTimeout(timer); wake = undefined; resolve(true); };
  });
  return { r, calls: () => calls, next };
}

const quiet = (): Promise<void> => new Promise((r) => setTimeout(r, QUIET_MS));

for (const inPool of [false, true]) {
  const where = inPool ? 'poll(2) in the thread pool' : 'uv_poll in the event loop';

  t.test(`${where}: told when an answer waits, not while paused, again once resumed, never after close`, async (t) => {
    const fd = socket(t);
    const w = watched(t, fd, inPool);
    w.r.ref();
    const told = w.next();
    answerWaiting(fd);
    t.ok(await told, 'told of the answer');
    w.r.pause(true);
    answerWaiting(fd);
    await quiet();
    const before = w.calls();
    await quiet();
    t.equal(w.calls(), before, 'not told while paused');
    const again = w.next();
    w.r.pause(false);
    t.ok(await again, 'told once resumed, of what waited meanwhile');
    w.r.close();
    answerWaiting(fd);
    const closedAt = w.calls();
    await quiet();
    t.equal(w.calls(), closedAt, 'never told after close');
    t.ok(readAll(fd) > 0, 'the answer is still there, unread');
  });
}

t.test('uv_poll: an unreferenced watcher is still told (it only does not keep the process alive)', async (t) => {
  const fd = socket(t);
  const w = watched(t, fd, false);
  w.r.unref();
  const told = w.next();
  answerWaiting(fd);
  t.ok(await told, 'told');
});

t.test('the pool: only sockets someone waits on are polled; always() polls one nobody waits on', async (t) => {
  const fd = socket(t);
  const w = watched(t, fd, true);
  answerWaiting(fd);
  await quiet();
  t.equal(w.calls(), 0, 'unreferenced and not in groups: not polled (an idle worker may exit)');
  const told = w.next();
  w.r.always(true);
  t.ok(await told, 'always: polled');
  w.r.always(false);
  w.r.unref();
  answerWaiting(fd);
  await quiet();
  t.equal(w.calls(), 1, 'neither: not polled again');
  const refTold = w.next();
  w.r.ref();
  t.ok(await refTold, 'referenced: polled');
});

t.test('the pool: one poll over several sockets tells each that has something', async (t) => {
  const a = socket(t);
  const b = socket(t);
  const wa = watched(t, a, true);
  const wb = watched(t, b, true);
  wa.r.ref();
  wb.r.ref();
  const told = [wa.next(), wb.next()];
  answerWaiting(b);
  t.ok(await told[1], 'the second told');
  t.equal(wa.calls(), 0, 'the first, with nothing waiting, not told');
  answerWaiting(a);
  t.ok(await told[0], 'the first told');
  t.equal(wb.calls(), 1, 'the second not told again');
});

t.test('the pool: a watcher closed while another lives is no longer polled', async (t) => {
  const a = socket(t);
  const b = socket(t);
  const wa = watched(t, a, true, true);
  const wb = watched(t, b, true, true);
  wa.r.close();
  answerWaiting(a);
  const told = wb.next();
  answerWaiting(b);
  t.ok(await told, 'the live one told');
  await quiet();
  t.equal(wa.calls(), 0, 'the closed one never');
});

t.test('the pool: what a poll says of a closed socket is not told to a new one that got its fd number', async (t) => {
  const old = bound(t); // closed by the test itself, below
  const first = watched(t, old, true);
  first.r.ref();
  const told = first.next();
  answerWaiting(old);
  t.ok(await told, 'the old socket told once: the next poll, over it, went out as it was told');
  await new Promise((r) => setTimeout(r, 10)); // that poll is in the kernel by now
  answerWaiting(old); // it returns: the old socket is readable
  // Before its answer is handled here: the old socket closed, a new one with the same number.
  first.r.close();
  sys.close(old);
  const fd = socket(t);
  t.equal(fd, old, 'the fd number is reused');
  const second = watched(t, fd, true);
  second.r.ref();
  await quiet();
  t.equal(second.calls(), 0, 'the new socket, with nothing waiting, is not told');
  t.equal(first.calls(), 1, 'nor the closed one again');
});

t.test('the pool: a watcher moved to another descriptor watches that one, and no longer the old', async (t) => {
  const from = socket(t);
  const to = socket(t);
  const w = watched(t, from, true, false, to);
  w.r.ref();
  w.r.moveTo?.(to);
  const told = w.next();
  answerWaiting(to);
  t.ok(await told, 'an answer on the new descriptor told');
  const before = w.calls();
  answerWaiting(from);
  await quiet();
  t.equal(w.calls(), before, 'one on the old descriptor not');
});
