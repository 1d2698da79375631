// Nexthop objects without a kernel: what `ip nexthop` and `ip monitor nexthop` exchanged with
// this kernel (test/vectors/nexthop/, captured by its capture.sh) decodes and re-encodes to the
// same bytes, reads as ip -j printed it, and the API builds the requests ip sent.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DecodeError } from '../codecs/netlink/errors.js';
import { nhCodec } from '../codecs/route/nexthop.js';
import { describe, nexthopMessage, toNexthopObject } from '../src/api/nexthop.js';
import { hex } from './helpers/bytes.js';
import { asIp, SPECS } from './helpers/nexthop.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

/** Each captured `ip nexthop add` by the id it made (SPECS holds the same, as specs). */
const ADDS: Array<[string, number]> = [
  ['add-dev', 1], ['add-via', 2], ['add-via6', 3], ['add-onlink', 4], ['add-blackhole', 5], ['add-group', 10],
  ['add-group-weights', 11], ['add-resilient', 12], ['add-fdb', 20], ['add-fdb-group', 21], ['add-encap', 30],
];
/** v0's index where the vectors were captured (its veth peer, v1, came first). */
const V0 = 3;

t.test('every captured request and reply decodes and re-encodes to the same bytes', async (t) => {
  for (const name of [...ADDS.map(([n]) => n), 'del', 'dump', 'monitor']) {
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
  fuzz(t, nhCodec, vector('nexthop/dump').replies.map((m) => m.payload));
});

t.test('nexthopMessage() refuses what the kernel would misread, naming the nexthop and the member', async (t) => {
  const refusal = (spec: unknown): string => {
    try {
      nexthopMessage(spec as never, undefined);
    } catch (e) {
      return (e as Error).message;
    }
    return 'taken';
  };
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
