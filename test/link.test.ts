// rt.link against the real kernel, in throwaway namespaces, on a veth parent, with
// `ip -j -d link show` as the oracle.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import type { Test } from 'tap';
import {
  RtNetlink, InvalidArgumentError, NetlinkError, NotFoundError, ExistsError, type Link, type MacvlanData,
} from '../src/index.js';
import { Writer } from '../codecs/netlink/writer.js';
import { RTM_NEWLINK } from '../codecs/route/constants.js';
import { encodeLink } from '../codecs/route/link.js';
import { LinkApi } from '../src/api/link.js';
import type { Client } from '../src/client.js';
import { ip, ipJson, kernel, scratchNetns, vethPair } from './helpers/kernel.js';

interface IpLink {
  ifname: string; ifindex: number; link?: string; mtu: number; address: string; flags: string[]; master?: string;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown>; info_slave_kind?: string; info_slave_data?: Record<string, unknown> };
  [k: string]: unknown;
}
const show = (ns: string, dev: string): IpLink => ipJson<IpLink[]>(['-d', 'link', 'show', 'dev', dev], { netns: ns })[0];
const names = (ns: string): string[] => ipJson<IpLink[]>(['link', 'show'], { netns: ns }).map((l) => l.ifname).sort();

/** A namespace with a veth pair p0/p1 (up) and a socket in it. */
async function setup(t: Test): Promise<{ ns: string; rt: RtNetlink }> {
  const ns = scratchNetns(t);
  vethPair(ns, 'p0', 'p1');
  const rt = await RtNetlink.open({ netns: ns });
  t.teardown(() => rt.close());
  return { ns, rt };
}

/** What we decoded agrees with what iproute2 shows; every link checked here has a parent, named. */
function agrees(t: Test, ns: string, link: Link, parentName: string): void {
  const o = show(ns, link.name!);
  const d = link.info?.kind === 'macvlan' || link.info?.kind === 'macvtap' ? link.info.data : undefined;
  t.equal(link.info?.kind, o.linkinfo?.info_kind, 'kind');
  t.equal(link.mtu, o.mtu, 'mtu');
  t.equal(link.address, o.address, 'address');
  t.equal(link.index, o.ifindex, 'index');
  // Unconditional: a check that vanished when ip stopped naming the parent would prove nothing.
  t.equal(o.link, parentName, 'iproute2 names the parent');
  t.equal(link.parent, show(ns, parentName).ifindex, 'parent');
  if (link.info?.kind === 'macvlan' || link.info?.kind === 'macvtap') {
    const od = o.linkinfo!.info_data!;
    t.equal(d?.mode, od.mode, 'mode');
    t.same([...(d?.flags ?? [])].sort(), ['nopromisc', 'nodst'].filter((f) => od[f] === true).sort(), 'flags');
    t.equal(d?.bcqueuelen, od.bcqueuelen, 'bcqueuelen');
    t.equal(d?.usedBcqueuelen, od.usedbcqueuelen, 'usedbcqueuelen');
    if (d?.mode === 'source') {
      t.equal(d.macaddrCount, od.macaddr_count, 'macaddr count');
      t.same(d.macaddrs ?? [], od.macaddr_data ?? [], 'MAC list');
    }
  }
}

const macvlan = async (rt: RtNetlink, name: string): Promise<MacvlanData> => {
  const { info } = await rt.link.get(name);
  if (info?.kind !== 'macvlan' || !info.data) throw new Error(`${name} is not a macvlan with data`);
  return info.data;
};
const modeOf = (l: Link): unknown => (l.info?.kind === 'macvlan' ? l.info.data?.mode : undefined);

t.test('every macvlan mode is created, read back, and agrees with iproute2', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  const modes = ['private', 'vepa', 'bridge', 'source'] as const;
  for (const [i, mode] of modes.entries()) {
    await rt.link.add({ name: `mv${mode}`, kind: 'macvlan', parent: 'p0', macvlan: { mode }, address: `02:00:00:00:01:0${i + 1}`, mtu: 1400 + i });
    const l = await rt.link.get(`mv${mode}`);
    t.match(l, { name: `mv${mode}`, address: `02:00:00:00:01:0${i + 1}`, mtu: 1400 + i, info: { kind: 'macvlan', data: { mode } } });
    agrees(t, ns, l, 'p0');
  }
  // passthru takes the parent for itself: on p1, with nopromisc.
  await rt.link.add({ name: 'mvpass', kind: 'macvlan', parent: 'p1', macvlan: { mode: 'passthru', flags: ['nopromisc'] } });
  const pass = await rt.link.get('mvpass');
  t.match(pass.info, { kind: 'macvlan', data: { mode: 'passthru', flags: ['nopromisc'] } });
  agrees(t, ns, pass, 'p1');
  // No mode sent: the kernel's default is vepa.
  await rt.link.add({ name: 'mvdefault', kind: 'macvlan', parent: 'p0' });
  t.equal((await macvlan(rt, 'mvdefault')).mode, 'vepa');
  t.same((await rt.link.list({ kind: 'macvlan' })).map((l) => l.name).sort(), ['mvbridge', 'mvdefault', 'mvpass', 'mvprivate', 'mvsource', 'mvvepa']);
});

t.test('macvtap, flags, bcqueuelen and bc_cutoff', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  await rt.link.add({ name: 'tap0', kind: 'macvtap', parent: 'p0', macvtap: { mode: 'bridge', bcqueuelen: 300 }, up: true });
  const tap = await rt.link.get('tap0');
  t.match(tap.info, { kind: 'macvtap', data: { mode: 'bridge', bcqueuelen: 300 } });
  t.ok(tap.flags.includes('up'));
  agrees(t, ns, tap, 'p0');
  await rt.link.add({ name: 'mvc', kind: 'macvlan', parent: 'p0', macvlan: { mode: 'source', flags: ['nodst'], bcCutoff: 5 } });
  t.match(await macvlan(rt, 'mvc'), { flags: ['nodst'], bcCutoff: 5 });
  agrees(t, ns, await rt.link.get('mvc'), 'p0');
  await rt.link.set('mvc', { macvlan: { bcCutoff: 1, bcqueuelen: 2000 } });
  const d = await macvlan(rt, 'mvc');
  t.equal(d.bcCutoff, undefined, 'bc_cutoff 1 (the default) is not reported');
  t.equal(d.bcqueuelen, 2000);
  t.equal(d.usedBcqueuelen, 2000, 'the parent uses the largest queue asked for');
});

t.test('a mode changes in place', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  await rt.link.add({ name: 'mv1', kind: 'macvlan', parent: 'p0', macvlan: { mode: 'private' } });
  const before = await rt.link.get('mv1');
  for (const mode of ['vepa', 'bridge', 'private'] as const) {
    await rt.link.set('mv1', { macvlan: { mode } });
    const after = await rt.link.get('mv1');
    t.equal(modeOf(after), mode);
    t.equal(after.index, before.index, 'the same link, not a new one');
    agrees(t, ns, after, 'p0');
  }
});

t.test('source mode MAC list: set at creation, add, del, set, flush', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  const a = '02:00:00:00:aa:01', b = '02:00:00:00:aa:02', c = '02:00:00:00:aa:03';
  await rt.link.add({ name: 'src', kind: 'macvlan', parent: 'p0', macvlan: { mode: 'source', sourceMacs: [a, b] } });
  const check = async (macs: string[], what: string): Promise<void> => {
    const d = await macvlan(rt, 'src');
    t.equal(d.macaddrCount, macs.length, `${what}: count`);
    t.same([...(d.macaddrs ?? [])].sort(), macs, `${what}: list`);
    agrees(t, ns, await rt.link.get('src'), 'p0');
  };
  await check([a, b], 'set at creation');
  await rt.link.set('src', { macvlan: { macaddr: { add: c } } });
  await check([a, b, c], 'add');
  await rt.link.set('src', { macvlan: { macaddr: { del: a } } });
  await check([b, c], 'del');
  await rt.link.set('src', { macvlan: { macaddr: { set: [a] } } });
  await check([a], 'set');
  await rt.link.set('src', { macvlan: { macaddr: { flush: true } } });
  await check([], 'flush');
});

t.test("passthru's second child is refused with a clear typed error", kernel, async (t) => {
  const { ns, rt } = await setup(t);
  await rt.link.add({ name: 'pt1', kind: 'macvlan', parent: 'p0', macvlan: { mode: 'passthru' } });
  const before = names(ns);
  for (const mode of ['passthru', 'bridge'] as const) {
    const e = await rt.link.add({ name: 'pt2', kind: 'macvlan', parent: 'p0', macvlan: { mode } }).catch((x: unknown) => x);
    t.type(e, InvalidArgumentError, `a ${mode} beside it`);
    t.match((e as Error).message, /^link "pt2": .*passthru macvlan \("pt1"\)/);
    t.equal((e as InvalidArgumentError).errno, 22);
  }
  t.same(names(ns), before, 'nothing left behind');
  // And passthru beside an existing child of another mode.
  await rt.link.add({ name: 'br1', kind: 'macvlan', parent: 'p1', macvlan: { mode: 'bridge' } });
  const e = await rt.link.add({ name: 'pt3', kind: 'macvlan', parent: 'p1', macvlan: { mode: 'passthru' } }).catch((x: unknown) => x);
  t.type(e, InvalidArgumentError);
  t.match((e as Error).message, /passthru must be the parent's only macvlan, and it has "br1"\)$/);
});

t.test('a refused macvlan is explained only when passthru is the reason', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  const other = scratchNetns(t, 'rtp');
  // A passthru child moved away: this namespace cannot see it, yet the kernel still refuses.
  await rt.link.add({ name: 'pt1', kind: 'macvlan', parent: 'p0', macvlan: { mode: 'passthru' } });
  await rt.link.set('pt1', { netns: other });
  // A macvlan here whose parent is a link of `other` with p0's index: not p0's sibling.
  const p0 = (await rt.link.get('p0')).index;
  vethPair(other, 'q0', 'q1');
  const rtOther = await RtNetlink.open({ netns: other });
  t.teardown(() => rtOther.close());
  const namesake = (await rtOther.link.list()).find((l) => l.index === p0);
  t.ok(namesake, `other has a link with p0's index ${p0}: ${String(namesake?.name)}`);
  await rtOther.link.add({ name: 'far', kind: 'macvlan', parent: p0, macvlan: { mode: 'bridge' } });
  await rtOther.link.set('far', { netns: ns });
  const far = await rt.link.get('far');
  t.ok(far.parent === p0 && far.linkNsid !== undefined, 'far: parent index p0\'s, in another namespace');
  const refused = async (name: string, mode: 'passthru' | 'bridge', parent = 'p0', mtu?: number): Promise<InvalidArgumentError> => {
    const e = await rt.link.add({ name, kind: 'macvlan', parent, mtu, macvlan: { mode } }).catch((x: unknown) => x);
    t.type(e, InvalidArgumentError, `${name} refused`);
    return e as InvalidArgumentError;
  };
  t.equal((await refused('pt2', 'passthru')).message, 'link "pt2": RTNETLINK answers: Invalid argument (passthru must be the only macvlan of its parent (one may exist in another namespace))');
  t.equal((await refused('br2', 'bridge')).message, 'link "br2": RTNETLINK answers: Invalid argument', 'no passthru in sight: the kernel\'s word only');
  t.equal((await refused('lo1', 'bridge', 'lo')).message, 'link "lo1": RTNETLINK answers: Invalid argument', 'a parent that is no Ethernet: the same');
  // Siblings in sight, refused for another reason (an mtu above the parent's): the kernel's word only.
  await rt.link.add({ name: 'b1', kind: 'macvlan', parent: 'p1', macvlan: { mode: 'bridge' } });
  t.equal((await refused('b2', 'bridge', 'p1', 9000)).message, 'link "b2": RTNETLINK answers: Invalid argument', 'a bridge beside a bridge');
  await rt.link.add({ name: 'b3', kind: 'macvlan', parent: 'p1', macvlan: { mode: 'private' } });
  t.equal((await refused('pt3', 'passthru', 'p1')).message, 'link "pt3": RTNETLINK answers: Invalid argument (passthru must be the parent\'s only macvlan, and it has "b1", "b3")');
  t.same(names(ns), ['b1', 'b3', 'far', 'lo', 'p0', 'p1'], 'nothing left behind');
});

t.test('macvtap: a passthru macvtap is named as the sibling in the way, as a macvlan would be', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  await rt.link.add({ name: 'tp1', kind: 'macvtap', parent: 'p0', macvtap: { mode: 'passthru' } });
  for (const kind of ['macvtap', 'macvlan'] as const) {
    const e = await rt.link.add({ name: 'tp2', kind, parent: 'p0' }).catch((x: unknown) => x);
    t.type(e, InvalidArgumentError, `a ${kind} beside it`);
    t.equal((e as Error).message, 'link "tp2": RTNETLINK answers: Invalid argument (the parent has a passthru macvtap ("tp1"), which allows no other)');
  }
  await rt.link.add({ name: 'tb1', kind: 'macvtap', parent: 'p1', macvtap: { mode: 'bridge' } });
  const e = await rt.link.add({ name: 'tp3', kind: 'macvtap', parent: 'p1', macvtap: { mode: 'passthru' } }).catch((x: unknown) => x);
  t.equal((e as Error).message, 'link "tp3": RTNETLINK answers: Invalid argument (passthru must be the parent\'s only macvlan, and it has "tb1")');
  t.same(names(ns), ['lo', 'p0', 'p1', 'tb1', 'tp1'], 'nothing left behind');
});

t.test('bad input is refused before sending, with a typed error, leaving nothing behind', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  const before = names(ns);
  const cases: Array<[string, Parameters<RtNetlink['link']['add']>[0], RegExp]> = [
    ['name over 15 bytes', { name: 'abcdefghijklmnop', kind: 'macvlan', parent: 'p0' }, /^link "abcdefghijklmnop": a link name is at most 15 bytes, this one is 16$/],
    ['name with a slash', { name: 'a/b', kind: 'macvlan', parent: 'p0' }, /cannot contain "\/"/],
    ['name with a space', { name: 'a b', kind: 'macvlan', parent: 'p0' }, /whitespace/],
    ['bad MAC', { name: 'x1', kind: 'macvlan', parent: 'p0', address: '02:00:00:00:00' }, /^link "x1": address "02:00:00:00:00" is not a MAC address/],
    ['bad source MAC', { name: 'x1', kind: 'macvlan', parent: 'p0', macvlan: { mode: 'source', sourceMacs: ['zz:00:00:00:00:01'] } }, /source MAC "zz:00:00:00:00:01"/],
    ['unknown mode', { name: 'x1', kind: 'macvlan', parent: 'p0', macvlan: { mode: 'vepa2' as 'vepa' } }, /^link "x1": unknown macvlan mode "vepa2" \(known: private, vepa, bridge, passthru, source\)$/],
    ['unknown flag', { name: 'x1', kind: 'macvlan', parent: 'p0', macvlan: { flags: ['loud' as 'nodst'] } }, /unknown macvlan flag "loud"/],
    // @ts-expect-error: the types require a parent for a macvlan; plain JS gets the same check
    ['missing parent', { name: 'x1', kind: 'macvlan' }, /^link "x1": a macvlan link needs a parent device$/],
    // @ts-expect-error: the types give a veth no parent; plain JS gets the same check
    ['a parent for a veth', { name: 'x1', kind: 'veth', parent: 'p0' }, /^link "x1": a veth link takes no parent device$/],
    // @ts-expect-error: nor a bridge
    ['a parent for a bridge', { name: 'x1', kind: 'bridge', parent: 'p0' }, /^link "x1": a bridge link takes no parent device$/],
    ['negative mtu', { name: 'x1', kind: 'macvlan', parent: 'p0', mtu: -1 }, /mtu must be an integer/],
  ];
  for (const [what, opts, message] of cases) {
    const e = await rt.link.add(opts).catch((x: unknown) => x);
    t.type(e, InvalidArgumentError, what);
    t.match((e as Error).message, message, what);
  }
  const e = await rt.link.add({ name: 'x1', kind: 'macvlan', parent: 'nosuch' }).catch((x: unknown) => x);
  t.type(e, NotFoundError, 'a parent that does not exist');
  t.match((e as Error).message, /^link "x1": parent link "nosuch": /);
  const k = await rt.link.add({ name: 'x1', kind: 'macvlan', parent: 'p0', mtu: 100000 }).catch((x: unknown) => x);
  t.type(k, InvalidArgumentError, 'an mtu the kernel refuses');
  t.match((k as Error).message, /^link "x1": /);
  t.same(names(ns), before, 'nothing left behind');
});

t.test('get, set, list and delete', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  const missing = await rt.link.get('nosuch').catch((x: unknown) => x);
  t.type(missing, NotFoundError);
  t.match((missing as Error).message, /^link "nosuch": /);
  const made = await rt.link.add({ name: 'mv1', kind: 'macvlan', parent: 'p0' });
  t.equal(made.stats64?.rxPackets, 0n, 'add() resolves with the counters, as get() does');
  const dup = await rt.link.add({ name: 'mv1', kind: 'macvlan', parent: 'p0' }).catch((x: unknown) => x);
  t.type(dup, ExistsError);
  t.match((dup as Error).message, /^link "mv1": /);
  const { index } = await rt.link.get('mv1');
  t.equal((await rt.link.get(index)).name, 'mv1', 'by index');
  await rt.link.set('mv1', { mtu: 1400, address: '02:00:00:00:00:42', txqlen: 77, alias: 'uplink a', group: 3, promisc: true, allmulti: true, up: true });
  let l = await rt.link.get('mv1');
  t.match(l, { mtu: 1400, address: '02:00:00:00:00:42', txqlen: 77, alias: 'uplink a', group: 3, promiscuity: 1 });
  t.ok(['up', 'promisc', 'allmulti'].every((f) => l.flags.includes(f as 'up')), 'flags');
  const o = show(ns, 'mv1');
  t.same([o.mtu, o.address, o.txqlen, o.ifalias, o.group], [1400, '02:00:00:00:00:42', 77, 'uplink a', '3'], 'iproute2 agrees');
  t.ok(['UP', 'PROMISC', 'ALLMULTI'].every((f) => o.flags.includes(f)));
  await rt.link.set('mv1', { up: false, promisc: false, name: 'mv2' });
  l = await rt.link.get(index);
  t.equal(l.name, 'mv2', 'renamed');
  t.notOk(l.flags.includes('up') || l.flags.includes('promisc'), 'flags cleared');
  const all = await rt.link.list();
  t.same(all.map((x) => x.name).sort(), names(ns), 'list agrees with ip link show');
  t.ok(all.every((x) => x.stats64?.rxPackets !== undefined), 'counters by default');
  t.ok((await rt.link.list({ stats: false })).every((x) => x.stats64 === undefined), 'left out when not wanted');
  t.same((await rt.link.list({ kind: 'veth' })).map((x) => x.name).sort(), ['p0', 'p1']);
  // @ts-expect-error: not a kind the types know; at run time the kernel judges it
  t.same(await rt.link.list({ kind: 'nosuchkind' }), [], 'a kind the kernel does not know');
  await rt.link.delete('mv2');
  t.notOk(names(ns).includes('mv2'));
  const gone = await rt.link.delete(index).catch((x: unknown) => x);
  t.type(gone, NotFoundError);
  t.equal((gone as Error).message.startsWith(`link ${index}: `), true);
  t.equal((gone as NotFoundError).request?.name, 'RTM_DELLINK', 'the request named in the error');
});

t.test('veth, bridge with a hairpin port, vxlan', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  await rt.link.add({ name: 'va', kind: 'veth', address: '02:00:00:00:02:01', veth: { peer: { name: 'vb', address: '02:00:00:00:02:02' } } });
  t.equal(show(ns, 'vb').address, '02:00:00:00:02:02');
  t.equal((await rt.link.get('va')).parent, show(ns, 'vb').ifindex, 'a veth names its peer as parent');
  await rt.link.add({ name: 'br0', kind: 'bridge', bridge: { stpState: 0, forwardDelay: 400 }, up: true });
  t.match(await rt.link.get('br0'), { info: { kind: 'bridge', data: { stpState: 0, forwardDelay: 400 } } });
  await rt.link.set('va', { master: 'br0' });
  t.equal((await rt.link.get('va')).master, show(ns, 'br0').ifindex);
  t.same((await rt.link.list({ master: 'br0' })).map((l) => l.name), ['va'], 'ports of a master');
  const all = await rt.link.list();
  t.match(all.find((l) => l.name === 'va'), { masterName: 'br0', parentName: 'vb' }, 'list() names the links a link refers to');
  await rt.link.add({ name: 'mvx', kind: 'macvlan', parent: 'p0' });
  t.match((await rt.link.list()).find((l) => l.name === 'mvx'), { parentName: 'p0' });
  await rt.link.set('va', { bridgePort: { hairpin: true } });
  t.match((await rt.link.get('va')).info, { slaveKind: 'bridge', slaveData: { hairpin: true } });
  t.equal(show(ns, 'va').linkinfo?.info_slave_data?.hairpin, true, 'iproute2 sees hairpin on');
  await rt.link.set('va', { bridgePort: { hairpin: false } });
  t.equal(show(ns, 'va').linkinfo?.info_slave_data?.hairpin, false);
  await rt.link.set('va', { nomaster: true });
  t.equal((await rt.link.get('va')).master, undefined);
  await rt.link.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 42, port: 4789, local: '192.0.2.1', group: '192.0.2.2', link: (await rt.link.get('p0')).index, ttl: 64 } });
  const vx = await rt.link.get('vx0');
  t.match(vx.info, { kind: 'vxlan', data: { id: 42, port: 4789, local: '192.0.2.1', group: '192.0.2.2', ttl: 64 } });
  t.match(show(ns, 'vx0').linkinfo?.info_data, { id: 42, port: 4789, local: '192.0.2.1', remote: '192.0.2.2', ttl: 64, link: 'p0' });
  // Kind options changed afterwards, each under its own key.
  await rt.link.set('br0', { bridge: { forwardDelay: 800 } });
  t.equal(show(ns, 'br0').linkinfo?.info_data?.forward_delay, 800, 'bridge option set');
  await rt.link.set('vx0', { vxlan: { ttl: 32 } });
  t.match(show(ns, 'vx0').linkinfo?.info_data, { id: 42, ttl: 32, link: 'p0' }, 'vxlan option set');
});

t.test('IPv4 devconf and IPv6 address generation mode through IFLA_AF_SPEC', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  await rt.link.set('p0', { inet: { arpNotify: 1, arpIgnore: 2 }, inet6: { addrGenMode: 'none' } });
  const l = await rt.link.get('p0');
  t.match(l.afSpec, { inet: { conf: { arpNotify: 1, arpIgnore: 2 } }, inet6: { addrGenMode: 'none' } });
  const sysctl = (k: string): string => ip(['netns', 'exec', ns, 'cat', `/proc/sys/net/ipv4/conf/p0/${k}`]).trim();
  t.equal(sysctl('arp_notify'), '1');
  t.equal(sysctl('arp_ignore'), '2');
  t.equal(show(ns, 'p0').inet6_addr_gen_mode, 'none');
  const e = await rt.link.set('p0', { inet6: { addrGenMode: 'sometimes' as 'none' } }).catch((x: unknown) => x);
  t.type(e, InvalidArgumentError);
});

t.test('links made and moved across namespaces', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  const other = scratchNetns(t, 'rto');
  // Made in `other` with a name that is taken here: temporary name, renamed inside, brought up.
  await rt.link.add({ name: 'p1', kind: 'macvlan', parent: 'p0', netns: other, macvlan: { mode: 'vepa' }, up: true });
  const inside = show(other, 'p1');
  t.match(inside.linkinfo, { info_kind: 'macvlan', info_data: { mode: 'vepa' } });
  t.ok(inside.flags.includes('UP'), 'up once renamed');
  t.same(names(other), ['lo', 'p1'], 'no temporary name left');
  await using there = await RtNetlink.open({ netns: other });
  const l = await there.link.get('p1');
  t.equal(typeof l.linkNsid, 'number', 'its parent is in another namespace');
  t.equal(l.parent, show(ns, 'p0').ifindex, 'parent index as seen from the parent side');
  // A name taken inside: the rename fails, and the temporary link is removed.
  const e = await rt.link.add({ name: 'p1', kind: 'macvlan', parent: 'p0', netns: other }).catch((x: unknown) => x);
  t.type(e, ExistsError);
  t.match((e as Error).message, /^link "p1": /);
  t.same(names(other), ['lo', 'p1'], 'rolled back');
  // Without the temporary name: this kernel checks the name in the target namespace.
  await rt.link.add({ name: 'p0', kind: 'macvlan', parent: 'p0', netns: other, renameInside: false });
  t.ok(names(other).includes('p0'));
  // A veth whose peer goes straight to the other namespace.
  await rt.link.add({ name: 'vh', kind: 'veth', veth: { peer: { name: 'vo', netns: other } } });
  t.ok(names(other).includes('vo') && names(ns).includes('vh'));
  // Moving a link.
  await rt.link.add({ name: 'mv9', kind: 'macvlan', parent: 'p0' });
  await rt.link.set('mv9', { netns: other });
  t.ok(names(other).includes('mv9') && !names(ns).includes('mv9'));
  const nsid = (await there.link.get('mv9')).linkNsid;
  t.equal(typeof nsid, 'number');
  // Listing the other namespace from here, by the id this namespace gave it (its only peer).
  const idHere = Number(/nsid (\d+)/.exec(ip(['netns', 'list-id'], { netns: ns }))?.[1]);
  t.ok(Number.isInteger(idHere), 'the other namespace has an id here');
  t.ok((await rt.link.list({ targetNsid: idHere })).some((x) => x.name === 'mv9'), 'list({ targetNsid })');
  t.equal((await rt.link.get('mv9', { targetNsid: idHere })).name, 'mv9', 'get({ targetNsid })');
});

t.test('add() resolves with the link as the kernel made it, here and in another namespace', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  const other = scratchNetns(t, 'rta');
  /** The returned link is the one iproute2 shows in `where`: same index, name, MAC, kind and state. */
  const sameAsIp = (link: Link, where: string, what: string): void => {
    const o = show(where, link.name!);
    t.same(
      { index: link.index, name: link.name, address: link.address, kind: link.info?.kind, up: link.flags.includes('up'), mtu: link.mtu },
      { index: o.ifindex, name: o.ifname, address: o.address, kind: o.linkinfo?.info_kind, up: o.flags.includes('UP'), mtu: o.mtu },
      what,
    );
  };
  // Here, named and unnamed: the kernel's echo.
  const named = await rt.link.add({ name: 'mv1', kind: 'macvlan', parent: 'p0', macvlan: { mode: 'bridge' }, up: true, mtu: 1400 });
  sameAsIp(named, ns, 'named, here');
  t.equal(modeOf(named), 'bridge', 'mode in the result');
  const unnamed = await rt.link.add({ kind: 'macvlan', parent: 'p0' });
  t.match(unnamed.name, /^macvlan\d+$/, 'the name the kernel chose');
  sameAsIp(unnamed, ns, 'unnamed, here');
  const veth = await rt.link.add({ name: 'va', kind: 'veth', veth: { peer: { name: 'vb' } } });
  sameAsIp(veth, ns, 'a veth: the link named, not its peer');
  // In another namespace: renamed inside (to the kernel's pattern when unnamed), read there.
  const inside = await rt.link.add({ name: 'p1', kind: 'macvlan', parent: 'p0', netns: other, up: true });
  sameAsIp(inside, other, 'named, in another namespace');
  const insideUnnamed = await rt.link.add({ kind: 'macvtap', parent: 'p0', netns: other });
  t.match(insideUnnamed.name, /^macvtap\d+$/, 'the kernel filled in the pattern');
  sameAsIp(insideUnnamed, other, 'unnamed, in another namespace');
  const asIs = await rt.link.add({ name: 'p0', kind: 'macvlan', parent: 'p0', netns: other, renameInside: false });
  sameAsIp(asIs, other, 'renameInside: false');
  t.same(names(other).filter((n) => n.startsWith('rtnl')), [], 'no temporary name left');
});

t.test('add() on a kernel that does not echo RTM_NEWLINK (older ones) finds the new link itself', async (t) => {
  const message = (l: Partial<Link>) => {
    const w = new Writer();
    encodeLink(w, l);
    return { header: { len: 0, type: RTM_NEWLINK, flags: 0, seq: 1, pid: 0 }, payload: w.finish() };
  };
  const made = [{ index: 7, name: 'macvlan0' }, { index: 9, name: 'macvlan1' }, { index: 3, name: 'macvlan2' }]
    .map((l) => message({ ...l, flags: [], info: { kind: 'macvlan' } }));
  const asked: string[] = [];
  // An old kernel: the ack of RTM_NEWLINK carries no echo; gets and dumps answer from `made`.
  const client = {
    request: async (r: { name?: string }) => { asked.push(r.name ?? ''); return r.name === 'RTM_GETLINK' ? [made[0]] : []; },
    dump: async (r: { name?: string }, decode?: (m: unknown) => unknown) => { asked.push(`${r.name ?? ''} dump`); return decode ? made.map(decode) : made; },
  } as unknown as Client;
  const session = {
    client, linkIndex: async (r: number | string) => r as number, linkNames: async () => new Map<number, string>(),
    inNetns: () => Promise.reject(new Error('not here')),
  };
  const api = new LinkApi(session);
  t.equal((await api.add({ name: 'macvlan0', kind: 'macvlan', parent: 5 })).index, 7, 'named: fetched by name');
  t.same(asked, ['RTM_NEWLINK', 'RTM_GETLINK']);
  asked.length = 0;
  t.equal((await api.add({ kind: 'macvlan', parent: 5 })).name, 'macvlan1', 'unnamed: the newest of its kind');
  t.same(asked, ['RTM_NEWLINK', 'RTM_GETLINK dump']);
});

t.test('a link made in another namespace sends no echo to the socket there that has our port id', kernel, async (t) => {
  const { rt } = await setup(t);
  const other = scratchNetns(t, 'rte');
  await using inside = await RtNetlink.open({ netns: other });
  // Port ids are per namespace, and a process's first socket in each gets its pid.
  t.equal(inside.client.port, rt.client.port, 'the socket inside has the same port id as ours');
  const stray: number[] = [];
  inside.client.onNotification((m) => stray.push(m.header.type));
  await rt.link.add({ name: 'mvx', kind: 'macvlan', parent: 'p0', netns: other, renameInside: false });
  await new Promise((go) => setTimeout(go, 50));
  t.same(stray, [], 'nothing arrived there');
});

t.test('a socket left open with a message waiting does not crash the process at exit', kernel, async (t) => {
  const ns = scratchNetns(t);
  // The watcher joins RTNLGRP_LINK and is never closed: the bridge's notification is waiting
  // for it when the process ends, and Node's teardown must not run its poll callback.
  const script = `
    import { RtNetlink } from ${JSON.stringify(new URL('../src/index.js', import.meta.url).href)};
    const watcher = await RtNetlink.open({ netns: ${JSON.stringify(ns)}, groups: [1] });
    const rt = await RtNetlink.open({ netns: ${JSON.stringify(ns)} });
    await rt.link.add({ name: 'b0', kind: 'bridge' });
    rt.close();
    console.log('done');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  t.equal(r.stdout.trim(), 'done');
  t.equal(r.status, 0, `exit status (stderr: ${r.stderr.split('\n')[0]})`);
});

t.test('a veth peer up at creation: the kernel refuses (ENOTCONN), and the error says why; nothing is left', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  const e = await rt.link.add({ kind: 'veth', name: 'vu0', veth: { peer: { name: 'vu1', up: true } } }).catch((e: unknown) => e);
  t.type(e, NetlinkError);
  t.equal((e as NetlinkError).errno, 107, 'ENOTCONN');
  t.match((e as Error).message, /^link "vu0": RTNETLINK answers: Transport endpoint is not connected \(a veth peer cannot be brought up at creation: set it up afterwards\)$/);
  t.same(names(ns), ['lo', 'p0', 'p1'], 'nothing made');
  // Another refusal of a veth whose peer is asked up is the kernel's alone: no word about the peer.
  const taken = await rt.link.add({ kind: 'veth', name: 'p0', veth: { peer: { name: 'vu1', up: true } } }).catch((x: unknown) => x);
  t.type(taken, ExistsError);
  t.equal((taken as Error).message, 'link "p0": RTNETLINK answers: File exists');
});

t.test('alternative names: added and taken away all or none, and links found by them, as ip shows them', kernel, async (t) => {
  const { ns, rt } = await setup(t);
  const long = 'p0-an-alternative-name-longer-than-ifnamsiz';
  const altnames = (dev: string): unknown => show(ns, dev).altnames ?? [];
  const added = await rt.link.addAltNames('p0', ['up-a', long, 'a:b']);
  t.same(added.altNames, ['up-a', long, 'a:b'], 'resolves with the link as it then is');
  t.same(altnames('p0'), ['up-a', long, 'a:b'], 'as ip shows them');
  // A name a link may not have (":") and one past IFNAMSIZ find it all the same: IFLA_ALT_IFNAME.
  t.equal((await rt.link.get(long)).name, 'p0');
  t.equal((await rt.link.get('a:b')).name, 'p0');
  await rt.link.set(long, { mtu: 1400 });
  t.equal(show(ns, 'p0').mtu, 1400, 'set() by an alternative name');
  t.equal(await rt.link.indexOf(long), added.index);
  await t.rejects(rt.link.get('p0-no-such-alternative-name-here'), NotFoundError, 'a long name no link has');

  // One the kernel refuses (p1's own name): those before and after it are taken back.
  const taken = await rt.link.addAltNames('p0', ['z1', 'p1', 'z2']).catch((e: unknown) => e);
  t.ok(taken instanceof ExistsError, 'ExistsError');
  t.match((taken as Error).message, /^link "p0": altname "p1": RTNETLINK answers: File exists/, 'naming the name');
  t.same(altnames('p0'), ['up-a', long, 'a:b'], 'none of the three added');
  const twice = await rt.link.addAltNames('p0', ['z3', 'z3']).catch((e: unknown) => e);
  t.ok(twice instanceof ExistsError, 'a name given twice: the second refused');
  t.same(altnames('p0'), ['up-a', long, 'a:b'], 'and the first taken back');
  const absent = await rt.link.deleteAltNames('p0', ['up-a', 'nope']).catch((e: unknown) => e);
  t.ok(absent instanceof NotFoundError, 'deleting a name the link lacks: NotFoundError');
  t.same([...(altnames('p0') as string[])].sort(), ['a:b', long, 'up-a'].sort(), 'up-a given back');

  t.same((await rt.link.deleteAltNames(long, ['up-a', 'a:b'])).altNames, [long], 'taken away, the link named by one of its names');
  t.same((await rt.link.addAltNames('p0', [])).altNames, [long], 'none: the link as it is');

  // Refused before anything is sent, with the link named.
  for (const [names, why] of [
    [['a b'], /cannot contain "\/" or whitespace/], [['a/b'], /cannot contain "\/"/], [[''], /non-empty string/],
    [['x'.repeat(128)], /at most 127 bytes/], [[5], /non-empty string, not 5/], ['up-a', /an array of strings/],
  ] as Array<[unknown, RegExp]>) {
    const e = await rt.link.addAltNames('p0', names as string[]).catch((err: unknown) => err);
    t.ok(e instanceof InvalidArgumentError && /^link "p0": /.test(e.message) && why.test(e.message), `${JSON.stringify(names)}: ${(e as Error).message}`);
  }
  t.ok(await rt.link.addAltNames('p0', ['x'.repeat(127)]), '127 bytes are taken');
  await t.rejects(rt.link.addAltNames('nosuch', ['q']), NotFoundError);
  t.same(altnames('p0'), [long, 'x'.repeat(127)], 'nothing else changed');
  await rt.link.delete(long);
  t.same(names(ns), ['lo'], 'deleted by an alternative name (its veth peer with it)');
});
