// Hostile values from plain JavaScript in every key of valid options, at each entry point: a
// bigint, an object without a prototype, NaN, null, a sparse array, a Map... Whatever the value,
// the call succeeds or fails with a NetlinkError (never a TypeError from inside the library, nor
// one from formatting the message that names the value), and nothing it made outlives the test.
// Then the same values as the arguments of a Macvlan's methods and of NetNS's.
import t from 'tap';
import fc from 'fast-check';
import { Macvlan, NetNS, NetlinkError, RtNetlink, monitor } from '../src/index.js';
import { ip, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

type Call = (rt: RtNetlink, o: never) => unknown;

/** Valid options for each entry point in `ns`, and how to call it; every key of each, nested ones too, gets the hostile values. */
const templates = (ns: string): Array<[name: string, options: object, call: Call]> => [
  ['link.add bridge', { name: 'x0', kind: 'bridge', mtu: 1400, bridge: { forwardDelay: 400 } }, (rt, o) => rt.link.add(o)],
  ['link.add macvlan', { name: 'x0', kind: 'macvlan', parent: 'v0', macvlan: { mode: 'source', flags: [], sourceMacs: ['02:00:00:00:00:07'] } }, (rt, o) => rt.link.add(o)],
  ['link.add veth', { name: 'x0', kind: 'veth', veth: { peer: { name: 'x1', mtu: 1400 } } }, (rt, o) => rt.link.add(o)],
  ['link.add vxlan', { name: 'x0', kind: 'vxlan', vxlan: { id: 5, port: 4789, local: '192.0.2.1' } }, (rt, o) => rt.link.add(o)],
  ['link.set', { mtu: 1400, up: true, inet: { arpNotify: 1 }, inet6: { addrGenMode: 'none' }, protoDownReason: { mask: 1, value: 0 } }, (rt, o) => rt.link.set('v1', o)],
  ['link.list', { kind: 'veth', group: 0, stats: false }, (rt, o) => rt.link.list(o)],
  ['address.add', { dev: 'v0', address: '192.0.2.5/24', label: 'v0:1', validLft: 100, preferredLft: 50, flags: ['noprefixroute'] }, (rt, o) => rt.address.add(o)],
  ['address.delete', { dev: 'v0', address: '192.0.2.5/24' }, (rt, o) => rt.address.delete(o)],
  ['route.add', { dst: '198.51.100.0/24', gateway: '192.0.2.2', metric: 5, metrics: { mtu: 1300 }, realms: { to: 3 } }, (rt, o) => rt.route.add(o)],
  ['route.add inet6', { dst: '2001:db8:5::/64', dev: 'v0', pref: 'high', expires: 100 }, (rt, o) => rt.route.add(o)],
  ['route.add multipath', { dst: '203.0.113.0/24', nexthops: [{ gateway: '192.0.2.2', weight: 2 }, { gateway: '192.0.2.3' }] }, (rt, o) => rt.route.add(o)],
  ['route.delete', { dst: '198.51.100.0/24', table: 'main' }, (rt, o) => rt.route.delete(o)],
  ['route.get', { from: '192.0.2.1', mark: 1, tos: 0 }, (rt, o) => rt.route.get('198.51.100.7', o)],
  ['rule.add', { priority: 100, table: 100, from: '192.0.2.0/24', dport: { start: 1, end: 5 }, uidRange: { start: 1, end: 2 } }, (rt, o) => rt.rule.add(o)],
  ['neighbour.add', { dev: 'v0', address: '192.0.2.9', lladdr: '02:00:00:00:00:09', state: 'permanent' }, (rt, o) => rt.neighbour.add(o)],
  ['nexthop.add', { id: 7, gateway: '192.0.2.2', dev: 'v0' }, (rt, o) => rt.nexthop.add(o)],
  ['nexthop.add group', { id: 8, group: [{ id: 7, weight: 2 }], groupType: 'mpath' }, (rt, o) => rt.nexthop.add(o)],
  ['fdb.add', { lladdr: '02:00:00:00:00:19', dev: 'v0', state: 'permanent' }, (rt, o) => rt.fdb.add(o)],
  ['neighbourTable.change', { name: 'arp_cache', dev: 'v0', queue: 5, thresh1: 10 }, (rt, o) => rt.neighbourTable.change(o)],
  ['stats.get', { dev: 'v0', groups: ['link'] }, (rt, o) => rt.stats.get(o)],
  ['netconf.get', { family: 'inet', dev: 'v0' }, (rt, o) => rt.netconf.get(o)],
  ['monitor', { link: true, maxQueued: 5 }, (_rt, o) => monitor(o).close()],
  ['RtNetlink.open', { timeout: 100, maxInFlight: 5 }, async (_rt, o) => (await RtNetlink.open(o)).close()],
  ['Macvlan.create', { name: 'm0', parent: 'v0', parentNetns: ns, mode: 'bridge', mtu: 1400, addresses: ['192.0.2.7/24'], up: false }, (_rt, o) => Macvlan.create(o)],
  ['Macvlan.list', { parent: 'v0', parentNetns: ns, netns: ns, kind: 'macvlan' }, (_rt, o) => Macvlan.list(o)],
  ['Macvlan.get', { name: 'v0', netns: ns }, (_rt, o: { name: string; netns: string }) => Macvlan.get(o.name, { netns: o.netns })],
];

/** Every key path of an options object, nested objects' keys too. */
function paths(o: object, prefix: string[] = []): string[][] {
  return Object.entries(o).flatMap(([k, v]) => [[...prefix, k], ...(v !== null && typeof v === 'object' && !Array.isArray(v) ? paths(v as object, [...prefix, k]) : [])]);
}

/** A copy of `o` with the value at `path` replaced. */
function withValue(o: object, path: string[], v: unknown): object {
  const copy = structuredClone(o) as Record<string, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[path[path.length - 1]] = v;
  return copy;
}

// Never `{ pid }`: a namespace reference, which could name the host's (pid 1's) from a test that must not reach it.
const hostile = fc.oneof(
  fc.anything({ withBigInt: true, withNullPrototype: true, withObjectString: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
  fc.constantFrom(undefined, null, NaN, -1, 2 ** 32, 1.5, '', 'x', [], {}, Object.create(null) as object, 10n, Symbol('s')),
).filter((v) => !(typeof v === 'object' && v !== null && 'pid' in v));

/** What the namespace holds, as ip lists it (links and addresses briefly: a link once up keeps a qdisc other than noop). */
const state = (ns: string): string => [['-br', 'link'], ['-br', 'address'], ['route'], ['rule'], ['neigh'], ['nexthop']].map((o) => ip([...o, 'show'], { netns: ns })).join('\n');

t.test('hostile values in every option: the call succeeds or fails with a NetlinkError, and nothing outlives it', kernel, async (t) => {
  const ns = scratchNetns(t, 'hos');
  vethPair(ns, 'v0', 'v1', false);
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'v0'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const before = state(ns);
  const links = new Set((await rt.link.list()).map((l) => l.index));
  const rules = new Set((await rt.rule.list()).map((r) => r.priority));
  const untyped: string[] = [];
  const cases = templates(ns);
  // Entry points in turn, and for each its keys in turn.
  for (const [i, v] of fc.sample(hostile, { numRuns: 2000, seed: 45 }).entries()) {
    const [name, options, call] = cases[i % cases.length];
    const all = paths(options);
    const path = all[Math.floor(i / cases.length) % all.length];
    try {
      await call(rt, withValue(options, path, v) as never);
    } catch (e) {
      if (!(e instanceof NetlinkError)) untyped.push(`${name} ${path.join('.')}: ${String((e as Error)?.stack ?? e).split('\n').slice(0, 2).join(' ')}`);
    }
    // Undo whatever a call that took its hostile value made, so that the next starts alike.
    // A link made under another name than asked (none: the kernel's macvlan0...) goes too.
    for (const l of await rt.link.list()) if (!links.has(l.index)) await rt.link.delete(l.index).catch(() => undefined);
    await rt.address.delete({ dev: 'v0', address: '192.0.2.5/24' }).catch(() => undefined);
    for (const dst of ['198.51.100.0/24', '203.0.113.0/24', '2001:db8:5::/64']) await rt.route.delete({ dst }).catch(() => undefined);
    for (const r of await rt.rule.list()) if (!rules.has(r.priority)) await rt.rule.delete(r).catch(() => undefined);
    await rt.neighbour.delete({ dev: 'v0', address: '192.0.2.9' }).catch(() => undefined);
    for (const n of (await rt.nexthop.list()).reverse()) await rt.nexthop.delete(n.id).catch(() => undefined); // groups first
    await rt.fdb.delete({ lladdr: '02:00:00:00:00:19', dev: 'v0' }).catch(() => undefined);
    await rt.link.set('v1', { mtu: 1500, up: false }).catch(() => undefined);
  }
  t.same(untyped, [], 'no error but a NetlinkError');
  t.equal(state(ns), before, 'the namespace as it was');
});

/** A Macvlan's methods and NetNS's, each taking the hostile value as one of its arguments. */
const methods = (mv: Macvlan, ns: string): Array<[name: string, call: (v: never) => Promise<unknown>]> => [
  ['setMode', (v) => mv.setMode(v)],
  ['addSourceMacs', (v) => mv.addSourceMacs(v)],
  ['removeSourceMacs', (v) => mv.removeSourceMacs(v)],
  ['setSourceMacs', (v) => mv.setSourceMacs(v)],
  ['setMac', (v) => mv.setMac(v)],
  ['setMac options', (v) => mv.setMac('02:00:00:00:00:05', v)],
  ['setMac arpNotify', (v) => mv.setMac('02:00:00:00:00:05', { arpNotify: v })],
  ['addAddress', (v) => mv.addAddress(v)],
  ['addAddress options', (v) => mv.addAddress('192.0.2.9/24', v)],
  ['removeAddress', (v) => mv.removeAddress(v)],
  ['waitFor options', (v) => mv.waitFor(() => true, v)],
  ['waitFor test', (v) => mv.waitFor(v)],
  ['moveTo', (v) => mv.moveTo(v)],
  ['NetNS.add', (v) => NetNS.add(v)],
  ['NetNS.attach name', (v) => NetNS.attach(v, ns)],
  ['NetNS.attach ref', (v) => NetNS.attach(`${ns}-a`, v)],
  ['NetNS.delete', (v) => NetNS.delete(v)],
  ['NetNS.exists', (v) => NetNS.exists(v)],
  ['NetNS.pids', (v) => NetNS.pids(v)],
  ['NetNS.identify', (v) => NetNS.identify(v)],
];

t.test('hostile values as the arguments of a Macvlan\'s methods and NetNS\'s: only NetlinkErrors', kernel, async (t) => {
  const ns = scratchNetns(t, 'hom');
  vethPair(ns, 'v0', 'v1', false);
  const mv = await Macvlan.create({ name: 'm0', parent: 'v0', parentNetns: ns, mode: 'source' });
  // A name a call gave (NetNS.add or attach of a hostile string that is a valid name) goes at the end.
  const named = new Set<string>();
  t.teardown(async () => { for (const n of named) await NetNS.delete(n).catch(() => undefined); });
  const cases = methods(mv, ns);
  const untyped: string[] = [];
  for (const [i, v] of fc.sample(hostile.filter((x) => typeof x !== 'function'), { numRuns: 600, seed: 46 }).entries()) {
    const [name, call] = cases[i % cases.length];
    try {
      await call(v as never);
      if (name === 'NetNS.add' || name === 'NetNS.attach name') named.add(v as string);
      if (name === 'NetNS.attach ref') named.add(`${ns}-a`);
    } catch (e) {
      if (!(e instanceof NetlinkError)) untyped.push(`${name}: ${String((e as Error)?.stack ?? e).split('\n').slice(0, 2).join(' ')}`);
    }
    if (mv.netns !== ns) await mv.moveTo(ns); // moved into a namespace a call named
  }
  t.same(untyped, [], 'no error but a NetlinkError');
});
