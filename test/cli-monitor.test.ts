// `rtnl monitor` against `ip monitor` on the same changes in a throwaway namespace: the same
// lines (text, with `all`'s labels, -t and -ts), one JSON object a line with -j, and a clean
// exit on SIGINT and SIGTERM; an overflow told on stderr. Both run as processes and are
// started, and seen to have joined their groups, before anything changes.
import t, { type Test } from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { batchFile, BIN, laterNetns } from './helpers/cli.js';
import { advertise, everyFamilyChanges, ip, kernel, noDad, router, scratchNetns, setSysctl } from './helpers/kernel.js';
import { joined, watch, type Watcher } from './helpers/watch.js';

/**
 * Without the kernel's own housekeeping of p0 and p1's IPv6 multicast neighbours (NOARP entries
 * it drops by timer; -br prints neither `dev` nor NOARP): it can fall between the moments the two
 * monitors join, seen by one only.
 */
const ours = (s: string): string => s.split('\n').filter((l) => !(/NOARP/.test(l) && / dev p[01] /.test(l)) && !/^(Deleted )?ff02::\S+ +p[01] /.test(l)).join('\n');

/** How many events a monitor's output holds: the lines that do not continue another (text) or JSON lines. */
const starts = (s: string): number => s.split('\n').filter((l) => l !== '' && !/^\s/.test(l) && !l.startsWith('Timestamp:')).length;

/** What a test changes while both watch: in `ns`, `other` a second namespace; `monitors` ip's and rtnl's. */
type Changes = (ns: string, other: string, monitors: Watcher[]) => void | Promise<void>;

/**
 * Runs ip and rtnl with the same words, makes the changes, stops both with SIGINT. `before` runs
 * before the two start.
 */
async function both(t: Test, words: string[], changes: Changes = (ns, other) => everyFamilyChanges(ns, other, true), before?: Changes): Promise<{ ip: string; rtnl: Watcher }> {
  const ns = scratchNetns(t, 'cmo');
  const other = scratchNetns(t, 'cmx');
  // No duplicate address detection: a link-local address would otherwise be announced a second
  // or so after its link came up, whenever DAD ends, and that can fall between the two monitors' starts.
  noDad(ns);
  ip(['link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'], { netns: ns });
  ip(['link', 'set', 'p0', 'up'], { netns: ns });
  ip(['link', 'set', 'p1', 'up'], { netns: ns });
  // The kernel's own housekeeping of the new links (IPv6 multicast neighbours made and dropped)
  // settles first: a notification of it racing a monitor's start is seen by one and not the other.
  await new Promise((r) => setTimeout(r, 500));
  await before?.(ns, other, []);
  const theirs = watch('ip', ['-n', ns, ...words], t);
  const ours = watch(BIN, ['-n', ns, ...words], t);
  await joined(ns, theirs, ours);
  await new Promise((r) => setTimeout(r, 200)); // rtnl's first dump (a baseline) meanwhile
  // The route is deleted before its link: the kernel drops a deleted link's routes without a word (rtnl tells it; see the last test).
  await changes(ns, other, [theirs, ours]);
  // Both have seen the last change when the last line ip prints has come from both.
  // Done when ip has printed nothing new for a while and rtnl has printed as many lines.
  let last = '';
  let still = 0;
  for (let i = 0; i < 200 && still < 4; i++) {
    await new Promise((r) => setTimeout(r, 25));
    const now = theirs.out();
    still = now === last && now !== '' && starts(ours.out()) >= starts(now) ? still + 1 : 0;
    last = now;
  }
  await new Promise((r) => setTimeout(r, 100));
  theirs.child.kill('SIGINT');
  ours.child.kill('SIGINT');
  await theirs.exited;
  t.equal(await ours.exited, 0, 'rtnl exits 0 on SIGINT');
  t.equal(ours.err(), '', 'and says nothing on stderr (no stack trace)');
  return { ip: theirs.out(), rtnl: ours };
}

for (const words of [['monitor'], ['monitor', 'all'], ['monitor', 'link', 'address', 'route', 'neigh', 'nsid'], ['monitor', 'route'], ['monitor', 'netconf'],
  ['-c', 'monitor', 'link', 'address'], ['-N', 'monitor', 'route'], ['-s', 'monitor', 'neigh'], ['-br', 'monitor'], ['-br', '-s', 'monitor', 'neigh', 'address'],
  // `l` abbreviates label, not link, in ip 6.1: every object, labelled.
  ['monitor', 'l'], ['monitor', 'label', 'link', 'rou'],
  // Counter sets switched (l3_stats): every link's, under `dev` too, as ip prints them. With links:
  // RTNLGRP_STATS (36) alone is past the 32 groups /proc/net/netlink shows, where joined() looks.
  ['monitor', 'stats', 'link'], ['-o', 'monitor', 'stats', 'link', 'dev', 'p1'], ['monitor', 'label', 'stats', 'address'],
  // What `dev` leaves out leaves its label behind, before the next line, as ip prints it; what
  // ip never hears (-0: no address or route group joined) leaves nothing.
  ['monitor', 'label', 'dev', 'p1'], ['-0', 'monitor', 'label']]) {
  t.test(`rtnl ${words.join(' ')} prints what ip prints`, kernel, async (t) => {
    const r = await both(t, words);
    t.equal(ours(r.rtnl.out()), ours(r.ip));
    t.ok(r.rtnl.out().split(/\n|\\/).length > 3, 'and printed something (-o\'s line breaks are backslashes)');
  });
}

/** One change of each kind in each address family, a bridge port and a forwarding entry, then undone. */
const bothFamilies: Changes = (ns) => {
  const run = (line: string): void => { execFileSync('sh', ['-c', line.replaceAll('NS', ns)]); };
  for (const line of `
    ip -n NS link add br0 type bridge
    ip -n NS link add v0 type veth peer name v1
    ip -n NS link set v0 master br0
    ip -n NS link set br0 up
    ip -n NS link set v0 up
    bridge -n NS fdb add 02:00:00:00:00:09 dev v0 master static
    ip -n NS address add 192.0.2.10/24 dev p0
    ip -n NS address add 2001:db8::10/64 dev p0 nodad
    ip -n NS route add 198.51.100.0/24 via 192.0.2.1
    ip -n NS route add 2001:db8:5::/64 via 2001:db8::1
    ip -n NS neigh add 192.0.2.20 lladdr 02:00:00:00:00:20 dev p0
    ip -n NS neigh add 2001:db8::20 lladdr 02:00:00:00:00:21 dev p0
    ip -n NS rule add pref 100 from 192.0.2.0/24 table 5
    ip -n NS -6 rule add pref 100 from 2001:db8::/64 table 5
    ip -n NS nexthop add id 1 via 192.0.2.1 dev p0
    ip -n NS nexthop add id 2 via 2001:db8::1 dev p0
    ip netns exec NS sysctl -qw net.ipv4.conf.p0.forwarding=1 net.ipv6.conf.p0.forwarding=1
    ip -n NS nexthop flush
    ip -n NS rule del pref 100 from 192.0.2.0/24 table 5
    ip -n NS -6 rule del pref 100 from 2001:db8::/64 table 5
    ip -n NS neigh del 2001:db8::20 dev p0
    ip -n NS neigh del 192.0.2.20 dev p0
    ip -n NS route del 2001:db8:5::/64
    ip -n NS route del 198.51.100.0/24
    ip -n NS address del 2001:db8::10/64 dev p0
    ip -n NS address del 192.0.2.10/24 dev p0
    bridge -n NS fdb del 02:00:00:00:00:09 dev v0 master
    ip -n NS link del br0
  `.trim().split('\n')) run(line.trim());
};

t.test('rtnl monitor dev p0 prints what ip prints: p0\'s lines, addresses, routes out of it, neighbours and settings, every rule and nexthop', kernel, async (t) => {
  const r = await both(t, ['monitor', 'dev', 'p0'], bothFamilies);
  t.equal(ours(r.rtnl.out()), ours(r.ip));
  t.match(r.rtnl.out(), /^198\.51\.100\.0\/24 via 192\.0\.2\.1 $/m, 'a route, its link not named');
  t.notMatch(r.rtnl.out(), /br0|v0/, 'nothing of the other links');
});

for (const family of ['-4', '-6', '-0']) {
  t.test(`rtnl ${family} monitor prints what ip ${family} monitor prints: that family's objects, and links, ports, nexthops whatever theirs`, kernel, async (t) => {
    const r = await both(t, [family, 'monitor'], bothFamilies);
    t.equal(ours(r.rtnl.out()), ours(r.ip));
    t.match(r.rtnl.out(), /br0/, 'and printed something');
  });
}

/** Advertisements from a router of ns's (made before the monitors start), after `advertised`. */
async function prefixes(t: Test, words: string[], advertised: Array<[prefix: string, flags: number]>): Promise<{ ip: string; rtnl: Watcher }> {
  let r = '';
  return both(t, words, () => { for (const [prefix, flags] of advertised) advertise(r, prefix, { flags }); }, (ns) => { r = router(t, ns); });
}

for (const words of [['monitor', 'prefix'], ['monitor', 'all'], ['-6', 'monitor'], ['-4', 'monitor']]) {
  t.test(`rtnl ${words.join(' ')} prints the prefixes of router advertisements as ip does`, kernel, async (t) => {
    // Flags ip 6.1 and rtnl read alike: none, and the bits kernels before 6.8 gave L and A.
    const r = await prefixes(t, words, [['2001:db8:1::', 0], ['2001:db8:3::', 0x03]]);
    t.equal(ours(r.rtnl.out()), ours(r.ip));
    if (words[0] === '-4') t.notMatch(r.ip, /prefix/, 'none under -4');
    else t.match(r.rtnl.out(), /prefix 2001:db8:3::\/64dev ra0 onlink autoconf valid 3600 preferred 1800 \n/, 'and printed them');
  });
}

t.test('a prefix names its link as it was when the kernel told it, as ip does', kernel, async (t) => {
  let r = '';
  const out = await both(t, ['monitor', 'prefix'], (ns, _other, monitors) => {
    // Stopped meanwhile: each monitor reads the prefix and the rename in one go.
    for (const m of monitors) m.child.kill('SIGSTOP');
    advertise(r, '2001:db8:5::', { flags: 0 });
    ip(['link', 'set', 'ra0', 'down'], { netns: ns });
    ip(['link', 'set', 'ra0', 'name', 'rb0'], { netns: ns });
    for (const m of monitors) m.child.kill('SIGCONT');
  }, (ns) => { r = router(t, ns); });
  t.equal(out.ip, 'prefix 2001:db8:5::/64dev ra0 valid 3600 preferred 1800 \n');
  t.equal(out.rtnl.out(), out.ip);
});

t.test('a prefix\'s L and A as this kernel tells them: printed by rtnl, missed by ip 6.1; -j one object a line', kernel, async (t) => {
  const text = await prefixes(t, ['monitor', 'prefix'], [['2001:db8:2::', 0xc0]]);
  t.equal(text.ip, 'prefix 2001:db8:2::/64dev ra0 valid 3600 preferred 1800 \n');
  t.equal(text.rtnl.out(), 'prefix 2001:db8:2::/64dev ra0 onlink autoconf valid 3600 preferred 1800 \n');
  const json = await prefixes(t, ['-j', 'monitor', 'prefix'], [['2001:db8:4::', 0xf0]]);
  t.equal(json.ip, 'prefix 2001:db8:4::/64dev ra0 valid 3600 preferred 1800 \n', 'ip prints its text under -j');
  t.same(JSON.parse(json.rtnl.out()), { event: 'new', object: 'prefix', prefix: '2001:db8:4::/64', dev: 'ra0', flags: ['onlink', 'autoconf', 'routeraddr', 'preferpd'], valid: 3600, preferred: 1800 });
});

t.test('-t and -ts: the same lines with ip\'s timestamps', kernel, async (t) => {
  for (const opt of ['-t', '-ts']) {
    const r = await both(t, [opt, 'monitor', 'link']);
    // ctime()'s day: ` 4`, never `04`.
    const stamp = opt === '-t' ? /^Timestamp: \w{3} \w{3} ( [1-9]|[12]\d|3[01]) \d\d:\d\d:\d\d \d{4} \d{1,6} usec$/gm : /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\] /gm;
    t.match(r.rtnl.out(), stamp, `${opt}: timestamps as ip writes them`);
    t.equal(ours(r.rtnl.out()).replace(stamp, 'STAMP'), ours(r.ip).replace(stamp, 'STAMP'), `${opt}: the same lines`);
    // The stamps tell the time: within a minute of now, and not all on a whole millisecond.
    const stamps = [...r.rtnl.out().matchAll(stamp)].map((m) => m[0]);
    const when = (s: string): number => opt === '-t'
      ? Date.parse(s.replace(/^Timestamp: \w{3} (\w{3}) +(\d+) (\S+) (\d{4}) \d+ usec$/, '$1 $2 $4 $3'))
      : Date.parse(s.slice(1, 20));
    t.ok(stamps.every((s) => Math.abs(when(s) - Date.now()) < 60_000), `${opt}: the time is now`);
    t.ok(stamps.some((s) => !/\D0{1,6}( usec|\] )$/.test(s)), `${opt}: microseconds counted`);
    if (opt === '-ts') t.same(stamps, [...stamps].sort(), '-ts: the time goes forward');
  }
});

/**
 * all-nsid: `other` numbered 5 here, its first indexes used up (made and deleted) so that none of
 * its links has an index a link here has: ip names another namespace's links from the one cache
 * (the next test shows what it prints when they share one).
 */
const numbered: Changes = (ns, other) => {
  ip(['netns', 'set', other, '5'], { netns: ns });
  for (let i = 0; i < 2; i++) {
    ip(['link', 'add', 'z0', 'type', 'veth', 'peer', 'name', 'z1'], { netns: other });
    ip(['link', 'del', 'z0'], { netns: other });
  }
};
/** Changes in the numbered namespace and here, and in one with no id here (unheard). */
const peerChanges = (unnumbered: string): Changes => (ns, other) => {
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: other });
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'v0'], { netns: other });
  ip(['link', 'set', 'v0', 'up'], { netns: other });
  ip(['neigh', 'add', '192.0.2.2', 'lladdr', '02:00:00:00:00:02', 'dev', 'v0'], { netns: other });
  ip(['link', 'add', 'u0', 'type', 'veth', 'peer', 'name', 'u1'], { netns: unnumbered });
  ip(['link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'a1'], { netns: ns });
  ip(['address', 'add', '203.0.113.1/24', 'dev', 'a0'], { netns: ns });
  ip(['link', 'del', 'v0'], { netns: other });
};

for (const words of [['monitor', 'all-nsid', 'link', 'address', 'route', 'neigh'], ['-ts', 'monitor', 'label', 'all-nsid', 'link', 'addr'], ['-o', 'monitor', 'al', 'l', 'link', 'route']]) {
  t.test(`rtnl ${words.join(' ')}: the numbered namespace's changes after [nsid 5], this one's after [nsid current], as ip`, kernel, async (t) => {
    const r = await both(t, words, peerChanges(scratchNetns(t, 'cmu')), numbered);
    const stamp = /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\] /gm;
    t.equal(ours(r.rtnl.out()).replace(stamp, ''), ours(r.ip).replace(stamp, ''));
    t.match(r.rtnl.out(), /^(\S+ )?\[nsid 5\](\[LINK\])?\d+: v0@v1: /m, 'the peer\'s link, its parent named');
    t.match(r.rtnl.out(), /^(\S+ )?\[nsid current\](\[LINK\])?\d+: a0@a1: /m, 'this namespace\'s');
    t.notMatch(r.rtnl.out(), /u[01]/, 'nothing of the namespace with no id here');
  });
}

t.test('all-nsid where another namespace\'s links share indexes with this one\'s: rtnl names each from its namespace, ip from one cache', kernel, async (t) => {
  // Netconf settings come before their link: ip asks this namespace the name of an index it has
  // not met, rtnl the namespace the settings are of.
  const r = await both(t, ['monitor', 'all-nsid', 'link', 'address', 'netconf'], peerChanges(scratchNetns(t, 'cmu')), (ns, other) => {
    ip(['netns', 'set', other, '5'], { netns: ns });
  });
  // p0 and p1 here, v0 and v1 there, have the same indexes: ip names the peer's links as these.
  const out = r.rtnl.out();
  t.match(out, /^\[nsid 5\]\d+: v0@v1: /m, 'the peer\'s v0 on its v1');
  t.match(r.ip, /^\[nsid 5\]\d+: v0@p1: /m, 'where ip takes the link of that index here');
  t.match(out, /^\[nsid 5\]\d+: v0 +inet 192\.0\.2\.1\/24 scope global v0\n/m, 'v0\'s address on v0');
  t.match(r.ip, /^\[nsid 5\]\d+: p0 +inet 192\.0\.2\.1\/24 scope global v0\n/m, 'ip: on p0');
  t.match(out, /^\[nsid 5\]inet v1 forwarding off /m, 'the peer\'s netconf settings named as there');
  t.match(r.ip, /^\[nsid 5\]inet p1 forwarding off /m, 'ip: as here');
  // A link here on p1, after the peer's v1 (down, at p1's index) was told: its parent's flags are
  // p1's (up): no M-DOWN.
  const flags = await both(t, ['monitor', 'all-nsid', 'link'], (ns, other) => {
    ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: other });
    ip(['link', 'add', 'link', 'p1', 'name', 'mv9', 'type', 'macvlan'], { netns: ns });
  }, (ns, other) => { ip(['netns', 'set', other, '5'], { netns: ns }); });
  const mv9 = /^\[nsid current\]\d+: mv9@p1: <BROADCAST,MULTICAST> .*\n/m;
  t.match(flags.rtnl.out(), mv9, 'a parent here by its flags here');
  t.equal(flags.rtnl.out().match(mv9)?.[0], flags.ip.match(mv9)?.[0], 'as ip prints it');
  // p1's change (mv9 made on it) is p1@p0, p0 up: no M-DOWN, though the peer's v0 (down) has p0's
  // index; ip takes v0's flags for p0's (its cache keeps the names it has, not the flags).
  t.match(flags.rtnl.out(), /^\[nsid current\]\d+: p1@p0: <BROADCAST,MULTICAST,UP,LOWER_UP> /m, 'a parent by its own flags, not those of a link of its index there');
  t.match(flags.ip, /^\[nsid current\]\d+: p1@p0: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> /m, 'ip: M-DOWN');
  // A link of the peer made before the monitors started: neither has heard of it. rtnl asks the
  // peer its name, ip this namespace (where p0 has its index).
  const before = await both(t, ['monitor', 'all-nsid', 'address'], (_ns, other) => {
    ip(['address', 'add', '192.0.2.9/24', 'dev', 'e0'], { netns: other });
  }, (ns, other) => {
    ip(['netns', 'set', other, '5'], { netns: ns });
    ip(['link', 'add', 'e0', 'type', 'veth', 'peer', 'name', 'e1'], { netns: other });
  });
  t.match(before.rtnl.out(), /^\[nsid 5\]3: e0 +inet 192\.0\.2\.9\/24 scope global e0\n/m, 'a link unheard of named by asking the peer');
  t.match(before.ip, /^\[nsid 5\]3: p0 +inet 192\.0\.2\.9\/24 scope global e0\n/m, 'ip: by asking here');
  const under = await both(t, ['monitor', 'all-nsid', 'dev', 'p0'], (ns, other) => {
    ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: other }); // v0 takes p0's index there
    ip(['address', 'add', '192.0.2.5/24', 'dev', 'p0'], { netns: ns });
  }, (ns, other) => { ip(['netns', 'set', other, '5'], { netns: ns }); });
  // ip prints a message's headers before its filter drops it: `[nsid 5]` strays before the next line.
  t.match(under.ip, /^\[nsid 5\]\d+: v0@p1: /m, 'under dev p0, ip prints the other namespace\'s link of p0\'s index');
  // ip's lines without the other namespace's (each with the lines that continue it).
  let dropping = false;
  const here = (s: string): string => ours(s.split('\n').filter((l) => !(dropping = /^\[nsid 5\]/.test(l) || (dropping && /^\s/.test(l)))).join('\n'));
  t.notMatch(under.rtnl.out(), /\[nsid 5\]/, 'rtnl nothing of that namespace: no link of it is p0');
  t.match(under.rtnl.out(), /^\[nsid current\]\d+: p0 +inet 192\.0\.2\.5\/24 /m, 'and p0\'s address');
  t.equal(ours(under.rtnl.out()), here(under.ip), 'the rest as ip');
});

t.test('-j monitor all-nsid: another namespace\'s events carry peer_nsid', kernel, async (t) => {
  const r = await both(t, ['-j', 'monitor', 'all-nsid', 'link', 'address'], peerChanges(scratchNetns(t, 'cmu')), numbered);
  const events = r.rtnl.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const of = (name: string): Record<string, unknown> | undefined => events.find((e) => e.object === 'link' && e.ifname === name);
  t.equal(of('v0')?.peer_nsid, 5, 'the peer\'s link');
  t.equal(of('v0')?.link, 'v1', 'named from there');
  t.ok(of('a0') && !('peer_nsid' in (of('a0') as object)), 'this namespace\'s without');
  t.same(events.filter((e) => e.object === 'address').map((e) => [e.event, e.dev, e.peer_nsid]), [['new', 'v0', 5], ['new', 'a0', undefined], ['del', 'v0', 5]]);
});

t.test('-j -ts monitor all and -j -p monitor: one JSON object a line, the time a field, no labels', kernel, async (t) => {
  for (const words of [['-j', '-ts', 'monitor', 'all'], ['-j', '-p', 'monitor', 'link']]) {
    const r = await both(t, words);
    const lines = r.rtnl.out().trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    t.ok(events.length > 3, `${words.join(' ')}: events`);
    t.ok(events.every((e) => e.via === undefined), 'none found by a dump');
    if (words.includes('-ts')) t.ok(events.every((e) => typeof e.timestamp === 'string'), 'each with its time');
  }
});

t.test('a link whose peer is in a namespace named before the monitor began: link-netns NAME; an nsid deleted; routes dropped with their link', kernel, async (t) => {
  const third = laterNetns(t, 'cmn');
  const r = await both(t, ['monitor'], async (ns, other) => {
    ip(['link', 'add', 'v9', 'type', 'veth', 'peer', 'name', 'v9p', 'netns', other], { netns: ns });
    ip(['link', 'add', 'link', 'p0', 'name', 'mv2', 'type', 'macvlan'], { netns: ns });
    ip(['link', 'set', 'mv2', 'up'], { netns: ns });
    ip(['address', 'add', '192.0.2.10/24', 'dev', 'mv2'], { netns: ns });
    ip(['netns', 'add', third]);
    ip(['netns', 'set', third, '8'], { netns: ns });
    ip(['link', 'del', 'mv2'], { netns: ns });
    ip(['netns', 'del', third]);
    // The nsid goes when the namespace is destroyed, some time after: then its deletion has been told.
    for (let i = 0; i < 400 && /^nsid 8 /m.test(ip(['netns', 'list-id'], { netns: ns })); i++) await new Promise((w) => setTimeout(w, 25));
  }, (ns, other) => { ip(['netns', 'set', other, '9'], { netns: ns }); });
  const out = r.rtnl.out();
  t.match(out, / link-netns cmx\w+\n/, 'the peer\'s namespace by its name');
  t.match(out, `Deleted nsid 8 (iproute2 netns name: ${third})`);
  // The IPv4 routes the kernel drops with the link without a word: rtnl tells them, naming the link gone.
  const told = ['Deleted 192.0.2.0/24 dev mv2 proto kernel scope link src 192.0.2.10 \n',
    'Deleted broadcast 192.0.2.255 dev mv2 table local proto kernel scope link src 192.0.2.10 \n'];
  for (const line of told) t.ok(out.includes(line), line.trim());
  t.equal(ours(told.reduce((o, line) => o.replace(line, ''), out)), ours(r.ip));
});

t.test('links are named as they were when the kernel told of them; a renamed link by its new name (ip: its first)', kernel, async (t) => {
  // Deleting v1 deletes its peer v0 and the macvlan on v0; the kernel tells v1, mv3, then v0: mv3
  // is `mv3@v0` as ip prints it, though v0 is gone by the time rtnl prints it. The address added
  // before mv4 is renamed is on mv4; the kernel tells it again, relabelled, after the rename.
  const r = await both(t, ['monitor', 'link', 'address', 'route'], (ns, _other, monitors) => {
    ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
    ip(['link', 'add', 'link', 'v0', 'name', 'mv3', 'type', 'macvlan'], { netns: ns });
    // The monitors stopped meanwhile: each then reads the three in one go, as a busy one does.
    for (const m of monitors) m.child.kill('SIGSTOP');
    ip(['link', 'del', 'v1'], { netns: ns });
    for (const m of monitors) m.child.kill('SIGCONT');
    ip(['link', 'add', 'link', 'p0', 'name', 'mv4', 'up', 'type', 'macvlan'], { netns: ns });
    ip(['address', 'add', '192.0.2.10/24', 'dev', 'mv4'], { netns: ns });
    ip(['link', 'set', 'mv4', 'down'], { netns: ns });
    ip(['link', 'set', 'mv4', 'name', 'mv5'], { netns: ns });
  });
  const out = r.rtnl.out();
  t.match(out, /^Deleted \d+: mv3@v0: /m, 'the parent by its name');
  t.match(out, /^\d+: mv4 +inet 192\.0\.2\.10\/24 scope global mv4\n/m, 'the address as told before the rename');
  // ip's cache of names keeps a renamed link's first name (lib/ll_map.c ll_entry_update()).
  const relabelled = /^(\d+): mv[45]( +inet 192\.0\.2\.10\/24 scope global mv5)\n/m;
  t.match(out, /^\d+: mv5 +inet 192\.0\.2\.10\/24 scope global mv5\n/m, 'and after, by the new name');
  t.match(r.ip, /^\d+: mv4 +inet 192\.0\.2\.10\/24 scope global mv5\n/m, 'where ip prints the first');
  const same = (s: string): string => ours(s.replace(relabelled, '$1: mv5$2\n').split('\n').filter((l) => !/^Deleted .*192\.0\.2\./.test(l)).join('\n'));
  t.equal(same(out), same(r.ip), 'the rest as ip prints it (but the routes dropped without a word)');
});

t.test('bridge FDB entries: ip monitor neigh prints them as neighbours, and so does rtnl', kernel, async (t) => {
  const bridge = (ns: string, words: string[]): void => { execFileSync('bridge', ['-n', ns, 'fdb', ...words]); };
  const r = await both(t, ['monitor', 'neigh'], (ns) => {
    ip(['link', 'add', 'br0', 'type', 'bridge'], { netns: ns });
    ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
    ip(['link', 'set', 'v0', 'master', 'br0'], { netns: ns });
    ip(['link', 'set', 'v0', 'type', 'bridge_slave', 'learning', 'off'], { netns: ns });
    // A port that is down takes no entry but a permanent one (EPERM).
    for (const l of ['br0', 'v0', 'v1']) ip(['link', 'set', l, 'up'], { netns: ns });
    ip(['link', 'add', 'link', 'p0', 'name', 'mv0', 'type', 'macvlan', 'mode', 'bridge'], { netns: ns });
    ip(['link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789'], { netns: ns });
    bridge(ns, ['add', '02:00:00:00:00:01', 'dev', 'v0', 'master', 'static']);
    bridge(ns, ['add', '01:00:5e:00:00:fb', 'dev', 'mv0']);
    bridge(ns, ['append', '00:00:00:00:00:00', 'dev', 'vx0', 'dst', '192.0.2.1', 'port', '4790', 'vni', '7']);
    bridge(ns, ['replace', '02:00:00:00:00:01', 'dev', 'v0', 'master', 'dynamic']);
    bridge(ns, ['del', '02:00:00:00:00:01', 'dev', 'v0', 'master']);
    ip(['neigh', 'add', '192.0.2.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'p0'], { netns: ns });
    bridge(ns, ['del', '01:00:5e:00:00:fb', 'dev', 'mv0']);
    ip(['link', 'del', 'br0'], { netns: ns });
  });
  const out = r.rtnl.out();
  for (const line of ['dev v0 lladdr 02:00:00:00:00:01 NOARP \n', 'dev mv0 lladdr 01:00:5e:00:00:fb NOARP PERMANENT \n',
    '192.0.2.1 dev vx0 lladdr 00:00:00:00:00:00 NOARP PERMANENT \n', 'dev v0 lladdr 02:00:00:00:00:01 REACHABLE \n',
    'Deleted dev v0 lladdr 02:00:00:00:00:01 REACHABLE \n', 'Deleted dev mv0 lladdr 01:00:5e:00:00:fb NOARP PERMANENT \n']) {
    t.ok(out.includes(line), line.trim());
  }
  t.equal(ours(out), ours(r.ip), 'every line as ip prints it, in its order');
});

/**
 * A neighbour solicitation asked of user space: p0 asks its first probe of user space
 * (app_solicit), a ping finds the address unresolved, then the entry is deleted (its probes, and
 * a FAILED told by timer, would otherwise race the monitors' end).
 */
const solicited: Changes = (ns) => {
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'p0'], { netns: ns });
  setSysctl(ns, 'net.ipv4.neigh.p0.app_solicit', 1);
  spawnSync('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '-W', '1', '192.0.2.2']);
  ip(['neigh', 'del', '192.0.2.2', 'dev', 'p0'], { netns: ns });
};

for (const words of [['monitor', 'neigh'], ['-br', 'monitor', 'neigh']]) {
  t.test(`rtnl ${words.join(' ')}: a neighbour solicitation asked of user space is ip's miss line`, kernel, async (t) => {
    const r = await both(t, words, solicited);
    t.match(r.rtnl.out(), /^miss 192\.0\.2\.2 +(dev )?p0 /m, 'the miss');
    t.equal(ours(r.rtnl.out()), ours(r.ip), 'every line as ip prints it, in its order');
  });
}

t.test('-j monitor neigh: a miss as an event of its own, with ip\'s miss key', kernel, async (t) => {
  const r = await both(t, ['-j', 'monitor', 'neigh'], solicited);
  const events = r.rtnl.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(events.find((e) => e.event === 'miss'), { object: 'neighbour', miss: null, dst: '192.0.2.2', dev: 'p0', state: ['INCOMPLETE'] });
});

/** A link's netconf settings made, changed one at a time (all's and default's too), and deleted. */
const netconfChanges: Changes = (ns) => {
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  setSysctl(ns, 'net.ipv4.conf.v0.forwarding', 1);
  setSysctl(ns, 'net.ipv4.conf.v0.rp_filter', 2);
  setSysctl(ns, 'net.ipv6.conf.v1.forwarding', 1);
  setSysctl(ns, 'net.ipv4.conf.default.rp_filter', 1);
  setSysctl(ns, 'net.ipv4.conf.all.forwarding', 1); // told for all, default and every link
  ip(['link', 'add', 'small', 'mtu', '1000', 'type', 'veth', 'peer', 'name', 'small1'], { netns: ns }); // no IPv6 settings for small
  ip(['link', 'del', 'v0'], { netns: ns });
};

t.test('netconf: settings made, changed one at a time and deleted print as ip prints them', kernel, async (t) => {
  const r = await both(t, ['monitor', 'netconf'], netconfChanges);
  const out = r.rtnl.out();
  for (const line of ['inet v0 forwarding on \n', 'inet v0 rp_filter loose \n', 'inet6 v1 forwarding on \n', 'inet default rp_filter strict \n',
    'inet all forwarding on \n', 'inet small forwarding on rp_filter strict mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n',
    'Deleted inet v0 \n', 'Deleted inet6 v1 \n']) {
    t.ok(out.includes(line), line.trim());
  }
  t.notOk(out.includes('inet6 small '), 'small has no IPv6 settings');
  t.equal(ours(out), ours(r.ip), 'every line as ip prints it, in its order');
});

t.test('-j monitor netconf: what the kernel said, one object a line', kernel, async (t) => {
  const r = await both(t, ['-j', 'monitor', 'netconf'], netconfChanges);
  const events = r.rtnl.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.same(events.find((e) => e.interface === 'v0' && e.rp_filter === 'loose'), { event: 'change', object: 'netconf', family: 'inet', interface: 'v0', rp_filter: 'loose' }, 'a change: the setting told');
  t.match(events.find((e) => e.interface === 'small'), { event: 'new', object: 'netconf', family: 'inet', forwarding: true, rp_filter: 'strict', mc_forwarding: false }, 'a new link: every setting (forwarding as all has it)');
  t.same(events.filter((e) => e.deleted === true).map((e) => [e.event, e.family, e.interface]), [['del', 'inet', 'v0'], ['del', 'inet6', 'v0'], ['del', 'inet', 'v1'], ['del', 'inet6', 'v1']], 'deleted');
});

t.test('-j monitor: forwarding entries and bridge ports as objects of their own', kernel, async (t) => {
  const r = await both(t, ['-j', 'monitor', 'neigh', 'link'], (ns) => {
    ip(['link', 'add', 'br0', 'type', 'bridge'], { netns: ns });
    ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
    ip(['link', 'set', 'v0', 'master', 'br0'], { netns: ns });
    execFileSync('bridge', ['-n', ns, 'fdb', 'add', '02:00:00:00:00:01', 'dev', 'v0', 'master']);
  });
  const events = r.rtnl.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(events.find((e) => e.object === 'fdb' && e.lladdr === '02:00:00:00:00:01'), { event: 'new', dev: 'v0', state: ['PERMANENT'] }, 'the entry');
  t.match(events.find((e) => e.object === 'bridgePort'), { event: 'new', ifname: 'v0', master: 'br0' }, 'the port as its bridge tells it');
  t.notOk(events.some((e) => e.object === 'bridgePort' && 'qdisc' in e), 'with what its message carries only');
});

t.test('a link moved away: new-netns NAME new-ifindex N; a bridge\'s features changed: event FEATURE CHANGE; its ports as it tells them', kernel, async (t) => {
  const third = scratchNetns(t, 'cmy');
  const r = await both(t, ['monitor', 'link'], (ns, other) => {
    ip(['link', 'add', 'v5', 'type', 'veth', 'peer', 'name', 'v6'], { netns: ns });
    ip(['link', 'set', 'v6', 'netns', other], { netns: ns });
    // An id given after the monitors started: its name unknown to them (ip reads them as it starts).
    ip(['link', 'add', 'v7', 'type', 'veth', 'peer', 'name', 'v8'], { netns: ns });
    ip(['link', 'set', 'v8', 'netns', third], { netns: ns });
    ip(['link', 'add', 'br5', 'type', 'bridge'], { netns: ns });
    ip(['link', 'set', 'v5', 'master', 'br5'], { netns: ns });
    for (const l of ['br5', 'v5']) ip(['link', 'set', l, 'up'], { netns: ns });
    ip(['link', 'set', 'v5', 'type', 'bridge_slave', 'cost', '5'], { netns: ns });
    ip(['link', 'set', 'v5', 'nomaster'], { netns: ns });
  }, (ns, other) => { ip(['netns', 'set', other, '7'], { netns: ns }); }); // named as the monitors start: ip reads the names then
  const out = r.rtnl.out();
  t.match(out, /^Deleted \d+: v6@v5: .*\n    link\/ether \S+ brd \S+ new-netns cmx\w+ new-ifindex \d+\n/m, 'where the link went');
  t.match(out, /^Deleted \d+: v8@v7: .*\n    link\/ether \S+ brd \S+ new-netnsid \d+ new-ifindex \d+\n/m, 'by its id when not named at the start');
  t.match(out, /^\d+: br5: .* event FEATURE CHANGE \n/m, 'why the bridge was told of');
  // The port as the bridge tells it (RTM_NEWLINK and RTM_DELLINK of family AF_BRIDGE): no qdisc, group or brd.
  t.match(out, /^\d+: v5@\w+: <[^>]*> mtu 1500 master br5 state \S+ \n    link\/ether \S+\n/m, 'the port as its bridge tells it');
  t.match(out, /^Deleted \d+: v5@\w+: <[^>]*> mtu 1500 master br5 state \S+ \n    link\/ether \S+\n/m, 'and as it leaves');
  t.equal(ours(out), ours(r.ip));
});

t.test('-j monitor: one JSON object a line, the -j show fields with the event and object', kernel, async (t) => {
  const r = await both(t, ['-j', 'monitor'], (ns, other) => {
    everyFamilyChanges(ns, other, true);
    ip(['link', 'add', 'v3', 'type', 'veth', 'peer', 'name', 'v4'], { netns: ns });
  });
  const events = r.rtnl.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  // The peer is announced before its other end exists (IFLA_LINK 0: `v4@NONE` in text).
  t.match(events.find((e) => e.object === 'link' && e.link === null), { event: 'new', ifname: 'v4' }, 'a link of parent 0 has its name');
  const made = events.find((e) => e.object === 'link' && e.ifname === 'mv1');
  t.match(made, { event: 'new', object: 'link', ifname: 'mv1', link: 'p0', operstate: 'DOWN' });
  t.match(events.find((e) => e.object === 'address' && e.local === '192.0.2.10'), { event: 'new', dev: 'mv1', family: 'inet', prefixlen: 24 });
  t.match(events.find((e) => e.object === 'route' && e.dst === '198.51.100.0/24' && e.deleted), { event: 'del', table: '100', gateway: '192.0.2.1' });
  t.match(events.find((e) => e.object === 'nsid'), { event: 'new', nsid: 7 });
  t.match(events.find((e) => e.object === 'link' && e.event === 'del'), { object: 'link', deleted: true, ifname: 'mv1' });
});

t.test('routes the kernel drops without a word are told (ip prints nothing for them)', kernel, async (t) => {
  const ns = scratchNetns(t, 'cmq');
  ip(['link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'], { netns: ns });
  ip(['link', 'set', 'p0', 'up'], { netns: ns });
  ip(['link', 'set', 'p1', 'up'], { netns: ns });
  ip(['address', 'add', '192.0.2.1/24', 'dev', 'p0'], { netns: ns });
  ip(['route', 'add', '198.51.100.0/24', 'via', '192.0.2.2'], { netns: ns });
  const ours = watch(BIN, ['-n', ns, '-j', 'monitor', 'route'], t);
  await joined(ns, ours);
  await new Promise((r) => setTimeout(r, 1000)); // its first dump done: a change before it is its baseline
  ip(['link', 'set', 'p0', 'down'], { netns: ns });
  for (let i = 0; i < 200 && !ours.out().includes('198.51.100.0/24'); i++) await new Promise((r) => setTimeout(r, 25));
  ours.child.kill('SIGINT');
  await ours.exited;
  const lines = ours.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(lines.find((e) => e.dst === '198.51.100.0/24'), { event: 'del', via: 'dump', deleted: true, gateway: '192.0.2.2' }, 'told, and marked as found by a dump');
  t.equal(ip(['route', 'show', '198.51.100.0/24'], { netns: ns }), '', 'the kernel did drop it');
});

t.test('monitor usage errors as ip words them', async (t) => {
  // With the test: a command that does not refuse (as `monitor rule` once did) is killed when the test ends.
  const r = watch(BIN, ['monitor', 'foo'], t);
  t.equal(await r.exited, 255);
  t.equal(r.err(), 'Argument "foo" is unknown, try "rtnl monitor help".\n');
  const n = watch(BIN, ['monitor', 'mroute'], t);
  t.equal(await n.exited, 255);
  t.equal(n.err(), 'rtnl: monitor mroute is not supported (only link, address, route, neigh, netconf, rule, nsid, nexthop, prefix, stats)\n');
});

t.test('an overflow while rtnl monitor is stopped: told on stderr, the changes found by dumping again on stdout', kernel, async (t) => {
  const ns = scratchNetns(t, 'cmf');
  const m = watch(BIN, ['-n', ns, '-j', 'monitor', 'address'], t);
  await joined(ns, m);
  await new Promise((r) => setTimeout(r, 500)); // its first dump done
  // Stopped, it reads nothing: 20,000 addresses' notifications overflow its socket's buffer (4 MiB; 8,000 did not).
  m.child.kill('SIGSTOP');
  ip(['-batch', batchFile(t, Array.from({ length: 20_000 }, (_, i) => `address add 2001:db8::${(i + 1).toString(16)}/128 dev lo nodad`))], { netns: ns });
  m.child.kill('SIGCONT');
  for (let i = 0; i < 400 && !m.err().includes('\n'); i++) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 500));
  m.child.kill('SIGINT');
  t.equal(await m.exited, 0);
  t.match(m.err(), /^(rtnl: notifications were lost \(ENOBUFS\); the changes above since the last such line were found by dumping again\n)+$/);
  const events = m.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.ok(events.some((e) => e.via === 'dump' && e.local === '2001:db8::4e20'), 'changes found by the dump');
});

t.test('SIGTERM ends a monitor as SIGINT does: exit 0, nothing on stderr', kernel, async (t) => {
  const ns = scratchNetns(t, 'cmt');
  const m = watch(BIN, ['-n', ns, 'monitor'], t);
  await joined(ns, m);
  m.child.kill('SIGTERM');
  t.equal(await m.exited, 0);
  t.equal(m.err(), '');
});
