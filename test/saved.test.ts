// Saved dumps, against iproute2 on this kernel: `route|address save` writes the file ip writes
// (the same messages; only the headers' sequence, port and NLM_F_DUMP_FILTERED differ),
// `restore` puts back on twin namespaces what ip puts back, saying what ip says, `showdump`
// prints what ip prints; rt.route and rt.address save and restore the same way; files that are
// not saved dumps get ip's words and statuses, and nothing is sent.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ADDRESS_DUMP_MAGIC, ROUTE_DUMP_MAGIC, readSaved } from '../codecs/netlink/saved.js';
import { routeCodec } from '../codecs/route/route.js';
import { NetlinkError, RtNetlink, type Address, type Restored } from '../src/index.js';
import { BIN } from './helpers/cli.js';
import { ip, kernel, noDad, scratchNetns } from './helpers/kernel.js';

interface Run { status: number | null; stdout: Buffer; stderr: string }

/** Runs ip or rtnl with `input` as stdin, a file (ip's route restore seeks it). */
function run(tool: 'ip' | 'rtnl', args: string[], input: Uint8Array = new Uint8Array()): Run {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-saved-'));
  const file = join(dir, 'in');
  writeFileSync(file, input);
  const fd = openSync(file, 'r');
  try {
    const r = spawnSync(tool === 'ip' ? 'ip' : BIN, args, { stdio: [fd, 'pipe', 'pipe'] });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true });
  }
}

/** A namespace's links as both twins have them: fixed MACs, no DAD, the same indexes. */
function links(t: Test, prefix: string): string {
  const ns = scratchNetns(t, prefix);
  noDad(ns);
  ip(['link', 'add', 'v0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:02'], { netns: ns });
  ip(['link', 'add', 'w0', 'address', '02:00:00:00:00:03', 'type', 'veth', 'peer', 'name', 'w1', 'address', '02:00:00:00:00:04'], { netns: ns });
  for (const l of ['v0', 'v1', 'w0', 'w1']) ip(['link', 'set', l, 'up'], { netns: ns });
  return ns;
}

/** Addresses and routes of many shapes, in a namespace made by links(). */
const SETUP = [
  'address add 192.0.2.5/24 dev v0', 'address add 192.0.2.6/24 dev v0', 'address add 2001:db8::5/64 dev v0',
  'address add 198.51.100.1/24 dev w0 valid_lft 1000 preferred_lft 500', 'address add 203.0.113.9 peer 203.0.113.10/32 dev w1',
  'route add 203.0.113.0/25 via 192.0.2.1 mtu 1400 advmss 1000 rtt 10 congctl cubic proto static',
  'route add 203.0.113.128/25 table 100 nexthop via 192.0.2.1 weight 2 nexthop via 192.0.2.2',
  'route add blackhole 198.51.100.128/25 table 7',
  'route add 198.51.100.64/26 dev w0 src 198.51.100.1 realms 3/4 metric 7',
  'route add 2001:db8:5::/64 via 2001:db8::1 pref high',
  'route add 2001:db8:6::/64 nexthop via 2001:db8::1 nexthop via 2001:db8::2',
];
function populated(t: Test, prefix: string): string {
  const ns = links(t, prefix);
  ip(['-batch', '-'], { netns: ns, input: SETUP.join('\n') });
  return ns;
}

/** A saved dump's messages with the headers' sequence, port and flags left out (ip copies the kernel's). */
function messages(bytes: Uint8Array, magic: number): string[] {
  return [...readSaved(bytes, magic)].map((m) => `${m.header.len} ${m.header.type} ${Buffer.from(m.payload).toString('hex')}`);
}

/** What a namespace has, as ip shows it (lifetimes, which count down, left out). */
const state = (ns: string): string =>
  (ip(['-d', 'address', 'show'], { netns: ns }) + ip(['-d', 'route', 'show', 'table', 'all'], { netns: ns })).replace(/\d+sec/g, 'Nsec');

/**
 * What a restore from `source` must give: its addresses, its routes but those of the local
 * table (the kernel makes them with the addresses; IPv6 ones restored come again at metric 1024,
 * for ip as for rtnl).
 */
const restorable = (ns: string): string =>
  (ip(['-d', 'address', 'show'], { netns: ns }) + ip(['-d', 'route', 'show', 'table', 'all'], { netns: ns }))
    .split('\n').filter((l) => !l.includes(' table local ')).join('\n').replace(/\d+sec/g, 'Nsec');

t.test('route save and address save: the messages ip saves, selected as ip selects them', kernel, async (t) => {
  const ns = populated(t, 'svs');
  for (const words of [['table', 'all'], [], ['table', '100'], ['dev', 'v0'], ['proto', 'static'], ['table', 'local', 'type', 'local'], ['root', '203.0.113.0/24']]) {
    for (const family of [[], ['-6'], ['-4']]) {
      const args = ['-n', ns, ...family, 'route', 'save', ...words];
      const theirs = run('ip', args);
      const ours = run('rtnl', args);
      t.same([ours.status, ours.stderr], [theirs.status, theirs.stderr], args.join(' '));
      // (ip writes the magic number before it reads its words; rtnl writes nothing on a refusal.)
      if (theirs.status === 0) t.same(messages(ours.stdout, ROUTE_DUMP_MAGIC), messages(theirs.stdout, ROUTE_DUMP_MAGIC), `${args.join(' ')}: the same messages`);
      else t.equal(ours.stdout.length, 0, `${args.join(' ')}: nothing written`);
    }
  }
  for (const words of [[], ['dev', 'w1'], ['-6']]) {
    const args = ['-n', ns, ...words.filter((w) => w === '-6'), 'address', 'save', ...words.filter((w) => w !== '-6')];
    const theirs = run('ip', args);
    const ours = run('rtnl', args);
    t.same([ours.status, ours.stderr], [theirs.status, theirs.stderr], args.join(' '));
    // w0's lifetimes count down: a second may have gone between the two saves, not between rtnl's and a third.
    const same = messages(ours.stdout, ADDRESS_DUMP_MAGIC).join() === messages(theirs.stdout, ADDRESS_DUMP_MAGIC).join();
    t.same(messages(ours.stdout, ADDRESS_DUMP_MAGIC), messages((same ? theirs : run('ip', args)).stdout, ADDRESS_DUMP_MAGIC), `${args.join(' ')}: the same messages`);
  }
  // ip saves every address of the link whatever else its words select; rtnl what they select.
  const global = run('rtnl', ['-n', ns, 'address', 'save', 'scope', 'global']);
  const all = run('ip', ['-n', ns, 'address', 'save', 'scope', 'global']);
  t.equal(messages(all.stdout, ADDRESS_DUMP_MAGIC).length, messages(run('ip', ['-n', ns, 'address', 'save']).stdout, ADDRESS_DUMP_MAGIC).length, 'ip passes over `scope`');
  const scopes = [...readSaved(global.stdout, ADDRESS_DUMP_MAGIC)].map((m) => m.payload[3]);
  t.ok(scopes.length >= 5 && scopes.every((s) => s === 0), 'rtnl saves the global addresses only');
  const refused = run('rtnl', ['-n', ns, 'address', 'save', 'group', '0']);
  t.same([refused.status, refused.stderr, refused.stdout.length], [1, 'rtnl: address save selector "group" is not supported\n', 0], 'a link selector ip passes over is refused');
  const missing = ['-n', ns, 'address', 'save', 'dev', 'nosuch'];
  t.same(run('rtnl', missing).stderr, run('ip', missing).stderr, 'a missing device in ip\'s words');

  // The library: what `rtnl route save table all` and `address save` write.
  await using rt = await RtNetlink.open({ netns: ns });
  t.same(Buffer.from(await rt.route.save({ table: 'all' })), run('rtnl', ['-n', ns, 'route', 'save', 'table', 'all']).stdout, 'rt.route.save({ table: \'all\' })');
  t.same(Buffer.from(await rt.route.save({ family: 'inet' })), run('rtnl', ['-n', ns, 'route', 'save']).stdout, 'rt.route.save({ family }): table main');
  const main = [...readSaved(await rt.route.save(), ROUTE_DUMP_MAGIC)].map((m) => routeCodec.decode(m.payload));
  t.same(new Set(main.map((r) => `${r.family} ${r.table}`)), new Set(['2 254', '10 254']), 'rt.route.save(): both families of table main, as list()');
  t.same(Buffer.from(await rt.address.save({ dev: 'v0', family: 'inet' })), run('rtnl', ['-n', ns, '-4', 'address', 'save', 'dev', 'v0']).stdout, 'rt.address.save({ dev, family })');
});

t.test('restore: on twin namespaces, what ip puts back and says, from ip\'s file and from rtnl\'s', kernel, async (t) => {
  const source = populated(t, 'svr');
  const files = {
    ip: { routes: run('ip', ['-n', source, 'route', 'save', 'table', 'all']).stdout, addresses: run('ip', ['-n', source, 'address', 'save']).stdout },
    rtnl: { routes: run('rtnl', ['-n', source, 'route', 'save', 'table', 'all']).stdout, addresses: run('rtnl', ['-n', source, 'address', 'save']).stdout },
  };
  for (const from of ['ip', 'rtnl'] as const) {
    const twins = { ip: links(t, 'svi'), rtnl: links(t, 'svn') };
    for (const [object, bytes] of [['address', files[from].addresses], ['route', files[from].routes]] as const) {
      const [theirs, ours] = (['ip', 'rtnl'] as const).map((tool) => run(tool, ['-n', twins[tool], object, 'restore'], bytes));
      t.same([ours.status, ours.stderr, ours.stdout.length], [theirs.status, theirs.stderr, 0], `${object} restore of ${from}'s file: ${theirs.stderr.split('\n').length - 1} lines on stderr`);
    }
    t.equal(state(twins.rtnl), state(twins.ip), `the state restored from ${from}'s files`);
    t.equal(restorable(twins.rtnl), restorable(source), 'the source\'s');
    // Again on what is there: every one said to exist, nothing changed.
    const again = run('rtnl', ['-n', twins.rtnl, 'address', 'restore'], files[from].addresses);
    t.same(again, run('ip', ['-n', twins.ip, 'address', 'restore'], files[from].addresses), 'address restore over itself: what ip says');
  }

  // The library: each entry typed, those there already with the kernel's refusal.
  const twin = links(t, 'svl');
  await using rt = await RtNetlink.open({ netns: twin });
  const addresses = await rt.address.restore(files.rtnl.addresses);
  const named = (existing: boolean): string[] => addresses.filter((r) => Boolean(r.exists) === existing)
    .map((r) => `${r.entry.dev} ${r.entry.local ?? r.entry.address}/${r.entry.prefixlen}${r.exists ? ` ${r.exists.name}` : ''}`).sort();
  t.same(named(true), ['lo 127.0.0.1/8 ExistsError', 'lo ::1/128 ExistsError', 'v0 fe80::ff:fe00:1/64 ExistsError', 'v1 fe80::ff:fe00:2/64 ExistsError',
    'w0 fe80::ff:fe00:3/64 ExistsError', 'w1 fe80::ff:fe00:4/64 ExistsError'], 'lo\'s addresses and the links\' own were there');
  t.same(named(false), ['v0 192.0.2.5/24', 'v0 192.0.2.6/24', 'v0 2001:db8::5/64', 'w0 198.51.100.1/24', 'w1 203.0.113.9/32'], 'the others restored, named');
  const routes = await rt.route.restore(files.rtnl.routes);
  // (The IPv6 local routes come again at metric 1024: they are restored too, as ip restores them.)
  const added = routes.filter((r) => !r.exists && r.entry.table !== 'local').map((r) => `${r.entry.table} ${r.entry.dst}`).sort();
  t.same(added, ['100 203.0.113.128/25', '7 198.51.100.128/25', 'main 198.51.100.64/26', 'main 2001:db8:5::/64', 'main 2001:db8:6::/64', 'main 203.0.113.0/25'], 'the routes the addresses did not make');
  t.equal(restorable(twin), restorable(source), 'the library restores the source\'s state');
});

t.test('restore stopped by the kernel midway: what ip said of the entries before, and the library\'s partial', kernel, async (t) => {
  const addresses = run('ip', ['-n', populated(t, 'svm'), 'address', 'save']).stdout;
  // Twins with v0 and v1 but not w0 and w1: the first IPv4 address of those (after lo's and v0's) is refused.
  const twin = (prefix: string): string => {
    const ns = scratchNetns(t, prefix);
    noDad(ns);
    ip(['link', 'add', 'v0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:02'], { netns: ns });
    return ns;
  };
  const [theirs, ours] = (['ip', 'rtnl'] as const).map((tool) => run(tool, ['-n', twin(`svm${tool[0]}`), 'address', 'restore'], addresses));
  t.match(theirs.stderr, /^Error: ipv4: Address already assigned\.\nError: ipv4: Device not found\.\n$/, 'ip: lo\'s address there already, then the refusal');
  t.same([ours.status, ours.stderr, ours.stdout.length], [theirs.status, theirs.stderr, 0], 'rtnl says what ip says');
  await using rt = await RtNetlink.open({ netns: twin('svml') });
  const e = await rt.address.restore(addresses).then(() => undefined, (err: unknown) => err);
  t.match(e, { name: 'NotFoundError', code: 'ENODEV', message: /^address 4 of the saved dump \(203\.0\.113\.9\/32 on link \d+\): Error: ipv4: Device not found\.$/ });
  const partial = (e instanceof NetlinkError ? e.partial ?? [] : []) as Array<Restored<Address>>;
  t.same(partial.map((r) => `${r.entry.dev} ${r.entry.local}/${r.entry.prefixlen}${r.exists ? ` ${r.exists.name}` : ''}`),
    ['lo 127.0.0.1/8 ExistsError', 'v0 192.0.2.5/24', 'v0 192.0.2.6/24'], 'partial: the entries before, as restore() resolves with them');
});

t.test('restore order: a multipath route through gateways after the routes that reach them', kernel, async (t) => {
  // The network of the gateways is reached by a route of its own (the address makes none): ip
  // restores a multipath route in its first pass, before it, and the kernel refuses it there.
  const source = links(t, 'svo');
  // And a route whose source is local by a route of the local table alone: restored after it.
  ip(['-batch', '-'], { netns: source, input: ['address add 192.0.2.5/24 dev v0 noprefixroute', 'route add 192.0.2.0/24 dev v0 src 192.0.2.5',
    'route add 203.0.113.0/24 nexthop via 192.0.2.1 nexthop via 192.0.2.2',
    'route add local 198.51.100.77 dev lo table local', 'route add 198.51.100.128/25 dev w0 src 198.51.100.77'].join('\n') });
  const addresses = run('rtnl', ['-n', source, 'address', 'save']).stdout;
  const routes = run('rtnl', ['-n', source, 'route', 'save', 'table', 'all']).stdout;
  const twins = { ip: links(t, 'svp'), rtnl: links(t, 'svq') };
  for (const tool of ['ip', 'rtnl'] as const) t.equal(run(tool, ['-n', twins[tool], 'address', 'restore'], addresses).status, 0);
  const said = (r: Run): string => r.stderr.split('\n').filter((l) => !EXISTS.test(l)).join('\n');
  const theirs = run('ip', ['-n', twins.ip, 'route', 'restore'], routes);
  t.same([theirs.status, said(theirs)], [2, 'Error: Nexthop has invalid gateway.\n'], 'ip: the kernel refuses the multipath route first');
  const ours = run('rtnl', ['-n', twins.rtnl, 'route', 'restore'], routes);
  t.same([ours.status, said(ours)], [0, ''], 'rtnl: restored');
  t.equal(restorable(twins.rtnl), restorable(source));
  t.match(ip(['route', 'show', 'table', 'local', '198.51.100.77'], { netns: twins.rtnl }), /local 198\.51\.100\.77 dev lo/, 'the local route');
});

t.test('restore sends NLM_F_CREATE alone, as ip: a route beside one of the same destination through another gateway', kernel, async (t) => {
  const source = populated(t, 'svg');
  const addresses = run('rtnl', ['-n', source, 'address', 'save']).stdout;
  const routes = run('rtnl', ['-n', source, 'route', 'save']).stdout;
  const twins = { ip: links(t, 'svh'), rtnl: links(t, 'svk') };
  for (const tool of ['ip', 'rtnl'] as const) {
    t.equal(run(tool, ['-n', twins[tool], 'address', 'restore'], addresses).status, 0);
    ip(['route', 'add', '203.0.113.0/25', 'via', '192.0.2.2'], { netns: twins[tool] }); // the saved one goes via 192.0.2.1
    t.equal(run(tool, ['-n', twins[tool], 'route', 'restore'], routes).status, 0, `${tool} route restore`);
  }
  t.equal(state(twins.rtnl), state(twins.ip));
  t.match(ip(['route', 'show', '203.0.113.0/25'], { netns: twins.rtnl }), /via 192\.0\.2\.1 .*\n.*via 192\.0\.2\.2 /, 'both routes (with NLM_F_EXCL the saved one would be refused as there)');
});

t.test('a terminal is neither written a saved dump nor read one: ip\'s words and statuses', kernel, async (t) => {
  const ns = links(t, 'svt');
  for (const words of ['route save', 'address save', 'route restore', 'route showdump', 'address restore', 'address showdump']) {
    // script(1) gives the command a terminal for its stdin and stdout.
    const [theirs, ours] = ['ip', `${process.execPath} ${BIN}`].map((tool) =>
      spawnSync('script', ['-qec', `${tool} -n ${ns} ${words}; echo "status $?"`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }).stdout);
    t.equal(ours, theirs, `${words}: ${theirs.replace(/\r?\n/g, ' ')}`);
  }
});

t.test('showdump: what ip prints from the same file', kernel, async (t) => {
  const ns = populated(t, 'svd');
  const routes = run('ip', ['-n', ns, 'route', 'save', 'table', 'all']).stdout;
  const addresses = run('ip', ['-n', ns, 'address', 'save']).stdout;
  for (const [object, bytes, options] of [['route', routes, ['', '-4', '-6', '-s', '-d -s']], ['address', addresses, ['', '-o', '-br', '-j', '-j -p']]] as const) {
    for (const o of options) {
      const args = ['-n', ns, ...o.split(' ').filter(Boolean), object, 'showdump'];
      const [theirs, ours] = [run('ip', args, bytes), run('rtnl', args, bytes)];
      t.same([ours.status, ours.stdout.toString(), ours.stderr], [theirs.status, theirs.stdout.toString(), theirs.stderr], args.join(' '));
    }
  }
});

t.test('files that are not saved dumps: ip\'s words and statuses, and nothing restored', kernel, async (t) => {
  const source = populated(t, 'svc');
  const files = {
    route: run('rtnl', ['-n', source, 'route', 'save', 'table', '100']).stdout,
    address: run('rtnl', ['-n', source, 'address', 'save', 'dev', 'w1']).stdout,
  };
  const cases: Array<[string, (file: Buffer) => Buffer]> = [
    ['another magic number', () => Buffer.from('abcd')], ['two bytes', () => Buffer.from('ab')], ['nothing', () => Buffer.alloc(0)],
    ['an entry then a header cut short', (f) => Buffer.concat([f, f.subarray(4, 12)])],
    ['an entry then a body cut short', (f) => Buffer.concat([f, f.subarray(4, 30)])],
    ['an entry then a length of 8', (f) => Buffer.concat([f, hex('08000000 1800 0000 00000000 00000000')])],
  ];
  const ns = links(t, 'svb');
  const before = state(ns);
  for (const [what, broken] of cases) {
    for (const object of ['route', 'address'] as const) {
      const input = broken(files[object]);
      for (const command of ['showdump', 'restore']) {
        // ip's restore sends the entries before the broken bytes (on the source, where each is there
        // already and said so); rtnl refuses the file before sending anything.
        const theirs = run('ip', ['-n', command === 'restore' ? source : ns, object, command], input);
        const ours = run('rtnl', ['-n', ns, object, command], input);
        const out = (r: Run): string => (command === 'showdump' ? r.stdout.toString() : '');
        const said = (r: Run): string => r.stderr.split('\n').filter((l) => !EXISTS.test(l)).join('\n');
        t.same([ours.status, ours.stderr, out(ours)], [theirs.status, said(theirs), out(theirs)], `${object} ${command}, ${what}: ip's words and status`);
      }
    }
  }
  t.equal(state(ns), before, 'nothing restored from a broken file');
  // Entries on links a namespace has not: the kernel's refusal, ip's words and status.
  for (const object of ['address', 'route'] as const) {
    const [theirs, ours] = (['ip', 'rtnl'] as const).map((tool) => run(tool, ['-n', scratchNetns(t, 'svy'), object, 'restore'], files[object]));
    t.same([ours.status, ours.stderr], [theirs.status, theirs.stderr], `${object} restore without the links: ${theirs.stderr.trim()}`);
  }

  // A delete in a saved dump is not restored: the file is refused, nothing deleted.
  ip(['route', 'add', '203.0.113.128/25', 'dev', 'v0', 'table', '100'], { netns: ns });
  const withRoute = state(ns);
  const withDelete = Buffer.from(files.route);
  withDelete.writeUInt16LE(25, 4 + 4); // the first message's type: RTM_DELROUTE
  const r = run('rtnl', ['-n', ns, 'route', 'restore'], withDelete);
  t.same([r.status, r.stderr], [1, 'rtnl: route 1 of the saved dump: a message of type 25, not one to restore\n']);
  await using rt = await RtNetlink.open({ netns: ns });
  await t.rejects(rt.route.restore(withDelete), { name: 'InvalidArgumentError', message: /route 1 of the saved dump: a message of type 25/ });
  t.match(ip(['route', 'show', 'table', '100'], { netns: ns }), /203\.0\.113\.128\/25 dev v0/, 'the route the delete named is there');
  await t.rejects(rt.address.restore(files.route), { name: 'ProtocolError', message: /saved address.*magic number 45311224/ }, 'a route file is no address file');
  await t.rejects(rt.route.restore('bytes' as never), { name: 'InvalidArgumentError', message: 'saved routes: the saved dump is a Uint8Array (a Buffer), not string' });
  const garbled = Buffer.from(files.address);
  garbled.writeUInt16LE(5, 4 + 16 + 8); // the first attribute's length: 5, in 8 bytes
  await t.rejects(rt.address.restore(garbled), { name: 'ProtocolError', message: /address 1 of the saved dump/ }, 'an entry that does not decode, named');
  t.equal(state(ns), withRoute, 'nothing changed by the refused files');
});

/** What ip's restore says of each entry there already. */
const EXISTS = /^(RTNETLINK answers: File exists|Error: ipv[46]: [Aa]ddress already assigned\.)$/;

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}
