// Route codec: iproute2's requests and the kernel's answers (test/vectors/route/), decoded
// to what they mean and encoded back to the same bytes; the API builds the same requests.
import t from 'tap';
import fc from 'fast-check';
import { routeCodec, type RouteMessage } from '../codecs/route/route.js';
import { Writer } from '../codecs/netlink/writer.js';
import { InvalidArgumentError } from '../src/errors.js';
import { routeMessage, toRoute, type RouteSpec } from '../src/api/route.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

const requests = ['add-default-via', 'add-dev-options', 'add-multipath', 'add-blackhole', 'add-unreachable',
  'add-prohibit-table', 'add-v6-via', 'add-onlink', 'del', 'get', 'dump-v4', 'dump-v6'];

t.test('every captured request and reply decodes and re-encodes to the same bytes', async (t) => {
  for (const name of requests) {
    const v = vector(`route/${name}`);
    for (const m of [v.request, ...v.replies]) t.same(reencode(routeCodec, m.payload).bytes, m.payload, `${name}: ${v.command}`);
  }
});

// What each `ip route` command means, as a spec of ours (mv1 had index 4 in the capture).
const specs: Array<[string, RouteSpec, boolean]> = [
  ['add-default-via', { dst: 'default', gateway: '192.0.2.1' }, false],
  ['add-dev-options', { dst: '198.51.100.0/24', dev: 4, protocol: 'static', metric: 100, mtu: 1400, src: '192.0.2.5' }, false],
  ['add-multipath', { dst: '203.0.113.0/24', nexthops: [{ gateway: '192.0.2.1', weight: 1 }, { gateway: '192.0.2.2', dev: 4, weight: 3 }] }, false],
  ['add-blackhole', { dst: '198.51.100.128/25', type: 'blackhole' }, false],
  ['add-unreachable', { dst: '198.51.100.64/26', type: 'unreachable', metric: 5 }, false],
  ['add-prohibit-table', { dst: '198.51.100.32/27', type: 'prohibit', table: 1000 }, false],
  ['add-v6-via', { dst: '2001:db8:1::/48', gateway: '2001:db8::1', dev: 4, metric: 1024 }, false],
  ['add-onlink', { dst: '198.51.100.16/28', gateway: '203.0.113.1', dev: 4, onlink: true }, false],
  ['del', { dst: '198.51.100.32/27', type: 'prohibit', table: 1000 }, true],
];

t.test('routeMessage() builds what iproute2 sends', async (t) => {
  for (const [name, spec, del] of specs) {
    const theirs = routeCodec.decode(vector(`route/${name}`).request.payload);
    t.same(routeMessage(spec, del, (d) => d as number), theirs, name);
  }
});

t.test('decoded dumps and `ip route get` read as iproute2 prints them', async (t) => {
  const names = new Map([[4, 'mv1']]);
  const v4 = vector('route/dump-v4').replies.map((m) => toRoute(routeCodec.decode(m.payload), names));
  t.same(v4.map((r) => r.dst), ['default', '192.0.2.0/24', '198.51.100.0/24', '198.51.100.16/28', '198.51.100.64/26', '198.51.100.128/25', '203.0.113.0/24']);
  t.match(v4[0], { family: 'inet', gateway: '192.0.2.1', dev: 'mv1', index: 4, protocol: 'boot', scope: 'global', type: 'unicast', table: 'main' });
  t.match(v4[1], { protocol: 'kernel', scope: 'link', src: '192.0.2.5', dev: 'mv1' });
  t.match(v4[2], { protocol: 'static', metric: 100, metrics: { mtu: 1400 }, src: '192.0.2.5' });
  t.match(v4[3], { gateway: '203.0.113.1', flags: ['onlink'] });
  t.match(v4[4], { type: 'unreachable', metric: 5 });
  t.match(v4[5], { type: 'blackhole' });
  t.same(v4[6].nexthops, [
    { index: 4, dev: 'mv1', weight: 1, flags: [], gateway: '192.0.2.1' },
    { index: 4, dev: 'mv1', weight: 3, flags: [], gateway: '192.0.2.2' },
  ]);
  const v6 = vector('route/dump-v6').replies.map((m) => toRoute(routeCodec.decode(m.payload), names));
  t.ok(v6.some((r) => r.dst === '2001:db8:1::/48' && r.gateway === '2001:db8::1' && r.metric === 1024 && r.family === 'inet6'));
  const got = toRoute(routeCodec.decode(vector('route/get').replies[0].payload), names);
  t.match(got, { dst: '203.0.113.7/32', gateway: '192.0.2.2', dev: 'mv1', src: '192.0.2.5', table: 'main', flags: ['cloned'], uid: 0 });
});

t.test('bad input is an InvalidArgumentError naming the thing at fault', async (t) => {
  const bad: Array<[RouteSpec, RegExp]> = [
    [{ dst: '198.51.100.0/33' }, /route 198\.51\.100\.0\/33: dst "198\.51\.100\.0\/33": prefix length must be 0 to 32/],
    [{ dst: '198.51.100.300/24' }, /not a valid IPv4 or IPv6 address/],
    [{ dst: 'default', gateway: '192.0.2' }, /gateway "192\.0\.2": not a valid/],
    [{ dst: 'default', type: 'wormhole' as never }, /unknown route type "wormhole" \(known: unspec, unicast/],
    [{ dst: 'default', scope: 'galaxy' as never }, /unknown scope "galaxy"/],
    [{ dst: 'default', table: 2 ** 32 }, /table 4294967296 is not an integer/],
    [{ dst: '203.0.113.0/24', nexthops: [{ gateway: '192.0.2.1', weight: 0 }] }, /nexthop 1 weight 0 is not an integer from 1 to 256/],
  ];
  for (const [spec, re] of bad) {
    t.throws(() => routeMessage(spec, false, () => 1), re);
    t.throws(() => routeMessage(spec, false, () => 1), InvalidArgumentError);
  }
});

t.test('hand-built route messages encode then decode to themselves', async (t) => {
  const ip4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
  const msg: fc.Arbitrary<RouteMessage> = fc.record({
    family: fc.constant(2), dstLen: fc.nat(32), srcLen: fc.constant(0), tos: fc.nat(255), table: fc.nat(255),
    protocol: fc.nat(255), scope: fc.nat(255), type: fc.nat(255), flags: fc.nat(),
    attrs: fc.record({
      dst: ip4, gateway: ip4, oif: fc.nat(), priority: fc.nat(), table: fc.nat(),
      metrics: fc.record({ mtu: fc.nat(), advmss: fc.nat(), congctl: fc.constantFrom('cubic', 'reno') }, { requiredKeys: [] }),
      multipath: fc.array(fc.record({ flags: fc.nat(255), hops: fc.nat(255), ifindex: fc.nat(), attrs: fc.record({ gateway: ip4 }, { requiredKeys: [] }) })),
    }, { requiredKeys: [] }),
  });
  fc.assert(fc.property(msg, (m) => {
    const w = new Writer();
    routeCodec.encode(w, m);
    return t.same(routeCodec.decode(w.finish()), m); // returned: fast-check shrinks a failure
  }), { numRuns: 300 });
});

t.test('random and mutated route bytes only ever fail with DecodeError', async (t) => {
  fuzz(t, routeCodec, requests.flatMap((n) => { const v = vector(`route/${n}`); return [v.request, ...v.replies].map((m) => m.payload); }));
});
