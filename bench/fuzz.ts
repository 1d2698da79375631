// Hostile bytes through every public decoder: the captured vectors (test/vectors/), mutated by
// a seeded generator (bit flips, truncation, length corruption, type swaps, splices, nesting
// and size bombs), then decoded, their lazy fields read, serialised to JSON and encoded again.
// Only DecodeError and EncodeError may come out: anything else is a failure, reported with the
// seed and index that reproduce it.
//
//   node dist/bench/fuzz.js [count=1000000] [seed=1]     (the test command runs 20,000)
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DecodeError, EncodeError } from '../codecs/netlink/errors.js';
import { decodeDone, decodeError, parseMessages } from '../codecs/netlink/message.js';
import { Writer } from '../codecs/netlink/writer.js';
import { addressCodec } from '../codecs/route/address.js';
import { decodeLink, decodeLinkName, encodeLink } from '../codecs/route/link.js';
import { neighbourCodec } from '../codecs/route/neighbour.js';
import { netconfCodec } from '../codecs/route/netconf.js';
import { ruleCodec } from '../codecs/route/rule.js';
import { nhCodec } from '../codecs/route/nexthop.js';
import { neighbourTableCodec } from '../codecs/route/neighbour-table.js';
import { nsidMessage } from '../codecs/route/nsid.js';
import { routeCodec } from '../codecs/route/route.js';
import { toAddress } from '../src/api/address.js';
import { toNeighbour } from '../src/api/neighbour.js';
import { toFdbEntry } from '../src/api/fdb.js';
import { mergeNetconf, toNetconf } from '../src/api/netconf.js';
import { toRule } from '../src/api/rule.js';
import { toNexthopBucket, toNexthopObject } from '../src/api/nexthop.js';
import { toNeighbourTable } from '../src/api/neighbour-table.js';
import { toRoute } from '../src/api/route.js';

export interface FuzzResult {
  inputs: number;
  /** Each input goes through every decoder: how many of those took it, how many refused it with a DecodeError/EncodeError. */
  decoded: number;
  refused: number;
  /** Anything but DecodeError/EncodeError: `seed:index kind: message`. */
  failures: string[];
  /** The slowest single input, in milliseconds (a hang would show here). */
  slowestMs: number;
  seconds: number;
  /** Heap after a GC, after the run minus before, in MiB (needs --expose-gc; NaN without). */
  heapGrowthMiB: number;
}

/** Every message of every captured datagram (requests and replies), as seeds. */
export function corpus(): Uint8Array[] {
  const root = fileURLToPath(new URL('../../test/vectors/', import.meta.url));
  const out: Uint8Array[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(`${root}${dir.name}`).filter((f) => f.endsWith('.txt'))) {
      for (const line of readFileSync(`${root}${dir.name}/${file}`, 'utf8').split('\n')) {
        const m = /^(?:request|reply) ([0-9a-f]+)$/.exec(line.trim());
        if (!m) continue;
        const bytes = Uint8Array.from(Buffer.from(m[1], 'hex'));
        try {
          for (const msg of parseMessages(bytes)) out.push(Uint8Array.from([...new Uint8Array(16), ...msg.payload]).subarray(16));
        } catch {
          out.push(bytes); // iproute2 pads some requests: keep the datagram whole
        }
      }
    }
  }
  return out;
}

/** mulberry32: a small seeded generator, so that every failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (b: Uint8Array, rnd: () => number, other: Uint8Array) => Uint8Array;
const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);
const le16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];

const mutations: Mutation[] = [
  // bit flips
  (b, rnd) => { const c = b.slice(); for (let i = 1 + int(rnd, 4); i > 0 && c.length; i--) c[int(rnd, c.length)] ^= 1 << int(rnd, 8); return c; },
  // truncation
  (b, rnd) => b.slice(0, int(rnd, b.length + 1)),
  // an attribute length (at a 4-byte boundary past the fixed header) made shorter, longer or absurd
  (b, rnd) => {
    const c = b.slice();
    if (c.length < 8) return c;
    const at = 4 * int(rnd, c.length >> 2);
    const len = [0, 1, 3, 4, 0xffff, int(rnd, 0x10000), c.length - at + 4][int(rnd, 7)];
    c[at] = len & 0xff;
    c[at + 1] = (len >> 8) & 0xff;
    return c;
  },
  // a type swapped (the nested flag too, sometimes)
  (b, rnd) => {
    const c = b.slice();
    if (c.length < 8) return c;
    const at = 4 * int(rnd, c.length >> 2) + 2;
    c[at] = int(rnd, 70);
    c[at + 1] = rnd() < 0.2 ? 0x80 : 0;
    return c;
  },
  // splice: the head of one message and the tail of another
  (b, rnd, other) => Uint8Array.from([...b.subarray(0, int(rnd, b.length + 1)), ...other.subarray(int(rnd, other.length + 1))]),
  // random bytes after a real header
  (b, rnd) => Uint8Array.from([...b.subarray(0, 16), ...Array.from({ length: int(rnd, 200) }, () => int(rnd, 256))]),
  // an attribute repeated
  (b, rnd) => {
    if (b.length < 24) return b;
    const at = 16 + 4 * int(rnd, (b.length - 16) >> 2);
    const len = Math.max(4, b[at] | (b[at + 1] << 8));
    return Uint8Array.from([...b, ...b.subarray(at, Math.min(b.length, at + ((len + 3) & ~3)))]);
  },
  // a nesting bomb: IFLA_LINKINFO { veth { peer { ... } } } hundreds deep (written outside in)
  (b, rnd) => {
    const levels = 1 + int(rnd, 1600);
    const core = b.subarray(0, 16);
    const out = new Uint8Array(levels * 36 + core.length);
    const dv = new DataView(out.buffer);
    for (let j = 0; j < levels; j++) {
      const at = j * 36;
      const peer = 4 + (out.length - at - 36);
      dv.setUint16(at + 16, 4 + 8 + 4 + peer, true); // IFLA_LINKINFO
      dv.setUint16(at + 18, 18, true);
      out.set([8, 0, 1, 0, 0x76, 0x65, 0x74, 0x68], at + 20); // IFLA_INFO_KIND "veth"
      dv.setUint16(at + 28, 4 + peer, true); // IFLA_INFO_DATA
      dv.setUint16(at + 30, 2, true);
      dv.setUint16(at + 32, peer, true); // VETH_INFO_PEER
      dv.setUint16(at + 34, 1, true);
    }
    out.set(core, levels * 36);
    return out;
  },
  // a size bomb: one attribute claiming 64 KiB, and many tiny ones
  (b, rnd) => Uint8Array.from([...b.subarray(0, 16), ...le16(0xffff), int(rnd, 60), 0, ...new Array(int(rnd, 4000)).fill(0).map((_, i) => (i % 4 === 0 ? 4 : 0))]),
];

/** A family's message decoded, typed as the API lists it, serialised, and encoded again. */
function family<M>(codec: { decode(p: Uint8Array): M; encode(w: Writer, m: M): void }, typed: (m: M) => unknown): (p: Uint8Array) => void {
  return (p) => {
    const m = codec.decode(p);
    JSON.stringify(typed(m));
    codec.encode(new Writer(), m);
  };
}

const decoders: Array<(p: Uint8Array) => void> = [
  (p) => decodeLinkName(p),
  (p) => {
    const link = decodeLink(p);
    void link.stats64;
    void link.afSpec;
    void link.other;
    JSON.stringify(link);
    const w = new Writer();
    encodeLink(w, link);
    decodeLink(w.finish());
  },
  family(addressCodec, toAddress),
  family(routeCodec, toRoute),
  family(ruleCodec, toRule),
  family(nhCodec, (m) => toNexthopObject(m)),
  family(nhCodec, toNexthopBucket),
  family(neighbourTableCodec, (m) => toNeighbourTable(m)),
  family(neighbourCodec, toNeighbour),
  family(neighbourCodec, toFdbEntry),
  family(netconfCodec, (m) => mergeNetconf(toNetconf(m), toNetconf(m))),
  (p) => {
    const m = nsidMessage.decode(p);
    nsidMessage.encode(new Writer(), m);
  },
  (p) => {
    const msgs = parseMessages(p);
    for (const m of msgs) {
      if (m.header.type === 2) decodeError(m);
      if (m.header.type === 3) decodeDone(m);
    }
  },
];

const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

export function fuzz(count: number, seed: number): FuzzResult {
  const seeds = corpus();
  const rnd = random(seed);
  const started = performance.now();
  const before = heap();
  const result: FuzzResult = { inputs: count, decoded: 0, refused: 0, failures: [], slowestMs: 0, seconds: 0, heapGrowthMiB: NaN };
  for (let i = 0; i < count; i++) {
    const base = seeds[int(rnd, seeds.length)];
    const input = mutations[int(rnd, mutations.length)](base, rnd, seeds[int(rnd, seeds.length)]);
    const t0 = performance.now();
    for (const decode of decoders) {
      try {
        decode(input);
        result.decoded++;
      } catch (e) {
        if (e instanceof DecodeError || e instanceof EncodeError) result.refused++;
        else result.failures.push(`${seed}:${i} ${(e as Error)?.name}: ${(e as Error)?.message}`);
      }
    }
    result.slowestMs = Math.max(result.slowestMs, performance.now() - t0);
  }
  result.seconds = (performance.now() - started) / 1000;
  if (gc) result.heapGrowthMiB = (heap() - before) / 1048576;
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? 1);
  const r = fuzz(count, seed);
  console.log(`fuzz: ${r.inputs} inputs (seed ${seed}) through ${decoders.length} decoders in ${r.seconds.toFixed(1)} s: ${r.decoded} decoded, ${r.refused} refused with DecodeError/EncodeError, ${r.failures.length} other exceptions`);
  console.log(`slowest input ${r.slowestMs.toFixed(1)} ms; heap growth ${r.heapGrowthMiB.toFixed(1)} MiB`);
  for (const f of r.failures.slice(0, 20)) console.log(`  ${f}`);
  process.exitCode = r.failures.length > 0 ? 1 : 0;
}
