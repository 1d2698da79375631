// Routes at their edges, against the kernel with iproute2 as the oracle: every field of a
// listed route read back (tables past 255, source prefixes, preference, expiry, nexthop
// objects, IPv4 via IPv6), the scope each type gets when none is given, deletes that match
// what they leave unsaid, the links a listed route names, and each bad spec refused by name
// before any round trip. Written from the mutants a StrykerJS run over src/api/route.ts left
// alive (docs/mutation.md).
import t from 'tap';
import { constants } from 'node:os';
import { ExistsError, InvalidArgumentError, NotFoundError, RtNetlink, type Route, type RouteSpec } from '../src/index.js';
import { IP, RTNL } from './helpers/cli.js';
import { ip, ipJson, kernel, scratchNetns } from './helpers/kernel.js';

/** A namespace with two veth ends up: v0 (192.0.2.5/24, 2001:db8::5/64) and w0 (198.51.100.5/24). */
function twoLinks(t: Parameters<typeof scratchNetns>[0]): string {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1'], { netns: ns });
  for (const l of ['v0', 'v1', 'w0', 'w1']) ip(['link', 'set', l, 'up'], { netns: ns });
  ip(['address', 'add', '192.0.2.5/24', 'dev', 'v0'], { netns: ns });
  ip(['address', 'add', '2001:db8::5/64', 'dev', 'v0', 'nodad'], { netns: ns });
  ip(['address', 'add', '198.51.100.5/24', 'dev', 'w0'], { netns: ns });
  return ns;
}

const find = (routes: Route[], dst: string): Route | undefined => routes.find((r) => r.dst === dst);

t.test('pref and expires on an IPv6 route, as ip sets them; refused on an IPv4 one, where the kernel drops them', kernel, async (t) => {
  const ns = twoLinks(t);
  await using rt = await RtNetlink.open({ netns: ns });
  const show = (dst: string): string => ip(['-6', 'route', 'show', dst], { netns: ns });
  const made = await rt.route.add({ dst: '2001:db8:a::/64', dev: 'v0', pref: 'high', expires: 100 });
  t.equal(made.pref, 'high', 'resolves with its preference');
  t.ok(made.expires !== undefined && made.expires > 90 && made.expires <= 100, `and the seconds it has left: ${made.expires}`);
  t.match(show('2001:db8:a::/64'), /^2001:db8:a::\/64 dev v0 metric 1024 expires (9\d|100)sec pref high$/m, 'ip reads both');
  await rt.route.add({ dst: '2001:db8:b::/64', dev: 'v0', pref: 'low', expires: 'forever' });
  t.match(show('2001:db8:b::/64'), /^2001:db8:b::\/64 dev v0 metric 1024 pref low$/m, "'forever': no expiry");
  await rt.route.add({ dst: '2001:db8:c::/64', dev: 'v0', pref: 2 });
  t.match(show('2001:db8:c::/64'), /pref medium$/m, 'a number goes as it is: the kernel takes 2 for medium');
  await rt.route.replace({ dst: '2001:db8:a::/64', dev: 'v0', pref: 3 });
  t.match(show('2001:db8:a::/64'), /^2001:db8:a::\/64 dev v0 metric 1024 pref low$/m, 'replaced: 3 is low, and no expiry left');
  await rt.route.add({ dst: '2001:db8:d::/64', dev: 'v0', expires: 100 });
  const listed = (await rt.route.list({ family: 'inet6' })).find((r) => r.dst === '2001:db8:d::/64');
  t.ok(listed?.expires, 'listed with the time it has left');
  await rt.route.delete(listed!);
  t.equal(show('2001:db8:d::/64'), '', 'and deleted as listed');

  const bad: Array<[RouteSpec, RegExp]> = [
    [{ dst: '203.0.113.64/26', dev: 'v0', pref: 'high' }, /^route 203\.0\.113\.64\/26 dev v0: pref is for IPv6 routes: the kernel ignores it on IPv4 routes$/],
    [{ dst: '203.0.113.64/26', dev: 'v0', expires: 10 }, /^route 203\.0\.113\.64\/26 dev v0: expires is for IPv6 routes: the kernel ignores it on IPv4 routes$/],
    [{ dst: 'default', dev: 'v0', pref: 'low' }, /^route default dev v0: pref is for IPv6 routes/],
    [{ dst: '2001:db8:e::/64', dev: 'v0', pref: 'highest' as 'high' }, /^route 2001:db8:e::\/64 dev v0: .*pref.*highest/],
    [{ dst: '2001:db8:e::/64', dev: 'v0', pref: 256 }, /^route 2001:db8:e::\/64 dev v0: .*pref.*256/],
    [{ dst: '2001:db8:e::/64', dev: 'v0', expires: 4294967295 }, /^route 2001:db8:e::\/64 dev v0: expires 4294967295: must be a whole number of seconds below 4294967295, or 'forever'$/],
    [{ dst: '2001:db8:e::/64', dev: 'v0', expires: 1.5 }, /: expires 1\.5: must be a whole number/],
    [{ dst: '2001:db8:e::/64', dev: 'v0', expires: -1 }, /: expires -1: must be a whole number/],
  ];
  for (const [spec, message] of bad) await t.rejects(rt.route.add(spec), { name: 'InvalidArgumentError', message }, JSON.stringify(spec));
  t.equal(ip(['route', 'show', '203.0.113.64/26'], { netns: ns }), '', 'nothing made');
  t.equal(show('2001:db8:e::/64'), '', 'nothing made');
});

t.test('every field of a route is read back: tables, source prefixes, preference, expiry, nexthop objects, via', kernel, async (t) => {
  const ns = twoLinks(t);
  await using rt = await RtNetlink.open({ netns: ns });
  t.match(await rt.route.add({ dst: '203.0.113.0/25', dev: 'v0', table: 100 }), { table: 100, dev: 'v0' }, 'table 100: in rtm_table');
  t.match(await rt.route.add({ dst: '203.0.113.0/25', dev: 'v0', table: 256 }), { table: 256 }, 'table 256: in RTA_TABLE');
  t.match(await rt.route.add({ dst: '203.0.113.0/25', dev: 'v0', table: 255 }), { table: 'local' }, 'table 255 is local');
  t.same(ipJson<Array<{ table: string }>>(['route', 'show', 'table', 'all', '203.0.113.0/25'], { netns: ns }).map((r) => r.table).sort(),
    ['100', '256', 'local'], 'ip finds each in its table');

  const v6 = await rt.route.add({ dst: '2001:db8:1::/64', dev: 'v0' });
  t.equal(v6.metric, 1024, 'the metric the kernel gave, from its echo');
  t.equal(v6.pref, 'medium', 'preference medium');
  t.notOk('from' in v6, 'no source prefix');
  t.match(await rt.route.add({ dst: '2001:db8:4::/64', from: '2001:db8:5::/64', dev: 'v0' }), { dst: '2001:db8:4::/64', from: '2001:db8:5::/64' });
  t.match(await rt.route.add({ dst: 'default', from: '2001:db8:6::/64', dev: 'v0' }), { dst: 'default', from: '2001:db8:6::/64', family: 'inet6' });
  ip(['-6', 'route', 'add', '2001:db8:7::/64', 'dev', 'v0', 'pref', 'high'], { netns: ns });
  ip(['-6', 'route', 'add', '2001:db8:8::/64', 'dev', 'v0', 'expires', '100'], { netns: ns });
  ip(['nexthop', 'add', 'id', '7', 'dev', 'v0'], { netns: ns });
  ip(['route', 'add', '203.0.113.128/25', 'nhid', '7'], { netns: ns });

  const listed = await rt.route.list({ table: 'all' });
  t.equal(find(listed, '2001:db8:7::/64')?.pref, 'high', 'preference high (RTA_PREF)');
  const expires = find(listed, '2001:db8:8::/64')?.expires ?? 0;
  t.ok(expires > 90 && expires <= 100, `expires in ${expires} s, as ip reads it`);
  t.notOk('expires' in (find(listed, '2001:db8:7::/64') ?? {}), 'no expiry where none was set');
  t.match(find(listed, '203.0.113.128/25'), { nhId: 7, dev: undefined }, 'the nexthop object\'s id');
  t.same(ipJson<Array<{ from?: string }>>(['-6', 'route', 'show', '2001:db8:4::/64'], { netns: ns }).map((r) => r.from), ['2001:db8:5::/64'], 'ip reads the same source prefix');

  const via = await rt.route.add({ dst: '203.0.113.0/24', gateway: 'fe80::1', dev: 'v0' });
  t.match(via, { family: 'inet', gateway: 'fe80::1' }, 'an IPv4 route via an IPv6 gateway (RTA_VIA)');
  t.match(ip(['route', 'show', '203.0.113.0/24'], { netns: ns }), /^203\.0\.113\.0\/24 via inet6 fe80::1 dev v0/);
  const multi = await rt.route.add({ dst: '198.51.100.128/25', nexthops: [{ dev: 'v0' }, { dev: 'w0', gateway: '198.51.100.1', weight: 2 }] });
  t.same(multi.nexthops?.map((nh) => Object.keys(nh).sort()), [['dev', 'flags', 'index', 'weight'], ['dev', 'flags', 'gateway', 'index', 'weight']],
    'a nexthop has a gateway only when it was given one');
  t.same(multi.nexthops?.map((nh) => [nh.dev, nh.gateway, nh.weight]), [['v0', undefined, 1], ['w0', '198.51.100.1', 2]]);

  const byIndex = await rt.route.add({ dst: '198.51.100.64/26', dev: (await rt.link.get('w0')).index });
  t.notOk('dev' in byIndex, 'a link given by index is not named in the result');
  t.notOk('iif' in byIndex || 'iifName' in byIndex || 'mark' in byIndex || 'uid' in byIndex || 'nhId' in byIndex, 'no field the kernel did not send');
});

t.test('route get, both families: the incoming link, source, mark, tos and user, as ip route get reads and prints them', kernel, async (t) => {
  const ns = twoLinks(t);
  ip(['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  await using rt = await RtNetlink.open({ netns: ns });
  const forwarded = await rt.route.get('198.51.100.7', { iif: 'v0', from: '192.0.2.9', mark: 5 });
  const theirs = ipJson<Array<{ dev: string; iif: string; mark: number; from: string }>>(['route', 'get', '198.51.100.7', 'from', '192.0.2.9', 'iif', 'v0', 'mark', '5'], { netns: ns })[0];
  t.match(forwarded, { dst: '198.51.100.7/32', from: '192.0.2.9/32', dev: theirs.dev, iifName: theirs.iif, mark: theirs.mark, iif: (await rt.link.get('v0')).index });
  const local = await rt.route.get('198.51.100.7');
  t.match(local, { dev: 'w0', src: '198.51.100.5', uid: 0 }, 'an output lookup carries the user');
  t.notOk('iif' in local || 'iifName' in local || 'mark' in local, 'and no incoming link or mark');
  // IPv6: the same request less RTM_F_LOOKUP_TABLE, which IPv6 refuses.
  const v6 = await rt.route.get('2001:db8::1');
  const theirs6 = ipJson<Array<{ dev: string; prefsrc: string; metric: number }>>(['-6', 'route', 'get', '2001:db8::1'], { netns: ns })[0];
  t.match(v6, { family: 'inet6', dst: '2001:db8::1/128', dev: theirs6.dev, src: theirs6.prefsrc, metric: theirs6.metric });
  for (const args of [['-6', 'route', 'get', '2001:db8::1'], ['route', 'get', '2001:db8::1'], ['route', 'get', '198.51.100.7', 'from', '192.0.2.9', 'iif', 'v0'],
    ['-j', 'route', 'get', '198.51.100.7', 'from', '192.0.2.9', 'iif', 'v0', 'mark', '5'], ['-j', '-6', 'route', 'get', '2001:db8::1']]) {
    const [ours, ip6] = await Promise.all([RTNL.run(['-n', ns, ...args]), IP.run(['-n', ns, ...args])]);
    t.same(ours, ip6, `rtnl ${args.join(' ')}`);
  }
  await t.rejects(rt.route.get('198.51.100.7', { mark: -1 }), { name: InvalidArgumentError.name, message: 'route get 198.51.100.7: mark -1 is not an integer from 0 to 4294967295' });
  // A route for one TOS answers only a lookup with that TOS. (The kernel masks a lookup's TOS with
  // the old IPTOS_RT_MASK, 0x1c: a route with tos 0x28 is never found by route get.)
  ip(['route', 'add', '203.0.113.9', 'tos', '0x10', 'dev', 'v0'], { netns: ns });
  t.match(await rt.route.get('203.0.113.9', { tos: 0x10 }), { dst: '203.0.113.9/32', dev: 'v0', tos: 0x10 }, 'tos 0x10: its route');
  await t.rejects(rt.route.get('203.0.113.9'), { code: 'ENETUNREACH' }, 'tos 0: no route');
  await t.rejects(rt.route.get('203.0.113.9', { tos: 256 }), { name: InvalidArgumentError.name, message: 'route get 203.0.113.9: tos 256 is not an integer from 0 to 255' });
});

t.test('route get: the user, IP protocol and ports that rules match on, and fibMatch (the table route, not the resolved one)', kernel, async (t) => {
  const ns = twoLinks(t);
  for (const cmd of ['rule add uidrange 1000-1000 table 100', 'route add 203.0.113.0/24 dev v0 table 100',
    'rule add ipproto udp dport 53 table 101', 'route add 203.0.113.0/24 dev w0 table 101',
    'rule add ipproto tcp sport 8080 table 102', 'route add 203.0.113.0/24 via 198.51.100.1 table 102']) ip(cmd.split(' '), { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  await t.rejects(rt.route.get('203.0.113.5'), { code: 'ENETUNREACH' }, 'no rule taken: no route');
  t.match(await rt.route.get('203.0.113.5', { uid: 1000 }), { dst: '203.0.113.5/32', dev: 'v0', table: 100, uid: 1000 }, 'uid 1000: table 100');
  t.match(await rt.route.get('203.0.113.5', { ipProto: 17, dport: 53 }), { dev: 'w0', table: 101 }, 'udp to port 53: table 101');
  await t.rejects(rt.route.get('203.0.113.5', { ipProto: 6, dport: 53 }), { code: 'ENETUNREACH' }, 'tcp to port 53: no rule');
  t.match(await rt.route.get('203.0.113.5', { ipProto: 6, sport: 8080 }), { gateway: '198.51.100.1', table: 102 }, 'tcp from port 8080: table 102');
  const fib = await rt.route.get('203.0.113.5', { uid: 1000, fibMatch: true });
  t.match(fib, { dst: '203.0.113.0/24', dev: 'v0', table: 100 }, 'fibMatch: the route of the table');
  t.notOk(fib.flags.includes('cloned'), 'not a resolved (cloned) route');
  for (const line of ['uid 1000', 'u 1000', 'uid 1000 fibmatch', 'u 1000 fib', 'ipproto udp dport 53', 'ipp 17 dp 53', 'ipproto UDP dport 53',
    'ipproto tcp sport 8080', 'ipproto 6 s 0x1f90', 'ipproto 0x11 dport 53', 'ipproto bogus', 'ipproto 256', 'sport 65536', 'dport -1',
    'uid -1', 'uid', 'ipproto', '', 'ipproto udp dport 54', 'ipproto -0 dport 53', 'ipp 017 dp 53', 'ipproto -17 dport 53']) {
    const args = ['-n', ns, 'route', 'get', '203.0.113.5', ...line.split(' ').filter(Boolean)];
    const [ours, theirs] = [await RTNL.run(args), await IP.run(args)];
    t.same(ours, theirs, `route get 203.0.113.5 ${line}`);
  }
  const json = ['-n', ns, '-j', 'route', 'get', '203.0.113.5', 'uid', '1000', 'fibmatch'];
  t.same(await RTNL.run(json), await IP.run(json), '-j route get 203.0.113.5 uid 1000 fibmatch');
});

t.test('each type gets the scope ip gives it when none is said; a delete matches whatever it does not say', kernel, async (t) => {
  const [ours, theirs] = [twoLinks(t), twoLinks(t)];
  await using rt = await RtNetlink.open({ netns: ours });
  const specs: Array<[RouteSpec, string[]]> = [
    [{ dst: '203.0.113.1', type: 'local', dev: 'v0', table: 100 }, ['local', '203.0.113.1', 'dev', 'v0', 'table', '100']],
    [{ dst: '203.0.113.255', type: 'broadcast', dev: 'v0', table: 100 }, ['broadcast', '203.0.113.255', 'dev', 'v0', 'table', '100']],
    [{ dst: '203.0.113.2', type: 'anycast', dev: 'v0', table: 100 }, ['anycast', '203.0.113.2', 'dev', 'v0', 'table', '100']],
    [{ dst: '203.0.113.3', type: 'multicast', dev: 'v0', table: 100 }, ['multicast', '203.0.113.3', 'dev', 'v0', 'table', '100']],
    [{ dst: '203.0.113.4', dev: 'v0', table: 100 }, ['203.0.113.4', 'dev', 'v0', 'table', '100']],
    [{ dst: '203.0.113.5', gateway: '192.0.2.1', table: 100 }, ['203.0.113.5', 'via', '192.0.2.1', 'table', '100']],
    [{ dst: '203.0.113.6', type: 'blackhole', table: 100 }, ['blackhole', '203.0.113.6', 'table', '100']],
  ];
  for (const [spec, words] of specs) {
    await rt.route.add(spec);
    ip(['route', 'add', ...words], { netns: theirs });
  }
  const table = (ns: string): unknown => ipJson(['route', 'show', 'table', '100'], { netns: ns });
  t.same(table(ours), table(theirs), 'the same table 100 as ip makes');
  const scopes = Object.fromEntries((await rt.route.list({ table: 100 })).map((r) => [`${String(r.type)} ${r.dst}`, r.scope]));
  t.same(scopes, {
    'local 203.0.113.1/32': 'host', 'broadcast 203.0.113.255/32': 'link', 'anycast 203.0.113.2/32': 'link', 'multicast 203.0.113.3/32': 'link',
    'unicast 203.0.113.4/32': 'link', 'unicast 203.0.113.5/32': 'global', 'blackhole 203.0.113.6/32': 'global',
  }, 'host for local, link for broadcast, anycast, multicast and a unicast without a gateway, global otherwise');

  // No table said: local for the types the kernel keeps there (local, broadcast, nat, anycast), as ip.
  for (const type of ['local', 'broadcast', 'anycast'] as const) {
    await rt.route.add({ dst: `203.0.113.${type.length}0`, dev: 'v0', type });
    ip(['route', 'add', type, `203.0.113.${type.length}0`, 'dev', 'v0'], { netns: theirs });
  }
  const local = (ns: string): string => ip(['route', 'show', 'table', 'local', 'root', '203.0.113.0/24'], { netns: ns });
  t.equal(local(ours), local(theirs), 'in table local, as ip puts them');
  t.match(local(ours), /^local 203\.0\.113\.50 dev v0 scope host \nanycast 203\.0\.113\.70 .*\nbroadcast 203\.0\.113\.90 /);
  await rt.route.delete({ dst: '203.0.113.50', type: 'local' });
  t.notMatch(local(ours), /203\.0\.113\.50 /, 'deleted by its type, the table it implies');

  await rt.route.add({ dst: '203.0.113.9', dev: 'v0', scope: 'host', protocol: 'static', type: 'local', table: 'main' });
  await rt.route.delete({ dst: '203.0.113.9', dev: 'v0' });
  t.equal(ip(['route', 'show', '203.0.113.9'], { netns: ours }), '', 'a local static route of scope host deleted by its destination and link alone');

  // Two routes that differ only in their link: a listed one deletes as is, by its link's index.
  await rt.route.add({ dst: '203.0.113.16/28', dev: 'v0' });
  await rt.route.append({ dst: '203.0.113.16/28', dev: 'w0' });
  const onW0 = (await rt.route.list()).find((r) => r.dst === '203.0.113.16/28' && r.dev === undefined && r.index === ipJson<Array<{ ifindex: number }>>(['link', 'show', 'w0'], { netns: ours })[0].ifindex);
  t.ok(onW0, 'the route on w0, its link not named (names not asked)');
  if (onW0) await rt.route.delete(onW0);
  t.match(ip(['route', 'show', '203.0.113.16/28'], { netns: ours }), /^203\.0\.113\.16\/28 dev v0 scope link \n$/, 'the one on v0 is left');

  // prepend: before the route of the same prefix (IPv4 tries it first); the same route again is refused.
  await rt.route.add({ dst: '203.0.113.32/28', dev: 'v0' });
  const prepended = await rt.route.prepend({ dst: '203.0.113.32/28', dev: 'w0' });
  t.match(prepended, { dst: '203.0.113.32/28', dev: 'w0' }, 'prepend resolves with the route it made');
  t.equal(ip(['route', 'show', '203.0.113.32/28'], { netns: ours }), '203.0.113.32/28 dev w0 scope link \n203.0.113.32/28 dev v0 scope link \n', 'w0\'s first');
  await t.rejects(rt.route.prepend({ dst: '203.0.113.32/28', dev: 'w0' }), { name: ExistsError.name, errno: constants.errno.EEXIST }, 'the same route again: ExistsError');
});

t.test('realms (RTA_FLOW): set on a route and on each path, read back as ip reads them, deleted as listed', kernel, async (t) => {
  const ns = twoLinks(t);
  await using rt = await RtNetlink.open({ netns: ns });
  t.same((await rt.route.add({ dst: '203.0.113.0/25', dev: 'v0', realms: { from: 3, to: 5 } })).realms, { from: 3, to: 5 }, 'from the echo');
  t.same((await rt.route.add({ dst: '203.0.113.128/25', dev: 'v0', realms: { to: 65535 } })).realms, { to: 65535 }, 'no from: absent, not 0');
  t.same((await rt.route.add({ dst: '198.51.100.128/25', dev: 'v0', realms: { from: 65535, to: 1 } })).realms, { from: 65535, to: 1 });
  const multi = await rt.route.add({ dst: '198.51.100.0/25', nexthops: [{ dev: 'v0', realms: { to: 7 } }, { dev: 'w0', realms: { from: 1, to: 9 } }] });
  t.same(multi.nexthops?.map((nh) => nh.realms), [{ to: 7 }, { from: 1, to: 9 }], 'each path its own');
  t.notOk('realms' in multi, 'none on the route itself');
  t.match(ip(['route', 'show'], { netns: ns }), /^203\.0\.113\.0\/25 dev v0 scope link realms 3\/5 $/m, 'ip reads FROM/TO');
  t.match(ip(['route', 'show'], { netns: ns }), /^198\.51\.100\.128\/25 dev v0 scope link realms 65535\/1 $/m);
  t.match(ip(['route', 'show'], { netns: ns }), /\tnexthop realms 1\/9 dev w0 weight 1 /);
  ip(['route', 'add', '192.0.2.128/25', 'dev', 'v0', 'realms', '0x20006'], { netns: ns });
  const listed = await rt.route.list();
  t.same(find(listed, '192.0.2.128/25')?.realms, { from: 2, to: 6 }, 'made by ip: the upper 16 bits are the source realm');
  t.notOk('realms' in (find(listed, '192.0.2.0/24') ?? {}), 'a route without realms has none');
  for (const r of listed.filter((r) => r.realms !== undefined || r.nexthops !== undefined)) await rt.route.delete(r);
  t.notMatch(ip(['route', 'show'], { netns: ns }), /realm/, 'each deleted as listed');
});

t.test('a bad route spec or filter is refused by name before any round trip', kernel, async (t) => {
  const ns = twoLinks(t);
  await using rt = await RtNetlink.open({ netns: ns });
  // Without the local routes of link-local addresses: the kernel adds each when its DAD ends, which
  // under load came between the two looks (seen in a run beside two mutation runs).
  const routes = (): string => ip(['route', 'show', 'table', 'all'], { netns: ns }).split('\n').filter((l) => !l.startsWith('local fe80:')).join('\n');
  const before = routes();
  const refused = async (spec: unknown, message: string | RegExp): Promise<void> => {
    await t.rejects(rt.route.add(spec as RouteSpec), { name: InvalidArgumentError.name, message }, String(message));
  };
  await refused({ dst: 5 }, 'route 5: dst must be "default" or a prefix such as "198.51.100.0/24"');
  await refused({ dst: '198.51.100.0/33' }, 'route 198.51.100.0/33: dst "198.51.100.0/33": prefix length must be 0 to 32');
  await refused({ dst: 'default', gateway: '192.0.2' }, 'route default via 192.0.2: gateway "192.0.2": not a valid IPv4 or IPv6 address');
  await refused({ dst: 'default', nexthops: [{ gateway: 'x' }] }, 'route default: gateway "x": not a valid IPv4 or IPv6 address');
  await refused({ dst: '198.51.100.0/24', family: 'inet6' }, 'route 198.51.100.0/24: dst is not an inet6 prefix');
  await refused({ dst: '198.51.100.0/24', from: '2001:db8::/64' }, 'route 198.51.100.0/24: from is not an inet prefix');
  await refused({ dst: '198.51.100.0/24', src: '2001:db8::1' }, 'route 198.51.100.0/24: src is not an inet address');
  await refused({ dst: 'default', from: '2001:db8::/64', src: '192.0.2.1' }, 'route default: src is not an inet6 address');
  await refused({ dst: '198.51.100.0/24', type: 'bogus' }, 'route bogus 198.51.100.0/24: unknown route type "bogus" (known: unspec, unicast, local, broadcast, anycast, multicast, blackhole, unreachable, prohibit, throw, nat, xresolve)');
  await refused({ dst: '198.51.100.0/24', table: 'bogus' }, 'route 198.51.100.0/24 table bogus: unknown table "bogus" (known: default, main, local)');
  await refused({ dst: '198.51.100.0/24', scope: 'bogus' }, 'route 198.51.100.0/24: unknown scope "bogus" (known: global, site, link, host, nowhere)');
  await refused({ dst: '198.51.100.0/24', protocol: 'bogus' }, /^route 198\.51\.100\.0\/24: unknown protocol "bogus" \(known: unspec, redirect, kernel, boot, static, .*\)$/);
  await refused({ dst: '198.51.100.0/24', tos: 256 }, 'route 198.51.100.0/24: tos 256 is not an integer from 0 to 255');
  await refused({ dst: '198.51.100.0/24', metric: '5' }, 'route 198.51.100.0/24: metric "5" is not an integer from 0 to 4294967295');
  await refused({ dst: '198.51.100.0/24', metric: -1 }, 'route 198.51.100.0/24: metric -1 is not an integer from 0 to 4294967295');
  await refused({ dst: '198.51.100.0/24', mtu: 2 ** 32 }, 'route 198.51.100.0/24: mtu 4294967296 is not an integer from 0 to 4294967295');
  await refused({ dst: '198.51.100.0/24', src: 'x' }, 'route 198.51.100.0/24: src "x": not a valid IPv4 or IPv6 address');
  await refused({ dst: '198.51.100.0/24', from: 'x' }, 'route 198.51.100.0/24: from "x": not a valid IPv4 or IPv6 address');
  await refused({ dst: '198.51.100.0/24', nexthops: [] }, 'route 198.51.100.0/24: nexthops is empty');
  await refused({ dst: '198.51.100.0/24', nexthops: [{ dev: 'v0' }, { dev: 'w0', weight: 0 }] }, 'route 198.51.100.0/24: nexthop 2 weight 0 is not an integer from 1 to 256');
  await refused({ dst: '198.51.100.0/24', nexthops: [{ dev: 'v0', weight: 256 }, { dev: 'w0', weight: 257 }] }, 'route 198.51.100.0/24: nexthop 2 weight 257 is not an integer from 1 to 256');
  await refused({ dst: '198.51.100.0/24', nexthops: [{ dev: 'v0', weight: '2' }] }, 'route 198.51.100.0/24: nexthop 1 weight "2" is not an integer from 1 to 256');
  await refused({ dst: '198.51.100.0/24', realms: { to: 65536 } }, 'route 198.51.100.0/24: realms.to 65536 is not an integer from 0 to 65535');
  await refused({ dst: '198.51.100.0/24', realms: { from: -1, to: 1 } }, 'route 198.51.100.0/24: realms.from -1 is not an integer from 0 to 65535');
  await refused({ dst: '198.51.100.0/24', realms: { from: 1 } }, 'route 198.51.100.0/24: realms.to is required');
  await refused({ dst: '198.51.100.0/24', realms: 5 }, 'route 198.51.100.0/24: realms: expected an object, not number');
  await refused({ dst: '198.51.100.0/24', nexthops: [{ dev: 'v0' }, { dev: 'w0', realms: { to: '2' } }] }, 'route 198.51.100.0/24: nexthop 2 realms.to "2" is not an integer from 0 to 65535');
  // The kernel takes RTA_FLOW on an IPv6 route and drops it without a word.
  await refused({ dst: '2001:db8:9::/64', dev: 'v0', realms: { to: 1 } }, 'route 2001:db8:9::/64 dev v0: realms are for IPv4 routes: the kernel ignores them on IPv6 routes');
  await refused({ dst: '2001:db8:9::/64', nexthops: [{ dev: 'v0', realms: { to: 1 } }] }, 'route 2001:db8:9::/64: realms are for IPv4 routes: the kernel ignores them on IPv6 routes');
  // How a spec reads in its errors: its type unless unicast, its gateway, link and table unless main.
  await refused({ dst: '198.51.100.0/24', type: 'blackhole', gateway: '192.0.2.1', dev: 'nosuch0', table: 7, metric: -1 },
    'route blackhole 198.51.100.0/24 via 192.0.2.1 dev nosuch0 table 7: metric -1 is not an integer from 0 to 4294967295');
  await refused({ dst: '198.51.100.0/24', type: 'unicast', dev: 'nosuch0', table: 'main', metric: -1 },
    'route 198.51.100.0/24 dev nosuch0: metric -1 is not an integer from 0 to 4294967295');
  await t.rejects(rt.route.delete(5 as unknown as RouteSpec), { name: InvalidArgumentError.name, message: 'route: expected an object, not number' });
  await t.rejects(rt.route.list(5 as unknown as object), { name: InvalidArgumentError.name, message: 'route filter: expected an object, not number' });
  await t.rejects(rt.route.list({ table: 'bogus' as 'main' }), { name: InvalidArgumentError.name, message: 'route filter: unknown table "bogus" (known: default, main, local)' });
  await t.rejects(rt.route.list({ protocol: 'bogus' as 'boot' }), { name: InvalidArgumentError.name, message: /^route filter: unknown protocol "bogus" \(known: unspec, / });
  await t.rejects(rt.route.list({ type: 'bogus' as 'local' }), { name: InvalidArgumentError.name, message: /^route filter: unknown route type "bogus" \(known: unspec, / });
  t.equal(routes(), before, 'nothing was made');
  await t.rejects(rt.route.list({ family: 'inet', table: 4242 }), { name: NotFoundError.name, message: 'routes of table 4242: Error: ipv4: FIB table does not exist.' },
    'a table that does not exist: the dump fails, named');
});

t.test('no IPv4 route yet: the main table is empty, in the library and in rtnl as in ip; other tables that do not exist are refused', kernel, async (t) => {
  // lo down, as in a container's namespace before it is set up: no IPv4 table is made yet (lo's
  // local routes would make the local table, and main with it).
  const ns = scratchNetns(t, 'rt', false);
  await using rt = await RtNetlink.open({ netns: ns });
  t.same(await rt.route.list({ family: 'inet' }), [], 'list({ family }): the main table, not made yet');
  t.same(await rt.route.list({ family: 'inet', table: 'main' }), [], 'list({ family, table: main })');
  const streamed: Route[] = [];
  for await (const r of rt.route.iterate({ family: 'inet' })) streamed.push(r);
  t.same(streamed, [], 'iterate({ family })');
  await t.rejects(rt.route.list({ family: 'inet', table: 'default' }), { name: NotFoundError.name, message: 'routes of table default: Error: ipv4: FIB table does not exist.' },
    'another table not made is still refused');
  for (const args of [['route', 'show'], ['-4', 'route', 'show', 'table', 'main'], ['route', 'show', 'table', 'default'], ['route', 'flush', 'table', 'main'], ['-6', 'route', 'show', 'table', '4242']]) {
    const [ours, theirs] = await Promise.all([RTNL.run(['-n', ns, ...args]), IP.run(['-n', ns, ...args])]);
    t.same(ours, theirs, `rtnl ${args.join(' ')}: ${JSON.stringify(theirs)}`);
  }
  ip(['link', 'set', 'lo', 'up'], { netns: ns });
  ip(['route', 'add', '192.0.2.0/24', 'dev', 'lo'], { netns: ns });
  t.same((await rt.route.list({ family: 'inet' })).map((r) => r.dst), ['192.0.2.0/24'], 'once made, listed (lo\'s own routes are in table local)');
});

t.test('change() changes only a route that is there, as ip route change; replace() adds one', kernel, async (t) => {
  const ns = twoLinks(t);
  await using rt = await RtNetlink.open({ netns: ns });
  await t.rejects(rt.route.change({ dst: '203.0.113.64/26', gateway: '192.0.2.1' }), { name: NotFoundError.name, message: 'route 203.0.113.64/26 via 192.0.2.1: RTNETLINK answers: No such file or directory' });
  t.equal(ip(['route', 'show', '203.0.113.64/26'], { netns: ns }), '', 'nothing made');
  await rt.route.replace({ dst: '203.0.113.64/26', gateway: '192.0.2.1' });
  t.match(await rt.route.change({ dst: '203.0.113.64/26', gateway: '192.0.2.2' }), { dst: '203.0.113.64/26', gateway: '192.0.2.2' });
  t.match(ip(['route', 'show', '203.0.113.64/26'], { netns: ns }), /^203\.0\.113\.64\/26 via 192\.0\.2\.2 dev v0 \n$/, 'the one route, changed');
  for (const tool of [IP, RTNL]) {
    const args = ['-n', ns, 'route', 'change', '203.0.113.128/26', 'via', '192.0.2.1'];
    t.same(await tool.run(args), { status: 2, stdout: '', stderr: 'RTNETLINK answers: No such file or directory\n' }, `${tool.name} route change of a route not there`);
  }
  t.equal(ip(['route', 'show', '203.0.113.128/26'], { netns: ns }), '', 'neither made it');
});
