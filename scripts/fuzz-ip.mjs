#!/usr/bin/env node
// Differential fuzzing: random command lines of ip's grammar that change things (links of
// several kinds, addresses, routes with encapsulations, neighbours, links moved to or made in a
// second namespace; good values, bad ones, missing ones) run by ip in one pair of namespaces and
// by rtnl in its twin pair. After each: the exit statuses, stdout and stderr must be the same,
// and so must the namespaces as ip lists them. Among them, listings (`show`, `route get`, with
// random options and selectors) run by both in ip's namespaces, which must print the same. The
// first difference stops the run and is printed with the command lines before it; a seed repeats it.
// With FUZZ_IP_BATCH=N the lines go in random batches of up to N instead (`-batch`, with random
// global options), run by ip and by rtnl, each in its twin pair, and compared whole.
// Root; build first:
//   npm run build && node scripts/fuzz-ip.mjs [LINES=1000] [SEED=1]     (FUZZ_IP_SHOWS: the share of listings, 0.3;
//   FUZZ_IP_HISTORY: how many lines a difference is printed after, 12; FUZZ_IP_BATCH: lines a batch, 0: none;
//   LINES then counts batches; FUZZ_IP_MONITOR="OBJECTS": monitor mode, below, with FUZZ_IP_MONITOR_OPTS
//   the options before `monitor`)
// It runs itself in a throwaway network and mount namespace (scripts/private-run.sh), so that
// nothing it makes can outlive it. Only documentation addresses, only in its two namespaces.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { socketInodes } from '../dist/test/helpers/kernel.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (!process.env.FUZZ_IP_INSIDE) {
  const r = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', '--', 'bash', 'scripts/private-run.sh',
    'env', 'FUZZ_IP_INSIDE=1', process.execPath, 'scripts/fuzz-ip.mjs', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const count = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 1);
/** The share of command lines that list (`@show`) rather than change. */
const SHOW_SHARE = Number(process.env.FUZZ_IP_SHOWS ?? 0.3);
/** How many command lines a difference is printed after. */
const HISTORY = Number(process.env.FUZZ_IP_HISTORY ?? 12);
/** Lines a batch holds: with it, the lines go to `-batch` files of up to this many instead of one process each. */
const BATCH = Number(process.env.FUZZ_IP_BATCH ?? 0);
/** A monitor's objects (`link address route neigh netconf nsid`): with it, ip and rtnl monitor ip's namespace while the lines change it. */
const MONITOR = process.env.FUZZ_IP_MONITOR;
/** Options before `monitor` in monitor mode (`-4`, `-6 -t`...). */
const MONITOR_OPTS = (process.env.FUZZ_IP_MONITOR_OPTS ?? '').split(/\s+/).filter(Boolean);

/** mulberry32: a small seeded generator, so that a seed gives the same command lines every run. */
let state = seed >>> 0;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const maybe = (p, words) => (rand() < p ? (typeof words === 'function' ? words() : words) : []);
/** Some of `options` (each a function giving words), in random order. */
const some = (options, most) => Array.from({ length: Math.floor(rand() * (most + 1)) }, () => pick(options)()).flat();

// The pools: few names, so that commands meet what earlier ones made.
const LINKS = ['v0', 'v1', 'br0', 'm0', 'm1', 'm2', 't0', 'x0', 'x1', 'vx0', 'nope'];
const PARENTS = ['v0', 'v1', 'br0', 'm0', 'x0', 'lo'];
const NEW_NAMES = ['m0', 'm1', 'm2', 't0', 'x0', 'x1', 'vx0', 'br1', 'a-name-too-long-for-a-link'];
let macs = 0x10;
/** Fresh MACs for links made (the twins must match; an unset one is random), and a few others. */
const mac = () => pick([() => `02:00:00:00:01:${(macs++ & 0xff).toString(16).padStart(2, '0')}`, () => '02:00:00:00:00:aa',
  () => '01:00:5e:00:00:01', () => '00:00:00:00:00:00', () => 'bogus', () => '02:00:00:00:00'])();
const V4 = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.254', '198.51.100.1', '198.51.100.7', '203.0.113.9'];
const V6 = ['2001:db8::1', '2001:db8::2', '2001:db8:1::1', 'fe80::1'];
const addr = () => pick([...V4, ...V4, ...V6, '192.0.2', '2001:db8::zz', '300.0.2.1', 'any', 'default']);
const prefix = () => {
  const a = pick([...V4, ...V6]);
  const v6 = a.includes(':');
  return pick([() => a, () => `${a}/${pick(v6 ? [64, 128, 48, 129] : [24, 32, 30, 8, 33])}`, () => (v6 ? '2001:db8::/32' : '192.0.2.0/24'),
    () => 'default', () => `${a}/bogus`])();
};
const num = (values) => String(pick(values));
/** Nexthop ids: few, so that groups meet their members. */
const NH_IDS = [1, 2, 3, 10, 11];
/**
 * Namespaces by placeholder, each side its own (ip's fa and ga, rtnl's fb and gb): `@home` the
 * first, `@ns` the second, `nons` none. Never a process id: pid 1 is the host's namespace.
 */
const netns = () => pick(['@ns', '@ns', '@home', 'nons']);
const V6_SEGS = ['2001:db8::1', '2001:db8::2', '2001:db8:1::1'];
const encap = () => ['encap', ...pick([
  () => ['ip', ...some([() => ['id', num([1, 42, 'bogus'])], () => ['dst', pick(V4)], () => ['ttl', num([0, 3, 256])], () => ['tos', num([0, 4])],
    () => [pick(['key', 'csum', 'seq'])]], 3)],
  () => ['ip6', ...some([() => ['id', num([1, 42])], () => ['dst', pick([...V6, ...V4])], () => ['hoplimit', num([0, 64])], () => ['tc', num([0, 4])],
    () => [pick(['key', 'csum'])]], 3)],
  () => ['seg6', ...maybe(0.9, () => ['mode', pick(['inline', 'encap', 'l2encap', 'bogus'])]),
    ...maybe(0.9, () => ['segs', Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(V6_SEGS)).join(',')]), ...maybe(0.2, () => ['hmac', num([0, 7])])],
])()];

const kinds = {
  macvlan: () => ['type', pick(['macvlan', 'macvtap']), ...maybe(0.8, () => ['mode', pick(['private', 'vepa', 'bridge', 'passthru', 'source', 'bogus'])]),
    ...maybe(0.2, () => [pick(['nopromisc', 'nodst'])]), ...maybe(0.2, () => ['bcqueuelen', num([0, 1, 100, 4294967295, 'x'])]),
    ...maybe(0.2, () => ['macaddr', pick(['add', 'set', 'del', 'flush']), mac()])],
  veth: () => ['type', 'veth', ...maybe(0.9, () => ['peer', 'name', pick(NEW_NAMES), 'address', mac(), ...maybe(0.2, () => ['netns', netns()]), ...maybe(0.1, () => ['index', num([52, 3])])])],
  bridge: () => ['type', 'bridge', ...some([() => ['stp_state', num([0, 1, 2])], () => ['vlan_filtering', num([0, 1])],
    () => ['forward_delay', num([0, 200, 1500])], () => ['ageing_time', num([0, 30000])], () => ['mcast_snooping', num([0, 1])]], 2)],
  vxlan: () => ['type', 'vxlan', ...maybe(0.9, () => ['id', num([1, 42, 16777215, 16777216])]), ...maybe(0.7, ['dstport', '4789']),
    ...maybe(0.5, () => ['local', pick([...V4, '192.0.2', 'any'])]), ...maybe(0.5, () => ['remote', pick([...V4, '198.51.100', 'default'])]), ...maybe(0.3, () => ['dev', pick(PARENTS)])],
};
const linkSets = [
  () => [pick(['up', 'down'])], () => ['mtu', num([68, 576, 1280, 1400, 1500, 9000, 65535, 67, 0, 'x', '-0', '+1500'])], () => ['address', mac()],
  () => ['name', pick(NEW_NAMES)], () => ['alias', pick(['uplink', 'two words'])], () => ['group', num([0, 1, 5, 'default', 255, 'bogus'])],
  () => ['txqueuelen', num([0, 500, 1000])], () => ['netns', netns()], () => ['master', pick(['br0', 'br1', 'v0', 'nope'])], () => ['nomaster'],
  () => [pick(['arp', 'multicast', 'promisc', 'allmulticast']), pick(['on', 'off'])],
  () => [pick(['protodown', 'carrier']), pick(['on', 'off', 'o', 'maybe'])], () => ['protodown_reason', num([0, 3, 31, 32, '0x2', 'x']), pick(['on', 'off', 'o'])],
  () => [pick(['gso_max_size', 'gro_max_size']), num([0, 32000, 65536, 'x'])], () => ['gso_max_segs', num([1, 100, 65535, 65536])],
  () => ['mode', pick(['default', 'dormant', 'DORMANT', 'testing'])], () => ['state', pick(['up', 'dormant', 'down', 'bogus'])],
  () => ['vf', num([0, 1, 3, '0x2', -1, 'x']), ...some([() => ['mac', mac()], () => ['vlan', num([0, 5, 4095, 4096]),
    ...maybe(0.4, () => ['qos', num([0, 7, 8, 'x'])]), ...maybe(0.3, () => ['proto', pick(['802.1Q', '802.1ad', '0x8100', 'ip', 'bogus'])])],
  () => ['rate', num([0, 100])], () => [pick(['max_tx_rate', 'min_tx_rate']), num([0, 10, 100, 'x'])],
  () => [pick(['spoofchk', 'query_rss', 'trust']), pick(['on', 'off', 'o', 'maybe'])], () => ['state', pick(['auto', 'enable', 'disable', 'x'])],
  () => [pick(['node_guid', 'port_guid']), pick(['01:02:03:04:05:06:07:08', '1:2'])]], 3)],
  () => ['type', 'macvlan', 'mode', pick(['private', 'vepa', 'bridge', 'source'])],
  () => ['type', 'bridge_slave', ...some([() => ['cost', num([1, 100, 0, 'x'])], () => ['priority', num([0, 32, 64])],
    () => [pick(['learning', 'flood', 'hairpin', 'guard', 'isolated']), pick(['on', 'off'])], () => ['state', num([0, 3, 4, 9])]], 2)],
  () => ['type', 'bridge', ...some([() => ['stp_state', num([0, 1])], () => ['forward_delay', num([200, 1500])], () => ['vlan_filtering', num([0, 1])]], 2)],
  () => ['type', 'vxlan', ...some([() => ['ttl', num([0, 3, 255, 256])], () => [pick(['learning', 'nolearning'])], () => ['ageing', num([0, 300])]], 2)],
];
/** What a rule matches (`rule add|del|show|flush`); `protocol` among them only where it is part of the rule (show filters it on purpose, ip not). */
const ruleSelectors = [
  () => [pick(['from', 'to']), prefix()], () => ['not'], () => [pick(['pref', 'priority', 'order']), num([10, 100, 300, 32765, 32766, 0, 'x', '-0', '-1'])],
  () => [pick(['tos', 'dsfield']), num(['0x10', '4', 'zz'])], () => ['fwmark', pick(['5', '0x10/0xff', '0/1', 'x'])],
  () => [pick(['iif', 'dev', 'oif']), pick([...LINKS, 'a/b'])], () => ['uidrange', pick(['1000-2000', '5', '7-3'])],
  () => ['ipproto', pick(['tcp', 'udp', '250', 'bogus'])], () => [pick(['sport', 'dport']), pick(['80', '1000-2000', '9-8', 'x'])],
  () => ['l3mdev'], () => ['tun_id', num([5, 'x'])],
];
/** What a rule does. */
const ruleActions = [
  () => [pick(['table', 'lookup']), pick(['main', '100', '200000', 'local', 'bogus'])], () => ['goto', num([100, 300, 32766, 5, 'x'])],
  () => pick([['nop'], ['blackhole'], ['type', 'prohibit'], ['unreachable'], ['local']]), () => ['realms', pick(['3/5', '5', 'x/y'])],
  () => [pick(['suppress_prefixlength', 'sup_pl']), num([0, 24, -1])], () => ['suppress_ifgroup', pick(['default', '5', 'bogus'])],
  () => ['protocol', pick(['static', 'kernel', '42', 'bogus'])],
];
const commands = [
  // link add: a name, a parent for the kinds that take one, an address always (or a random one would differ).
  [6, () => {
    const kind = pick(Object.keys(kinds));
    const parent = kind === 'macvlan' ? maybe(0.9, () => ['link', pick(PARENTS)]) : [];
    return ['link', 'add', ...parent, ...maybe(0.8, ['name']), pick(NEW_NAMES), 'address', mac(), ...maybe(0.15, () => ['netns', netns()]),
      ...maybe(0.1, () => ['index', num([50, 51, 2, 0, '7x'])]), ...kinds[kind](), ...maybe(0.2, () => linkSets[0]())];
  }],
  [6, () => ['link', 'set', ...maybe(0.5, ['dev']), pick(LINKS), ...some(linkSets, 3)]],
  [2, () => ['link', pick(['del', 'delete']), ...pick([() => [...maybe(0.5, ['dev']), pick(LINKS)], () => ['group', num([1, 5, 0])]])()]],
  [6, () => ['address', pick(['add', 'add', 'del', 'replace', 'change']), prefix(), ...maybe(0.95, () => ['dev', pick(LINKS)]),
    ...some([() => ['label', pick(['v0:1', 'm0:x', 'other'])], () => ['scope', pick(['host', 'link', 'global', 'site', '7', 'bogus'])],
      () => [pick(['noprefixroute', 'nodad', 'home', 'mngtmpaddr', 'autojoin'])], () => ['peer', pick([addr, addr, () => pick(['any', 'default', '0.0.0.0/0', '198.51.100.0/0', '2001:db8::/0'])])()],
      () => [pick(['broadcast', 'brd']), pick(['+', '-', ...V4, 'any', 'default'])], () => ['valid_lft', num(['forever', 3600, 0])],
      () => ['preferred_lft', num(['forever', 1800, 0])], () => ['metric', num([1, 100])]], 3)]],
  [1, () => ['address', 'flush', ...pick([() => ['dev', pick(LINKS)], () => ['to', prefix()], () => ['scope', 'global'], () => ['label', 'v0*']])()]],
  [6, () => ['route', pick(['add', 'add', 'replace', 'change', 'append', 'prepend', 'del']), ...maybe(0.2, () => [pick(['unreachable', 'blackhole', 'prohibit', 'local', 'unicast'])]),
    prefix(), ...some([() => ['via', addr()], () => ['dev', pick(LINKS)], () => ['metric', num([0, 10, 100, 4294967295, '-0', '-1'])],
      () => ['nexthop', 'via', addr(), 'dev', pick(LINKS), ...maybe(0.5, () => ['weight', num([1, 5, 256])]), ...maybe(0.3, encap), 'nexthop', 'via', addr(), ...maybe(0.7, () => ['dev', pick(LINKS)])],
      () => ['tos', num([0, 4, 'bogus'])], () => ['realm', num([1, 'bogus'])], () => [pick(['advmss', 'hoplimit', 'rto_min']), num([100, 'lock'])],
      () => ['table', pick(['main', 'local', '100', 'bogus'])], () => ['proto', pick(['static', 'boot', 'kernel', '42', 'bogus'])],
      () => ['scope', pick(['link', 'host', 'global'])], () => ['src', addr()], () => ['mtu', num([1280, 1400, 'lock'])],
      () => ['onlink'], encap, () => [pick(['pref', 'pre']), pick(['low', 'medium', 'high', '2', 'bogus'])], () => ['expires', num([100, 0, 4294967295, 'bogus'])]], 4)]],
  [1, () => ['route', 'flush', ...pick([() => ['dev', pick(LINKS)], () => ['table', pick(['main', '100'])], () => ['proto', 'static']])()]],
  [4, () => ['neigh', pick(['add', 'add', 'replace', 'change', 'del']), addr(), ...maybe(0.9, () => ['lladdr', mac()]),
    ...maybe(0.95, () => ['dev', pick(LINKS)]), ...maybe(0.5, () => ['nud', pick(['permanent', 'noarp', 'reachable', 'stale', 'bogus'])]),
    ...maybe(0.1, ['router']), ...maybe(0.1, ['proxy', addr()])]],
  [1, () => ['neigh', 'flush', 'dev', pick(LINKS)]],
  [3, () => ['rule', pick(['add', 'add', 'del']), ...some([...ruleSelectors, ...ruleActions], 4)]],
  [1, () => ['rule', 'flush', ...some(ruleSelectors, 1)]],
  [3, () => ['nexthop', pick(['add', 'add', 'replace']), ...maybe(0.95, () => ['id', num(NH_IDS)]), ...pick([
    () => ['via', addr(), ...maybe(0.8, () => ['dev', pick(LINKS)]), ...maybe(0.2, ['onlink'])],
    () => ['dev', pick(LINKS)], () => ['blackhole'], () => ['via', pick(V4), 'fdb'],
    () => ['group', pick(['1/2', '1,3/2', '1', '2/3,256', '10/1', '1/99', '1,0']), ...maybe(0.2, ['fdb']),
      ...maybe(0.4, () => ['type', pick(['mpath', 'resilient', 'bogus']), ...maybe(0.5, () => ['buckets', num([4, 8, 0])]), ...maybe(0.3, () => ['idle_timer', num([1, 60])])])],
  ])(), ...maybe(0.1, () => ['proto', pick(['static', '42', 'bogus'])])]],
  [1, () => ['nexthop', pick(['del', 'flush']), ...maybe(0.8, () => ['id', num(NH_IDS)])]],
  [1, () => ['route', pick(['add', 'replace']), prefix(), 'nhid', num([...NH_IDS, 99])]],
  [1, () => ['stats', 'set', ...maybe(0.9, () => ['dev', pick(LINKS)]), ...maybe(0.9, () => ['l3_stats', pick(['on', 'off', 'bogus'])])]],
  [1, () => ['ntable', 'change', 'name', pick(['arp_cache', 'ndisc_cache', 'bogus']), ...maybe(0.9, () => ['dev', pick(LINKS)]),
    ...some([() => ['queue', num([5, 50, 'x'])], () => ['base_reachable', num([20000, 1000])], () => ['thresh1', num([64])],
      () => ['locktime', num([0, 700])], () => ['app_probes', num([1, 3])], () => ['gc_stale', num([30000, 0])]], 2)]],
];
/**
 * Listings, run by ip (twice) and by rtnl in ip's namespaces, which they leave as they are: the
 * state random changes made, listed with random options and selectors.
 */
const shows = [
  () => ['link', pick(['show', 'list', 'sh']), ...some([() => [...maybe(0.5, ['dev']), pick(LINKS)], () => ['up'], () => ['type', pick(['macvlan', 'macvtap', 'veth', 'bridge', 'vxlan', 'bridge_slave', 'dummy'])],
    () => ['master', pick(['br0', 'br1', 'v0', 'nope'])], () => ['nomaster'], () => ['group', num([0, 1, 5, 'default', 'bogus'])]], 2)],
  () => ['address', pick(['show', 'list']), ...some([() => [...maybe(0.5, ['dev']), pick(LINKS)], () => ['to', prefix()], () => ['scope', pick(['host', 'link', 'global', 'all', '7', 'bogus'])],
    () => ['label', pick(['v0*', 'v0:1', 'm0:x', 'other', '*'])], () => ['up'], () => [pick(['permanent', 'dynamic', 'primary', 'secondary', 'tentative', 'deprecated', 'noprefixroute', 'home', 'mngtmpaddr', '-primary', 'nodad'])],
    () => ['type', pick(['macvlan', 'veth', 'bridge', 'bridge_slave'])], () => ['master', pick(['br0', 'nope'])], () => ['group', num([0, 5])]], 2)],
  () => ['route', pick(['show', 'list']), ...some([() => ['table', pick(['main', 'local', 'all', '100', 'bogus'])], () => ['proto', pick(['static', 'kernel', 'boot', '42', 'bogus'])],
    () => ['scope', pick(['link', 'host', 'global'])], () => ['type', pick(['unicast', 'local', 'blackhole', 'unreachable', 'prohibit', 'broadcast'])], () => ['dev', pick(LINKS)],
    () => ['via', addr()], () => ['src', addr()], () => [pick(['root', 'match', 'exact']), prefix()], () => [prefix()], () => ['tos', num([0, 4])],
    () => ['metric', num([0, 10, 100, 1024])], () => ['realm', num([1, 0])], () => ['from', prefix()]], 3)],
  () => ['route', pick(['show', 'list']), ...pick([['cache'], ['cloned'], ['table', 'all'], ['exact', 'default'], ['root', 'default'], ['match', 'default']])],
  () => ['route', 'get', ...maybe(0.2, ['to']), addr(), ...some([() => ['from', pick([...V4, ...V6])], () => ['oif', pick(LINKS)], () => ['iif', pick(LINKS)], () => ['fibmatch'],
    () => ['mark', num([0, 5])], () => ['tos', num([0, 4])], () => [addr()]], 2)],
  () => ['rule', pick(['show', 'list', 'lst']), ...some(ruleSelectors, 2)],
  // Not `fdb`: this kernel ignores it and ip lists every nexthop; rtnl the FDB ones (docs/cli.md).
  () => ['nexthop', pick(['show', 'list']), ...some([() => ['dev', pick(LINKS)], () => ['groups'], () => ['id', num(NH_IDS)],
    () => ['protocol', pick(['static', '42'])], () => ['master', pick(['br0', 'nope'])]], 2)],
  // A link's parameters only: the tables' own counters (-s) are the whole machine's and move.
  () => ['ntable', 'show', 'dev', pick(LINKS), ...maybe(0.5, () => ['name', pick(['arp_cache', 'ndisc_cache', 'bogus'])])],
  () => ['stats', ...maybe(0.8, ['show']), ...maybe(0.6, () => ['dev', pick(LINKS)]), ...some([() => ['group', pick(['link', 'offload', 'xstats', 'xstats_slave', 'afstats', 'bogus']),
    ...maybe(0.4, () => ['subgroup', pick(['bridge', 'bond', 'cpu_hit', 'hw_stats_info', 'l3_stats', 'mpls', 'bogus'])])]], 2)],
  () => ['neigh', 'get', addr(), ...maybe(0.9, () => ['dev', pick(LINKS)]), ...maybe(0.1, ['proxy'])],
  () => ['neigh', pick(['show', 'list']), ...some([() => ['dev', pick(LINKS)], () => ['nud', pick(['permanent', 'noarp', 'reachable', 'stale', 'all', 'none', 'bogus'])],
    () => ['proxy'], () => [...maybe(0.5, ['to']), prefix()], () => ['master', pick(['br0', 'nope'])], () => ['unused'], () => ['protocol', pick(['static', 'boot', '42'])]], 2)],
];
const SHOW_OPTIONS = [['-d'], ['-s'], ['-s', '-s'], ['-j'], ['-j', '-p'], ['-o'], ['-br'], ['-N'], ['-h', '-s'], ['-iec', '-h', '-s', '-s'], ['-4'], ['-6'], ['-0'],
  ['-color=always'], ['-d', '-s', '-j'], ['-details', '-statistics'], ['-brief', '-4'], ['-oneline', '-s']];
const show = () => ['@show', ...some([() => pick(SHOW_OPTIONS)], 2), ...pick(shows)()];
const totalWeight = commands.reduce((s, [w]) => s + w, 0);
function command() {
  if (rand() < SHOW_SHARE) return [...maybe(0.15, ['@in-ns']), ...show()];
  const r = rand() * totalWeight;
  // Some in the second namespace, where links moved or made there are.
  const where = maybe(0.15, ['@in-ns']);
  const family = maybe(0.1, () => [pick(['-4', '-6'])]);
  return [...where, ...family, ...change(r)];
}
/** A change, by the commands' weights. */
function change(r = rand() * totalWeight) {
  for (const [w, make] of commands) if ((r -= w) < 0) return make();
  return commands[0][1]();
}
/**
 * A batch: its options (a line takes none: the namespace, -force, and options the listings use,
 * not -s, whose counters differ between the twins) and up to BATCH lines, changes and listings.
 */
const BATCH_OPTIONS = [['-d'], ['-j'], ['-j', '-p'], ['-o'], ['-br'], ['-N'], ['-4'], ['-6'], ['-0'], ['-d', '-j'], ['-color=always']];
function batch() {
  const options = [...maybe(0.15, ['@in-ns']), ...maybe(0.7, ['-force']), ...maybe(0.3, () => pick(BATCH_OPTIONS))];
  const lines = Array.from({ length: 1 + Math.floor(rand() * BATCH) }, () => (rand() < SHOW_SHARE ? pick(shows)() : change()));
  return { options, lines };
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd });
  return { status: r.status, out: r.stdout, err: r.stderr };
}
/** A side's words, its namespaces for the placeholders. */
function named(side, words) {
  const names = { '@home': `f${side}`, '@ns': `g${side}` };
  return words.map((w) => names[w] ?? w);
}
/** A side's command line: its namespace (`@in-ns` first: the second one) and its namespaces for the placeholders. */
function line(side, words) {
  const inNs = words[0] === '@in-ns';
  return ['-n', `${inNs ? 'g' : 'f'}${side}`, ...named(side, words.slice(inNs ? 1 : 0))];
}
/** What a side printed, its namespaces' names back to the placeholders (`duplicate "netns": "fa"`, `link-netns ga`). */
function placeheld(side, r) {
  const back = (text) => text.replace(new RegExp(`(?<="|link-netns )f${side}\\b`, 'g'), '@home').replace(new RegExp(`(?<="|link-netns )g${side}\\b`, 'g'), '@ns');
  return { ...r, out: back(r.out), err: back(r.err) };
}
/** ip's usage texts name ip where rtnl's name rtnl (`Usage: ip link <options> type veth ...`). */
const asRtnl = (r) => ({ ...r, err: r.err.replace(/\bip (link|address|route|neigh|stats)\b/g, 'rtnl $1') });
const ip = (side, words, cwd) => asRtnl(placeheld(side, run('ip', line(side, words), cwd)));
const rtnl = (side, words, cwd) => placeheld(side, run(process.execPath, [resolve(root, 'dist/bin/rtnl.cjs'), ...line(side, words)], cwd));
/** Where each side's batch file is written, under one name (`Command failed batch:3`), and the monitors' output. */
const workDir = `/tmp/fuzz-ip-${process.pid}`;
process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));
/** `tool` running a batch of `lines` in `side`'s namespaces. */
function batchRun(tool, side, { options, lines }) {
  const dir = `${workDir}/${side}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/batch`, lines.map((l) => named(side, l).map((w) => (/\s/.test(w) ? `"${w}"` : w)).join(' ') + '\n').join(''));
  return unmade(side, drawn(lifetimes(steadied(tool(side, [...options, '-batch', 'batch'], dir)))));
}
/** A neighbour table's `reachable` time, which the kernel draws at random (half to one and a half base_reachable) for each namespace's: the twins' differ. */
const drawn = (r) => ({ ...r, out: r.out.replace(/\breachable \d+/g, 'reachable #').replace(/"reachable": ?\d+/g, '"reachable":#') });
/** Finite address lifetimes and route expiries left out: they count down, and each side's batch lists them at its own time. */
const lifetimes = (r) => ({
  ...r,
  out: r.out.replace(/(valid_lft|preferred_lft|expires) \d+sec/g, '$1 #sec').replace(/"(valid|preferred)_life_time": ?(?!4294967295\b)\d+/g, '"$1_life_time":#')
    .replace(/"expires": ?\d+/g, '"expires":#'),
});
/** A listing of `side`'s namespaces without the random MACs of the veth peers the kernel named (view() leaves them out too). */
function unmade(side, r) {
  const macs = [`f${side}`, `g${side}`].flatMap((ns) => JSON.parse(run('ip', ['-n', ns, '-j', 'link', 'show']).out || '[]'))
    .filter((l) => /^veth\d+$/.test(l.ifname)).map((l) => l.address);
  return { ...r, out: macs.reduce((out, mac) => out.replaceAll(mac, 'random-mac'), r.out) };
}

function setUp(ns) {
  for (const line of [
    ...[ns, `g${ns.slice(1)}`].flatMap((n) => [['netns', 'add', n], ['-n', n, 'link', 'set', 'lo', 'up'],
      ['netns', 'exec', n, 'sysctl', '-qw', 'net.ipv6.conf.default.addr_gen_mode=1', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']]),
    ['-n', ns, 'link', 'add', 'v0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:02'],
    ['-n', ns, 'link', 'add', 'br0', 'address', '02:00:00:00:00:03', 'type', 'bridge'],
    ['-n', ns, 'link', 'set', 'v0', 'up'], ['-n', ns, 'link', 'set', 'v1', 'up'],
  ]) {
    const r = run('ip', line);
    if (r.status !== 0) throw new Error(`ip ${line.join(' ')}: ${r.err}`);
  }
}

const MOVING = new Set(['stats', 'stats64', 'operstate', 'carrier_changes', 'carrier_up_count', 'carrier_down_count',
  'valid_life_time', 'preferred_life_time', 'expires', 'used', 'probes', 'linkinfo_xstats']);
/**
 * What ip lists in a namespace, one object a line, sorted (neighbours come in hash order), less
 * what moves by itself (counters, timers, carrier).
 */
function snapshot(side) {
  return [`f${side}`, `g${side}`].map((ns, i) => view(ns).replace(/^/gm, `${['home', 'ns'][i]} `)).join('\n');
}
/** One namespace's lists. */
function view(ns) {
  const views = [['-d', 'link', 'show'], ['address', 'show'], ['route', 'show', 'table', 'all'], ['-6', 'route', 'show', 'table', 'all'], ['neigh', 'show'],
    ['-d', 'rule', 'show'], ['-6', '-d', 'rule', 'show'], ['nexthop', 'show']];
  const steady = (k, v) => (MOVING.has(k) || k.endsWith('_timer') ? undefined
    : k === 'flags' && Array.isArray(v) ? v.filter((f) => f !== 'LOWER_UP' && f !== 'NO-CARRIER')
      // A neighbour's reachability times out by itself: reachable, stale, delay, probe.
      : k === 'state' && Array.isArray(v) ? v.map((f) => (['REACHABLE', 'STALE', 'DELAY', 'PROBE'].includes(f) ? 'VALID' : f)) : v);
  // A veth's peer made without a name is named by the kernel, its MAC random.
  const known = (o) => (/^veth\d+$/.test(o.ifname) ? { ...o, address: undefined } : o);
  return views.flatMap((v) => JSON.parse(run('ip', ['-n', ns, '-j', ...v]).out || '[]').map((o) => `${v.join(' ')}: ${JSON.stringify(known(o), steady)}`).sort()).join('\n');
}

/** The two namespaces made afresh, alike: what ip lists in them. */
function twins() {
  for (const ns of ['fa', 'fb']) {
    for (const n of [ns, `g${ns.slice(1)}`]) run('ip', ['netns', 'del', n]);
    setUp(ns);
  }
  return snapshot('a');
}

/**
 * Both pairs as ip lists them; looked at again after a second when they differ: what the kernel
 * does after a link comes up (linkwatch, IPv6's multicast route) runs up to a second later, and
 * ip's pair, listed first, had rtnl's run longer to get there.
 */
function settled() {
  const first = [snapshot('a'), snapshot('b')];
  if (first[0] === first[1]) return first;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1200);
  return [snapshot('a'), snapshot('b')];
}

let before = twins();
const history = [];
/**
 * rtnl's refusals of what ip takes, on purpose (docs/cli.md, DIFFERENCES FROM IPROUTE2): a MAC ip
 * half-reads (`bogus` as 0x0b); `link set DEV type KIND` with no word after the kind (ip sends the
 * kind alone, rtnl its empty options: either may be refused where the other changes nothing);
 * `-4 address add default` (0.0.0.0); realms on an IPv6 route; addresses of no bytes.
 */
/** rtnl's refusal of an address of no bytes (`any`, `all`), which ip sends for the kernel to refuse. */
const NO_BYTES = /^Error: (inet6?|any valid) (address|prefix) is expected rather than "(any|all)"\.$/m;
const DELIBERATE = [
  (words, err) => /^"[^"]*" is invalid lladdr\.$/m.test(err),
  (words) => words.includes('set') && words.at(-2) === 'type',
  (words, err) => /IPv4 0\.0\.0\.0 is no address/.test(err), // which the kernel acknowledges and does not add
  (words, err) => /^realms are for IPv4 (routes|rules)/m.test(err), // (m: a batch's stderr) which the kernel takes on an IPv6 route or rule and drops
  (words, err) => /^(pref|expires) is for IPv6 routes/m.test(err), // which the kernel takes on an IPv4 route and drops
  (words, err) => /^veth\.peer\.index needs index too/m.test(err), // which the kernel passes over, the link made without it
  // An address of no bytes, which ip sends for the kernel to refuse: a neighbour's ends ip's batch (exit 2).
  (words, err) => NO_BYTES.test(err),
];
/**
 * Lines after which the twins differ, rtnl having changed nothing: ip refused after changing part
 * of what it asked (the kernel applies attributes in its own order), or went on where rtnl refuses on purpose.
 */
const restarts = [];
/** Both refused, in other words: by ip's first words and rtnl's, the first command line of each pair. */
const refusals = new Map();
/**
 * Listings ip and rtnl print differently on purpose (docs/cli.md, DIFFERENCES FROM IPROUTE2): the
 * `{}` ip's -j prints for a link it passes over, `address show` selectors ip applies only while
 * printing a link's lines (ignoredSelector()); -j neigh get (ip prints text); addresses of no
 * bytes, refused before sending.
 */
const SHOW_DELIBERATE = [
  (words, a, b) => words.includes('-j') && a.status === b.status && a.err === b.err && withoutEmpty(a.out) === withoutEmpty(b.out),
  (words) => words.includes('address') && ignoredSelector(words),
  // -j neigh get: ip prints the entry as text, rtnl as neigh show -j would.
  (words, a, b) => words.includes('-j') && words.includes('neigh') && words.includes('get') && a.status === 0 && b.status === 0,
  // An address of no bytes (any, all), which ip sends empty for the kernel to refuse.
  (words, a, b) => a.status === 2 && b.status === 1 && NO_BYTES.test(b.err.trim()),
  // A link-layer neighbour address (-0), which ip sends and the kernel refuses, exit 2 both.
  (words, a, b) => a.status === 2 && b.status === 2 && /^rtnl: neigh \w+ of a link-layer address \(-0\) is not supported$/.test(b.err.trim()),
];
/**
 * A -j listing without its empty objects, as one line; output that is not one JSON value (a
 * batch's several listings, text) without its `{}` objects.
 */
function withoutEmpty(text) {
  try {
    return JSON.stringify(JSON.parse(text).filter((o) => Object.keys(o).length > 0));
  } catch {
    return text.replace(/\{\},?/g, '').replace(/,\]/g, ']');
  }
}
/** A selector ip's `address show` ignores: -o prints no link lines (up, group, type), nor does label (group, type); -6 lists AF_INET6 links. */
function ignoredSelector(words) {
  const has = (...some) => words.some((w) => some.includes(w));
  return (has('-o', '-oneline') && has('up', 'group', 'type', 'master')) || (has('label') && has('group', 'type', 'master')) || (has('-6') && has('group', 'type', 'master'));
}
const sameRun = (x, y) => x.status === y.status && x.out === y.out && x.err === y.err;
/** With the digits left out: what a counter, lifetime or timer that moved between the runs makes. */
const undigited = (r) => ({ ...r, out: r.out.replace(/\d+/g, '#'), err: r.err.replace(/\d+/g, '#') });
/**
 * What may differ between two listings of the same state, left out: a route's age (-s), how long
 * ago the kernel made the per-CPU copy of the route that answered (0, not printed, for the run
 * that made it; ip and rtnl on different CPUs see different copies); bridge timers, which the
 * kernel counts down (`gc_timer 0.01`) and which ip's two runs may both miss moving.
 */
const steadied = (r) => ({
  ...r, out: r.out.replace(/age \d+sec /g, '').replace(/"age":\d+,?/g, '').replace(/(_timer"?:?\s*)[\d.]+/g, '$1#'),
});
/** A listing: by ip before and after rtnl, so that what moved meanwhile shows as ip's own two runs differing. */
function listing(words) {
  const a = steadied(ip('a', words));
  const b = steadied(rtnl('a', words));
  if (sameRun(a, b)) return;
  const again = steadied(ip('a', words));
  if (sameRun(again, b) || SHOW_DELIBERATE.some((d) => d(words, a, b) || d(words, again, b))) return;
  if (!sameRun(a, again) && sameRun(undigited(a), undigited(b))) return;
  console.log(`seed ${seed}, command ${history.length}; the last ones:\n  ${history.slice(-HISTORY).join('\n  ')}`);
  console.log(`ip: exit ${a.status}\n${a.out}${a.err}rtnl: exit ${b.status}\n${b.out}${b.err}`);
  process.exit(1);
}
/** Stops the run at a difference: the lines before it, what each printed, the links the last line names and how the twins differ. */
function differ(i, a, b, [sa, sb], words) {
  console.log(`seed ${seed}, command ${i + 1}; the last ones:\n  ${history.slice(-HISTORY).join('\n  ')}`);
  console.log(`ip: exit ${a.status}\n${a.out}${a.err}rtnl: exit ${b.status}\n${b.out}${b.err}`);
  // The links the line names, as they are now in ip's namespace.
  for (const dev of new Set(words.filter((w) => LINKS.includes(w)))) console.log(ip('a', [...words.slice(0, words[0] === '@in-ns' ? 1 : 0), '-d', 'address', 'show', 'dev', dev]).out);
  const la = new Set(sa.split('\n'));
  const lb = new Set(sb.split('\n'));
  for (const l of la) if (!lb.has(l)) console.log(`only ip's: ${l}`);
  for (const l of lb) if (!la.has(l)) console.log(`only rtnl's: ${l}`);
  // The same lines, not as many times each: the first place they part.
  const [xa, xb] = [sa.split('\n'), sb.split('\n')];
  const at = xa.findIndex((l, n) => l !== xb[n]);
  if (at >= 0 && [...la].every((l) => lb.has(l))) console.log(`ip's line ${at}: ${xa[at]}\nrtnl's: ${xb[at]}`);
  process.exit(1);
}
/**
 * Whether a batch lists something ip and rtnl print differently on purpose (SHOW_DELIBERATE, by
 * the words): selectors ip's `address show` ignores, -j neigh get, and `address` listings after
 * a `link` listing, which ip's batch prints as `link` ones. Its output is then not compared.
 */
function unlikeOnPurpose(options, lines) {
  return linkListedFirst(lines) || statsShownFirst(lines) || lines.some((l) => {
    const words = [...options, ...l];
    return (l[0] === 'address' && ignoredSelector(words)) || (words.includes('-j') && l[0] === 'neigh' && l[1] === 'get');
  });
}
/** Whether an `address` listing follows a `link` listing, which ip's batch prints as a `link` one (ipaddress.c's do_link). */
function linkListedFirst(lines) {
  const listing = (l, noun) => l[0] === noun && ['show', 'list', 'sh'].includes(l[1]);
  const i = lines.findIndex((l) => listing(l, 'link'));
  return i >= 0 && lines.slice(i + 1).some((l) => listing(l, 'address'));
}
/**
 * Whether a listing or a flush (`Nothing to flush.` with -s) follows a `stats show`, which raises
 * ip's show_stats for the rest of its batch (ipstats.c: one -s more, two with -d).
 */
function statsShownFirst(lines) {
  const i = lines.findIndex((l) => l[0] === 'stats' && l[1] === 'show');
  return i >= 0 && lines.slice(i + 1).some((l) => ['show', 'list', 'sh', 'lst', 'get', 'flush'].includes(l[1]) || (l[0] === 'stats' && l.length === 1));
}
/** ip's output without the usage of `type veth`, which ip prints on stdout (docs/cli.md), as its single lines do on stderr. */
const vethUsageOut = (out) => out.replace(/^Usage: ip link <options> type veth \[peer <options>\]\nTo get <options> type 'ip link add help'\n/gm, '');
/** The lines of a batch that failed, as it says (`Command failed batch:3`). */
const failedLines = (r) => r.err.split('\n').filter((l) => l.startsWith('Command failed ')).join('\n');
/**
 * A batch run by each, one process each: what they print and the twins after must be the same,
 * but for the words of a refusal (which single lines compare): the same lines failing, the same
 * output and status. A batch with a line rtnl refuses on purpose starts the twins over.
 */
function batchRound(i) {
  const { options, lines } = batch();
  history.push(`${options.join(' ')} -batch: ${lines.map((l) => l.join(' ')).join(' ; ')}`);
  const a = batchRun(ip, 'a', { options, lines });
  const b = batchRun(rtnl, 'b', { options, lines });
  const twinsNow = settled();
  if (sameRun(a, b) && twinsNow[0] === twinsNow[1]) return;
  if (lines.some((l) => DELIBERATE.some((d) => d(l, b.err)))) {
    restarts.push(history.at(-1));
    twins();
    return;
  }
  const alike = vethUsageOut(a.out) === b.out || unlikeOnPurpose(options, lines) || (options.includes('-j') && withoutEmpty(a.out) === withoutEmpty(b.out));
  if (alike && a.status === b.status && failedLines(a) === failedLines(b) && twinsNow[0] === twinsNow[1]) {
    refusals.set(`batch: ip ${a.err.split('\n')[0].slice(0, 60)} | rtnl ${b.err.split('\n')[0].slice(0, 60)}`, history.at(-1));
    return;
  }
  differ(i, a, b, twinsNow, [...options, ...lines.flat()]);
}
/**
 * Until each process has a NETLINK_ROUTE socket in `ns` that joined a group (its namespace's
 * /proc/net/netlink), told by its inode among the process's descriptors: a port id is the pid
 * only for a process's first socket (`monitor dev` opens another first).
 */
async function joined(ns, children) {
  for (let i = 0; i < 200; i++) {
    const rows = run('ip', ['netns', 'exec', ns, 'cat', '/proc/net/netlink']).out.split('\n').slice(1).map((r) => r.trim().split(/\s+/));
    if (children.every((c) => { const own = socketInodes(c.pid); return rows.some((f) => f[1] === '0' && f[3] !== '00000000' && own.includes(f[9])); })) return;
    await sleep(25);
  }
  throw new Error('a monitor never joined its groups');
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A route deleted: rtnl also tells the routes the kernel drops without a word (with their link), which ip does not print. */
const routeDeleted = (l) => /^(\[ROUTE\])?Deleted (?!\d+:\s)/.test(l) && !/ lladdr | (REACHABLE|STALE|DELAY|PROBE|FAILED|INCOMPLETE|NOARP|PERMANENT|NONE) *$/.test(l);
/** A goto rule told resolved or unresolved again, which the kernel does not tell (found by dumping the rules). */
const gotoRecheck = (l) => /^(\[RULE\])?\d+:\t.* goto \d+( \[unresolved\])?( proto \S+)?$/.test(l);
/** A `bridge fdb` change: a bridge's entry, a link's own (a macvlan's multicast filter), a vxlan's remote. */
function fdbChange() {
  return ['fdb', pick(['add', 'append', 'replace', 'del']), pick(['02:00:00:00:0f:01', '02:00:00:00:0f:02', '01:00:5e:00:00:fb', '00:00:00:00:00:00']),
    'dev', pick(LINKS), ...maybe(0.5, () => [pick(['master', 'self'])]), ...maybe(0.5, () => [pick(['static', 'dynamic', 'permanent'])]),
    ...maybe(0.2, () => ['dst', pick(['192.0.2.1', '192.0.2.2'])])];
}
/** A netconf setting changed by sysctl (a link's, all's or default's; the link may be missing): the script for `sh -c`. */
function netconfChange() {
  const [family, key, values] = pick([['ipv4', 'forwarding', [0, 1]], ['ipv4', 'rp_filter', [0, 1, 2]], ['ipv4', 'proxy_arp', [0, 1]],
    ['ipv4', 'ignore_routes_with_linkdown', [0, 1]], ['ipv6', 'forwarding', [0, 1]], ['ipv6', 'proxy_ndp', [0, 1]]]);
  return `echo ${pick(values)} > /proc/sys/net/${family}/conf/${pick([...LINKS, 'all', 'default'])}/${key}`;
}
/**
 * `ip monitor MONITOR` and `rtnl monitor MONITOR` watch ip's first namespace, both started and
 * in their groups before anything changes, while `count` random changes run there (by ip and
 * rtnl in turn): rtnl must print ip's lines, in ip's order, and no others but the dropped routes.
 */
async function monitorRun() {
  mkdirSync(workDir, { recursive: true });
  const objects = MONITOR.split(/\s+/).filter(Boolean);
  const file = (name) => `${workDir}/${name}`;
  const start = (cmd, args, name) => spawn(cmd, [...args, '-n', 'fa', ...MONITOR_OPTS, 'monitor', ...objects], { stdio: ['ignore', openSync(file(name), 'w'), openSync(file(`${name}.err`), 'w')] });
  // The links before, as link lines: ip's cache starts with their names (byIndexes()).
  const linksBefore = JSON.parse(run('ip', ['-n', 'fa', '-j', 'link', 'show']).out).map((l) => `${l.ifindex}: ${l.ifname}:`);
  const children = [start('ip', [], 'ip'), start(process.execPath, [resolve(root, 'dist/bin/rtnl.cjs')], 'rtnl')];
  // rtmon records the same changes, for `monitor file` below.
  const rtmon = spawn('ip', ['netns', 'exec', 'fa', 'rtmon', 'file', file('rtmon.bin')], { stdio: 'ignore' });
  await joined('fa', [...children, rtmon]);
  await sleep(300); // rtnl's first dump, its baseline
  for (let i = 0; i < count; i++) {
    // Some changes are forwarding entries, by `bridge` (rtnl has no bridge command): told as
    // neighbours; some are netconf settings, by sysctl (which rtnl does not write).
    if (rand() < 0.15) {
      const words = fdbChange();
      history.push(`bridge ${words.join(' ')}`);
      run('bridge', ['-n', 'fa', ...words]);
      continue;
    }
    if (rand() < 0.1) {
      const script = netconfChange();
      history.push(`sysctl: ${script}`);
      run('ip', ['netns', 'exec', 'fa', 'sh', '-c', script]);
      continue;
    }
    const words = [...maybe(0.15, ['@in-ns']), ...maybe(0.1, () => [pick(['-4', '-6'])]), ...change()];
    history.push(words.join(' '));
    (i % 2 ? rtnl : ip)('a', words);
  }
  await sleep(1500);
  await Promise.all([...children, rtmon].map((c) => new Promise((r) => { c.on('exit', r); c.kill('SIGINT'); })));
  const theirs = readFileSync(file('ip'), 'utf8').split('\n');
  const ours = readFileSync(file('rtnl'), 'utf8').split('\n');
  const err = readFileSync(file('rtnl.err'), 'utf8');
  const theirsByIndex = byIndexes(linksBefore, theirs);
  const oursByIndex = byIndexes(linksBefore, ours);
  let i = 0;
  for (const [n, l] of ours.entries()) {
    if (l === theirs[i] || (i < theirs.length && (oursByIndex[n] === theirsByIndex[i] || askedTooLate(theirs[i]).test(l)))) i++;
    else if (!routeDeleted(l) && !gotoRecheck(l)) return monitorDiffer(theirs, ours, i, n);
  }
  if (i < theirs.length || err !== '') return monitorDiffer(theirs, ours, i, ours.length, err);
  console.log(`${count} command lines, seed ${seed}: rtnl ${[...MONITOR_OPTS, 'monitor', ...objects].join(' ')} printed ip's ${theirs.length} lines, and ${ours.length - theirs.length} of routes dropped without a word`);
  fileRun(objects, file('rtmon.bin'));
}
/**
 * `monitor file` of rtmon's recording of the same changes, by ip and by rtnl in ip's namespace
 * as the changes left it (where both ask for the names the file has not told), without -t/-ts (the time they print is the printing's): the same status, stderr and
 * lines, but for the names of renamed links (byIndexes()).
 */
function fileRun(objects, recording) {
  const words = ['-n', 'fa', ...MONITOR_OPTS.filter((o) => !/^-ts?$/.test(o)), 'monitor', ...objects, 'file', recording];
  const a = run('ip', words);
  const b = run(process.execPath, [resolve(root, 'dist/bin/rtnl.cjs'), ...words]);
  const [theirs, ours] = [a.out.split('\n'), b.out.split('\n')];
  const [theirsByIndex, oursByIndex] = [byIndexes([], theirs), byIndexes([], ours)];
  const n = ours.findIndex((l, i) => l !== theirs[i] && oursByIndex[i] !== theirsByIndex[i]);
  if (a.status !== b.status || a.err !== b.err || theirs.length !== ours.length || n >= 0) {
    const at = n >= 0 ? n : Math.min(theirs.length, ours.length);
    return monitorDiffer(theirs, ours, at, at, `ip monitor file: status ${a.status}, rtnl ${b.status}\nip's stderr:\n${a.err}\nrtnl's:\n${b.err}`);
  }
  console.log(`rtnl ${words.slice(0, -1).join(' ')} printed rtmon's recording (${ours.length} lines) as ip`);
}
/**
 * ip's line as a pattern where it names a link `ifN`: a link ip asked the kernel for once it was
 * gone (ll_index_to_name()); rtnl, having read further by then, may know its name (docs/cli.md).
 */
function askedTooLate(line) {
  return new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\bif\d+\b/g, '[\\w.-]+')}$`);
}
/**
 * Each line with the links' names in it as `#index`: every name a link has had while it lives
 * stands for it, so that ip monitor's lines (whose cache keeps a link's first name until it is
 * deleted: lib/ll_map.c's ll_entry_update() never takes the new one) and rtnl's (a link named as it
 * is now, docs/cli.md) compare. The link lines (`6: x0: <...>`) carry the kernel's name in both.
 */
function byIndexes(before, lines) {
  const index = new Map(); // name -> index
  const swap = (l) => l.replace(/[\w.-]+/g, (w) => (index.has(w) ? `#${index.get(w)}` : w));
  for (const l of before) remember(l);
  return lines.map((l) => {
    const gone = remember(l);
    const out = swap(l);
    if (gone !== undefined) for (const [n, i] of index) if (i === gone) index.delete(n);
    return out;
  });
  /** A link line's name taken for its index; the index of a deleted link, to forget after its line. */
  function remember(l) {
    const m = /^(?:\[[A-Z]+\])?(Deleted )?(\d+): ([^:@ ]+)[:@]/.exec(l); // after `all`'s label too
    if (!m) return undefined;
    index.set(m[3], m[2]);
    return m[1] ? m[2] : undefined;
  }
}
function monitorDiffer(theirs, ours, i, n, err = '') {
  console.log(`seed ${seed}, ${[...MONITOR_OPTS, 'monitor', MONITOR].join(' ')}; the command lines:\n  ${history.join('\n  ')}`);
  console.log(`ip's lines from ${Math.max(0, i - 5)} (${i} differs):\n${theirs.slice(Math.max(0, i - 5), i + 10).join('\n')}\nrtnl's from ${Math.max(0, n - 5)} (${n}):\n${ours.slice(Math.max(0, n - 5), n + 10).join('\n')}\n${err}`);
  process.exit(1);
}
if (MONITOR !== undefined) {
  await monitorRun();
  process.exit(0);
}
let listings = 0;
for (let i = 0; BATCH > 0 && i < count; i++) batchRound(i);
for (let i = 0; BATCH === 0 && i < count; i++) {
  const words = command();
  history.push(words.join(' '));
  if (words.includes('@show')) {
    listing(words.filter((w) => w !== '@show'));
    listings++;
    continue;
  }
  const a = ip('a', words);
  const b = rtnl('b', words);
  const same = sameRun(a, b);
  const [sa, sb] = settled();
  // Both refused, or one did where the other differs on purpose (docs/cli.md), rtnl having changed nothing or the same.
  const deliberate = DELIBERATE.some((d) => d(words, b.err));
  // The two the same, or rtnl refused having changed nothing, or (a documented difference) ip did.
  const unchanged = sa === sb || (b.status !== 0 && sb === before) || (deliberate && a.status !== 0 && b.status === 0 && sa === before);
  if (!same && ((a.status !== 0 && b.status !== 0) || deliberate) && unchanged) {
    const key = `ip ${a.status} ${a.err.split('\n')[0].slice(0, 60)} | rtnl ${b.status} ${b.err.split('\n')[0].slice(0, 60)}`;
    if (!refusals.has(key)) refusals.set(key, words.join(' '));
    if (sa !== sb) {
      restarts.push(words.join(' '));
      before = twins();
    } else before = sa;
    continue;
  }
  before = sa;
  if (!same || sa !== sb) differ(i, a, b, [sa, sb], words);
}
for (const [key, line] of refusals) console.log(`refused in other words: ${key}\n  ${line}`);
for (const line of restarts) console.log(`the twins made alike again after: ${line}`);
console.log(BATCH > 0 ? `${count} batches of up to ${BATCH} lines, seed ${seed}: the same changes made and the same printed; ${refusals.size} kinds of refusal in other words`
  : `${count} command lines, seed ${seed}: the same changes made and ${listings} listings printed alike; ${refusals.size} kinds of refusal in other words`);
