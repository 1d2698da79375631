// Neighbour codec: iproute2's `ip neigh` requests and the kernel's dump (test/vectors/neighbour/),
// decoded and re-encoded; the API builds the same requests.
import t from 'tap';
import { neighbourCodec } from '../codecs/route/neighbour.js';
import { InvalidArgumentError } from '../src/errors.js';
import { neighbourMessage, toNeighbour, type NeighbourOptions } from '../src/api/neighbour.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

const names = ['add', 'add-v6-router', 'replace-stale', 'add-noarp', 'del', 'dump'];

t.test('every captured request and reply decodes and re-encodes to the same bytes', async (t) => {
  for (const name of names) {
    const v = vector(`neighbour/${name}`);
    for (const m of [v.request, ...v.replies]) t.same(reencode(neighbourCodec, m.payload).bytes, m.payload, `${name}: ${v.command}`);
  }
});

t.test('neighbourMessage() builds what iproute2 sends', async (t) => {
  const cases: Array<[string, string, string | undefined, NeighbourOptions]> = [
    ['add', '192.0.2.1', '02:00:00:00:00:aa', {}],
    ['add-v6-router', '2001:db8::1', '02:00:00:00:00:bb', { router: true, state: 'reachable' }],
    ['replace-stale', '192.0.2.2', '02:00:00:00:00:cc', { state: 'stale' }],
    ['add-noarp', '192.0.2.3', '02:00:00:00:00:dd', { state: 'noarp' }],
    ['del', '192.0.2.3', undefined, {}],
  ];
  for (const [name, address, lladdr, opts] of cases) {
    t.same(neighbourMessage(4, address, lladdr, opts), neighbourCodec.decode(vector(`neighbour/${name}`).request.payload), name);
  }
});

t.test('the dump decodes to states and flags as `ip neigh show` prints them', async (t) => {
  const got = vector('neighbour/dump').replies.map((m) => toNeighbour(neighbourCodec.decode(m.payload), new Map([[4, 'mv1']])));
  t.same(got.map((n) => [n.address, n.lladdr, n.state, n.flags]), [
    ['192.0.2.2', '02:00:00:00:00:cc', 'stale', []],
    ['192.0.2.1', '02:00:00:00:00:aa', 'permanent', []],
    ['2001:db8::1', '02:00:00:00:00:bb', 'reachable', ['router']],
    ['ff02::16', '33:33:00:00:00:16', 'noarp', []],
    ['ff02::1:ff00:101', '33:33:ff:00:01:01', 'noarp', []],
  ]);
  t.match(got[0], { family: 'inet', dev: 'mv1', index: 4, probes: 0, confirmed: 6006, used: 6, updated: 6 });
});

t.test('every NUD state by its bit, both ways (delay 0x08 and probe 0x10 too)', async (t) => {
  const states = { incomplete: 0x01, reachable: 0x02, stale: 0x04, delay: 0x08, probe: 0x10, failed: 0x20, noarp: 0x40, permanent: 0x80 } as const;
  for (const [name, bit] of Object.entries(states)) {
    const m = neighbourMessage(4, '192.0.2.7', '02:00:00:00:00:07', { state: name as keyof typeof states });
    t.equal(m.state, bit, `${name} is 0x${bit.toString(16)}`);
    t.equal(toNeighbour({ ...m, state: bit }).state, name, `0x${bit.toString(16)} reads as ${name}`);
  }
});

t.test('bad input is an InvalidArgumentError naming the thing at fault', async (t) => {
  t.throws(() => neighbourMessage(1, '192.0.2.256', '02:00:00:00:00:01'), /neighbour "192\.0\.2\.256": not a valid/);
  t.throws(() => neighbourMessage(1, '192.0.2.1', '02:00:zz'), /neighbour 192\.0\.2\.1 lladdr "02:00:zz": not a link-layer address/);
  t.throws(() => neighbourMessage(1, '192.0.2.1', '02:00:00:00:00:01', { state: 'sleepy' as never }), /unknown neighbour state "sleepy"/);
  t.throws(() => neighbourMessage(1, '192.0.2.256', undefined), InvalidArgumentError);
});

t.test('random and mutated neighbour bytes only ever fail with DecodeError', async (t) => {
  fuzz(t, neighbourCodec, names.flatMap((n) => { const v = vector(`neighbour/${n}`); return [v.request, ...v.replies].map((m) => m.payload); }));
});
