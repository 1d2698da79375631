// What the library itself costs per link made, the kernel left out: the peer benchmark's create
// phase (`link.add()` of a bridge macvlan, awaited one by one) against a fake kernel that echoes a
// macvlan captured from this kernel (test/vectors/link/macvlan-bridge.txt) and acks, in a fresh
// process: its first, cold pass (what the peer benchmark measures), then warm passes.
//   npm run bench -- dist/bench/create-cost.js
import { readFileSync } from 'node:fs';
import { RtNetlink } from '../src/index.js';
import { fakeKernel } from './fake-kernel.js';

const N = 1000;
const vector = readFileSync(new URL('../../test/vectors/link/macvlan-bridge.txt', import.meta.url), 'utf8');
const reply = /^reply ([0-9a-f]+)$/m.exec(vector)?.[1];
if (!reply) throw new Error('no reply in the vector');
const rt = RtNetlink.openSync({ transport: fakeKernel(Buffer.from(reply, 'hex')) });

/** Microseconds per link made, N awaited one after another. */
async function pass(): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < N; i++) await rt.link.add({ name: `mv${i}`, parent: 2, kind: 'macvlan', macvlan: { mode: 'bridge' } });
  return (performance.now() - t) / N * 1000;
}

console.log(`${'link.add() awaited, first pass (cold)'.padEnd(40)} ${(await pass()).toFixed(1).padStart(5)} µs per link`);
for (let r = 0; r < 5; r++) await pass(); // warm up
const warm: number[] = [];
for (let r = 0; r < 10; r++) warm.push(await pass());
warm.sort((a, b) => a - b);
console.log(`${'link.add() awaited, warm'.padEnd(40)} ${warm[5].toFixed(1).padStart(5)} µs per link (median of 10; best ${warm[0].toFixed(1)})`);
rt.close();
