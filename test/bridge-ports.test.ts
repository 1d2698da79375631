// Bridge ports as their bridges tell them (links of family AF_BRIDGE, IFLA_PROTINFO): rt.link.ports()
// against `bridge -j -d link show`, and monitor({ bridgePort: true }) as ports join, change and leave.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { InvalidArgumentError, NotFoundError, RtNetlink, monitor, type Link, type MonitorEvent } from '../src/index.js';
import { ip, kernel, scratchNetns } from './helpers/kernel.js';

/** What `bridge -j -d link show` prints of a port, from rt.link.ports()'s (bridge/link.c print_linkinfo, print_protinfo). */
function asBridge(l: Link, names: Map<number, string>): Record<string, unknown> {
  const p = l.protinfo ?? {};
  return {
    ifindex: l.index, ifname: l.name, master: l.master === undefined ? undefined : names.get(l.master), mtu: l.mtu,
    state: p.state, priority: p.priority, cost: p.cost, hairpin: p.hairpin, guard: p.guard, root_block: p.protect,
    fastleave: p.fastLeave, learning: p.learning, flood: p.unicastFlood, mcast_flood: p.mcastFlood,
    bcast_flood: p.bcastFlood, mcast_router: p.multicastRouter, mcast_to_unicast: p.mcastToUcast,
    neigh_suppress: p.neighSuppress, vlan_tunnel: p.vlanTunnel, isolated: p.isolated, locked: p.locked,
  };
}
const keys = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.keys(asBridge({ index: 0, flags: [], family: 7, type: 1, change: 0 }, new Map())).map((k) => [k, o[k]]));

function topology(ns: string): void {
  for (const words of [
    ['link', 'add', 'br0', 'type', 'bridge'], ['link', 'add', 'br1', 'type', 'bridge'],
    ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], ['link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1'],
    ['link', 'set', 'v0', 'master', 'br0'], ['link', 'set', 'w0', 'master', 'br1'], ['link', 'set', 'w1', 'master', 'br1'],
    ['link', 'set', 'w0', 'type', 'bridge_slave', 'cost', '7', 'hairpin', 'on', 'learning', 'off', 'isolated', 'on', 'priority', '9'],
  ]) ip(words, { netns: ns });
  for (const l of ['br0', 'v0', 'v1']) ip(['link', 'set', l, 'up'], { netns: ns });
}

t.test('rt.link.ports() lists what bridge link shows', kernel, async (t) => {
  const ns = scratchNetns(t, 'brp');
  topology(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  const names = await rt.link.names();
  const theirs = (args: string[]): unknown[] => (JSON.parse(execFileSync('bridge', ['-n', ns, '-j', '-d', 'link', 'show', ...args], { encoding: 'utf8' })) as Array<Record<string, unknown>>).map(keys);
  const ports = await rt.link.ports();
  t.same(ports.map((l) => asBridge(l, names)), theirs([]), 'every port, with its state and switches');
  t.ok(ports.every((l) => l.family === 7), 'of family AF_BRIDGE');
  t.match(ports.find((l) => l.name === 'w0'), { protinfo: { cost: 7, hairpin: true, learning: false, isolated: true, priority: 9, state: 'disabled' } }, 'w0 as set');
  t.match(ports.find((l) => l.name === 'v0'), { protinfo: { state: 'forwarding' } }, 'v0 up on a bridge up, STP off: forwarding');
  t.same((await rt.link.ports({ master: 'br1' })).map((l) => asBridge(l, names)), theirs([]).filter((o) => (o as { master: string }).master === 'br1'), 'one bridge\'s');
  await t.rejects(rt.link.ports({ master: 'nope0' }), NotFoundError, 'a bridge that is not there');
  await t.rejects(rt.link.ports('br0' as never), InvalidArgumentError, 'a filter that is not an object');
});

t.test('monitor({ bridgePort: true }): ports as they join, change and leave', kernel, async (t) => {
  const ns = scratchNetns(t, 'brm');
  topology(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  const m = monitor({ netns: ns, bridgePort: true, existing: true });
  t.teardown(() => m.close());
  const next = async (): Promise<MonitorEvent> => {
    const r = await m.next();
    if (r.done) throw new Error('the monitor ended');
    return r.value;
  };
  const existing: Link[] = [];
  for (let ev = await next(); ev.type !== 'synced'; ev = await next()) if (ev.family === 'bridgePort') existing.push(ev.bridgePort);
  t.same(existing.map((l) => l.name).sort(), (await rt.link.ports()).map((l) => l.name).sort(), 'existing: the ports ports() lists');
  t.ok(existing.every((l) => l.masterName !== undefined), 'their bridges named');

  ip(['link', 'add', 'x0', 'type', 'veth', 'peer', 'name', 'x1'], { netns: ns });
  ip(['link', 'set', 'x0', 'master', 'br0'], { netns: ns });
  const joined = await next();
  t.match(joined, { type: 'new', family: 'bridgePort', bridgePort: { name: 'x0', masterName: 'br0', family: 7, protinfo: { cost: 2 } } }, 'joined: new');
  // `bridge link set` (RTM_SETLINK of AF_BRIDGE) has the bridge tell the port (br_setlink()); the
  // bridge also tells its other ports as its id changes with a new one: passed over here.
  execFileSync('bridge', ['-n', ns, 'link', 'set', 'dev', 'x0', 'cost', '11']);
  let ev = await next();
  while (ev.family === 'bridgePort' && ev.bridgePort.name !== 'x0') ev = await next();
  t.match(ev, { type: 'change', family: 'bridgePort', bridgePort: { name: 'x0', protinfo: { cost: 11 } } }, 'cost changed: change');
  ip(['link', 'set', 'x0', 'nomaster'], { netns: ns });
  // The kernel may tell the change twice: the events until the port's deletion, at most ten.
  const after: MonitorEvent[] = [];
  do after.push(await next());
  while (after.length < 10 && !(after.at(-1)?.type === 'del'));
  t.match(after.at(-1), { type: 'del', family: 'bridgePort', bridgePort: { name: 'x0' } }, 'left: del');
  t.ok(after.every((e) => e.family === 'bridgePort'), 'only bridge ports told');
});
