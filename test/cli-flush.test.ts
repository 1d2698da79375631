// rtnl's flush and get commands against iproute2's ip on this kernel: `route flush`, `neigh
// flush`, `neigh get`, `address flush`, `netns pids`, `netns identify`. Each case builds the
// same state with ip in two throwaway namespaces, runs the command through ip in one and
// through rtnl in the other: same stdout, stderr and exit status, and the same state left.
// `route show` with flush's selectors runs both tools in one namespace (sameShow).
import { spawn, spawnSync } from 'node:child_process';
import { readlinkSync, statSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { Test } from 'tap';
import { ip, kernel, scratchNetns } from './helpers/kernel.js';
import { batchFile, IP, ipOut, RTNL, RTNL_BIN, state, withoutNetAdmin, type Json, type Result, type Tool } from './helpers/cli.js';

/** ip's messages with the program's name as rtnl gives it. */
const ipNamed = (s: string): string => s.replace(/"ip help"/g, '"rtnl help"');

// Fixed MACs, IPv6 without DAD: two namespaces built from this are alike. The reachable entry
// stays reachable for an hour, not 15 - 45 s: under load (another file holding the RTNL lock)
// one side's snapshot came after it had gone stale and the other's before. Stale and NOARP
// entries are kept for an hour too: the kernel's periodic GC drops those older than gc_stale_time
// (60 s) once the ARP table, shared by every namespace, holds more than gc_thresh1 (128) entries,
// which this file's 150 namespaces reach; on a loaded machine a case can outlive 60 s, and one
// side lost entries to GC the other still had (seen once, in .ci/run with two mutation runs).
// The IPv6 table fills faster (every link's multicast entries): past gc_thresh2 (512 entries,
// shared too) the kernel's forced GC drops, on the next new entry, any entry not updated for
// 5 s, whatever gc_stale says; 2001:db8::7 went so in a .ci/run beside a mutation run. It is
// extern_learn, which the kernel exempts from GC (and ip's nud filters pass, which rtnl must do too).
// The ARP table's forced GC came too (a .ci/run beside a mutation run: 198.51.100.9, NOARP, and
// the stale entries gone from one side of `neigh flush nud all`): the other entries cannot all be
// extern_learn, or the nud filters would have nothing to tell apart, so sameFlush() builds a case
// again when the kernel's forced GC ran while it differed.
const SETUP = `
link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
link set v0 up
link set v1 up
ntable change name arp_cache dev v0 base_reachable 3600000
ntable change name arp_cache dev v0 gc_stale 3600000
ntable change name arp_cache dev v1 gc_stale 3600000
ntable change name ndisc_cache dev v0 gc_stale 3600000
ntable change name ndisc_cache dev v1 gc_stale 3600000
addr add 192.0.2.1/24 dev v0
addr add 192.0.2.2/24 dev v0
addr add 198.51.100.1/24 dev v0 label v0:1
addr add 198.51.100.2/24 dev v0 label v0:2
addr add 203.0.113.1/24 dev v1
addr add 203.0.113.5 peer 203.0.113.6 dev v1
addr add 2001:db8::1/64 dev v0 nodad
addr add 2001:db8::2/64 dev v0 nodad valid_lft 600 preferred_lft 300
addr add 2001:db8:1::1/64 dev v1 nodad
route add 203.0.113.0/25 via 192.0.2.9
route add 203.0.113.128/25 via 192.0.2.9 proto static metric 7
route add blackhole 198.51.100.128/25
route add 198.51.100.0/24 via 192.0.2.9 table 100
route add 198.51.100.64/26 via 192.0.2.9
route add default via 192.0.2.9
route add 2001:db8:2::/48 via 2001:db8::9
route add 2001:db8:3::/48 via 2001:db8::9 proto static
route add unreachable ::/0 metric 4294967295
neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev v0
neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev v0 nud stale
neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev v0 nud reachable
neigh add 198.51.100.9 lladdr 02:00:00:00:00:0a dev v0 nud noarp
neigh add 203.0.113.9 lladdr 02:00:00:00:00:0c dev v1 nud stale
neigh add 2001:db8::7 lladdr 02:00:00:00:00:0b dev v0 nud stale extern_learn
`;

/** A namespace with SETUP in it. */
function seeded(t: Test): string {
  const ns = scratchNetns(t, 'clf');
  // No DAD: link-local addresses, and their local routes, are there when the links are up.
  // Secondaries promoted when their primary goes: `flush primary` must then stop after one round
  // (ip's), or it would delete the promoted ones too.
  ip(['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv4.conf.default.promote_secondaries=1']);
  ip(['-n', ns, '-batch', '-'], { input: SETUP });
  return ns;
}

/** Byte order of a key: neighbour tables list in hash order, random per table. */
const byKey = (rows: Json[]): Json[] => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** What a flush may change: addresses, every table's routes, neighbours (NOARP ones included). */
async function snapshot(ns: string): Promise<Json> {
  const [s, routes, neighbours] = await Promise.all([
    state(ns), ipOut(['-j', 'route', 'show', 'table', 'all'], ns), ipOut(['-j', 'neigh', 'show', 'nud', 'all'], ns),
  ]);
  // Solicited-node multicast entries (ff02::1:ff..) appear when the kernel gets to them.
  const neigh = (JSON.parse(neighbours) as Json[]).filter((n) => !String(n.dst).startsWith('ff02:'));
  // Lifetimes count down between the two namespaces' snapshots: whether one is finite is kept.
  // (Route `expires` as well.)
  const finite = (k: string, v: unknown): unknown => (k.endsWith('_life_time') ? v === 4294967295 : k === 'expires' ? true : v);
  const addrs = JSON.parse(JSON.stringify(s.addrs), finite) as unknown;
  // Link-local routes come in the order the links came up.
  return { addrs, routes: byKey(JSON.parse(routes, finite) as Json[]), neighbours: byKey(neigh) };
}

/**
 * How many times the kernel's forced neighbour GC has run, ARP and ND tables together. The tables
 * and their GC are shared by every namespace: past gc_thresh2 entries (512, reached when many
 * namespaces, this file's and dying ones, hold entries) a new entry anywhere makes the kernel drop
 * NOARP entries and any not updated for 5 s, in whichever namespace they are, gc_stale or not.
 */
function forcedGcRuns(): number {
  return [...ip(['-s', 'ntable', 'show']).matchAll(/forced_gc_runs (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

/**
 * The command through ip and through rtnl, each on a fresh seeded namespace: the same output and
 * state. When the two differ and the kernel's forced GC ran meanwhile (it may have taken entries
 * from one side only), the case is built and run again, twice at most; a difference of rtnl's own
 * shows every time.
 */
async function sameFlush(t: Test, args: string[], tool: Tool = RTNL, reference: Tool = IP): Promise<Result & { before: Json; after: Json }> {
  const what = args.join(' ');
  for (let attempt = 1; ; attempt++) {
    const gcRuns = forcedGcRuns();
    const [a, b] = await Promise.all([reference, tool].map(async (x) => {
      const ns = seeded(t);
      const before = await snapshot(ns);
      const r = await x.run(['-n', ns, ...args]);
      return { ...r, before, after: await snapshot(ns) };
    }));
    const ours = { before: b.before, status: b.status, stdout: b.stdout, stderr: b.stderr, after: b.after };
    const theirs = { before: a.before, status: a.status, stdout: a.stdout, stderr: ipNamed(a.stderr), after: a.after };
    if (attempt < 3 && !isDeepStrictEqual(ours, theirs) && forcedGcRuns() !== gcRuns) {
      t.comment(`${what}: the two sides differ, and the kernel's forced neighbour GC ran meanwhile: again`);
      continue;
    }
    t.same(ours.before, theirs.before, `${what}: the two namespaces start alike`);
    t.equal(ours.status, theirs.status, `${what}: exit status`);
    t.equal(ours.stdout, theirs.stdout, `${what}: stdout`);
    t.equal(ours.stderr, theirs.stderr, `${what}: stderr`);
    t.same(ours.after, theirs.after, `${what}: state left`);
    return a;
  }
}

/**
 * A listing through ip and through rtnl in one seeded namespace, one after the other: the same
 * output. Not two namespaces: the kernel orders routes of one prefix by when they came, and under
 * load two namespaces built alike got the local table's ff00::/8 routes of v0 and v1 in either
 * order (seen in .ci/run; 44 of 120 namespaces built at once on a busy machine differed).
 */
async function sameShow(t: Test, args: string[]): Promise<void> {
  const ns = seeded(t);
  const what = args.join(' ');
  const theirs = await IP.run(['-n', ns, ...args]);
  const ours = await RTNL.run(['-n', ns, ...args]);
  t.equal(ours.status, theirs.status, `${what}: exit status`);
  t.equal(ours.stdout, theirs.stdout, `${what}: stdout`);
  t.equal(ours.stderr, ipNamed(theirs.stderr), `${what}: stderr`);
}

/**
 * This file makes and removes some 150 namespaces while it runs: it runs in a mount namespace of
 * its own, over an empty /run/netns of its own, so that the files that compare whole `netns
 * list` outputs meanwhile do not see them come and go (nor do they see the other files').
 */
function inOwnRunNetns(): number {
  const script = 'mkdir -p /run/netns && mount -t tmpfs rtnl-flush /run/netns && exec "$@"';
  const args = ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', process.execPath, ...process.execArgv, process.argv[1]];
  const r = spawnSync('unshare', args, { stdio: 'inherit', env: { ...process.env, RTNL_OWN_RUN_NETNS: '1' } });
  return r.status ?? 1;
}

if (kernel.skip === undefined && process.env.RTNL_OWN_RUN_NETNS === undefined) {
  process.exitCode = inOwnRunNetns();
} else {
  const { default: t } = await import('tap');

  t.test('route flush: selectors, -s rounds, cache, errors, as ip', kernel, async (t) => {
    const cases = [
      ['-s', 'route', 'flush', 'dev', 'v0'],
      ['route', 'flush', 'proto', 'static'],
      ['-s', '-s', 'route', 'flush', 'type', 'blackhole'],
      ['route', 'flush', 'root', '198.51.100.0/24'],
      ['-s', 'route', 'flush', 'match', '198.51.100.72/29'],
      ['route', 'flush', 'exact', '203.0.113.0/25'],
      ['route', 'fl', '203.0.113.0/24'],
      ['-s', 'route', 'flush', 'table', 'all', 'type', 'blackhole'],
      ['-6', '-s', 'route', 'flush', '2001:db8:2::/48'],
      ['-6', 'route', 'flush', 'proto', 'static'],
      ['-s', 'route', 'flush', 'table', '100'],
      ['-s', 'route', 'flush', 'scope', 'link'],
      ['-s', 'route', 'flush', 'default'],
      ['-s', 'route', 'flush', 'all'],
      ['-4', '-s', 'route', 'flush', 'all'],
      ['-s', 'route', 'flush', 'metric', '7'],
      ['-s', 'route', 'flush', 'proto', 'static', 'metric', '8'],
      ['-s', 'route', 'flush', 'cache'],
      ['route', 'flush', 'cache'],
      ['-6', '-s', 'route', 'flush', 'cache'],
      // The IPv4 cache, then a dump of every table for IPv6 cached routes: none is not `Nothing to flush.`
      ['-s', 'route', 'flush', 'cache', 'table', 'all'],
      ['-s', 'route', 'flush', 'table', 'all'],
      ['route', 'flush'],
      ['route', 'flush', 'bogus'],
      ['route', 'flush', 'dev', 'nope'],
      ['route', 'flush', 'scope', 'bogus'],
      ['route', 'flush', 'table', 'nope'],
      ['route', 'flush', 'type', 'nope'],
      ['route', 'flush', 'proto'],
    ];
    const results = await Promise.all(cases.map((c) => sameFlush(t, c)));
    // The cases have substance: rounds were counted, something went, bad input failed.
    t.match(results[0].stdout, /\*\*\* Round 1, deleting 6 entries \*\*\*\n\*\*\* Flush is complete after 1 round \*\*\*\n$/);
    t.match(results[2].stdout, /^blackhole 198\.51\.100\.128\/25 \n/);
    t.equal(results.filter((r) => r.status !== 0).length, 7);
    // The program as installed, for one.
    await sameFlush(t, ['-s', 'route', 'flush', 'table', 'main', 'proto', 'boot'], RTNL_BIN);
  });

  t.test('a flush whose deletes the kernel refuses (no CAP_NET_ADMIN) fails as ip does, and deletes nothing', kernel, async (t) => {
    for (const args of [['address', 'flush', 'dev', 'v0'], ['-s', 'route', 'flush', 'dev', 'v0'], ['neigh', 'flush', 'dev', 'v0']]) {
      const r = await sameFlush(t, args, withoutNetAdmin(RTNL_BIN), withoutNetAdmin(IP));
      t.not(r.status, 0, `${args.join(' ')}: failed`);
      t.same(r.before, r.after, `${args.join(' ')}: nothing deleted`);
    }
    // In a -force batch, a failed address flush lets the batch go on; a failed neighbour flush
    // ends it (ip exit()s there), so the last line never runs. Not compared with ip: its next
    // request after a failed flush reads the flush's leftover error acknowledgements as its own
    // answer (`link show dev v0` fails with the deletes' EPERM).
    const file = batchFile(t, ['address flush dev v0', 'link show dev v0', 'neigh flush dev v0', 'link show dev lo']);
    const r = await withoutNetAdmin(RTNL_BIN).run(['-n', seeded(t), '-force', '-batch', file]);
    const failed = 'Failed to send flush request: Operation not permitted\n';
    t.same([r.status, r.stderr], [1, `${failed}Command failed ${file}:1\n${failed}`]);
    t.match(r.stdout, /^\d+: v0@v1: [^\n]+\n[^\n]+\n$/, 'the line after the failed address flush ran, the one after the neighbour flush did not');
  });

  t.test('route show: the selectors of flush, and ip leaves out the fields they fix', kernel, async (t) => {
    const cases = [
      ['route', 'show', 'dev', 'v0'],
      ['route', 'show', 'oif', 'v1'],
      ['-6', 'route', 'show'], // with the unreachable default of metric 2^32-1, which flush leaves
      ['route', 'show', 'proto', 'static'],
      ['route', 'show', 'proto', 'all'],
      ['route', 'show', 'scope', 'link'],
      ['route', 'show', 'metric', '7'],
      ['route', 'show', 'table', '100'],
      ['-d', 'route', 'show', 'table', 'all', 'dev', 'v0'],
      ['route', 'show', 'type', 'blackhole'],
      ['route', 'show', 'root', '198.51.100.0/24'],
      ['route', 'show', 'root', '198.51.100.0/25'], // not 198.51.100.0/24, whose first 25 bits are the root's
      ['route', 'show', 'table', 'all', 'root', '::/0'], // IPv6 routes only: a root has a family
      ['route', 'show', 'match', '198.51.100.72/29'],
      // root and match each set their side, a prefix alone both: the last word of a side counts, the other side kept.
      ['route', 'show', 'match', '198.51.100.72/29', 'root', '198.51.100.0/24'],
      ['route', 'show', 'root', '198.51.100.0/24', 'match', '198.51.100.72/29'],
      ['route', 'show', 'default', 'root', 'default'],
      ['route', 'show', 'table', 'all', 'exact', '198.51.100.0/24', 'match', '198.51.100.1'],
      ['-6', 'route', 'show', 'dev', 'v0', 'proto', 'static'],
      ['route', 'show', 'help'],
      ['route', 'show', 'dev', 'nope'],
    ];
    for (const args of cases) {
      await sameShow(t, args);
      await sameShow(t, ['-j', ...args]);
    }
  });

  t.test('neigh flush and neigh get: selectors, permanent and noarp kept unless asked, errors, as ip', kernel, async (t) => {
    const cases = [
      ['-s', 'neigh', 'flush', 'dev', 'v0'],
      ['neigh', 'flush', 'dev', 'v0', 'nud', 'noarp'],
      ['-s', 'neigh', 'flush', 'nud', 'permanent'],
      ['-s', 'neigh', 'flush', 'nud', 'stale', 'nud', 'reachable'],
      ['-s', 'neigh', 'flush', 'all'],
      ['-s', 'neigh', 'flush', 'nud', 'all'],
      ['-6', '-s', 'neigh', 'flush', 'all'],
      ['-s', 'neigh', 'flush', '192.0.2.0/24'],
      ['neigh', 'flush', 'to', '192.0.2.8', 'dev', 'v0'],
      ['-s', 'neigh', 'flush', 'dev', 'v1', 'nud', 'reachable'],
      ['neigh', 'flush'],
      ['neigh', 'flush', 'dev', 'nosuch'],
      ['neigh', 'flush', 'foo'],
      ['neigh', 'flush', 'nud', 'bogus'],
      ['neigh', 'show', '192.0.2.0/24', 'nud', 'stale'],
      ['neigh', 'show', 'nud', 'permanent'],
      ['neigh', 'get', '192.0.2.7', 'dev', 'v0'],
      ['neigh', 'get', '2001:db8::7', 'dev', 'v0'],
      ['neigh', 'get', 'to', '198.51.100.9', 'dev', 'v0'],
      ['neigh', 'get', '192.0.2.77', 'dev', 'v0'],
      ['neigh', 'get', '192.0.2.7'],
      ['neigh', 'get', '192.0.2.7', 'dev', 'nosuch'],
      ['neigh', 'get', 'foo', 'dev', 'v0'],
      ['neigh', 'get', '192.0.2.7', '192.0.2.8', 'dev', 'v0'],
    ];
    const results = await Promise.all(cases.map((c) => sameFlush(t, c)));
    t.match(results[0].stdout, /deleting 3 entries/, 'permanent and noarp entries were spared');
    // An extern_learn entry passes every nud filter, in ip as in rtnl.
    t.match(results[2].stdout, /deleting 2 entries/, 'the permanent one, when asked, and the extern_learn one');
    t.equal(results[16].stdout, '192.0.2.7 dev v0 lladdr 02:00:00:00:00:07 PERMANENT \n');
    t.match(results[15].stdout, /2001:db8::7 dev v0 lladdr 02:00:00:00:00:0b extern_learn STALE/, 'shown by nud permanent: extern_learn');
    t.equal(results.filter((r) => r.status !== 0).length, 9);
    await sameFlush(t, ['-s', 'neigh', 'flush', 'dev', 'v0', 'nud', 'all'], RTNL_BIN);
  });

  t.test('address flush: link, prefix, scope, label pattern, flags, families, as ip', kernel, async (t) => {
    const cases = [
      ['-s', 'addr', 'flush', 'dev', 'v0'],
      ['-s', 'addr', 'flush', 'v1'],
      ['-s', '-s', 'addr', 'flush', 'dev', 'v1'],
      ['-s', 'addr', 'flush', 'label', 'v0:*'],
      ['-s', 'addr', 'flush', 'label', 'v0:[2-9]'],
      ['-4', '-s', 'addr', 'flush', 'dev', 'v0', 'primary'],
      ['-s', 'addr', 'flush', 'secondary'],
      ['-6', '-s', 'addr', 'flush', 'dev', 'v0'],
      ['-s', 'addr', 'flush', 'dynamic'],
      ['-s', 'addr', 'flush', '-permanent', 'dev', 'v0'],
      ['-s', 'addr', 'flush', 'permanent', 'scope', 'global'],
      ['-s', 'addr', 'flush', 'to', '198.51.100.0/24'],
      ['-s', 'addr', 'flush', 'to', '2001:db8::/32'],
      ['-s', 'addr', 'flush', 'scope', 'host'],
      ['addr', 'flush', 'scope', 'link', 'dev', 'v0'],
      ['addr', 'flush'],
      ['addr', 'flush', 'dev', 'nosuch'],
      ['addr', 'flush', 'nosuch'],
      ['-0', 'addr', 'flush', 'dev', 'v0'],
      ['addr', 'flush', 'scope', 'bogus'],
      ['addr', 'flush', 'dev', 'v0', 'dev', 'v1'],
    ];
    const results = await Promise.all(cases.map((c) => sameFlush(t, c)));
    t.match(results[0].stdout, /deleting 7 addresses/);
    t.match(results[2].stdout, /^\d+: v1    inet 203\.0\.113\.1\/24 scope global v1\n/);
    t.match(results[8].stdout, /deleting 1 addresses/, 'the one with a lifetime');
    t.match(JSON.stringify(results[10].before), /"local":"203\.0\.113\.5","address":"203\.0\.113\.6"/);
    t.notMatch(JSON.stringify(results[10].after), /203\.0\.113\.5/, 'a point-to-point address flushed: the kernel matches its peer too');
    t.match(JSON.stringify(results[5].after), /"local":"192\.0\.2\.2"/, 'primary: one round, the promoted secondary stays');
    t.equal(results.filter((r) => r.status !== 0).length, 6);
    await sameFlush(t, ['-s', 'address', 'flush', 'to', '192.0.2.0/24'], RTNL_BIN);
  });

  t.test('address add with a label that does not begin with the link\'s name: taken, as ip 6.1 takes it', kernel, async (t) => {
    const r = await sameFlush(t, ['address', 'add', '192.0.2.77/24', 'dev', 'v1', 'label', 'other']);
    t.equal(r.status, 0);
  });

  t.test('netns pids and netns identify print what ip prints', kernel, async (t) => {
    const ns = scratchNetns(t, 'clp');
    const child = spawn('ip', ['netns', 'exec', ns, 'sleep', '60'], { stdio: 'ignore' });
    t.teardown(() => { child.kill(); });
    const pid = String(child.pid);
    const want = `net:[${statSync(`/run/netns/${ns}`).ino}]`;
    for (let i = 0; i < 200 && readlinkSync(`/proc/${pid}/ns/net`) !== want; i++) await new Promise((r) => setTimeout(r, 10));
    const cases = [
      ['netns', 'pids', ns], ['netns', 'identify', pid], ['netns', 'identify'], ['netns', 'pids'], ['netns', 'pids', ns, 'x'],
      ['netns', 'pids', 'no-such-ns'], ['netns', 'pids', '../x'], ['netns', 'identify', 'abc'], ['netns', 'identify', '4194305'],
      ['netns', 'identify', '1', '2'],
    ];
    for (const args of cases) {
      const [a, b] = await Promise.all([IP.run(args), RTNL_BIN.run(args)]);
      t.same(b, a, args.join(' '));
    }
    t.equal((await IP.run(['netns', 'pids', ns])).stdout, `${pid}\n`, 'the process inside, alone');
    t.equal((await RTNL.run(['netns', 'identify', pid])).stdout, `${ns}\n`, 'its namespace by name (in this process too)');
  });
}
