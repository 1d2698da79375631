// The client's matching, retry, timeout and window logic, with a fake kernel in place of the
// socket: the cases a real kernel will not produce on demand (interrupted dumps, silence).
import t from 'tap';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from '../src/client.js';
import { DumpInterruptedError, NetlinkError, OverflowError, TimeoutError, ProtocolError } from '../src/errors.js';
import type { SocketHandlers, Transport } from '../src/socket/netlink-socket.js';
import { parseMessages, type NlHeader } from '../codecs/netlink/message.js';
import { le32, nlmsg } from './helpers/bytes.js';
import { DecodeError, EncodeError } from '../codecs/netlink/errors.js';

const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const MULTI = 2;
const DUMP_INTR = 0x10;

/** A fake kernel: `answer` is called with each request header and replies through `reply`. */
function fakeKernel(answer: (h: NlHeader, reply: (b: Uint8Array) => void) => void): {
  client: (o?: object) => Client; sent: NlHeader[]; datagrams: Uint8Array[]; referenced: boolean[];
} {
  const sent: NlHeader[] = [];
  const datagrams: Uint8Array[] = [];
  const referenced: boolean[] = [];
  const transport = (h: SocketHandlers): Transport => ({
    fd: -1,
    port: 1234,
    // Requests made together come in one datagram: each is answered, as the kernel would.
    send: (b) => {
      datagrams.push(b.slice()); // the client reuses its buffer
      for (const { header } of parseMessages(b)) {
        sent.push(header);
        answer(header, (r) => queueMicrotask(() => h.onDatagram(r)));
      }
    },
    // The client's stop condition is asked as a socket would ask it (its answers come later here).
    drain: (enough) => { enough?.(); }, pause: () => undefined, resume: () => undefined,
    setReferenced: (on) => { referenced.push(on); },
    joinGroup: () => undefined,
    leaveGroup: () => undefined,
    close: () => undefined,
  });
  return { client: (o = {}) => new Client({ transport, ...o }), sent, datagrams, referenced };
}

const ack = (h: NlHeader, errno = 0): Uint8Array =>
  nlmsg(NLMSG_ERROR, 0x100, h.seq, 0, [...le32(-errno >>> 0), ...le32(16), 0x10, 0, 5, 0, ...le32(h.seq), ...le32(0)]);
const item = (h: NlHeader, n: number, flags = MULTI): Uint8Array => nlmsg(0x10, flags, h.seq, 0, [n, 0, 0, 0]);
const doneMsg = (h: NlHeader, flags = MULTI): Uint8Array => nlmsg(NLMSG_DONE, flags, h.seq, 0, [0, 0, 0, 0]);

t.test('a request resolves with the replies before its ack', async (t) => {
  const k = fakeKernel((h, reply) => { reply(item(h, 1, 0)); reply(ack(h)); });
  const c = k.client();
  const r = await c.request({ type: 0x12, body: () => undefined });
  t.same(r.map((m) => m.payload[0]), [1]);
  t.equal(k.sent[0].flags, 0x05, 'REQUEST|ACK');
});

t.test('a kernel error rejects with the right subclass and the request named', async (t) => {
  const k = fakeKernel((h, reply) => reply(ack(h, 19)));
  const e = await k.client().request({ type: 0x12, name: 'RTM_GETLINK', body: () => undefined }).catch((e: unknown) => e);
  t.type(e, NetlinkError);
  t.equal((e as NetlinkError).name, 'NotFoundError');
  t.equal((e as NetlinkError).message, 'RTNETLINK answers: No such device');
  t.equal((e as NetlinkError).request?.name, 'RTM_GETLINK');
});

t.test('an interrupted dump is retried, and the retry\'s result returned', async (t) => {
  let calls = 0;
  const k = fakeKernel((h, reply) => {
    calls++;
    reply(item(h, calls, calls === 1 ? MULTI | DUMP_INTR : MULTI));
    reply(doneMsg(h));
  });
  const r = await k.client().dump({ type: 0x12, body: () => undefined });
  t.equal(calls, 2);
  t.same(r.map((m) => m.payload[0]), [2]);
});

t.test('a dump interrupted every time fails, carrying the partial result', async (t) => {
  const k = fakeKernel((h, reply) => { reply(item(h, 9, MULTI | DUMP_INTR)); reply(doneMsg(h, MULTI | DUMP_INTR)); });
  const e = await k.client({ dumpRetries: 2 }).dump({ type: 0x12, body: () => undefined }).catch((e: unknown) => e);
  t.type(e, DumpInterruptedError);
  t.equal(k.sent.length, 3, 'first try and two retries');
  t.same((e as DumpInterruptedError<{ payload: Uint8Array }>).partial.map((m) => m.payload[0]), [9]);
});

t.test('dumps wait for each other: one at a time per socket', async (t) => {
  let open = 0;
  let most = 0;
  const k = fakeKernel((h, reply) => {
    open++;
    most = Math.max(most, open);
    setTimeout(() => { open--; reply(doneMsg(h)); }, 2);
  });
  const c = k.client();
  await Promise.all([1, 2, 3, 4].map(() => c.dump({ type: 0x12, body: () => undefined })));
  t.equal(most, 1);
});

t.test('no answer: a TimeoutError, and a late answer is ignored', async (t) => {
  let late: (() => void) | undefined;
  const k = fakeKernel((h, reply) => { late = () => reply(ack(h)); });
  const c = k.client({ timeout: 20 });
  const seen: unknown[] = [];
  c.onNotification((m) => seen.push(m));
  c.onError((x) => seen.push(x));
  const e = await c.request({ type: 0x12, body: () => undefined }).catch((e: unknown) => e);
  t.type(e, TimeoutError);
  late?.();
  await new Promise((r) => setTimeout(r, 5));
  t.same(seen, [], 'the late answer reached no listener');
  t.equal((await c.request({ type: 0x12, body: () => undefined }).catch((x: unknown) => x)) instanceof TimeoutError, true, 'and settled nothing else');
});

t.test('each request times out after its own silence, whatever the others do', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 40 });
  const since = (t0: number) => (r: unknown): [unknown, number] => [r, performance.now() - t0];
  const first = c.request({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  k.handlers().onDatagram(ack(k.sent[0])); // answered: the shared timer is left for nothing
  await first;
  await new Promise((r) => setTimeout(r, 25));
  const t0 = performance.now();
  const second = c.request({ type: 0x12, body: () => undefined }).then(since(t0), since(t0));
  // A dump answered every 10 ms for 100 ms: never silent for 40 ms, so it does not time out.
  const t1 = performance.now();
  const dump = c.dump({ type: 0x12, body: () => undefined }).then(since(t1));
  await new Promise((r) => setImmediate(r));
  const d = k.sent[2];
  for (let i = 1; i <= 10; i++) {
    await new Promise((r) => setTimeout(r, 10));
    k.handlers().onDatagram(item(d, i));
  }
  k.handlers().onDatagram(doneMsg(d));
  const [e, waited] = await second;
  t.type(e, TimeoutError, 'the unanswered request times out');
  t.ok(waited >= 39, `not before its own 40 ms (the first request's would have ended at 15): ${waited.toFixed(1)} ms`);
  const [items, took] = await dump;
  t.equal((items as unknown[]).length, 10, 'the dump that kept answering got all its items');
  t.ok(took >= 100, 'over twice its timeout');
});

t.test('the window holds requests back until answers come', async (t) => {
  const held: Array<() => void> = [];
  const k = fakeKernel((h, reply) => held.push(() => reply(ack(h))));
  const c = k.client({ maxInFlight: 3 });
  const all = Promise.all(Array.from({ length: 10 }, () => c.request({ type: 0x12, body: () => undefined })));
  await new Promise((r) => setTimeout(r, 5));
  t.equal(k.sent.length, 3, 'only three sent');
  while (k.sent.length < 10 || held.length > 0) {
    held.shift()?.();
    await new Promise((r) => setTimeout(r, 1));
  }
  t.equal((await all).length, 10);
});

t.test('messages for no request go to notification listeners; garbage is a ProtocolError', async (t) => {
  const k = fakeKernel(() => undefined);
  const seen: number[] = [];
  const errors: unknown[] = [];
  let handlers: SocketHandlers | undefined;
  const c = new Client({
    transport: (h) => { handlers = h; return { fd: -1, port: 1, send: () => undefined, drain: () => undefined, pause: () => undefined, resume: () => undefined, setReferenced: () => undefined, joinGroup: () => undefined, leaveGroup: () => undefined, close: () => undefined }; },
  });
  c.onNotification((m) => seen.push(m.header.type));
  c.onError((e) => errors.push(e));
  handlers?.onDatagram(nlmsg(0x10, 0, 0, 0, []));
  handlers?.onDatagram(Uint8Array.from([1, 2, 3]));
  t.same(seen, [0x10]);
  t.equal(errors.length, 1);
  t.type(errors[0], ProtocolError);
  t.equal(k.sent.length, 0);
});

t.test('closing fails what still waits', async (t) => {
  const k = fakeKernel(() => undefined);
  const c = k.client();
  const p = c.request({ type: 0x12, body: () => undefined }).catch((e: unknown) => e);
  c.close();
  t.match(String(await p), /socket closed before the answer came/);
});

/** A transport whose handlers the test holds: it plays the kernel by hand. */
function handTransport(): { client: (o?: object) => Client; handlers: () => SocketHandlers; sent: NlHeader[] } {
  let handlers: SocketHandlers | undefined;
  const sent: NlHeader[] = [];
  const transport = (h: SocketHandlers): Transport => {
    handlers = h;
    return {
      fd: -1, port: 1, send: (b) => { for (const m of parseMessages(b)) sent.push(m.header); }, drain: () => undefined, pause: () => undefined, resume: () => undefined, setReferenced: () => undefined,
      joinGroup: () => undefined, leaveGroup: () => undefined, close: () => undefined,
    };
  };
  return { client: (o = {}) => new Client({ transport, ...o }), handlers: () => handlers as SocketHandlers, sent };
}

const overflow = (): OverflowError => new OverflowError({ errno: 105, text: 'receive buffer overflowed' });

t.test('a datagram from another namespace (allNsid) is a notification with its nsid, whatever its sequence number', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  const notified: Array<[number, number | undefined]> = [];
  const errors: string[] = [];
  c.onNotification((m, nsid) => notified.push([m.payload[0], nsid]));
  c.onError((e) => errors.push(e.message));
  const get = c.request({ type: 0x12, name: 'RTM_GETLINK', body: () => undefined });
  await new Promise((r) => setImmediate(r));
  const [h] = k.sent;
  k.handlers().onDatagram(Uint8Array.from([...item(h, 3, 0), ...item(h, 4, 0)]), 5); // the peer's, under the same seq
  k.handlers().onDatagram(item(h, 6, 0), 0); // nsid 0 is an id like any other
  k.handlers().onDatagram(Uint8Array.of(1, 2, 3), 5);
  k.handlers().onDatagram(Uint8Array.from([...item(h, 7, 0), ...ack(h)]));
  t.same((await get).map((m) => m.payload[0]), [7], 'the request gets only its own answer');
  t.same(notified, [[3, 5], [4, 5], [6, 0]], 'each of the peer\'s messages to the listeners, with its id');
  t.same(errors, ['undecodable datagram from nsid 5: 3 bytes, too short for a netlink header (at byte 0)'], 'one that does not parse is a socket error, failing no request');
});

t.test('allNsid is true or false', async (t) => {
  const k = handTransport();
  for (const bad of [1, 'yes', null]) {
    t.throws(() => k.client({ allNsid: bad }), { name: 'InvalidArgumentError', message: `open options: allNsid must be true or false, not ${JSON.stringify(bad)}` });
  }
  t.doesNotThrow(() => k.client({ allNsid: false }));
});

t.test('after an overflow a change whose answer may be lost ends at once, saying its outcome is unknown', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  c.onError(() => undefined);
  const change = c.request({ type: 0x10, name: 'RTM_NEWLINK', body: () => undefined }).catch((e: unknown) => e);
  k.handlers().onError(overflow());
  const e = await change;
  t.type(e, OverflowError);
  t.match((e as Error).message, /may or may not have done it/);
  t.equal((e as OverflowError).request?.name, 'RTM_NEWLINK');
});

t.test('after an overflow gets and dumps are sent again, and late parts of the old ones are dropped', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  const notified: number[] = [];
  c.onNotification((m) => notified.push(m.header.seq));
  c.onError(() => undefined);
  const get = c.request({ type: 0x12, name: 'RTM_GETLINK', idempotent: true, body: () => undefined });
  const dump = c.dump({ type: 0x12, name: 'RTM_GETLINK', body: () => undefined });
  await new Promise((r) => setImmediate(r));
  const [getSeq, dumpSeq] = k.sent.map((h) => h.seq);
  k.handlers().onDatagram(item({ ...k.sent[1] }, 1)); // a first part of the dump, then the overflow
  k.handlers().onError(overflow());
  t.equal(k.sent.length, 2, 'not from inside the drain that met the overflow');
  await new Promise((r) => setImmediate(r));
  t.equal(k.sent.length, 4, 'both sent again once it is drained');
  const [get2, dump2] = k.sent.slice(2);
  t.not(get2.seq, getSeq, 'under new sequence numbers');
  k.handlers().onDatagram(item({ ...k.sent[1], seq: dumpSeq }, 9)); // a late part of the old dump
  k.handlers().onDatagram(Uint8Array.from([...item(get2, 7, 0), ...ack(get2)]));
  k.handlers().onDatagram(Uint8Array.from([...item(dump2, 2), ...doneMsg(dump2)]));
  t.same((await get).map((m) => m.payload[0]), [7]);
  t.same((await dump).map((m) => m.payload[0]), [2], 'the dump is the new one, whole');
  t.same(notified, [], 'nothing of the old requests reaches the notification listeners');
});

t.test('a throwing notification listener stops no other, nor the rest of the datagram', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  const seen: string[] = [];
  const errors: Error[] = [];
  c.onNotification(() => { seen.push('first'); throw new Error('boom'); });
  c.onNotification(() => { seen.push('second'); });
  c.onError((e) => errors.push(e));
  const req = c.request({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  const h = k.sent[0];
  k.handlers().onDatagram(Uint8Array.from([...nlmsg(0x10, 0, 0, 0, []), ...item(h, 5, 0), ...ack(h)]));
  t.same(seen, ['first', 'second']);
  t.same((await req).map((m) => m.payload[0]), [5], 'the reply in the same datagram still answers its request');
  t.equal(errors.length, 1);
  t.match(errors[0].message, /a notification listener threw: Error: boom/);
});

t.test('a datagram that does not parse fails its request at once', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  const req = c.request({ type: 0x12, name: 'RTM_GETLINK', body: () => undefined }).catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  const h = k.sent[0];
  const broken = nlmsg(0x10, 0, h.seq, 0, [1, 2, 3, 4]);
  new DataView(broken.buffer).setUint32(0, 400, true); // claims more bytes than there are
  k.handlers().onDatagram(broken);
  const e = await req;
  t.type(e, ProtocolError);
  t.equal((e as ProtocolError).request?.name, 'RTM_GETLINK');
});

t.test('an answer that comes after its timeout is dropped, not taken for a notification', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 5 });
  const notified: number[] = [];
  c.onNotification((m) => notified.push(m.header.type));
  const e = await c.request({ type: 0x12, body: () => undefined }).catch((x: unknown) => x);
  t.type(e, TimeoutError);
  k.handlers().onDatagram(Uint8Array.from([...item(k.sent[0], 1, 0), ...ack(k.sent[0])]));
  t.same(notified, []);
});

t.test('a datagram lost to its size is handled as an overflow: the get is asked again', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  c.onError(() => undefined);
  const get = c.request({ type: 0x12, idempotent: true, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  k.handlers().onError(new NetlinkError({ errno: 90, text: 'a 300000-byte datagram did not fit the receive buffer and was lost' }));
  await new Promise((r) => setImmediate(r));
  t.equal(k.sent.length, 2, 'sent again');
  k.handlers().onDatagram(Uint8Array.from([...item(k.sent[1], 3, 0), ...ack(k.sent[1])]));
  t.same((await get).map((m) => m.payload[0]), [3]);
});

t.test('requests made in one turn go to the kernel in one datagram, each answered', async (t) => {
  let datagrams = 0;
  const k = fakeKernel((h, reply) => reply(Uint8Array.from([...item(h, h.seq & 0xff, 0), ...ack(h)])));
  const c = k.client();
  const orig = k.sent;
  const answers = await Promise.all(Array.from({ length: 10 }, () => c.request({ type: 0x12, body: () => undefined })));
  t.equal(orig.length, 10, 'ten requests sent');
  t.same(answers.map((r) => r[0].payload[0]), orig.map((h) => h.seq & 0xff), 'each matched to its own answer');
  // The fake counts messages; count datagrams through a second client whose transport counts sends.
  const counting = new Client({
    transport: (h) => ({
      fd: -1, port: 1, drain: () => undefined, pause: () => undefined, resume: () => undefined, setReferenced: () => undefined,
      joinGroup: () => undefined, leaveGroup: () => undefined, close: () => undefined,
      send: (b) => {
        datagrams++;
        for (const { header } of parseMessages(b)) queueMicrotask(() => h.onDatagram(ack(header)));
      },
    }),
  });
  await Promise.all(Array.from({ length: 10 }, () => counting.request({ type: 0x12, body: () => undefined })));
  t.equal(datagrams, 1, 'in one send');
});

t.test('a dump\'s result is not kept alive by the client once the caller drops it', async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const k = fakeKernel((h, reply) => { reply(item(h, 1)); reply(doneMsg(h)); });
  const c = k.client();
  let result: object | undefined = await c.dump({ type: 0x12, body: () => undefined });
  const ref = new WeakRef(result);
  result = undefined;
  await new Promise((r) => setImmediate(r));
  gc();
  t.equal(ref.deref(), undefined, 'collected');
  c.close();
});

t.test('replies are matched by sequence number, not by order: answers given in reverse reach their own requests', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  const asked = Array.from({ length: 5 }, () => c.request({ type: 0x12, body: () => undefined }));
  await new Promise((r) => setImmediate(r));
  t.equal(k.sent.length, 5);
  // The answers in one datagram, the last request's first; each carries its request's position.
  const bytes = [...k.sent.entries()].reverse().flatMap(([i, h]) => [...item(h, i + 1, 0), ...ack(h)]);
  k.handlers().onDatagram(Uint8Array.from(bytes));
  t.same((await Promise.all(asked)).map((r) => r.map((m) => m.payload[0])), [[1], [2], [3], [4], [5]]);
});

t.test('an answered request leaves no timer that holds the process (it would linger until its timeout)', async (t) => {
  const live = new Set<unknown>();
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  t.teardown(() => Object.assign(globalThis, { setTimeout: set, clearTimeout: clear }));
  Object.assign(globalThis, {
    setTimeout: (...a: Parameters<typeof set>) => { const h = set(...a); live.add(h); return h; },
    clearTimeout: (h: Parameters<typeof clear>[0]) => { live.delete(h); clear(h); },
  });
  const k = fakeKernel((h, reply) => { reply(item(h, 1, 0)); reply(ack(h)); });
  const c = k.client({ timeout: 10_000 });
  await c.request({ type: 0x12, body: () => undefined });
  await c.dump({ type: 0x12, body: () => undefined }).catch(() => undefined);
  const holding = [...live].filter((h) => (h as ReturnType<typeof set>).hasRef());
  t.equal(holding.length, 0, 'no timer the requests set still holds the process');
  c.close();
  Object.assign(globalThis, { setTimeout: set, clearTimeout: clear });
  t.equal(live.size, 0, 'close() clears the rest');
  for (const h of live) clear(h as ReturnType<typeof set>);
});

t.test('the window gives one place back per answer, not only when it is empty', async (t) => {
  const held: Array<() => void> = [];
  const k = fakeKernel((h, reply) => held.push(() => reply(ack(h))));
  const c = k.client({ maxInFlight: 3 });
  const all = Promise.all(Array.from({ length: 6 }, () => c.request({ type: 0x12, body: () => undefined })));
  await new Promise((r) => setTimeout(r, 5));
  t.equal(k.sent.length, 3, 'three in flight');
  held.shift()?.();
  await new Promise((r) => setTimeout(r, 5));
  t.equal(k.sent.length, 4, 'one answer, one more sent (two still in flight)');
  while (held.length > 0 || k.sent.length < 6) {
    held.shift()?.();
    await new Promise((r) => setTimeout(r, 1));
  }
  t.equal((await all).length, 6);
});

t.test('options of the wrong type or range are refused, naming them', async (t) => {
  const k = fakeKernel((h, reply) => reply(ack(h)));
  for (const [key, min] of [['timeout', 0], ['dumpRetries', 0], ['maxInFlight', 1], ['receiveBuffer', 0], ['protocol', 0]] as const) {
    for (const bad of [min - 1, 0x80000000, 1.5, '5']) {
      t.throws(() => k.client({ [key]: bad }), { name: 'InvalidArgumentError', message: `open options: ${key} must be an integer from ${min}, not ${JSON.stringify(bad)}` }, `${key} ${JSON.stringify(bad)}`);
    }
    t.doesNotThrow(() => k.client({ [key]: 0x7fffffff }), `${key} 2^31-1`);
    t.doesNotThrow(() => k.client({ [key]: min }), `${key} ${min}`);
  }
  for (const bad of [[0], [1024], [1.5], 'x', [1, 'x']]) {
    t.throws(() => k.client({ groups: bad }), { message: `open options: groups must be an array of RTNLGRP_* numbers, not ${JSON.stringify(bad)}` }, `groups ${JSON.stringify(bad)}`);
  }
  t.doesNotThrow(() => k.client({ groups: [1, 1023] }));
});

t.test('the socket keeps the process alive while answers are awaited, and no longer (unless kept alive)', async (t) => {
  let hold: Array<() => void> = [];
  const k = fakeKernel((h, reply) => hold.push(() => reply(ack(h))));
  const c = k.client({ timeout: 0 });
  const a = c.request({ type: 0x12, body: () => undefined });
  const b = c.request({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  t.same(k.referenced, [true, true], 'referenced while asked');
  hold.shift()?.();
  await a;
  t.same(k.referenced, [true, true], 'still, with one answer awaited');
  hold.shift()?.();
  await b;
  t.same(k.referenced, [true, true, false], 'released with the last answer');
  c.keepAlive(true);
  const d = c.request({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  hold.shift()?.();
  await d;
  t.equal(k.referenced.at(-1), true, 'kept alive: not released');
  hold = [];
});

t.test('a turn\'s requests go in one datagram until it reaches 64 KiB, then the next starts', async (t) => {
  const k = fakeKernel((h, reply) => reply(ack(h)));
  const c = k.client();
  const big = { type: 0x12, body: (w: { zeros(n: number): unknown }) => { w.zeros(40 * 1024); } };
  await Promise.all([c.request(big), c.request(big), c.request(big)]);
  t.same(k.datagrams.map((d) => parseMessages(d).length), [2, 1], 'two together (80 KiB, sent as the limit is passed), the third apart');
});

t.test('listeners can be removed; an interrupted dump says how many times; an undecodable answer says why', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  const seen: number[] = [];
  const off = c.onNotification((m) => seen.push(m.header.type));
  k.handlers().onDatagram(nlmsg(0x10, 0, 0, 0, []));
  off();
  k.handlers().onDatagram(nlmsg(0x11, 0, 0, 0, []));
  t.same(seen, [0x10], 'nothing after removal');
  const errors: unknown[] = [];
  const offErr = c.onError((e) => errors.push(e));
  offErr();
  const warned = new Promise((r) => process.once('warning', r));
  k.handlers().onDatagram(Uint8Array.from([1, 2, 3]));
  t.match(await warned, { name: 'NetlinkWarning', message: /undecodable datagram: / }, 'with no listener left, a process warning');
  t.same(errors, [], 'the removed listener heard nothing');
  const req = c.request({ type: 0x12, name: 'RTM_GETLINK', body: () => undefined }).catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  const broken = nlmsg(0x10, 0, k.sent[0].seq, 0, [1, 2, 3, 4]);
  new DataView(broken.buffer).setUint32(0, 400, true);
  k.handlers().onDatagram(broken);
  t.match(await req, { message: 'undecodable datagram: message claims 400 bytes, 20 remain (at byte 0)' });
  const d = fakeKernel((h, reply) => { reply(item(h, 9, MULTI | DUMP_INTR)); reply(doneMsg(h, MULTI | DUMP_INTR)); });
  t.match(await d.client({ dumpRetries: 2 }).dump({ type: 0x12, body: () => undefined }).catch((e: unknown) => e), { message: /dump interrupted by concurrent changes 3 times in a row/ });
});

t.test('the client forgets abandoned sequence numbers past the 1,024 newest; a resend a close() overtook is not sent', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 1, maxInFlight: 2000 });
  const notified: number[] = [];
  c.onNotification((m) => notified.push(m.header.seq));
  const lost = await Promise.all(Array.from({ length: 1025 }, () => c.request({ type: 0x12, body: () => undefined }).catch((e: unknown) => e)));
  t.ok(lost.every((e) => e instanceof TimeoutError), '1,025 requests timed out, each abandoned');
  const [oldest, second] = k.sent.map((h) => h.seq);
  k.handlers().onDatagram(ack({ ...k.sent[1], seq: second }));
  t.same(notified, [], 'a late answer to a remembered one is dropped');
  k.handlers().onDatagram(ack({ ...k.sent[0], seq: oldest }));
  t.same(notified, [oldest], 'the oldest is forgotten: its answer reaches the listeners as any message would');

  const r = handTransport();
  const d = r.client({ timeout: 0 });
  d.onError(() => undefined);
  const get = d.request({ type: 0x12, idempotent: true, body: () => undefined }).catch((e: unknown) => e);
  await new Promise((go) => setImmediate(go));
  r.handlers().onError(overflow());
  d.close();
  await new Promise((go) => setImmediate(go));
  t.equal(r.sent.length, 1, 'no resend after close()');
  t.match(await get, { code: 'ECANCELED', message: /socket closed before the answer came/, request: { type: 0x12 } }, 'the request\'s own error, naming it');
});

t.test('a resend whose answer is lost too (the kernel reports one overflow until the queue empties) is sent again', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  c.onError(() => undefined);
  const get = c.request({ type: 0x12, name: 'RTM_GETLINK', idempotent: true, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  k.handlers().onError(overflow());
  await new Promise((r) => setImmediate(r));
  t.equal(k.sent.length, 2, 'sent again after the overflow; its answer never comes');
  const started = Date.now();
  while (k.sent.length < 3 && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 20));
  t.equal(k.sent.length, 3, 'and again when nothing came');
  const last = k.sent[2];
  t.not(last.seq, k.sent[1].seq, 'under a new sequence number');
  k.handlers().onDatagram(Uint8Array.from([...item(last, 5, 0), ...ack(last)]));
  t.same((await get).map((m) => m.payload[0]), [5], 'answered');
  await new Promise((r) => setTimeout(r, 450));
  t.equal(k.sent.length, 3, 'nothing more once answered');
});

/** The kernel's answer to a dump in one datagram: `n` items, then DONE. */
const oneDatagramDump = (n: number) => (h: NlHeader, reply: (b: Uint8Array) => void): void =>
  reply(Uint8Array.from([...Array.from({ length: n }, (_, i) => [...item(h, i)]).flat(), ...doneMsg(h)]));

t.test('a streamed dump decodes a big datagram a few messages at a time, the event loop turning between', async (t) => {
  const k = fakeKernel(oneDatagramDump(100));
  let turns = 0;
  let going = true;
  const tick = (): void => { if (going) { turns++; setImmediate(tick); } };
  setImmediate(tick);
  const turnsAt: number[] = [];
  // Slow decoding (half a millisecond a message): a datagram's worth is longer than a slice.
  const decode = (m: { payload: Uint8Array }): number => {
    const until = performance.now() + 0.5;
    while (performance.now() < until);
    turnsAt.push(turns);
    return m.payload[0];
  };
  const got: number[] = [];
  for await (const batch of k.client().stream({ type: 0x12, body: () => undefined }, decode)) got.push(...batch);
  going = false;
  t.same(got, Array.from({ length: 100 }, (_, i) => i), 'every message, in order');
  t.ok(turnsAt[99] > turnsAt[0], `the event loop turned ${turnsAt[99] - turnsAt[0]} times while the one datagram was decoded`);
});

t.test('a streamed message that does not decode ends the stream with a ProtocolError; the socket goes on', async (t) => {
  const k = fakeKernel((h, reply) => (h.flags & 0x300 ? oneDatagramDump(100)(h, reply) : reply(ack(h))));
  const c = k.client();
  const got: number[] = [];
  const decode = (m: { payload: Uint8Array }): number => {
    if (m.payload[0] === 50) throw new DecodeError('bad bytes');
    return m.payload[0];
  };
  const e = await (async () => {
    for await (const batch of c.stream({ type: 0x12, name: 'RTM_GETROUTE', body: () => undefined }, decode)) got.push(...batch);
  })().catch((e: unknown) => e);
  t.type(e, ProtocolError);
  t.match(e, { code: 'EPROTO', request: { name: 'RTM_GETROUTE' }, message: /bad bytes/ });
  t.same(got, Array.from({ length: got.length }, (_, i) => i), 'what came before it, in order');
  t.ok(got.length < 50, 'nothing at or after the bad message');
  t.same(await c.request({ type: 0x13, body: () => undefined }), [], 'the next request is answered');
});

t.test('a turn reaching exactly 64 KiB is sent at once, not at the end of the turn', async (t) => {
  const k = fakeKernel((h, reply) => reply(ack(h)));
  const c = k.client();
  const exact = c.request({ type: 0x12, body: (w) => { w.zeros(64 * 1024 - 16); } });
  t.equal(k.datagrams.length, 1, 'sent inside request(): 16 header bytes and 65,520 of body are 64 KiB');
  const under = c.request({ type: 0x12, body: (w) => { w.zeros(64 * 1024 - 20); } });
  t.equal(k.datagrams.length, 1, 'four bytes short of it: it waits for the turn to end');
  await Promise.all([exact, under]);
  t.equal(k.datagrams.length, 2);
});

t.test('sequence numbers wrap past 2^32 - 1, skipping 0 and the numbers still in use', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  const seqOf = c as unknown as { seq: number };
  seqOf.seq = 0xfffffffe;
  const first = c.request({ type: 0x12, body: () => undefined });
  const second = c.request({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  t.same(k.sent.map((h) => h.seq), [0xffffffff, 1], 'after 2^32 - 1 comes 1: 0 is the kernel\'s own');
  seqOf.seq = 0xfffffffe;
  const third = c.request({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  t.equal(k.sent[2].seq, 2, '2^32 - 1 and 1 are still waiting for answers: the next free number');
  for (const h of k.sent) k.handlers().onDatagram(ack(h));
  await Promise.all([first, second, third]);
});

/** A fake kernel that answers dumps by hand, and records flow control: stream() tests. */
function streamKernel(consumed: () => number = () => 0): {
  client: Client; reply: (h: NlHeader, items: number[], done?: boolean, flags?: number) => void; datagram: (b: Uint8Array) => void;
  sent: NlHeader[]; calls: string[]; log: string[]; offThread: boolean[];
} {
  let handlers: SocketHandlers | undefined;
  const sent: NlHeader[] = [];
  /** Whether reads were off the main thread: at each send, and at each change. */
  const offThread: boolean[] = [];
  let off = false;
  const calls: string[] = [];
  /** Each call with how many items the consumer had by then. */
  const log: string[] = [];
  const call = (c: string): void => { calls.push(c); log.push(`${c}@${consumed()}`); };
  const client = new Client({
    transport: (h) => {
      handlers = h;
      return {
        fd: -1, port: 1, send: (b) => { for (const m of parseMessages(b)) sent.push(m.header); offThread.push(off); },
        drain: () => undefined, pause: () => call('pause'), resume: () => call('resume'),
        readOffThread: (on) => { off = on; offThread.push(on); },
        setReferenced: () => undefined, joinGroup: () => undefined, leaveGroup: () => undefined, close: () => undefined,
      };
    },
  });
  const reply = (h: NlHeader, items: number[], done = false, flags = MULTI): void => {
    handlers?.onDatagram(Uint8Array.from([...items.flatMap((n) => [...item(h, n, flags)]), ...(done ? doneMsg(h, flags) : [])]));
  };
  return { client, reply, datagram: (b) => handlers?.onDatagram(b), sent, calls, log, offThread };
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

t.test('a streamed dump stops the socket while the consumer lags behind the high-water mark, and goes on', async (t) => {
  const k = streamKernel();
  const got: number[] = [];
  const sizes: number[] = [];
  const iterating = (async () => {
    for await (const batch of k.client.stream({ type: 0x12, body: () => undefined }, (m) => m.payload[0], 10)) {
      sizes.push(batch.length);
      got.push(...batch);
    }
  })();
  await new Promise((r) => setImmediate(r));
  const h = k.sent[0];
  k.reply(h, range(0, 10));
  t.same(k.calls, [], 'ten messages waiting: at the mark, not above it');
  k.reply(h, range(10, 40));
  t.same(k.calls, ['pause'], 'fifty waiting: the socket is not read');
  await new Promise((r) => setTimeout(r, 20));
  t.equal(k.calls.at(-1), 'resume', 'read again once the consumer has caught up, before the dump ends');
  k.reply(h, [], true);
  await iterating;
  t.same(got, range(0, 50), 'every message, in order');
  t.ok(sizes.every((n) => n > 0 && n <= 32), `decoded in steps of at most 32, none empty (${sizes.join(' ')})`);
});

t.test('a streamed dump is read off the main thread from before its request until its end; a dump after it is not', async (t) => {
  const k = streamKernel();
  const iterating = (async () => {
    for await (const batch of k.client.stream({ type: 0x12, body: () => undefined }, (m) => m.payload[0])) if (batch.length === 0) break;
  })();
  await new Promise((r) => setImmediate(r));
  t.same(k.offThread, [true, true], 'on, then the request sent');
  k.reply(k.sent[0], range(0, 3), true);
  await iterating;
  t.same(k.offThread, [true, true, false], 'off once it ended');
  const listed = k.client.dump({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  k.reply(k.sent[1], [7], true);
  t.equal((await listed).length, 1);
  t.same(k.offThread, [true, true, false, false, false], 'a dump of one datagram is read in this thread (off at its send and its end)');
});

t.test('a request answered while a stream runs leaves the stream\'s reads off the main thread', async (t) => {
  const k = streamKernel();
  const iterating = (async () => {
    for await (const batch of k.client.stream({ type: 0x12, body: () => undefined }, (m) => m.payload[0])) if (batch.length === 0) break;
  })();
  await new Promise((r) => setImmediate(r));
  const asked = k.client.request({ type: 0x10, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  k.datagram(ack(k.sent[1]));
  await asked;
  t.same(k.offThread, [true, true, true], 'on for the stream; the request sent with it on, and answered: still on');
  k.reply(k.sent[0], [1], true);
  await iterating;
  t.same(k.offThread.at(-1), false, 'off once the stream ended');
});

t.test('a listed dump is read off the main thread from its fourth datagram until it ends; one of three datagrams never', async (t) => {
  const k = streamKernel();
  const small = k.client.dump({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  k.reply(k.sent[0], [1]);
  k.reply(k.sent[0], [2]);
  k.reply(k.sent[0], [3], true);
  t.equal((await small).length, 3);
  t.same(k.offThread, [false, false], 'three datagrams: read here all along (off at its send, off at its end)');
  const big = k.client.dump({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 3; i++) k.reply(k.sent[1], [i]);
  t.same(k.offThread, [false, false, false], 'three parts in: still here');
  k.reply(k.sent[1], [3]);
  t.same(k.offThread, [false, false, false, true], 'the fourth: the rest in the pool');
  k.reply(k.sent[1], [4], true);
  t.equal((await big).length, 5);
  t.same(k.offThread, [false, false, false, true, false], 'back here once it ended');
  const failed = k.client.dump({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 4; i++) k.reply(k.sent[2], [i]);
  k.datagram(ack(k.sent[2], 22));
  await t.rejects(failed, { code: 'EINVAL' });
  t.same(k.offThread.slice(5), [false, true, false], 'a dump that fails half-way: back here too');
});

t.test('a streamed dump that fails sets reads back in the main thread', async (t) => {
  const k = streamKernel();
  const iterating = (async () => {
    for await (const batch of k.client.stream({ type: 0x12, body: () => undefined }, (m) => m.payload[0])) if (batch.length === 0) break;
  })();
  await new Promise((r) => setImmediate(r));
  k.datagram(ack(k.sent[0], 22));
  await t.rejects(iterating, { code: 'EINVAL' });
  t.same(k.offThread, [true, true, false]);
});

t.test('a streamed dump the consumer leaves: the rest is read and dropped, the socket never left stopped', async (t) => {
  const k = streamKernel();
  let taken = 0;
  const iterating = (async () => {
    for await (const batch of k.client.stream({ type: 0x12, body: () => undefined }, (m) => m.payload[0], 10)) {
      taken += batch.length;
      break;
    }
  })();
  await new Promise((r) => setImmediate(r));
  const h = k.sent[0];
  k.reply(h, range(0, 5));
  await new Promise((r) => setImmediate(r));
  const before = k.calls.length;
  k.reply(h, range(5, 50));
  t.same(k.calls.slice(before).filter((c) => c === 'pause'), [], 'what comes after the consumer left is not queued: no pause');
  k.reply(h, [], true);
  await iterating;
  t.equal(taken, 5);
  t.equal(k.calls.at(-1), 'resume', 'the socket is read again after');
});

t.test('a streamed dump ends when its DONE comes alone, after the consumer has taken everything', async (t) => {
  const k = streamKernel();
  const got: number[] = [];
  const iterating = (async () => {
    for await (const batch of k.client.stream({ type: 0x12, body: () => undefined }, (m) => m.payload[0])) got.push(...batch);
  })();
  await new Promise((r) => setImmediate(r));
  k.reply(k.sent[0], [1, 2]);
  await new Promise((r) => setTimeout(r, 10));
  k.reply(k.sent[0], [], true);
  await iterating;
  t.same(got, [1, 2]);
});

t.test('a streamed dump that fails or is interrupted ends with the error, after what it gave', async (t) => {
  const k = streamKernel();
  const failing = (async () => {
    for await (const _ of k.client.stream({ type: 0x12, name: 'RTM_GETROUTE', body: () => undefined }, (m) => m.payload[0])) void _;
  })().catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  const h = k.sent[0];
  k.reply(h, [1]);
  k.datagram(nlmsg(NLMSG_DONE, MULTI, h.seq, 0, [...le32(-95 >>> 0)])); // a DONE carrying an error: a dump's failure
  t.match(await failing, { errno: 95, request: { name: 'RTM_GETROUTE' } }, 'the kernel\'s error, naming the request');

  const got: number[] = [];
  const interrupted = (async () => {
    for await (const batch of k.client.stream({ type: 0x12, body: () => undefined }, (m) => m.payload[0])) got.push(...batch);
  })().catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  k.reply(k.sent[1], [7, 8], true, MULTI | DUMP_INTR);
  const e = await interrupted;
  t.type(e, DumpInterruptedError);
  t.match(e, { message: /dump interrupted by concurrent changes: what it gave may be inconsistent/ });
  t.same((e as DumpInterruptedError).partial, [], 'what it gave went to the consumer, not into the error');
  t.same(got, [7, 8], 'what it gave came first');
});

t.test('a dump whose DONE carries an error rejects with it, saying it ended the dump; a refused one does not', async (t) => {
  const k = fakeKernel((h, reply) => { reply(item(h, 1)); reply(nlmsg(NLMSG_DONE, MULTI, h.seq, 0, [...le32(-95 >>> 0)])); });
  const ended = await k.client().dump({ type: 0x12, name: 'RTM_GETLINK', body: () => undefined }).catch((e: unknown) => e);
  t.match(ended, { errno: 95, request: { name: 'RTM_GETLINK' }, endedDump: true });
  t.equal((ended as NetlinkError).about('links').endedDump, true, 'kept when the subject is named');
  const interrupted = new DumpInterruptedError({ errno: 4, text: 'interrupted' });
  interrupted.partial = [1, 2];
  t.same(interrupted.about('routes').partial, [1, 2], 'so is what a call did before the error');
  const refused = await fakeKernel((h, reply) => reply(ack(h, 95))).client().dump({ type: 0x12, body: () => undefined }).catch((e: unknown) => e);
  t.match(refused, { errno: 95 });
  t.equal((refused as NetlinkError).endedDump, undefined, 'an NLMSG_ERROR refusing the dump');
});

t.test('keepAlive and groups reach the socket; the window\'s waiters keep it referenced', async (t) => {
  const referenced: boolean[] = [];
  const groups: string[] = [];
  let handlers: SocketHandlers | undefined;
  const sent: NlHeader[] = [];
  const c = new Client({
    maxInFlight: 1, timeout: 0,
    transport: (h) => {
      handlers = h;
      return {
        fd: -1, port: 1, send: (b) => { for (const m of parseMessages(b)) sent.push(m.header); }, drain: () => undefined, pause: () => undefined, resume: () => undefined,
        setReferenced: (on) => referenced.push(on), joinGroup: (g) => groups.push(`join ${g}`), leaveGroup: (g) => groups.push(`leave ${g}`), close: () => undefined,
      };
    },
  });
  c.joinGroup(3);
  c.leaveGroup(3);
  t.same(groups, ['join 3', 'leave 3']);
  c.keepAlive(true);
  c.keepAlive(false);
  t.same(referenced, [true, false], 'kept alive, then not, with nothing asked');
  const a = c.request({ type: 0x12, body: () => undefined });
  const b = c.request({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  c.keepAlive(false);
  t.equal(referenced.at(-1), true, 'not released while an answer is awaited');
  referenced.length = 0;
  handlers?.onDatagram(ack(sent[0]));
  await a;
  await new Promise((r) => setImmediate(r));
  t.notOk(referenced.includes(false), 'not released between an answer and the waiter it lets go');
  handlers?.onDatagram(ack(sent[1]));
  await b;
  t.equal(referenced.at(-1), false, 'released with the last');
});

t.test('a request whose body does not encode fails alone, naming it; the rest of the turn goes out whole', async (t) => {
  const k = fakeKernel((h, reply) => reply(ack(h)));
  const c = k.client();
  const named = c.request({ type: 0x12, name: 'RTM_NEWLINK', body: (w) => { w.zeros(8); throw new EncodeError('mtu: not a number'); } }).catch((e: unknown) => e);
  const unnamed = c.request({ type: 0x12, body: (w) => { w.zeros(8); throw new EncodeError('bad'); } }).catch((e: unknown) => e);
  const other = c.request({ type: 0x12, body: () => { throw new TypeError('a bug'); } }).catch((e: unknown) => e);
  const fine = c.request({ type: 0x13, body: (w) => { w.u32(7); } });
  t.match(await named, { name: 'InvalidArgumentError', code: 'EINVAL', message: /RTM_NEWLINK.*mtu: not a number/ });
  t.match(await unnamed, { name: 'InvalidArgumentError', message: /request 18/ });
  t.type(await other, TypeError, 'anything else as it was thrown');
  t.same(await fine, [], 'the good request answered');
  t.same(k.datagrams.map((d) => parseMessages(d).map((m) => [m.header.type, m.payload.length])), [[[0x13, 4]]], 'sent alone, nothing of the failed ones before it');
});

t.test('a datagram of exactly a header\'s first 12 bytes that does not parse fails the request its sequence number names', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  const r = c.request({ type: 0x12, body: () => undefined }).catch((e: unknown) => e);
  await new Promise((go) => setImmediate(go));
  k.handlers().onDatagram(Uint8Array.from([...le32(99), 2, 0, 0, 0, ...le32(k.sent[0].seq)]));
  t.type(await r, ProtocolError);
});

t.test('a timeout says how long it waited; an error listener that throws becomes a process warning', async (t) => {
  const k = fakeKernel(() => undefined);
  const c = k.client({ timeout: 5 });
  t.match(await c.request({ type: 0x12, body: () => undefined }).catch((e: unknown) => e), { code: 'ETIMEDOUT', message: /no answer within 5 ms/ });
  const r = handTransport();
  const d = r.client({ timeout: 0 });
  d.onError(() => { throw new Error('listener bug'); });
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => { warnings.push(w); };
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  r.handlers().onError(overflow());
  await new Promise((go) => setImmediate(go));
  t.match(warnings, [{ name: 'NetlinkWarning', message: /an rtnl error listener threw: Error: listener bug/ }]);
});

t.test('a resend after an overflow that cannot be sent fails its request with the send\'s error', async (t) => {
  let sends = 0;
  let handlers: SocketHandlers | undefined;
  const c = new Client({
    timeout: 0,
    transport: (h) => {
      handlers = h;
      return {
        fd: -1, port: 1, send: () => { if (++sends > 1) throw new Error('socket gone'); }, drain: () => undefined, pause: () => undefined, resume: () => undefined,
        setReferenced: () => undefined, joinGroup: () => undefined, leaveGroup: () => undefined, close: () => undefined,
      };
    },
  });
  c.onError(() => undefined);
  const get = c.request({ type: 0x12, idempotent: true, body: () => undefined }).catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  handlers?.onError(overflow());
  t.match(await get, { message: 'socket gone' });
});

t.test('a stream reads the socket again once at most half the high-water mark waits; a full step is no empty batch', async (t) => {
  for (const [second, expected] of [[5, ['resume@0', 'resume@11']], [8, ['resume@11']]] as const) {
    let got = 0;
    const k = streamKernel(() => got);
    const sizes: number[] = [];
    const iterating = (async () => {
      for await (const batch of k.client.stream({ type: 0x12, body: () => undefined }, (m) => m.payload[0], 10)) {
        got += batch.length;
        sizes.push(batch.length);
      }
    })();
    await new Promise((r) => setImmediate(r));
    const h = k.sent[0];
    k.reply(h, range(0, 11));
    k.reply(h, range(11, second));
    await new Promise((r) => setTimeout(r, 20));
    t.same(k.log, ['pause@0', 'pause@0', ...expected], `11 then ${second} waiting: read again when ${expected.length === 2 ? 'the first is taken (5 left, half the mark)' : 'all are taken (8 left is above half the mark)'}`);
    k.reply(h, range(0, 32), true);
    await iterating;
    t.same(sizes.slice(-1), [32], 'a datagram of exactly 32 messages is one step, with no empty one after it');
  }
});

t.test('when the socket cannot send, every request of the batch fails with its error', async (t) => {
  const c = new Client({
    transport: () => ({
      fd: -1, port: 1, send: () => { throw new Error('EBADF: socket is closed'); }, drain: () => undefined, pause: () => undefined, resume: () => undefined,
      setReferenced: () => undefined, joinGroup: () => undefined, leaveGroup: () => undefined, close: () => undefined,
    }),
  });
  const both = await Promise.all([0x12, 0x13].map((type) => c.request({ type, body: () => undefined }).catch((e: unknown) => e)));
  t.match(both, [{ message: 'EBADF: socket is closed' }, { message: 'EBADF: socket is closed' }]);
});

t.test('after a send the client reads until its batch is answered, and leaves the rest to the readiness watcher', async (t) => {
  const waiting: Uint8Array[] = [];
  let handlers: SocketHandlers | undefined;
  const c = new Client({
    transport: (h) => {
      handlers = h;
      return {
        fd: -1, port: 1,
        // The kernel answers inside send(); a notification is queued behind the answers.
        send: (b) => { for (const m of parseMessages(b)) waiting.push(ack(m.header)); waiting.push(nlmsg(0x10, 0, 0, 0, [])); },
        drain: (enough) => {
          for (let d = waiting.shift(); d; d = waiting.shift()) {
            handlers?.onDatagram(d);
            if (enough?.()) return;
          }
        },
        pause: () => undefined, resume: () => undefined, setReferenced: () => undefined, joinGroup: () => undefined, leaveGroup: () => undefined, close: () => undefined,
      };
    },
  });
  await Promise.all([c.request({ type: 0x12, body: () => undefined }), c.request({ type: 0x12, body: () => undefined })]);
  t.equal(waiting.length, 1, 'both answers read right away; the notification left where it was');
});

t.test('a dump whose message does not decode fails with a ProtocolError; a bug in the decoder is thrown as it is', async (t) => {
  const k = fakeKernel((h, reply) => { reply(item(h, 1)); reply(doneMsg(h)); });
  const c = k.client();
  t.match(await c.dump({ type: 0x12, name: 'RTM_GETLINK', body: () => undefined }, () => { throw new DecodeError('short'); }).catch((e: unknown) => e),
    { name: 'ProtocolError', code: 'EPROTO', message: /short/, request: { name: 'RTM_GETLINK' } });
  t.type(await c.dump({ type: 0x12, body: () => undefined }, () => { throw new TypeError('bug'); }).catch((e: unknown) => e), TypeError);
  t.same(await c.dump({ type: 0x12, body: () => undefined }, (m) => m.payload[0]), [1], 'the socket goes on');
});

t.test('a dump sent again after an overflow is not sent a third time while its parts are coming', async (t) => {
  const k = handTransport();
  const c = k.client({ timeout: 0 });
  c.onError(() => undefined);
  const dump = c.dump({ type: 0x12, body: () => undefined });
  await new Promise((r) => setImmediate(r));
  k.handlers().onError(overflow());
  await new Promise((r) => setImmediate(r));
  t.equal(k.sent.length, 2, 'sent again once the socket is drained');
  const again = k.sent[1];
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 60));
    k.handlers().onDatagram(item(again, i));
  }
  t.equal(k.sent.length, 2, 'parts kept coming for 360 ms: not sent again');
  k.handlers().onDatagram(doneMsg(again));
  t.same((await dump).map((m) => m.payload[0]), [0, 1, 2, 3, 4, 5]);
});

t.test('keepAlive(false) with an answer awaited keeps the socket referenced', async (t) => {
  const k = fakeKernel(() => undefined);
  const c = k.client({ timeout: 0 });
  const r = c.request({ type: 0x12, body: () => undefined }).catch((e: unknown) => e);
  await new Promise((go) => setImmediate(go));
  c.keepAlive(false);
  t.equal(k.referenced.at(-1), true);
  c.close();
  t.match(await r, { code: 'ECANCELED' });
});
