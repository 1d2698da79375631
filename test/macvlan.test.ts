// The Macvlan class against the real kernel, iproute2 as the oracle. Parents are veth ends
// in a scratch namespace; children go into other scratch namespaces.
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { ExistsError, InvalidArgumentError, Macvlan, NotFoundError, TimeoutError } from '../src/index.js';
import { ip, ipJson, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

interface IpLink {
  ifindex: number; ifname: string; address: string; mtu: number; flags: string[];
  linkinfo?: { info_kind: string; info_data?: Record<string, unknown> };
}
const show = (name: string, netns: string): IpLink => ipJson<IpLink[]>(['-d', 'link', 'show', name], { netns })[0];
const linkNames = (netns: string): string[] => ipJson<IpLink[]>(['link', 'show'], { netns }).map((l) => l.ifname).sort();
const v4 = (name: string, netns: string): string[] =>
  ipJson<Array<{ addr_info: Array<{ family: string; local: string; prefixlen: number }> }>>(['addr', 'show', name], { netns })[0]
    .addr_info.map((a) => `${a.local}/${a.prefixlen}`).filter((a) => !a.startsWith('fe80'));
const sysctl = (netns: string, key: string): string =>
  execFileSync('ip', ['netns', 'exec', netns, 'sysctl', '-n', key], { encoding: 'utf8' }).trim();

/** A host namespace with veth v0/v1 (the parents) and a namespace for a child. */
function setup(t: Test): { host: string; ns: string } {
  const host = scratchNetns(t, 'mvh');
  vethPair(host, 'v0', 'v1');
  return { host, ns: scratchNetns(t, 'mvc') };
}

t.test('create does in one call what the seeds do in six ip commands', kernel, async (t) => {
  const { host, ns } = setup(t);
  const mv = await Macvlan.create({
    parent: 'v0', parentNetns: host, name: 'macvlan1', mode: 'private', netns: ns, address: '02:00:00:00:01:01', mtu: 1400,
    flags: ['nodst'], bcqueuelen: 2000, addresses: ['192.0.2.101/24', '2001:db8::101/64'], gateway: '192.0.2.1', arpNotify: true,
  });
  const l = show('macvlan1', ns);
  t.equal(l.linkinfo?.info_kind, 'macvlan');
  t.match(l.linkinfo?.info_data, { mode: 'private', nodst: true, bcqueuelen: 2000 }, 'mode, flag and bcqueuelen as ip -d shows them');
  t.equal(l.address, '02:00:00:00:01:01');
  t.equal(l.mtu, 1400);
  t.ok(l.flags.includes('UP'), 'up');
  t.same(v4('macvlan1', ns), ['192.0.2.101/24', '2001:db8::101/64']);
  t.match(ip(['route', 'show', 'default'], { netns: ns }), /^default via 192\.0\.2\.1 dev macvlan1/);
  t.equal(sysctl(ns, 'net.ipv4.conf.macvlan1.arp_notify'), '1', 'arp_notify on');
  t.notOk(linkNames(host).includes('macvlan1'), 'not in the parent\'s namespace');

  t.match(mv, {
    name: 'macvlan1', index: l.ifindex, netns: ns, mode: 'private', flags: ['nodst'], mac: '02:00:00:00:01:01', mtu: 1400,
    bcqueuelen: 2000, sourceMacs: [], isUp: true,
  });
  t.same(mv.parent, { index: show('v0', host).ifindex, name: 'v0', netns: host }, 'the parent, found across namespaces');
  t.same(mv.addresses.filter((a) => !a.startsWith('fe80')), ['192.0.2.101/24', '2001:db8::101/64']);
  const json = JSON.parse(JSON.stringify(mv));
  t.match(json, { name: 'macvlan1', index: l.ifindex, netns: ns, mode: 'private', mac: '02:00:00:00:01:01', up: true, parent: { name: 'v0' } });
});

t.test('create without netns keeps the macvlan by its parent; the kernel default mode is vepa', kernel, async (t) => {
  const { host } = setup(t);
  const mv = await Macvlan.create({ parent: 'v0', parentNetns: host, name: 'mv0', up: false });
  t.equal(mv.mode, 'vepa');
  t.equal(show('mv0', host).linkinfo?.info_data?.mode, 'vepa');
  t.notOk(show('mv0', host).flags.includes('UP'), 'left down as asked');
  t.same(mv.parent, { index: show('v0', host).ifindex, name: 'v0', netns: host });
});

t.test('create is all or nothing, and says which step failed', kernel, async (t) => {
  const { host, ns } = setup(t);
  const hostBefore = linkNames(host);
  const nsBefore = linkNames(ns);
  const base = { parent: 'v0', parentNetns: host, name: 'mv1', netns: ns } as const;

  let e = await Macvlan.create({ ...base, addresses: ['192.0.2.300/24'] }).catch((x: unknown) => x);
  t.type(e, InvalidArgumentError, 'a bad address is refused before anything is made');
  t.match((e as Error).message, /192\.0\.2\.300/);

  e = await Macvlan.create({ ...base, addresses: ['192.0.2.101/24'], gateway: '203.0.113.1' }).catch((x: unknown) => x);
  t.match((e as Error).message, /^macvlan "mv1" \(add default route via 203\.0\.113\.1\): /, 'a gateway off the subnet: the step is named');
  t.ok((e as { errno?: number }).errno, 'with the kernel\'s errno');
  t.same(linkNames(ns), nsBefore, 'the macvlan made before that step is gone');

  e = await Macvlan.create({ ...base, netns: `${ns}-missing` }).catch((x: unknown) => x);
  t.type(e, NotFoundError, 'a missing namespace');
  t.match((e as Error).message, /^macvlan "mv1" \(create on parent "v0" into namespace "[^"]+-missing"\): .*does not exist/);

  e = await Macvlan.create({ ...base, parent: 'nope' }).catch((x: unknown) => x);
  t.type(e, NotFoundError, 'a missing parent');
  t.match((e as Error).message, /^macvlan "mv1" \(create on parent "nope"/);

  await Macvlan.create({ ...base, addresses: ['192.0.2.101/24'] });
  e = await Macvlan.create({ ...base, parent: 'v1' }).catch((x: unknown) => x);
  t.type(e, ExistsError, 'a name already taken in the target namespace');
  t.same(linkNames(ns), [...nsBefore, 'mv1'].sort(), 'only the first mv1 there, no temporary link left');
  t.same(linkNames(host), hostBefore, 'nothing left by the parent');
});

t.test('get and list, across namespaces', kernel, async (t) => {
  const { host, ns } = setup(t);
  const ns2 = scratchNetns(t, 'mvc');
  await Macvlan.create({ parent: 'v0', parentNetns: host, name: 'a', mode: 'bridge', netns: ns });
  await Macvlan.create({ parent: 'v0', parentNetns: host, name: 'b', mode: 'bridge', netns: ns2 });
  await Macvlan.create({ parent: 'v1', parentNetns: host, name: 'c', mode: 'bridge' });

  const children = await Macvlan.list({ parent: 'v0', parentNetns: host });
  t.same(children.map((m) => [m.name, m.netns]).sort(), [['a', ns], ['b', ns2]], 'the children of v0, wherever they went');
  t.same((await Macvlan.list({ parent: 'v1', parentNetns: host })).map((m) => m.name), ['c']);
  t.same((await Macvlan.list({ netns: ns2 })).map((m) => m.name), ['b'], 'every macvlan of one namespace');
  t.same((await Macvlan.list({ netns: host })).map((m) => m.name), ['c']);
  t.same((await Macvlan.list({ netns: ns, parent: 'v1', parentNetns: host })), [], 'no child of v1 in ns');

  const a = await Macvlan.get('a', { netns: ns });
  t.equal(a.index, show('a', ns).ifindex);
  t.same(a.parent, { index: show('v0', host).ifindex, name: 'v0', netns: host });
  await t.rejects(Macvlan.get('v0', { netns: host }), { name: 'InvalidArgumentError', message: /link "v0" in namespace "[^"]+": is a veth link, not a macvlan/ });
  await t.rejects(Macvlan.get('zz', { netns: ns }), NotFoundError);
});

t.test('setMode, and the moves into or out of passthru the kernel refuses', kernel, async (t) => {
  const { host, ns } = setup(t);
  const mv = await Macvlan.create({ parent: 'v0', parentNetns: host, name: 'mv1', mode: 'bridge', netns: ns });
  await mv.setMode('vepa');
  t.equal(mv.mode, 'vepa');
  t.equal(show('mv1', ns).linkinfo?.info_data?.mode, 'vepa', 'the kernel has it');
  await mv.setMode('private');
  t.equal(show('mv1', ns).linkinfo?.info_data?.mode, 'private');
  await t.rejects(mv.setMode('passthru'), {
    name: 'InvalidArgumentError', message: /^macvlan "mv1" in namespace "[^"]+" \(set mode passthru\): .*Invalid argument.*into or out of passthru/,
  });
  t.equal(show('mv1', ns).linkinfo?.info_data?.mode, 'private', 'unchanged');
  await t.rejects(mv.setMode('nonsense' as 'bridge'), { name: 'InvalidArgumentError', message: /unknown macvlan mode "nonsense"/ });
  await t.rejects(mv.setMode(undefined as never), { name: 'InvalidArgumentError', message: /: setMode takes a mode, not undefined$/ });

  const pt = await Macvlan.create({ parent: 'v1', parentNetns: host, name: 'pt', mode: 'passthru' });
  await t.rejects(pt.setMode('bridge'), { name: 'InvalidArgumentError', message: /set mode bridge.*into or out of passthru/ });
  t.equal(show('pt', host).linkinfo?.info_data?.mode, 'passthru');
});

t.test('source MACs: add, remove, set, clear', kernel, async (t) => {
  const { host, ns } = setup(t);
  const [m1, m2, m3, m4] = ['02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03', '02:00:00:00:00:04'];
  const mv = await Macvlan.create({ parent: 'v0', parentNetns: host, name: 'src', mode: 'source', sourceMacs: [m1], netns: ns });
  const kernelList = (): string[] => ((show('src', ns).linkinfo?.info_data?.macaddr_data as string[] | undefined) ?? []).sort();
  t.same(mv.sourceMacs, [m1]);
  t.same(kernelList(), [m1]);
  await mv.addSourceMacs(m2, m3);
  t.same([...mv.sourceMacs].sort(), [m1, m2, m3]);
  t.same(kernelList(), [m1, m2, m3]);
  await mv.removeSourceMacs(m1);
  t.same(kernelList(), [m2, m3]);
  await mv.setSourceMacs([m4]);
  t.same(kernelList(), [m4]);
  t.same(mv.sourceMacs, [m4]);
  await mv.clearSourceMacs();
  t.same(kernelList(), []);
  t.same(mv.sourceMacs, []);

  const br = await Macvlan.create({ parent: 'v0', parentNetns: host, name: 'br', mode: 'bridge' });
  await t.rejects(br.addSourceMacs(m1), { name: 'InvalidArgumentError', message: /source mode only; this one is in bridge mode/ });
  await t.rejects(Macvlan.create({ parent: 'v0', parentNetns: host, name: 'x', mode: 'bridge', sourceMacs: [m1] }), {
    name: 'InvalidArgumentError', message: /sourceMacs given with mode bridge/,
  });
  await t.rejects(mv.addSourceMacs('02:00'), { name: 'InvalidArgumentError', message: /"02:00" is not a MAC address/ });
});

t.test('moveTo, up, down, addresses, MAC, delete', kernel, async (t) => {
  const { host, ns } = setup(t);
  const ns2 = scratchNetns(t, 'mvc');
  const mv = await Macvlan.create({ parent: 'v0', parentNetns: host, name: 'mv1', mode: 'bridge', netns: ns, addresses: ['192.0.2.5/24'] });

  await mv.down();
  t.notOk(show('mv1', ns).flags.includes('UP'));
  t.equal(mv.isUp, false);
  await mv.up();
  t.ok(show('mv1', ns).flags.includes('UP'));

  await mv.addAddress('198.51.100.6/24');
  t.same(v4('mv1', ns), ['192.0.2.5/24', '198.51.100.6/24']);
  await mv.removeAddress('192.0.2.5/24');
  t.same(v4('mv1', ns), ['198.51.100.6/24']);
  t.same(mv.addresses.filter((a) => !a.startsWith('fe80')), ['198.51.100.6/24']);
  await t.rejects(mv.addAddress('198.51.100.6/24'), { name: 'ExistsError', message: /^macvlan "mv1" in namespace "[^"]+" \(add address 198\.51\.100\.6\/24\)/ });

  await t.rejects(mv.setMac('02:00:00:00:02:03', { arpnotify: true } as never), { name: 'InvalidArgumentError', message: /setMac options: unknown option "arpnotify" \(did you mean arpNotify\?\)$/ });
  t.not(show('mv1', ns).address, '02:00:00:00:02:03', 'a misspelt option: no MAC set without it');
  await mv.setMac('02:00:00:00:02:02', { arpNotify: true });
  t.equal(show('mv1', ns).address, '02:00:00:00:02:02');
  t.equal(sysctl(ns, 'net.ipv4.conf.mv1.arp_notify'), '1', 'the new MAC is announced');
  t.equal(mv.mac, '02:00:00:00:02:02');
  await t.rejects(mv.setMac(undefined as never, { arpNotify: false }), { name: 'InvalidArgumentError', message: /^macvlan "mv1" in namespace "[^"]+": setMac takes a MAC address, not undefined$/ });
  t.equal(sysctl(ns, 'net.ipv4.conf.mv1.arp_notify'), '1', 'no MAC: nothing changed, arpNotify neither');

  await t.rejects(mv.moveTo(undefined as never), { name: 'InvalidArgumentError', message: /^macvlan "mv1" in namespace "[^"]+": moveTo takes a namespace, not undefined$/ });
  t.ok(linkNames(ns).includes('mv1'), 'no namespace: not moved');
  await mv.moveTo(ns2);
  t.notOk(linkNames(ns).includes('mv1'), 'gone from the first namespace');
  t.equal(show('mv1', ns2).linkinfo?.info_kind, 'macvlan', 'in the second');
  t.equal(mv.netns, ns2);
  t.equal(mv.index, show('mv1', ns2).ifindex);
  t.same(mv.parent, { index: show('v0', host).ifindex, name: 'v0', netns: host });
  t.same(v4('mv1', ns2), [], 'addresses stay behind, as the kernel does it');

  await mv.delete();
  t.notOk(linkNames(ns2).includes('mv1'));
  await t.rejects(mv.delete(), { name: 'NotFoundError', message: /^macvlan "mv1" in namespace "[^"]+" \(delete\)/ });
});

t.test('create uses one socket per namespace, and makes macvtaps and routes as rt.route.add takes them', kernel, async (t) => {
  const { host, ns } = setup(t);
  const { RtNetlink } = await import('../src/index.js');
  const openSync = RtNetlink.openSync.bind(RtNetlink);
  let opened = 0;
  RtNetlink.openSync = (opts) => { opened++; return openSync(opts); };
  t.teardown(() => { RtNetlink.openSync = openSync; });
  const tap = await Macvlan.create({
    kind: 'macvtap', parent: 'v0', parentNetns: host, name: 'tap1', mode: 'bridge', netns: ns,
    addresses: ['192.0.2.101/24'], routes: [{ dst: '198.51.100.0/24', gateway: '192.0.2.1', metric: 7 }, { dst: '203.0.113.0/24' }],
  });
  t.equal(opened, 2, 'one socket in the parent\'s namespace, one in the macvtap\'s');
  t.equal(show('tap1', ns).linkinfo?.info_kind, 'macvtap');
  t.equal(tap.kind, 'macvtap');
  t.equal(tap.mode, 'bridge');
  t.equal(ip(['route', 'show', '198.51.100.0/24'], { netns: ns }).trim(), '198.51.100.0/24 via 192.0.2.1 dev tap1 metric 7');
  t.equal(ip(['route', 'show', '203.0.113.0/24'], { netns: ns }).trim(), '203.0.113.0/24 dev tap1 scope link');
  await tap.setMode('vepa');
  t.equal(show('tap1', ns).linkinfo?.info_data?.mode, 'vepa', 'a macvtap changes mode as a macvtap');
  t.equal((await Macvlan.get('tap1', { netns: ns })).kind, 'macvtap');
  t.same((await Macvlan.list({ kind: 'macvtap', netns: ns })).map((m) => m.name), ['tap1']);
  t.same(await Macvlan.list({ netns: ns }), [], 'macvlans only, by default');
  const bad = await Macvlan.create({ parent: 'v0', parentNetns: host, name: 'mv9', netns: ns, addresses: ['192.0.2.102/24'], routes: [{ dst: '198.51.100.128/25', gateway: '203.0.113.1' }] })
    .catch((e: unknown) => e);
  t.type(bad, Error);
  t.match((bad as Error).message, /^macvlan "mv9" \(add route 198\.51\.100\.128\/25\): /, 'the failed step is named');
  t.notOk(linkNames(ns).includes('mv9'), 'and nothing is left behind');
});

t.test('waitFor watches for carrier instead of polling; a timeout and a deletion end it with typed errors', kernel, async (t) => {
  const ns = scratchNetns(t, 'mwf');
  vethPair(ns, 'p0', 'p1', false); // the parent is down: no carrier for its children
  const mv = await Macvlan.create({ parent: 'p0', parentNetns: ns, netns: ns, name: 'mw1', mode: 'bridge', up: true });
  t.not(ipJson<Array<{ operstate: string }>>(['link', 'show', 'mw1'], { netns: ns })[0].operstate, 'UP', 'no carrier yet');
  const waiting = mv.waitFor((l) => l.operstate === 'up');
  setTimeout(() => { ip(['link', 'set', 'p1', 'up'], { netns: ns }); ip(['link', 'set', 'p0', 'up'], { netns: ns }); }, 100);
  t.equal(await waiting, mv, 'resolved once the parent came up');
  t.equal(ipJson<Array<{ operstate: string }>>(['link', 'show', 'mw1'], { netns: ns })[0].operstate, 'UP');

  const never = await mv.waitFor((l) => l.mtu === 1234, { timeout: 200 }).catch((e: unknown) => e);
  t.type(never, TimeoutError, 'a condition never met: TimeoutError');
  t.match((never as Error).message, /macvlan "mw1" in namespace .*: not so within 200 ms/);
  const gone = mv.waitFor((l) => l.mtu === 1234);
  setTimeout(() => ip(['link', 'del', 'mw1'], { netns: ns }), 100);
  t.type(await gone.catch((e: unknown) => e), NotFoundError, 'the link deleted meanwhile: NotFoundError');
  await t.rejects(mv.waitFor('up' as never), InvalidArgumentError);
  await t.rejects(mv.waitFor(() => true, { timeot: 5 } as never), { name: 'InvalidArgumentError', message: /waitFor options: unknown option "timeot" \(did you mean timeout\?\)$/ });
});
