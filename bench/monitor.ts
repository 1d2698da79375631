// Events: how many link notifications per second monitor() decodes and delivers, and how long a
// resync takes with 10,000 links (an overflow provoked: a small buffer, the loop blocked).
//   npm run bench -- dist/bench/monitor.js          (a throwaway namespace; `[links]` to change the size)
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { monitor, type Monitor } from '../src/index.js';

const links = Number(process.argv[2] ?? 10_000);
const ip = (input: string): void => { execFileSync('ip', ['-batch', '-'], { input }); };
ip('link add bp0 type veth peer name bp1\nlink set bp0 up\nlink set bp1 up');

/** Reads events until `until` says stop; their count. */
async function read(m: Monitor, until: (n: number, ev: { type: string }) => boolean): Promise<number> {
  let n = 0;
  for (let r = await m.next(); !r.done; r = await m.next()) if (until(++n, r.value)) break;
  return n;
}

// 1. Delivery: links made by ip while the monitor reads (a 64 MiB buffer: no overflow).
{
  const m = monitor({ link: true, existing: true, receiveBuffer: 64 << 20 });
  await read(m, (_n, ev) => ev.type === 'synced'); // the existing links, told
  const made = Array.from({ length: links }, (_, i) => `link add link bp0 name e${i} type macvlan`).join('\n');
  ip(made); // the loop is blocked meanwhile: every notification waits in the buffer
  const t0 = performance.now();
  const n = await read(m, (count) => count >= links);
  const s = (performance.now() - t0) / 1000;
  console.log(`delivery: ${n} link events decoded and delivered in ${(s * 1000).toFixed(0)} ms: ${(n / s).toFixed(0)} events/s`);
  m.close();
}

// 2. Resync: every link brought up while the loop is blocked, with a 64 KiB buffer: an
// overflow, then a dump of every link and the differences told.
{
  const m = monitor({ link: true, existing: true, receiveBuffer: 65536 });
  await read(m, (_n, ev) => ev.type === 'synced');
  ip(Array.from({ length: links }, (_, i) => `link set e${i} up`).join('\n'));
  const t0 = performance.now();
  let changes = 0;
  await read(m, (_n, ev) => {
    if (ev.type === 'change') changes++;
    return ev.type === 'synced' && (ev as { reason?: string }).reason === 'overflow';
  });
  console.log(`resync: ${links} links, overflow to synced in ${(performance.now() - t0).toFixed(0)} ms (${changes} changes told)`);
  m.close();
}
execFileSync('ip', ['link', 'del', 'bp0']);
