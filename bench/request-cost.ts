// What the library itself costs per request, the kernel left out: the peer benchmark's up+addr
// phase (`link.set(i, { up: true })` then `address.add(...)`, per link) against a fake kernel
// that acks each request inside send() (and echoes an added address, as the kernel does), awaited
// one by one (its first, cold pass too) and issued at once. What the kernel adds is in the peer
// benchmark's figures.
//   npm run bench -- dist/bench/request-cost.js
import { RtNetlink } from '../src/index.js';
import { fakeKernel } from './fake-kernel.js';

const N = 1000;

const rt = RtNetlink.openSync({ transport: fakeKernel() });
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
