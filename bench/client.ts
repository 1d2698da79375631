// The request client's own cost: sequential requests and dumps of a small namespace,
// 500 concurrent requests, and the memory an open socket holds. A script, not a test:
//   npm run bench -- dist/bench/client.js
import { RtNetlink } from '../src/index.js';
import type { Writer } from '../codecs/netlink/writer.js';

const RTM_GETLINK = 18;
const ifinfomsg = (index: number) => (w: Writer): void => { w.u8(0).u8(0).u16(0).s32(index).u32(0).u32(0); };

async function time(label: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) await fn(); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / n;
  console.log(`${label.padEnd(44)} ${us.toFixed(1).padStart(7)} µs each (${n} runs)`);
}

const rt = await RtNetlink.open();
await time('RTM_GETLINK lo, sequential', 5000, () => rt.client.request({ type: RTM_GETLINK, body: ifinfomsg(1) }));
await time('RTM_GETLINK dump (1 link), sequential', 5000, () => rt.client.dump({ type: RTM_GETLINK, body: ifinfomsg(0) }));
await time('500 concurrent RTM_GETLINK, per batch', 50, () =>
  Promise.all(Array.from({ length: 500 }, () => rt.client.request({ type: RTM_GETLINK, body: ifinfomsg(1) }))));
rt.close();

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
const open = await Promise.all(Array.from({ length: 1000 }, () => RtNetlink.open()));
gc?.();
const after = process.memoryUsage();
const perSocket = (k: 'rss' | 'heapUsed' | 'arrayBuffers'): string => ((after[k] - before[k]) / 1000 / 1024).toFixed(1);
console.log(`memory per open socket: rss ${perSocket('rss')} KiB, heap ${perSocket('heapUsed')} KiB, buffers ${perSocket('arrayBuffers')} KiB`);
for (const r of open) r.close();
