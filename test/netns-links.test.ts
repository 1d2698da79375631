// Moving links between namespaces, creating them straight inside another, and seeing one
// namespace's links from another through namespace ids; iproute2 as the oracle.
import t, { type Test } from 'tap';
import { RtNetlink, NetNS, monitor, type Monitor } from '../src/index.js';
import { fdCount, ip, ipFails, ipJson, kernel, scratchNetns, uniqueName, vethPair } from './helpers/kernel.js';

interface IpLink { ifname: string; link_netnsid?: number; linkinfo?: { info_kind: string; info_data?: { mode?: string } } }

/** A namespace added through NetNS, deleted when the test ends. */
async function ourNetns(t: Test): Promise<string> {
  const name = uniqueName('mv');
  await NetNS.add(name);
  t.teardown(() => NetNS.delete(name).catch(() => undefined));
  return name;
}

t.test('a macvlan moved into a namespace NetNS made, and its parent namespace found by nsid', kernel, async (t) => {
  const a = scratchNetns(t);
  const b = await ourNetns(t);
  vethPair(a, 'eth0', 'eth1');
  ip(['link', 'add', 'link', 'eth0', 'name', 'mv1', 'type', 'macvlan', 'mode', 'private'], { netns: a });
  await using rtA = await RtNetlink.open({ netns: a });
  await rtA.link.set('mv1', { netns: b });
  ipFails(['link', 'show', 'mv1'], { netns: a });
  const [there] = ipJson<IpLink[]>(['-d', 'link', 'show', 'mv1'], { netns: b });
  t.equal(there.linkinfo?.info_data?.mode, 'private', '`ip -n B -d link` shows it, still private');
  await using rtB = await RtNetlink.open({ netns: b });
  const link = await rtB.link.get('mv1');
  t.equal(link.linkNsid, there.link_netnsid, 'IFLA_LINK_NETNSID as iproute2 shows it');
  t.equal(await rtB.nsid.nameOf(link.linkNsid as number), a, 'resolved to the parent\'s namespace name');
  t.same(ipJson<{ nsid: number; name: string }[]>(['netns', 'list-id'], { netns: b }).find((n) => n.nsid === link.linkNsid)?.name, a, '`ip -n B netns list-id` agrees');
  // A link of B with the index the parent has in A: list() must not name the parent after it.
  vethPair(b, 'q0', 'q1');
  const listed = await rtB.link.list();
  const namesake = listed.find((l) => l.index === link.parent);
  t.ok(namesake, `B has a link with the parent's index in A (${String(link.parent)}): ${String(namesake?.name)}`);
  t.equal(listed.find((l) => l.name === 'mv1')?.parentName, undefined, 'the parent is in A: no name from B');
});

t.test('created straight inside another namespace under a temporary name, renamed there', kernel, async (t) => {
  const a = scratchNetns(t);
  const b = await ourNetns(t);
  vethPair(a, 'eth0', 'eth1');
  ip(['link', 'add', 'link', 'eth0', 'name', 'mvx', 'type', 'macvlan'], { netns: a });
  await using rtA = await RtNetlink.open({ netns: a });
  // The name is taken here: the kernel would refuse it, since it checks names where the request is made.
  await rtA.link.add({ name: 'mvx', kind: 'macvlan', parent: 'eth0', netns: b, macvlan: { mode: 'bridge' }, up: true });
  const [made] = ipJson<IpLink[]>(['-d', 'link', 'show', 'mvx'], { netns: b });
  t.equal(made.linkinfo?.info_kind, 'macvlan');
  t.equal(made.linkinfo?.info_data?.mode, 'bridge');
  t.same(ipJson<IpLink[]>(['link'], { netns: b }).map((l) => l.ifname).sort(), ['lo', 'mvx'], 'no temporary name left behind');
  t.same(ipJson<IpLink[]>(['link'], { netns: a }).map((l) => l.ifname).sort(), ['eth0', 'eth1', 'lo', 'mvx'], 'the one here untouched');
});

t.test('moving by path, fd and pid; a missing namespace is a NotFoundError naming it', kernel, async (t) => {
  const a = scratchNetns(t);
  const b = await ourNetns(t);
  await using rtA = await RtNetlink.open({ netns: a });
  for (const [i, ref] of [`/run/netns/${b}`, { pid: process.pid }].entries()) {
    ip(['link', 'add', `p${i}a`, 'type', 'veth', 'peer', 'name', `p${i}b`], { netns: a });
    await rtA.link.set(`p${i}a`, { netns: ref });
  }
  t.ok(ipJson<IpLink[]>(['link'], { netns: b }).some((l) => l.ifname === 'p0a'), 'moved by path');
  t.ok(ipJson<IpLink[]>(['link']).some((l) => l.ifname === 'p1a'), 'moved by pid (into this process\'s namespace)');
  ip(['link', 'del', 'p1a']);
  const missing = uniqueName('no');
  ip(['link', 'add', 'q0', 'type', 'veth', 'peer', 'name', 'q1'], { netns: a });
  await t.rejects(rtA.link.set('q0', { netns: missing }), { name: 'NotFoundError', message: `namespace "${missing}": does not exist (no /run/netns/${missing})` });
  t.ok(ipJson<IpLink[]>(['link'], { netns: a }).some((l) => l.ifname === 'q0'), 'the link stayed');
});

t.test('another namespace\'s links listed from here through its nsid', kernel, async (t) => {
  const a = scratchNetns(t);
  const b = await ourNetns(t);
  vethPair(b, 'in0', 'in1');
  await using rtA = await RtNetlink.open({ netns: a });
  const id = await rtA.nsid.set(b);
  const listed = (await rtA.link.list({ targetNsid: id })).map((l) => l.name).sort();
  t.same(listed, ipJson<IpLink[]>(['link'], { netns: b }).map((l) => l.ifname).sort(), 'same links as `ip -n B link`');
  t.notOk((await rtA.link.list()).some((l) => l.name === 'in0'), 'and not ours');
});

/** The names links bore in a monitor's events, in order, each once per stretch, until `last` is seen. */
async function namesSeen(m: Monitor, last: string): Promise<string[]> {
  const seen: string[] = [];
  const timer = setTimeout(() => m.close(), 5000);
  for (let r = await m.next(); !r.done; r = await m.next()) {
    const ev = r.value;
    if (ev.type === 'synced' || ev.family !== 'link' || ev.link.name === undefined || ev.link.name === 'lo') continue;
    if (seen.at(-1) !== ev.link.name) seen.push(ev.link.name);
    if (ev.link.name === last) break;
  }
  clearTimeout(timer);
  return seen;
}

t.test('links made inside another namespace: under a temporary name unless renameInside: false, at once, no fd kept', kernel, async (t) => {
  const a = scratchNetns(t);
  const b = await ourNetns(t);
  vethPair(a, 'eth0', 'eth1');
  await using rtA = await RtNetlink.open({ netns: a });
  const m = monitor({ netns: b, link: true, existing: true });
  t.teardown(() => m.close());
  const first = await m.next();
  t.match(first.value, { type: 'new', family: 'link' }, 'the monitor in B sees its lo first');
  const fds = fdCount();
  await rtA.link.add({ name: 'kept', kind: 'macvlan', parent: 'eth0', netns: b, renameInside: false });
  await rtA.link.add({ name: 'renamed', kind: 'macvlan', parent: 'eth0', netns: b });
  const seen = await namesSeen(m, 'renamed');
  t.equal(seen.length, 3, `three names seen in B: ${seen.join(', ')}`);
  t.equal(seen[0], 'kept', 'renameInside: false: made under its own name, nothing before');
  t.match(seen[1], /^rtnl[0-9a-f]{8}$/, 'otherwise a temporary name first');
  t.equal(seen[2], 'renamed', 'then its own');
  // Made at once into the same namespace: each its own temporary name, none in another's way.
  const many = ['c0', 'c1', 'c2', 'c3'];
  const made = await Promise.all(many.map((name) => rtA.link.add({ name, kind: 'macvlan', parent: 'eth0', netns: b })));
  t.same(made.map((l) => l.name), many, 'each resolves with its own link');
  t.same(ipJson<IpLink[]>(['link'], { netns: b }).map((l) => l.ifname).sort(), ['c0', 'c1', 'c2', 'c3', 'kept', 'lo', 'renamed'], 'all made, no temporary name left');
  t.equal(fdCount(), fds, 'no namespace fd kept open');
});

t.test('made on a parent in another namespace (parentNetns, IFLA_LINK_NETNSID): as ip link add ... link-netns makes it', kernel, async (t) => {
  // A container's namespace (c) and the host's (h), whose p0 the macvlans sit on; a socket in c.
  const [h, c, hh, cc] = [scratchNetns(t, 'lnh'), scratchNetns(t, 'lnc'), scratchNetns(t, 'lnh'), scratchNetns(t, 'lnc')];
  for (const ns of [h, hh]) ip(['link', 'add', 'p1', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'p0', 'address', '02:00:00:00:00:02'], { netns: ns });
  const p0 = ipJson<Array<{ ifindex: number }>>(['link', 'show', 'p0'], { netns: h })[0].ifindex;
  ip(['link', 'add', 'mv0', 'address', '02:00:00:00:00:05', 'link', `if${p0}`, 'link-netns', hh, 'type', 'macvlan', 'mode', 'bridge'], { netns: cc });
  await using rt = await RtNetlink.open({ netns: c });
  const made = await rt.link.add({ kind: 'macvlan', name: 'mv0', address: '02:00:00:00:00:05', parent: 'p0', parentNetns: h, macvlan: { mode: 'bridge' } });
  t.same([made.name, made.parent, made.linkNsid, made.info?.kind, made.info?.kind === 'macvlan' && made.info.data?.mode], ['mv0', p0, 0, 'macvlan', 'bridge'], 'resolved with the link: its parent by index there, that namespace by id here');
  const seen = (ns: string): unknown => ipJson<Array<Record<string, unknown>>>(['-d', 'link', 'show', 'mv0'], { netns: ns }).map(({ ifindex: _i, ...l }) => l);
  t.same(seen(c), seen(cc), 'what ip made the same way');
  t.equal(await rt.nsid.get(h), 0, 'the host\'s namespace was given an id here, as ip gives it one');
  // By index, and into yet another namespace (`netns`): the id is the one that namespace gives.
  const other = scratchNetns(t, 'lno');
  ip(['netns', 'set', c, '0'], { netns: other }); // id 0 taken there: the host's is not its id here (0) by chance
  const moved = await rt.link.add({ kind: 'macvtap', name: 'tap0', parent: p0, parentNetns: h, netns: other, macvtap: { mode: 'vepa' } });
  t.same([moved.name, moved.parent], ['tap0', p0]);
  const [there] = ipJson<IpLink[]>(['-d', 'link', 'show', 'tap0'], { netns: other });
  t.same([there.link_netnsid, there.linkinfo?.info_kind, there.linkinfo?.info_data?.mode], [ipJson<Array<{ nsid: number; name: string }>>(['netns', 'list-id'], { netns: other }).find((e) => e.name === h)?.nsid, 'macvtap', 'vepa'], 'its parent\'s namespace by the id `netns`\'s gives it');
  // By the id the socket's namespace gives the host's (`link-netnsid`), the parent by name through it.
  const byId = await rt.link.add({ kind: 'macvlan', name: 'mv1', parent: 'p0', parentNetns: { nsid: 0 } });
  t.same([byId.parent, byId.linkNsid], [p0, 0], '{ nsid }: the parent found through the id');
  // Refusals, each naming what is wrong, nothing made.
  const before = ip(['link', 'show'], { netns: c });
  await t.rejects(rt.link.add({ kind: 'macvlan', name: 'mv9', parent: 'p0', parentNetns: { nsid: -1 } }), { name: 'InvalidArgumentError', message: 'link "mv9": parentNetns nsid -1: an nsid is an integer from 0 to 2147483647, not -1' });
  await t.rejects(rt.link.add({ kind: 'macvlan', name: 'mv9', parent: 'p0', parentNetns: { nsid: 0 }, netns: other }), { name: 'InvalidArgumentError', message: /^link "mv9": parent link "p0": with netns, give the parent by index/ });
  await t.rejects(rt.link.add({ kind: 'macvlan', name: 'mv9', parent: p0, parentNetns: { nsid: 42 } }), { name: 'InvalidArgumentError', message: 'link "mv9": Error: Unknown network namespace id.' });
  await t.rejects(rt.link.add({ kind: 'macvlan', name: 'mv9', parent: 'nosuch', parentNetns: h }), { name: 'NotFoundError', message: /^link "mv9": parent link "nosuch": / });
  await t.rejects(rt.link.add({ kind: 'macvlan', name: 'mv9', parent: 'p0', parentNetns: 'rtnl-no-such-ns' }), { name: 'NotFoundError', message: 'link "mv9": parentNetns namespace "rtnl-no-such-ns": does not exist (no /run/netns/rtnl-no-such-ns)' });
  await t.rejects(rt.link.add({ kind: 'veth', name: 'v9', parentNetns: h } as never), { name: 'InvalidArgumentError', message: 'link "v9": parentNetns is where the parent is: it takes a parent' });
  t.equal(ip(['link', 'show'], { netns: c }), before, 'nothing made by the refusals');
});
