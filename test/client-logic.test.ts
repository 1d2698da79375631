// The client's matching, retry, timeout and window logic, with a fake kernel in place of the
// socket: the cases a real kernel will not produce on demand (interrupted dumps, silence).
import t from 'tap';
import { Client } from '../src/client.js';
import { DumpInterruptedError, NetlinkError, TimeoutError, ProtocolError } from '../src/errors.js';
import type { SocketHandlers, Transport } from '../src/socket/netlink-socket.js';
import { decodeHeader, type NlHeader } from '../codecs/netlink/message.js';
import { le32, nlmsg } from './helpers/bytes.js';

const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const MULTI = 2;
const DUMP_INTR = 0x10;

/** A fake kernel: `answer` is called with each request header and replies through `reply`. */
function fakeKernel(answer: (h: NlHeader, reply: (b: Uint8Array) => void) => void): { client: (o?: object) => Client; sent: NlHeader[] } {
  const sent: NlHeader[] = [];
  const transport = (h: SocketHandlers): Transport => ({
    fd: -1,
    port: 1234,
    send: (b) => {
      const hdr = decodeHeader(b);
      sent.push(hdr);
      answer(hdr, (r) => queueMicrotask(() => h.onDatagram(r)));
    },
    drain: () => undefined,
    setReferenced: () => undefined,
    joinGroup: () => undefined,
    leaveGroup: () => undefined,
    close: () => undefined,
  });
  return { client: (o = {}) => new Client({ transport, ...o }), sent };
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
  const e = await c.request({ type: 0x12, body: () => undefined }).catch((e: unknown) => e);
  t.type(e, TimeoutError);
  late?.();
  await new Promise((r) => setTimeout(r, 5));
  t.pass('late answer did not throw');
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
    transport: (h) => { handlers = h; return { fd: -1, port: 1, send: () => undefined, drain: () => undefined, setReferenced: () => undefined, joinGroup: () => undefined, leaveGroup: () => undefined, close: () => undefined }; },
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
