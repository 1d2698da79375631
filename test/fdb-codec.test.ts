// Forwarding entries without a kernel: iproute2's `bridge fdb` requests and the kernel's dump
// (test/vectors/fdb/, captured by its capture.sh) decode and re-encode to the same bytes,
// fdbMessage() builds what bridge sends (VLANs too, which this kernel's bridge lacks), and the
// dump reads as bridge printed it.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { neighbourCodec } from '../codecs/route/neighbour.js';
import { decodeFdb, fdbMessage, toFdbEntry, type FdbSpec } from '../src/api/fdb.js';
import { Writer } from '../codecs/netlink/writer.js';
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

t.test('an entry has the keys of what the kernel said, and no key without a value', async (t) => {
  const names = new Map([[4, 'v0'], [2, 'br0']]);
  for (const m of vector('fdb/dump').replies) {
    const e = toFdbEntry(neighbourCodec.decode(m.payload), names);
    t.ok(Object.values(e).every((v) => v !== undefined), `${e.lladdr} on ${e.index}: ${Object.keys(e).join(' ')}`);
    if (e.master !== undefined) t.ok(typeof e.used === 'number' && typeof e.updated === 'number', `${e.lladdr}: a bridge's entry has its timers`);
  }
  t.notOk('dev' in toFdbEntry(neighbourCodec.decode(vector('fdb/dump').replies[0].payload)), 'no names given: no dev');
  const bare = toFdbEntry({ family: 7, pad1: 0, pad2: 0, ifindex: 5, state: 0x80, flags: 0, type: 0, attrs: { master: 6 } }, new Map([[5, 'v0']]));
  t.strictSame({ ...bare }, { index: 5, state: 'permanent', flags: [], dev: 'v0', master: 6 }, 'no MAC said: no lladdr; a bridge not named: no masterName');
  // Every attribute an entry can carry (VLANs, source VNIs, nexthops and other namespaces' links are not made here).
  const w = new Writer();
  neighbourCodec.encode(w, {
    family: 7, pad1: 0, pad2: 0, ifindex: 5, state: 0x40, flags: 0x10, type: 0,
    attrs: { lladdr: '02:00:00:00:00:01', dst: '2001:db8::1', vlan: 5, port: 4790, vni: 7, srcVni: 9, ifindex: 3, linkNsid: 2, nhId: 11, master: 6, protocol: 4, cacheinfo: { confirmed: 1, used: 2, updated: 3, refcnt: 0 } },
  });
  t.strictSame({ ...toFdbEntry(neighbourCodec.decode(w.finish()), new Map([[5, 'vx0'], [6, 'br0']])) }, {
    index: 5, state: 'static', flags: ['extern_learn'], lladdr: '02:00:00:00:00:01', dev: 'vx0', master: 6, masterName: 'br0', vlan: 5,
    dst: '2001:db8::1', port: 4790, vni: 7, srcVni: 9, via: 3, linkNetnsid: 2, nhId: 11, protocol: 'static', used: 2, updated: 3,
  });
});

t.test('decodeFdb() takes the FDB\'s messages only', async (t) => {
  const [neigh] = vector('neighbour/dump').replies;
  t.equal(decodeFdb(neigh), undefined, 'an ARP entry is not one');
  const [fdb] = vector('fdb/dump').replies;
  t.same(decodeFdb(fdb), neighbourCodec.decode(fdb.payload), 'a bridge\'s is');
});

t.test('fdbMessage(): each number at its limits, and past them refused by name', async (t) => {
  const spec = { lladdr: '02:00:00:00:00:01', dev: 'v0' };
  for (const [key, min, max] of [['vlan', 1, 4094], ['port', 0, 65535], ['vni', 0, 0xffffff], ['srcVni', 0, 0xffffff]] as const) {
    t.equal(fdbMessage({ ...spec, [key]: min }).attrs[key], min, `${key} ${min}`);
    t.equal(fdbMessage({ ...spec, [key]: max }).attrs[key], max, `${key} ${max}`);
    for (const bad of [min - 1, max + 1, 1.5, '5']) {
      t.throws(() => fdbMessage({ ...spec, [key]: bad as number }), { name: 'InvalidArgumentError', message: new RegExp(`^fdb entry 02:00:00:00:00:01 on "v0".*: ${key} ${JSON.stringify(bad).replace('.', '\\.')} is not an integer from ${min} to ${max}$`) }, `${key} ${JSON.stringify(bad)}`);
    }
  }
  t.equal(fdbMessage({ ...spec, state: 0xffff }).state, 0xffff, 'a state by number');
  t.throws(() => fdbMessage({ ...spec, state: 0x10000 }), { message: /: state 65536 is not an integer from 0 to 65535$/ });
  t.equal(fdbMessage({ ...spec, flags: [0xff] }).flags, 0xff, 'flags by number, all eight bits');
  t.throws(() => fdbMessage({ ...spec, flags: [0x100] }), { message: /flags 256 do not fit ndm_flags \(8 bits\)$/ });
  t.equal(fdbMessage(spec).flags, 2, 'no flags: self, as bridge assumes');
  t.equal(fdbMessage({ ...spec, flags: [] }).flags, 0, 'an empty list: none');
  t.throws(() => fdbMessage({ lladdr: 'x', dev: 4 }), { message: 'fdb entry x on link 4: lladdr "x" is not a MAC address (six hex bytes like 02:00:00:00:00:01)' }, 'a link by index named so');
  t.throws(() => fdbMessage({ ...spec, vlan: 7, lladdr: 'x' }), { message: /^fdb entry x on "v0" vlan 7: / }, 'its VLAN too');
});

t.test('hostile bytes: decoding an FDB message works or throws DecodeError', async (t) => {
  fuzz(t, neighbourCodec, vector('fdb/dump').replies.map((m) => m.payload));
});
