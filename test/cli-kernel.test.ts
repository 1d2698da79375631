// The rtnl command against iproute2 on this kernel: the same command sequences run through
// `ip` and through `rtnl`, each in throwaway namespaces of its own, must leave the same state;
// and on one state, `rtnl -j X` must print what `ip -j X` prints.
//
// Speed (this file was most of the suite's time): rtnl runs in this process through main(),
// the program minus its entry file (argv in, exit status out), so that some 250 runs do not
// each pay a Node start-up; the program itself (dist/bin/rtnl.cjs, the bundle npm installs as
// `rtnl`) runs where a process
// is the point: inside `netns exec`, for exit codes and error messages, for netns, and for a
// sample of listings compared with main()'s. Independent sequences run concurrently. The tools
// and the comparison are in helpers/cli.ts (cli-options.test.ts uses them too).
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { ip, kernel, scratchNetns } from './helpers/kernel.js';
import { dadDone, IP, laterNetns, ok, RTNL, RTNL_BIN, sameAsIp, state, usageLine, type Json, type Tool } from './helpers/cli.js';
import { NETNS_USAGE } from '../src/cli/netns.js';

/** The seeds with `ip` replaced: one macvlan per mode, each on a veth parent, moved into a namespace, addressed, up, with a default route. */
function seed(T: string[], host: string, kids: string[]): string[][] {
  const modes = ['private', 'vepa', 'bridge', 'passthru', 'source'];
  const steps: string[][] = [];
  modes.forEach((mode, i) => {
    steps.push(['-n', host, 'link', 'add', `pa${i}`, 'type', 'veth', 'peer', 'name', `pb${i}`]);
    const extra = mode === 'source' ? ['macaddr', 'add', '02:00:00:00:00:01'] : mode === 'passthru' ? ['nopromisc'] : [];
    steps.push(['-n', host, 'link', 'add', 'link', `pa${i}`, 'dev', `macvlan${i}`, 'type', 'macvlan', 'mode', mode, ...extra]);
    steps.push(['netns', 'add', kids[i]]);
    steps.push(['-n', host, 'link', 'set', `macvlan${i}`, 'netns', kids[i]]);
    steps.push(['netns', 'exec', kids[i], ...T, 'addr', 'add', `192.0.2.${101 + i}/24`, 'dev', `macvlan${i}`]);
    steps.push(['netns', 'exec', kids[i], ...T, 'link', 'set', `macvlan${i}`, 'up']);
    steps.push(['netns', 'exec', kids[i], ...T, 'route', 'add', '0.0.0.0/0', 'via', '192.0.2.1']);
    steps.push(['-n', host, 'link', 'set', 'dev', `pa${i}`, 'up']);
  });
  // The source-mode list, changed every way; neighbours; a rename, an mtu, a bridge master and back.
  const k = kids[4];
  steps.push(['-n', k, 'link', 'set', 'macvlan4', 'type', 'macvlan', 'macaddr', 'add', '02:00:00:00:00:02']);
  steps.push(['-n', k, 'link', 'set', 'macvlan4', 'type', 'macvlan', 'macaddr', 'del', '02:00:00:00:00:01']);
  steps.push(['-n', k, 'link', 'set', 'macvlan4', 'type', 'macvlan', 'macaddr', 'set', '02:00:00:00:00:0a', '02:00:00:00:00:0b']);
  steps.push(['-n', k, 'neigh', 'add', '192.0.2.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'macvlan4']);
  steps.push(['-n', k, 'neigh', 'add', '192.0.2.8', 'lladdr', '02:00:00:00:00:08', 'dev', 'macvlan4', 'nud', 'stale']);
  steps.push(['-n', k, 'neigh', 'del', '192.0.2.8', 'dev', 'macvlan4']);
  steps.push(['-n', kids[0], 'addr', 'add', '198.51.100.5/24', 'dev', 'macvlan0']);
  steps.push(['-n', kids[0], 'addr', 'add', '2001:db8::5/64', 'dev', 'macvlan0', 'nodad']);
  steps.push(['-n', kids[0], 'addr', 'del', '198.51.100.5/24', 'dev', 'macvlan0']);
  steps.push(['-n', kids[0], 'route', 'add', '203.0.113.0/24', 'via', '192.0.2.9', 'metric', '50']);
  steps.push(['-n', kids[0], 'route', 'add', 'blackhole', '198.51.100.128/25']);
  steps.push(['-n', kids[0], 'route', 'del', '203.0.113.0/24']);
  steps.push(['-n', host, 'link', 'add', 'br0', 'type', 'bridge']);
  steps.push(['-n', host, 'link', 'set', 'dev', 'pb0', 'master', 'br0']);
  steps.push(['-n', host, 'link', 'set', 'dev', 'pb1', 'master', 'br0']);
  steps.push(['-n', host, 'link', 'set', 'dev', 'pb1', 'nomaster']);
  steps.push(['-n', host, 'link', 'set', 'dev', 'pb2', 'mtu', '1400', 'name', 'renamed2']);
  steps.push(['-n', host, 'link', 'add', 'name', 'x0', 'type', 'veth', 'peer', 'x1']);
  steps.push(['-n', host, 'link', 'del', 'x0']);
  // `link DEV` given to kinds that sit on no parent: ip sends it, their drivers ignore it.
  steps.push(['-n', host, 'link', 'add', 'link', 'pa0', 'name', 'y0', 'type', 'veth', 'peer', 'name', 'y1']);
  steps.push(['-n', host, 'link', 'add', 'link', 'pa0', 'name', 'br1', 'type', 'bridge']);
  steps.push(['-n', host, 'link', 'set', 'pb4', 'up']);
  return steps;
}

/** Runs the seed sequence with a tool (in order: each step needs the last); `netns exec` runs the tool as a process inside. */
async function runSeed(tool: Tool, host: string, kids: string[]): Promise<void> {
  for (const step of seed(tool.words, host, kids)) await ok(step[1] === 'exec' && tool === RTNL ? RTNL_BIN : tool, step);
}

/** The seed's namespaces: a host made here, five that the sequence makes itself. */
function seedNetns(t: Test): { host: string; kids: string[] } {
  return { host: scratchNetns(t, 'clh'), kids: [0, 1, 2, 3, 4].map(() => laterNetns(t, 'clk')) };
}

async function seedState(t: Test, tool: Tool): Promise<Json> {
  const { host, kids } = seedNetns(t);
  await runSeed(tool, host, kids);
  const [h, ...k] = await Promise.all([host, ...kids].map(state));
  return { host: h, kids: k };
}

t.test('the seed sequences leave the same state through ip and through rtnl', kernel, async (t) => {
  // Two sets of namespaces: the sequences run side by side.
  const [byIp, byRtnl] = await Promise.all([seedState(t, IP), seedState(t, RTNL)]);
  t.same(byRtnl, byIp);
  // The comparison has substance: five macvlans, the source list as set last, the default routes.
  const kids = byRtnl.kids as Array<{ links: Array<Json & { linkinfo?: { info_data?: Json } }>; routes: Json[] }>;
  t.same(kids.map((k) => k.links.find((l) => String(l.ifname).startsWith('macvlan'))?.linkinfo?.info_data?.mode),
    ['private', 'vepa', 'bridge', 'passthru', 'source']);
  t.same(kids[4].links.find((l) => l.ifname === 'macvlan4')?.linkinfo?.info_data?.macaddr_data, ['02:00:00:00:00:0b', '02:00:00:00:00:0a']);
  t.ok(kids.every((k) => k.routes.some((r) => r.dst === 'default' && r.gateway === '192.0.2.1')));
});

t.test('rtnl prints what ip prints, text and JSON, on the same state', kernel, async (t) => {
  const { host, kids } = seedNetns(t);
  await runSeed(IP, host, kids);
  await Promise.all([host, ...kids].map(dadDone));
  const shows = [
    ['link', 'show'], ['-d', 'link', 'show'], ['address', 'show'], ['-4', 'address', 'show'], ['route', 'show'],
    ['-6', 'route', 'show'], ['neigh', 'show'], ['link', 'show', 'dev', 'macvlan0'], ['-d', 'link', 'show', 'macvlan4'],
    ['addr', 'show', 'dev', 'macvlan0'], ['route', 'show', 'table', 'all'], ['route', 'get', '203.0.113.9'],
  ];
  for (const ns of [host, ...kids]) {
    for (const args of shows) {
      if (args[0] === 'route' && args[1] === 'get' && ns === host) continue; // no route there: ip fails too
      if (args.includes('macvlan0') && ns !== kids[0]) continue;
      if (args.includes('macvlan4') && ns !== kids[4]) continue;
      for (const fmt of [[], ['-j'], ['-j', '-p']]) await sameAsIp(t, ns, [...fmt, ...args]);
    }
  }
  // The program itself prints the same (main() is all of it but its last lines): a sample, as processes.
  await Promise.all([[], ['-j'], ['-j', '-p']].flatMap((fmt) => [
    sameAsIp(t, kids[4], [...fmt, '-d', 'link', 'show', 'macvlan4'], RTNL_BIN),
    sameAsIp(t, kids[0], [...fmt, 'address', 'show'], RTNL_BIN),
  ]));
});

t.test('-d details of a bridge, its hairpin port and vxlans are those of ip', kernel, async (t) => {
  const ns = scratchNetns(t, 'cld');
  // A bridge MAC with zero bytes (ip prints bridge ids unpadded), a port with hairpin on, a
  // forward mask and a backup port; vxlans: IPv4 with most options, IPv6 external with a flow
  // label, IPv4 multicast, VNI-filtering. The bridge stays down, so its timers do not run
  // between ip's snapshot and rtnl's.
  const steps = [
    ['link', 'add', 'br0', 'address', '02:00:00:00:0a:01', 'type', 'bridge', 'group_fwd_mask', '8'],
    ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'],
    ['link', 'add', 'v2', 'type', 'veth', 'peer', 'name', 'v3'],
    ['link', 'set', 'v0', 'master', 'br0'],
    ['link', 'set', 'v2', 'master', 'br0'],
    ['link', 'set', 'v0', 'type', 'bridge_slave', 'hairpin', 'on', 'group_fwd_mask', '16388', 'backup_port', 'v2'],
    ['link', 'add', 'vx0', 'type', 'vxlan', 'id', '5', 'dstport', '4789', 'local', '192.0.2.1', 'remote', '198.51.100.1', 'dev', 'v1',
      'srcport', '1000', '2000', 'tos', '0x10', 'ttl', '64', 'df', 'set', 'maxaddr', '5', 'noudpcsum'],
    ['link', 'add', 'vx6', 'type', 'vxlan', 'external', 'group', 'ff05::1', 'local', '2001:db8::1', 'dev', 'v1', 'dstport', '0',
      'nolearning', 'ttl', 'inherit', 'l2miss', 'flowlabel', '0x123'],
    ['link', 'add', 'vx2', 'type', 'vxlan', 'id', '7', 'group', '239.1.1.1', 'dev', 'v1', 'dstport', '4789', 'tos', 'inherit',
      'remcsumtx', 'remcsumrx', 'gbp'],
    ['link', 'add', 'vx3', 'type', 'vxlan', 'dstport', '4790', 'gpe', 'external', 'vnifilter'],
    ['link', 'set', 'vx0', 'protodown', 'on'], // printed after the link-layer line
  ];
  for (const step of steps) await ok(IP, ['-n', ns, ...step]);
  for (const fmt of [[], ['-j'], ['-j', '-p']]) for (const d of [['-d'], []]) await sameAsIp(t, ns, [...fmt, ...d, 'link', 'show']);
  await sameAsIp(t, ns, ['-d', 'link', 'show', 'v0'], RTNL_BIN);
  // The comparison has substance: the details are there.
  const links = JSON.parse(await ok(RTNL, ['-n', ns, '-j', '-d', 'link', 'show'])) as Array<Json & { linkinfo?: Json }>;
  const info = (name: string): Json => links.find((l) => l.ifname === name)?.linkinfo ?? {};
  t.match(info('br0').info_data, { bridge_id: '8000.2:0:0:0:a:1', group_fwd_mask: '0x8', hello_timer: 0 });
  t.match(info('v0').info_slave_data, { hairpin: true, group_fwd_mask_str: 'lacp,lldp', backup_port: 'v2' });
  t.match(links.find((l) => l.ifname === 'vx0'), { proto_down: true });
  t.match(info('vx0').info_data, { id: 5, remote: '198.51.100.1', port_range: { low: 1000, high: 2000 }, df: 'set', udp_csum: false });
  t.match(info('vx6').info_data, { external: true, group6: 'ff05::1', learning: false, label: '0x123' });
  t.match(info('vx2').info_data, { group: '239.1.1.1', tos: '0x1', remcsum_tx: true, gbp: true });
  t.match(info('vx3').info_data, { vnifilter: true, gpe: true });
});

t.test('route add|get read their prefixes as ip does: refusals, short forms, default, the /N warning', kernel, async (t) => {
  const ns = scratchNetns(t, 'clp');
  await ok(IP, ['-n', ns, 'address', 'add', '2001:db8::1/64', 'dev', 'lo', 'nodad']);
  const cases = [
    ['route', 'add', '203.0.113.0/33', 'dev', 'lo'], ['route', 'add', '2001:db8::/129', 'dev', 'lo'], ['-4', 'route', 'add', '2001:db8::/64', 'dev', 'lo'],
    ['route', 'get', '192.0.2.1', 'table', '5'], ['route', 'get', 'default'], ['-4', 'route', 'get', 'default'], ['-6', 'route', 'get', 'default'],
    ['route', 'get', '127.0.0.1/8'], ['route', 'get', '2001:db8::1/64'], ['route', 'get', '127.0.0.1', '2001:db8::1'], ['route', 'get', '10.1'],
  ];
  for (const args of cases) {
    const [theirs, ours] = [await IP.run(['-n', ns, ...args]), await RTNL.run(['-n', ns, ...args])];
    t.same(ours, theirs, args.join(' '));
  }
  for (const tool of [IP, RTNL]) {
    await ok(tool, ['-n', ns, 'route', 'add', '10/8', 'dev', 'lo']);
    t.equal(ip(['route', 'show', 'dev', 'lo'], { netns: ns }), '10.0.0.0/8 scope link \n', `${tool.name}: 10/8 is 10.0.0.0/8`);
    await ok(tool, ['-n', ns, 'route', 'del', '10/8', 'dev', 'lo']);
  }
});

t.test('errors and exit codes are those of ip', kernel, async (t) => {
  const ns = scratchNetns(t, 'cle');
  await ok(IP, ['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
  const cases = [
    ['link', 'show', 'nosuch'], ['link', 'del', 'nosuch'], ['link', 'add', 'v0', 'type', 'veth'], ['link', 'frobnicate'],
    ['frobnicate'], ['link', 'set', 'v0', 'mtu', 'abc'], ['link', 'set', 'dev'], ['addr', 'add', '192.0.2.1/24'],
    ['addr', 'add', 'nonsense', 'dev', 'v0'], ['addr', 'add', '192.0.2.1/24', 'dev', 'nosuch'],
    ['link', 'add', 'link', 'v0', 'dev', 'mv1', 'type', 'macvlan', 'mode', 'privat'], ['route', 'add', 'default', 'via', '198.51.100.1'],
    ['link', 'set', 'v0', 'foo'], ['-x', 'link'], ['link', 'help'],
    // rtnl_rtprot_a2n(): a name from the table or a number up to 255, else ip's refusal before any request.
    ['route', 'add', '203.0.113.0/24', 'dev', 'v0', 'protocol', 'nosuch'], ['route', 'add', '203.0.113.0/24', 'dev', 'v0', 'protocol', '256'],
    ['route', 'add', '203.0.113.0/24', 'dev', 'v0', 'protocol', '0x100'],
  ];
  // As processes (exit codes are the point), all at once: each case changes nothing.
  const results = await Promise.all(cases.map((args) => Promise.all([IP.run(['-n', ns, ...args]), RTNL_BIN.run(['-n', ns, ...args])])));
  cases.forEach((args, i) => {
    const [a, b] = results[i];
    t.equal(b.status, a.status, `exit code of ${args.join(' ')}`);
    if (args.includes('help')) t.match(b.stderr, /^Usage: rtnl link/, 'link help');
    else t.equal(usageLine(b.stderr), usageLine(a.stderr), `message of ${args.join(' ')}`);
  });
  // `macaddr add|del` with an address of another length: ip refuses it without a word (exit 1);
  // rtnl with its status and says why (it gave the library's refusal, exit 2).
  const shortMac = ['-n', ns, 'link', 'add', 'link', 'v0', 'name', 'mv2', 'type', 'macvlan', 'mode', 'source', 'macaddr', 'del', '02:00:00:00:00'];
  const [theirs, ours] = await Promise.all([IP.run(shortMac), RTNL_BIN.run(shortMac)]);
  t.same([theirs.status, theirs.stderr], [1, ''], 'ip');
  t.same([ours.status, ours.stderr], [1, 'macaddr del: "02:00:00:00:00" is 5 bytes, not a MAC address (6)\n'], 'rtnl');
  // An address added twice: the kernel's extended ACK, exit 2, both ways.
  const add = ['-n', ns, 'addr', 'add', '192.0.2.1/24', 'dev', 'v0'];
  await ok(IP, add);
  const [a, b] = await Promise.all([IP.run(add), RTNL_BIN.run(add)]);
  t.equal(b.status, 2);
  t.equal(b.stderr, a.stderr);
});

t.test('a device named `ifN`, or that could not be a link, is looked up and refused as ip does', kernel, async (t) => {
  // ll_name_to_index(): a link's name, else N for `ifN`. `link show` then asks for the name (the
  // kernel refuses: exit 1), `address show` and `link show ... group` for the index (a refusal
  // is printed, nothing listed, exit 0), `address flush` dumps with it (the kernel refuses: exit 1).
  const ns = scratchNetns(t, 'cli');
  const cases = [
    ['link', 'show', 'dev', 'if7'], ['link', 'show', 'dev', 'if1'], ['link', 'show', 'dev', 'if7', 'group', 'default'],
    ['link', 'show', 'dev', 'if1', 'group', 'default'], ['address', 'show', 'dev', 'if7'], ['address', 'show', 'dev', 'if1'],
    ['-j', 'address', 'show', 'dev', 'if7'], ['address', 'flush', 'dev', 'if7'], ['address', 'flush', 'dev', 'if1', 'scope', 'global'],
    ['link', 'show', 'dev', 'a/b'], ['address', 'show', 'dev', 'a/b'], ['link', 'show', 'dev', 'ifx'],
  ];
  for (const args of cases) {
    const [theirs, ours] = await Promise.all([IP.run(['-n', ns, ...args]), RTNL.run(['-n', ns, ...args])]);
    t.same(ours, theirs, args.join(' '));
  }
  // A vxlan moved to another namespace keeps its lower device's index from the first: ip names
  // it `if3` (ll_index_to_name() of an index not here), and so must rtnl.
  const there = scratchNetns(t, 'clv');
  await ok(IP, ['-n', there, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
  await ok(IP, ['-n', there, 'link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dev', 'v0', 'dstport', '4789']);
  await ok(IP, ['-n', there, 'link', 'set', 'vx0', 'netns', ns]);
  await sameAsIp(t, ns, ['-d', 'link', 'show', 'vx0']);
  const v0 = JSON.parse(await ok(IP, ['-n', there, '-j', 'link', 'show', 'v0'])) as Array<{ ifindex: number }>;
  t.match(await ok(RTNL, ['-n', ns, '-d', 'link', 'show', 'vx0']), ` dev if${v0[0].ifindex} `, 'the comparison has substance');
});

t.test('netns add, set, list, list-id, exec, delete as ip netns', kernel, async (t) => {
  // In this process, but exec as a process: it runs the user's command (and -all exec forks one a namespace).
  const rtnl = (args: string[]) => ok(RTNL, args);
  const a = laterNetns(t, 'cln');
  await rtnl(['netns', 'add', a]);
  t.ok(ip(['netns', 'list']).split('\n').some((l) => l.startsWith(a)), 'ip sees the namespace rtnl made');
  await rtnl(['netns', 'set', a, '77']);
  const lists = [['netns', 'list'], ['-j', 'netns', 'list'], ['netns', 'list-id'], ['-j', 'netns', 'list-id']];
  const listed = await Promise.all(lists.map((args) => Promise.all([rtnl(args), ok(IP, args)])));
  // Only this test's namespace: the other test files add and delete theirs in the same /run/netns meanwhile.
  const mine = (out: string, json: boolean): unknown =>
    json ? (JSON.parse(out) as Json[]).filter((e) => e.name === a) : out.split('\n').filter((l) => l.includes(a));
  lists.forEach((args, i) => {
    const json = args[0] === '-j';
    t.same(mine(listed[i][0], json), mine(listed[i][1], json), args.join(' '));
    t.equal((mine(listed[i][1], json) as unknown[]).length, 1, `${args.join(' ')}: ip lists the namespace`);
  });
  t.match(listed[2][0], new RegExp(`^nsid 77 \\(iproute2 netns name: ${a}\\)$`, 'm'), 'the nsid set is the one asked');
  // exec: the user's command runs inside; its output and exit status come through.
  const [inside, seven, dup] = await Promise.all([
    ok(RTNL_BIN, ['netns', 'exec', a, 'ip', '-j', 'link', 'show']), RTNL_BIN.run(['netns', 'exec', a, 'sh', '-c', 'exit 7']), RTNL.run(['netns', 'add', a]),
  ]);
  t.same((JSON.parse(inside) as Json[]).map((l) => l.ifname), ['lo']);
  t.equal(seven.status, 7);
  t.equal(dup.status, 1);
  t.equal(dup.stderr, `Cannot create namespace file "/run/netns/${a}": File exists\n`);
  // Refusals and the user's command's fate, as ip reports them (status and stderr), through the program.
  const q = laterNetns(t, 'clq');
  const cases = [
    ['netns'], ['netns', 'add'], ['netns', 'delete'], ['netns', 'exec'], ['netns', 'set'], ['netns', 'delete', q],
    ['netns', 'attach', q, '12abc'], ['netns', 'attach', q, 'abc12'], ['netns', 'attach', q, '2147483648'], ['netns', 'attach', q, '2147483647'],
    ['netns', 'set', a, 'abc'], ['netns', 'set', a, '2147483648'], ['netns', 'set', a, '-5'], ['netns', 'set', q, '5'], ['netns', 'set', q, '-1'],
    ['netns', 'exec', q, 'true'], ['-all', 'netns', 'exec'],
    ['netns', 'exec', a, '/nonexistent'], ['netns', 'exec', a, '/'],
  ];
  for (const args of cases) {
    const [theirs, ours] = await Promise.all([IP.run(args), RTNL_BIN.run(args)]);
    t.same([ours.status, ours.stderr], [theirs.status, theirs.stderr], args.join(' '));
  }
  // ip execs the command in its own place, so it dies of the command's signal; rtnl, its parent,
  // exits with what a shell reports for that death: 128 + the signal's number.
  for (const sig of ['SIGTERM', 'SIGUSR1', 'SIGKILL'] as const) {
    const args = ['netns', 'exec', a, 'sh', '-c', `kill -${sig.slice(3)} $$`];
    t.equal(spawnSync('ip', args).signal, sig, `ip ${sig}`);
    t.equal((await RTNL_BIN.run(args)).status, 128 + constants.signals[sig], `rtnl ${sig}`);
  }
  const word = await RTNL.run(['netns', 'frobnicate']);
  t.same([word.status, word.stderr], [255, 'Command "frobnicate" is unknown, try "rtnl netns help".\n'], 'an unknown word, as ip (which names itself)');
  const help = await RTNL.run(['netns', 'help']);
  t.same([help.status, help.stderr], [255, NETNS_USAGE]);
  // `auto`: the kernel picks the nsid (the first free one).
  const b = laterNetns(t, 'clb');
  await rtnl(['netns', 'add', b]);
  await rtnl(['netns', 'set', b, 'auto']);
  t.match(await rtnl(['netns', 'list-id']), new RegExp(`^nsid \\d+ \\(iproute2 netns name: ${b}\\)$`, 'm'), 'auto gave an nsid');
  await rtnl(['netns', 'del', a]);
  t.notOk(ip(['netns', 'list']).includes(a), 'gone for ip too');
  for (const bad of [['add', '..'], ['add', 'a/b'], ['add', ''], ['add', 'x'.repeat(256)], ['delete', '.'], ['set', '..', '5']]) {
    const [theirs, ours] = await Promise.all([IP.run(['netns', ...bad]), RTNL.run(['netns', ...bad])]);
    t.same([ours.status, ours.stderr], [theirs.status, theirs.stderr], `netns ${bad.join(' ').slice(0, 20)}: refused as ip refuses it`);
  }
});
