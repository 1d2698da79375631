// `rtnl nexthop` against `ip nexthop`: each command line run by ip in one namespace and by rtnl in
// its twin, one after the other, must print the same, exit the same and leave the same nexthops
// and routes; the listings, with every selector and output option, print what ip prints; `rtnl
// monitor nexthop` prints ip monitor's lines; `rtnl nexthop bucket` lists and gets a resilient
// group's buckets as ip does. Where rtnl differs on purpose, that is shown too.
import t, { type Test } from 'tap';
import { BIN, IP, RTNL, RTNL_BIN, sameLines, split } from './helpers/cli.js';
import { ip, kernel, scratchNetns, vethPair } from './helpers/kernel.js';
import { joined, watch, type Watcher } from './helpers/watch.js';
import { RtNetlink } from '../src/index.js';

/** The nexthops as ip -d lists them, and the routes that name one (not the link-local ones, which come when they come). */
const state = (ns: string): string => ip(['-d', 'nexthop', 'show'], { netns: ns })
  + [...ip(['route', 'show'], { netns: ns }).split('\n'), ...ip(['-6', 'route', 'show'], { netns: ns }).split('\n')].filter((l) => l.includes('nhid')).join('\n');

function twin(t: Test): string {
  const ns = scratchNetns(t, 'cnh');
  vethPair(ns, 'v0', 'v1');
  ip(['addr', 'add', '192.0.2.1/24', 'dev', 'v0'], { netns: ns });
  ip(['addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad'], { netns: ns });
  return ns;
}

const MADE = split(`
  nexthop add id 1 dev v0
  nexthop add id 2 via 192.0.2.2 dev v0
  nexthop add id 3 via 2001:db8::2 dev v0
  nexthop add id 4 via inet 198.51.100.1 dev v0 onlink proto static
  nexthop a id 5 blackhole
  -6 nexthop add id 6 blackhole
  nexthop add id 10 group 1/2,3
  nexthop add id 11 group 2,7/4,5 type mpath
  nexthop add id 12 group 1/2 type resilient buckets 8 idle_timer 60 unbalanced_timer 120
  nexthop add id 20 via 192.0.2.5 fdb
  nexthop add id 21 group 20 fdb
  nexthop add id 30 encap ip id 5 dst 203.0.113.9 via 192.0.2.3 dev v0
  nexthop add via 192.0.2.9 dev v0
  nexthop replace id 2 via 192.0.2.4 dev v0
  nexthop re id 40 blackhole protocol 99
  route add 198.51.100.0/24 nhid 2
  route add 203.0.113.0/24 nhid 10
  -6 route add 2001:db8:1::/48 nhid 3
`);

t.test('nexthop add, replace, delete and flush do what ip does, and say what ip says; routes take nhid', kernel, async (t) => {
  await sameLines(t, [...MADE, ...split(`
    nexthop add id 1 dev v0
    nexthop add id 41 group 99
    nexthop add id 41 blackhole dev v0
    route add 203.0.113.64/26 nhid 77
    nexthop del id 30
    nexthop del id 30
    nexthop flush id 21
    nexthop flush id 21
    nexthop flush dev v0
    nexthop flush protocol 99
    nexthop flush
    nexthop flush
  `)], twin, state);
});

t.test('refusals: the messages and exit codes of ip', kernel, async (t) => {
  await sameLines(t, split(`
    nexthop add id x
    nexthop add id 40 group 1,0
    nexthop add id 40 group 1,257
    nexthop add id 40 group a
    nexthop add id 40 via 192.0.2.300
    -6 nexthop add id 40 via 192.0.2.3
    nexthop add id 40 via 192.0.2.3 via 2001:db8::3
    nexthop add id 40 dev nosuch
    nexthop add id 40 type foo
    nexthop add id 13 group 1/2 type resilient
    nexthop add id 40 group 1 type resilient buckets x
    nexthop add id 40 group 1 type resilient idle_timer 42949672
    nexthop add id 40 proto nosuch blackhole
    nexthop add id 40 frob
    nexthop add id
    nexthop foo
    nexthop get
    nexthop get id 77
    nexthop show id 77
    nexthop show dev nosuch
    nexthop show vrf v0
    nexthop show master nosuch
    nexthop show protocol static
    nexthop show frob
    route add 203.0.113.0/24 nhid x
    nexthop help
    nexthop add help
    nexthop show help
    nexthop bucket show help
    nexthop bucket get id 1 frob
    nexthop add id 40 group 1 type resilient idle_timer x
    nexthop add id 40 group 1 type resilient unbalanced_timer x
    nexthop add id 40 group 1 type mpath buckets 8
    nexthop add id 40 via inet 2001:db8::9 dev v0
    nexthop add id 40 via inet6 192.0.2.9 dev v0
    nexthop add id 40 dev v0 via 2001:db8::3
    nexthop add id 40 blackhole via 2001:db8::3
    -6 nexthop add id 40 dev v0 via 192.0.2.3
    nexthop show protocol x
    nexthop show groups frob
  `), twin, state);
});

t.test('-0 nexthop add|replace: refused in rtnl\'s words, where ip sends family 17 for the kernel to refuse; nothing made', kernel, async (t) => {
  const ns = twin(t);
  for (const line of ['nexthop add id 40 via 198.51.100.1 dev v1 onlink', 'nexthop add id 41 dev v0', 'nexthop replace id 42 blackhole']) {
    const args = ['-n', ns, '-0', ...line.split(' ')];
    const [theirs, ours] = [await IP.run(args), await RTNL.run(args)];
    t.same([theirs.status, theirs.stderr], [2, 'Error: Invalid address family.\n'], `ip -0 ${line}`);
    t.same([ours.status, ours.stderr], [2, 'rtnl: nexthop objects are of inet or inet6 (-0 is packet)\n'], `rtnl -0 ${line}`);
  }
  t.equal(ip(['nexthop', 'show'], { netns: ns }), '', 'none made by either');
});

t.test('nexthop flush of everything deletes the groups first, as ip (a group goes with its last member)', kernel, async (t) => {
  await sameLines(t, [...MADE, ...split(`
    nexthop flush
    nexthop flush
  `)], twin, state);
});

t.test('the listings print what ip prints, with every selector and output option', kernel, async (t) => {
  const [a, b] = [twin(t), twin(t)];
  for (const args of MADE) {
    ip(args, { netns: a });
    ip(args, { netns: b });
  }
  for (const opts of [[], ['-d'], ['-j'], ['-j', '-p'], ['-d', '-j'], ['-N'], ['-4'], ['-6']]) {
    for (const show of split(`
      nexthop
      nexthop show
      nexthop list dev v0
      nexthop lst groups
      nexthop show protocol 4
      nexthop show master v1
      nexthop get id 12
      nexthop show id 30
      route show
    `)) {
      const args = [...opts, ...show];
      t.same(await RTNL.run(['-n', b, ...args]), await IP.run(['-n', a, ...args]), `rtnl ${args.join(' ')}`);
    }
  }
});

t.test('nexthop bucket list and get print what ip prints (the idle times aside), and refuse as ip does', kernel, async (t) => {
  const [a, b] = [twin(t), twin(t)];
  // A timer past six digits: ip prints it as %g, in its JSON too (1.23457e+06).
  for (const args of [...MADE, ...split('nexthop add id 13 group 1 type resilient buckets 2 idle_timer 1234567')]) {
    ip(args, { netns: a });
    ip(args, { netns: b });
  }
  // A bucket's idle time runs on between ip's listing and rtnl's: it is compared as a number, not a string.
  const idle = /(idle_time"?:? ?)([0-9.e+-]+)/g;
  const still = (s: string): string => s.replace(idle, '$1T');
  const times = (s: string): number[] => [...s.matchAll(idle)].map((m) => Number(m[2]));
  for (const opts of [[], ['-d'], ['-j'], ['-j', '-p'], ['-4']]) {
    for (const show of split(`
      nexthop bucket
      nexthop bucket show
      nexthop bucket list id 12
      nexthop bucket lst nhid 2 dev v0
      nexthop bucket show master v1
      nexthop bucket get id 12 index 7
      nexthop show id 13
    `)) {
      const args = [...opts, ...show];
      const [theirs, ours] = [await IP.run(['-n', a, ...args]), await RTNL.run(['-n', b, ...args])];
      t.same({ ...ours, stdout: still(ours.stdout) }, { ...theirs, stdout: still(theirs.stdout) }, `rtnl ${args.join(' ')}`);
      t.ok(times(ours.stdout).every((s, i) => Math.abs(s - times(theirs.stdout)[i]) < 5), '... idle times in seconds');
    }
  }
  t.match((await RTNL.run(['-n', b, 'nexthop', 'bucket'])).stdout, /^id 12 index 0 idle_time [0-9.]+ nhid 2 \n/, 'the listing is not empty');
  await sameLines(t, [...MADE, ...split(`
    nexthop bucket get id 12 index 8
    nexthop bucket get id 1 index 0
    nexthop bucket get id 10 index 0
    nexthop bucket get id 77 index 0
    nexthop bucket get id 12
    nexthop bucket get index 1
    nexthop bucket get id 12 index 65536
    nexthop bucket get index x id 12
    nexthop bucket get id 12 index 1 dev v0
    nexthop bucket show groups
    nexthop bucket show id 1
    nexthop bucket show id 99
    nexthop bucket show dev nosuch
    nexthop bucket show nhid
    nexthop bucket show vrf v0
    nexthop bucket frob
    nexthop bucket help
  `)], twin, state);
});

t.test('rtnl monitor nexthop prints the lines ip monitor nexthop prints; -d monitor route the nexthop objects routes name', kernel, async (t) => {
  const ns = twin(t);
  const monitors = (file: string): Watcher[] => [['monitor', 'nexthop'], ['monitor', 'all'], ['-d', 'monitor', 'route'], ['-d', 'monitor']].map((words) => watch(file, ['-n', ns, ...words], t));
  const [theirs, ours] = [monitors('ip'), monitors(BIN)];
  await joined(ns, ...theirs, ...ours);
  await new Promise((r) => setTimeout(r, 1000)); // rtnl's first dumps done: a change before them is their baseline
  // The routes deleted before their nexthop: the kernel would drop them without a word, which
  // rtnl monitor prints and ip does not (see docs/cli.md).
  for (const args of split(`
    nexthop add id 1 via 192.0.2.2 dev v0
    route add 198.51.100.0/24 nhid 1
    nexthop add id 2 via 2001:db8::2 dev v0
    nexthop add id 10 group 1/2,3
    nexthop add id 12 group 1 type resilient buckets 8
    nexthop replace id 1 via 192.0.2.3 dev v0
    route add 203.0.113.0/24 nhid 1
    route del 198.51.100.0/24
    route del 203.0.113.0/24
    nexthop del id 10
    nexthop flush
  `)) ip(args, { netns: ns });
  const last = 'Deleted id 1 via 192.0.2.3 dev v0 scope link \n';
  const lastRoute = /Deleted unicast 203\.0\.113\.0\/24 nhid 1 .*\n\tnh_info id 1 .*\n/;
  const done = (w: Watcher): boolean => w.out().endsWith(last) || w.out().endsWith(last.replace('Deleted', '[NEXTHOP]Deleted'))
    || lastRoute.test(w.out());
  for (let i = 0; i < 50 && ![...theirs, ...ours].every(done); i++) await new Promise((r) => setTimeout(r, 100));
  for (const w of [...theirs, ...ours]) w.child.kill('SIGTERM');
  t.equal(ours[0].out(), theirs[0].out(), 'monitor nexthop: ip\'s lines');
  const nexthopLines = (s: string): string => s.split('\n').filter((l) => l.startsWith('[NEXTHOP]')).join('\n');
  t.equal(nexthopLines(ours[1].out()), nexthopLines(theirs[1].out()), 'monitor all: the [NEXTHOP] lines');
  t.ok(nexthopLines(theirs[1].out()).split('\n').length >= 8, 'made, replaced, deleted: each a line');
  // ip prints a route's nexthop object as its cache has it: asked when first named, not told of
  // the replacement under `monitor route` (the second route's nh_info is the old one).
  const routeLines = (s: string): string => s.split('\n').filter((l) => l.includes(' nhid ') || l.startsWith('\tnh_info')).join('\n');
  t.equal(routeLines(ours[2].out()), routeLines(theirs[2].out()), '-d monitor route: the routes and their nh_info');
  const infos = routeLines(theirs[2].out()).split('\n').filter((l) => l.startsWith('\tnh_info'));
  t.ok(infos.length >= 4, `the routes made and deleted, each with its nh_info (${infos.length})`);
  t.ok(infos.every((l) => l === '\tnh_info id 1 via 192.0.2.2 dev v0 scope link proto unspec '), '... the nexthop as first asked');
  // Watching nexthops too, the cache follows their events: the second route's nh_info is the new one.
  t.equal(routeLines(ours[3].out()), routeLines(theirs[3].out()), '-d monitor: the routes and their nh_info');
  t.match(routeLines(theirs[3].out()), /203\.0\.113\.0\/24 nhid 1 .*\n\tnh_info id 1 via 192\.0\.2\.3 /, '... the replaced nexthop');
});

t.test('where rtnl differs from ip on purpose', kernel, async (t) => {
  const ns = twin(t);
  ip(['nexthop', 'add', 'id', '20', 'via', '192.0.2.5', 'fdb'], { netns: ns });
  ip(['nexthop', 'add', 'id', '1', 'dev', 'v0'], { netns: ns });
  // `show fdb`: this kernel answers with every nexthop, which ip prints; rtnl keeps the FDB ones.
  t.equal((await IP.run(['-n', ns, 'nexthop', 'show', 'fdb'])).stdout, 'id 1 dev v0 scope host \nid 20 via 192.0.2.5 scope link fdb\n', 'ip: every nexthop');
  t.same(await RTNL_BIN.run(['-n', ns, 'nexthop', 'show', 'fdb']), { status: 0, stdout: 'id 20 via 192.0.2.5 scope link fdb\n', stderr: '' }, 'rtnl: the FDB ones');
  // A weight past 256 (the kernel keeps 16 bits): ip 6.1 prints its low byte; rtnl the weight.
  ip(['nexthop', 'add', 'id', '2', 'via', '192.0.2.2', 'dev', 'v0'], { netns: ns });
  ip(['nexthop', 'add', 'id', '3', 'via', '192.0.2.3', 'dev', 'v0'], { netns: ns });
  {
    await using rt = await RtNetlink.open({ netns: ns });
    await rt.nexthop.add({ id: 9, group: [{ id: 2, weight: 300 }, 3] });
  }
  t.equal((await IP.run(['-n', ns, 'nexthop', 'show', 'id', '9'])).stdout, 'id 9 group 2,44/3 \n', 'ip 6.1: the low byte');
  t.equal((await RTNL_BIN.run(['-n', ns, 'nexthop', 'show', 'id', '9'])).stdout, 'id 9 group 2,300/3 \n', 'rtnl: the weight');
  // `del` with more than an id: ip sends it all and the kernel refuses; rtnl says so itself.
  t.same(await IP.run(['-n', ns, 'nexthop', 'del', 'id', '1', 'dev', 'v0']), { status: 2, stdout: '', stderr: 'Error: Unknown attribute type.\n' });
  t.same(await RTNL_BIN.run(['-n', ns, 'nexthop', 'del', 'id', '1', 'dev', 'v0']), { status: 2, stdout: '', stderr: 'rtnl: "nexthop delete" takes "id ID" and nothing else\n' });
  t.match(ip(['nexthop', 'show', 'id', '1'], { netns: ns }), /^id 1 dev v0/, 'nothing deleted');
  // A gateway of no bytes: ip sends it empty, and the kernel refuses it; rtnl refuses it itself, as for routes and neighbours.
  t.same(await IP.run(['-n', ns, 'nexthop', 'add', 'id', '7', 'via', 'any', 'dev', 'v0']), { status: 2, stdout: '', stderr: 'Error: Invalid gateway.\n' });
  t.same(await RTNL_BIN.run(['-n', ns, 'nexthop', 'add', 'id', '7', 'via', 'any', 'dev', 'v0']), { status: 1, stdout: '', stderr: 'Error: any valid address is expected rather than "any".\n' });
});
