// What the library itself costs per request, the kernel left out: the peer benchmark's up+addr
// phase (`link.set(i, { up: true })` then `address.add(...)`, per link) against a fake kernel
// that acks each request inside send() (and echoes an added address, as the kernel does), awaited
// one by one (its first, cold pass too) and issued at once. What the kernel adds is in the peer
// benchmark's figures.
//   npm run bench -- dist/bench/request-cost.js
import { RtNetlink } from '../src/index.js';
import type { SocketHandlers, Transport } from '../src/socket/netlink-socket.js';
import { parseMessages } from '../codecs/netlink/message.js';

const RTM_NEWADDR = 20;
const NLM_F_ECHO = 8;
const N = 1000;

/** NLMSG_ERROR 0 (an ack) for the request `seq` of `len` bytes (capped: the request left out). */
function ack(seq: number, len: number): Uint8Array {
  const b = new Uint8Array(36);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 36, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 0x100, true);
  dv.setUint32(8, seq, true);
  dv.setUint32(20, len, true);
  return b;
}

function fakeKernel(h: SocketHandlers): Transport {
  const none = (): void => undefined;
  return {
    fd: -1, port: 1, drain: none, pause: none, resume: none, setReferenced: none, joinGroup: none, leaveGroup: none, close: none,
    send(data) {
      for (const { header, payload } of parseMessages(data)) {
        if (header.type === RTM_NEWADDR && header.flags & NLM_F_ECHO) {
          const at = payload.byteOffset - data.byteOffset - 16;
          const echo = data.slice(at, at + header.len);
          new DataView(echo.buffer).setUint16(6, 0, true);
          h.onDatagram(echo);
        }
        h.onDatagram(ack(header.seq, header.len));
      }
    },
  };
}

const rt = RtNetlink.openSync({ transport: fakeKernel });
const upAddr = (i: number): Promise<unknown> => rt.link.set(5 + i, { up: true })
  .then(() => rt.address.add({ dev: 5 + i, address: `198.18.${(i + 1) >> 8}.${(i + 1) & 255}/32` }));

async function rounds(label: string, phase: () => Promise<unknown>): Promise<void> {
  for (let r = 0; r < 10; r++) await phase(); // warm up
  const times: number[] = [];
  for (let r = 0; r < 20; r++) {
    const t = performance.now();
    await phase();
    times.push((performance.now() - t) / (2 * N) * 1000);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(36)} ${times[10].toFixed(1).padStart(5)} µs per request (median of 20; best ${times[0].toFixed(1)})`);
}

const awaited = async (): Promise<void> => { for (let i = 0; i < N; i++) await upAddr(i); };
// The peer benchmark runs each path once, in a fresh process: its figure is this first pass,
// before V8 has optimised the code, which costs several times a warm pass.
const t0 = performance.now();
await awaited();
console.log(`${'up+addr awaited, first pass (cold)'.padEnd(36)} ${((performance.now() - t0) / (2 * N) * 1000).toFixed(1).padStart(5)} µs per request`);
await rounds('up+addr awaited one by one', awaited);
await rounds('up+addr issued at once (Promise.all)', () => Promise.all(Array.from({ length: N }, (_, i) => upAddr(i))));
rt.close();
