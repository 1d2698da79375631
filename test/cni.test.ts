// rtnl-cni-macvlan against the reference macvlan plugin (Debian's containernetworking-plugins),
// side by side: the same configurations and command sequences, each plugin in fresh namespaces
// of its own (the parent a veth in a host namespace the test made), with host-local IPAM.
// Results, error codes and the container namespace's state are compared (MACs and indexes aside).
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ip, ipJson, kernel, scratchNetns } from './helpers/kernel.js';

const REFERENCE = '/usr/lib/cni/macvlan';
const OURS = fileURLToPath(new URL('../../dist/bin/rtnl-cni-macvlan.cjs', import.meta.url));
const CNI_PATH = '/usr/lib/cni';

interface World { host: string; ctr: string; ipamDir: string }
interface Run { status: number | null; out: Record<string, unknown> }

/** A host namespace with eth0 (a veth, up), a container namespace, an IPAM data folder: removed afterwards. */
function world(t: Tap, tag: string): World {
  const host = scratchNetns(t, `${tag}h`);
  const ctr = scratchNetns(t, `${tag}c`);
  ip(['link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'up0'], { netns: host });
  ip(['link', 'set', 'eth0', 'up'], { netns: host });
  ip(['link', 'set', 'up0', 'up'], { netns: host });
  const ipamDir = mkdtempSync(join(tmpdir(), 'rtnl-ipam-'));
  t.teardown(() => rmSync(ipamDir, { recursive: true, force: true }));
  return { host, ctr, ipamDir };
}
type Tap = Test;

function conf(w: World, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cniVersion: version, name: 'mynet', type: 'macvlan', master: 'eth0', mode: 'bridge',
    ipam: { type: 'host-local', subnet: '192.0.2.0/24', gateway: '192.0.2.1', routes: [{ dst: '0.0.0.0/0' }], dataDir: w.ipamDir },
    ...extra,
  };
}

/**
 * A runtime gives a plugin a bare environment, and so do these tests; but a mutation run
 * (StrykerJS's command runner) names its active mutant in the environment, and the plugin is
 * the code under test: it must see that one variable too.
 */
const MUTANT: Record<string, string> = process.env.__STRYKER_ACTIVE_MUTANT__ === undefined ? {} : { __STRYKER_ACTIVE_MUTANT__: process.env.__STRYKER_ACTIVE_MUTANT__ };

/** Runs a plugin in the host namespace (as a runtime would), with the container's as CNI_NETNS. */
function plugin(file: string, w: World, command: string, c: Record<string, unknown> | string, env: Record<string, string> = {}): Run {
  if (!existsSync(file)) throw new Error(`${file} is missing (the reference: apt-get install containernetworking-plugins, as .ci/run does; ours: npm run build)`);
  const r = spawnSync('nsenter', [`--net=/run/netns/${w.host}`, file], {
    input: typeof c === 'string' ? c : JSON.stringify(c), encoding: 'utf8',
    env: { PATH: process.env.PATH, CNI_COMMAND: command, CNI_CONTAINERID: 'ctr1', CNI_NETNS: `/run/netns/${w.ctr}`, CNI_IFNAME: 'eth0', CNI_PATH, ...MUTANT, ...env },
  });
  return { status: r.status, out: r.stdout ? JSON.parse(r.stdout) as Record<string, unknown> : {} };
}

/** The container's state as ip shows it, without what differs between two equal runs (MACs, indexes, the host namespace's id). */
function state(w: World): unknown {
  const links = ipJson<Array<Record<string, unknown>>>(['-d', 'link', 'show'], { netns: w.ctr }).map((l) => {
    const info = l.linkinfo as { info_kind?: string; info_data?: Record<string, unknown> } | undefined;
    return { ifname: l.ifname, flags: l.flags, mtu: l.mtu, operstate: l.operstate, txqlen: l.txqlen, kind: info?.info_kind, data: info?.info_data };
  });
  const addrs = ipJson<Array<{ ifname: string; addr_info: Array<Record<string, unknown>> }>>(['addr', 'show'], { netns: w.ctr })
    .map((a) => ({ ifname: a.ifname, addrs: a.addr_info.filter((x) => x.scope !== 'link').map(({ local, prefixlen, broadcast, scope }) => ({ local, prefixlen, broadcast, scope })) }));
  // Without the local route of the link-local address: the kernel adds it when DAD ends, a second
  // or so after the link comes up, which may fall before or after this look (seen in CI).
  const routes = ipJson<Array<{ type?: string; dst?: string }>>(['route', 'show', 'table', 'all'], { netns: w.ctr })
    .filter((r) => !(r.type === 'local' && r.dst?.startsWith('fe80:')));
  return { links, addrs, routes: JSON.stringify(routes).replace(/fe80::[0-9a-f:]+/g, 'LL') };
}

/** A result without its MAC (random on each side). */
const noMac = (r: Record<string, unknown>): unknown =>
  JSON.parse(JSON.stringify(r).replace(/"mac":"[0-9a-f:]{17}"/g, '"mac":"MAC"').replace(/"sandbox":"\/run\/netns\/[^"]+"/g, '"sandbox":"NS"'));

/** Runs `steps` against both plugins, each in its own world; compares every step's outcome and the final state. */
async function sideBySide(t: Tap, tag: string, steps: (w: World) => Array<[string, Record<string, unknown> | string, Record<string, string>?]>): Promise<Run[][]> {
  const runs: Run[][] = [];
  const states: unknown[] = [];
  for (const file of [REFERENCE, OURS]) {
    const w = world(t, tag);
    runs.push(steps(w).map(([cmd, c, env]) => plugin(file, w, cmd, c, env)));
    states.push(state(w));
  }
  const [ref, ours] = runs;
  ref.forEach((r, i) => {
    t.equal(ours[i].status, r.status, `step ${i + 1}: exit status ${String(r.status)}`);
    if (r.status === 0) t.same(noMac(ours[i].out), noMac(r.out), `step ${i + 1}: the same result`);
    else t.equal(ours[i].out.code, r.out.code, `step ${i + 1}: error code ${String(r.out.code)} (${String(r.out.msg)} / ${String(ours[i].out.msg)})`);
  });
  t.same(states[1], states[0], 'the container namespace as the reference leaves it');
  return runs;
}

for (const version of ['0.3.0', '0.3.1', '0.4.0', '1.0.0']) {
  t.test(`cniVersion ${version}: ADD, ADD again (refused), DEL, DEL again, as the reference`, kernel, async (t) => {
    await sideBySide(t, 'cv', (w) => [['ADD', conf(w, version)], ['ADD', conf(w, version)], ['DEL', conf(w, version)], ['DEL', conf(w, version)]]);
  });
}

t.test('ADD then CHECK with its result, state after ADD, then DEL: as the reference', kernel, async (t) => {
  const results: Array<Record<string, unknown>> = [];
  for (const file of [REFERENCE, OURS]) {
    const w = world(t, 'ck');
    const added = plugin(file, w, 'ADD', conf(w, '1.0.0', { mode: 'vepa', mtu: 1400 }));
    t.equal(added.status, 0);
    const checked = plugin(file, w, 'CHECK', conf(w, '1.0.0', { mode: 'vepa', mtu: 1400, prevResult: added.out }));
    t.equal(checked.status, 0, `${file}: CHECK passes on what ADD made`);
    ip(['link', 'set', 'eth0', 'address', '02:00:00:00:00:99'], { netns: w.ctr });
    const drifted = plugin(file, w, 'CHECK', conf(w, '1.0.0', { mode: 'vepa', mtu: 1400, prevResult: added.out }));
    t.equal(drifted.status, 1, `${file}: CHECK sees a changed MAC`);
    t.match(drifted.out.msg, /Mac .* doesn't match container Mac/);
    const otherMode = plugin(file, w, 'CHECK', conf(w, '1.0.0', { mode: 'bridge', mtu: 1400, prevResult: { ...added.out, interfaces: undefined } }));
    t.not(otherMode.status, 0, `${file}: CHECK sees a mode other than the configured one`);
    if (file === OURS) t.equal(otherMode.out.msg, 'Interface eth0 has mode vepa, configured bridge');
    results.push({ added: noMac(added.out), state: state(w) });
  }
  t.same(results[1], results[0]);
});

t.test('bad configurations and environments: the reference\'s error codes', kernel, async (t) => {
  await sideBySide(t, 'bad', (w) => [
    ['ADD', conf(w, '1.0.0', { master: 'nope0' })],
    ['ADD', conf(w, '1.0.0', { mode: 'weird' })],
    ['ADD', '{"cniVersion":"1.0.0",'],
    ['ADD', conf(w, '2.0.0')],
    ['ADD', conf(w, '1.0.0'), { CNI_COMMAND: 'FOO' }],
    ['ADD', conf(w, '1.0.0'), { CNI_NETNS: '/run/netns/no-such-namespace' }],
    ['DEL', conf(w, '1.0.0'), { CNI_NETNS: '/run/netns/no-such-namespace' }],
    ['ADD', conf(w, '1.0.0', { ipam: {} })],
    ['DEL', conf(w, '1.0.0', { ipam: {} })],
  ]);
});

t.test('an IPAM plugin that is not there: the reference leaves the link behind, ours leaves nothing', kernel, async (t) => {
  const left: string[][] = [];
  for (const file of [REFERENCE, OURS]) {
    const w = world(t, 'ipm');
    const r = plugin(file, w, 'ADD', conf(w, '1.0.0', { ipam: { type: 'no-such-ipam' } }));
    t.equal(r.status, 1);
    t.equal(r.out.code, 999);
    left.push(ipJson<Array<{ ifname: string }>>(['link', 'show'], { netns: w.ctr }).map((l) => l.ifname));
  }
  t.same(left[1], ['lo'], 'ours: nothing made');
  t.comment(`the reference left: ${left[0].join(', ')}`);
});

t.test('beyond the reference: macvtap, source mode with its MACs, flags, bcqueuelen, a MAC from CNI_ARGS', kernel, async (t) => {
  const w = world(t, 'our');
  const r = plugin(OURS, w, 'ADD', conf(w, '1.0.0', { kind: 'macvtap', mode: 'source', sourceMacs: ['02:00:00:00:00:01'], bcqueuelen: 500 }), { CNI_ARGS: 'IgnoreUnknown=1;MAC=02:00:00:00:00:42' });
  t.equal(r.status, 0, JSON.stringify(r.out));
  const l = ipJson<Array<{ address: string; linkinfo: { info_kind: string; info_data: Record<string, unknown> } }>>(['-d', 'link', 'show', 'eth0'], { netns: w.ctr })[0];
  t.match(l, { address: '02:00:00:00:00:42', linkinfo: { info_kind: 'macvtap', info_data: { mode: 'source', bcqueuelen: 500 } } });
  t.match(ip(['-d', 'link', 'show', 'eth0'], { netns: w.ctr }), /remotes \(1\) 02:00:00:00:00:01/);
  t.equal(plugin(OURS, w, 'DEL', conf(w, '1.0.0')).status, 0);
  const f = plugin(OURS, w, 'ADD', conf(w, '1.0.0', { mode: 'passthru', flags: ['nopromisc'] }));
  t.equal(f.status, 0, JSON.stringify(f.out));
  t.match(ipJson<Array<{ linkinfo: { info_data: Record<string, unknown> } }>>(['-d', 'link', 'show', 'eth0'], { netns: w.ctr })[0].linkinfo.info_data, { mode: 'passthru', nopromisc: true });
  t.equal(plugin(OURS, w, 'STATUS', conf(w, '1.1.0')).status, 0, 'STATUS: the master is there');
  t.equal(plugin(OURS, w, 'STATUS', conf(w, '1.1.0', { master: 'gone0' })).out.code, 50, 'STATUS: not ready without it');
  const v = spawnSync(OURS, [], { env: { CNI_COMMAND: 'VERSION', ...MUTANT }, input: '{}', encoding: 'utf8' });
  t.same(JSON.parse(v.stdout), { cniVersion: '1.1.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] });
});

t.test('runtimeConfig.mac: as the reference', kernel, async (t) => {
  await sideBySide(t, 'rmac', (w) => [['ADD', conf(w, '1.0.0', { runtimeConfig: { mac: '02:00:00:00:00:77' } })], ['DEL', conf(w, '1.0.0')]]);
  const w = world(t, 'rmc');
  const added = plugin(OURS, w, 'ADD', conf(w, '1.0.0', { runtimeConfig: { mac: '02:00:00:00:00:77' } }));
  t.match(added.out, { interfaces: [{ mac: '02:00:00:00:00:77' }] }, 'the MAC asked for');
  t.equal(ipJson<Array<{ address: string }>>(['link', 'show', 'eth0'], { netns: w.ctr })[0].address, '02:00:00:00:00:77');
});

t.test('linkInContainer: the master inside the container\'s namespace (Debian\'s reference, 1.1.1, predates the key)', kernel, async (t) => {
  const w = world(t, 'lic');
  ip(['link', 'add', 'inner0', 'type', 'veth', 'peer', 'name', 'inner1'], { netns: w.ctr });
  ip(['link', 'set', 'inner0', 'up'], { netns: w.ctr });
  const c = conf(w, '1.0.0', { master: 'inner0', linkInContainer: true });
  const added = plugin(OURS, w, 'ADD', c);
  t.equal(added.status, 0, JSON.stringify(added.out));
  t.equal(ipJson<Array<{ link?: string }>>(['link', 'show', 'eth0'], { netns: w.ctr })[0].link, 'inner0', 'on the container\'s own master');
  t.equal(plugin(OURS, w, 'DEL', c).status, 0);
  t.same(ipJson<Array<{ ifname: string }>>(['link', 'show'], { netns: w.ctr }).map((l) => l.ifname).sort(), ['inner0', 'inner1', 'lo']);
});
