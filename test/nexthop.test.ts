// rt.nexthop against the kernel, `ip -j nexthop show` the oracle: nexthop objects of every kind
// added, listed as ip lists them, replaced, deleted; routes that name one by id (nhId), deleted
// as listed; filters; refusals typed, naming the nexthop, leaving nothing behind; a resilient
// group's buckets as `ip -j nexthop bucket show` lists them.
import t from 'tap';
import { ExistsError, InvalidArgumentError, monitor, NotFoundError, RtNetlink, type MonitorEvent, type NexthopBucket, type NexthopObject, type Route } from '../src/index.js';
import { collect } from './helpers/events.js';
import { ip, ipJson, kernel, scratchNetns, vethPair } from './helpers/kernel.js';
import { asIp, asIpBucket, SPECS, type IpNexthop } from './helpers/nexthop.js';

const ipList = (ns: string, ...filter: string[]): IpNexthop[] => ipJson<IpNexthop[]>(['nexthop', 'show', ...filter], { netns: ns });

async function withLinks(ns: string): Promise<void> {
  vethPair(ns, 'v0', 'v1');
  ip(['addr', 'add', '192.0.2.1/24', 'dev', 'v0'], { netns: ns });
  ip(['addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad'], { netns: ns });
}

t.test('add() resolves with the nexthop; list() shows what ip nexthop show shows', kernel, async (t) => {
  const ns = scratchNetns(t, 'nh');
  await withLinks(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  const made: NexthopObject[] = [];
  for (const spec of SPECS) made.push(await rt.nexthop.add(spec));
  const listed = await rt.nexthop.list({ names: true });
  t.same(listed.map(asIp), ipList(ns), 'every kind, as ip lists it');
  t.same(JSON.parse(JSON.stringify(made)), JSON.parse(JSON.stringify(listed)), 'what add() resolved with is the nexthop as listed');
  t.same(listed.find((n) => n.id === 12)?.resilient, { buckets: 8, idleTimer: 60, unbalancedTimer: 120, unbalancedTime: 0 }, 'timers in seconds');
  const auto = await rt.nexthop.add({ gateway: '192.0.2.9', dev: 'v0' });
  t.ok(auto.id > 0 && !SPECS.some((s) => s.id === auto.id), `no id given: the kernel's (${auto.id})`);
  t.same(await rt.nexthop.get(2), listed.find((n) => n.id === 2), 'get() by id, its link named');
  // Weights past 256 (nexthop_grp's high byte): ip 6.1 prints only the low byte, so checked here alone.
  t.same((await rt.nexthop.add({ id: 13, group: [{ id: 1, weight: 300 }, 2] })).group, [{ id: 1, weight: 300 }, { id: 2, weight: 1 }], 'a weight of 300');
});

t.test('routes name a nexthop by id: replace() moves them, delete() of a listed one, and of the nexthop, takes them', kernel, async (t) => {
  const ns = scratchNetns(t, 'nh');
  await withLinks(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.nexthop.add({ id: 2, gateway: '192.0.2.2', dev: 'v0' });
  await rt.nexthop.add({ id: 3, gateway: '2001:db8::2', dev: 'v0' });
  const v4 = await rt.route.add({ dst: '198.51.100.0/24', nhId: 2 });
  const v6 = await rt.route.add({ dst: '2001:db8:1::/48', nhId: 3 });
  t.match(v4, { nhId: 2, gateway: '192.0.2.2', scope: 'global' }, 'the route names the nexthop; the kernel reports its gateway');
  t.match(v6, { nhId: 3, gateway: '2001:db8::2' });
  await rt.nexthop.replace({ id: 2, gateway: '192.0.2.4', dev: 'v0' });
  t.equal(ip(['route', 'show', '198.51.100.0/24'], { netns: ns }), '198.51.100.0/24 nhid 2 via 192.0.2.4 dev v0 \n', 'the route follows the replaced nexthop');
  for (const family of ['inet', 'inet6'] as const) {
    for (const r of await rt.route.list({ family })) if (r.nhId !== undefined) await rt.route.delete(r);
  }
  t.equal(ip(['route', 'show', '198.51.100.0/24'], { netns: ns }) + ip(['-6', 'route', 'show', '2001:db8:1::/48'], { netns: ns }), '', 'each listed route deleted as listed');
  await rt.route.add({ dst: '198.51.100.0/24', nhId: 2 });
  await rt.nexthop.delete((await rt.nexthop.list()).find((n) => n.id === 2) as NexthopObject);
  t.equal(ip(['route', 'show', '198.51.100.0/24'], { netns: ns }), '', 'deleting the nexthop took its route');
  await rt.nexthop.delete(3);
  t.same(ipList(ns), [], 'by id');
  await t.rejects(rt.nexthop.delete(3), { name: NotFoundError.name, code: 'ENOENT', message: 'nexthop 3: RTNETLINK answers: No such file or directory' });
  await t.rejects(rt.nexthop.get(3), { name: NotFoundError.name, code: 'ENOENT', message: /^nexthop 3: / });
});

t.test('list() filters: link, groups, FDB, family', kernel, async (t) => {
  const ns = scratchNetns(t, 'nh');
  await withLinks(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  // Not the encapsulated one: ip's JSON gives it the tunnel's id (see asIp).
  for (const spec of SPECS.filter((s) => s.encap === undefined)) await rt.nexthop.add(spec);
  const ids = (ns: IpNexthop[] | NexthopObject[]): unknown[] => ns.map((n) => n.id);
  t.same(ids(await rt.nexthop.list({ dev: 'v0' })), ids(ipList(ns, 'dev', 'v0')), 'by link, as ip');
  t.same(ids(await rt.nexthop.list({ groups: true })), ids(ipList(ns, 'groups')), 'groups, as ip');
  t.same(ids(await rt.nexthop.list({ family: 'inet6' })), [3, 6], 'IPv6 (ip -6 shows groups too)');
  t.same(ids(await rt.nexthop.list({ fdb: true })), ids(ipList(ns).filter((n) => 'fdb' in n)), 'FDB nexthops only (ip lists every one)');
  t.same((await rt.nexthop.list({ dev: 'v0' })).map((n) => n.dev), ['v0', 'v0', 'v0', 'v0'], 'a link given by name names the listed');
});

t.test('buckets() and bucket(): a resilient group\'s buckets, as ip nexthop bucket lists them; refusals typed', kernel, async (t) => {
  const ns = scratchNetns(t, 'nh');
  await withLinks(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.nexthop.add({ id: 1, gateway: '192.0.2.2', dev: 'v0' });
  await rt.nexthop.add({ id: 2, gateway: '192.0.2.3', dev: 'v1', onlink: true });
  await rt.nexthop.add({ id: 10, group: [1, { id: 2, weight: 3 }], groupType: 'resilient', resilient: { buckets: 8 } });
  await rt.nexthop.add({ id: 11, group: [1], groupType: 'resilient', resilient: { buckets: 2 } });
  await rt.nexthop.add({ id: 12, group: [1, 2] });
  // A bucket's idle time runs on between the two listings: compared apart.
  const idle = (b: IpNexthop): number => (b.bucket as { idle_time: number }).idle_time;
  const still = (b: IpNexthop): IpNexthop => ({ ...b, bucket: { ...(b.bucket as object), idle_time: 0 } });
  const cases: Array<[Parameters<typeof rt.nexthop.buckets>[0], string[], number]> = [
    [{}, [], 10], [{ id: 10 }, ['id', '10'], 8], [{ nhId: 2 }, ['nhid', '2'], 6], [{ dev: 'v1' }, ['dev', 'v1'], 6], [{ id: 11, nhId: 1 }, ['id', '11', 'nhid', '1'], 2],
  ];
  for (const [filter, words, count] of cases) {
    const ours = (await rt.nexthop.buckets(filter)).map(asIpBucket);
    const theirs = ipJson<IpNexthop[]>(['nexthop', 'bucket', 'show', ...words], { netns: ns });
    t.same(ours.map(still), theirs.map(still), `buckets(${JSON.stringify(filter)}): as ip nexthop bucket show ${words.join(' ')}`);
    t.equal(ours.length, count, `${count} buckets`);
    t.ok(ours.every((b, i) => idle(b) >= 0 && Math.abs(idle(b) - idle(theirs[i])) < 5), 'idle times as ip\'s, in seconds');
  }
  const one: NexthopBucket = await rt.nexthop.bucket({ id: 10, index: 7 });
  t.same(still(asIpBucket(one)), still(ipJson<IpNexthop[]>(['nexthop', 'bucket', 'get', 'id', '10', 'index', '7'], { netns: ns })[0]), 'bucket(): as ip nexthop bucket get');
  await t.rejects(rt.nexthop.bucket({ id: 10, index: 8 }), { name: NotFoundError.name, code: 'ENOENT', message: 'nexthop 10 bucket 8: Error: Bucket index out of bounds.' });
  await t.rejects(rt.nexthop.bucket({ id: 99, index: 0 }), { name: NotFoundError.name, code: 'ENOENT', message: 'nexthop 99 bucket 0: RTNETLINK answers: No such file or directory' });
  await t.rejects(rt.nexthop.bucket({ id: 1, index: 0 }), { name: InvalidArgumentError.name, kernelMessage: 'Not a nexthop group', message: 'nexthop 1 bucket 0: Error: Not a nexthop group.' });
  await t.rejects(rt.nexthop.bucket({ id: 12, index: 0 }), { name: InvalidArgumentError.name, code: 'EINVAL', message: 'nexthop 12 bucket 0: Error: Nexthop group not of type resilient.' });
  await t.rejects(rt.nexthop.buckets({ id: 12 }), { message: 'nexthop buckets: Error: Nexthop group not of type resilient.' });
  await t.rejects(rt.nexthop.bucket({ id: 10 } as never), { name: InvalidArgumentError.name, message: 'nexthop 10 bucket undefined: an index from 0 to 65535 is needed' });
  await t.rejects(rt.nexthop.buckets({ nhId: 'x' } as never), { name: InvalidArgumentError.name, message: /^nexthop bucket filter: nhId "x"/ });
  await t.rejects(rt.nexthop.buckets('x' as never), { name: InvalidArgumentError.name, message: /^nexthop bucket filter: expected an object/ });
  await t.rejects(rt.nexthop.buckets({ dev: 'nosuch' }), { name: NotFoundError.name });
});

t.test('bad input is refused before anything is sent; the kernel\'s refusals are typed and name the nexthop; nothing is made', kernel, async (t) => {
  const ns = scratchNetns(t, 'nh');
  await withLinks(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.nexthop.add({ id: 1, dev: 'v0' });
  const before = ipList(ns);
  const refusals: Array<[unknown, RegExp]> = [
    [{ id: 7, gateway: 'not an address' }, /^nexthop 7 via not an address: gateway "not an address"/],
    [{ id: 7, gateway: '2001:db8::1', family: 'inet' }, /gateway is not an inet address/],
    [{ id: 7, group: [] }, /group must be a non-empty array/],
    [{ id: 7, group: [0] }, /group member 1 needs an id from 1/],
    [{ id: 7, group: [{ id: 1, weight: 0 }] }, /a weight is from 1 to 65536/],
    [{ id: 7, group: [{ id: 1, weight: 70000 }] }, /weight 70000/],
    [{ id: 7, group: [1], resilient: { buckets: 8 } }, /resilient is for a group of groupType 'resilient'/],
    [{ id: 7, group: [1], groupType: 'resilient', resilient: { idleTimer: -1 } }, /resilient.idleTimer must be a number of seconds/],
    [{ id: -1, dev: 'v0' }, /id -1/],
    [{ id: 7, onlink: 'yes' }, /onlink/],
    [{ id: 7, encap: { type: 'nosuch' } }, /encap/],
    [null, /nexthop/],
  ];
  for (const [spec, why] of refusals) {
    await t.rejects(rt.nexthop.add(spec as never), { name: InvalidArgumentError.name, code: 'EINVAL', message: why }, JSON.stringify(spec));
  }
  await t.rejects(rt.nexthop.add({ id: 7, dev: 'nosuch' }), { name: NotFoundError.name, message: /^nexthop 7 dev nosuch: dev/ }, 'a missing link, named');
  await t.rejects(rt.nexthop.add({ id: 1, dev: 'v0' }), { name: ExistsError.name, code: 'EEXIST', message: 'nexthop 1 dev v0: RTNETLINK answers: File exists', request: { name: 'RTM_NEWNEXTHOP' } });
  await t.rejects(rt.nexthop.add({ id: 8, group: [99] }), { name: InvalidArgumentError.name, kernelMessage: 'Invalid nexthop id', message: 'nexthop 8 group 99: Error: Invalid nexthop id.' });
  await t.rejects(rt.nexthop.add({ id: 9, blackhole: true, dev: 'v0' }), { name: InvalidArgumentError.name, message: /^nexthop 9 dev v0 blackhole: Error: Blackhole attribute can not be used/ });
  await t.rejects(rt.nexthop.list({ dev: 'nosuch' }), { name: NotFoundError.name });
  await t.rejects(rt.nexthop.get('1' as never), { name: InvalidArgumentError.name, message: /id "1"/ });
  t.same(ipList(ns), before, 'no nexthop was made');
});

t.test('monitor({ nexthop: true, route: true }): the events rebuild the listings, what the kernel drops without a word included', kernel, async (t) => {
  const ns = scratchNetns(t, 'nh');
  await withLinks(ns);
  vethPair(ns, 'v2', 'v3');
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.nexthop.add({ id: 1, gateway: '192.0.2.2', dev: 'v0' });
  const m = monitor({ netns: ns, nexthop: true, route: true, existing: true });
  t.teardown(() => m.close());
  const nexthops = new Map<number, NexthopObject>();
  const routes = new Map<string, Route>();
  const routeKey = (r: Route): string => `${r.family} ${r.table} ${r.dst} ${r.index ?? ''} ${r.metric ?? ''}`;
  const apply = (evs: MonitorEvent[]): string[] => evs.flatMap((ev) => {
    if (ev.family === 'nexthop') {
      if (ev.type === 'del') nexthops.delete(ev.nexthop.id);
      else nexthops.set(ev.nexthop.id, ev.nexthop);
      return [`${ev.type} nexthop ${ev.nexthop.id} ${ev.via}`];
    }
    if (ev.family === 'route') {
      if (ev.type === 'del') routes.delete(routeKey(ev.route));
      else routes.set(routeKey(ev.route), ev.route);
      return ev.route.nhId === undefined ? [] : [`${ev.type} route ${ev.route.dst} ${ev.via}`];
    }
    return [];
  });
  apply(await collect(m, (evs) => evs.some((e) => e.type === 'synced')));
  t.same([...nexthops.keys()], [1], 'the existing nexthop');
  const byId = async (): Promise<unknown[]> => (await rt.nexthop.list({ names: true })).map((n) => JSON.stringify(n));
  const routesNow = async (): Promise<string[]> => [...await rt.route.list({ table: 'all' })].map(routeKey).sort();
  const settled = async (what: string): Promise<void> => {
    t.same([...nexthops.values()].map((n) => JSON.stringify(n)).sort(), (await byId()).sort(), `${what}: the nexthops as listed`);
    t.same([...routes.values()].map(routeKey).sort(), await routesNow(), `${what}: the routes as listed`);
  };
  await rt.nexthop.add({ id: 2, dev: 'v2' });
  await rt.nexthop.add({ id: 3, gateway: '2001:db8::2', dev: 'v0' });
  await rt.nexthop.add({ id: 10, group: [1, 2] });
  await rt.route.add({ dst: '198.51.100.0/24', nhId: 1 });
  await rt.route.add({ dst: '203.0.113.0/24', nhId: 10 });
  await rt.route.add({ dst: '2001:db8:1::/48', nhId: 3 });
  t.same(apply(await collect(m, (evs) => evs.length >= 6)).sort(), [
    'new nexthop 10 notification', 'new nexthop 2 notification', 'new nexthop 3 notification',
    'new route 198.51.100.0/24 notification', 'new route 2001:db8:1::/48 notification', 'new route 203.0.113.0/24 notification',
  ], 'made: each told');
  await settled('made');
  // v2 down: the kernel drops nexthop 2, takes it out of group 10, and changes the group's route, telling none of it.
  ip(['link', 'set', 'v2', 'down'], { netns: ns });
  t.same(apply(await collect(m, (evs) => evs.filter((e) => e.family === 'nexthop').length >= 2)).filter((e) => e.includes('nexthop')).sort(),
    ['change nexthop 10 dump', 'del nexthop 2 dump'], 'a link down: found by dumping again');
  // A member deleted: its groups' change is told, the IPv6 route through it too; the IPv4 one goes untold.
  await rt.nexthop.add({ id: 4, gateway: '192.0.2.4', dev: 'v0' });
  await rt.nexthop.add({ id: 11, group: [1, 4] });
  apply(await collect(m, (evs) => evs.length >= 2));
  await rt.nexthop.delete(1);
  await rt.nexthop.delete(3);
  const gone = apply(await collect(m, (evs) => evs.filter((e) => e.type === 'del' && e.family === 'route' && e.route.nhId !== undefined).length >= 3
    && evs.some((e) => e.family === 'nexthop' && e.type === 'change')));
  t.ok(gone.includes('del route 198.51.100.0/24 dump') && gone.includes('del route 2001:db8:1::/48 notification'), `a nexthop deleted: its routes' end told (${gone.join('; ')})`);
  t.ok(gone.includes('change nexthop 11 notification'), 'and the group it was in');
  t.same(nexthops.get(11)?.group, [{ id: 4, weight: 1 }]);
  await settled('deleted');
  t.same([...nexthops.keys()].sort(), [11, 4], 'group 10 went with its last member');
});
