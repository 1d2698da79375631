// rtnl's global options against iproute2's ip on this kernel: -batch (and -force), -s, -br, -o.
// Batches run through ip and through rtnl in namespaces of their own must print the same and
// leave the same state; listings on one state must print what ip prints, text and -j.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ip, kernel, noDad, scratchNetns, uniqueName } from './helpers/kernel.js';
import { ping } from './helpers/ping.js';
import { main } from '../src/cli/main.js';
import { batchFile, usageLine, BIN, IP, ok, RTNL, RTNL_BIN, sameAsIp, state, type Result, type Tool } from './helpers/cli.js';

/** ip's messages with the program's name as rtnl gives it (`Object "x" is unknown, try "rtnl help".`). */
const ipNamed = (s: string): string => s.replace(/"ip help"/g, '"rtnl help"');

/** A batch file for this test, removed at its end. */

// Fixed MACs and links left down (no IPv6 link-local address, no DAD): two runs print the same.
// `addr show` comes before any `link show`: after one, ip's batch prints `addr show` as `link
// show` (ipaddress.c's do_link is set and never reset), which rtnl does not copy.
const BATCH = [
  '# the seed steps, as a batch',
  'link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
  'link add link v0 name mv0 address 02:00:00:00:00:03 type macvlan mode bridge   # a comment after a command',
  '',
  'addr add 192.0.2.1/24 dev v0',
  'link add v0 type veth peer name v1',
  `link set v1 alias "a 'b' c"`,
  'link set mv0 \\',
  '    mtu 1400',
  'addr add 198.51.100.1/24 dev nosuch',
  'frobnicate',
  'neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev v0 nud permanent',
  'addr show dev v0',
  'link show nosuch',
  '   link show mv0',
  'route show table all',
  'neigh show',
];

/** Runs a batch with each tool in a namespace of its own: what each printed and the state it left. */
async function bothWays(t: Test, tools: [Tool, Tool], args: string[]): Promise<Array<Result & { state: unknown }>> {
  return Promise.all(tools.map(async (tool) => {
    const ns = scratchNetns(t, 'clb');
    const r = await tool.run(['-n', ns, ...args]);
    return { ...r, state: await state(ns) };
  }));
}

t.test('-batch lists links afresh after a line changed them, as ip', kernel, async (t) => {
  const file = batchFile(t, [
    'link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
    'link show', 'link set v1 name w1', 'link add br0 address 02:00:00:00:00:05 type bridge', 'link show',
  ]);
  const [byIp, byRtnl] = await bothWays(t, [IP, RTNL], ['-batch', file]);
  t.same([byRtnl.status, byRtnl.stdout, byRtnl.stderr], [byIp.status, byIp.stdout, byIp.stderr]);
  t.match(byRtnl.stdout, /: w1@v0: [^]*: br0: /, 'the last listing has the rename and the bridge');
});

t.test('-batch runs each line as ip does, stops at a failed line, goes on with -force', kernel, async (t) => {
  const file = batchFile(t, BATCH);
  for (const opts of [[], ['-force'], ['-j', '-force']]) {
    const [byIp, byRtnl] = await bothWays(t, [IP, RTNL], [...opts, '-batch', file]);
    const what = [...opts, '-batch'].join(' ');
    t.equal(byRtnl.status, byIp.status, `${what}: exit status`);
    t.equal(byRtnl.stdout, byIp.stdout, `${what}: output`);
    t.equal(byRtnl.stderr, ipNamed(byIp.stderr), `${what}: errors`);
    t.same(byRtnl.state, byIp.state, `${what}: state`);
  }
  // The comparison has substance: without -force the batch stopped at line 6; with it, the
  // failures are those of lines 6, 10, 11 and 14, and what follows them ran.
  const [stopped, forced] = await Promise.all([['-batch', file], ['-force', '-batch', file]].map(async (args) => {
    const ns = scratchNetns(t, 'clb');
    return { ...(await RTNL.run(['-n', ns, ...args])), state: await state(ns) };
  }));
  t.equal(stopped.status, 1);
  t.equal(stopped.stderr, `RTNETLINK answers: File exists\nCommand failed ${file}:6\n`);
  t.equal(stopped.stdout, '');
  t.equal(forced.status, 1);
  t.same(forced.stderr.split('\n').filter((l) => l.startsWith('Command failed')), [6, 10, 11, 14].map((n) => `Command failed ${file}:${n}`));
  const links = (forced.state as { links: Array<{ ifname: string; mtu: number; ifalias?: string }> }).links;
  t.equal(links.find((l) => l.ifname === 'mv0')?.mtu, 1400, 'the continued line ran');
  t.equal(links.find((l) => l.ifname === 'v1')?.ifalias, "a 'b' c", 'the quoted word is one argument');
  t.match(forced.stdout, /^\d+: v0@v1: .*\n    link\/ether 02:00:00:00:00:01 .*\n    inet 192\.0\.2\.1\/24 scope global v0\n/);
  t.match(forced.stdout, /\n192\.0\.2\.7 dev v0 lladdr 02:00:00:00:00:07 PERMANENT \n$/);
});

t.test('-batch dumps routes as the batch of ip does: every table, then selected (a table the kernel has not is empty)', kernel, async (t) => {
  // ip's batch does not ask the kernel to check dumps strictly, so the kernel neither filters by
  // table or link nor refuses a table it has not made or an index no link has; outside a batch
  // both print the kernel's error.
  const file = batchFile(t, [
    'route show table 100', 'route flush table 100', 'route show table 100 proto static',
    'route add blackhole 192.0.2.0/24 table 101 proto static', 'route show table 101', 'route show table 101 proto boot',
    'route flush table 102', 'route show table all', 'address flush dev if9999',
  ]);
  for (const opts of [['-force'], ['-j', '-force'], ['-j', '-p'], ['-6', '-force']]) {
    const [byIp, byRtnl] = await bothWays(t, [IP, RTNL], [...opts, '-batch', file]);
    const what = [...opts, '-batch'].join(' ');
    t.same([byRtnl.status, byRtnl.stdout, byRtnl.stderr], [byIp.status, byIp.stdout, byIp.stderr], what);
    t.same(byRtnl.state, byIp.state, `${what}: state`);
  }
  const ns = scratchNetns(t, 'clb');
  const alone = await RTNL.run(['-n', ns, '-force', '-batch', file]);
  t.equal(alone.stderr, '', 'no line failed');
  t.match(alone.stdout, /^blackhole 192\.0\.2\.0\/24 proto static \n/m, 'table 101 listed');
  for (const tool of [IP, RTNL]) {
    t.same(await tool.run(['-n', ns, 'route', 'show', 'table', '100']),
      { status: 2, stdout: '', stderr: 'Error: ipv4: FIB table does not exist.\nDump terminated\n' }, `${tool.name} outside a batch`);
    t.same(await tool.run(['-n', ns, 'address', 'flush', 'dev', 'if9999']),
      { status: 1, stdout: '', stderr: 'RTNETLINK answers: No such device\nFlush terminated\n' }, `${tool.name} outside a batch`);
  }
});

t.test('-batch: what ip exits for ends the batch even with -force; files that cannot be read', kernel, async (t) => {
  const cases = [
    ['link add v0 type veth peer name v1', 'link set v0 mtu abc', 'link show v0'], // usage error: 255
    ['link add v0 type veth peer name v1', 'addr add nonsense dev v0', 'link show v0'], // get_prefix() exits 1
    ['link add v0 type veth peer name v1', 'link set v0 alias "open', 'link show v0'], // makeargs() exits 1
    ['link add v0 type veth peer name v1', 'link set v0 \\'], // a continuation with nothing after it
    ['link add v0 type veth peer name v1', 'link help'],
    // ipneigh_modify() exits when the kernel refuses: exit(2)
    ['link add v0 type veth peer name v1', 'neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev v0', 'neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev v0', 'link show v0'],
    ['link add v0 type veth peer name v1', 'neigh del 192.0.2.9 dev v0', 'link show v0'],
  ];
  for (const lines of cases) {
    const file = batchFile(t, lines);
    const [byIp, byRtnl] = await bothWays(t, [IP, RTNL_BIN], ['-force', '-batch', file]);
    const what = lines.slice(1).join('; ');
    t.equal(byRtnl.status, byIp.status, `${what}: exit status`);
    t.equal(byRtnl.stdout, byIp.stdout, `${what}: output`);
    // Usage texts differ in the program's name and in what is covered: the first line up to its first option.
    const first = (s: string) => usageLine(s).split(' [')[0];
    t.equal(first(byRtnl.stderr), first(byIp.stderr), `${what}: message`);
    t.same(byRtnl.state, byIp.state, `${what}: state`);
  }
  // A neighbour of a link-layer address (-0): ip sends it and exits on the kernel's refusal; rtnl refuses it first, and exits too.
  const file = batchFile(t, ['neigh add 02:00:00:00:00:07 lladdr 02:00:00:00:00:08 dev lo', 'link show lo']);
  const [byIp, byRtnl] = await bothWays(t, [IP, RTNL_BIN], ['-0', '-force', '-batch', file]);
  t.same([byRtnl.status, byRtnl.stdout, byRtnl.state], [byIp.status, byIp.stdout, byIp.state], '-0 neigh add: the batch ends');
  t.same([byRtnl.status, byRtnl.stdout], [2, ''], 'exit 2, the listing after it not run');
  const missing = join(tmpdir(), uniqueName('rtnl-no-such-batch'));
  const [a, b] = await Promise.all([IP.run(['-batch', missing]), RTNL_BIN.run(['-batch', missing])]);
  t.same(b, a, 'a file that does not exist');
  t.same(b.stderr, `Cannot open file "${missing}" for reading: No such file or directory\n`);
});

/** Runs a program with `input` on its stdin. */
function withInput(file: string, args: string[], input: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

t.test('-batch - reads stdin', kernel, async (t) => {
  const input = `${BATCH.join('\n')}\n`;
  const results = await Promise.all([['ip', 'clb'], [BIN, 'clb']].map(async ([file, prefix]) => {
    const ns = scratchNetns(t, prefix);
    const r = await withInput(file, ['-n', ns, '-force', '-batch', '-'], input);
    return { ...r, state: await state(ns) };
  }));
  t.same(results[1], { ...results[0], stderr: ipNamed(results[0].stderr) });
  t.match(results[1].stderr, /Command failed -:14\n$/);
});

t.test('a listing after a change in the same batch sees the change (one socket, fresh names)', kernel, async (t) => {
  const ns = scratchNetns(t, 'clb');
  const file = batchFile(t, [
    'link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
    'link show v0', 'link set v0 name w0', 'link show w0', 'link show', 'link del w0', 'link show',
  ]);
  const ours = await ok(RTNL, ['-n', ns, '-batch', file]);
  const other = scratchNetns(t, 'clb');
  t.equal(ours, await ok(IP, ['-n', other, '-batch', file]));
  t.match(ours, /\d+: w0@v1: [^\n]*\n[^\n]*\n1: lo: [^\n]*\n[^\n]*\n$/, 'the renamed link listed, then lo alone');
});

t.test('-s, -br and -o listings are those of ip, text and JSON, on one state', kernel, async (t) => {
  const ns = scratchNetns(t, 'cls');
  const peer = scratchNetns(t, 'cls');
  noDad(ns);
  const steps = [
    ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1', 'netns', peer],
    ['link', 'add', 'averyveryverylo', 'type', 'veth', 'peer', 'name', 'w1'], // 15 characters: wider than -br's column
    ['link', 'add', 'link', 'v0', 'name', 'mv0', 'type', 'macvlan', 'mode', 'bridge'],
    ['link', 'add', 'vx0', 'type', 'vxlan', 'id', '5', 'dstport', '4789'],
    ['link', 'set', 'vx0', 'alias', 'hello world'],
    ['addr', 'add', '192.0.2.1/24', 'dev', 'v0'],
    ['addr', 'add', '198.51.100.1/24', 'dev', 'mv0', 'metric', '7'],
    ['addr', 'add', '2001:db8::1/64', 'dev', 'averyveryverylo', 'nodad'],
    ['neigh', 'add', '198.51.100.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'mv0', 'nud', 'permanent'],
    ['link', 'set', 'lo', 'up'],
    ['link', 'set', 'v0', 'up'],
  ];
  for (const step of steps) await ok(IP, ['-n', ns, ...step]);
  await ok(IP, ['-n', peer, 'addr', 'add', '192.0.2.2/24', 'dev', 'v1']);
  await ok(IP, ['-n', peer, 'link', 'set', 'v1', 'up']);
  // Traffic, then the links down: their counters stay as they are between ip's listing and rtnl's.
  let answered = false;
  for (let i = 0; i < 20 && !answered; i++) answered = await ping(ns, '192.0.2.2');
  t.ok(answered, 'traffic went through v0');
  // Past a thousand bytes, so that -h has something to scale.
  await ok(IP, ['netns', 'exec', ns, 'ping', '-n', '-q', '-c3', '-i0.2', '-s1000', '192.0.2.2']);
  await ok(IP, ['-n', ns, 'link', 'set', 'v0', 'down']);
  const shows = [
    ['-s', 'link', 'show'], ['-s', '-s', 'link', 'show'], ['-s', 'address', 'show'], ['-s', '-s', 'address', 'show'],
    ['-s', 'link', 'show', 'v0'], ['-stat', '-d', 'link', 'show'],
    ['-br', 'link', 'show'], ['-br', 'address', 'show'], ['-br', '-4', 'address', 'show'], ['-br', '-0', 'address', 'show'],
    ['-br', '-s', 'address', 'show'], ['-brief', 'link', 'show', 'mv0'], ['-4', 'link', 'show'],
    ['-o', 'link', 'show'], ['-o', '-s', '-s', 'link', 'show'], ['-o', '-d', 'link', 'show'], ['-o', 'address', 'show'],
    ['-o', '-s', 'address', 'show'], ['-oneline', '-6', 'address', 'show'], ['-o', '-br', 'address', 'show'],
    ['-o', 'route', 'show', 'table', 'all'], ['-o', 'neigh', 'show'], ['-o', 'route', 'get', '127.0.0.1'],
    ['-br', 'neigh', 'show'], ['-br', 'neigh', 'show', 'dev', 'mv0'], ['-br', '-s', 'neigh', 'show', 'nud', 'all'], ['-br', '-o', 'neigh', 'show'],
    ['-h', '-s', 'link', 'show'], ['-h', '-s', '-s', 'link', 'show', 'v0'], ['-iec', '-h', '-s', 'address', 'show'],
    ['-human-readable', '-s', 'link', 'show', 'v0'], ['-N', 'route', 'show', 'table', 'all'], ['-Numeric', 'link', 'show'],
    ['-N', '-d', 'address', 'show'],
  ];
  for (const args of shows) for (const fmt of [[], ['-j'], ['-j', '-p']]) await sameAsIp(t, ns, [...fmt, ...args]);
  await Promise.all([['-s', '-s', 'link', 'show'], ['-br', 'address', 'show'], ['-o', 'address', 'show']].map((args) => sameAsIp(t, ns, args, RTNL_BIN)));
  // The comparison has substance: counters that are not zero, a name past the column, lines joined.
  const [v0] = JSON.parse(await ok(RTNL, ['-n', ns, '-j', '-s', '-s', 'link', 'show', 'v0'])) as Array<{ stats64: { rx: { packets: number }; tx: { carrier_changes: number } } }>;
  t.ok(v0.stats64.rx.packets > 0 && v0.stats64.tx.carrier_changes > 0, 'counters counted');
  t.match(await ok(RTNL, ['-n', ns, '-br', 'link', 'show']), /\naveryveryverylo@w1 DOWN {11}/);
  t.match(await ok(RTNL, ['-n', ns, '-o', 'address', 'show', 'dev', 'mv0']), /^\d+: mv0 {4}inet 198\.51\.100\.1\/24 metric 7 [^\n]*\\ {7}valid_lft forever preferred_lft forever\n$/);
  t.match(await ok(RTNL, ['-n', ns, '-o', 'route', 'get', '127.0.0.1']), /\\ {4}cache <local> \n$/);
  t.match(await ok(RTNL, ['-n', ns, '-h', '-s', 'link', 'show', 'v0']), / \d\.\d\dk /, 'counters scaled by -h');
  t.match(await ok(RTNL, ['-n', ns, '-N', 'route', 'show', 'table', 'local']), /^2 127\.0\.0\.0\/8 dev lo proto 2 scope 254 /, 'types, protocols and scopes as numbers with -N');
});

t.test('-6 address show: each link as its AF_INET6 message has it (no altname, kind, details or link counters; its IPv6 counters under -s)', kernel, async (t) => {
  const ns = scratchNetns(t, 'cl6');
  const peer = scratchNetns(t, 'cl6');
  noDad(ns);
  // Addresses stay when their links go down, so that the counters stand still between ip's listing and rtnl's.
  await ok(IP, ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.keep_addr_on_down=1', 'net.ipv6.conf.default.keep_addr_on_down=1']);
  const steps = [
    // x0 is index 2 here and its peer index 2 there: the AF_INET6 message leaves IFLA_LINK out (no `@`).
    ['link', 'add', 'x0', 'type', 'veth', 'peer', 'name', 'x1', 'netns', peer],
    ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], ['link', 'add', 'br0', 'type', 'bridge'], ['link', 'set', 'v1', 'master', 'br0'],
    ['link', 'add', 'link', 'v0', 'name', 'mv0', 'type', 'macvlan', 'mode', 'vepa'],
    ['link', 'property', 'add', 'dev', 'x0', 'altname', 'x0-alt', 'altname', 'x0-an-alternative-name-longer-than-ifnamsiz'],
    ['addr', 'add', '2001:db8::1/64', 'dev', 'x0', 'nodad'], ['addr', 'add', '2001:db8:1::1/64', 'dev', 'v0', 'nodad'],
    ['addr', 'add', '2001:db8:2::1/64', 'dev', 'mv0', 'nodad'], ['addr', 'add', '2001:db8:3::1/64', 'dev', 'br0', 'nodad'],
    ['link', 'set', 'x0', 'up'], ['link', 'set', 'v0', 'up'], ['link', 'set', 'v1', 'up'],
  ];
  for (const step of steps) await ok(IP, ['-n', ns, ...step]);
  noDad(peer);
  await ok(IP, ['-n', peer, 'addr', 'add', '2001:db8::2/64', 'dev', 'x1', 'nodad']);
  await ok(IP, ['-n', peer, 'link', 'set', 'x1', 'up']);
  // Traffic through x0, then the links down: their counters stand still.
  await ok(IP, ['netns', 'exec', ns, 'ping', '-n', '-q', '-c3', '-i0.2', '-w5', '2001:db8::2']);
  for (const dev of ['x0', 'v0', 'v1']) await ok(IP, ['-n', ns, 'link', 'set', dev, 'down']);
  const shows = [
    ['-6', 'address', 'show'], ['-6', '-d', 'address', 'show'], ['-6', '-s', 'address', 'show'], ['-6', '-s', '-s', 'address', 'show'],
    ['-6', '-br', 'address', 'show'], ['-6', '-o', '-s', 'address', 'show'], ['-6', '-h', '-s', 'address', 'show'],
  ];
  for (const args of shows) for (const fmt of [[], ['-j'], ['-j', '-p']]) await sameAsIp(t, ns, [...fmt, ...args]);
  // The comparison has substance: x0 has alternative names, and counted IPv6 packets.
  const links = JSON.parse(await ok(RTNL, ['-n', ns, '-j', '-6', '-s', 'address', 'show'])) as Array<{ ifname: string; altnames?: string[]; stats64: { rx: { packets: number } } }>;
  const x0 = links.find((l) => l.ifname === 'x0');
  t.ok(x0 && x0.stats64.rx.packets > 0 && x0.altnames === undefined, 'x0: IPv6 packets received (this kernel counts none sent per link), no alternative names');
  t.match(await ok(RTNL, ['-n', ns, 'address', 'show', 'dev', 'x0']), /altname x0-alt\n/, 'which x0 has');
});

t.test('-c: the colours of ip -c, on a light and a dark background; -j routes with a source prefix', kernel, async (t) => {
  const ns = scratchNetns(t, 'clr');
  noDad(ns);
  for (const step of [
    'link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up', 'link add link v0 name mv0 type macvlan',
    'addr add 192.0.2.1/24 dev v0', 'addr add 2001:db8::1/64 dev v0 nodad', 'addr add 198.51.100.1/32 peer 198.51.100.2 dev mv0',
    'route add 203.0.113.0/24 via 192.0.2.9 src 192.0.2.1', '-6 route add 2001:db8:5::/64 from 2001:db8:9::/64 via 2001:db8::9 dev v0',
    'route add 198.51.100.0/24 nexthop via 192.0.2.9 nexthop via 192.0.2.8', 'neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev v0',
  ]) await ok(IP, ['-n', ns, ...step.split(' ')]);
  const shows = [['link', 'show'], ['address', 'show'], ['-br', 'link', 'show'], ['-br', 'address', 'show'], ['route', 'show', 'table', 'all'],
    ['-6', 'route', 'show'], ['neigh', 'show'], ['-o', 'address', 'show'], ['-d', 'link', 'show']];
  for (const args of shows) await sameAsIp(t, ns, ['-c', ...args]);
  for (const args of [['-color=never', 'link', 'show'], ['-color=auto', 'route', 'show'], ['-c', '-j', 'address', 'show'], ['-j', '-6', 'route', 'show']]) await sameAsIp(t, ns, args);
  // -color=auto colours a terminal only: both tools on a pseudo-terminal (script(1)), light background.
  const onTty = (words: string[], args: string[]): string => spawnSync('script', ['-qec', [...words, '-n', ns, ...args].join(' '), '/dev/null'],
    { encoding: 'utf8', env: { ...process.env, COLORFGBG: '0;15' } }).stdout;
  for (const args of [['-color=auto', 'link', 'show'], ['-color=never', 'link', 'show'], ['-color=always', 'link', 'show']]) {
    t.equal(onTty(RTNL_BIN.words, args), onTty(IP.words, args), `${args[0]} on a terminal`);
  }
  t.match(onTty(RTNL_BIN.words, ['-color=auto', 'link', 'show']), /\u001b\[36mv0@v1: /, 'auto colours a terminal');
  const before = process.env.COLORFGBG;
  process.env.COLORFGBG = '15;0';
  t.teardown(() => { if (before === undefined) delete process.env.COLORFGBG; else process.env.COLORFGBG = before; });
  for (const args of [['link', 'show'], ['route', 'show']]) await sameAsIp(t, ns, ['-c', ...args]);
  t.match(await ok(RTNL, ['-n', ns, '-c', 'link', 'show', 'v0']), /\u001b\[1;36mv0@v1: \u001b\[0m/, 'names in bold cyan on a dark background');
  // Dark is COLORFGBG's last field only: `0;8;15` (8 in the middle) is a light background.
  process.env.COLORFGBG = '0;8;15';
  await sameAsIp(t, ns, ['-c', 'link', 'show']);
  t.match(await ok(RTNL, ['-n', ns, '-j', '-6', 'route', 'show', '2001:db8:5::/64']), /"from":"2001:db8:9::\/64"/, 'the source prefix is "from" in JSON');
});

t.test('a failure that is not a command\'s error is printed with its stack, exit 1', kernel, async (t) => {
  const ns = scratchNetns(t, 'cls');
  let err = '';
  const status = await main(['-n', ns, 'link', 'show', 'lo'], { out: () => { throw new Error('boom'); }, err: (s) => { err += s; } });
  t.equal(status, 1);
  t.match(err, /^rtnl: Error: boom\n {4}at /);
});

t.test('-n with a namespace that does not exist, an option without its value, and --: ip\'s words and exit codes', kernel, async (t) => {
  const args = ['-n', 'rtnl-no-such-netns', 'link', 'show'];
  const [theirs, ours] = await Promise.all([IP.run(args), RTNL.run(args)]);
  t.same([ours.status, ours.stdout, ours.stderr], [theirs.status, theirs.stdout, theirs.stderr]);
  t.equal(ours.status, 255);
  // An option without its value (the usage's first line), -f help (the usage), and `--`.
  for (const args of [['-n'], ['-f'], ['-f', 'help', 'link'], ['-batch'], ['-4', '--', 'link', 'show', 'lo']]) {
    const [a, b] = await Promise.all([IP.run(args), RTNL.run(args)]);
    t.same([b.status, b.stdout, usageLine(b.stderr)], [a.status, a.stdout, usageLine(a.stderr)], args.join(' '));
  }
});

t.test('-help, -h, OBJECT --help, OBJECT help: ip\'s words and exit codes', async (t) => {
  for (const args of [['-help'], ['-he', 'link'], ['-h'], ['link', '--help'], ['route', '--help']]) {
    const [theirs, ours] = [await IP.run(args), await RTNL.run(args)];
    t.same([ours.status, ours.stdout, usageLine(ours.stderr)], [theirs.status, theirs.stdout, usageLine(theirs.stderr)], args.join(' '));
  }
  // Each object's own usage (rtnl's words: what it takes), on stderr with 255, as ip.
  for (const object of ['link', 'address', 'route', 'neigh', 'netns', 'monitor']) {
    const [theirs, ours] = [await IP.run([object, 'help']), await RTNL.run([object, 'help'])];
    t.same([ours.status, ours.stdout], [theirs.status, theirs.stdout], `${object} help: exit ${theirs.status}, nothing on stdout`);
    t.match(ours.stderr, new RegExp(`^Usage: rtnl ${object}`), `${object} help: rtnl's usage`);
  }
});

t.test('netns attach NAME PID, -all netns exec and -all netns delete: as ip, in a /run/netns of their own', kernel, async (t) => {
  // -all acts on every name in /run/netns: these run in a mount namespace of their own, whose
  // /run/netns holds only what the script makes (the other test files' namespaces are not there).
  const script = (tool: string): string => `set -u; mount -t tmpfs rtnl-all /run/netns; sleep 30 & P=$!
    for c in "netns add b1" "netns attach a1 $P" "netns attach a1 $P" "netns attach a2" "netns attach a2 x" "netns attach a2 0" \
      "netns attach a3 999999" "netns list" "-all netns exec echo hi" "-all netns exec false" "-all netns delete" "netns list"; do
      echo "== \${c//$P/PID}"; ${tool} $c 2>&1; echo "rc=$?"; done; kill $P`;
  const run = (tool: string): Promise<Result> => new Promise((resolve) => {
    const child = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'bash', '-c', script(tool)]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += String(d); });
    child.stderr.on('data', (d: Buffer) => { out += String(d); });
    child.on('exit', (code) => resolve({ status: code ?? -1, stdout: out, stderr: '' }));
  });
  const [theirs, ours] = [await run('ip'), await run(`node ${BIN}`)];
  t.equal(ours.stdout, theirs.stdout, 'the same output, errors and exit codes at each step');
  t.match(ours.stdout, /== -all netns exec echo hi\n\nnetns: a1\nhi\n\nnetns: b1\nhi\n|== -all netns exec echo hi\n\nnetns: b1\nhi\n\nnetns: a1\nhi\n/, 'each namespace named, then its output');
  t.match(ours.stdout, /== -all netns delete\nrc=0\n== netns list\nrc=0\n$/, 'all deleted');
});

t.test('-l N: an address flush gives up after N rounds (0: never), as ip', kernel, async (t) => {
  for (const loops of ['1', '2', '0', '-1', '1x']) {
    const [a, b] = [scratchNetns(t, 'cll'), scratchNetns(t, 'cll')];
    for (const ns of [a, b]) ip(['-batch', '-'], { netns: ns, input: 'link add v0 type veth peer name v1\naddress add 192.0.2.1/24 dev v0\naddress add 192.0.2.2/24 dev v0\n' });
    const [theirs, ours] = [await IP.run(['-n', a, '-s', '-l', loops, 'address', 'flush', 'dev', 'v0']), await RTNL.run(['-n', b, '-s', '-loops', loops, 'address', 'flush', 'dev', 'v0'])];
    t.same([ours.status, ours.stdout, ours.stderr], [theirs.status, theirs.stdout, theirs.stderr], `-l ${loops}: ${theirs.stderr.trim() || theirs.stdout.trim().split('\n').pop()}`);
    const left = (ns: string): string => ip(['-4', '-br', 'address', 'show', 'dev', 'v0'], { netns: ns });
    t.equal(left(b), left(a), `-l ${loops}: the same addresses left`);
  }
  const missing = [await IP.run(['-l']), await RTNL.run(['-l'])];
  t.same([missing[1].status, usageLine(missing[1].stderr)], [missing[0].status, usageLine(missing[0].stderr)], '-l without its value: the usage');
});

t.test('-rc N: the receive buffer asked for, as strace sees ip ask for it; -V; -r refused', kernel, async (t) => {
  const ns = scratchNetns(t, 'clr');
  /** The SO_RCVBUF or SO_RCVBUFFORCE values a command sets, as strace shows them (ip sets it on each socket it opens). */
  const asked = (words: string[]): string[] => {
    const r = spawnSync('strace', ['-f', '-e', 'trace=setsockopt', ...words], { encoding: 'utf8' });
    return [...new Set([...r.stderr.matchAll(/SO_RCVBUF(?:FORCE)?, \[(\d+)\]/g)].map((m) => m[1]))];
  };
  for (const size of ['65536', '0x20000', '010000']) {
    const theirs = asked(['ip', '-n', ns, '-rc', size, 'link', 'show', 'lo']);
    t.same(asked([process.execPath, BIN, '-n', ns, '-rc', size, 'link', 'show', 'lo']), theirs, `-rc ${size}: ${theirs.join(', ')}`);
  }
  t.same(asked([process.execPath, BIN, '-n', ns, 'link', 'show', 'lo']), [String(4 * 1024 * 1024)], 'the library\'s 4 MiB unless -rc says');
  for (const size of ['-1', 'big', '4294967296', '']) {
    const [a, b] = [await IP.run(['-rc', size, 'link', 'show', 'lo']), await RTNL.run(['-rc', size, 'link', 'show', 'lo'])];
    t.same([b.status, b.stdout, b.stderr], [a.status, a.stdout, a.stderr], `-rc '${size}': ${a.stderr.trim()}`);
  }
  const version = await RTNL_BIN.run(['-V']);
  const { version: v } = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  t.same(version, { status: 0, stdout: `rtnl utility, rtnl-${v}\n`, stderr: '' }, '-V: the package\'s version, in ip\'s shape');
  t.match((await IP.run(['-Version'])).stdout, /^ip utility, iproute2-/, 'ip\'s shape');
  t.same(await RTNL.run(['-Version', 'link', 'show']), { status: 0, stdout: `rtnl utility, rtnl-${v}\n`, stderr: '' }, '-Version: nothing else done, as ip');
  const r = await RTNL.run(['-r', 'route', 'show']);
  t.same([r.status, r.stderr], [255, 'rtnl: option "-resolve" is not supported (addresses print as numbers)\n'], '-r: refused, not passed over');
});
