// rt.fdb against the kernel, with `bridge fdb` (iproute2) as the oracle: entries of a bridge and
// its port, of a vxlan (remotes, ports, VNIs, a link to reach them through), of a macvlan
// (multicast filters) and of a passthru macvlan (unicast ones, which land on its parent); made,
// listed and filtered, deleted, refused; and told by rtnl.monitor({ fdb: true }).
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import {
  ExistsError, InvalidArgumentError, NetlinkError, NotFoundError, RtNetlink, monitor, type FdbEntry, type FdbSpec, type MonitorEvent,
} from '../src/index.js';

const how = ([spec, verb]: [FdbSpec, string]): string => `${verb} ${spec.lladdr}`;
import { ip, kernel, noDad, scratchNetns } from './helpers/kernel.js';
import { asBridge, type BridgeEntry } from './helpers/bridge.js';

/** `bridge -j fdb show ARGS` in `ns`. */
function bridgeFdb(ns: string, args: string[] = []): BridgeEntry[] {
  return JSON.parse(execFileSync('bridge', ['-n', ns, '-j', 'fdb', 'show', ...args], { encoding: 'utf8' }) || '[]') as BridgeEntry[];
}
/**
 * rtnl's listing against bridge's, both read again while they differ (the kernel's own entries,
 * multicast groups joined as links come up, can change between two reads): must agree within 5 tries.
 */
async function sameAsBridge(t: Test, rt: RtNetlink, ns: string, filter: { dev?: string; master?: string }, what: string): Promise<FdbEntry[]> {
  const args = [...(filter.dev ? ['dev', filter.dev] : []), ...(filter.master ? ['br', filter.master] : [])];
  let ours: FdbEntry[] = [];
  let theirs: BridgeEntry[] = [];
  let mine: BridgeEntry[] = [];
  for (let i = 0; i < 5; i++) {
    ours = await rt.fdb.list({ ...filter, names: true });
    const names = await rt.link.names();
    mine = ours.map((e) => asBridge(e, names, filter.dev !== undefined));
    theirs = bridgeFdb(ns, args);
    if (JSON.stringify(mine) === JSON.stringify(theirs)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  t.same(mine, theirs, what);
  return ours;
}

/** A bridge br0 with port v0 (learning off), v0's peer v1 with a bridge-mode macvlan mv0, a passthru macvlan mp0 on w1, a vxlan vx0. */
function topology(ns: string): void {
  noDad(ns);
  for (const words of [
    ['link', 'add', 'br0', 'type', 'bridge'], ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], ['link', 'set', 'v0', 'master', 'br0'],
    ['link', 'set', 'v0', 'type', 'bridge_slave', 'learning', 'off'], ['link', 'add', 'mv0', 'link', 'v1', 'type', 'macvlan', 'mode', 'bridge'],
    ['link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1'], ['link', 'add', 'mp0', 'link', 'w1', 'type', 'macvlan', 'mode', 'passthru'],
    ['link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789'],
  ]) ip(words, { netns: ns });
  for (const l of ['br0', 'v0', 'v1', 'mv0', 'w0', 'w1', 'mp0', 'vx0']) ip(['link', 'set', l, 'up'], { netns: ns });
}

t.test('entries made by rt.fdb are those bridge lists, as list() gives them', kernel, async (t) => {
  const ns = scratchNetns(t, 'fdb');
  topology(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  const specs: Array<[FdbSpec, 'add' | 'append']> = [
    [{ lladdr: '02:00:00:00:00:01', dev: 'v0', flags: ['master'], state: 'static' }, 'add'],
    [{ lladdr: '02:00:00:00:00:02', dev: 'v0', flags: [], state: 'dynamic' }, 'add'],
    [{ lladdr: '02:00:00:00:00:03', dev: 'v0', flags: ['master', 'sticky'], state: 'static' }, 'add'],
    [{ lladdr: '2:0:0:0:0:4', dev: 'v0', flags: ['self', 'master'] }, 'add'],
    [{ lladdr: '01:00:5e:00:00:fb', dev: 'mv0' }, 'add'],
    [{ lladdr: '02:00:00:00:00:05', dev: 'mp0' }, 'add'],
    [{ lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '192.0.2.1', via: 'v1' }, 'append'],
    [{ lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '192.0.2.2', port: 4790, vni: 7 }, 'append'],
    [{ lladdr: '02:00:00:00:00:06', dev: 'vx0', dst: '192.0.2.3', state: 'static' }, 'add'],
    // The all-zeros MAC (flooding) at one remote several times, by VNI and by port: append() resolves with the one it made.
    [{ lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '192.0.2.4', vni: 8 }, 'append'],
    [{ lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '192.0.2.4', vni: 9 }, 'append'],
    [{ lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '192.0.2.4', vni: 9, port: 4791 }, 'append'],
    // The port's own table, where the bridge's has the same MAC.
    [{ lladdr: '02:00:00:00:00:01', dev: 'v0', flags: ['self'] }, 'add'],
  ];
  const made: FdbEntry[] = [];
  for (const [spec, how] of specs) made.push(await rt.fdb[how](spec));
  // What each resolved with is the entry asked for: its MAC, its table, its remote.
  for (const [i, [spec]] of specs.entries()) {
    const e = made[i];
    const bridges = spec.flags !== undefined && (spec.flags.includes('master') || spec.flags.length === 0);
    t.match({ ...e }, { lladdr: spec.lladdr.replace(/\b(\d)\b/g, '0$1'), dev: spec.dev, dst: spec.dst, vni: spec.vni, port: spec.port }, `${how(specs[i])}: ${JSON.stringify(spec)}`);
    t.equal(e.master !== undefined, bridges, `${JSON.stringify(spec)}: in the ${bridges ? 'bridge\'s' : 'link\'s own'} table`);
    t.equal(e.flags.includes('self'), !bridges, 'flagged self when the link\'s own');
  }
  const all = await sameAsBridge(t, rt, ns, {}, 'every entry, as bridge -j fdb show lists them');
  await sameAsBridge(t, rt, ns, { dev: 'v0' }, 'a port\'s (the bridge\'s for it, and its own), as bridge fdb show dev v0');
  await sameAsBridge(t, rt, ns, { master: 'br0' }, 'a bridge\'s and its ports\', as bridge fdb show br br0');
  await sameAsBridge(t, rt, ns, { dev: 'vx0' }, 'a vxlan\'s remotes');
  await sameAsBridge(t, rt, ns, { dev: 'w1' }, 'a passthru macvlan\'s parent took its unicast address');
  // add() names the link as it was given, not its bridge: list() names that only when asked.
  const timeless = ({ used: _u, updated: _d, masterName: _m, ...e }: FdbEntry): Omit<FdbEntry, 'used' | 'updated' | 'masterName'> => e;
  const key = (e: FdbEntry): string => `${e.index} ${e.lladdr} ${e.master ?? 'self'} ${e.dst} ${e.vni} ${e.port}`;
  for (const e of made) {
    const listed = all.filter((l) => key(l) === key(e));
    t.equal(listed.length, 1, `${key(e)} listed once`);
    t.strictSame(listed[0] && timeless(listed[0]), timeless(e), `add() resolved with ${key(e)} as listed`);
  }
  t.equal(made[3].master, made[0].master, 'flags self and master: add() resolves with the bridge\'s entry');
  t.ok(all.some((l) => l.lladdr === '02:00:00:00:00:04' && l.flags.includes('self')), 'and the port has its own too');
  t.same([made[0].state, made[1].state, made[3].state, made[4].state, made[8].state], ['static', 'dynamic', 'permanent', 'permanent', 'static'], 'states named as bridge names them');
  t.ok(made[2].flags.includes('sticky'), 'sticky');
  t.same(made[6].via, Number(JSON.parse(ip(['-j', 'link', 'show', 'v1'], { netns: ns }))[0].ifindex), 'via: the link index');

  // A unicast MAC keeps one remote: the kernel takes a second append and does nothing (vxlan's
  // fdb update appends only to multicast and all-zeros entries); bridge says nothing, rtnl that it is not there.
  const second = await rt.fdb.append({ lladdr: '02:00:00:00:00:06', dev: 'vx0', dst: '192.0.2.5' }).catch((e: unknown) => e);
  t.type(second, NotFoundError, 'a second remote for a unicast MAC: not made');
  t.equal((second as Error).message, 'fdb entry 02:00:00:00:00:06 on "vx0": added, but not found afterwards');
  t.same(bridgeFdb(ns, ['dev', 'vx0']).filter((e) => e.mac === '02:00:00:00:00:06').map((e) => e.dst), ['192.0.2.3'], 'bridge lists the one');

  // replace() moves a vxlan's remote; delete() takes what list() gave.
  const moved = await rt.fdb.replace({ lladdr: '02:00:00:00:00:06', dev: 'vx0', dst: '192.0.2.9' });
  t.equal(moved.dst, '192.0.2.9', 'replace() resolves with the new remote');
  t.same(bridgeFdb(ns, ['dev', 'vx0']).filter((e) => e.mac === '02:00:00:00:00:06').map((e) => e.dst), ['192.0.2.9'], 'which replaced the old one');
  for (const e of made.slice(0, 2)) await rt.fdb.delete({ lladdr: e.lladdr ?? '', dev: e.index, flags: e.flags });
  await rt.fdb.delete({ lladdr: '01:00:5e:00:00:fb', dev: 'mv0' });
  // A vxlan's remote is its address, port and VNI (one not matched is no error: vxlan_fdb_delete()).
  await rt.fdb.delete({ lladdr: '00:00:00:00:00:00', dev: 'vx0', dst: '192.0.2.2', port: 4790, vni: 7 });
  const left = bridgeFdb(ns).map((e) => `${String(e.mac)} ${String(e.ifname)} ${String(e.dst)} ${String(e.master)}`);
  for (const gone of ['02:00:00:00:00:01 v0 undefined br0', '02:00:00:00:00:02 v0 undefined br0', '01:00:5e:00:00:fb mv0 undefined undefined', '00:00:00:00:00:00 vx0 192.0.2.2 undefined']) {
    t.notOk(left.includes(gone), `deleted: ${gone}`);
  }
  t.ok(left.includes('00:00:00:00:00:00 vx0 192.0.2.1 undefined'), 'the other remote of the same MAC stays');
  t.ok(left.includes('02:00:00:00:00:01 v0 undefined undefined'), 'and the port\'s own entry of a MAC whose bridge entry went');
  await sameAsBridge(t, rt, ns, {}, 'and rtnl lists what bridge lists afterwards');
});

t.test('bad entries are refused by name, with the kernel\'s errno and message, and leave nothing made', kernel, async (t) => {
  const ns = scratchNetns(t, 'fdbx');
  topology(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.fdb.add({ lladdr: '02:00:00:00:00:01', dev: 'v0', flags: ['master'] });
  const before = bridgeFdb(ns);
  const refused = async (spec: unknown, type: unknown, re: RegExp, what: string): Promise<void> => {
    const e = await rt.fdb.add(spec as never).catch((err: unknown) => err);
    t.type(e, type as never, what);
    t.match((e as Error).message, re, `${what}: ${(e as Error).message}`);
  };
  await refused({ lladdr: 'nope', dev: 'v0' }, InvalidArgumentError, /^fdb entry nope on "v0": lladdr "nope" is not a MAC address/, 'not a MAC');
  await refused({ lladdr: '02:00:00:00:00:09:0a', dev: 'v0' }, InvalidArgumentError, /is not a MAC address/, 'seven bytes');
  await refused({ lladdr: 5, dev: 'v0' }, InvalidArgumentError, /^fdb entry 5 on "v0": lladdr 5 is not a MAC/, 'a number (plain JS)');
  await refused({ lladdr: '02:00:00:00:00:09' }, InvalidArgumentError, /dev \(the link, by name or index\) is required/, 'no dev');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'v0', vlan: 0 }, InvalidArgumentError, /vlan 0: vlan 0 is not an integer from 1 to 4094$/, 'vlan 0');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'v0', vlan: 4095 }, InvalidArgumentError, /vlan 4095 is not an integer from 1 to 4094$/, 'vlan 4095');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'vx0', port: 65536 }, InvalidArgumentError, /port 65536 is not an integer from 0 to 65535$/, 'port');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'vx0', vni: 1 << 24 }, InvalidArgumentError, /vni 16777216 is not an integer from 0 to 16777215$/, 'vni');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'vx0', srcVni: -1 }, InvalidArgumentError, /srcVni -1 is not an integer from 0 to 16777215$/, 'srcVni');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'vx0', dst: '192.0.2.300' }, InvalidArgumentError, /dst "192.0.2.300"/, 'dst');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'v0', state: 'bogus' }, InvalidArgumentError, /unknown state "bogus" \(known: permanent, static, dynamic, stale\)$/, 'state');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'v0', flags: ['bogus'] }, InvalidArgumentError, /unknown flag "bogus"/, 'flag');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'v0', flags: 'master' }, InvalidArgumentError, /flags must be an array/, 'flags not an array');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'v0', flags: [0x100] }, InvalidArgumentError, /do not fit ndm_flags/, 'a flag beyond ndm_flags');
  await refused('02:00:00:00:00:09', InvalidArgumentError, /^fdb entry: expected an object, not string$/, 'not an object');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'nope0' }, NotFoundError, /^link "nope0"/, 'no such link');
  await refused({ lladdr: '02:00:00:00:00:09', dev: 'vx0', via: 'nope0' }, NotFoundError, /^link "nope0"/, 'no such via link');
  await refused({ lladdr: '02:00:00:00:00:01', dev: 'v0', flags: ['master'] }, ExistsError, /^fdb entry 02:00:00:00:00:01 on "v0": .*File exists/, 'there already');
  // A macvlan not in passthru mode takes multicast addresses only (macvlan_fdb_add()).
  const unicast = await rt.fdb.add({ lladdr: '02:00:00:00:00:09', dev: 'mv0' }).catch((e: unknown) => e);
  t.type(unicast, NetlinkError, 'a unicast address on a bridge-mode macvlan');
  t.equal((unicast as NetlinkError).errno, 95, 'EOPNOTSUPP');
  t.match((unicast as Error).message, /^fdb entry 02:00:00:00:00:09 on "mv0": /, 'named');
  // Without vlan filtering the bridge refuses a VLAN, saying why.
  const vlan = await rt.fdb.add({ lladdr: '02:00:00:00:00:09', dev: 'v0', flags: ['master'], vlan: 5 }).catch((e: unknown) => e) as NetlinkError;
  t.type(vlan, InvalidArgumentError, 'a VLAN on a bridge without vlan filtering');
  t.equal(vlan.errno, 22, 'EINVAL');
  const vlanByIp = execFileSync('bash', ['-c', `bridge -n ${ns} fdb add 02:00:00:00:00:09 dev v0 master vlan 5 2>&1 || true`], { encoding: 'utf8' });
  t.match(vlanByIp, /Invalid argument/, 'bridge is refused the same');
  t.same(bridgeFdb(ns), before, 'nothing was made by any refused entry');
  const missing = await rt.fdb.delete({ lladdr: '02:00:00:00:00:77', dev: 'v0', flags: ['master'] }).catch((e: unknown) => e);
  t.type(missing, NotFoundError, 'deleting an entry that is not there');
  t.match((missing as Error).message, /^fdb entry 02:00:00:00:00:77 on "v0": /, 'named');
  t.equal((unicast as NetlinkError).request?.name, 'RTM_NEWNEIGH', 'the request it answers');
  t.equal((missing as NetlinkError).request?.name, 'RTM_DELNEIGH', 'a delete\'s');
  const dump = await rt.fdb.dump({ master: 99999 }).catch((e: unknown) => e) as NetlinkError;
  t.type(dump, NotFoundError, 'a dump for a bridge that is not there (ENODEV)');
  t.equal(dump.request?.name, 'RTM_GETNEIGH', 'names its request');
  await t.rejects(rt.fdb.list('v0' as never), { message: /^fdb filter: expected an object, not string$/ }, 'list() checks its filter');
  await t.rejects(rt.fdb.list({ names: 1 } as never), { message: /^fdb filter: names is true or false, not 1$/ }, 'and its switches');
  await t.rejects(rt.fdb.list({ dev: 'nope0' }), NotFoundError, 'and its link');
});

t.test('monitor({ fdb: true }) tells entries as list() gives them, apart from neighbours', kernel, async (t) => {
  const ns = scratchNetns(t, 'fdbm');
  topology(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  const m = monitor({ netns: ns, fdb: true, neighbour: true, existing: true });
  t.teardown(() => m.close());
  const events: MonitorEvent[] = [];
  const next = async (): Promise<MonitorEvent> => {
    const r = await m.next();
    if (r.done) throw new Error('the monitor ended');
    events.push(r.value);
    return r.value;
  };
  const existing: FdbEntry[] = [];
  for (let ev = await next(); ev.type !== 'synced'; ev = await next()) if (ev.family === 'fdb') existing.push(ev.fdb);
  const timeless = (e: FdbEntry): string => JSON.stringify({ ...e, used: undefined, updated: undefined });
  t.same(existing.map(timeless).sort(), (await rt.fdb.list({ names: true })).map(timeless).sort(), 'existing: every entry list() gives');

  execFileSync('bridge', ['-n', ns, 'fdb', 'add', '02:00:00:00:00:01', 'dev', 'v0', 'master', 'static']);
  const added = await next();
  t.equal(added.type, 'new');
  t.equal(added.family, 'fdb', 'an FDB entry, not a neighbour');
  if (added.family === 'fdb') {
    t.same(timeless(added.fdb), timeless((await rt.fdb.list({ dev: 'v0', names: true })).find((e) => e.lladdr === '02:00:00:00:00:01') as FdbEntry), 'as list() gives it');
    t.equal(added.fdb.masterName, 'br0', 'its bridge named');
  }
  ip(['neigh', 'add', '192.0.2.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'v1'], { netns: ns });
  const neighbour = await next();
  t.equal(neighbour.family, 'neighbour', 'an ARP entry is a neighbour');
  execFileSync('bridge', ['-n', ns, 'fdb', 'replace', '02:00:00:00:00:01', 'dev', 'v0', 'master', 'dynamic']);
  const changed = await next();
  t.same([changed.type, changed.family, changed.family === 'fdb' && changed.fdb.state], ['change', 'fdb', 'dynamic'], 'replaced: a change');
  execFileSync('bridge', ['-n', ns, 'fdb', 'del', '02:00:00:00:00:01', 'dev', 'v0', 'master']);
  const deleted = await next();
  t.same([deleted.type, deleted.family, deleted.family === 'fdb' && deleted.fdb.lladdr], ['del', 'fdb', '02:00:00:00:00:01'], 'deleted');

  const onlyNeighbours = monitor({ netns: ns, neighbour: true });
  t.teardown(() => onlyNeighbours.close());
  await new Promise((r) => setTimeout(r, 300)); // its first dump
  execFileSync('bridge', ['-n', ns, 'fdb', 'add', '01:00:5e:00:00:fb', 'dev', 'mv0']);
  ip(['neigh', 'add', '192.0.2.8', 'lladdr', '02:00:00:00:00:08', 'dev', 'v1'], { netns: ns });
  const first = await onlyNeighbours.next();
  t.same(first.value?.family === 'neighbour' && first.value.neighbour.address, '192.0.2.8', 'a monitor of neighbours alone tells no FDB entry');
});

t.test('a resync tells no FDB entry or port that did not change, though their timers went on', kernel, async (t) => {
  const ns = scratchNetns(t, 'fdbr');
  topology(ns);
  await using rt = await RtNetlink.open({ netns: ns });
  await rt.fdb.add({ lladdr: '02:00:00:00:00:01', dev: 'v0', flags: ['master'], state: 'static' });
  // A consumer that lags: two events held at most, the rest told by a resync (a dump compared with what was told).
  const m = monitor({ netns: ns, fdb: true, bridgePort: true, maxQueued: 2 });
  t.teardown(() => m.close());
  await new Promise((r) => setTimeout(r, 1500)); // its first (silent) dump, then the entries' timers (used, updated) go on
  for (let i = 10; i < 20; i++) execFileSync('bridge', ['-n', ns, 'fdb', 'add', `02:00:00:00:00:${i}`, 'dev', 'v0', 'master', 'static']);
  await new Promise((r) => setTimeout(r, 300));
  const evs: MonitorEvent[] = [];
  for (let r = await m.next(); !r.done; r = await m.next()) {
    evs.push(r.value);
    if (r.value.type === 'synced') break;
  }
  t.match(evs.at(-1), { type: 'synced', reason: 'backlog' }, 'the queue overflowed and the monitor resynced');
  const told = evs.flatMap((e) => (e.family === 'fdb' ? [`${e.type} ${e.fdb.lladdr} ${e.fdb.master === undefined ? 'self' : 'master'}`] : []));
  t.same(told.filter((l) => !/ 02:00:00:00:00:1\d master$/.test(l)), [], `only the new entries: ${told.join(', ')}`);
  t.ok(told.includes('new 02:00:00:00:00:19 master'), 'the last one made among them');
  t.notOk(evs.some((e) => e.family === 'bridgePort'), 'no port told: none changed');
});
