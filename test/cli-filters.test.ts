// What rtnl got wrong without an error, or refused, against ip on the same namespaces: every
// `link show type T` filter (a kind, or a master's kind with `_slave`); `-6 address show`, whose
// link lines come from the kernel's AF_INET6 link messages (no qdisc, master or group);
// `address show` with each of its selectors; multipath routes shown and added (`nexthop ...`);
// tun and tap details (-d).
import t from 'tap';
import { IP, RTNL, ok, state, usageLine, type Result } from './helpers/cli.js';
import { ip, ipFails, kernel, noDad, scratchNetns } from './helpers/kernel.js';
import { NotFoundError, RtNetlink } from '../src/index.js';

/** Without the `{}` ip 6.1 prints, in -j, for each link a slave-kind filter leaves out. */
const noEmpty = (s: string): string => s.replace(/\{\},?/g, '').replace(/,\]/g, ']');
/** Without the bridge port's timers, which tick between the two runs. */
const still = (s: string): string => s.replace(/(_timer)"?:?\s*[\d.]+/g, '$1 T');

t.test('link show type T and -6 address show print what ip prints', kernel, async (t) => {
  const ns = scratchNetns(t, 'flt');
  noDad(ns);
  for (const cmd of [
    'link add v0 type veth peer name v1', 'link add br0 type bridge', 'link set v1 master br0',
    'link add link v0 name mv0 type macvlan mode bridge', 'link add vx0 type vxlan id 42 dstport 4789',
    'link set v0 up', 'link set v1 up', 'link set br0 up', 'address add 2001:db8::1/64 dev v0 nodad', 'address add 192.0.2.1/24 dev br0',
  ]) ip(cmd.split(' '), { netns: ns });
  // A link's kind and its master's are two selectors, both applied when both are given; of each, the last counts.
  const both = ['veth type bridge_slave', 'macvlan type bridge_slave', 'bridge_slave type veth', 'veth type macvlan', 'bridge_slave type bridge_slave'];
  for (const type of ['bridge', 'bridge_slave', 'veth', 'macvlan', 'vxlan', 'macvtap', ...both]) {
    for (const opts of [[], ['-d'], ['-j']]) {
      for (const object of ['link', 'address']) {
        const args = ['-n', ns, ...opts, object, 'show', 'type', ...type.split(' ')];
        const [theirs, ours] = [await ok(IP, args), await ok(RTNL, args)];
        const norm = (x: string): string => still(opts[0] === '-j' ? noEmpty(x) : x);
        t.equal(norm(ours), norm(theirs), `${opts.join(' ')} ${object} show type ${type}`);
      }
    }
  }
  t.match(await ok(RTNL, ['-n', ns, 'link', 'show', 'type', 'bridge_slave']), /v1@v0: .* master br0 /, 'the bridge\'s port is listed');
  for (const opts of [['-6'], ['-6', '-j'], ['-4'], ['-6', '-o']]) {
    const args = ['-n', ns, ...opts, 'address', 'show'];
    t.equal(await ok(RTNL, args), await ok(IP, args), `${opts.join(' ')} address show`);
  }
  t.notMatch(await ok(RTNL, ['-n', ns, '-6', 'address', 'show']), /qdisc|group default/, 'no qdisc nor group with -6');
});

t.test('address show SELECTORS (to, scope, label, flags, group, master, type) print what ip prints', kernel, async (t) => {
  const ns = scratchNetns(t, 'afl');
  noDad(ns);
  for (const cmd of [
    'link add v0 type veth peer name v1', 'link add link v0 name mv0 type macvlan mode vepa', 'link add d0 type veth peer name d1',
    'link set d0 group 7', 'link set v0 up', 'link set v1 up', 'link set mv0 up',
    'address add 192.0.2.5/24 dev v0', 'address add 192.0.2.6/24 dev v0', 'address add 192.0.2.7/24 dev v0 label v0:x',
    'address add 2001:db8::5/64 dev v0 nodad', 'address add 198.51.100.5/24 dev mv0', 'address add 203.0.113.5/24 dev lo',
  ]) ip(cmd.split(' '), { netns: ns });
  for (const words of [
    'scope global', 'scope link', 'scope host', 'scope all', 'to 192.0.2.0/24', 'to 192.0.2.0/25', 'to 2001:db8::/32', 'label v0',
    'label v0:*', 'secondary', 'primary dev v0', 'dynamic', '-tentative', 'type macvlan', 'type veth', 'group 7', 'master v0',
  ]) {
    for (const opts of [[], ['-j'], ['-o'], ['-br']]) {
      const args = ['-n', ns, ...opts, 'address', 'show', ...words.split(' ')];
      const [ours, theirs] = [await RTNL.run(args), await IP.run(args)];
      if (opts[0] === '-o' && words === 'group 7') {
        // ip 6.1 filters by group in print_linkinfo(), which -o skips: it lists every link's addresses. rtnl filters.
        t.same(ours, { status: 0, stdout: '', stderr: '' }, '-o address show group 7: d0, the group\'s one link, has no address');
      } else if (/^(group|type|master) /.test(words)) {
        t.same({ ...ours, stdout: noEmpty(ours.stdout) }, { ...theirs, stdout: noEmpty(theirs.stdout) }, `${opts.join(' ')} address show ${words}`);
      } else t.same(ours, theirs, `${opts.join(' ')} address show ${words}: exactly (ip's {} for each address passed over in -j)`);
    }
  }
  for (const words of ['scope bogus', 'to bogus', 'dev nosuch0']) {
    const args = ['-n', ns, 'address', 'show', ...words.split(' ')];
    t.same(await RTNL.run(args), await IP.run(args), `address show ${words}: the same error and exit code`);
  }
});

t.test('selectors of the mutation sample: tos, preference, nud 0, label patterns with a dot, to 0/0; link set on|off words: as ip', kernel, async (t) => {
  const ns = scratchNetns(t, 'sel');
  noDad(ns);
  for (const cmd of [
    'link add v0 type veth peer name v1', 'link add d0 type veth peer name d1', 'link add d2 type veth peer name d3', 'link set v0 up', 'link set v1 up',
    'address add 192.0.2.1/24 dev v0', 'address add 192.0.2.2/24 dev v0 label v0:a.b', 'address add 192.0.2.3/24 dev v0 label v0:axb',
    'address add 2001:db8::1/64 dev v0 nodad',
    'route add 203.0.113.0/24 dev v0 tos 0x10', 'route add 203.0.113.0/24 dev v0', 'route add 198.51.100.0/24 dev v0 metric 5',
    'neigh add 192.0.2.50 dev v0 nud none', 'neigh add 192.0.2.51 lladdr 02:00:00:00:00:51 dev v0',
  ]) ip(cmd.split(' '), { netns: ns });
  const shows = [
    'route show tos 0x10', 'route show dsfield 0x10', 'route show tos 0', 'route show preference 5', 'route show metric 5',
    'neigh show nud 0', 'neigh show nud none', 'address show label v0:a.b', 'address show to 0.0.0.0/0', 'address show to ::/0',
  ];
  const outputs: Record<string, string> = {};
  for (const words of shows) {
    for (const opts of [[], ['-j']]) {
      const args = ['-n', ns, ...opts, ...words.split(' ')];
      const ours = await RTNL.run(args);
      t.same(ours, await IP.run(args), `${opts.join(' ')} ${words}`);
      if (opts.length === 0) outputs[words] = ours.stdout;
    }
  }
  // The cases have substance: each selector chose some and left others.
  t.equal(outputs['route show tos 0x10'], '203.0.113.0/24 dev v0 scope link \n', 'tos: one of the two 203.0.113.0/24');
  t.match(outputs['route show tos 0'], /^192\.0\.2\.0\/24 .*\n198\.51\.100\.0\/24 .*\n203\.0\.113\.0\/24 dev v0 scope link \n$/, 'tos 0: the others');
  t.equal(outputs['route show preference 5'], '198.51.100.0/24 dev v0 scope link \n');
  t.equal(outputs['neigh show nud 0'], '192.0.2.50 dev v0 \n', 'nud 0 is NUD_NONE (ip\'s 0x100)');
  t.match(outputs['address show label v0:a.b'], /inet 192\.0\.2\.2\/24 scope global secondary v0:a\.b\n/);
  t.notMatch(outputs['address show label v0:a.b'], /v0:axb/, 'the dot is a dot');
  t.notMatch(outputs['address show to 0.0.0.0/0'], /inet6/, 'to 0.0.0.0/0: IPv4 only');
  t.notMatch(outputs['address show to ::/0'], /inet /, 'to ::/0: IPv6 only');
  // Every on|off word through rtnl on d0 and through ip on d2: the same flags.
  const words = ['arp', 'off', 'multicast', 'off', 'allmulticast', 'on', 'promisc', 'on', 'trailers', 'off', 'dynamic', 'on'];
  await ok(RTNL, ['-n', ns, 'link', 'set', 'd0', ...words]);
  await ok(IP, ['-n', ns, 'link', 'set', 'd2', ...words]);
  const flags = async (dev: string) => (JSON.parse(await ok(IP, ['-n', ns, '-j', 'link', 'show', dev])) as Array<{ flags: string[] }>)[0].flags;
  const theirs = await flags('d2');
  t.same(await flags('d0'), theirs, 'link set d0 arp off multicast off allmulticast on promisc on trailers off dynamic on');
  t.same(theirs, ['BROADCAST', 'NOARP', 'ALLMULTI', 'PROMISC', 'DYNAMIC', 'NOTRAILERS', 'M-DOWN'], 'each word changed its flag (no MULTICAST)');
});

t.test('multipath routes: every path, as ip prints them (text, -d, -o, -j), both families', kernel, async (t) => {
  const ns = scratchNetns(t, 'mpth');
  for (const cmd of [
    'link add v0 type veth peer name v1', 'link add w0 type veth peer name w1', 'link set v0 up', 'link set w0 up',
    'link set v1 up', 'link set w1 up', 'address add 192.0.2.1/24 dev v0', 'address add 198.51.100.1/24 dev w0',
    'address add 2001:db8:1::1/64 dev v0 nodad', 'address add 2001:db8:2::1/64 dev w0 nodad',
    'route add 203.0.113.0/24 metric 5 nexthop via 192.0.2.2 dev v0 weight 1 onlink nexthop via 198.51.100.2 dev w0 weight 3',
    'route add 2001:db8:9::/64 nexthop via 2001:db8:1::2 dev v0 nexthop via 2001:db8:2::2 dev w0 weight 2',
  ]) ip(cmd.split(' '), { netns: ns });
  for (const opts of [[], ['-d'], ['-o'], ['-j'], ['-6'], ['-6', '-j'], ['-6', '-o']]) {
    const args = ['-n', ns, ...opts, 'route', 'show'];
    t.equal(await ok(RTNL, args), await ok(IP, args), `${opts.join(' ')} route show`);
  }
  t.match(await ok(RTNL, ['-n', ns, 'route', 'show', '203.0.113.0/24']), /\tnexthop via 198\.51\.100\.2 dev w0 weight 3 /, 'the paths are there');
});

t.test('routes with realms and nexthop ids (made by ip): route show prints them as ip does', kernel, async (t) => {
  const ns = scratchNetns(t, 'rlm');
  for (const cmd of ['link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up', 'address add 192.0.2.1/24 dev v0',
    'route add 198.51.100.0/24 dev v0 realm 5', 'route add 203.0.113.0/24 via 192.0.2.2 realms 3/4', 'route add 203.0.113.128/25 via 192.0.2.2 realms 3/0',
    'nexthop add id 7 via 192.0.2.3 dev v0', 'route add 198.51.100.128/25 nhid 7']) ip(cmd.split(' '), { netns: ns });
  for (const opts of [[], ['-j'], ['-o'], ['-d'], ['-d', '-j'], ['-d', '-o']]) {
    const args = ['-n', ns, ...opts, 'route', 'show'];
    t.equal(await ok(RTNL, args), await ok(IP, args), `${opts.join(' ')} route show`);
  }
  t.match(await ok(RTNL, ['-n', ns, 'route', 'show']), /^198\.51\.100\.0\/24 dev v0 scope link realm 5 $/m, 'the realm is there');
});

t.test('route add|append|replace ... nexthop via A dev D weight W nexthop ...: the same route as ip makes', kernel, async (t) => {
  const made: string[] = [];
  for (const tool of [IP, RTNL]) {
    const ns = scratchNetns(t, 'mpa');
    for (const cmd of ['link add v0 type veth peer name v1', 'link add w0 type veth peer name w1', 'link set v0 up', 'link set w0 up',
      'link set v1 up', 'link set w1 up', 'address add 192.0.2.1/24 dev v0', 'address add 198.51.100.1/24 dev w0']) ip(cmd.split(' '), { netns: ns });
    await ok(tool, ['-n', ns, 'route', 'add', '203.0.113.0/24', 'metric', '5', 'nexthop', 'via', '192.0.2.2', 'dev', 'v0', 'weight', '2', 'onlink', 'nexthop', 'via', '198.51.100.2', 'dev', 'w0', 'weight', '3']);
    await ok(tool, ['-n', ns, 'route', 'replace', '203.0.112.0/24', 'nexthop', 'via', '192.0.2.3', 'nexthop', 'dev', 'w0']);
    const bad = await tool.run(['-n', ns, 'route', 'add', '203.0.111.0/24', 'nexthop', 'via', '192.0.2.2', 'weight', '0']);
    t.same([bad.status, bad.stderr], [255, 'Error: argument "0" is wrong: "weight" is invalid\n\n'], `${tool.name}: weight 0 refused as ip does`);
    const nodev = await tool.run(['-n', ns, 'route', 'add', '203.0.111.0/24', 'nexthop', 'via', '192.0.2.2', 'dev', 'nosuch']);
    t.same([nodev.status, nodev.stderr], [255, 'Cannot find device "nosuch"\nError: cannot parse nexthop\n'], `${tool.name}: a path through no device, as ip`);
    made.push(ip(['-d', 'route', 'show'], { netns: ns }));
  }
  t.equal(made[1], made[0], 'the routes rtnl made are the ones ip made');
  t.match(made[1], /\tnexthop via 198\.51\.100\.2 dev w0 weight 3 /);
});

t.test('route metrics (mtu lock, advmss, initcwnd, rto_min, quickack, features, congctl...): made and printed as ip does', kernel, async (t) => {
  const routes = [
    '198.51.100.0/24 via 192.0.2.2 mtu lock 1400 advmss 1360 initcwnd 10 initrwnd 20 rto_min 300ms quickack 1 features ecn congctl lock reno window 1000 cwnd 5 ssthresh 7 reordering 3 hoplimit 64 rtt 2s rttvar 1500ms fastopen_no_cookie 1',
    '203.0.113.0/24 dev v0 rto_min 2 rtt 40 rttvar 0.5s mtu 1280',
    '198.51.100.128/25 dev v0 rtt 1.25s rttvar 2.s rto_min .5s',
    '2001:db8:5::/64 dev v0 mtu 1400 hoplimit 255 congctl reno advmss lock 1200',
  ];
  const made: string[] = [];
  for (const tool of [IP, RTNL]) {
    const ns = scratchNetns(t, 'rmx');
    for (const cmd of ['link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up', 'address add 192.0.2.1/24 dev v0']) ip(cmd.split(' '), { netns: ns });
    for (const r of routes) await ok(tool, ['-n', ns, 'route', 'add', ...r.split(' ')]);
    for (const [bad, message] of [
      ['mtu x', '"mtu" value is invalid'], ['advmss lock y', '"mss" value is invalid'], ['hoplimit 256', '"hoplimit" value is invalid'],
      ['quickack 2', '"quickack" value should be 0 or 1'], ['features sack', '"features" value not valid'], ['rto_min 5min', '"rto_min" value is invalid'],
    ]) {
      const r = await tool.run(['-n', ns, 'route', 'add', '192.0.2.0/28', 'dev', 'v0', ...bad.split(' ')]);
      t.same([r.status, r.stderr], [255, `Error: argument "${bad.split(' ').at(-1)}" is wrong: ${message}\n\n`], `${tool.name}: ${bad} refused as ip refuses it`);
    }
    // Less the link-local addresses' local routes: random (the MACs), and there only once DAD
    // ends, which on a loaded machine may be before one namespace's comparison and not the other's.
    made.push(ip(['-d', 'route', 'show', 'table', 'all'], { netns: ns }).replace(/^local fe80:.*\n/gm, ''));
    if (tool === RTNL) {
      for (const opts of [[], ['-j'], ['-6'], ['-6', '-j'], ['-o'], ['-j', '-p']]) {
        const args = ['-n', ns, ...opts, 'route', 'show'];
        t.equal(await ok(RTNL, args), await ok(IP, args), `${opts.join(' ')} route show`);
      }
    }
  }
  t.equal(made[1], made[0], 'the routes rtnl made are the ones ip made');
  t.match(made[1], /mtu lock 1400 window 1000 rtt 2s rttvar 1\.5s .*advmss 1360 .*rto_min lock 300ms .*congctl lock reno/, 'metrics and locks set');
});

t.test('-s neigh show|get and -s -s neigh flush print the timers and probes as ip does', kernel, async (t) => {
  const ns = scratchNetns(t, 'nst');
  for (const cmd of ['link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up']) ip(cmd.split(' '), { netns: ns });
  const entries = ['neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev v0', 'neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev v0 nud stale',
    'neigh add 2001:db8::1 lladdr 02:00:00:00:00:02 dev v0'];
  for (const cmd of entries) ip(cmd.split(' '), { netns: ns });
  // The timers tick between two runs: their values are compared apart, their place and form exactly.
  const timers = (s: string): string => s.replace(/used \d+\/\d+\/\d+/g, 'used U/C/P').replace(/"(used|confirmed|updated)":\d+/g, '"$1":T');
  for (const args of [['-s', 'neigh', 'show'], ['-s', '-j', 'neigh', 'show'], ['-s', 'neigh', 'show', 'dev', 'v0'], ['-s', 'neigh', 'get', '192.0.2.1', 'dev', 'v0'],
    ['-s', '-s', 'neigh', 'flush', 'dev', 'v0', 'nud', 'stale']]) {
    const again = ['neigh', 'replace', ...entries[1].split(' ').slice(2)]; // the stale entry, back if a flush took it
    const theirs = await IP.run(['-n', ns, ...args]);
    ip(again, { netns: ns });
    const ours = await RTNL.run(['-n', ns, ...args]);
    ip(again, { netns: ns });
    t.same({ ...ours, stdout: timers(ours.stdout) }, { ...theirs, stdout: timers(theirs.stdout) }, `${args.join(' ')}: ${theirs.stdout.split('\n')[0]}`);
  }
  t.match((await RTNL.run(['-n', ns, '-s', 'neigh', 'get', '192.0.2.1', 'dev', 'v0'])).stdout, / ref 1 used \d+\/\d+\/\d+probes 0 PERMANENT \n$/, 'the refcount when not 0');
});

/** A namespace with a veth and neighbours in four states; reachable stays reachable for an hour. */
function neighbours(t: Parameters<typeof scratchNetns>[0], prefix: string): string {
  const ns = scratchNetns(t, prefix);
  // Without DAD the kernel's own IPv6 entries (ff02::...) are all made as the links come up: with
  // it, one came up to a second later, between ip's listing and rtnl's.
  noDad(ns);
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  ip(['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.neigh.v0.base_reachable_time_ms=3600000']);
  for (const cmd of ['link set v0 up', 'link set v1 up', 'neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev v0',
    'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev v0 nud stale', 'neigh add 192.0.2.6 dev v0 nud failed',
    'neigh add 2001:db8::1 lladdr 02:00:00:00:00:06 dev v0 nud reachable']) ip(cmd.split(' '), { netns: ns });
  return ns;
}

/**
 * The entries `ip neigh show WORDS` lists, sorted (each namespace lists them in its own order),
 * less FAILED ones: one no one refers to may go at any time, the kernel's periodic neighbour work
 * removing it (this kernel: a `nud failed` entry alone in its namespace was gone within 10 s), and
 * went from one twin and not yet the other, between a command and the listing.
 */
const lasting = (ns: string, words: string[] = []): string[] =>
  ip(['neigh', 'show', ...words], { netns: ns }).split('\n').filter((l) => !/ FAILED $/.test(l)).sort();

/**
 * ip's run of `args`, rtnl's, and ip's again when rtnl's is not the first (`form` first applied
 * to ip's): a FAILED entry no one refers to may go between two runs (lasting()). rtnl's must
 * be what ip printed before it or after it.
 */
async function ipAround(args: string[], form = (r: Result): Result => r): Promise<[Result, Result]> {
  const theirs = form(await IP.run(args));
  const ours = await RTNL.run(args);
  return [JSON.stringify(ours) === JSON.stringify(theirs) ? theirs : form(await IP.run(args)), ours];
}

t.test('neigh words as ip reads them: states by prefix or number, duplicates, missing words, help', kernel, async (t) => {
  const ns = neighbours(t, 'nwd');
  const nud = ['perm', 'reach', 'fail', '0x80', '0X80', '128', '010', '0x2', '+4', ' 4', '2x', 'x2', '3', '256', '0x100', '-4', '09', 'all', 'constructor', 'toString'];
  const words = [
    ...nud.map((s) => ['neigh', 'show', 'nud', s]), ['neigh'], ['neigh', 'frobnicate'], ['neigh', 'show', 'dev', 'v0', 'dev', 'v0'],
    ['neigh', 'show', '2001:db8::/32'], ['neigh', 'show', '192.0.2.0/24'], ['neigh', 'get', 'default', 'dev', 'v0'], ['neigh', 'get', 'all', 'dev', 'v0'],
    ['neigh', 'get', '192.0.2.1', '192.0.2.2', 'dev', 'v0'], ['neigh', 'get', '192.0.2.1'], ['neigh', 'get', 'to', '192.0.2.1', 'dev', 'v0'],
    ...['nud bogus', 'nud all', 'nud toString', '192.0.2.4', 'proxy 192.0.2.4', 'help', 'lladdr 02:00:00:00:00:04 lladdr 02:00:00:00:00:05'].map((w) => ['neigh', 'add', '192.0.2.3', 'dev', 'v0', ...w.split(' ')]),
    ['neigh', 'add', '192.0.2.3', 'lladdr', '02:00:00:00:00:03'], ['neigh', 'add', 'dev', 'v0'],
    // The address read at once (get_addr(): exit 1), the MAC once every word is (ll_addr_a2n()).
    ...['bogus lladdr 02:00:00:00:00:50 dev v0', 'help lladdr 02:00:00:00:00:50 dev v0', 'proxy bogus dev v0', '192.0.2.50 lladdr help dev v0',
      '192.0.2.50 lladdr dev v0', '192.0.2.50 lladdr 1:2:x dev nosuch'].map((w) => ['neigh', 'add', ...w.split(' ')]),
    ['neigh', 'del', 'bogus', 'dev', 'v0'], ['neigh', 'replace', '2001:db8::zz', 'dev', 'v0'],
    // Addresses of no family are no destination; a short one is read as ip reads it (192.0.2.0: none there).
    ['neigh', 'add', 'default', 'lladdr', '02:00:00:00:00:50', 'dev', 'v0'], ['neigh', 'del', 'any', 'dev', 'v0'], ['neigh', 'del', '192.0.2', 'dev', 'v0'],
  ];
  for (const args of words) {
    const [theirs, ours] = await ipAround(['-n', ns, ...args], (r) => ({ ...r, stderr: r.stderr.replace(/"ip /g, '"rtnl ') }));
    t.same(ours, theirs, `${args.join(' ')}: ${theirs.status} ${theirs.stderr.split('\n')[0]}`);
  }
  t.equal((await RTNL.run(['-n', ns, 'neigh', 'show', 'nud', '+4'])).stdout, '192.0.2.2 dev v0 lladdr 02:00:00:00:00:02 STALE \n', 'nud +4 is stale');
  // The usage: its first line, and where it ends (the rest is rtnl's own).
  for (const w of ['help', 'add 192.0.2.3 dev v0 proxy help', 'show help', 'show to help', 'get help', 'get to help', 'get proxy help']) {
    const args = ['-n', ns, 'neigh', ...w.split(' ')];
    const [theirs, ours] = [await IP.run(args), await RTNL.run(args)];
    const form = (r: Result): unknown[] => [r.status, r.stdout, usageLine(r.stderr), r.stderr.slice(-2) === '}\n'];
    t.same(form(ours), form(theirs), `neigh ${w}: the usage`);
  }
  // `help` where the address goes is skipped, as ip skips it; `lladdr` and `help` by prefix.
  const made = [];
  for (const tool of [IP, RTNL]) {
    const ns = neighbours(t, 'nwh');
    for (const w of ['help 192.0.2.3 lladdr 02:00:00:00:00:03', 'h 192.0.2.4 l 02:00:00:00:00:04', 'to 192.0.2.5 lladdr 02:00:00:00:00:05', 'to help 192.0.2.7 lladdr 02:00:00:00:00:07 nud 0x4', '192.0.2.8 nud perm lladdr 02:00:00:00:00:08', '192.0.2 lladdr 02:00:00:00:00:09']) {
      await ok(tool, ['-n', ns, 'neigh', 'add', ...w.split(' '), 'dev', 'v0']);
    }
    // Less the FAILED entry neighbours() made: the kernel's periodic work removes it in its own time,
    // which came between the two namespaces once (a fresh-clone run: rtnl's still had it, ip's not).
    made.push(ip(['-4', 'neigh', 'show', 'dev', 'v0', 'nud', 'all'], { netns: ns }).split('\n').filter((l) => !l.endsWith(' FAILED ')).sort());
  }
  t.same(made[1], made[0], 'the same entries made');
  t.match(made[1].join('\n'), /192\.0\.2\.4 lladdr 02:00:00:00:00:04 PERMANENT/);
  t.match(made[1].join('\n'), /192\.0\.2\.0 lladdr 02:00:00:00:00:09 PERMANENT/, '192.0.2 is 192.0.2.0');
});

/** neighbours(), with a bridge port v2 holding entries (one of protocol zebra), one of protocol static on v0, and 192.0.2.50 being resolved for an hour (its timer refers to it: not `unused`). */
function mastered(t: Parameters<typeof scratchNetns>[0], prefix: string): string {
  const ns = neighbours(t, prefix);
  for (const cmd of ['link add br0 type bridge', 'link add v2 type veth peer name v3', 'link set v2 master br0', 'link set v2 up', 'link set v3 up',
    'link set br0 up', 'neigh add 198.51.100.1 lladdr 02:00:00:00:00:11 dev v2', 'neigh add 198.51.100.2 lladdr 02:00:00:00:00:12 dev v2 nud stale protocol zebra',
    'neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev v0 nud stale protocol static', 'address add 192.0.2.100/24 dev v0']) ip(cmd.split(' '), { netns: ns });
  ip(['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.neigh.v0.retrans_time_ms=3600000']);
  ipFails(['netns', 'exec', ns, 'ping', '-c1', '-W0.2', '192.0.2.50']);
  return ns;
}

t.test('neigh show|flush master, vrf, nomaster, protocol, unused: as ip reads and applies them', kernel, async (t) => {
  const ns = mastered(t, 'nms');
  t.match(ip(['-s', 'neigh', 'show', '192.0.2.50'], { netns: ns }), / ref [1-9]\d* .*INCOMPLETE/, 'an entry referred to, for `unused` to leave out');
  for (const w of ['master br0', 'master v2', 'nomaster', '-4 nomaster', 'vrf br0', 'vrf nope', 'master nope', 'master if1', 'master br0 nomaster',
    'unused', 'unused nud all', 'protocol zebra', 'proto static', 'pro all', 'protocol 0', 'protocol bogus', 'protocol', 'master br0 protocol zebra']) {
    const args = ['-n', ns, ...(w.startsWith('-') ? [w.split(' ')[0], 'neigh', 'show', ...w.split(' ').slice(1)] : ['neigh', 'show', ...w.split(' ')])];
    const [theirs, ours] = await ipAround(args);
    t.same(ours, theirs, `neigh show ${w}: ${theirs.status} ${theirs.stderr.split('\n')[0]}`);
  }
  // Flushes, in twins: what remains compared (lasting()).
  for (const w of ['master br0', 'nomaster', 'protocol zebra', 'unused', 'unused nud all']) {
    const after = [];
    for (const tool of [IP, RTNL]) {
      const twin = mastered(t, 'nmf');
      const r = await tool.run(['-n', twin, 'neigh', 'flush', ...w.split(' ')]);
      after.push([r.status, r.stdout, r.stderr, lasting(twin)]);
    }
    t.same(after[1], after[0], `neigh flush ${w}: the same output and the same entries left`);
  }
});

t.test('neigh change (and chg): an entry there is changed, a missing one is refused, as ip', kernel, async (t) => {
  const steps = ['neigh change 192.0.2.9 lladdr 02:00:00:00:00:09 dev v0', 'neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev v0 nud stale',
    'neigh change 192.0.2.9 lladdr 02:00:00:00:00:0a dev v0', 'neigh chg 192.0.2.9 dev v0 nud reachable router',
    'neigh change proxy 192.0.2.10 dev v0', 'neigh change 2001:db8::9 dev v0 lladdr 02:00:00:00:00:0b'];
  const runs = [];
  for (const tool of [IP, RTNL]) {
    const ns = neighbours(t, 'nch');
    const results = [];
    for (const w of steps) results.push(await tool.run(['-n', ns, ...w.split(' ')]));
    runs.push({ results, entries: lasting(ns, ['nud', 'all']) });
  }
  t.same(runs[1], runs[0], 'the same answers and the same entries');
  // A proxy entry is made all the same: the kernel makes proxy entries whatever the flags say.
  t.same(runs[1].results.map((r) => r.status), [2, 0, 0, 0, 0, 2], 'a missing entry is not made');
  t.ok(runs[1].entries.includes('192.0.2.9 dev v0 lladdr 02:00:00:00:00:0a router REACHABLE '), 'changed twice');
});

t.test('neighbour.change(): a missing entry is a NotFoundError and is not made; one there is overwritten', kernel, async (t) => {
  const ns = neighbours(t, 'ncl');
  await using rt = await RtNetlink.open({ netns: ns });
  await t.rejects(rt.neighbour.change({ dev: 'v0', address: '192.0.2.9', lladdr: '02:00:00:00:00:09' }),
    { name: NotFoundError.name, message: /^neighbour 192\.0\.2\.9 on "v0": / });
  t.equal(ip(['neigh', 'show', '192.0.2.9', 'dev', 'v0'], { netns: ns }), '', 'not made');
  await rt.neighbour.add({ dev: 'v0', address: '192.0.2.9', lladdr: '02:00:00:00:00:09', state: 'stale' });
  t.match(await rt.neighbour.change({ dev: 'v0', address: '192.0.2.9', lladdr: '02:00:00:00:00:0a' }),
    { address: '192.0.2.9', lladdr: '02:00:00:00:00:0a', state: 'permanent', dev: 'v0' }, 'resolves with the entry as changed');
});

t.test('neigh words rtnl refuses, and -j neigh get', kernel, async (t) => {
  const ns = neighbours(t, 'nrf');
  const refused = async (w: string, stderr: string): Promise<void> => {
    t.same(await RTNL.run(['-n', ns, ...w.split(' ')]), { status: 1, stdout: '', stderr: `${stderr}\n` }, w);
  };
  for (const w of ['use', 'managed']) await refused(`neigh add 192.0.2.9 dev v0 ${w}`, `rtnl: neigh add "${w}" is not supported`);
  // ip prints the entry as text under -j (no JSON is opened there); rtnl as `-j neigh show` would.
  t.same(JSON.parse(await ok(RTNL, ['-n', ns, '-j', 'neigh', 'get', '192.0.2.1', 'dev', 'v0'])),
    [{ dst: '192.0.2.1', dev: 'v0', lladdr: '02:00:00:00:00:01', state: ['PERMANENT'] }], '-j neigh get: a JSON array');
  t.same(await ok(RTNL, ['-n', ns, '-j', 'neigh', 'show', '2001:db8::1']), await ok(IP, ['-n', ns, '-j', 'neigh', 'show', '2001:db8::1']), '-j neigh show ADDR');
});

t.test('neigh add|del|get proxy ADDR, extern_learn, protocol, neigh show|flush proxy; link set addrgenmode; macvlan bclim: as ip does', kernel, async (t) => {
  const made: string[] = [];
  for (const tool of [IP, RTNL]) {
    const ns = scratchNetns(t, 'nprx');
    for (const cmd of ['link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up']) ip(cmd.split(' '), { netns: ns });
    const run = (cmd: string): Promise<string> => ok(tool, ['-n', ns, ...cmd.split(' ')]);
    for (const cmd of ['neigh add proxy 192.0.2.9 dev v0', 'neigh add proxy 192.0.2.7 dev v0', 'neigh add proxy 2001:db8::9 dev v0 router',
      'neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev v0 extern_learn', 'link set v1 addrgenmode none']) await run(cmd);
    const bad = await tool.run(['-n', ns, 'neigh', 'add', '192.0.2.4', 'dev', 'v0', 'protocol', 'bogus']);
    t.same([bad.status, bad.stderr], [255, 'Error: argument "bogus" is wrong: "protocol" value is invalid\n\n'], `${tool.name}: an unknown protocol refused`);
    const shown = [];
    for (const cmd of ['neigh show proxy', '-j neigh show proxy', '-6 neigh show proxy', 'neigh show', '-j neigh show', 'neigh get proxy 192.0.2.9 dev v0']) {
      shown.push(await run(cmd));
    }
    await run('neigh del proxy 192.0.2.9 dev v0');
    shown.push(await run('neigh show proxy'));
    await run('-4 neigh flush proxy dev v0');
    shown.push(await run('neigh show proxy'));
    made.push(JSON.stringify(shown));
    t.match(shown[0], /^192\.0\.2\.9 dev v0 proxy \n/, `${tool.name}: the proxy entry listed`);
    made.push(ip(['-d', 'link', 'show', 'v1'], { netns: ns }).replace(/link\/ether \S+/, 'link/ether MAC'));
  }
  t.equal(made[2], made[0], 'rtnl printed what ip printed, at each step');
  t.equal(made[3], made[1], 'the same link state');
  t.match(made[3], /addrgenmode none/);
  // Protocols: made by each tool in one namespace (the kernel's hash order differs between
  // namespaces), then listed by both there.
  const pns = scratchNetns(t, 'nprt');
  for (const cmd of ['link add v0 type veth peer name v1', 'link set v0 up']) ip(cmd.split(' '), { netns: pns });
  await ok(RTNL, ['-n', pns, 'neigh', 'add', '192.0.2.5', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0', 'protocol', 'static']);
  await ok(RTNL, ['-n', pns, 'neigh', 'add', '192.0.2.6', 'lladdr', '02:00:00:00:00:06', 'dev', 'v0', 'proto', '99', 'nud', 'stale']);
  ip(['neigh', 'add', '192.0.2.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'v0', 'protocol', 'zebra'], { netns: pns });
  for (const opts of [[], ['-j']]) {
    const args = ['-n', pns, ...opts, 'neigh', 'show'];
    t.equal(await ok(RTNL, args), await ok(IP, args), `${opts.join(' ')} neigh show with protocols`);
  }
  t.match(ip(['neigh', 'show', '192.0.2.6', 'dev', 'v0'], { netns: pns }), /^192\.0\.2\.6 lladdr 02:00:00:00:00:06 STALE proto openr \n$/, 'rtnl made proto 99 (openr), as ip sees it');
  // The library's side, and bclim, which ip 6.1 neither takes nor prints.
  const ns = scratchNetns(t, 'nprl');
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  await using rt = await RtNetlink.open({ netns: ns });
  const p = await rt.neighbour.add({ dev: 'v0', address: '198.51.100.5', proxy: true });
  t.match(p, { address: '198.51.100.5', dev: 'v0', flags: ['proxy'] }, 'add resolves with the proxy entry');
  t.same((await rt.neighbour.list({ proxy: true })).map((n) => n.address), ['198.51.100.5'], 'list({ proxy: true })');
  t.match(await rt.neighbour.add({ dev: 'v0', address: '198.51.100.6', lladdr: '02:00:00:00:00:06', protocol: 'zebra' }), { protocol: 'zebra' }, 'protocol made and read back');
  t.match(await rt.neighbour.add({ dev: 'v0', address: '198.51.100.7', lladdr: '02:00:00:00:00:07', protocol: 200 }), { protocol: 200 }, 'by number');
  t.notOk('protocol' in (await rt.neighbour.add({ dev: 'v0', address: '198.51.100.8', lladdr: '02:00:00:00:00:08' })), 'none said, none read');
  await t.rejects(rt.neighbour.add({ dev: 'v0', address: '198.51.100.9', protocol: 256 }), { name: 'InvalidArgumentError', message: /^neighbour 198\.51\.100\.9: protocol 256 / });
  t.same((await rt.neighbour.list()).filter((n) => n.address === '198.51.100.5'), [], 'not in the cache');
  await rt.neighbour.delete({ dev: 'v0', address: '198.51.100.5', proxy: true });
  t.same(await rt.neighbour.list({ proxy: true }), [], 'deleted');
  const cutoff = async (name: string): Promise<number | undefined> => {
    const l = await rt.link.get(name);
    return l.info?.kind === 'macvlan' ? l.info.data?.bcCutoff : undefined;
  };
  await ok(RTNL, ['-n', ns, 'link', 'add', 'link', 'v0', 'name', 'mv0', 'type', 'macvlan', 'mode', 'bridge', 'bclim', '7']);
  t.equal(await cutoff('mv0'), 7, 'bclim 7 is IFLA_MACVLAN_BC_CUTOFF 7');
  await ok(RTNL, ['-n', ns, 'link', 'set', 'mv0', 'type', 'macvlan', 'bclim', '3']);
  t.equal(await cutoff('mv0'), 3, 'changed in place');
  // The kernel keeps one cutoff per parent: the last macvlan's value holds for all.
  await ok(RTNL, ['-n', ns, 'link', 'add', 'link', 'v0', 'name', 'mv1', 'type', 'macvlan', 'bclim', '-1']);
  t.same([await cutoff('mv0'), await cutoff('mv1')], [-1, -1], 'bclim -1, for every macvlan of the parent');
  const bad = await RTNL.run(['-n', ns, 'link', 'set', 'mv0', 'type', 'macvlan', 'bclim', 'x']);
  t.same([bad.status, bad.stderr], [255, 'Error: argument "x" is wrong: Invalid "bclim" value\n\n']);
});

t.test('link add|set ... type bridge|vxlan with their options: the same links, errors and exit codes as ip', kernel, async (t) => {
  const steps = [
    'link add v0 type veth peer name v1',
    'link add br0 type bridge stp_state 1 forward_delay 400 hello_time 300 max_age 1200 ageing_time 6000 priority 7 group_fwd_mask 0x4000 '
      + 'group_address 01:80:c2:00:00:0e mcast_snooping 0 mcast_router 2 mcast_querier 1 mcast_hash_max 1024 mcast_last_member_interval 200 '
      + 'mcast_igmp_version 3 mcast_mld_version 2 nf_call_iptables 1 no_linklocal_learn 1',
    'link set br0 type bridge stp_state 0 priority 9 mcast_startup_query_count 3',
    'link add vx0 type vxlan id 42 dstport 4789 remote 192.0.2.2 local 192.0.2.1 dev v0 ttl 20 tos 10 nolearning ageing 100 maxaddress 50 srcport 1000 2000 l2miss udpcsum',
    'link add vx1 type vxlan id 43',
    'link add vx6 type vxlan id 44 dstport 4789 group ff02::5 dev v0 ttl inherit label 7',
    'link set vx0 type vxlan ttl 30 learning',
    'link add vx2 type vxlan dstport 4789', 'link add br1 type bridge priority 70000', 'link add br2 type bridge forward_delay x',
    'link add br3 type bridge frob 1', 'link add vx3 type vxlan id 99999999 dstport 1', 'link add vx4 type vxlan id 5 dstport 1 tos zz',
    'link add vx5 type vxlan id 5 dstport 1 local abc', 'link add vx7 type vxlan id 5 frob',
  ];
  const states = [];
  for (const tool of [IP, RTNL]) {
    const ns = scratchNetns(t, 'brvx');
    const seen = [];
    for (const step of steps) {
      const r = await tool.run(['-n', ns, ...step.split(' ')]);
      seen.push([step, r.status, r.stdout, r.stderr.split('\nUsage:')[0].replace(/\bip\b/g, 'rtnl')]);
    }
    // Without the bridge's timers: its garbage collection timer ticks even while it is down.
    states.push({ seen, state: JSON.parse(JSON.stringify(await state(ns), (k, v: unknown) => (k.endsWith('_timer') ? undefined : v))) as unknown });
  }
  t.same(states[1].seen, states[0].seen, 'each step: the same exit code, output and message');
  t.same(states[1].state, states[0].state, 'the same links (ip -j -d)');
  t.match(JSON.stringify(states[1].state), /"info_kind":"vxlan".*"ttl":30/, 'vxlan changed in place');
});

t.test('tun and tap: read typed (IFLA_TUN_*), and -d prints them as ip does', kernel, async (t) => {
  const ns = scratchNetns(t, 'tun');
  ip(['tuntap', 'add', 'tap0', 'mode', 'tap'], { netns: ns });
  ip(['tuntap', 'add', 'tun0', 'mode', 'tun', 'user', '1000', 'group', '100', 'multi_queue'], { netns: ns });
  ip(['tuntap', 'add', 'tun1', 'mode', 'tun', 'vnet_hdr', 'user', '4242'], { netns: ns });
  for (const opts of [['-d'], ['-d', '-j'], ['-d', '-j', '-p']]) {
    const args = ['-n', ns, ...opts, 'link', 'show'];
    t.equal(await ok(RTNL, args), await ok(IP, args), `${opts.join(' ')} link show`);
  }
  await using rt = await RtNetlink.open({ netns: ns });
  const tun0 = await rt.link.get('tun0');
  if (tun0.info?.kind === 'tun') t.match(tun0.info.data, { type: 'tun', multiQueue: true, owner: 1000, group: 100, persist: true, pi: false });
  else t.fail(`tun0 is a tun: ${JSON.stringify(tun0.info)}`);
  const tap0 = await rt.link.get('tap0');
  t.equal(tap0.info?.kind === 'tun' ? tap0.info.data?.type : undefined, 'tap');
});

t.test('link set DEV type bridge_slave OPTIONS: the port as ip leaves it', kernel, async (t) => {
  const ports: unknown[] = [];
  const words = ['hairpin', 'on', 'learning', 'off', 'cost', '7', 'priority', '5', 'isolated', 'on', 'root_block', 'on',
    'flood', 'off', 'mcast_flood', 'off', 'neigh_suppress', 'on', 'group_fwd_mask', '0x4000', 'fdb_flush', 'backup_port', 'v2'];
  for (const tool of [IP, RTNL]) {
    const ns = scratchNetns(t, 'brs');
    for (const cmd of ['link add v0 type veth peer name v1', 'link add v2 type veth peer name v3', 'link add br0 type bridge', 'link set v1 master br0', 'link set v2 master br0']) {
      ip(cmd.split(' '), { netns: ns });
    }
    await ok(tool, ['-n', ns, 'link', 'set', 'v1', 'type', 'bridge_slave', ...words]);
    const l = (JSON.parse(ip(['-j', '-d', 'link', 'show', 'v1'], { netns: ns })) as Array<{ linkinfo: { info_slave_data: Record<string, unknown> } }>)[0];
    const { hold_timer: _h, message_age_timer: _m, forward_delay_timer: _f, bridge_id: _b, root_id: _r, designated_bridge: _d, designated_root: _dr, ...port } = l.linkinfo.info_slave_data;
    ports.push(port);
  }
  t.same(ports[1], ports[0], 'every option as ip set it');
  t.match(ports[1], { hairpin: true, learning: false, cost: 7, priority: 5, isolated: true, root_block: true, flood: false, backup_port: 'v2' });
  const bad = await RTNL.run(['link', 'set', 'lo', 'type', 'bridge_slave', 'hairpin', 'maybe']);
  t.same([bad.status, bad.stderr.trim()], [1, 'Error: argument of "hairpin" must be one of "off", "on", not "maybe"'], 'ip 6.1\'s parse_on_off() words and exit status');
  const noBackup = ['link', 'set', 'lo', 'type', 'bridge_slave', 'backup_port', 'nosuch'];
  const [ipSays, rtnlSays] = await Promise.all([IP.run(noBackup), RTNL.run(noBackup)]);
  t.same([rtnlSays.status, rtnlSays.stderr], [ipSays.status, ipSays.stderr], 'a backup port that does not exist: ip\'s message, byte for byte');
  // No words: ip sends the kind alone, which the kernel takes of a link that is no port (nothing changes).
  const ns = scratchNetns(t, 'brn');
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  for (const dev of ['v0', 'lo']) {
    const words = ['-n', ns, 'link', 'set', dev, 'type', 'bridge_slave'];
    t.same(await RTNL.run(words), await IP.run(words), `link set ${dev} type bridge_slave`);
  }
});
