// How fast Node itself can go in the peer benchmark's create and up+addr phases
// (../shared/peer-bench: 1,000 macvlans made, then each brought up and given an IPv4 address),
// against this machine's kernel. "bare": the very messages rtnl sends (built by its own
// builders), encoded before the clock starts, written to rtnl's own socket with nothing but the
// reads of the answers between one send() and the next: one request a send (what no awaited
// client in Node can beat), or 64 (the C client's way). rtnl's own two ways beside them. Each run
// is a fresh process in a fresh network namespace, so V8 starts cold, as in the peer benchmark.
// Beside each phase's time, the part of it spent inside send(), where the kernel does the work:
// what is left is Node's and rtnl's. V8's flags reach the runs through NODE_OPTIONS.
//   npm run bench -- dist/bench/request-floor.js        (LINKS=1000 ROUNDS=3)
//   NODE_OPTIONS=--v8-pool-size=1 npm run bench -- dist/bench/request-floor.js
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { RtNetlink, type Link } from '../src/index.js';
import { sys } from '../src/socket/libc.js';
import { MSG_DONTWAIT } from '../src/socket/constants.js';
import { changeMessage, newLinkMessage } from '../src/api/link-message.js';
import { addressMessage } from '../src/api/address.js';
import { Writer } from '../codecs/netlink/writer.js';
import { NLMSG_ERROR, NLM_F_ACK, NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REQUEST } from '../codecs/netlink/constants.js';
import { addressCodec } from '../codecs/route/address.js';
import { RTM_NEWADDR, RTM_NEWLINK } from '../codecs/route/constants.js';
import { encodeLink } from '../codecs/route/link.js';
import { median } from './median.js';

const N = Number(process.env.LINKS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WAYS = ['bare, one by one', 'bare, 64 a send', 'rtnl, awaited', 'rtnl, at once'] as const;
type Way = typeof WAYS[number];
const PHASES = ['create', 'up+addr'] as const;
/** Each phase's milliseconds, and of them those spent inside send(): the kernel doing the work. */
type Times = Record<typeof PHASES[number], { all: number; inSend: number }>;

/** Runs every way ROUNDS times, interleaved, each in its own namespace; prints the medians. */
async function driver(): Promise<void> {
  const times = new Map<Way, Times[]>(WAYS.map((w) => [w, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const w of WAYS) {
      const child = spawnSync('unshare', ['--net', '--', process.execPath, fileURLToPath(import.meta.url)], {
        encoding: 'utf8', env: { ...process.env, RTNL_FLOOR_WAY: w }, stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (child.status !== 0) throw new Error(`${w}: exit ${child.status}`);
      times.get(w)!.push(JSON.parse(child.stdout) as Times);
      await sleep(3000); // the namespace just left is torn down in the background: not during the next run
    }
  }
  console.log(`${N} macvlans, ${ROUNDS} fresh processes each way, interleaved; milliseconds, median (each run):`);
  for (const phase of PHASES) {
    console.log(`  ${phase}: all, then inside send()`);
    for (const [w, runs] of times) {
      const cell = (ms: number[]): string => `${median(ms).toFixed(1).padStart(6)}  (${ms.map((x) => x.toFixed(1)).join(', ')})`;
      console.log(`    ${w.padEnd(18)} ${cell(runs.map((t) => t[phase].all))}   ${cell(runs.map((t) => t[phase].inSend))}`);
    }
  }
}

/**
 * Counts the time spent inside send(), where the kernel does an rtnetlink request's work: every
 * send of this process, rtnl's own included, goes through `sys`.
 */
function timeSends(): () => number {
  const send = sys.send;
  let inSend = 0;
  sys.send = (fd, buf, len, flags) => {
    const t0 = performance.now();
    try {
      return send(fd, buf, len, flags);
    } finally {
      inSend += performance.now() - t0;
    }
  };
  return () => inSend;
}

/** One run: both phases the way asked, the links checked in between (untimed, as the peer benchmark does). */
async function oneRun(w: Way): Promise<void> {
  const rt = await RtNetlink.open();
  const parent = await rt.link.add({ name: 'p0', kind: 'veth', veth: { peer: { name: 'p1' } }, up: true });
  const names = Array.from({ length: N }, (_, i) => `mv${i}`);
  const add = (name: string): Promise<Link> => rt.link.add({ name, parent: parent.index, kind: 'macvlan', macvlan: { mode: 'bridge' } });
  // Documentation addresses: one IPv4 address may sit on many links.
  const cidr = (i: number): string => `192.0.2.${(i % 254) + 1}/32`;
  const times: Times = { create: { all: 0, inSend: 0 }, 'up+addr': { all: 0, inSend: 0 } };
  const sendTime = timeSends();
  const timed = async (phase: keyof Times, fn: () => Promise<unknown> | void): Promise<void> => {
    const [t0, s0] = [performance.now(), sendTime()];
    await fn();
    times[phase] = { all: performance.now() - t0, inSend: sendTime() - s0 };
  };
  const batch = w === 'bare, one by one' ? 1 : 64;
  if (w === 'rtnl, awaited') await timed('create', async () => { for (const name of names) await add(name); });
  else if (w === 'rtnl, at once') await timed('create', () => Promise.all(names.map(add)));
  else {
    const messages = await Promise.all(names.map(async (name, i) => {
      const msg = await newLinkMessage({ name, parent: parent.index, kind: 'macvlan', macvlan: { mode: 'bridge' } }, name, byIndex);
      return encoded(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO, i + 1, (wr) => encodeLink(wr, msg));
    }));
    const sends = batches(messages, batch);
    await settled();
    await timed('create', () => { for (const s of sends) exchange(rt.client.fd, s); });
  }
  const links = (await rt.link.list({ kind: 'macvlan' })).sort((a, b) => a.index - b.index);
  if (links.length !== N) throw new Error(`${links.length} macvlans made`);
  if (w === 'rtnl, awaited') {
    await timed('up+addr', async () => {
      for (const [i, l] of links.entries()) {
        await rt.link.set(l.index, { up: true });
        await rt.address.add({ dev: l.index, address: cidr(i) });
      }
    });
  } else if (w === 'rtnl, at once') {
    await timed('up+addr', () => Promise.all(links.map((l, i) => rt.link.set(l.index, { up: true })
      .then(() => rt.address.add({ dev: l.index, address: cidr(i) })))));
  } else {
    const messages = (await Promise.all(links.map(async (l, i) => {
      const up = await changeMessage(l.index, { up: true }, `link ${l.index}`, byIndex, () => Promise.resolve([]));
      return [
        encoded(RTM_NEWLINK, 0, 2 * i + 1, (wr) => encodeLink(wr, up)),
        encoded(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO, 2 * i + 2, (wr) => addressCodec.encode(wr, addressMessage(l.index, cidr(i)))),
      ];
    }))).flat();
    const sends = batches(messages, batch);
    await settled();
    await timed('up+addr', () => { for (const s of sends) exchange(rt.client.fd, s); });
  }
  const up = (await rt.link.list({ kind: 'macvlan' })).filter((l) => l.flags.includes('up')).length;
  if (up !== N) throw new Error(`${up} macvlans up`);
  rt.close();
  process.stdout.write(JSON.stringify(times));
}

/**
 * Building the messages made rtnl's builders hot: V8 compiles them on its worker threads for a
 * while after, and on two vCPUs those jobs slow the kernel's own work in the timed sends (up+addr
 * 64 a send took 33 – 39 ms unsettled, 21 ms settled). The bare ways are timed once that is done.
 */
const settled = (): Promise<void> => sleep(1000);

/** The links are named by index here: nothing to look up. */
const byIndex = async (ref: unknown): Promise<number> => ref as number;

/** One request as rtnl sends it: REQUEST|ACK and `flags`, the body written by rtnl's own encoder. */
function encoded(type: number, flags: number, seq: number, body: (w: Writer) => void): Uint8Array {
  return new Writer(256).message({ type, flags: NLM_F_REQUEST | NLM_F_ACK | flags, seq }, body).finish().slice();
}

/** The requests, `size` to a send(), with how many each holds. */
function batches(messages: Uint8Array[], size: number): Array<{ bytes: Uint8Array; count: number }> {
  const out = [];
  for (let k = 0; k < messages.length; k += size) {
    const some = messages.slice(k, k + size);
    out.push({ bytes: Buffer.concat(some), count: some.length });
  }
  return out;
}

const answers = new Uint8Array(65536);
const from = new Uint8Array(12);
/** Sends the requests and reads until every one is acked: the kernel answers inside send(). */
function exchange(fd: number, { bytes, count }: { bytes: Uint8Array; count: number }): void {
  if (sys.send(fd, bytes, bytes.length, 0) !== bytes.length) throw new Error('send failed');
  const dv = new DataView(answers.buffer);
  for (let acked = 0; acked < count;) {
    const n = sys.recvfrom(fd, answers, answers.length, MSG_DONTWAIT, from, new Uint32Array([from.length]));
    if (n <= 0) throw new Error('no answer waiting after send()');
    for (let at = 0; at < n; at += dv.getUint32(at, true)) {
      if (dv.getUint16(at + 4, true) !== NLMSG_ERROR) continue; // an echo
      if (dv.getInt32(at + 16, true) !== 0) throw new Error(`request refused: ${dv.getInt32(at + 16, true)}`);
      acked++;
    }
  }
}

const way = process.env.RTNL_FLOOR_WAY as Way | undefined;
if (way === undefined) await driver();
else await oneRun(way);
