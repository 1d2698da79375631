// A dump too big to take in one stretch: 200,000 IPv6 routes. The event loop keeps running
// while they are listed (the socket is read 5 ms at a time and every datagram decoded as it
// comes), a 1 s timeout does not cut a dump that is answering all along, and iterate()
// streams them. The longest stall is reported, not asserted (no timed assertion in tests).
import t from 'tap';
import { RtNetlink } from '../src/index.js';
import { fillRouteTable, kernel, scratchNetns } from './helpers/kernel.js';

const N = 200_000;

/** Runs `fn` while counting event-loop turns (a 1 ms interval) and the longest gap between them. */
async function watched<T>(fn: () => Promise<T>): Promise<{ result: T; turns: number; worst: number }> {
  let last = performance.now();
  let worst = 0;
  let turns = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    turns++;
  }, 1);
  try {
    const result = await fn();
    worst = Math.max(worst, performance.now() - last);
    return { result, turns, worst };
  } finally {
    clearInterval(timer);
  }
}

t.test(`listing ${N} routes leaves the event loop running; iterate() streams them`, kernel, async (t) => {
  const ns = scratchNetns(t, 'huge');
  fillRouteTable(ns, N);
  await using rt = await RtNetlink.open({ netns: ns, timeout: 1000 });

  const listed = await watched(() => rt.route.list({ table: 100, family: 'inet6' }));
  t.equal(listed.result.length, N, 'every route, though the dump took longer than the timeout');
  t.ok(listed.turns > 20, `the event loop turned ${listed.turns} times meanwhile`);
  t.comment(`list(): longest stall ${listed.worst.toFixed(0)} ms`);

  let n = 0;
  const streamed = await watched(async () => {
    for await (const r of rt.route.iterate({ table: 100, family: 'inet6' })) if (r.table === 100) n++;
    return n;
  });
  t.equal(streamed.result, N, 'iterate() gave every route');
  t.ok(streamed.turns > 20, `the event loop turned ${streamed.turns} times meanwhile`);
  t.comment(`iterate(): longest stall ${streamed.worst.toFixed(0)} ms`);
  let taken = 0;
  for await (const r of rt.route.iterate({ table: 100, family: 'inet6' })) if (r && ++taken === 1000) break;
  t.equal(taken, 1000, 'a loop may break off: the rest of the dump is read and dropped');
  t.equal((await rt.link.get('lo')).name, 'lo', 'the socket goes on answering afterwards');
});
