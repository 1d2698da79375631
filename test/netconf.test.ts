// rt.netconf and monitor({ netconf: true }) against the kernel, `ip -j netconf show` the oracle:
// every family's settings listed and got as ip shows them after sysctl changes, refusals typed
// and naming the link, and a monitor whose events (changes of one setting merged into the
// whole) rebuild what a fresh listing shows.
import t, { type Test } from 'tap';
import { InvalidArgumentError, monitor, NotFoundError, RtNetlink, type MonitorEvent, type Netconf } from '../src/index.js';
import { ip, ipJson, kernel, scratchNetns, setSysctl } from './helpers/kernel.js';
import { collect } from './helpers/events.js';
import { asIp, netconfScene } from './helpers/netconf.js';

type IpNetconf = Record<string, unknown>;

/** A namespace whose settings differ from the defaults (helpers/netconf.ts), removed when the test ends. */
function setUp(t: Test): string {
  const ns = scratchNetns(t, 'nc');
  netconfScene(ns);
  return ns;
}

t.test('list() and get() show what ip netconf shows', kernel, async (t) => {
  const ns = setUp(t);
  await using rt = await RtNetlink.open({ netns: ns });
  const all = await rt.netconf.list({ names: true });
  t.same(all.map(asIp), ipJson(['netconf', 'show'], { netns: ns }), 'every family, every link, all and default');
  t.same((await rt.netconf.list({ family: 'inet6', names: true })).map(asIp), ipJson(['-6', 'netconf', 'show'], { netns: ns }), 'one family');
  t.same((await rt.netconf.list({ dev: 'v1' })).map(asIp), ipJson(['netconf', 'show', 'dev', 'v1'], { netns: ns }), 'one link, named by the filter');
  t.same((await rt.netconf.list({ dev: 'all' })).map((n) => [n.family, n.index, n.dev, n.rpFilter]), [['inet', -1, 'all', 'strict'], ['inet6', -1, 'all', undefined]], 'all, by its word');
  t.ok(all.some((n) => n.dev === 'default' && n.proxyNeigh === true && n.family === 'inet'), 'default\'s proxy_arp');
  t.notOk((await rt.netconf.list()).some((n) => n.index > 0 && n.dev !== undefined), 'links unnamed unless asked');
  t.notOk(all.some((n) => n.family === 'inet6' && n.dev === 'small'), 'no IPv6 settings for a link whose MTU is under 1280');
  for (const [family, dev] of [['inet', 'v0'], ['inet', 'v1'], ['inet6', 'v1'], ['inet6', 'lo']] as const) {
    const one = await rt.netconf.get({ family, dev });
    // ip -j -4 netconf show dev DEV prints text: its entry from the listing of the link's families instead.
    t.same([asIp(one)], ipJson<IpNetconf[]>(['netconf', 'show', 'dev', dev], { netns: ns }).filter((n) => n.family === family), `get ${family} ${dev}`);
    t.same(one, all.find((n) => n.family === family && n.dev === dev), `get ${family} ${dev} is the listing's entry`);
  }
  const index = (await rt.link.get('v0')).index;
  const { dev: _named, ...byIndex } = all.find((n) => n.family === 'inet' && n.dev === 'v0') ?? {};
  t.strictSame({ ...await rt.netconf.get({ family: 'inet', dev: index }) }, byIndex, 'by index: unnamed');
  t.same(await rt.netconf.get({ family: 'inet', dev: 'default' }), all.find((n) => n.family === 'inet' && n.index === -2), 'default');
  t.equal((await rt.netconf.get({ family: 'inet', dev: 'all' })).rpFilter, 'strict', 'all');
});

t.test('refusals are typed errors naming the link and what is wrong', kernel, async (t) => {
  const ns = setUp(t);
  await using rt = await RtNetlink.open({ netns: ns });
  await t.rejects(rt.netconf.get({ family: 'inet6', dev: 'small' }), {
    name: NotFoundError.name, code: 'ENODEV', message: 'netconf inet6 small: the link has no inet6 settings (the kernel keeps none under an MTU of 1280)',
    request: { name: 'RTM_GETNETCONF' },
  });
  ip(['link', 'set', 'lo', 'mtu', '60'], { netns: ns });
  await t.rejects(rt.netconf.get({ family: 'inet', dev: 'lo' }), { name: NotFoundError.name, message: 'netconf inet lo: the link has no inet settings (the kernel keeps none under an MTU of 68)' });
  // Refusals that are not of a link: passed on as the kernel made them, the entry named.
  await t.rejects(rt.netconf.lookup(10, -3), { name: InvalidArgumentError.name, code: 'EINVAL', message: 'netconf inet6 -3: RTNETLINK answers: Invalid argument' }, 'an index below -2');
  const v0 = (await rt.link.get('v0')).index;
  await t.rejects(rt.netconf.lookup(17, v0), { code: 'ENOTSUP', message: `netconf 17 ${v0}: RTNETLINK answers: Operation not supported` }, 'a family without netconf');
  t.equal(ip(['-6', 'netconf', 'show', 'dev', 'small'], { netns: ns }), '', 'where ip prints nothing');
  for (const family of ['inet', 'inet6'] as const) {
    await t.rejects(rt.netconf.get({ family, dev: 999 }), { name: NotFoundError.name, code: 'ENODEV', message: 'link 999: no such link' }, `${family}: no link 999`);
  }
  await t.rejects(rt.netconf.get({ family: 'inet', dev: 'nope' }), { name: NotFoundError.name, message: /^link "nope": / });
  await t.rejects(rt.netconf.get({ dev: 'v0' } as never), { name: InvalidArgumentError.name, message: 'netconf v0: family ("inet" or "inet6") is required: the kernel answers for one family at a time' });
  await t.rejects(rt.netconf.get({ family: 'ipx', dev: 'v0' } as never), { name: InvalidArgumentError.name, message: 'family "ipx": expected "inet" or "inet6"' });
  await t.rejects(rt.netconf.get(null as never), { name: InvalidArgumentError.name, message: 'netconf: expected an object, not null' });
  await t.rejects(rt.netconf.list('inet' as never), { name: InvalidArgumentError.name, message: 'netconf filter: expected an object, not string' });
  await t.rejects(rt.netconf.list({ names: 1 } as never), { name: InvalidArgumentError.name, message: 'netconf filter: names is true or false, not 1' });
  await t.rejects(rt.netconf.list({ dev: 'nope' }), { name: NotFoundError.name, message: /^link "nope": / });
});

t.test('monitor: a link\'s settings come and go with it; a change of one setting is told whole', kernel, async (t) => {
  const ns = setUp(t);
  const m = monitor({ netns: ns, netconf: true, existing: true, sources: true });
  t.teardown(() => m.close());
  const state = new Map<string, Netconf>();
  const apply = (evs: MonitorEvent[]): void => {
    for (const ev of evs) {
      if (ev.type === 'synced' || ev.family !== 'netconf') continue;
      const key = `${ev.netconf.family} ${ev.netconf.index}`;
      if (ev.type === 'del') state.delete(key);
      else state.set(key, ev.netconf);
    }
  };
  apply(await collect(m, (evs) => evs.at(-1)?.type === 'synced'));
  await using rt = await RtNetlink.open({ netns: ns });
  const listed = async (): Promise<Map<string, Netconf>> => new Map((await rt.netconf.list()).map((n) => [`${n.family} ${n.index}`, n]));
  // Keyed and sorted: the events come in the kernel's order, the listing in its own; links' names left out (a listing names none).
  const unnamed = (s: Map<string, Netconf>): Array<[string, Netconf]> => [...s].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => [k, { ...n, dev: n.index < 0 ? n.dev : undefined }]);
  t.same(unnamed(state), unnamed(await listed()), 'the existing settings, as listed');

  ip(['link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1'], { netns: ns });
  const [w0, w1] = [(await rt.link.get('w0')).index, (await rt.link.get('w1')).index];
  setSysctl(ns, 'net.ipv4.conf.w0.forwarding', 1);
  const changed = await collect(m, (evs) => evs.some((e) => e.type === 'change' && e.family === 'netconf' && e.netconf.index === w0));
  apply(changed);
  const change = changed.find((e) => e.type === 'change');
  if (change?.type === 'change' && change.family === 'netconf') {
    t.same(change.source, { family: 2, attrs: { ifindex: w0, forwarding: 1 } }, 'the kernel said the one setting');
    t.same(change.netconf, (await rt.netconf.get({ family: 'inet', dev: 'w0' })), 'the event has every setting, named');
  } else t.fail(`a change event: ${JSON.stringify(changed)}`);
  t.same(changed.filter((e) => e.type === 'new' && e.family === 'netconf').map((e) => e.type !== 'synced' && e.family === 'netconf' && [e.netconf.family, e.via]).sort(),
    [['inet', 'notification'], ['inet', 'notification'], ['inet6', 'notification'], ['inet6', 'notification']], 'w0 and w1, each family new');
  t.same(unnamed(state), unnamed(await listed()), 'the events rebuild the listing');

  // A rename: the kernel deletes the link's settings and makes them anew, whole, under the new name.
  ip(['link', 'set', 'w0', 'name', 'w9'], { netns: ns });
  const renamed = await collect(m, (evs) => evs.filter((e) => e.type === 'new').length === 2);
  apply(renamed);
  t.same(renamed.map((e) => e.type !== 'synced' && e.family === 'netconf' && [e.type, e.netconf.family, e.netconf.dev]),
    [['del', 'inet', 'w9'], ['new', 'inet', 'w9'], ['del', 'inet6', 'w9'], ['new', 'inet6', 'w9']], 'del and new, named as the link is now');
  t.same(renamed.find((e) => e.type === 'new' && e.family === 'netconf' && e.netconf.family === 'inet'),
    { type: 'new', family: 'netconf', via: 'notification', netconf: await rt.netconf.get({ family: 'inet', dev: 'w9' }), source: { family: 2, attrs: { ifindex: w0, forwarding: 1, rpFilter: 0, mcForwarding: 0, bcForwarding: 0, proxyNeigh: 1, ignoreRoutesWithLinkdown: 0 } } },
    'the new settings whole: forwarding kept, proxy_arp as default has it');
  t.same(unnamed(state), unnamed(await listed()), 'the state follows');

  ip(['link', 'del', 'w9'], { netns: ns });
  const gone = await collect(m, (evs) => evs.filter((e) => e.type === 'del').length === 4);
  apply(gone);
  t.same(gone.filter((e) => e.type === 'del').map((e) => e.type !== 'synced' && e.family === 'netconf' && e.netconf.index).sort(), [w0, w0, w1, w1].sort(), 'both ends\' settings deleted');
  t.same(unnamed(state), unnamed(await listed()), 'and the state follows');
  m.close();
});
