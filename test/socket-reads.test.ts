// The socket's read loop, step by step: recvfrom (and its thread-pool form) replaced by a script
// of what each call returns, so that what one drain() reads, when it stops and what it hands on
// is seen exactly, without timing. The socket itself is real (the fd, its readiness watcher); the
// kernel sends it nothing unless a test asks.
import t, { type Test } from 'tap';
import { constants } from 'node:os';
import { NetlinkSocket } from '../src/socket/netlink-socket.js';
import { koffi, sys } from '../src/socket/libc.js';
import { iovec, mmsghdr } from '../src/socket/datagram-vector.js';
import type { NetlinkError } from '../src/errors.js';
import { kernel } from './helpers/kernel.js';

const { EAGAIN, EINTR, EIO, ENOBUFS } = constants.errno;

/** What one recvfrom gives: a datagram (from the kernel unless `sender` says otherwise) or a failure. */
type Step = { data: Uint8Array; sender?: number } | { errno: number };
const dg = (...bytes: number[]): Step => ({ data: Uint8Array.from(bytes) });

/** Fills a recvfrom's buffers as the kernel would; MSG_TRUNC: the full size even when it does not fit. */
function give(step: Step | undefined, buf: Uint8Array, len: number, addr: Uint8Array): number {
  if (step === undefined || 'errno' in step) {
    koffi.errno(step?.errno ?? EAGAIN);
    return -1;
  }
  if (step.data.length <= len) buf.set(step.data);
  new DataView(addr.buffer).setUint32(4, step.sender ?? 0, true);
  return step.data.length;
}

/**
 * Fills a thread-pool read's vector (native memory laid out by datagram-vector.ts, read back
 * here through koffi's view of the same structs) with the datagrams of `steps`: how many, or -1
 * with errno when the first step is a failure (EAGAIN when there is none). A failure after some
 * datagrams ends the call there: the kernel reports it to the next one.
 */
function giveMany(steps: Step[], msgvec: bigint): number {
  const first = steps[0];
  if (first === undefined || 'errno' in first) {
    koffi.errno(first?.errno ?? EAGAIN);
    return -1;
  }
  const size = koffi.sizeof(mmsghdr);
  let n = 0;
  for (const step of steps) {
    if ('errno' in step) break;
    const at = msgvec + BigInt(n * size);
    const m = koffi.decode(at, mmsghdr) as { hdr: { name: bigint; iov: bigint } };
    const iov = koffi.decode(m.hdr.iov, iovec) as { base: bigint; len: number };
    if (step.data.length > 0 && step.data.length <= iov.len) new Uint8Array(koffi.view(iov.base, step.data.length)).set(step.data);
    new DataView(koffi.view(m.hdr.name, 12)).setUint32(4, step.sender ?? 0, true);
    koffi.encode(at, koffi.offsetof(mmsghdr, 'len'), 'unsigned int', step.data.length);
    n++;
  }
  return n;
}

interface Scripted {
  sock: NetlinkSocket;
  got: number[][];
  errors: NetlinkError[];
  /** What the next recvfrom calls give (EAGAIN once it is empty). */
  script: Step[];
  /** The buffer length each recvfrom in this thread was given. */
  lens: number[];
  /** Thread-pool reads asked for, each answered (with up to 4 datagrams) when the test calls it. */
  pool: Array<(steps?: Step | Step[]) => void>;
  /** The room for each datagram of each pool read asked for, and the vector each read into. */
  poolRoom: number[];
  poolVector: bigint[];
  /** Ends the newest pool read with a failure of the call itself (koffi's `err`). */
  poolFail(err: Error): void;
}

/**
 * A socket whose reads follow `script`; `onDatagram` runs after each datagram is recorded. A
 * drain reads for a few milliseconds at most: the clock stands still for these tests unless
 * `clock` (the test of that limit), since a cold first drain under load once took longer (a
 * fresh-clone CI run: one datagram of three read).
 */
function scripted(t: Test, onDatagram?: (s: Scripted) => void, { clock = false } = {}): Scripted {
  const failers: Array<(err: Error) => void> = [];
  const s: Scripted = {
    sock: undefined as unknown as NetlinkSocket, got: [], errors: [], script: [], lens: [], pool: [], poolRoom: [], poolVector: [],
    poolFail: (err) => failers.at(-1)?.(err),
  };
  s.sock = NetlinkSocket.open({}, {
    onDatagram: (d) => { s.got.push([...d]); onDatagram?.(s); },
    onError: (e) => s.errors.push(e),
  });
  const real = sys.recvfrom;
  const realPool = sys.recvmmsg.async;
  sys.recvfrom = (_fd: number, buf: Uint8Array, len: number, _flags: number, addr: Uint8Array) => {
    s.lens.push(len);
    return give(s.script.shift(), buf, len, addr);
  };
  sys.recvmmsg.async = (_fd, msgvec, _vlen, _flags, _timeout, cb) => {
    const m = koffi.decode(msgvec, mmsghdr) as { hdr: { iov: bigint } };
    s.poolRoom.push((koffi.decode(m.hdr.iov, iovec) as { len: number }).len);
    s.poolVector.push(msgvec);
    s.pool.push((steps) => cb(null, giveMany(steps === undefined ? [] : Array.isArray(steps) ? steps : [steps], msgvec)));
    failers.push((err) => cb(err, -1));
  };
  if (!clock) {
    const now = Object.getOwnPropertyDescriptor(performance, 'now');
    performance.now = () => 0;
    t.teardown(() => {
      if (now) Object.defineProperty(performance, 'now', now);
      else delete (performance as { now?: unknown }).now;
    });
  }
  t.teardown(() => {
    sys.recvfrom = real;
    sys.recvmmsg.async = realPool;
    s.sock.close();
  });
  return s;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

t.test('one drain reads every datagram waiting, in order, each a copy', kernel, async (t) => {
  const s = scripted(t);
  s.script.push(dg(1), dg(2, 2), dg(3, 3, 3));
  s.sock.drain();
  t.same(s.got, [[1], [2, 2], [3, 3, 3]], 'all three within the one call');
  t.equal(s.lens.length, 4, 'then it asked once more and was told EAGAIN');
  t.same(s.errors, []);
});

t.test('`enough` ends a drain after the datagram that satisfied it', kernel, async (t) => {
  const s = scripted(t);
  s.script.push(dg(1), dg(2), dg(3));
  s.sock.drain(() => s.got.length === 2);
  t.same(s.got, [[1], [2]]);
  s.sock.drain();
  t.same(s.got, [[1], [2], [3]], 'the rest read by the next drain');
});

t.test('a read interrupted (EINTR) is read again within the same drain', kernel, async (t) => {
  const s = scripted(t);
  s.script.push({ errno: EINTR }, dg(1));
  s.sock.drain();
  t.same(s.got, [[1]]);
  t.same(s.errors, [], 'nothing reported');
});

t.test('an empty datagram is handed on like any other', kernel, async (t) => {
  const s = scripted(t);
  s.script.push(dg(), dg(1));
  s.sock.drain();
  t.same(s.got, [[], [1]]);
  t.same(s.errors, []);
});

t.test('a datagram too big for the buffer: EMSGSIZE reported, the buffer grown, reading goes on', kernel, async (t) => {
  const s = scripted(t);
  const big = 300 * 1024;
  s.script.push({ data: new Uint8Array(big) }, dg(1));
  s.sock.drain();
  t.same(s.got, [[1]], 'the next datagram read in the same drain');
  t.match(s.errors, [{ code: 'EMSGSIZE', message: /307200-byte datagram/ }]);
  t.equal(s.lens[0], 256 * 1024, 'first read into the 256 KiB buffer');
  t.ok(s.lens[1] >= big, `later reads into one that fits it (${s.lens[1]})`);
});

t.test('a datagram from a user port (not the kernel) is dropped; reading goes on', kernel, async (t) => {
  const s = scripted(t);
  s.script.push({ data: Uint8Array.of(9), sender: 4242 }, dg(1));
  s.sock.drain();
  t.same(s.got, [[1]]);
  t.same(s.errors, [], 'dropped without an error');
});

t.test('a read failing otherwise (EIO) is reported and ends the drain; the socket is not congested', kernel, async (t) => {
  const s = scripted(t);
  s.script.push({ errno: EIO }, dg(1), dg(2));
  s.sock.drain();
  t.same(s.got, [], 'nothing read after the failure in that drain');
  t.match(s.errors, [{ code: 'EIO', syscall: 'recvfrom' }]);
  s.sock.drain(() => true);
  t.same(s.got, [[1]], '`enough` still heard: an EIO is no overflow');
});

t.test('after an overflow (ENOBUFS) everything waiting is read at once, `enough` or not, until the queue is empty', kernel, async (t) => {
  const s = scripted(t);
  s.script.push({ errno: ENOBUFS }, dg(1), dg(2));
  s.sock.drain(() => true);
  t.same(s.got, [[1], [2]], 'both, though `enough` said stop after the first');
  t.match(s.errors, [{ code: 'ENOBUFS', message: /receive buffer overflowed/ }]);
  s.script.push(dg(3), dg(4));
  s.sock.drain(() => true);
  t.same(s.got, [[1], [2], [3]], 'the queue was seen empty: `enough` heard again');
});

t.test('a handler that pauses or closes the socket stops the drain at once', kernel, async (t) => {
  for (const stop of ['pause', 'close'] as const) {
    const s = scripted(t, (x) => { if (x.got.length === 1) x.sock[stop](); });
    s.script.push(dg(1), dg(2));
    s.sock.drain();
    t.same(s.got, [[1]], `${stop}: nothing read after it`);
    t.equal(s.lens.length, 1, `${stop}: no further recvfrom`);
  }
});

t.test('paused, a socket reads nothing; resumed, it reads in the check phase, every time', kernel, async (t) => {
  const s = scripted(t);
  for (const round of [1, 2]) {
    s.script.push(dg(round));
    s.sock.pause();
    s.sock.drain();
    await turn();
    t.same(s.got.length, round - 1, `round ${round}: nothing read while paused`);
    s.sock.resume();
    t.same(s.got.length, round - 1, `round ${round}: not within resume()`);
    await turn();
    t.same(s.got.at(-1), [round], `round ${round}: read in the check phase`);
  }
});

t.test('resume() on a socket that is not paused reads nothing', kernel, async (t) => {
  const s = scripted(t);
  s.script.push(dg(1));
  s.sock.resume();
  await turn();
  await turn();
  t.same(s.got, []);
});

t.test('paused with a datagram waiting, the readiness watcher does not spin', kernel, async (t) => {
  const s = scripted(t);
  sys.recvfrom = Object.assign(() => { koffi.errno(EAGAIN); return -1; }, sys.recvfrom);
  let drains = 0;
  const drain = s.sock.drain.bind(s.sock);
  s.sock.drain = (enough) => { drains++; drain(enough); };
  s.sock.pause();
  // A real answer waits in the socket's queue (nobody reads it): RTM_GETLINK for lo.
  const req = new Uint8Array(32);
  const dv = new DataView(req.buffer);
  dv.setUint32(0, 32, true);
  dv.setUint16(4, 18, true); // RTM_GETLINK
  dv.setUint16(6, 1, true); // NLM_F_REQUEST
  dv.setInt32(20, 1, true); // ifi_index 1
  s.sock.send(req);
  await new Promise((r) => setTimeout(r, 50));
  t.equal(drains, 0, 'not woken while paused');
  s.sock.resume();
  await new Promise((r) => setTimeout(r, 50));
  t.ok(drains > 0, 'woken once resumed');
});

t.test('reading in the thread pool: one read out at a time, the next asked before what one gave is handed on', kernel, async (t) => {
  const s = scripted(t, (x) => x.got.push([x.pool.length]));
  s.sock.readOffThread(true);
  s.sock.drain();
  s.sock.drain();
  t.equal(s.pool.length, 1, 'a second drain while a read is out asks nothing');
  s.pool[0]([dg(1), dg(2), dg(3)]);
  t.same(s.got, [[1], [2], [2], [2], [3], [2]], 'every datagram of the read, in order; the next read out already as the first was handed on');
  s.pool[1](undefined); // EAGAIN
  await turn();
  t.equal(s.pool.length, 2, 'none after EAGAIN: the readiness watcher says when');
  t.equal(s.lens.length, 0, 'nothing read in this thread');
});

t.test('reading in the thread pool: the two vectors in turn, each datagram a copy', kernel, async (t) => {
  const s = scripted(t);
  s.sock.readOffThread(true);
  s.sock.drain();
  s.pool[0]([dg(1, 1), dg(2, 2)]);
  s.pool[1](dg(3, 3, 3));
  s.pool[2](dg(4));
  s.pool[3](undefined);
  t.same(s.got, [[1, 1], [2, 2], [3, 3, 3], [4]], 'the third read, into the first vector again, spoils nothing handed on');
  const [a, b, c, d] = s.poolVector;
  t.not(a, b, 'a read ahead goes into the other vector: the pool fills it while this thread copies out of the first');
  t.same([c, d], [a, b], 'and so on, in turn');
});

t.test('a pool read with a datagram from a user port or too big: dropped, or EMSGSIZE and bigger buffers for the next reads', kernel, async (t) => {
  const s = scripted(t);
  s.sock.readOffThread(true);
  s.sock.drain();
  const room = s.poolRoom[0];
  s.pool[0]([dg(1), { data: Uint8Array.of(9), sender: 4242 }, { data: new Uint8Array(room + 100) }, dg(2)]);
  t.same(s.got, [[1], [2]], 'the others handed on');
  t.match(s.errors, [{ code: 'EMSGSIZE', message: `a ${room + 100}-byte datagram did not fit the receive buffer and was lost` }]);
  t.equal(s.poolRoom[1], room, 'the read already out keeps its vector');
  s.pool[1](dg(3));
  t.equal(s.poolRoom[2], room + 100, 'the next vector made for it');
  s.pool[2]({ data: new Uint8Array(room + 100).fill(7) });
  t.equal(s.got.at(-1)?.length, room + 100, 'which it fits');
  s.pool[3](undefined);
});

t.test('reading in the thread pool: pause, close or a switch back to this thread, each heard after the read', kernel, async (t) => {
  for (const stop of ['pause', 'close'] as const) {
    const s = scripted(t, (x) => x.sock[stop]());
    s.sock.readOffThread(true);
    s.sock.drain();
    s.pool[0](dg(1));
    t.equal(s.pool.length, 2, `${stop}: the read asked before the datagram was handed on is out`);
    s.pool[1](dg(2));
    t.same(s.got, stop === 'pause' ? [[1], [2]] : [[1]], `${stop}: what it got is ${stop === 'pause' ? 'handed on all the same (the kernel cannot take it back)' : 'dropped'}`);
    t.equal(s.pool.length, 2, `${stop}: no further pool read`);
    await turn();
    t.equal(s.lens.length, 0, `${stop}: nor a read here`);
  }
  const s = scripted(t, (x) => x.sock.readOffThread(false));
  s.script.push(dg(3));
  s.sock.readOffThread(true);
  s.sock.drain();
  s.pool[0](dg(1));
  t.equal(s.pool.length, 2, 'the read asked before the switch is out');
  t.same(s.got, [[1]], 'not read here within the callback');
  s.pool[1](dg(2));
  t.equal(s.pool.length, 2, 'back to this thread: no further pool read');
  await turn();
  t.same(s.got, [[1], [2], [3]], 'read here in the check phase, after the pool\'s');
});

t.test('an overflow met in the thread pool: everything waiting read here and now', kernel, async (t) => {
  const s = scripted(t);
  s.script.push(dg(1), dg(2));
  s.sock.readOffThread(true);
  s.sock.drain();
  s.pool[0]({ errno: ENOBUFS });
  t.same(s.got, [[1], [2]], 'within the callback');
  t.equal(s.pool.length, 1, 'no pool read for it');
  t.match(s.errors, [{ code: 'ENOBUFS' }]);
});

t.test('a pool read still out when reads come back to this thread: nothing is read here until it returns (order kept)', kernel, async (t) => {
  const s = scripted(t);
  s.script.push(dg(2));
  s.sock.readOffThread(true);
  s.sock.drain();
  s.sock.readOffThread(false);
  s.sock.drain();
  t.equal(s.lens.length, 0, 'no read here while the pool read is out');
  s.pool[0](dg(1));
  await turn();
  t.same(s.got, [[1], [2]], 'the pool read\'s datagram first');
});

t.test('a drain here hands over to the pool when reads go there after a datagram', kernel, async (t) => {
  const s = scripted(t, (x) => x.sock.readOffThread(true));
  s.script.push(dg(1), dg(2));
  s.sock.drain();
  t.same(s.got, [[1]], 'one datagram read here');
  t.equal(s.lens.length, 1);
  t.equal(s.pool.length, 1, 'the next asked of the pool at once');
  s.pool[0](undefined);
});

t.test('a drain here stops after its few milliseconds, and goes on in the check phase', kernel, async (t) => {
  const busy = (ms: number): void => { for (const end = performance.now() + ms; performance.now() < end;); };
  const s = scripted(t, () => busy(2), { clock: true });
  for (let i = 0; i < 10; i++) s.script.push(dg(i));
  s.sock.drain();
  // Each takes 2 ms or more (more when this thread is kept off its CPU): by the second, the 3 ms are past.
  const first = s.got.length;
  t.ok(first >= 1 && first <= 2, `the drain stopped after ${first} of 10 datagrams`);
  await turn();
  t.ok(s.got.length > first, 'read on in the check phase');
  while (s.got.length < 10) await turn();
  t.same(s.got.map(([b]) => b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'every datagram, in order');
});

t.test('the pool\'s vectors are memory V8 owns, freed with them (in a terminated worker too): nothing allocated natively', kernel, async (t) => {
  const real = koffi.alloc;
  let allocs = 0;
  koffi.alloc = ((...a: Parameters<typeof real>) => { allocs++; return real(...a); }) as typeof real;
  t.teardown(() => { koffi.alloc = real; });
  const s = scripted(t);
  s.sock.readOffThread(true);
  s.sock.drain();
  const room = s.poolRoom[0];
  s.pool[0]([dg(1), { data: new Uint8Array(room + 1) }]);
  s.pool[1](dg(2));
  s.pool[2](undefined);
  s.sock.close();
  t.same(s.got.map(([b]) => b), [1, 2], 'the datagrams read (the one too big for the first vector is not: the next vectors are bigger)');
  t.equal(allocs, 0, 'no koffi.alloc(): a vector replaced, or left at the close, goes with its last reference');
});

t.test('a second copy of the library in the process loads: its native layouts have no names to clash', kernel, async (t) => {
  const url = new URL('../src/socket/datagram-vector.js', import.meta.url);
  const again = (await import(`${url.href}?copy`)) as { mmsghdr: unknown };
  t.equal(koffi.sizeof(again.mmsghdr as Parameters<typeof koffi.sizeof>[0]), koffi.sizeof(mmsghdr));
});

t.test('a pool read that fails asks no other read at once: the readiness watcher says when', kernel, async (t) => {
  const s = scripted(t);
  s.sock.readOffThread(true);
  s.sock.drain();
  s.poolFail(new Error('pool boom'));
  t.equal(s.pool.length, 1, 'no second pool read');
  await turn();
  t.equal(s.lens.length, 0, 'nor one here');
  t.match(s.errors, [{ code: 'EIO', message: /pool boom/ }]);
});

t.test('resumed twice in one turn, a socket reads in the check phase once', kernel, async (t) => {
  const s = scripted(t);
  s.sock.pause();
  s.sock.resume();
  s.sock.pause();
  s.sock.resume();
  await turn();
  await turn();
  t.equal(s.lens.length, 1, 'one read (told EAGAIN), not two');
});
