// Forwarding entries without a kernel: iproute2's `bridge fdb` requests and the kernel's dump
// (test/vectors/fdb/, captured by its capture.sh) decode and re-encode to the same bytes,
// fdbMessage() builds what bridge sends (VLANs too, which this kernel's bridge lacks), and the
// dump reads as bridge printed it.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { neighbourCodec } from '../codecs/route/neighbour.js';
import { fdbMessage, toFdbEntry, type FdbSpec } from '../src/api/fdb.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';
import { asBridge } from './helpers/bridge.js';

const requests: Array<[name: string, spec: FdbSpec, index: number, via?: number]> = [
  ['add-master-static', { lladdr: '02:00:00:00:00:01', dev: 'v0', flags: ['master'], state: 'static' }, 4],
  ['add-self', { lladdr: '01:00:5e:00:00:fb', dev: 'v0' }, 4],
  ['add-vlan', { lladdr: '02:00:00:00:00:02', dev: 'v0', flags: ['master', 'sticky'], vlan: 5 }, 4],
  ['append-vxlan', { lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '192.0.2.1', port: 4790, vni: 7, srcVni: 9 }, 5, 3],
  ['replace-dynamic', { lladdr: '02:00:00:00:00:01', dev: 'v0', flags: ['master'], state: 'dynamic' }, 4],
  ['del-master', { lladdr: '02:00:00:00:00:01', dev: 'v0', flags: ['master'] }, 4],
];

t.test('every captured request and dump reply decodes and re-encodes to the same bytes', async (t) => {
  for (const name of [...requests.map(([n]) => n), 'dump']) {
    const v = vector(`fdb/${name}`);
    for (const m of [v.request, ...v.replies]) t.same(reencode(neighbourCodec, m.payload).bytes, m.payload, `${name}: ${v.command}`);
  }
});

t.test('fdbMessage() builds what bridge fdb sends', async (t) => {
  for (const [name, spec, index, via] of requests) {
    const m = fdbMessage(spec);
    m.ifindex = index;
    if (via !== undefined) m.attrs.ifindex = via;
    t.same(m, neighbourCodec.decode(vector(`fdb/${name}`).request.payload), `${name}: ${vector(`fdb/${name}`).command}`);
  }
});

t.test('the dump reads as bridge -j fdb show printed it', async (t) => {
  const file = readFileSync(fileURLToPath(new URL('../../test/vectors/fdb/dump.txt', import.meta.url)), 'utf8').split('\n');
  const line = (key: string): unknown => JSON.parse((file.find((l) => l.startsWith(`${key} `)) ?? '').slice(key.length + 1));
  const names = new Map((line('links') as Array<{ ifindex: number; ifname: string }>).map((l) => [l.ifindex, l.ifname]));
  const entries = vector('fdb/dump').replies.map((m) => toFdbEntry(neighbourCodec.decode(m.payload), names));
  t.same(entries.map((e) => asBridge(e, names)), line('json'));
  t.same(entries.filter((e) => e.master !== undefined).map((e) => [e.dev, e.masterName, e.state, e.flags]),
    [['br0', 'br0', 'permanent', []], ['v0', 'br0', 'permanent', []]], 'the bridge\'s entries name it (NDA_MASTER) and have no flag');
});

t.test('states: each name as bridge sends it, and the kernel\'s one-bit form read as the same name', async (t) => {
  const read = (state: number): unknown => toFdbEntry({ family: 7, pad1: 0, pad2: 0, ifindex: 1, state, flags: 0, type: 0, attrs: {} }).state;
  t.same([0x80, 0xc0, 0x40, 0x42, 0x04, 0x02, 0x01, 0x82].map(read), ['permanent', 'permanent', 'static', 'static', 'stale', 'dynamic', 1, 0x82]);
  for (const state of ['permanent', 'static', 'dynamic', 'stale', 0x82] as const) {
    t.equal(read(fdbMessage({ lladdr: '02:00:00:00:00:01', dev: 1, state }).state), state, `${state} made and read back`);
  }
});

t.test('hostile bytes: decoding an FDB message works or throws DecodeError', async (t) => {
  fuzz(t, neighbourCodec, vector('fdb/dump').replies.map((m) => m.payload));
});
