// What the peer benchmark does not cover: a 10,000-request burst on one socket, deleting 1,000
// macvlans by group against one by one, and the memory 1,000 decoded links hold.
//   npm run bench -- dist/bench/bulk.js        (a throwaway namespace; `[links] [burst]` to change sizes)
import { performance } from 'node:perf_hooks';
import { RtNetlink } from '../src/index.js';

const links = Number(process.argv[2] ?? 1000);
const burst = Number(process.argv[3] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

const rt = await RtNetlink.open();
await rt.link.add({ kind: 'veth', name: 'bp0', up: true, veth: { peer: { name: 'bp1' } } });
await rt.link.set('bp1', { up: true });

/** Makes `links` macvlans on bp0 in group 9, all requests issued at once. */
const make = (): Promise<unknown> => Promise.all(Array.from({ length: links }, (_, i) =>
  rt.link.add({ kind: 'macvlan', name: `bm${i}`, parent: 'bp0', group: 9, macvlan: { mode: 'vepa' } })));

async function timed(label: string, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(52)} ${ms.toFixed(0).padStart(7)} ms`);
  return ms;
}

// A burst: every request issued in one turn, answered without overflow or stall.
const t0 = performance.now();
const answers = await Promise.all(Array.from({ length: burst }, () => rt.link.get('lo', { stats: false })));
console.log(`${`${burst} link.get() at once (one socket)`.padEnd(52)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms, ${answers.length} answered`);

await make();
/** Heap plus array buffers (the datagrams lazy fields read from), settled. */
async function used(): Promise<number> {
  // The buffers a collection frees are released in the background after it: let that finish.
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 100));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
/** What the links a listing gives keep alive, per 1,000 (heap + buffers). */
async function held(label: string, list: () => Promise<unknown[]>): Promise<void> {
  const before = await used();
  const listed = await list();
  const kept = (await used()) - before;
  console.log(`${label.padEnd(52)} ${(kept / listed.length / 1.024).toFixed(0).padStart(7)} KiB (heap + buffers, ${listed.length} links)`);
}
await held('memory per 1,000 links held (list())', () => rt.link.list({ group: 9 }));
await held('memory per 1,000 links held (list({ stats: false }))', () => rt.link.list({ group: 9, stats: false }));

const one = await timed(`delete ${links} macvlans one by one, awaited`, async () => {
  for (let i = 0; i < links; i++) await rt.link.delete(`bm${i}`);
});
await make();
const all = await timed(`delete ${links} macvlans one by one, Promise.all`, () =>
  Promise.all(Array.from({ length: links }, (_, i) => rt.link.delete(`bm${i}`))));
await make();
const group = await timed(`delete ${links} macvlans by group (one request)`, () => rt.link.delete({ group: 9 }));
console.log(`group delete: ${(one / group).toFixed(0)}x faster than awaited one by one, ${(all / group).toFixed(0)}x than Promise.all`);
await rt.link.delete('bp0');
rt.close();
