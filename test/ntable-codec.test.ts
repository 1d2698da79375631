// Neighbour tables without a kernel: what `ip ntable` exchanged with this kernel
// (test/vectors/ntable/, captured by its capture.sh) decodes and re-encodes to the same bytes,
// prints as ip printed it from those very answers, and the API builds the requests ip sent.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DecodeError } from '../codecs/netlink/errors.js';
import { neighbourTableCodec, type NeighbourTableMessage } from '../codecs/route/neighbour-table.js';
import { changeMessage, toNeighbourTable } from '../src/api/neighbour-table.js';
import { printNtable } from '../src/cli/format-ntable.js';
import { Printer } from '../src/cli/print.js';
import { hex } from './helpers/bytes.js';
import { refusalOf } from './helpers/refusal.js';
import { asIp } from './helpers/ntable.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

const NAMES = ['change-thresh', 'change-dev', 'show', 'show-stats', 'show-json'];
/** The links where the vectors were captured: lo, then the veth pair (v1 made as v0's peer first). */
const LINKS = new Map([[1, 'lo'], [2, 'v1'], [3, 'v0']]);

/** A vector's lines of one kind: `text` (ip's output, line by line) or `json`. */
const linesOf = (name: string, kind: 'text' | 'json'): string[] => readFileSync(fileURLToPath(new URL(`../../test/vectors/ntable/${name}.txt`, import.meta.url)), 'utf8')
  .split('\n').filter((l) => l.startsWith(`${kind} `)).map((l) => l.slice(kind.length + 1));

const decoded = (name: string): NeighbourTableMessage[] => vector(`ntable/${name}`).replies.map((m) => neighbourTableCodec.decode(m.payload));

t.test('every captured request and reply decodes and re-encodes to the same bytes', async (t) => {
  for (const name of NAMES) {
    const v = vector(`ntable/${name}`);
    const messages = [v.request, ...v.replies];
    t.ok(messages.length > (name.startsWith('show') ? 8 : 0), `${name}: messages`);
    for (const m of messages) t.same(reencode(neighbourTableCodec, m.payload).bytes, m.payload, `${name}: ${v.command}`);
  }
});

t.test('a link\'s parameters as ip sends them, byte by byte', async (t) => {
  t.same(vector('ntable/change-dev').request.payload, hex(`
    00 000000                      # ndtmsg: AF_UNSPEC
    0e00 0100 6172705f636163686500 0000  # NDTA_NAME "arp_cache"
    8800 0600                      # NDTA_PARMS
      0800 0100 03000000           #   NDTPA_IFINDEX 3 (v0)
      0c00 0400 204e000000000000   #   NDTPA_BASE_REACHABLE_TIME 20000 ms
      0c00 0500 f401000000000000   #   NDTPA_RETRANS_TIME 500
      0c00 0600 3075000000000000   #   NDTPA_GC_STALETIME 30000
      0c00 0700 a00f000000000000   #   NDTPA_DELAY_PROBE_TIME 4000
      0800 0800 32000000           #   NDTPA_QUEUE_LEN 50
      0800 0900 01000000           #   NDTPA_APP_PROBES 1
      0800 0a00 02000000           #   NDTPA_UCAST_PROBES 2
      0800 0b00 04000000           #   NDTPA_MCAST_PROBES 4
      0c00 0c00 8403000000000000   #   NDTPA_ANYCAST_DELAY 900
      0c00 0d00 bc02000000000000   #   NDTPA_PROXY_DELAY 700
      0800 0e00 20000000           #   NDTPA_PROXY_QLEN 32
      0c00 0f00 2003000000000000   #   NDTPA_LOCKTIME 800
  `), 'as captured');
});

t.test('changeMessage() builds what ip sends', async (t) => {
  const request = (name: string): NeighbourTableMessage => neighbourTableCodec.decode(vector(`ntable/${name}`).request.payload);
  t.same(changeMessage({ name: 'arp_cache', thresh1: 64, thresh3: 2048, gcInterval: 15000 }, undefined), request('change-thresh'), 'thresholds and gc_int');
  t.same(changeMessage({
    name: 'arp_cache', dev: 'v0', baseReachable: 20000, retrans: 500, gcStale: 30000, delayProbe: 4000, queue: 50, appProbes: 1,
    ucastProbes: 2, mcastProbes: 4, anycastDelay: 900, proxyDelay: 700, proxyQueue: 32, locktime: 800,
  }, 3), request('change-dev'), 'every parameter ip sets, of a link');
  t.same(changeMessage({ name: 'ndisc_cache', family: 'inet6', queueBytes: 1000, mcastReprobes: 2, intervalProbeTime: 3000 }, undefined).attrs.parms,
    { queueLenBytes: 1000, mcastReprobes: 2, intervalProbeTimeMs: 3000n }, 'and those ip does not');
  const refusal = (spec: unknown): string => refusalOf(() => changeMessage(spec as never, undefined));
  t.equal(refusal({ queue: 1 }), 'neighbour table undefined: name (the table: arp_cache, ndisc_cache) is required');
  t.equal(refusal({ name: '', queue: 1 }), 'neighbour table : name (the table: arp_cache, ndisc_cache) is required');
  t.equal(refusal({ name: 'arp_cache' }), 'neighbour table arp_cache: nothing to change: give a threshold, gcInterval or a parameter');
  t.equal(refusal({ name: 'arp_cache', reachable: 5 }), 'neighbour table arp_cache: reachable is the kernel\'s to say, not to set');
  t.equal(refusal({ name: 'arp_cache', refcnt: 5 }), 'neighbour table arp_cache: refcnt is the kernel\'s to say, not to set');
  t.equal(refusal({ name: 'arp_cache', queue: -1 }), 'neighbour table arp_cache: queue -1 is not an integer from 0 to 4294967295');
  t.equal(refusal({ name: 'arp_cache', thresh2: 2 ** 32 }), 'neighbour table arp_cache: thresh2 4294967296 is not an integer from 0 to 4294967295');
  t.equal(refusal({ name: 'arp_cache', locktime: 1.5 }), 'neighbour table arp_cache: locktime 1.5 is not an integer from 0 to 9007199254740991');
  t.equal(refusal({ name: 'arp_cache', gcInterval: '1' }), 'neighbour table arp_cache: gcInterval "1" is not an integer from 0 to 9007199254740991');
  t.equal(refusal({ name: 'arp_cache', family: 'link', queue: 1 }), 'family "link": expected "inet" or "inet6"');
  t.equal(changeMessage({ name: 'arp_cache', queue: 0 }, undefined).attrs.parms?.queueLen, 0, 'a 0 is a value');
});

/** What printNtable() prints of a vector's replies (those `keep` keeps, as ip's filter): text, or -j; -s when asked. */
function printed(name: string, json: boolean, stats: boolean, keep = (_m: NeighbourTableMessage): boolean => true): string {
  const p = new Printer(json, false, false);
  p.listing = true;
  for (const m of decoded(name).filter(keep)) printNtable(p, m, { stats, name: (i) => LINKS.get(i) ?? `if${i}` });
  return p.output();
}

/** ip printed the config's two times as local times "now" less their age: not the same now. */
const noTimes = (s: string): string => s.replace(/(last_flush|last_rand) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, '$1 T');

t.test('rtnl prints from the kernel\'s answers what ip printed from them', async (t) => {
  t.equal(printed('show', false, false), linesOf('show', 'text').map((l) => `${l}\n`).join(''), 'ip ntable show');
  const arp = (m: NeighbourTableMessage): boolean => m.attrs.name === 'arp_cache';
  t.equal(noTimes(printed('show-stats', false, true, arp)), noTimes(linesOf('show-stats', 'text').map((l) => `${l}\n`).join('')), 'ip -s ntable show name arp_cache');
  t.match(linesOf('show-stats', 'text').join('\n'), /last_flush \d{4}-/, 'ip printed the times');
  const v0 = (m: NeighbourTableMessage): boolean => m.attrs.parms?.ifindex === 3;
  t.same(JSON.parse(printed('show-json', true, false, v0)), JSON.parse(linesOf('show-json', 'json')[0]), 'ip -j ntable show dev v0');
  t.same(decoded('show-json').filter(v0).map((m) => asIp(toNeighbourTable(m, LINKS))), JSON.parse(linesOf('show-json', 'json')[0]), 'toNeighbourTable(): the same');
});

t.test('-s: the config\'s times are the local time their age ago', async (t) => {
  const own = (m: NeighbourTableMessage): boolean => m.attrs.name === 'arp_cache' && m.attrs.parms?.ifindex === undefined;
  const table = decoded('show-stats').filter(own)[0];
  const text = printed('show-stats', false, true, own);
  const [, when] = /last_flush (\S+ \S+)/.exec(text) ?? [];
  const age = table.attrs.config?.lastFlush ?? 0;
  t.ok(age > 0, `the table was flushed ${age} ms before the capture`);
  t.ok(Math.abs(new Date(when.replace(' ', 'T')).getTime() - (Date.now() - age)) < 2000, `${when}: now less ${age} ms`);
  const zero = structuredClone(table);
  if (zero.attrs.config) zero.attrs.config.lastRand = 0;
  const p = new Printer(false);
  printNtable(p, zero, { stats: true, name: String });
  t.match(p.output(), /last_rand \(error\) /, 'an age of 0: "(error)", as ip');
});

t.test('hostile bytes: an ndt_config cut short, random and mangled payloads', async (t) => {
  t.throws(() => neighbourTableCodec.decode(hex('02000000 0800 0500 04002001')), new DecodeError('config: ndt_config is 4 bytes, expected 32'));
  fuzz(t, neighbourTableCodec, vector('ntable/show').replies.map((m) => m.payload));
});
