// Addresses, routes and neighbours against the real kernel, with iproute2 as the oracle:
// the seeds' sequence (an address on a macvlan child in its own namespace, no default
// route, then one via the gateway), and the failures users meet.
import t from 'tap';
import type { Test } from 'tap';
import { RtNetlink, ExistsError, InvalidArgumentError, NetlinkError, NotFoundError, UnreachableError } from '../src/index.js';
import { ip, ipJson, kernel, scratchNetns, uniqueName } from './helpers/kernel.js';

/** The seeds' network: a gateway namespace at 192.0.2.1 on one end of a veth, the other end the parent of macvlan mv1, which lives in the child namespace. */
function seedNetwork(t: Test): { host: string; gw: string; child: string } {
  const host = scratchNetns(t, 'h');
  const gw = scratchNetns(t, 'g');
  const child = scratchNetns(t, 'c');
  ip(['link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'], { netns: host });
  ip(['link', 'set', 'p1', 'netns', gw], { netns: host });
  ip(['addr', 'add', '192.0.2.1/24', 'dev', 'p1'], { netns: gw });
  ip(['link', 'set', 'p1', 'up'], { netns: gw });
  ip(['link', 'set', 'p0', 'up'], { netns: host });
  ip(['link', 'add', 'link', 'p0', 'name', 'mv1', 'type', 'macvlan', 'mode', 'private'], { netns: host });
  ip(['link', 'set', 'mv1', 'netns', child], { netns: host });
  return { host, gw, child };
}

interface IpAddr { ifname: string; addr_info: Array<{ family: string; local: string; prefixlen: number; scope: string; label?: string }> }
interface IpRoute { dst: string; gateway?: string; dev?: string; protocol?: string; scope?: string; prefsrc?: string; flags: string[] }
interface IpNeigh { dst: string; dev: string; lladdr?: string; state: string[] }

t.test("the seeds' sequence: address on a macvlan child, then a default route via the gateway", kernel, async (t) => {
  const { child } = seedNetwork(t);
  await using rt = await RtNetlink.open({ netns: child });
  await rt.address.add({ dev: 'mv1', address: '192.0.2.101/24' });
  await rt.link.set('mv1', { up: true });

  const addrs = await rt.address.list({ dev: 'mv1', family: 'inet' });
  const [theirs] = ipJson<IpAddr[]>(['-4', 'addr', 'show', 'dev', 'mv1'], { netns: child });
  t.same(addrs.map((a) => [a.local, a.prefixlen, a.scope, a.label, a.dev]),
    theirs.addr_info.map((a) => [a.local, a.prefixlen, a.scope, a.label, 'mv1']), 'rt.address.list agrees with ip -j addr');
  t.match(addrs[0], { family: 'inet', cidr: '192.0.2.101/24', flags: ['permanent'], validLft: 'forever' });

  const before = await rt.route.list({ family: 'inet', names: true });
  t.notOk(before.some((r) => r.dst === 'default'), 'no default route yet');
  t.same(before.map((r) => [r.dst, r.dev, r.protocol, r.scope, r.src]),
    ipJson<IpRoute[]>(['route', 'show'], { netns: child }).map((r) => [`${r.dst}`, r.dev, r.protocol, r.scope, r.prefsrc]));
  const unreachable = await rt.route.get('203.0.113.7').catch((e: unknown) => e);
  t.type(unreachable, NetlinkError, 'no route to the outside');
  t.match((unreachable as NetlinkError).message, /^route get 203\.0\.113\.7: RTNETLINK answers: Network is unreachable/);

  await rt.route.add({ dst: 'default', gateway: '192.0.2.1' });
  const routes = await rt.route.list({ family: 'inet', names: true });
  const norm = (dst: string): string => (dst === 'default' || dst.includes('/') ? dst : `${dst}/32`);
  t.same(routes.map((r) => [r.dst, r.gateway, r.dev, r.protocol, r.scope]),
    ipJson<IpRoute[]>(['route', 'show'], { netns: child }).map((r) => [norm(r.dst), r.gateway, r.dev, r.protocol ?? 'boot', r.scope ?? 'global']), // ip -j leaves out proto boot and scope global
    'rt.route.list agrees with ip -j route');
  t.match(routes[0], { dst: 'default', gateway: '192.0.2.1', dev: 'mv1', protocol: 'boot', type: 'unicast', table: 'main' });

  const got = await rt.route.get('203.0.113.7');
  const [ipGot] = ipJson<IpRoute[]>(['route', 'get', '203.0.113.7'], { netns: child });
  t.match(got, { dst: '203.0.113.7/32', gateway: ipGot.gateway, dev: ipGot.dev, src: ipGot.prefsrc });
  t.equal(got.gateway, '192.0.2.1');

  // The gateway answers ARP: the neighbour table shows it as iproute2 does.
  ip(['netns', 'exec', child, 'ping', '-c1', '-W2', '192.0.2.1']);
  const neigh = await rt.neighbour.list({ dev: 'mv1', family: 'inet' });
  const ipNeigh = ipJson<IpNeigh[]>(['-4', 'neigh', 'show', 'dev', 'mv1'], { netns: child });
  t.same(neigh.map((n) => [n.address, n.lladdr, String(n.state).toUpperCase()]), ipNeigh.map((n) => [n.dst, n.lladdr, n.state[0]]));
  t.match(neigh[0], { address: '192.0.2.1', dev: 'mv1', family: 'inet' });
  t.ok(['reachable', 'stale', 'delay'].includes(neigh[0].state as string), `learned entry is ${neigh[0].state}`);

  // So that a re-created macvlan (new MAC) announces itself and stale upstream caches are fixed: arp_notify.
  await rt.link.set('mv1', { inet: { arpNotify: 1 } });
  t.equal(ip(['netns', 'exec', child, 'cat', '/proc/sys/net/ipv4/conf/mv1/arp_notify']).trim(), '1', 'arp_notify set through IFLA_AF_SPEC');
});

t.test('routes: multipath, metrics, types, IPv6, tables; replace, append, delete', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'set', 'v0', 'up'], { netns: ns });
  ip(['link', 'set', 'v1', 'up'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.address.add({ dev: 'v0', address: '192.0.2.5/24' });
  await rt.address.add({ dev: 'v0', address: '2001:db8::5/64', flags: ['nodad'] });

  await rt.route.add({ dst: '198.51.100.0/24', nexthops: [{ gateway: '192.0.2.1', dev: 'v0', weight: 1 }, { gateway: '192.0.2.2', dev: 'v0', weight: 3 }] });
  await rt.route.add({ dst: '203.0.113.0/24', dev: 'v0', protocol: 'static', metric: 100, mtu: 1400, metrics: { advmss: 1360 }, src: '192.0.2.5' });
  await rt.route.add({ dst: '198.51.100.128/25', type: 'blackhole', table: 1000 });
  await rt.route.add({ dst: '198.51.100.64/26', type: 'unreachable' });
  await rt.route.add({ dst: '198.51.100.32/27', type: 'prohibit' });
  await rt.route.add({ dst: '2001:db8:1::/48', gateway: '2001:db8::1', dev: 'v0', metric: 1024 });

  const main = await rt.route.list({ family: 'inet', names: true });
  const byDst = new Map(main.map((r) => [r.dst, r]));
  t.same(byDst.get('198.51.100.0/24')?.nexthops?.map((n) => [n.gateway, n.dev, n.weight]), [['192.0.2.1', 'v0', 1], ['192.0.2.2', 'v0', 3]]);
  t.match(byDst.get('203.0.113.0/24'), { protocol: 'static', metric: 100, metrics: { mtu: 1400, advmss: 1360 }, src: '192.0.2.5', scope: 'link' });
  t.match(byDst.get('198.51.100.64/26'), { type: 'unreachable' });
  t.match(byDst.get('198.51.100.32/27'), { type: 'prohibit' });
  t.notOk(byDst.has('198.51.100.128/25'), 'table 1000 is not main');
  t.same((await rt.route.list({ table: 1000 })).map((r) => [r.dst, r.type, r.table]), [['198.51.100.128/25', 'blackhole', 1000]]);
  const ipMain = ipJson<Array<{ dst: string; type?: string }>>(['route', 'show'], { netns: ns });
  t.same(main.map((r) => r.dst).sort(), ipMain.map((r) => (r.dst.includes('/') || r.dst === 'default' ? r.dst : `${r.dst}/32`)).sort(), 'same destinations as ip -j route');

  const v6 = await rt.route.list({ family: 'inet6', dev: 'v0' });
  t.ok(v6.every((r) => r.family === 'inet6' && r.dev === 'v0'), 'kernel filtered by family and link');
  t.match(v6.find((r) => r.dst === '2001:db8:1::/48'), { gateway: '2001:db8::1', metric: 1024 });
  t.same((await rt.route.list({ protocol: 'static' })).map((r) => r.dst), ['203.0.113.0/24'], 'kernel filtered by protocol');

  await rt.route.replace({ dst: '203.0.113.0/24', dev: 'v0', metric: 100, gateway: '192.0.2.9' });
  t.match((await rt.route.list({ family: 'inet' })).find((r) => r.dst === '203.0.113.0/24'), { gateway: '192.0.2.9', protocol: 'boot' });
  await rt.route.append({ dst: '2001:db8:1::/48', gateway: '2001:db8::2', dev: 'v0', metric: 1024 });
  const appended = (await rt.route.list({ family: 'inet6' })).find((r) => r.dst === '2001:db8:1::/48');
  t.same(appended?.nexthops?.map((n) => n.gateway), ['2001:db8::1', '2001:db8::2'], 'append made an IPv6 multipath route');

  // A listed route deletes as is.
  for (const r of await rt.route.list({ family: 'inet', protocol: 'boot' })) await rt.route.delete(r);
  t.same(ip(['route', 'show', 'proto', 'boot'], { netns: ns }), '', 'every boot route deleted');
  const gone = await rt.route.delete({ dst: '198.51.100.0/24' }).catch((e: unknown) => e);
  t.type(gone, NotFoundError);
  t.match((gone as Error).message, /^route 198\.51\.100\.0\/24: /);
});

t.test('a route via an unreachable gateway fails with a typed error that says so, and adds nothing', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'set', 'v0', 'up'], { netns: ns });
  ip(['addr', 'add', '192.0.2.5/24', 'dev', 'v0'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const err = await rt.route.add({ dst: 'default', gateway: '198.51.100.1' }).catch((e: unknown) => e);
  t.type(err, UnreachableError);
  const e = err as NetlinkError;
  t.equal(e.code, 'ENETUNREACH');
  t.equal(e.message, 'route default via 198.51.100.1: Error: Nexthop has invalid gateway.');
  t.equal(e.kernelMessage, 'Nexthop has invalid gateway');
  t.equal(ip(['route', 'show', 'default'], { netns: ns }), '', 'no default route was made');
  const noDev = await rt.route.add({ dst: 'default', gateway: '192.0.2.1', dev: 'nosuch0' }).catch((e: unknown) => e);
  t.type(noDev, NotFoundError);
  t.match((noDev as Error).message, /link "nosuch0"/);
});

t.test('a duplicate address fails with ExistsError; addresses replace, delete and flush', kernel, async (t) => {
  const ns = scratchNetns(t);
  const dev = uniqueName('d');
  ip(['link', 'add', dev, 'type', 'veth', 'peer', 'name', 'p1'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.address.add({ dev, address: '192.0.2.5/24', broadcast: '192.0.2.255', label: `${dev}:a`.slice(0, 15) });
  const dup = await rt.address.add({ dev, address: '192.0.2.5/24' }).catch((e: unknown) => e);
  t.type(dup, ExistsError);
  t.equal((dup as Error).message, `address 192.0.2.5/24 on "${dev}": Error: ipv4: Address already assigned.`);

  await rt.address.add({ dev, address: '192.0.2.6/24' });
  await rt.address.add({ dev, address: '2001:db8::5/64', flags: ['nodad', 'noprefixroute'], validLft: 600, preferredLft: 300 });
  const v6 = (await rt.address.list({ dev, family: 'inet6' })).find((a) => a.cidr === '2001:db8::5/64');
  t.match(v6, { flags: ['nodad', 'noprefixroute'], validLft: 600, preferredLft: 300, scope: 'global' });
  await rt.address.replace({ dev, address: '2001:db8::5/64', flags: ['nodad'], validLft: 900, preferredLft: 900 });
  const ipV6 = ipJson<IpAddr[]>(['-6', 'addr', 'show', 'dev', dev], { netns: ns })[0].addr_info.find((a) => a.local === '2001:db8::5') as unknown as Record<string, unknown>;
  t.equal(ipV6.valid_life_time, 900);
  t.notOk(ipV6.noprefixroute, 'replace dropped noprefixroute');
  const v4 = await rt.address.list({ dev, family: 'inet' });
  t.same(v4.map((a) => [a.cidr, a.broadcast, a.flags.includes('secondary')]), [['192.0.2.5/24', '192.0.2.255', false], ['192.0.2.6/24', undefined, true]]);

  await rt.address.delete({ dev, address: '192.0.2.6/24' });
  const missing = await rt.address.delete({ dev, address: '192.0.2.6/24' }).catch((e: unknown) => e);
  t.type(missing, NotFoundError);
  await rt.address.add({ dev, address: '192.0.2.7/24' });
  const n = await rt.address.flush({ dev, family: 'inet' });
  t.equal(n, 2);
  t.same(ipJson<IpAddr[]>(['-4', 'addr', 'show', 'dev', dev], { netns: ns })[0]?.addr_info ?? [], []);
  const bad = await rt.address.add({ dev, address: '192.0.2.300/24' }).catch((e: unknown) => e);
  t.type(bad, InvalidArgumentError);
});

t.test('neighbours: permanent add, replace, delete, flush, as ip -j neigh shows them', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'set', 'v0', 'up'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.neighbour.add({ dev: 'v0', address: '192.0.2.1', lladdr: '02:00:00:00:00:aa' });
  await rt.neighbour.add({ dev: 'v0', address: '2001:db8::1', lladdr: '02:00:00:00:00:bb', router: true });
  await rt.neighbour.replace({ dev: 'v0', address: '192.0.2.2', lladdr: '02:00:00:00:00:cc', state: 'stale' });
  const dup = await rt.neighbour.add({ dev: 'v0', address: '192.0.2.1', lladdr: '02:00:00:00:00:ab' }).catch((e: unknown) => e);
  t.type(dup, ExistsError);
  t.match((dup as Error).message, /^neighbour 192\.0\.2\.1 on "v0": /);

  const ours = (await rt.neighbour.list({ dev: 'v0' })).filter((n) => n.state !== 'noarp');
  const theirs = ipJson<Array<IpNeigh & { router?: null }>>(['neigh', 'show', 'dev', 'v0'], { netns: ns });
  const key = (a: string[]): string => a.join(' ');
  t.same(ours.map((n) => key([n.address ?? '', n.lladdr ?? '', String(n.state).toUpperCase(), n.flags.includes('router') ? 'router' : ''])).sort(),
    theirs.map((n) => key([n.dst, n.lladdr ?? '', n.state[0], 'router' in n ? 'router' : ''])).sort());

  t.equal(await rt.neighbour.flush({ dev: 'v0' }), 1, 'flush takes the stale entry, not the permanent ones');
  t.same((await rt.neighbour.list({ dev: 'v0' })).filter((n) => n.state === 'permanent').map((n) => n.address).sort(), ['192.0.2.1', '2001:db8::1']);
  await rt.neighbour.delete({ dev: 'v0', address: '192.0.2.1' });
  t.equal(ip(['neigh', 'show', '192.0.2.1', 'dev', 'v0'], { netns: ns }), '');
  const gone = await rt.neighbour.delete({ dev: 'v0', address: '192.0.2.1' }).catch((e: unknown) => e);
  t.type(gone, NotFoundError);
  t.equal(await rt.neighbour.flush({ dev: 'v0', permanent: true }), 1);
});

t.test('every add resolves with the object list() returns, typed the same', kernel, async (t) => {
  const ns = scratchNetns(t);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'set', 'v0', 'up'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const without = <T extends object>(o: T, ...keys: string[]): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as Partial<T>;
  // Lifetimes and timestamps move on between the two reads: compared apart.
  for (const spec of [{ dev: 'v0', address: '192.0.2.5/24' }, { dev: 'v0', address: '2001:db8::5', prefixlen: 64, flags: ['nodad' as const], validLft: 600, preferredLft: 300 }]) {
    const made = await rt.address.add(spec);
    const listed = (await rt.address.list({ dev: 'v0' })).find((a) => a.cidr === made.cidr);
    t.same(without(made, 'validLft', 'preferredLft', 'created', 'updated'), without(listed ?? {}, 'validLft', 'preferredLft', 'created', 'updated'), `address ${spec.address}`);
    t.equal(made.dev, 'v0', 'named by the name given');
  }
  const byIndex = await rt.address.add({ dev: (await rt.link.get('v0')).index, address: '192.0.2.6/24' });
  t.equal(byIndex.cidr, '192.0.2.6/24', 'by index too');
  await rt.address.delete(byIndex);
  t.notOk((await rt.address.list({ dev: 'v0' })).some((a) => a.cidr === '192.0.2.6/24'), 'a listed address deletes as it is');
  const mismatch = await rt.address.add({ dev: 'v0', address: '192.0.2.7/24', prefixlen: 25 }).catch((e: unknown) => e);
  t.type(mismatch, InvalidArgumentError, 'two lengths that differ');
  for (const spec of [{ dst: '198.51.100.0/24', gateway: '192.0.2.1' }, { dst: '2001:db8:1::/64', dev: 'v0', metric: 7 }, { dst: '203.0.113.0/24', type: 'blackhole' as const, table: 100 }]) {
    const made = await rt.route.add(spec);
    const listed = (await rt.route.list({ table: 'all' })).find((r) => r.dst === spec.dst);
    t.same(without(made, 'dev', 'expires'), without(listed ?? {}, 'dev', 'expires'), `route ${spec.dst}`);
  }
  const neighbour = await rt.neighbour.add({ dev: 'v0', address: '192.0.2.1', lladdr: '02:00:00:00:00:aa' });
  const listedNeighbour = (await rt.neighbour.list({ dev: 'v0' })).find((n) => n.address === '192.0.2.1');
  t.same(without(neighbour, 'confirmed', 'used', 'updated'), without(listedNeighbour ?? {}, 'confirmed', 'used', 'updated'), 'neighbour');
  t.same(await rt.neighbour.get({ dev: 'v0', address: '192.0.2.1' }).then((n) => n.lladdr), '02:00:00:00:00:aa', 'get finds it');
  const missing = await rt.neighbour.get({ dev: 'v0', address: '192.0.2.99' }).catch((e: unknown) => e);
  t.type(missing, NotFoundError);
});

t.test('listed entries name their links only when asked (names: true) or when the filter names the link', kernel, async (t) => {
  const ns = scratchNetns(t, 'nm');
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'set', 'v0', 'up'], { netns: ns });
  ip(['addr', 'add', '192.0.2.5/24', 'dev', 'v0'], { netns: ns });
  ip(['neigh', 'add', '192.0.2.1', 'lladdr', '02:00:00:00:00:aa', 'dev', 'v0'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const v0 = await rt.link.get('v0');
  const lists = {
    address: (f: { dev?: string | number; names?: boolean }) => rt.address.list({ ...f, family: 'inet' }),
    route: (f: { dev?: string | number; names?: boolean }) => rt.route.list({ ...f, family: 'inet' }),
    neighbour: (f: { dev?: string | number; names?: boolean }) => rt.neighbour.list({ ...f, family: 'inet' }),
  };
  const nameOf = new Map([[1, 'lo'], [v0.index, 'v0']]);
  for (const [family, list] of Object.entries(lists)) {
    const devs = async (f: { dev?: string | number; names?: boolean }): Promise<Array<[number | undefined, string | undefined]>> => (await list(f)).map((e) => [e.index, e.dev]);
    const all = await devs({});
    t.ok(all.some(([index]) => index === v0.index), `${family}: v0's entry is listed`);
    t.same(all, all.map(([index]) => [index, undefined]), `${family}: no names by default`);
    t.same(await devs({ names: true }), all.map(([index]) => [index, nameOf.get(index ?? 0)]), `${family}: names: true`);
    t.same(await devs({ dev: 'v0' }), [[v0.index, 'v0']], `${family}: the filter's link by name`);
    t.same(await devs({ dev: v0.index }), [[v0.index, undefined]], `${family}: the filter's link by index`);
    t.same(await devs({ dev: v0.index, names: true }), [[v0.index, 'v0']], `${family}: by index, names: true`);
  }
  const it = [];
  for await (const a of rt.address.iterate({ family: 'inet', names: true })) it.push(a.dev);
  t.same(it, ['lo', 'v0'], 'iterate() takes names too');
  // route.get() names the links of its route by asking for them, not by a dump of every link.
  const dumps: unknown[] = [];
  const dump = rt.client.dump.bind(rt.client);
  rt.client.dump = ((req, decode) => { dumps.push(req.name); return dump(req, decode); }) as typeof rt.client.dump;
  t.match(await rt.route.get('192.0.2.77'), { dev: 'v0', index: v0.index });
  t.same(dumps, [], 'route.get() dumps nothing');
});

t.test('a table past 255 is read from RTA_TABLE (rtm_table says 252, RT_TABLE_COMPAT), in the library and the CLI', kernel, async (t) => {
  const ns = scratchNetns(t, 'tbl');
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['link', 'set', 'v0', 'up'], { netns: ns });
  ip(['route', 'add', '198.51.100.0/24', 'dev', 'v0', 'table', '1000'], { netns: ns });
  ip(['route', 'add', '203.0.113.0/24', 'dev', 'v0', 'table', '70000'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  t.same((await rt.route.list({ table: 1000 })).map((r) => [r.dst, r.table]), [['198.51.100.0/24', 1000]]);
  t.same((await rt.route.list({ table: 'all', family: 'inet', names: true })).filter((r) => r.dev === 'v0').map((r) => r.table).sort(), [1000, 70000]);
  const { IP, RTNL, ok } = await import('./helpers/cli.js');
  for (const args of [['route', 'show', 'table', '1000'], ['route', 'show', 'table', 'all'], ['-j', 'route', 'show', 'table', '70000']]) {
    t.equal(await ok(RTNL, ['-n', ns, ...args]), await ok(IP, ['-n', ns, ...args]), args.join(' '));
  }
});
