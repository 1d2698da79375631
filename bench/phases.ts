// Where the time of the peer benchmark's phases goes (../shared/peer-bench: N macvlans made, each
// brought up and given an IPv4 address, then 20 link and 20 address dumps; every call awaited
// before the next), in a fresh process as there: the code runs before V8 has compiled it.
// For each phase: the wall time; the time spent inside the kernel calls of this thread (send, and
// the reads here) and in the reads of the thread pool (big dumps: from the call to its callback,
// which includes waiting for this thread to take the answer); the main thread's time on a CPU
// and waiting for one (/proc/thread-self/schedstat); the CPU time of the whole process, whose
// other threads are V8's compiler and collector and the thread pool.
//   npm run bench -- dist/bench/phases.js        (`[links]` to change N; a throwaway namespace)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RtNetlink } from '../src/index.js';
import { sys } from '../src/socket/libc.js';

const n = Number(process.argv[2] ?? 1000);

/** Milliseconds inside each wrapped call since the last phase ended. */
const inside = { send: 0, read: 0, pool: 0 };
function timedCall<A extends unknown[], R>(fn: (...a: A) => R, key: 'send' | 'read'): (...a: A) => R {
  return (...a) => {
    const t0 = performance.now();
    try {
      return fn(...a);
    } finally {
      inside[key] += performance.now() - t0;
    }
  };
}
sys.send = timedCall(sys.send, 'send');
sys.recvfrom = timedCall(sys.recvfrom, 'read');
const poolRead = sys.recvmmsg.async;
sys.recvmmsg.async = (fd, msgvec, vlen, flags, timeout, cb) => {
  const t0 = performance.now();
  poolRead(fd, msgvec, vlen, flags, timeout, (err, got) => {
    inside.pool += performance.now() - t0;
    cb(err, got);
  });
};

/** The main thread's nanoseconds on a CPU and waiting on a run queue. */
function schedstat(): [number, number] {
  const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
  return [run, wait];
}

async function phase(name: string, fn: () => Promise<unknown>): Promise<void> {
  inside.send = inside.read = inside.pool = 0;
  const [run0, wait0] = schedstat();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const [run1, wait1] = schedstat();
  const ms = (x: number): string => x.toFixed(0).padStart(4);
  console.log(`${name.padEnd(8)} wall ${ms(wall)} ms | in send ${ms(inside.send)}, reads here ${ms(inside.read)}, in the pool ${ms(inside.pool)} | ` +
    `main thread on a CPU ${ms((run1 - run0) / 1e6)}, waiting for one ${ms((wait1 - wait0) / 1e6)} | process CPU ${ms((cpu.user + cpu.system) / 1000)} ms`);
}

const rt = await RtNetlink.open();
const parent = await rt.link.add({ kind: 'veth', name: 'pp0', up: true, veth: { peer: { name: 'pp1' } } });
const links: Array<{ index: number }> = [];
await phase('create', async () => {
  for (let i = 0; i < n; i++) links.push(await rt.link.add({ name: `pm${i}`, parent: parent.index, kind: 'macvlan', macvlan: { mode: 'bridge' } }));
});
// One documentation address for many links: the kernel takes the same IPv4 address on several.
await phase('up+addr', async () => {
  for (const [i, l] of links.entries()) {
    await rt.link.set(l.index, { up: true });
    await rt.address.add({ dev: l.index, address: `192.0.2.${(i % 254) + 1}/32` });
  }
});
await phase('dumps', async () => {
  for (let k = 0; k < 20; k++) await rt.link.list();
  for (let k = 0; k < 20; k++) await rt.address.list();
});
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
rt.close();
