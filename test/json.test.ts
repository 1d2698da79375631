// Objects that serialise: a dump of every link kind this kernel has, and the addresses, routes
// and neighbours of a namespace, through JSON.stringify and back. The expected form is built
// here by hand (u64 -> decimal string, bytes -> hex), not by the library's own converter.
import t from 'tap';
import { RtNetlink, Macvlan, type Link } from '../src/index.js';
import { Writer } from '../codecs/netlink/writer.js';
import { decodeLink, encodeLink } from '../codecs/route/link.js';
import { ip, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

/** What JSON should hold for a value: walked here, independently of codecs/netlink/json.ts. */
function expected(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString(10);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(expected);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, expected(x)]));
  }
  return v;
}

t.test('a dump of every kind this kernel has goes through JSON and back', kernel, async (t) => {
  const ns = scratchNetns(t);
  vethPair(ns, 'p0', 'p1');
  const cmds = [
    ['link', 'add', 'br0', 'type', 'bridge'],
    ['link', 'set', 'p1', 'master', 'br0'],
    ['link', 'set', 'p1', 'type', 'bridge_slave', 'hairpin', 'on'],
    ['link', 'add', 'link', 'p0', 'name', 'mvp', 'type', 'macvlan', 'mode', 'private'],
    ['link', 'add', 'link', 'p0', 'name', 'mvs', 'type', 'macvlan', 'mode', 'source'],
    ['link', 'add', 'link', 'p0', 'name', 'mvs2', 'type', 'macvlan', 'mode', 'source', 'macaddr', 'add', '02:00:00:00:00:09'],
    ['link', 'add', 'link', 'p0', 'name', 'tap0', 'type', 'macvtap', 'mode', 'bridge'],
    ['link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'dev', 'p0'],
    ['tuntap', 'add', 'dev', 'tun0', 'mode', 'tap'],
    ['link', 'add', 'ifb0', 'type', 'ifb'],
  ];
  for (const c of cmds) ip(c, { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const links = await rt.link.list();
  const kinds = new Set(links.map((l) => `${l.info?.kind ?? '-'}/${l.info?.slaveKind ?? '-'}`));
  t.same([...kinds].sort(), ['-/-', 'bridge/-', 'ifb/-', 'macvlan/-', 'macvtap/-', 'tun/-', 'veth/-', 'veth/bridge', 'vxlan/-'], 'every kind, a bridge port too');

  const text = JSON.stringify(links);
  const back = JSON.parse(text) as Array<Record<string, unknown>>;
  t.same(back, expected(links), 'JSON holds every field, BigInts as decimal strings, bytes as hex');
  t.notMatch(text, /"\d+":\d+/, 'no bytes spelled out as {"0":5,"1":0,...}');
  for (const [i, l] of links.entries()) {
    const stats = back[i].stats64 as Record<string, string>;
    t.equal(BigInt(stats.rxPackets), l.stats64?.rxPackets, `${l.name}: a counter comes back exact through BigInt()`);
  }
  const tun = links.find((l) => l.name === 'tun0') as Link;
  t.equal(tun.info?.kind === 'tun' ? tun.info.data?.type : undefined, 'tap', 'tun data typed');
  // A kind with data the library does not model (none in this kernel has any: made from bytes).
  const w = new Writer();
  encodeLink(w, { index: 9, name: 'wg0', info: { kind: 'wireguard', data: Uint8Array.of(8, 0, 1, 0, 42, 0, 0, 0) } } as Partial<Link>);
  const wg = decodeLink(w.finish());
  t.type(wg.info?.kind === 'wireguard' ? wg.info.data : undefined, Uint8Array, 'an unmodelled kind keeps its bytes');
  t.match((JSON.parse(JSON.stringify(wg)) as { info: { data: string } }).info.data, '080001002a000000', 'as hex in JSON');

  const mvs = await Macvlan.get('mvs', { netns: ns });
  t.same(JSON.parse(JSON.stringify(mvs)).sourceMacs, [], 'an empty source-MAC list is []');
  const mvs2 = await Macvlan.get('mvs2', { netns: ns });
  t.same(JSON.parse(JSON.stringify(mvs2)).sourceMacs, ['02:00:00:00:00:09']);
});

t.test('addresses, routes and neighbours are plain data: JSON gives them back equal', kernel, async (t) => {
  const ns = scratchNetns(t);
  vethPair(ns, 'v0', 'v1');
  await using rt = await RtNetlink.open({ netns: ns });
  const forever = await rt.address.add({ dev: 'v0', address: '192.0.2.5/24' });
  const timed = await rt.address.add({ dev: 'v0', address: '2001:db8::5/64', flags: ['nodad'], validLft: 600, preferredLft: 300 });
  t.equal(forever.validLft, 'forever', 'a lifetime that never ends');
  t.equal(JSON.parse(JSON.stringify(forever)).preferredLft, 'forever', 'survives JSON (Infinity would be null)');
  t.equal(timed.validLft, 600);
  await rt.route.add({ dst: '198.51.100.0/24', gateway: '192.0.2.1' });
  await rt.neighbour.add({ dev: 'v0', address: '192.0.2.1', lladdr: '02:00:00:00:00:aa' });
  for (const [what, list] of [
    ['addresses', await rt.address.list()], ['routes', await rt.route.list({ table: 'all' })], ['neighbours', await rt.neighbour.list()],
  ] as const) {
    t.ok(list.length > 0, `some ${what}`);
    t.same(JSON.parse(JSON.stringify(list)), list, `${what} round-trip through JSON`);
  }
});
