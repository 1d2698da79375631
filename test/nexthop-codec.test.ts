// Nexthop objects without a kernel: what `ip nexthop` and `ip monitor nexthop` exchanged with
// this kernel (test/vectors/nexthop/, captured by its capture.sh) decodes and re-encodes to the
// same bytes, reads as ip -j printed it, and the API builds the requests ip sent.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DecodeError } from '../codecs/netlink/errors.js';
import { nhCodec } from '../codecs/route/nexthop.js';
import { bucketDumpMessage, bucketMessage, describe, nexthopMessage, toNexthopBucket, toNexthopObject } from '../src/api/nexthop.js';
import { printNexthopBucket } from '../src/cli/format-nexthop.js';
import { Printer } from '../src/cli/print.js';
import { hex } from './helpers/bytes.js';
import { refusalOf } from './helpers/refusal.js';
import { asIp, asIpBucket, SPECS } from './helpers/nexthop.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

/** Each captured `ip nexthop add` by the id it made (SPECS holds the same, as specs). */
const ADDS: Array<[string, number]> = [
  ['add-dev', 1], ['add-via', 2], ['add-via6', 3], ['add-onlink', 4], ['add-blackhole', 5], ['add-group', 10],
  ['add-group-weights', 11], ['add-resilient', 12], ['add-fdb', 20], ['add-fdb-group', 21], ['add-encap', 30],
];
/** v0's index where the vectors were captured (its veth peer, v1, came first). */
const V0 = 3;
/** The bucket vectors: ip's words and the kernel's answers, with what ip printed from those very answers. */
const BUCKETS = ['bucket-dump', 'bucket-dump-json', 'bucket-get', 'bucket-nhid', 'bucket-get-range'];

/** A vector's lines of one kind: `text` (ip's output, line by line) or `json`. */
const linesOf = (name: string, kind: 'text' | 'json'): string[] => readFileSync(fileURLToPath(new URL(`../../test/vectors/nexthop/${name}.txt`, import.meta.url)), 'utf8')
  .split('\n').filter((l) => l.startsWith(`${kind} `)).map((l) => l.slice(kind.length + 1));

t.test('every captured request and reply decodes and re-encodes to the same bytes', async (t) => {
  for (const name of [...ADDS.map(([n]) => n), 'del', 'dump', 'monitor', ...BUCKETS]) {
    const v = vector(`nexthop/${name}`);
    const messages = name === 'monitor' ? v.replies : [v.request, ...v.replies];
    t.ok(messages.length > 0, `${name}: messages`);
    for (const m of messages) t.same(reencode(nhCodec, m.payload).bytes, m.payload, `${name}: ${v.command}`);
  }
});

t.test('a nexthop as the kernel tells it, byte by byte', async (t) => {
  const [added] = vector('nexthop/monitor').replies;
  t.same(added.payload, hex(`
    02 fd 00 00 00000000       # nhmsg: AF_INET, scope link, protocol unspec, flags 0
    0800 0100 4d000000         # NHA_ID 77
    0800 0500 03000000         # NHA_OIF 3 (v0)
    0800 0600 c0000207         # NHA_GATEWAY 192.0.2.7
  `), 'as captured');
  t.strictSame({ ...toNexthopObject(nhCodec.decode(added.payload), new Map([[V0, 'v0']])) }, {
    id: 77, family: 'inet', scope: 'link', protocol: 'unspec', flags: [], index: V0, dev: 'v0', gateway: '192.0.2.7',
  });
  const grp = nhCodec.decode(vector('nexthop/dump').replies.find((m) => nhCodec.decode(m.payload).attrs.id === 11)?.payload ?? new Uint8Array());
  t.same(grp.attrs.group, [{ id: 2, weight: 6, weightHigh: 0, resvd2: 0 }, { id: 4, weight: 4, weightHigh: 0, resvd2: 0 }], 'nexthop_grp: a weight is sent less one');
  t.same(toNexthopObject(grp).group, [{ id: 2, weight: 7 }, { id: 4, weight: 5 }], '... and read back as given');
});

t.test('a resilient group\'s bucket as the kernel tells it, byte by byte', async (t) => {
  const [answer] = vector('nexthop/bucket-get').replies;
  t.same(answer.payload, hex(`
    00 00 00 00 00000000       # nhmsg: AF_UNSPEC, flags 0
    0800 0100 2a000000         # NHA_ID 42 (the group)
    2000 0d80                  # NHA_RES_BUCKET, nested
      0600 0100 0500 0000      #   NHA_RES_BUCKET_INDEX 5
      0800 0300 29000000       #   NHA_RES_BUCKET_NH_ID 41 (the member)
      0c00 0200 1300000000000000 # NHA_RES_BUCKET_IDLE_TIME 19 (clock_t)
  `), 'as captured');
  t.strictSame({ ...toNexthopBucket(nhCodec.decode(answer.payload)) }, { id: 42, index: 5, nhId: 41, idleTime: 0.19, flags: [] });
});

t.test('ip nexthop bucket show and get: rtnl prints from the kernel\'s answers what ip printed from them', async (t) => {
  const print = (json: boolean, name: string): string => {
    const p = new Printer(json, false, false);
    p.listing = true;
    for (const m of vector(`nexthop/${name}`).replies) printNexthopBucket(p, nhCodec.decode(m.payload));
    return p.output();
  };
  for (const name of ['bucket-dump', 'bucket-get', 'bucket-nhid']) {
    t.equal(print(false, name), linesOf(name, 'text').map((l) => `${l}\n`).join(''), vector(`nexthop/${name}`).command);
    t.ok(linesOf(name, 'text').length > 0, `${name}: lines to compare`);
  }
  const [json] = linesOf('bucket-dump-json', 'json');
  t.same(JSON.parse(print(true, 'bucket-dump-json')), JSON.parse(json), 'ip -j nexthop bucket show');
  t.same(vector('nexthop/bucket-dump-json').replies.map((m) => asIpBucket(toNexthopBucket(nhCodec.decode(m.payload)))), JSON.parse(json), 'toNexthopBucket(): the same');
});

t.test('the bucket requests are those ip sends', async (t) => {
  const request = (name: string): unknown => nhCodec.decode(vector(`nexthop/${name}`).request.payload);
  t.same(bucketDumpMessage({}), request('bucket-dump'), 'bucket show');
  t.same(bucketDumpMessage({ id: 42, nhId: 41, oif: V0 }), request('bucket-nhid'), 'bucket show id 42 nhid 41 dev v0');
  t.same(bucketMessage({ id: 42, index: 5 }), request('bucket-get'), 'bucket get id 42 index 5');
  t.same(bucketMessage({ id: 42, index: 0 }).attrs.resBucket, { index: 0 }, 'index 0 is an index');
  const refusal = (ref: unknown): string => refusalOf(() => bucketMessage(ref as never));
  t.equal(refusal({ id: 42 }), 'nexthop 42 bucket undefined: an index from 0 to 65535 is needed');
  t.equal(refusal({ id: 42, index: 65536 }), 'nexthop 42 bucket 65536: index 65536 is not an integer from 0 to 65535');
  t.equal(refusal({ id: 42, index: -1 }), 'nexthop 42 bucket -1: index -1 is not an integer from 0 to 65535');
  t.equal(refusal({ id: 0, index: 1 }), 'nexthop 0 bucket 1: an id from 1 is needed, not 0');
  t.equal(refusal({ index: 1 }), 'nexthop undefined bucket 1: an id from 1 is needed, not undefined');
  t.match(refusal(null), /^nexthop bucket: expected an object/);
});

t.test('nexthopMessage() builds what ip sends', async (t) => {
  for (const [name, id] of ADDS) {
    const spec = SPECS.find((s) => s.id === id);
    if (!spec) throw new Error(`no spec for ${name}`);
    t.same(nexthopMessage(spec, spec.dev === undefined ? undefined : V0), nhCodec.decode(vector(`nexthop/${name}`).request.payload), `${name}: ${vector(`nexthop/${name}`).command}`);
  }
  t.same(nexthopMessage({ id: 6, blackhole: true, family: 'inet6' }, undefined).family, 10, 'an IPv6 blackhole, by its family');
  t.same(nexthopMessage({ group: [{ id: 1, weight: 300 }] }, undefined).attrs.group, [{ id: 1, weight: 43, weightHigh: 1, resvd2: 0 }], 'a weight past 256: its high byte');
});

t.test('the dump reads as ip -j nexthop show printed it', async (t) => {
  const lines = readFileSync(fileURLToPath(new URL('../../test/vectors/nexthop/dump.txt', import.meta.url)), 'utf8').split('\n');
  const json = JSON.parse(lines.find((l) => l.startsWith('json '))?.slice(5) ?? '[]') as unknown[];
  const listed = vector('nexthop/dump').replies.map((m) => toNexthopObject(nhCodec.decode(m.payload), new Map([[V0, 'v0']])));
  t.same(listed.map(asIp), json, 'every kind');
  t.match(listed.find((n) => n.id === 12), { groupType: 'resilient', resilient: { buckets: 8, idleTimer: 60, unbalancedTimer: 120, unbalancedTime: 0 } });
  t.match(listed.find((n) => n.id === 30)?.encap, { type: 'ip', id: 5, dst: '203.0.113.9' });
  t.same(listed.find((n) => n.id === 21), Object.assign(Object.create(Object.getPrototypeOf(listed[0]) as object), {
    id: 21, family: 0, scope: 'global', protocol: 'unspec', flags: [], group: [{ id: 20, weight: 1 }], groupType: 'mpath', fdb: true,
  }), 'an FDB group: its family is AF_UNSPEC');
});

t.test('hostile bytes: a nexthop_grp cut short, random and mangled payloads', async (t) => {
  t.throws(() => nhCodec.decode(hex('00000000 00000000  0b00 0200 01000000 000000')), new DecodeError('group: NHA_GROUP is 7 bytes, not a whole number of 8-byte nexthop_grp'));
  fuzz(t, nhCodec, [...vector('nexthop/dump').replies, ...vector('nexthop/bucket-dump').replies].map((m) => m.payload));
});

t.test('nexthopMessage() refuses what the kernel would misread, naming the nexthop and the member', async (t) => {
  const refusal = (spec: unknown): string => refusalOf(() => nexthopMessage(spec as never, undefined));
  t.equal(refusal({ id: 7, group: [1, { id: 0 }] }), 'nexthop 7 group 1/0: group member 2 needs an id from 1');
  t.equal(refusal({ id: 7, group: [1, { id: 'x' }] }), 'nexthop 7 group 1/x: group member 2 id "x" is not an integer from 0 to 4294967295');
  t.equal(refusal({ id: 7, group: [1, 'x'] }), 'nexthop 7 group 1/x: group member 2: expected an object, not string');
  t.equal(refusal({ group: [1, { id: 2, weight: 0 }] }), 'nexthop group 1/2: group member 2: a weight is from 1 to 65536');
  t.equal(refusal({ group: [1, { id: 2, weight: 65537 }] }), 'nexthop group 1/2: group member 2 weight 65537 is not an integer from 0 to 65536');
  for (const [idleTimer, outcome] of [[0, 'taken'], [42949672.95, 'taken'], [42949672.96, 'too long'], [-0.01, 'negative'], ['60', 'a string']] as const) {
    const message = refusal({ group: [1], groupType: 'resilient', resilient: { idleTimer } });
    if (outcome === 'taken') t.equal(message, 'taken', `idleTimer ${idleTimer}: taken`);
    else t.equal(message, `nexthop group 1: resilient.idleTimer must be a number of seconds from 0, not ${JSON.stringify(idleTimer)}`, `idleTimer ${idleTimer}: ${outcome}`);
  }
  t.same(nexthopMessage({ group: [1], groupType: 'resilient', resilient: { idleTimer: 0.5, unbalancedTimer: 42949672.95 } }, undefined).attrs.resGroup,
    { buckets: undefined, idleTimer: 50, unbalancedTimer: 0xffffffff }, 'timers in clock_t (hundredths)');
  t.same(nexthopMessage({ group: [{ id: 1, weight: 256 }, { id: 2, weight: 257 }] }, undefined).attrs.group,
    [{ id: 1, weight: 255, weightHigh: 0, resvd2: 0 }, { id: 2, weight: 0, weightHigh: 1, resvd2: 0 }], 'weights 256 and 257 across the byte');
});

t.test('describe(): how a nexthop reads in errors', async (t) => {
  t.equal(describe(5), 'nexthop 5');
  t.equal(describe({ id: 5, gateway: '192.0.2.1', dev: 'v0' }), 'nexthop 5 via 192.0.2.1 dev v0');
  t.equal(describe({ blackhole: true }), 'nexthop blackhole');
  t.equal(describe({ id: 9, group: [1, { id: 2, weight: 3 }] }), 'nexthop 9 group 1/2');
  t.equal(describe({ group: 'x' as never }), 'nexthop');
});
