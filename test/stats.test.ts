// rt.stats against the kernel, `ip -j stats show` the oracle: every link's counters by group as
// ip lists them (and as a link dump's stats64 says them), one link's, the offload group's parts,
// l3_stats switched on and off, and refusals typed, naming the link, changing nothing.
import t from 'tap';
import { InvalidArgumentError, NotFoundError, RtNetlink, type LinkStats } from '../src/index.js';
import { ipJson, kernel } from './helpers/kernel.js';
import { quietScene } from './helpers/stats.js';

type IpRow = { ifindex: number; ifname: string; group: string; subgroup?: string; suite?: string } & Record<string, unknown>;
type Dir = Record<string, number>;

/** ip's rx/tx object of a struct's counters, from ours: the keys ip prints for the link group. */
const asIp64 = (s: LinkStats['link']): { rx: Dir; tx: Dir } => ({
  rx: { bytes: Number(s?.rxBytes), packets: Number(s?.rxPackets), errors: Number(s?.rxErrors), dropped: Number(s?.rxDropped), over_errors: Number(s?.rxOverErrors), multicast: Number(s?.multicast) },
  tx: { bytes: Number(s?.txBytes), packets: Number(s?.txPackets), errors: Number(s?.txErrors), dropped: Number(s?.txDropped), carrier_errors: Number(s?.txCarrierErrors), collisions: Number(s?.collisions) },
});

t.test('list() and get() give the counters ip stats shows', kernel, async (t) => {
  const { ns, peer } = await quietScene(t, 'st');
  await using rt = await RtNetlink.open({ netns: ns });
  const all = await rt.stats.list({ names: true });
  const rows = ipJson<IpRow[]>(['stats', 'show'], { netns: ns });
  t.same(all.map((s) => [s.index, s.dev]), [...new Map(rows.map((r) => [r.ifindex, r.ifname]))], 'every link, in ip\'s order, named');
  for (const s of all) {
    const row = (group: string, subgroup?: string, suite?: string): IpRow | undefined =>
      rows.find((r) => r.ifindex === s.index && r.group === group && r.subgroup === subgroup && r.suite === suite);
    t.same(asIp64(s.link), row('link')?.stats64, `${s.dev}: the link group`);
    t.same(s.offload?.hwStatsInfo?.l3Stats, { request: false, used: false }, `${s.dev}: l3_stats off`);
    t.same(row('offload', 'hw_stats_info')?.info, { l3_stats: { request: false, used: false } }, `${s.dev}: as ip says`);
  }
  const p0 = all.find((s) => s.dev === 'p0');
  t.ok(p0?.link?.rxPackets && p0.link.rxPackets > 0n, 'p0 carried the pings');
  const stp = rows.find((r) => r.ifname === 'p0' && r.group === 'xstats_slave' && r.suite === 'stp')?.stp as Dir;
  t.same(p0?.xstatsSlave?.bridge?.stp, { transitionBlk: BigInt(stp.transition_blk), transitionFwd: BigInt(stp.transition_fwd), rxBpdu: 0n, txBpdu: 0n, rxTcn: 0n, txTcn: 0n }, 'the port\'s STP counters, as its master\'s kind');
  t.equal(p0?.xstats, undefined, 'a veth has no counters of its kind');
  t.ok(all.find((s) => s.dev === 'br0')?.xstats?.bridge?.mcast, 'the bridge\'s multicast counters, of its kind');
  const links = await rt.link.list();
  for (const s of all) t.same(s.link, links.find((l) => l.index === s.index)?.stats64, `${s.dev}: what a link dump's stats64 says`);

  t.same(await rt.stats.list({ dev: 'p0' }), [p0], 'one link, by the filter, named by it');
  t.same(await rt.stats.get({ dev: 'p0' }), p0, 'get(): the same');
  t.same(Object.keys(await rt.stats.get({ dev: p0?.index ?? 0, groups: ['link'] })), ['index', 'link'], 'by index: unnamed; one group');
  t.notOk((await rt.stats.list()).some((s) => s.dev !== undefined), 'unnamed unless asked');
  const offload = await rt.stats.get({ dev: 'br0', groups: ['offload'], offload: ['cpuHit'] });
  t.same(Object.keys(offload), ['index', 'dev'], 'a part the kernel has nothing of (a veth\'s CPU hits): the group left out');
  const mine = await RtNetlink.open({ netns: peer });
  t.teardown(() => mine.close());
  t.same((await mine.stats.list({ names: true, groups: ['link'] })).map((s) => s.dev), ['lo', 'p1', 'm0'], 'the other namespace\'s links, the macvlan among them');
});

t.test('set() switches l3_stats on and off, as ip stats set does', kernel, async (t) => {
  const { ns } = await quietScene(t, 'st');
  await using rt = await RtNetlink.open({ netns: ns });
  const on = await rt.stats.set({ dev: 'p0', l3Stats: true });
  t.same(Object.keys(on), ['index', 'dev', 'offload'], 'the offload group alone');
  t.same(on.offload?.hwStatsInfo, { l3Stats: { request: true, used: false } }, 'asked for; a veth\'s hardware gives none');
  t.same(ipJson<IpRow[]>(['stats', 'show', 'dev', 'p0', 'group', 'offload', 'subgroup', 'hw_stats_info'], { netns: ns })[0].info, { l3_stats: { request: true, used: false } }, 'ip sees it');
  t.ok(on.offload?.l3Stats, 'the counters are there once asked for');
  const off = await rt.stats.set({ dev: 'p0', l3Stats: false });
  t.same(off.offload, { hwStatsInfo: { l3Stats: { request: false, used: false } } }, 'off: no counters');
});

t.test('refusals are typed errors naming the link and what is wrong, and change nothing', kernel, async (t) => {
  const { ns } = await quietScene(t, 'st');
  await using rt = await RtNetlink.open({ netns: ns });
  await t.rejects(rt.stats.get({ dev: 'nope' }), { name: NotFoundError.name, code: 'ENODEV', message: /^stats of nope: / });
  await t.rejects(rt.stats.list({ dev: 'nope' }), { name: NotFoundError.name, message: /^stats filter: dev: / });
  await t.rejects(rt.stats.get({ dev: 999 }), { name: NotFoundError.name, code: 'ENODEV', message: /^stats of 999: /, request: { name: 'RTM_GETSTATS' } });
  await t.rejects(rt.stats.list({ dev: 999 }), { name: NotFoundError.name, message: /^stats of 999: /, request: { name: 'RTM_GETSTATS' } });
  await t.rejects(rt.stats.set({ dev: 999, l3Stats: true }), { name: NotFoundError.name, message: /^stats of 999: /, request: { name: 'RTM_SETSTATS' } });
  await t.rejects(rt.stats.set({ dev: 'nope', l3Stats: true }), { name: NotFoundError.name, message: /^stats of nope: / });
  for (const [spec, message] of [
    [{ dev: 'p0', l3Stats: 'on' }, 'stats of p0: l3Stats is true or false, not "on"'],
    [{ dev: 'p0' }, 'stats of p0: l3Stats is true or false, not undefined'],
  ] as const) await t.rejects(rt.stats.set(spec as never), { name: InvalidArgumentError.name, code: 'EINVAL', message });
  await t.rejects(rt.stats.get({ dev: 'p0', groups: ['xstats_slave'] } as never), { name: InvalidArgumentError.name, message: 'stats of p0: groups: "xstats_slave" is not one of link, xstats, xstatsSlave, offload, afstats' });
  await t.rejects(rt.stats.list({ offload: [] }), { name: InvalidArgumentError.name, message: 'stats filter: offload is a non-empty array of cpuHit, hwStatsInfo, l3Stats' });
  await t.rejects(rt.stats.list(null as never), { name: InvalidArgumentError.name, message: 'stats filter: expected an object, not null' });
  await t.rejects(rt.stats.list({ names: 1 } as never), { name: InvalidArgumentError.name, message: 'stats filter: names is true or false, not 1' });
  t.same(ipJson<IpRow[]>(['stats', 'show', 'dev', 'p0', 'group', 'offload', 'subgroup', 'hw_stats_info'], { netns: ns })[0].info, { l3_stats: { request: false, used: false } }, 'nothing switched');
});
