// rtnl.monitor() against the kernel: typed events for every family, the existing state first
// with nothing missed or told twice, overflow recovered by a resync whose events rebuild the
// kernel's state, and a clean stop (break, close, AbortSignal) that leaves no socket behind.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monitor, NotFoundError, RtNetlink, type ChangeEvent, type MonitorEvent, type Netconf } from '../src/index.js';
import { RouteApi } from '../src/api/route.js';
import { advertise, drained, everyFamilyChanges, fdCount, ip, kernel, netlinkFdCount, router, scratchNetns, setSysctl, vethPair } from './helpers/kernel.js';
import { collect } from './helpers/events.js';

const line = (ev: MonitorEvent): string => {
  switch (ev.type === 'synced' ? undefined : ev.family) {
    case 'link': return `${ev.type} link ${(ev as Extract<ChangeEvent, { family: 'link' }>).link.name}`;
    case 'address': return `${ev.type} address ${(ev as Extract<ChangeEvent, { family: 'address' }>).address.cidr}`;
    case 'route': return `${ev.type} route ${(ev as Extract<ChangeEvent, { family: 'route' }>).route.dst} table ${(ev as Extract<ChangeEvent, { family: 'route' }>).route.table}`;
    case 'neighbour': return `${ev.type} neighbour ${(ev as Extract<ChangeEvent, { family: 'neighbour' }>).neighbour.address}`;
    case 'nsid': return `${ev.type} nsid ${(ev as Extract<ChangeEvent, { family: 'nsid' }>).nsid.nsid}`;
    case 'stats': return `${ev.type} stats ${(ev as Extract<ChangeEvent, { family: 'stats' }>).stats.dev}`;
    default: return `synced ${ev.type === 'synced' ? ev.reason : ''}`;
  }
};

t.test('every family as typed events, narrowed by family and kind', kernel, async (t) => {
  const ns = scratchNetns(t, 'mon');
  vethPair(ns, 'p0', 'p1');
  const m = monitor({ netns: ns, link: true, address: true, route: true, neighbour: true, nsid: true, stats: true, existing: true });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  const first = await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  t.notOk(first.some((e) => e.family === 'stats'), 'no counters\' state told as existing: the kernel keeps no list of changes');
  t.equal(line(first.at(-1) as MonitorEvent), 'synced existing');
  const other = scratchNetns(t, 'mo2');
  setImmediate(() => everyFamilyChanges(ns, other, false));
  // The route goes with its link without a notification: the monitor's own dump tells it, maybe after the link.
  const evs = await collect(m, (evs) => ['del link mv1', 'del route 198.51.100.0/24 table 100'].every((l) => evs.some((e) => line(e) === l)));
  const lines = evs.map(line);
  for (const want of ['new link mv1', 'change link mv1', 'new address 192.0.2.10/24', 'new route 198.51.100.0/24 table 100',
    'new neighbour 192.0.2.20', 'change stats mv1', 'new nsid 7', 'del neighbour 192.0.2.20', 'del route 198.51.100.0/24 table 100',
    'del address 192.0.2.10/24', 'del link mv1']) {
    t.ok(lines.includes(want), want);
  }
  t.ok(lines.indexOf('new link mv1') < lines.indexOf('new address 192.0.2.10/24'), 'in the kernel\'s order');
  const made = evs.find((e) => e.type === 'new' && e.family === 'link');
  if (made?.type === 'new' && made.family === 'link' && made.link.info?.kind === 'macvlan') {
    t.equal(made.link.info.data?.mode, 'vepa', 'narrowed to MacvlanData without a cast');
    t.equal(made.link.parentName, 'p0', 'named as list() names it');
  } else t.fail(`the first link event is a macvlan: ${JSON.stringify(made)}`);
  const addr = evs.find((e) => e.family === 'address' && e.type === 'new');
  t.equal(addr?.family === 'address' ? addr.address.dev : undefined, 'mv1', 'an address event names its link');
  const counters = evs.find((e) => e.family === 'stats');
  if (counters?.family === 'stats') {
    const told: 'change' = counters.type; // typed so: the kernel tells a switch, never a counter set made or gone
    t.equal(told, 'change');
    t.same(counters.stats.offload, { hwStatsInfo: { l3Stats: { request: true, used: false } } }, 'l3_stats asked for, as rt.stats.get() gives it');
  } else t.fail('a stats event');
  m.close();
});

t.test('a monitor joins the groups of the told-only families it watches only', kernel, async (t) => {
  /** The first 32 groups (as /proc/net/netlink shows them) of the sockets in a fresh namespace that joined any: the monitor's. */
  const groupsOf = (opts: { stats?: boolean; prefix?: boolean }): string[] => {
    const ns = scratchNetns(t, 'mgr');
    const m = monitor({ netns: ns, ...opts });
    t.teardown(() => m.close());
    const rows = ip(['netns', 'exec', ns, 'cat', '/proc/net/netlink']).split('\n').slice(1).map((r) => r.trim().split(/\s+/));
    return rows.filter((f) => f[1] === '0' && f[3] !== undefined && f[3] !== '00000000').map((f) => f[3]);
  };
  t.same(groupsOf({ stats: true }), ['00000001'], 'stats: RTNLGRP_LINK (for the links\' names); RTNLGRP_STATS (36) is past these 32');
  t.same(groupsOf({ prefix: true }), ['00020001'], 'prefix: and RTNLGRP_IPV6_PREFIX (18)');
});

t.test('links\' counter sets switched: told as they come, the switch that changes nothing not told', kernel, async (t) => {
  const ns = scratchNetns(t, 'mst');
  vethPair(ns, 'p0', 'p1');
  const m = monitor({ netns: ns, stats: true, sources: true });
  t.teardown(() => m.close());
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.stats.set({ dev: 'p0', l3Stats: true });
  await rt.stats.set({ dev: 'p0', l3Stats: true });
  await rt.stats.set({ dev: 'p1', l3Stats: true });
  await rt.stats.set({ dev: 'p0', l3Stats: false });
  const evs = await collect(m, (evs) => evs.length === 3);
  t.same(evs.map((e) => (e.family === 'stats' ? [e.type, e.via, e.stats.dev, e.stats.offload?.hwStatsInfo?.l3Stats?.request] : e.type)),
    [['change', 'notification', 'p0', true], ['change', 'notification', 'p1', true], ['change', 'notification', 'p0', false]], 'each switch once, named');
  const [first] = evs;
  t.equal(first.family === 'stats' ? first.source?.filterMask : undefined, 8, 'the kernel\'s message as its source: the offload group only');
  m.close();
});

t.test('prefixes of router advertisements: each told as new as it comes, typed; none told as existing', kernel, async (t) => {
  const ns = scratchNetns(t, 'mpx');
  const r = router(t, ns);
  advertise(r, '2001:db8:9::'); // before the monitor: the kernel keeps no list of what it heard
  const m = monitor({ netns: ns, prefix: true, existing: true, sources: true });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  const existing = await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  t.notOk(existing.some((e) => e.family === 'prefix'), 'a prefix heard before is not told as existing');
  advertise(r, '2001:db8:1::');
  advertise(r, '2001:db8:1::');
  advertise(r, '2001:db8:2::', { valid: 0xffffffff, preferred: 0xffffffff, flags: 0x80 });
  const evs = await collect(m, (evs) => evs.filter((e) => e.family === 'prefix').length === 3);
  const prefixes = evs.flatMap((e) => (e.family === 'prefix' ? [e] : []));
  const index = Number(ip(['-j', 'link', 'show', 'ra0'], { netns: ns }).match(/"ifindex":(\d+)/)?.[1]);
  const advertised = { family: 'inet6', index, dev: 'ra0', prefixlen: 64 };
  t.same(prefixes.map((e) => ({ type: e.type, via: e.via, prefix: { ...e.prefix } })), [
    { type: 'new', via: 'notification', prefix: { ...advertised, cidr: '2001:db8:1::/64', flags: ['onlink', 'autoconf'], validLft: 3600, preferredLft: 1800 } },
    { type: 'new', via: 'notification', prefix: { ...advertised, cidr: '2001:db8:1::/64', flags: ['onlink', 'autoconf'], validLft: 3600, preferredLft: 1800 } },
    { type: 'new', via: 'notification', prefix: { ...advertised, cidr: '2001:db8:2::/64', flags: ['onlink'], validLft: 'forever', preferredLft: 'forever' } },
  ], 'the same advertisement twice is told twice');
  const [first] = prefixes;
  const told: { type: 'new'; via: 'notification' } = first; // typed so: a prefix is never changed, deleted or dumped
  t.equal(told.type, 'new');
  t.equal(first.source?.attrs.address, '2001:db8:1::', 'the kernel\'s message as its source');
  m.close();
});

t.test('what comes while the routes of a link that went down are dumped again is told as it came, in order', kernel, async (t) => {
  const ns = scratchNetns(t, 'mdn');
  vethPair(ns, 'p0', 'p1');
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'p0'], { netns: ns });
  ip(['route', 'add', '198.51.100.0/24', 'via', '192.0.2.2'], { netns: ns });
  ip(['address', 'add', '203.0.113.1/24', 'dev', 'p1'], { netns: ns });
  ip(['-6', 'route', 'add', '2001:db8:1::/64', 'dev', 'p1'], { netns: ns });
  const m = monitor({ netns: ns, link: true, address: true, route: true, existing: true });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  ip(['link', 'set', 'p0', 'down'], { netns: ns });
  // Changed as soon as p0's going down is read, before the monitor's re-dump of the routes asks
  // anything: their notifications are queued ahead of its request's answer.
  const evs = await collect(m, (evs) => {
    const last = evs.at(-1);
    if (last?.type === 'change' && last.family === 'link' && last.link.name === 'p0') {
      ip(['address', 'del', '203.0.113.1/24', 'dev', 'p1'], { netns: ns });
      ip(['-6', 'route', 'del', '2001:db8:1::/64', 'dev', 'p1'], { netns: ns });
    }
    return ['del route 198.51.100.0/24 table main', 'del route 2001:db8:1::/64 table main'].every((l) => evs.some((e) => line(e) === l));
  });
  const lines = evs.map(line);
  const via = (l: string): string | undefined => { const e = evs[lines.indexOf(l)]; return e?.type === 'synced' ? undefined : e?.via; };
  t.equal(via('del route 198.51.100.0/24 table main'), 'dump', 'p0\'s IPv4 route, dropped without a word, found by the dump');
  t.equal(via('del route 2001:db8:1::/64 table main'), 'notification', 'the IPv6 route deleted meanwhile told as the kernel told it');
  t.ok(lines.indexOf('del address 203.0.113.1/24') < lines.indexOf('del route 2001:db8:1::/64 table main'), 'in the kernel\'s order');
  m.close();
});

t.test('what the kernel tells between the re-dump\'s request and its answer is told in its order, before what the dump found', kernel, async (t) => {
  const ns = scratchNetns(t, 'mdw');
  vethPair(ns, 'p0', 'p1');
  ip(['address', 'add', '192.0.2.10/24', 'dev', 'p0'], { netns: ns });
  const m = monitor({ netns: ns, link: true, address: true, route: true, existing: true });
  t.teardown(() => m.close());
  await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  // The window a test cannot time: the address goes (the kernel tells it, then its local route)
  // after the re-dump's barrier and before its dump, which finds the local route gone.
  const dump = RouteApi.prototype.dump;
  t.teardown(() => { RouteApi.prototype.dump = dump; });
  RouteApi.prototype.dump = function (this: RouteApi, ...args) {
    RouteApi.prototype.dump = dump;
    ip(['address', 'del', '192.0.2.10/24', 'dev', 'p0'], { netns: ns });
    return dump.apply(this, args);
  };
  ip(['link', 'set', 'p0', 'down'], { netns: ns });
  const evs = await collect(m, (evs) => evs.some((e) => line(e) === 'del route 192.0.2.10/32 table local') && evs.some((e) => line(e) === 'del address 192.0.2.10/24'));
  const lines = evs.map(line);
  t.ok(lines.indexOf('del address 192.0.2.10/24') < lines.indexOf('del route 192.0.2.10/32 table local'), `the address, then its local route: ${lines.join(', ')}`);
  const local = evs[lines.indexOf('del route 192.0.2.10/32 table local')];
  t.equal(local?.type === 'synced' ? undefined : local?.via, 'notification', 'the local route as the kernel told it');
  t.ok(lines.includes('del route 192.0.2.0/24 table main'), 'the prefix route, dropped without a word, found by the dump');
});

t.test('the re-dump after a link went down tells only the IPv4 routes it lost; keys tell routes by source and neighbours by address', kernel, async (t) => {
  const ns = scratchNetns(t, 'mq4');
  vethPair(ns, 'p0', 'p1');
  vethPair(ns, 'q0', 'q1');
  ip(['-batch', '-'], {
    netns: ns,
    input: ['address add 192.0.2.1/24 dev p0', 'address add 198.51.100.1/24 dev q0', 'address add 2001:db8::1/64 dev q0 nodad',
      // Two source-specific routes of one prefix: two routes, two keys.
      'route add 2001:db8:5::/64 from 2001:db8:6::/64 dev q0', 'route add 2001:db8:5::/64 from 2001:db8:7::/64 dev q0'].join('\n'),
  });
  const m = monitor({ netns: ns, link: true, route: true, neighbour: true, existing: true });
  t.teardown(() => m.close());
  const start = await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  const froms = start.flatMap((e) => (e.type === 'new' && e.family === 'route' && e.route.dst === '2001:db8:5::/64' ? [e.route.from] : []));
  t.same(froms.sort(), ['2001:db8:6::/64', '2001:db8:7::/64'], 'routes that differ by source only: both told');
  ip(['-batch', '-'], {
    netns: ns,
    input: ['link set p0 down', 'neigh add 198.51.100.7 lladdr 02:00:00:00:00:07 dev q0', 'neigh add 198.51.100.8 lladdr 02:00:00:00:00:08 dev q0',
      'route add 203.0.113.0/24 dev q0'].join('\n'),
  });
  const evs = await collect(m, (evs) => evs.some((e) => line(e) === 'new route 203.0.113.0/24 table main')
    && evs.some((e) => line(e) === 'del route 192.0.2.0/24 table main'));
  const lines = evs.map(line);
  t.ok(lines.includes('del route 192.0.2.0/24 table main'), 'p0\'s IPv4 route, dropped without a word, told');
  const q0Gone = evs.filter((e) => e.type === 'del' && e.family === 'route' && e.route.dev === 'q0').map(line);
  t.same(q0Gone, [], 'no route of q0 told deleted: its IPv6 routes were not in the IPv4 re-dump, and are there');
  t.same(lines.filter((l) => l.startsWith('new neighbour')), ['new neighbour 198.51.100.7', 'new neighbour 198.51.100.8'], 'two IPv4 neighbours of one link: two new events');
});

t.test('a route\'s linkdown and dead, which follow its link\'s carrier without a word, are no change a re-dump tells', kernel, async (t) => {
  const ns = scratchNetns(t, 'mcr');
  vethPair(ns, 'p0', 'p1');
  vethPair(ns, 'q0', 'q1');
  setSysctl(ns, 'net.ipv4.conf.p0.ignore_routes_with_linkdown', 1);
  ip(['route', 'add', '198.51.100.0/24', 'dev', 'p0'], { netns: ns });
  ip(['route', 'add', '203.0.113.0/24', 'dev', 'q0'], { netns: ns });
  const m = monitor({ netns: ns, link: true, route: true, existing: true });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  ip(['link', 'set', 'p1', 'down'], { netns: ns }); // p0's carrier goes: its route is marked, without a word
  t.match(ip(['route', 'show', '198.51.100.0/24'], { netns: ns }), /dead linkdown/, 'the kernel marked it');
  ip(['link', 'set', 'q0', 'down'], { netns: ns }); // the IPv4 routes are dumped again, q0's found gone
  const evs = await collect(m, (evs) => evs.some((e) => e.family === 'route' && e.type === 'del' && e.route.dst === '203.0.113.0/24'));
  const ipv4 = evs.flatMap((e) => (e.family === 'route' && e.route.family === 'inet' ? [`${e.type} ${e.route.dst} via ${e.via}`] : []));
  t.same(ipv4, ['del 203.0.113.0/24 via dump'], 'the dump tells q0\'s route gone, and nothing of p0\'s');
  m.close();
});

t.test('a rule with a tunnel id (a BigInt) is told, keyed and compared like any other', kernel, async (t) => {
  const ns = scratchNetns(t, 'mtn');
  const m = monitor({ netns: ns, rule: true, existing: true });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  ip(['rule', 'add', 'pref', '50', 'tun_id', '18446744073709551615', 'table', '5'], { netns: ns });
  ip(['rule', 'del', 'pref', '50'], { netns: ns });
  const evs = await collect(m, (evs) => evs.filter((e) => e.family === 'rule').length >= 2);
  t.same(evs.map((e) => (e.family === 'rule' ? [e.type, e.rule.priority, e.rule.tunId] : e.type)), [['new', 50, 18446744073709551615n], ['del', 50, 18446744073709551615n]]);
  m.close();
});

t.test('a link renamed: what a re-dump shows of its objects is not a change (their names follow the link)', kernel, async (t) => {
  const ns = scratchNetns(t, 'mq5');
  vethPair(ns, 'p0', 'p1');
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'p0'], { netns: ns });
  const m = monitor({ netns: ns, link: true, address: true, route: true, existing: true });
  t.teardown(() => m.close());
  await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  // Renamed, then down: the re-dump of the IPv4 routes finds p0's local route, on r0 now, unchanged.
  ip(['link', 'set', 'p0', 'name', 'r0'], { netns: ns });
  ip(['link', 'set', 'r0', 'down'], { netns: ns });
  // The re-dump's differences are told together, the changes before the deletions.
  const evs = await collect(m, (evs) => evs.some((e) => line(e) === 'del route 192.0.2.255/32 table local'));
  const byDump = evs.filter((e) => e.type !== 'synced' && e.via === 'dump').map(line);
  t.same(byDump, ['del route 192.0.2.0/24 table main', 'del route 192.0.2.255/32 table local'], 'only the routes dropped without a word');
  const local = evs.find((e) => e.type === 'del' && e.family === 'route' && e.route.dst === '192.0.2.0/24');
  t.match(local, { route: { dev: 'r0' } }, 'named as the link is named now');
});

t.test('a monitor closed while its first dump runs ends without an error', kernel, async (t) => {
  const ns = scratchNetns(t, 'mcl');
  const m = monitor({ netns: ns, link: true, address: true, existing: true });
  m.close(); // the dump's requests fail with the socket: that is no failure of the monitor's
  await new Promise((r) => setTimeout(r, 50));
  t.same(await m.next(), { value: undefined, done: true });
});

t.test('existing: every object once, then synced, then the live changes; nothing missed between', kernel, async (t) => {
  const ns = scratchNetns(t, 'mex');
  vethPair(ns, 'p0', 'p1');
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'p0'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const m = monitor({ netns: ns, link: true, address: true, existing: true });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  // Changes made while the monitor dumps: each must appear once, either in the dump or live.
  const made = Array.from({ length: 20 }, (_, i) => rt.link.add({ kind: 'macvlan', name: `e${i}`, parent: 'p0' }));
  await Promise.all(made);
  const evs = await collect(m, (evs) => evs.some((e) => e.type === 'synced')
    && evs.filter((e) => e.type === 'new' && e.family === 'link' && e.link.name?.startsWith('e')).length === 20);
  const linkNews = evs.filter((e) => e.type === 'new' && e.family === 'link').map(line);
  t.same(linkNews.length, new Set(linkNews).size, 'no link told new twice');
  for (const name of ['lo', 'p0', 'p1']) t.ok(linkNews.includes(`new link ${name}`), `existing ${name}`);
  t.ok(evs.map(line).includes('new address 192.0.2.1/24'), 'existing address');
  t.equal(evs.filter((e) => e.type === 'synced').length, 1, 'one synced');
  m.close();
});

t.test('without existing: what changes while the first (silent) dump runs is told, once', kernel, async (t) => {
  const ns = scratchNetns(t, 'mrc');
  vethPair(ns, 'p0', 'p1');
  const m = monitor({ netns: ns, link: true });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  // Made before the monitor's first request leaves (this turn blocks in ip): their notifications
  // come before its dump, which shows their links too.
  ip(['-batch', '-'], { netns: ns, input: Array.from({ length: 20 }, (_, i) => `link add link p0 name r${i} type macvlan`).join('\n') });
  const evs = await collect(m, (evs) => new Set(evs.filter((e) => e.family === 'link' && e.link.name?.startsWith('r')).map((e) => e.family === 'link' && e.link.name)).size === 20);
  const made = evs.filter((e) => e.type === 'new' && e.family === 'link' && e.link.name?.startsWith('r')).map(line);
  t.equal(made.length, 20, 'each told new');
  t.equal(new Set(made).size, 20, 'once');
  m.close();
});

t.test('a storm of 10,000 changes with the loop blocked and a small buffer: the resync\'s state equals a fresh dump, netconf settings too', kernel, async (t) => {
  const ns = scratchNetns(t, 'mov');
  vethPair(ns, 'p0', 'p1');
  ip(['link', 'add', 'link', 'p0', 'name', 'old', 'type', 'macvlan'], { netns: ns });
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'p0'], { netns: ns });
  ip(['route', 'add', '203.0.113.0/24', 'via', '192.0.2.9', 'dev', 'p0'], { netns: ns });
  const m = monitor({ netns: ns, link: true, address: true, route: true, netconf: true, existing: true, receiveBuffer: 16384 });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  const state = new Map<string, string>();
  const settings = (n: Netconf): string => JSON.stringify({ ...n, dev: undefined });
  const apply = (ev: MonitorEvent): void => {
    if (ev.type === 'synced') return;
    const [key, value] = ev.family === 'link' ? [`link ${ev.link.index}`, `${ev.link.name} ${ev.link.flags.includes('up')}`]
      : ev.family === 'address' ? [`address ${ev.address.index} ${ev.address.cidr}`, ev.address.cidr]
      : ev.family === 'route' ? [`route ${ev.route.table} ${ev.route.dst} ${ev.route.index}`, `${ev.route.metric} ${ev.route.flags.join()}`]
      : ev.family === 'netconf' ? [`netconf ${ev.netconf.family} ${ev.netconf.index}`, settings(ev.netconf)] : ['', ''];
    if (ev.type === 'del') state.delete(key);
    else state.set(key, value);
  };
  for (const ev of await collect(m, (evs) => evs.at(-1)?.type === 'synced')) apply(ev);
  // 10,000 changes while this process's event loop is blocked (execFileSync): 2,500 links made,
  // brought up and given an address, 2,500 routes, then 500 links deleted.
  const n = 2500;
  ip(['-batch', '-'], {
    netns: ns,
    input: ['link del old',
      ...Array.from({ length: n }, (_, i) => `link add link p0 name s${i} type macvlan`),
      ...Array.from({ length: n }, (_, i) => `link set s${i} up`),
      ...Array.from({ length: n }, (_, i) => `address add 10.${i >> 8}.${i & 255}.1/32 dev s${i}`),
      ...Array.from({ length: n }, (_, i) => `route add 198.18.${i >> 8}.${i & 255}/32 dev s${i} table 100`),
      ...Array.from({ length: 500 }, (_, i) => `link del s${i * 5}`),
      // Last, when the buffer is long full: told only by the resync, a change of the route's flags.
      'route replace 203.0.113.0/24 via 192.0.2.9 dev p0 onlink'].join('\n'),
  });
  const evs = await collect(m, (evs) => evs.some((e) => e.type === 'synced' && e.reason === 'overflow'));
  for (const ev of evs) apply(ev);
  t.ok(evs.some((e) => e.type === 'synced' && e.reason === 'overflow'), `a resync marked the overflow (${evs.length} events)`);
  await using rt = await RtNetlink.open({ netns: ns });
  const fresh = new Map<string, string>();
  for (const l of await rt.link.list()) fresh.set(`link ${l.index}`, `${l.name} ${l.flags.includes('up')}`);
  for (const a of await rt.address.list()) fresh.set(`address ${a.index} ${a.cidr}`, a.cidr);
  for (const r of await rt.route.list({ table: 'all' })) fresh.set(`route ${r.table} ${r.dst} ${r.index}`, `${r.metric} ${r.flags.join()}`);
  t.ok((await rt.route.list()).find((r) => r.dst === '203.0.113.0/24')?.flags.includes('onlink'), 'the route replaced, onlink');
  for (const n of await rt.netconf.list()) fresh.set(`netconf ${n.family} ${n.index}`, settings(n));
  const missing = [...fresh.keys()].filter((k) => state.get(k) !== fresh.get(k));
  const extra = [...state.keys()].filter((k) => !fresh.has(k));
  t.same({ missing, extra }, { missing: [], extra: [] }, `as many objects (${fresh.size}), the same`);
  m.close();
});

t.test('a namespace deleted under a monitor ends it with a NotFoundError, and lets the namespace go', kernel, async (t) => {
  const ns = scratchNetns(t, 'mdl');
  const m = monitor({ netns: ns, link: true });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  const ended = (async () => { for await (const ev of m) if (ev) continue; })().then(() => 'ended', (e: unknown) => e);
  setTimeout(() => ip(['netns', 'del', ns]), 100);
  const e = await ended;
  t.type(e, NotFoundError);
  t.match((e as Error).message, new RegExp(`namespace "${ns}": deleted while monitored`));
});

t.test('1,000 monitors opened and closed leave no fd or handle behind', kernel, async (t) => {
  const ns = scratchNetns(t, 'mcy');
  const fds = fdCount();
  const handles = process.getActiveResourcesInfo().length;
  for (let i = 0; i < 1000; i++) {
    const m = monitor({ netns: ns, link: true, address: true });
    if (i % 2 === 0) {
      m.close();
      continue;
    }
    const waiting = m.next(); // half of them closed while a loop waits
    m.close();
    t.equal((await waiting).done, true);
  }
  await new Promise((r) => setTimeout(r, 50));
  t.ok(fdCount() <= fds + 2, `fds: ${fds} before, ${fdCount()} after`);
  t.ok(process.getActiveResourcesInfo().length <= handles + 2, `active resources: ${handles} before, ${process.getActiveResourcesInfo().length} after`);
});

t.test('a monitor stops on break, close() and an AbortSignal, leaving no socket', kernel, async (t) => {
  const ns = scratchNetns(t, 'mst');
  const before = netlinkFdCount();
  const a = monitor({ netns: ns, link: true, existing: true });
  t.teardown(() => a.close()); // a failed test leaves no socket open
  for await (const ev of a) if (ev) break;
  const b = monitor({ netns: ns, link: true });
  t.teardown(() => b.close()); // a failed test leaves no socket open
  setImmediate(() => b.close());
  for await (const ev of b) t.fail(`no event expected: ${JSON.stringify(ev)}`);
  const ac = new AbortController();
  const c = monitor({ netns: ns, link: true, signal: ac.signal });
  t.teardown(() => c.close()); // a failed test leaves no socket open
  setImmediate(() => ac.abort());
  for await (const ev of c) t.fail(`no event expected: ${JSON.stringify(ev)}`);
  t.equal(netlinkFdCount(), before, 'every monitor socket closed');
  t.throws(() => monitor({ netns: ns }), /nothing to watch/, 'a monitor of nothing is refused');
  t.throws(() => monitor({ netns: ns, link: 'yes' as never }), /link is true or false/);
  for (const max of [0, 1.5, '10']) {
    t.throws(() => monitor({ netns: ns, link: true, maxQueued: max as number }), { name: 'InvalidArgumentError', message: /^monitor options: maxQueued is a whole number from 1, not / }, `maxQueued ${JSON.stringify(max)}`);
  }
});

t.test('a consumer that lags holds at most maxQueued events; the rest is told by a resync once it catches up', kernel, async (t) => {
  const ns = scratchNetns(t, 'mbl');
  vethPair(ns, 'p0', 'p1');
  const m = monitor({ netns: ns, link: true, existing: true, maxQueued: 10 });
  t.teardown(() => m.close()); // a failed test leaves no socket open
  const state = new Map<number, string>();
  const apply = (ev: MonitorEvent): void => {
    if (ev.type === 'synced' || ev.family !== 'link') return;
    if (ev.type === 'del') state.delete(ev.link.index);
    else state.set(ev.link.index, `${ev.link.name} ${ev.link.flags.includes('up')}`);
  };
  for (const ev of await collect(m, (evs) => evs.at(-1)?.type === 'synced')) apply(ev);
  // 60 links made and 30 brought up, none taken meanwhile: some 90 notifications (few enough
  // for the socket's buffer: this is the monitor's own queue, not the kernel's overflow).
  ip(['-batch', '-'], {
    netns: ns,
    input: [...Array.from({ length: 60 }, (_, i) => `link add link p0 name b${i} type macvlan`),
      ...Array.from({ length: 30 }, (_, i) => `link set b${i} up`)].join('\n'),
  });
  await new Promise((r) => setTimeout(r, 300)); // every notification read (and most dropped) before the consumer comes back
  const evs = await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  for (const ev of evs) apply(ev);
  const told = evs.filter((e) => e.type !== 'synced' && e.via === 'notification').length;
  t.equal(told, 10, 'the 10 held were told as they came');
  t.same(evs.at(-1), { type: 'synced', reason: 'backlog' });
  t.ok(evs.some((e) => e.type !== 'synced' && e.via === 'dump'), 'the rest found by dumping');
  t.same(evs.filter((e) => e.type !== 'synced' && e.via === 'dump' && e.family === 'link' && ['lo', 'p1'].includes(e.link.name ?? '')), [],
    'nothing the dump shows unchanged is told again (lo, p1; p0 changed: its macvlans raised its promiscuity)');
  await using rt = await RtNetlink.open({ netns: ns });
  const fresh = new Map((await rt.link.list()).map((l) => [l.index, `${l.name} ${l.flags.includes('up')}`]));
  t.same(state, fresh, `the state told is the kernel's (${fresh.size} links)`);
  ip(['link', 'add', 'late', 'link', 'p0', 'type', 'macvlan'], { netns: ns });
  const isLate = (e: MonitorEvent): boolean => e.type !== 'synced' && e.family === 'link' && e.link.name === 'late';
  const live = await collect(m, (evs) => evs.some(isLate));
  t.match(live.find(isLate), { type: 'new', via: 'notification' }, 'then live events again');
});

t.test('a monitor keeps the process alive while iterated, and lets it exit when stopped', kernel, async (t) => {
  const ns = scratchNetns(t, 'mal');
  const index = fileURLToPath(new URL('../src/index.js', import.meta.url));
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    const { monitor } = await import(${JSON.stringify(index)});
    for await (const ev of monitor({ netns: ${JSON.stringify(ns)}, link: true, existing: true })) {
      if (ev.type === 'synced') console.log('synced');
      if (ev.type === 'new' && ev.link.name === 'wake') break;
    }
    console.log('stopped');`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let synced: () => void = () => undefined;
  const watching = new Promise<void>((r) => { synced = r; });
  child.stdout.on('data', (d: Buffer) => {
    out += String(d);
    if (out.includes('synced')) synced();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  // Only once it watches: a link made before its first dump would never be told (a slow start
  // under load made this test hang).
  await watching;
  await new Promise((r) => setTimeout(r, 700));
  t.equal(child.exitCode, null, 'still running with nothing happening');
  ip(['link', 'add', 'wake', 'type', 'veth', 'peer', 'name', 'wake1'], { netns: ns });
  t.equal(await exited, 0, 'exited once the loop broke off');
  t.equal(out, 'synced\nstopped\n');
});

t.test('events name masters and parents as list() does, carry their sources only when asked, and leave bridge FDB entries out', kernel, async (t) => {
  const ns = scratchNetns(t, 'mnm');
  const other = scratchNetns(t, 'mno');
  vethPair(ns, 'p0', 'p1');
  const m = monitor({ netns: ns, link: true, neighbour: true, sources: true });
  const plain = monitor({ netns: ns, link: true });
  t.teardown(() => { m.close(); plain.close(); });
  ip(['-batch', '-'], {
    netns: ns,
    input: [
      // A bridge and its port: the kernel adds FDB entries, told as RTM_NEWNEIGH of AF_BRIDGE.
      'link add br0 type bridge', 'link set p0 master br0', 'link set br0 up',
      // x0's IFLA_LINK is an index of the other namespace (IFLA_LINK_NETNSID): no local link is its parent.
      `link add x0 type veth peer name x1 netns ${other}`,
      'neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev br0',
    ].join('\n'),
  });
  const evs = (await collect(m, (evs) => evs.some((e) => line(e) === 'new neighbour 192.0.2.9'))) as ChangeEvent[];
  const neighbours = evs.flatMap((e) => (e.family === 'neighbour' ? [e.neighbour] : []));
  t.same(neighbours.map((n) => `${n.family} ${n.address}`), ['inet 192.0.2.9'], 'the FDB entries of the bridge are no neighbour events');
  const links = evs.flatMap((e) => (e.family === 'link' ? [e.link] : []));
  const last = (name: string) => links.filter((l) => l.name === name).at(-1);
  t.equal(last('p0')?.masterName, 'br0', 'a port is named with its master');
  t.notOk('masterName' in (last('br0') ?? {}), 'a link without a master has no masterName key');
  t.ok(last('x0') && !('parentName' in (last('x0') ?? {})), 'nor a parentName for a peer in another namespace');
  t.ok(evs.every((e) => e.source !== undefined), 'sources: true: every event carries its message');
  t.ok(links.length > 0 && evs.every((e) => e.family !== 'link' || (e.source as { family?: number }).family !== 7),
    'no link event from the AF_BRIDGE messages that speak of a port (they come on the same group)');
  t.equal((evs.find((e) => e.family === 'neighbour')?.source as { attrs?: { dst?: string } } | undefined)?.attrs?.dst, '192.0.2.9', 'the decoded message');
  const plainEvs = await collect(plain, (evs) => evs.some((e) => line(e) === 'new link x0'));
  t.ok(plainEvs.length > 0 && plainEvs.every((e) => !('source' in e)), 'without sources, no source key');
});

t.test('a neighbour solicitation asked of user space (app_solicit): a miss, typed and named; none where neighbours are not watched', kernel, async (t) => {
  const ns = scratchNetns(t, 'mms');
  vethPair(ns, 'p0', 'p1');
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'p0'], { netns: ns });
  setSysctl(ns, 'net.ipv4.neigh.p0.app_solicit', 1);
  const m = monitor({ netns: ns, neighbour: true, existing: true });
  const links = monitor({ netns: ns, link: true });
  t.teardown(() => { m.close(); links.close(); });
  t.notOk((await collect(m, (evs) => evs.at(-1)?.type === 'synced')).some((e) => e.type === 'miss'), 'no miss among what exists');
  // A packet for an address not yet resolved: the kernel asks user space first (one app probe).
  t.equal(spawnSync('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '-W', '1', '192.0.2.2']).status, 1, 'ping: no answer');
  const evs = await collect(m, (evs) => evs.some((e) => e.type === 'miss'));
  const miss = evs.find((e) => e.type === 'miss');
  if (miss?.type === 'miss') {
    const via: 'notification' = miss.via; // typed so: a miss is only ever told
    t.equal(via, 'notification');
    t.match(miss.neighbour, { family: 'inet', address: '192.0.2.2', dev: 'p0', state: 'incomplete' }, 'the neighbour to resolve, named');
  } else t.fail('a miss event');
  ip(['link', 'add', 'x0', 'type', 'veth', 'peer', 'name', 'x1'], { netns: ns });
  t.notOk((await collect(links, (evs) => evs.some((e) => line(e) === 'new link x0'))).some((e) => e.type === 'miss'), 'a monitor of links hears no miss');
});

t.test('links are followed when not watched: a monitor of addresses names the link of a new one', kernel, async (t) => {
  const ns = scratchNetns(t, 'mna');
  const m = monitor({ netns: ns, address: true });
  t.teardown(() => m.close());
  await new Promise((r) => setTimeout(r, 200)); // its first dump
  ip(['link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1'], { netns: ns });
  ip(['address', 'add', '192.0.2.44/24', 'dev', 'k0'], { netns: ns });
  const evs = (await collect(m, (evs) => evs.some((e) => line(e) === 'new address 192.0.2.44/24'))) as ChangeEvent[];
  const made = evs.find((e) => e.family === 'address');
  t.equal(made?.family === 'address' && made.address.dev, 'k0', 'named from the link told after the monitor began');
  t.ok(evs.every((e) => e.family === 'address'), 'and only addresses told');
});

t.test('routes are told apart by metric and by link: two routes of one prefix are two new events', kernel, async (t) => {
  const ns = scratchNetns(t, 'mrk');
  vethPair(ns, 'p0', 'p1');
  const m = monitor({ netns: ns, route: true });
  t.teardown(() => m.close());
  ip(['-batch', '-'], {
    netns: ns,
    input: ['route add 2001:db8:9::/64 dev p0 metric 10', 'route add 2001:db8:9::/64 dev p0 metric 20',
      'route add 203.0.113.0/24 dev p0', 'route append 203.0.113.0/24 dev p1'].join('\n'),
  });
  const ours = (e: MonitorEvent): boolean => e.type !== 'synced' && e.family === 'route' && ['2001:db8:9::/64', '203.0.113.0/24'].includes(e.route.dst);
  const evs = (await collect(m, (evs) => evs.filter(ours).length >= 4)).filter(ours) as Array<Extract<ChangeEvent, { family: 'route' }>>;
  t.same(evs.map((e) => `${e.type} ${e.route.dst} ${e.route.dev ?? e.route.index} ${e.route.metric ?? ''}`).sort(), [
    'new 2001:db8:9::/64 p0 10', 'new 2001:db8:9::/64 p0 20', 'new 203.0.113.0/24 p0 ', 'new 203.0.113.0/24 p1 ',
  ]);
});

t.test('allNsid: the changes of the namespaces the watched one gives an id, each with it, told as heard; an id taken back is forgotten', kernel, async (t) => {
  const ns = scratchNetns(t, 'man');
  const peer = scratchNetns(t, 'map');
  const unnumbered = scratchNetns(t, 'mau');
  ip(['netns', 'set', peer, '5'], { netns: ns });
  const m = monitor({ netns: ns, link: true, address: true, allNsid: true, existing: true });
  const plain = monitor({ netns: ns, link: true, address: true });
  t.teardown(() => { m.close(); plain.close(); });
  await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  const at = (ev: MonitorEvent): string => `${line(ev)}${ev.peerNsid === undefined ? '' : ` @${ev.peerNsid}`}`;
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: peer });
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'v0'], { netns: peer });
  ip(['address', 'add', '198.51.100.1/24', 'dev', 'v0'], { netns: peer }); // named with no link event between
  ip(['link', 'set', 'v0', 'up'], { netns: peer });
  ip(['link', 'add', 'u0', 'type', 'veth', 'peer', 'name', 'u1'], { netns: unnumbered });
  ip(['link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'a1'], { netns: ns });
  ip(['link', 'add', 'x0', 'type', 'veth', 'peer', 'name', 'x1'], { netns: peer });
  ip(['link', 'del', 'v0'], { netns: peer });
  const evs = await collect(m, (evs) => evs.some((e) => at(e) === 'del link v1 @5'));
  t.same(evs.map(at), ['new link v1 @5', 'new link v0 @5', 'new address 192.0.2.1/24 @5', 'new address 198.51.100.1/24 @5', 'change link v0 @5',
    'new link a1', 'new link a0', 'new link x1 @5', 'new link x0 @5', 'change link v0 @5', 'del address 192.0.2.1/24 @5',
    'del address 198.51.100.1/24 @5', 'del link v0 @5', 'del link v1 @5'],
  'the peer\'s in its order, with its id; this namespace\'s without; none of the namespace without an id');
  const addrs = evs.filter((e) => e.family === 'address').map((e) => (e.family === 'address' ? e.address.dev : undefined));
  t.same(addrs, ['v0', 'v0', 'v0', 'v0'], 'the peer\'s addresses named by the peer\'s link, made and deleted');
  t.ok(evs.every((e) => e.peerNsid !== undefined || !('peerNsid' in e)), 'this namespace\'s events have no peerNsid at all');
  const v0 = evs.find((e) => e.family === 'link' && e.link.name === 'v0');
  t.equal(v0?.family === 'link' ? v0.link.parentName : undefined, 'v1', 'the peer\'s link\'s parent by the peer\'s name');
  t.equal(m.link(4, 5)?.name, 'x1', 'link() finds the peer\'s links by their id');
  const ownOnly = await collect(plain, (evs) => evs.some((e) => line(e) === 'new link a0'));
  t.same(ownOnly.map(at), ['new link a1', 'new link a0'], 'without allNsid: this namespace\'s only');
  // The peer goes: its id is taken back before its links are (unheard). Another namespace given
  // the same id starts afresh: its link at an index x1 had is new, not a change of x1.
  ip(['netns', 'del', peer]);
  for (let i = 0; i < 400 && /^nsid 5 /m.test(ip(['netns', 'list-id'], { netns: ns })); i++) await new Promise((w) => setTimeout(w, 25));
  const again = scratchNetns(t, 'maq', false);
  ip(['netns', 'set', again, '5'], { netns: ns });
  for (const [a, b] of [['w0', 'w1'], ['w2', 'w3']]) ip(['link', 'add', a, 'type', 'veth', 'peer', 'name', b], { netns: again });
  const later = await collect(m, (evs) => evs.some((e) => at(e) === 'new link w2 @5'));
  t.same(later.map(at), ['new link w1 @5', 'new link w0 @5', 'new link w3 @5', 'new link w2 @5'], 'all new');
  t.equal(m.link(4, 5)?.name, 'w3', 'x1 forgotten');
});

t.test('allNsid: a peer\'s netconf changes merged with what was heard, its prefixes told; a full queue drops its notifications for good', kernel, async (t) => {
  const ns = scratchNetns(t, 'mbn');
  const peer = scratchNetns(t, 'mbp');
  ip(['netns', 'set', peer, '5'], { netns: ns });
  const m = monitor({ netns: ns, netconf: true, prefix: true, allNsid: true, existing: true });
  const full = monitor({ netns: ns, link: true, allNsid: true, maxQueued: 2 });
  t.teardown(() => { m.close(); full.close(); });
  await collect(m, (evs) => evs.at(-1)?.type === 'synced');
  vethPair(peer, 'c0', 'c1', false);
  setSysctl(peer, 'net.ipv4.conf.c0.forwarding', 1);
  const r = router(t, peer);
  advertise(r, '2001:db8:7::');
  const evs = await collect(m, (evs) => evs.some((e) => e.family === 'prefix'));
  const change = evs.find((e) => e.type === 'change' && e.family === 'netconf');
  t.match(change, { peerNsid: 5, netconf: { family: 'inet', dev: 'c0', forwarding: true, rpFilter: 'off', proxyNeigh: false } }, 'the setting that changed, with the rest as heard');
  const prefix = evs.find((e) => e.family === 'prefix');
  t.match(prefix, { type: 'new', peerNsid: 5, prefix: { cidr: '2001:db8:7::/64', dev: 'ra0' } }, 'the peer\'s prefix, on its link');
  // `full` has not been read: the first two of the peer's link events wait, the rest are dropped,
  // once its socket is read dry (the router's link, ra0, told before the prefix, could otherwise
  // still be on its way in, and find room once the two are taken).
  await drained(ns);
  const held = await collect(full, (evs) => evs.length === 2);
  ip(['link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1'], { netns: ns });
  const after = await collect(full, (evs) => evs.some((e) => line(e) === 'new link k0'));
  t.same([...held, ...after].map((e) => `${line(e)} ${e.peerNsid ?? ''}`), ['new link c1 5', 'new link c0 5', 'new link k1 ', 'new link k0 '],
    'then this namespace\'s own');
  // Last, so that `full`, read no more, cannot take the deletion in among what is asked of it above.
  ip(['link', 'del', 'c0'], { netns: peer });
  const gone = await collect(m, (evs) => evs.some((e) => e.type === 'del' && e.family === 'netconf' && e.netconf.dev === 'c0' && e.netconf.family === 'inet'));
  const del = gone.find((e) => e.type === 'del' && e.family === 'netconf' && e.netconf.dev === 'c0' && e.netconf.family === 'inet');
  t.same(del?.family === 'netconf' ? Object.keys(del.netconf).sort() : [], ['dev', 'family', 'index'], 'a deletion as the kernel says it, not merged with what was heard');
});

t.test('monitor options: each refusal in full; maxQueued 1 taken; an aborted signal ends the monitor at once', kernel, async (t) => {
  const ns = scratchNetns(t, 'mop');
  const refused = (opts: unknown, message: string): void => {
    t.throws(() => monitor(opts as Parameters<typeof monitor>[0]), { name: 'InvalidArgumentError', message }, message);
  };
  refused(5, 'monitor options: expected an object, not number');
  refused({ netns: ns }, 'monitor options: nothing to watch: say which of link, bridgePort, address, route, rule, nexthop, neighbour, fdb, netconf, nsid, prefix');
  refused({ netns: ns, link: false }, 'monitor options: nothing to watch: say which of link, bridgePort, address, route, rule, nexthop, neighbour, fdb, netconf, nsid, prefix');
  refused({ netns: ns, link: 'yes' }, 'monitor options: link is true or false, not "yes"');
  refused({ netns: ns, link: true, sources: 1 }, 'monitor options: sources is true or false, not 1');
  refused({ netns: ns, link: true, existing: 'no' }, 'monitor options: existing is true or false, not "no"');
  refused({ netns: ns, link: true, allNsid: 1 }, 'monitor options: allNsid is true or false, not 1');
  refused({ netns: ns, link: true, signal: {} }, 'monitor options: signal is an AbortSignal');
  const one = monitor({ netns: ns, link: true, maxQueued: 1 });
  one.close();
  const before = netlinkFdCount();
  const aborted = monitor({ netns: ns, link: true, existing: true, signal: AbortSignal.abort() });
  t.same(await aborted.next(), { done: true, value: undefined }, 'no event, not even synced');
  t.equal(netlinkFdCount(), before, 'its socket closed');
});
