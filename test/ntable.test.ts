// rt.neighbourTable against the kernel, `ip -j ntable show` the oracle: the tables and each
// link's parameters listed as ip lists them, a link's parameters changed and read back, the
// kernel's refusals typed (a table's own parameters and thresholds are the first namespace's).
import t from 'tap';
import { InvalidArgumentError, NotFoundError, RtNetlink } from '../src/index.js';
import { ipJson, kernel, scratchNetns, vethPair } from './helpers/kernel.js';
import { asIp, type IpTable } from './helpers/ntable.js';

const ipTables = (ns: string, ...filter: string[]): IpTable[] => ipJson<IpTable[]>(['ntable', 'show', ...filter], { netns: ns });

t.test('list() lists what ip ntable show lists; change() sets a link\'s parameters and resolves with them', kernel, async (t) => {
  const ns = scratchNetns(t, 'nt');
  vethPair(ns, 'v0', 'v1');
  await using rt = await RtNetlink.open({ netns: ns });
  // The kernel draws each `reachable` anew every five minutes: equal to ip's before or after.
  // `refcnt` counts the neighbours the links' IPv6 start makes, as they come: compared apart.
  const same = async (filter: Parameters<typeof rt.neighbourTable.list>[0], words: string[], what: string): Promise<void> => {
    const counted = (n: IpTable): IpTable => ({ ...n, refcnt: typeof n.refcnt });
    const before = ipTables(ns, ...words).map(counted);
    const ours = (await rt.neighbourTable.list(filter)).map(asIp).map(counted);
    const after = ipTables(ns, ...words).map(counted);
    t.same(ours, JSON.stringify(ours) === JSON.stringify(before) ? before : after, what);
    t.ok(ours.length > 0 && ours.every((n) => n.refcnt === 'number'), `${what}: ${ours.length} listed, each with its refcnt`);
  };
  await same({ names: true }, [], 'every table and link');
  await same({ dev: 'v0' }, ['dev', 'v0'], 'one link');
  await same({ name: 'ndisc_cache', names: true }, ['name', 'ndisc_cache'], 'one table');
  const v6 = (await rt.neighbourTable.list({ family: 'inet6', names: true })).map(asIp);
  t.same(v6.map((n) => `${String(n.name)} ${String(n.dev)}`), ipJson<IpTable[]>(['-6', 'ntable', 'show'], { netns: ns }).map((n) => `${String(n.name)} ${String(n.dev)}`), 'one family, as ip -6');
  const own = (await rt.neighbourTable.list({ name: 'arp_cache' })).find((n) => n.index === undefined);
  t.match(own, { family: 'inet', thresh1: Number, thresh3: Number, gcInterval: Number, config: { keyLen: 4 }, stats: { allocs: BigInt } }, 'the table\'s own: thresholds, config, counters');
  const changed = await rt.neighbourTable.change({ name: 'arp_cache', dev: 'v0', queue: 50, baseReachable: 20000, ucastProbes: 5, locktime: 700 });
  t.match(changed, { family: 'inet', name: 'arp_cache', index: Number, dev: 'v0', queue: 50, baseReachable: 20000, ucastProbes: 5, locktime: 700 }, 'resolved with the link\'s parameters');
  t.match(ipTables(ns, 'dev', 'v0', 'name', 'arp_cache')[0], { dev: 'v0', queue: 50, base_reachable: 20000, ucast_probes: 5, locktime: 700 }, 'as ip shows them');
  const nd = await rt.neighbourTable.change({ name: 'ndisc_cache', family: 'inet6', dev: 'v1', retrans: 2000, mcastReprobes: 3 });
  t.match(nd, { family: 'inet6', dev: 'v1', retrans: 2000, mcastReprobes: 3 }, 'IPv6, and a parameter ip does not set');
  t.same(JSON.parse(JSON.stringify(own)).stats.allocs, String(own?.stats?.allocs), 'JSON: the counters as strings');
});

t.test('refusals: typed, naming the table; nothing changed', kernel, async (t) => {
  const ns = scratchNetns(t, 'nt');
  vethPair(ns, 'v0', 'v1');
  await using rt = await RtNetlink.open({ netns: ns });
  const before = ipTables(ns);
  await t.rejects(rt.neighbourTable.change({ name: 'arp_cache', thresh1: 64 }), { name: NotFoundError.name, code: 'ENOENT', message: 'neighbour table arp_cache: RTNETLINK answers: No such file or directory' }, 'thresholds: the first namespace\'s');
  await t.rejects(rt.neighbourTable.change({ name: 'arp_cache', queue: 64 }), { name: NotFoundError.name, code: 'ENOENT' }, 'the table\'s own parameters likewise');
  await t.rejects(rt.neighbourTable.change({ name: 'nosuch', dev: 'v0', queue: 5 }), { name: NotFoundError.name, message: /^neighbour table nosuch dev v0: / });
  await t.rejects(rt.neighbourTable.change({ name: 'arp_cache', family: 'inet6', dev: 'v0', queue: 5 }), { name: NotFoundError.name }, 'a table of the other family');
  await t.rejects(rt.neighbourTable.change({ name: 'arp_cache', dev: 'nosuch', queue: 5 }), { name: NotFoundError.name, message: /^neighbour table arp_cache dev nosuch: dev/ });
  await t.rejects(rt.neighbourTable.change({ name: 'arp_cache', dev: 'v0', reachable: 5 } as never), { name: InvalidArgumentError.name, message: /reachable is the kernel's to say/ });
  await t.rejects(rt.neighbourTable.change({ name: 'arp_cache', dev: 'v0' }), { name: InvalidArgumentError.name, message: /nothing to change/ });
  await t.rejects(rt.neighbourTable.change({ name: 'arp_cache', dev: 'v0', queue: '5' } as never), { name: InvalidArgumentError.name, message: /queue "5"/ });
  await t.rejects(rt.neighbourTable.change(null as never), { name: InvalidArgumentError.name, message: /^neighbour table: expected an object/ });
  await t.rejects(rt.neighbourTable.list({ name: 5 } as never), { name: InvalidArgumentError.name, message: /name must be a string/ });
  await t.rejects(rt.neighbourTable.list({ dev: 'nosuch' }), { name: NotFoundError.name });
  // `reachable` is drawn anew; `refcnt` as above.
  const steady = (n: IpTable): IpTable => ({ ...n, reachable: 0, refcnt: 0 });
  t.same(ipTables(ns).map(steady), before.map(steady), 'nothing changed');
});
