// `rtnl address|route add|change|replace|del` against ip: each command line run by ip in one
// namespace and by rtnl in its twin (the same links, the same MACs), compared whole (exit status,
// output, warnings, errors), then the addresses and routes the two namespaces end with. Written
// from the mutants a StrykerJS run over src/cli/address.ts left alive and the words ip reads
// differently (ipaddr_modify(), iproute_modify(): exact words and prefixes, in their order).
import t from 'tap';
import { IP, RTNL, usageLine, type Result } from './helpers/cli.js';
import { ip, kernel, noDad, scratchNetns } from './helpers/kernel.js';

/** A namespace with v0 and v1 (fixed MACs: the same link-local addresses in each twin), 192.0.2.5/24 on v0, no DAD; then `more`. */
function twin(t: Parameters<typeof scratchNetns>[0], more: string[] = []): string {
  const ns = scratchNetns(t, 'adw');
  noDad(ns);
  for (const cmd of ['link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02',
    'link set v0 up', 'link set v1 up', 'address add 192.0.2.5/24 dev v0', ...more]) ip(cmd.split(' '), { netns: ns });
  return ns;
}

/** What a namespace ends with: its addresses and every route (lifetimes and expiries counting down left out). */
function state(ns: string): string {
  const seen = `${ip(['-d', 'address', 'show'], { netns: ns })}${ip(['route', 'show', 'table', 'all'], { netns: ns })}${ip(['-6', 'route', 'show', 'table', 'all'], { netns: ns })}`;
  return seen.replace(/\d+sec/g, 'Nsec');
}

/**
 * Each line run by ip in one twin and rtnl in the other: the same result, then the same namespaces.
 * `@ns` in a line names a second namespace of each twin's own (its links compared too).
 */
async function sameAsIp(t: Parameters<typeof scratchNetns>[0], lines: string[], more: string[] = []): Promise<void> {
  const [theirsNs, oursNs] = [twin(t, more), twin(t, more)];
  const [theirsElsewhere, oursElsewhere] = lines.some((l) => l.includes('@ns')) ? [scratchNetns(t, 'adw'), scratchNetns(t, 'adw')] : [];
  const run = (tool: typeof IP, ns: string, elsewhere: string | undefined, line: string): Promise<Result> =>
    tool.run(['-n', ns, ...line.split(' ').map((w) => (w === '@ns' && elsewhere ? elsewhere : w))]);
  for (const line of lines) {
    const [theirs, ours] = [await run(IP, theirsNs, theirsElsewhere, line), await run(RTNL, oursNs, oursElsewhere, line)];
    t.same(ours, { ...theirs, stderr: theirs.stderr.replace(/"ip /g, '"rtnl ') }, `${line}: ${theirs.status} ${theirs.stderr.split('\n')[0]}`);
  }
  const seen = (ns: string, elsewhere: string | undefined): string => (elsewhere === undefined ? state(ns)
    : `${state(ns)}${ip(['-d', 'link', 'show'], { netns: elsewhere })}`.replaceAll(elsewhere, '@ns').replaceAll(ns, '@home'));
  t.equal(seen(oursNs, oursElsewhere), seen(theirsNs, theirsElsewhere), 'the same addresses and routes');
}

/** What `rtnl route|address WORDS` does where ip does otherwise: the usage (whose words differ past its start), or rtnl's refusal. */
async function usage(t: Parameters<typeof scratchNetns>[0], ns: string, object: string, words: string[]): Promise<void> {
  for (const w of words) {
    const args = ['-n', ns, object, ...w.split(' ')];
    const [theirs, ours] = [await IP.run(args), await RTNL.run(args)];
    const form = (r: Result): unknown[] => [r.status, r.stdout, usageLine(r.stderr).startsWith(`Usage: rtnl ${object} `), r.stderr.length - r.stderr.trimEnd().length];
    t.same(form(ours), form(theirs), `${object} ${w}: the usage`);
  }
}

t.test('address add words as ip reads them: prefixes of words, flags, scopes, lifetimes, duplicates', kernel, async (t) => {
  await sameAsIp(t, [
    'address', 'address frobnicate', 'address s dev v0', 'address lst v1', '-0 -o address show', '-0 address show dev v0',
    'address show label v?', 'address show label v[!1]', '-o address show label ?0',
    // Words by their prefixes where ip takes them so (pref is preference: a metric, not preferred_lft), exact elsewhere.
    'address add 192.0.2.10/24 dev v0 pref 7', 'address add 192.0.2.11/24 dev v0 p 7', 'address add 192.0.2.12/24 dev v0 prio 8',
    'address add 192.0.2.13/24 dev v0 sc host', 'address add 192.0.2.14/24 dev v0 l foo', 'address add 192.0.2.15/24 dev v0 a 192.0.2.1',
    'address add 192.0.2.16/24 dev v0 pe 192.0.2.1', 'address add 192.0.2.17/24 dev v0 b 192.0.2.255', 'address add 192.0.2.18/24 dev v0 v 60',
    // Scopes: names, numbers as strtoul reads them, what is refused (toString is no scope).
    'address add 192.0.2.20/24 dev v0 scope 0x20', 'address add 192.0.2.21/24 dev v0 scope lin', 'address add 192.0.2.22/24 dev v0 scope 256',
    'address add 192.0.2.23/24 dev v0 scope toString', 'address add 192.0.2.24/24 dev v0 scope +5', 'address add 127.0.0.2/8 dev v0',
    'address add 127.0.0.3/8 dev v0 scope global', 'address add 198.51.100.8/24 dev v0 scope link scope host',
    // Flags: those only the kernel sets and IPv6's own on IPv4 are warned of and left out (nodad before an IPv6 address too).
    'address add 192.0.2.25/24 dev v0 home', 'address add 192.0.2.26/24 dev v0 nodad nodad', 'address add 192.0.2.27/24 dev v0 secondary',
    'address add 192.0.2.28/24 dev v0 permanent tentative noprefixroute', 'address add nodad 2001:db8::1/64 dev v0',
    'address add 2001:db8::2/64 dev v0 nodad home mngtmpaddr optimistic', 'address add 192.0.2.29/24 dev v0 autojoin',
    'address add 224.0.0.9/24 dev v0 autojoin', 'address add ff02::9/64 dev v0 autojoin', 'address add 2001:db8::9/64 dev v0 autojoin', 'address add 2001:db8::3/64 dev v0 label v0:x',
    // Lifetimes.
    'address add 192.0.2.30/24 dev v0 valid_lft 100 preferred_lft 200', 'address add 192.0.2.31/24 dev v0 valid_lft 100 preferred_lft 50',
    'address add 192.0.2.32/24 dev v0 valid_lft forev', 'address add 192.0.2.33/24 dev v0 valid_lft 0x10', 'address add 192.0.2.34/24 dev v0 preferred_lft 10',
    'address add 192.0.2.35/24 dev v0 valid_lft 5 valid_lft 6', 'address add 192.0.2.36/24 dev v0 valid_lft 0', 'address add 192.0.2.37/24 dev v0 preferred_lft 0',
    'address add 192.0.2.38/24 dev v0 valid_lft forever preferred_lft 9', 'address add 192.0.2.39/24 dev v0 valid_lft 9 preferred_lft forever',
    'address add 192.0.2.40/24 dev v0 valid_lft 4294967295 preferred_lft 4294967295', 'address add 192.0.2.41/24 dev v0 valid_lft -1',
    'address add 192.0.2.42/24 dev v0 preferred_lft 5 preferred_lft 4', 'address add 192.0.2.43/24 dev v0 valid_lft',
    // Metrics.
    'address add 192.0.2.44/24 dev v0 metric +5', 'address add 192.0.2.45/24 dev v0 metric 4294967295', 'address add 192.0.2.46/24 dev v0 metric 4294967296',
    'address add 192.0.2.47/24 dev v0 preference 7', 'address add 198.51.100.9/24 dev v0 metric 1 metric 2',
    // Broadcasts: computed (+ and -, none past /30, none for IPv6), given, given twice, of another family.
    'address add 192.0.2.48/24 dev v0 brd +', 'address add 192.0.2.49/26 dev v0 brd -', 'address add 192.0.2.50/31 dev v0 brd +',
    'address add 192.0.2.52/30 dev v0 brd +', 'address add 192.0.2.53/24 dev v0 brd 192.0.2.255 brd 192.0.2.255',
    'address add 2001:db8::4/64 dev v0 brd 2001:db8::ff', 'address add 2001:db8::5/64 dev v0 brd +', 'address add 198.51.100.14/24 dev v0 brd 1.2.3',
    'address add 198.51.100.15/24 dev v0 brd bogus', 'address add 198.51.100.16/24 dev v0 brd 2001:db8::1', 'address add 192.0.2.54/24 dev v0 anycast 192.0.2.1',
    // Addresses as get_prefix() reads them, peers, labels, the rest.
    'address add 192.0.2 dev v0', 'address add 10 dev v0', 'address add 0x0a.1 dev v0', 'address add 192.0.2.55/33 dev v0', 'address add 2001:db8::1/129 dev v0',
    'address add 1.2.3.4.5 dev v0', 'address add 2001:db8::zz dev v0', 'address add 192.0.2.56/ dev v0', 'address add local 192.0.2.57/24 dev v0',
    'address add 192.0.2.58/24 192.0.2.59/24 dev v0', 'address add 198.51.100.10/24 dev v0 local 198.51.100.11/24', 'address add 192.0.2.60/24 dev v0 dev v1',
    'address add 192.0.2.61 peer 192.0.2.62 dev v0', 'address add 192.0.2.63 remote 203.0.113.0/30 dev v0 brd +', 'address add 192.0.2.64 peer 192.0.2.65 peer 192.0.2.66 dev v0',
    'address add 192.0.2.67 peer 2001:db8::9 dev v0', 'address add 198.51.100.7/24 dev v0 label v0:y label v0:z', 'address add 192.0.2.68/24 dev v0 label foo',
    'address add 192.0.2.69/24', 'address add 192.0.2.70/24 dev nosuch', 'address add 192.0.2.71/24 dev', 'address add 192.0.2.72/24 dev v0 valid_lft 1 bogus',
    '-6 address add 192.0.2.73/24 dev v0', '-4 address add 2001:db8::6/64 dev v0', '-6 address add nodad 2001:db8::7/64 dev v0',
    'address add 192.0.2.5/24 dev v0', 'address change 192.0.2.10/24 dev v0 metric 9', 'address replace 192.0.2.11/24 dev v0 valid_lft 30 preferred_lft 20',
    'address chg 192.0.2.99/24 dev v0', 'address replace 198.51.100.99/24 dev v0 brd +',
    // The family the first address sets decides how the next are read (a peer, a broadcast, an anycast first).
    'address add peer 2001:db8::9 192.0.2.74 dev v0', 'address add brd 192.0.2.255 2001:db8::8/64 dev v0',
    'address add anycast 192.0.2.1 2001:db8::7/64 dev v0', 'address add 192.0.2.75/0 dev v0 brd +', 'address add 192.0.2.76/24 dev v0 preferred_lft bogus',
  ]);
});

t.test('address show selectors as ip reads them: label patterns as fnmatch() reads them', kernel, async (t) => {
  await sameAsIp(t, [
    'address add 192.0.2.60/24 dev v0 label v0:!', 'address add 192.0.2.61/24 dev v0 label v0:]a',
    // [!...] excludes what follows the !; a ] before a [ is no bracket's end; a backslash escapes, a last one is itself.
    'address show label v0:[!1]', 'address show label v0:]*[a]', 'address show label v\\0', 'address show label v0\\',
    '-0 address show to 192.0.2.0/24', '-0 route show to 192.0.2.0/24', '-f toString address show', '-f bogus address show', '-f link address show dev v0',
  ]);
});

t.test('address del words as ip reads them: without a length, with a label, a peer, a broadcast', kernel, async (t) => {
  await sameAsIp(t, [
    'address add 192.0.2.6/24 dev v0', 'address add 198.51.100.1/24 dev v0 label v0:a', 'address add 203.0.113.1/24 dev v0',
    'address add 192.0.2.61 peer 192.0.2.62 dev v0', 'address add 2001:db8::1/64 dev v0', 'address add 203.0.113.9/24 dev v0 label v0:b',
    'address del 192.0.2.6 dev v0', 'address del 198.51.100.1/24 dev v0 label v0:nomatch', 'address del 198.51.100.1/24 dev v0 label v0:a',
    'address del 203.0.113.1/24 dev v0 brd + metric 7 valid_lft 3', 'address del 192.0.2.61 dev v0', 'address del 192.0.2.61 peer 192.0.2.62 dev v0',
    'address del 2001:db8::1 dev v0', 'address del 2001:db8::1/64 dev v0 nodad', 'address delete 192.0.2.5/24 dev v0 scope link',
    'address del 203.0.113.9 dev v0 label v0:b', 'address del 2001:db8::1/64 dev v0 brd +', 'address del 198.51.100.200/24 dev v0', 'address del 192.0.2.7/24',
    // The wildcard warning comes before the link is looked up.
    'address del 192.0.2.6 dev nosuch',
    // `default` (no family) is an address of none that goes through ip's checks: ip's refusals come first, in its order.
    'address add default dev nosuch', 'address add default', 'address change default brd +', 'address add default dev v0 autojoin',
    'address add default dev v0 brd 192.0.2.255 peer 2001:db8::1', 'address add default/24 dev v0',
    'address del default dev nosuch valid_lft 0', 'address add default dev v0 scope bogus', 'address add 192.0.2.9 peer any dev nosuch',
    // A peer of length 0 gives the local address's length (ip: ifa_prefixlen 0 is the local's bitlen); `default` in a family is all zeros.
    'address add 192.0.2.13 peer 0.0.0.0/0 dev v0', 'address add 192.0.2.10 peer default dev v0', 'address add 192.0.2.17 peer 198.51.100.0/0 dev v0',
    'address add 2001:db8::7 peer default dev v0', 'address add 192.0.2.18/24 peer 198.51.100.9/0 dev v0', 'address add 192.0.2.19/24 dev v0 brd default',
  ]);
});

t.test('address add help, and what rtnl refuses where ip sends the kernel a request it refuses', kernel, async (t) => {
  const ns = twin(t);
  await usage(t, ns, 'address', ['add help', 'add h', 'add 192.0.2.9/24 dev v0 he', 'add local help', 'del 192.0.2.5/24 help', 'show help', 'flush h']);
  // ip sends these without an address (`RTNETLINK answers: Operation not supported`); rtnl says what is missing.
  for (const [w, stderr] of [
    ['add dev v0', 'Not enough information: "local" argument is required.'],
    ['del dev v0', 'Not enough information: "local" argument is required.'],
    ['add default dev v0', 'Error: any valid prefix is expected rather than "default".'],
    ['add all dev v0', 'Error: any valid prefix is expected rather than "all".'],
    // `any` and `all` are no bytes in any family, and so is `default` in none: ip sends them empty (`Attribute failed policy validation`).
    ['add 192.0.2.9 peer any dev v0', 'Error: inet prefix is expected rather than "any".'],
    ['add 2001:db8::9 peer all dev v0', 'Error: inet6 prefix is expected rather than "all".'],
    ['add 192.0.2.9/24 brd any dev v0', 'Error: inet prefix is expected rather than "any".'],
    ['add default peer 192.0.2.1 dev v0 brd +', 'Error: inet prefix is expected rather than "default".'],
    ['add any dev v0 brd 192.0.2.255', 'Error: inet prefix is expected rather than "any".'],
  ]) {
    t.same(await RTNL.run(['-n', ns, 'address', ...w.split(' ')]), { status: 1, stdout: '', stderr: `${stderr}\n` }, `address ${w}`);
  }
});

t.test('route add|del: a gateway, source or encapsulation address of no bytes (any, all) refused where ip sends it empty', kernel, async (t) => {
  // ip's other refusals first, in its order; `default` in a family is its zero address; `from any` is no RTA_SRC at all.
  await sameAsIp(t, ['route add via all 203.0.113.1 dev nosuch', 'route add 203.0.113.1 via any dev nosuch', 'route add 198.51.100.1/32 via default dev v0',
    'route add 203.0.113.3/32 dev v0 encap ip id 5 dst default', 'route add 203.0.113.5/32 dev v0 from any', 'route add 203.0.113.7/32 via any dev v0 mtu x']);
  // ip: `Attribute failed policy validation` (or `Invalid IPv4 address in RTA_GATEWAY`), exit 2, from the kernel.
  const ns = twin(t);
  for (const [w, stderr] of [
    ['add 198.51.100.0/24 via any dev v0', 'inet address is expected rather than "any"'], ['add 198.51.100.3 src any dev v0', 'inet address is expected rather than "any"'],
    ['add 2001:db8:9::/64 via all dev v0', 'inet6 address is expected rather than "all"'], ['add 203.0.113.0/24 nexthop via any dev v0', 'inet address is expected rather than "any"'],
    ['add 203.0.113.2/32 dev v0 encap ip id 5 dst any', 'inet address is expected rather than "any"'],
    ['add 203.0.113.4/32 dev v0 encap ip6 id 5 dst any', 'inet6 address is expected rather than "any"'],
    ['add 203.0.113.6/32 nexthop via 192.0.2.1 dev v0 encap ip id 5 src all', 'inet address is expected rather than "all"'],
    ['del 198.51.100.0/24 via any', 'inet address is expected rather than "any"'],
  ]) t.same(await RTNL.run(['-n', ns, 'route', ...w.split(' ')]), { status: 1, stdout: '', stderr: `Error: ${stderr}.\n` }, `route ${w}`);
  t.equal(ip(['-4', 'route', 'show', 'table', 'all', 'type', 'unicast'], { netns: ns }), '192.0.2.0/24 dev v0 proto kernel scope link src 192.0.2.5 \n', 'no route made');
  t.notMatch(ip(['-6', 'route', 'show', 'table', 'all'], { netns: ns }), '2001:db8:9::', 'no IPv6 route made');
});

t.test('neigh and vxlan addresses as ip reads them: any and all of no bytes, short forms, of no family', kernel, async (t) => {
  await sameAsIp(t, [
    'link add vx0 type vxlan id 5 dstport 4789 remote any', 'link add vx1 type vxlan id 5 dstport 4789 local default',
    'link add vx2 type vxlan id 5 dstport 4789 group all dev v0', 'link add vx3 address 02:00:00:00:00:23 type vxlan id 6 dstport 4789 remote 198.51.100',
    'link add vx4 address 02:00:00:00:00:24 type vxlan id 7 dstport 4789 local 192.0.2', '-d link show vx3', '-d link show vx4',
    // Each of local and remote read in the other's family: 0.0.0.0 is a remote, `default` one once a family is known, `any` none (sent empty).
    'link add vx5 type vxlan id 8 dstport 4789 local 192.0.2.1 remote 2001:db8::1', 'link add vx5 type vxlan id 8 dstport 4789 group ff05::1 local 192.0.2.1 dev v0',
    'link add vx5 address 02:00:00:00:00:25 type vxlan id 8 dstport 4789 remote 0.0.0.0', 'link add vx6 type vxlan id 9 dstport 4789 remote 0.0.0.0 group 239.1.1.1 dev v0',
    'link add vx6 type vxlan id 9 dstport 4789 local default remote 192.0.2.7', 'link add vx6 address 02:00:00:00:00:26 type vxlan id 9 dstport 4789 remote 192.0.2.7 local default',
    'link add vx7 type vxlan local 192.0.2.1 remote any', '-d link show',
    '-4 neigh add any lladdr 02:00:00:00:00:01 dev nosuch', '-4 neigh add default lladdr 02:00:00:00:00:01 dev v0', '-6 neigh get all dev nosuch',
    // -0: a link-layer address as ll_addr_a2n() reads it, refused in its words, or taken (then the link looked up).
    '-0 neigh get 1.2.3.400 dev v0', '-0 neigh get zz dev v0', '-0 neigh get 1:zz dev v0', '-0 neigh get 100 dev v0', '-0 neigh add 2001:db8::1 dev v0',
    '-0 neigh get 1::2 dev v0', '-0 neigh get 192.0.2 dev nosuch', '-0 neigh get 10 dev nosuch', '-0 neigh get default dev nosuch',
    '-0 neigh del 02:00:00:00:00:01 dev nosuch', '-0 neigh get 0x1f:+2 dev nosuch', '-0 neigh get -1 dev v0', '-0 neigh get 1.2:3 dev v0',
  ]);
  // ip sends them empty: `Invalid network address` (exit 2) from the kernel.
  const ns = twin(t);
  for (const w of ['-4 neigh add any lladdr 02:00:00:00:00:01 dev v0', '-6 neigh replace all lladdr 02:00:00:00:00:01 dev v0', '-4 neigh get any dev v0']) {
    const word = w.split(' ')[3];
    const family = w.startsWith('-4') ? 'inet' : 'inet6';
    t.same(await RTNL.run(['-n', ns, ...w.split(' ')]), { status: 1, stdout: '', stderr: `Error: ${family} address is expected rather than "${word}".\n` }, w);
  }
  // -0: ip sends AF_PACKET, which has no neighbour table, and the kernel refuses it (exit 2).
  for (const w of ['-0 neigh get 192.0.2.1 dev v0', '-0 neigh add 02:00:00:00:00:01 lladdr 02:00:00:00:00:09 dev v0', '-0 neigh del any dev v0']) {
    const cmd = w.split(' ')[2].replace(/^del$/, 'delete');
    t.same(await RTNL.run(['-n', ns, ...w.split(' ')]), { status: 2, stdout: '', stderr: `rtnl: neigh ${cmd} of a link-layer address (-0) is not supported\n` }, w);
  }
  t.equal(ip(['neigh', 'show', 'dev', 'v0', 'nud', 'permanent'], { netns: ns }), '', 'no neighbour made');
  // After ip's warning, where ip sends it empty: `Attribute failed policy validation`.
  const dstport = "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n";
  t.same(await RTNL.run(['-n', ns, 'link', 'add', 'vx7', 'type', 'vxlan', 'id', '8', 'local', '192.0.2.1', 'remote', 'any']),
    { status: 1, stdout: '', stderr: `${dstport}Error: inet address is expected rather than "any".\n` }, 'vxlan remote any');
  t.notMatch(ip(['link', 'show'], { netns: ns }), 'vx7', 'no vxlan made');
});

t.test('route add words as ip reads them: types by prefix, scopes, tables, gateways, metrics, a second via', kernel, async (t) => {
  await sameAsIp(t, [
    // A path's address read in the route's family unless one is named, and its link looked up, as ip reads each path.
    'route add 198.51.100.70/32 nexthop via 2001:db8::1 dev v0', 'route add 2001:db8:7::/48 nexthop via 192.0.2.1 dev v0',
    '-4 route add default nexthop via 2001:db8::1', 'route add default nexthop via 192.0.2.1 dev v0 nexthop via 2001:db8::9',
    'route add 198.51.100.71/32 nexthop via 192.0.2.1 dev nosuch nexthop via 192.0.2.1 src 192.0.2.5',
    'route add 198.51.100.72/32 nexthop via 192.0.2.1 dev nosuch weight 0', 'route add 198.51.100.73/32 nexthop via 192.0.2 dev v0',
    'route add default table 70 nexthop via 192.0.2.1 dev v0 nexthop via 192.0.2.2 dev v0', '-d route show table 70',
    // Words exact or by prefix as ip takes them (s is ssthresh, not scope; sc and sco are no words).
    'route add 198.51.100.1/32 dev v0 s 5', 'route add 198.51.100.2/32 dev v0 sc link', 'route add 198.51.100.3/32 dev v0 sco link',
    'route add 198.51.100.12/32 dev v0 p 5', 'route add 198.51.100.50 dev v0 prio 7', 'route add 198.51.100.51 dev v0 pri 7',
    'route add 198.51.100.15/32 dev v0 t 100', 'route add 198.51.100.41 dev v0 d 0x10', 'route add 198.51.100.52 dev v0 r 3',
    'route add 198.51.100.53 dev v0 c 3', 'route add 198.51.100.54 dev v0 rt 3', 'route add 198.51.100.57 dev v0 f ecn',
    'route add 198.51.100.59 dev v0 e 5', 'route add 198.51.100.60 dev v0 w 5', 'route add 198.51.100.61 dev v0 initc 5',
    'route add 198.51.100.62 dev v0 initr 5', 'route add 198.51.100.63 dev v0 cong reno', 'route add 198.51.100.65 dev v0 ss 5',
    'route add 198.51.100.66 dev v0 rttv 5',
    // Scopes, tables, tos, protocols, metrics: names, numbers as strtoul reads them, refusals with ip's messages.
    'route add 198.51.100.4/32 dev v0 scope 0x20', 'route add 198.51.100.5/32 dev v0 scope toString', 'route add 198.51.100.6/32 dev v0 scope lin',
    'route add 198.51.100.16/32 dev v0 table 0x10', 'route add 198.51.100.17/32 dev v0 table toString', 'route add 198.51.100.18/32 dev v0 table 4294967296',
    'route add 198.51.100.9/32 dev v0 tos 0x10', 'route add 198.51.100.10/32 dev v0 tos 256', 'route add 198.51.100.11/32 dev v0 tos bogus',
    'route add 198.51.100.13/32 dev v0 tos 10', 'route add 198.51.100.14/32 dev v0 dsfield 0X20',
    'route add 198.51.100.19/32 dev v0 proto 0x10', 'route add 198.51.100.67 dev v0 protocol bogus', 'route add 198.51.100.68 dev v0 proto toString',
    'route add 198.51.100.8/32 dev v0 metric 4294967296', 'route add 198.51.100.46 dev v0 metric 5 metric 6',
    // Types: by prefix, local routes in table local, a type where the destination goes, twice.
    'route add toString 198.51.100.7/32 dev v0', 'route add unicast 198.51.100.27 dev v0', 'route add local 198.51.100.28 dev v0',
    'route add blackhole 198.51.100.29', 'route add 198.51.100.30 blackhole dev v0', 'route add unicast 198.51.100.31 unicast 198.51.100.32 dev v0',
    'route add b 198.51.100.33 dev v0', 'route add any dev v0 table 7', 'route add proh 198.51.100.34', 'route add u 198.51.100.35',
    'route add un 198.51.100.36', 'route add uni 198.51.100.37 dev v0', 'route add th 198.51.100.38', 'route add throw 198.51.100.39',
    'route add unspec 198.51.100.40 dev v0', 'route add +2 198.51.100.42 dev v0', 'route add 2 198.51.100.43 dev v0', 'route add to nat 198.51.100.44 dev v0',
    // Addresses as get_addr() and get_prefix() read them.
    'route add 198.51.100.20/32 dev v0 src 192.0.2.5', 'route add 198.51.100.21/32 dev v0 src 192.0.2', 'route add 198.51.100.22/32 via 192.0.2.1 via 192.0.2.2',
    'route add 198.51.100.23/32 via inet 192.0.2.1', 'route add 198.51.100.25/32 via 192.0.2', 'route add 198.51.100.26 dev v0', 'route add 198.51.100 dev v0',
    'route add 198.51.100.45 dev v0 from 192.0.2.0/24', 'route add 2001:db8:3::/64 dev v0 from 2001:db8::/64', 'route add 198.51.100.69 dev v0 to 198.51.100.70',
    'route add to 198.51.100.71 dev v0', 'route add 198.51.100.72 dev nosuch', 'route add default dev v0', 'route add all dev v0 table 9',
    'route add 0/0 dev v0 table 8', '-6 route add default dev v0', 'route add default via 2001:db8::1', 'route add 2001:db8:4::/64 via 192.0.2.1',
    // Metrics.
    'route add 198.51.100.73 dev v0 onlink', 'route add 198.51.100.74 dev v0 mtu 1400 mtu 1300', 'route add 198.51.100.75 dev v0 mtu lock 1400',
    'route add 198.51.100.76 dev v0 quickack 2', 'route add 198.51.100.77 dev v0 rtt 3ms', 'route add 198.51.100.78 dev v0 cong lock reno',
    // The other commands.
    'route del 198.51.100.26 dev v0 s 5', 'route del 198.51.100.27', 'route del 198.51.100.1/32', 'route del local 198.51.100.28 dev v0',
    'route change 198.51.100.46 dev v0 metric 6 mtu 1200', 'route replace 198.51.100.46 dev v0 metric 5', 'route chg 198.51.100.99 dev v0',
    'route prepend 198.51.100.50 dev v1', 'route append 198.51.100.50 dev v1 metric 7', 'route a 198.51.100.80 dev v0', 'route ap 198.51.100.81 dev v0',
    'route pr 198.51.100.82 dev v0', 'route r 198.51.100.83 dev v0', 'route c 198.51.100.83 dev v0 metric 3', 'route d 198.51.100.83 dev v0',
    'route frobnicate',
    // tos by rt_dsfield's names (exact), printed by them but with -N.
    'route add 198.51.100.84 dev v0 tos AF11', 'route add 198.51.100.85 dev v0 dsfield CS1', 'route add 198.51.100.86 dev v0 tos af11',
    'route add 198.51.100.87 dev v0 tos EF', 'route add 198.51.100.88 dev v0 tos default', 'route show', '-N route show',
    'route show tos AF11', '-j route show tos CS1', 'route show tos 28', 'route show tos af11',
    // route get's words by prefix, in iproute_get()'s order (d is dsfield, f from, m mark, o oif).
    'route get 198.51.100.84 tos AF11', 'route get 198.51.100.84 d 28', 'route get 198.51.100.84 tos 0x100',
    'route add 198.51.100.89 dev v0 tos 10', 'route get 198.51.100.89 ds 10', 'route get 198.51.100.89',
    // route show's selector words as iproute_list_flush_or_save() reads them (types as rtnl_rtntype_a2n(): by prefix, numbers).
    'route show table local type b', 'route show table local ty bro', 'route show table local type 2', 'route show type 0x1',
    'route show type unspec', 'route show type 256', 'route show type u', 'route show pro kernel', 'route show sc link', 'route show met 5',
    'route show pri 5', 'route show c', 'route show to ma 198.51.100.0/24', 'route show to e 198.51.100.16/32', 'route show dsf 0x10',
    'route show table cache', 'route show cloned', 'route show cached', 'route show proto bogus', 'route show proto all', 'route show scope all',
    'route show scope bogus', '-6 route show table cache', 'route show metric bogus', 'route show from 192.0.2.0/24', 'route show from root 0/0',
    'route show root 198.51.100.0/24', 'route show root 198.51.100.96/28', 'route show 198.51.100.0/24', 'route show match 198.51.100.84',
    'route show all', 'route show to any', 'route show table all match 2001:db8::/64', 'route show table all root 2001:db8::/32',
    'route show table all match 198.51.100.84', 'route show table all to 2001:db8::/64',
    // route.ts's mutants: `route` alone lists; local and nat are whole words, brd is broadcast.
    'route', 'route add lo 198.51.100.90 dev v0', 'route add na 198.51.100.91 dev v0', 'route add brd 198.51.100.92 dev v0', 'route show type lo',
    'route add 2001:db8:6::/64 via inet6 2001:db8::9 dev v0', 'route add 198.51.100.93 via inet6 2001:db8::9 dev v0', 'route add 198.51.100.94 dev v0 preference 7',
    'route add 198.51.100.95 oif v0', 'route add 198.51.100.96 dev v0 mt 1400', 'route add 198.51.100.97 dev v0 adv 1400',
    'route add 198.51.100.98 dev v0 hop 5', 'route add 198.51.100.99 dev v0 rto 5ms',
    'route add 198.51.100.100 dev v0 features lock ecn', 'route add 198.51.100.101 dev v0 quickack lock 1',
    'route add 198.51.100.102 dev v0 rto_min lock 5ms', 'route add 198.51.100.103 dev v0 fastopen_no_cookie lock 1',
    'route get 198.51.100.84 f 192.0.2.5', 'route get 198.51.100.84 m 5', 'route get 198.51.100.84 o v0', 'route get 198.51.100.84 i lo',
    // Bounds and forms of metric values: 2^32-1 is taken, hoplimit stops at 255; times as get_time_rtt() reads them.
    'route add 198.51.100.104 dev v0 window 4294967295', 'route add 198.51.100.105 dev v0 hoplimit 256', 'route add 198.51.100.106 dev v0 hoplimit 255',
    'route add 198.51.100.107 dev v0 rtt 1.5s', 'route add 198.51.100.108 dev v0 rtt .5s', 'route add 198.51.100.109 dev v0 rtt 0x10ms',
    'route add 198.51.100.110 dev v0 rttvar 2secs', 'route add 198.51.100.111 dev v0 rto_min 3sec', 'route add 198.51.100.112 dev v0 rtt 7msecs',
    'route add 198.51.100.113 dev v0 rtt 1.5', 'route add 198.51.100.114 dev v0 rtt 5x', 'route add 198.51.100.115 dev v0 rtt 1.s',
    // Nexthops: via inet6, weight's bounds, a word a nexthop does not take.
    'route add 198.51.100.116 nexthop via inet6 2001:db8::9 dev v0 nexthop via 192.0.2.1 dev v0', 'route add 2001:db8:7::/64 nexthop via inet6 2001:db8::9 dev v0',
    'route add 198.51.100.117 nexthop via 192.0.2.1 weight 0', 'route add 198.51.100.118 nexthop via 192.0.2.1 weight 256 nexthop via 192.0.2.2 weight 1',
    'route add 198.51.100.119 nexthop via 192.0.2.1 weight 257', 'route add 198.51.100.120 nexthop via 192.0.2.1 bogus 5', 'route add 198.51.100.121 nexthop via 192.0.2.1 mtu 5',
    'route add 198.51.100.122 nexthop via 192.0.2.1 w 5', 'route add 198.51.100.123 nexthop', 'route add 198.51.100.124 nexthop via 192.0.2.1 nexthop',
    'route add 198.51.100.125 nexthop dev v0 onlink via 192.0.2.1 weight 3 nexthop dev v1',
    // route get: dev, to, and no address at all.
    'route get 198.51.100.84 dev v0', 'route get to 198.51.100.84', 'route get', 'route get from 192.0.2.5', '-s route show', '-s -6 route show',
    // from: a prefix read at once (get_prefix(): exit 1), whatever word follows; its family then counts.
    'route get 198.51.100.84 from bogus', 'route get 198.51.100.84 from iif v1',
    'route get from 2001:db8::5 198.51.100.84', 'route get from 192.0.2.5 198.51.100.84',
    // iif and oif looked up once every word is read, iif first, the last of each counting.
    'route get 198.51.100.84 oif nosuch oif v0', 'route get 198.51.100.84 oif v0 oif nosuch', 'route get 198.51.100.84 oif nosuch iif nosuch2',
    'route get oif nosuch', 'route get 198.51.100.84 oif nosuch mark bogus', 'route get 198.51.100.84 iif nosuch iif lo',
    // Destinations: the last with bytes counts (any and all add no RTA_DST; default in a family is 0.0.0.0).
    'route get 198.51.100.84 192.0.2.9 any', 'route get 192.0.2.9 all', 'route get any 192.0.2.9', 'route get 192.0.2.9 default',
    '-6 route get 2001:db8::9 any', 'route get 2001:db8::9 any', 'route get any', 'route get 192.0.2.9 to any',
    'route get to any from 2001:db8::5', 'route get default from 2001:db8::5', 'route get any from 192.0.2.5',
    // A table the kernel does not have: ip's JSON array opened before the dump, and left open.
    '-j route show table 4242', '-j -p route show table 4242', '-j -6 route show table 4242', 'route show table 4242',
    '-j route show table 4242 dev nosuch',

  ], ['address add 2001:db8::5/64 dev v0 nodad']);
});

t.test('route flush leaves an IPv6 unreachable default of metric 2^32-1 (the kernel\'s null entry), as ip does, and only that', kernel, async (t) => {
  await sameAsIp(t, [
    '-6 route add unreachable default metric 4294967295', '-6 route add unreachable default metric 5', '-6 route add unreachable 2001:db8:9::/64 metric 4294967295',
    '-6 route add unreachable default metric 4294967295 table 7', 'route add unreachable default metric 4294967295', '-6 route flush type unreachable',
    '-6 route flush table 7', 'route flush type unreachable', '-6 route show type unreachable', '-6 route show table 7',
    '-6 route add blackhole default metric 4294967295 table 8', '-6 route flush table 8', '-6 route show table 8',
  ]);
});

t.test('-s route get: the cache information ip prints with -s (its age in seconds, which moves between the two runs, left out)', kernel, async (t) => {
  const [theirsNs, oursNs] = [twin(t), twin(t)];
  for (const line of ['-s route get 192.0.2.9', '-s -6 route get fe80::9 oif v0', '-s -s route get 192.0.2.7', 'route get 192.0.2.9']) {
    const args = (ns: string): string[] => ['-n', ns, ...line.split(' ')];
    const [theirs, ours] = [await IP.run(args(theirsNs)), await RTNL.run(args(oursNs))];
    const steady = (r: Result): Result => ({ ...r, stdout: r.stdout.replace(/ age \d+sec/, '') });
    t.same(steady(ours), steady(theirs), line);
    t.equal(ours.stdout.includes('users'), line.startsWith('-s'), `${line}: users only with -s`);
  }
});

t.test('realms: route add (a route\'s and each path\'s), route show and flush selectors, as ip reads and prints them', kernel, async (t) => {
  await sameAsIp(t, [
    'route add 198.51.100.0/24 dev v0 realms 3/5', 'route add 198.51.100.128/25 dev v0 realm 7', 'route add 203.0.113.0/24 dev v0 rea 4/',
    // Not [FROM/]TO: the whole RTA_FLOW (get_unsigned), the source realm in its upper 16 bits.
    'route add 203.0.113.128/25 dev v0 realms 0x20006', 'route add 203.0.113.64/26 dev v0 realms 300',
    'route add 192.0.2.128/25 nexthop dev v0 realms 7 nexthop via 192.0.2.9 r 9',
    // Names from rt_realms, whatever this machine's file says (Debian's names 0 "cosmos", so "unknown" is then no name).
    'route add 203.0.113.32/27 dev v0 realms cosmos/1', 'route add 203.0.113.16/28 dev v0 realms unknown/2',
    'route add 198.51.100.64/26 dev v0 realms 3/x', 'route add 198.51.100.64/26 dev v0 realms 3/5/7', 'route add 198.51.100.64/26 dev v0 realms 256/1',
    'route add 198.51.100.64/26 dev v0 realms', 'route add 198.51.100.64/26 nexthop dev v0 realms x',
    'route add 198.51.100.64/26 dev v0 realms 0x100000000', 'route add 198.51.100.64/26 dev v0 realms 4294967295',
    'route show', '-j route show', 'route show realms 3/5', '-j route show realms 3/5', 'route show realm 5', 'route show realms 3/',
    'route show realms 0/5', 'route show realms 7', 'route show r 7', 'route show realms 2/6', 'route show realms 0x30005', 'route show realms 0/',
    'route show realms /5', 'route show realms bad', 'route flush realms 3/', 'route show',
  ]);
});

t.test('route pref and expires as ip reads them: names, numbers, pref by prefix, refusals; refused on IPv4 routes', kernel, async (t) => {
  // Listings only before any route expires: one printed a second apart would differ.
  await sameAsIp(t, [
    'route add 2001:db8:a::/64 dev v0 pref high', 'route add 2001:db8:c::/64 dev v0 pre low', 'route add 2001:db8:d::/64 dev v0 pref 2',
    'route add 2001:db8:e::/64 dev v0 pref 0x3', 'route add 2001:db8:f::/64 dev v0 pref lo', 'route add 2001:db8:f::/64 dev v0 pref 256',
    'route add 2001:db8:f::/64 dev v0 pref', 'route add 2001:db8:f::/64 dev v0 pref -1', 'route replace 2001:db8:a::/64 dev v0 pref medium',
    '-6 route show', '-j -6 route show', '-d -6 route show',
    'route add 2001:db8:b::/64 dev v0 pref low expires 100', 'route add 2001:db8:f::/64 dev v0 expires -1', 'route add 2001:db8:f::/64 dev v0 expires 4294967296',
    'route add 2001:db8:f::/64 dev v0 expires x', 'route add 2001:db8:f::/64 dev v0 expires', 'route add 2001:db8:f::/64 dev v0 expires 4294967295',
    'route add 2001:db8:1::/64 dev v0 expires 0x10', 'route replace 2001:db8:c::/64 dev v0 expires 50', 'route change 2001:db8:b::/64 dev v0 pref high',
  ]);
  const ns = twin(t);
  for (const w of ['pref high', 'expires 100', 'pref 1']) {
    t.same(await RTNL.run(['-n', ns, 'route', 'add', '203.0.113.64/26', 'dev', 'v0', ...w.split(' ')]),
      { status: 2, stdout: '', stderr: `${w.split(' ')[0]} is for IPv6 routes: the kernel ignores it on IPv4 routes\n` }, `an IPv4 route with ${w}`);
  }
  t.equal(ip(['route', 'show', '203.0.113.64/26'], { netns: ns }), '', 'nothing made');
});

t.test('realms on an IPv6 route: refused by rtnl (the kernel takes them and drops them without a word; ip sends them)', kernel, async (t) => {
  const ns = twin(t);
  t.same(await RTNL.run(['-n', ns, 'route', 'add', '2001:db8:9::/64', 'dev', 'v0', 'realm', '5']),
    { status: 2, stdout: '', stderr: 'realms are for IPv4 routes: the kernel ignores them on IPv6 routes\n' });
  t.equal(ip(['-6', 'route', 'show', '2001:db8:9::/64'], { netns: ns }), '', 'nothing made');
});

t.test('route get ... notify (n): the cached route marked to notify, as ip marks and prints it; IPv6 refuses it', kernel, async (t) => {
  // Only lookups that mark, or come before any did: the mark is on the route the kernel caches per
  // CPU, so a later lookup without it shows it or not by the CPU it ran on (seen: ip's did, rtnl's not).
  await sameAsIp(t, [
    'route get 192.0.2.9', 'route get 192.0.2.9 notify', 'route get 192.0.2.10 n', '-j route get 192.0.2.11 notify',
    '-d route get 192.0.2.12 notify', '-6 route get 2001:db8::1 notify',
  ]);
});

t.test('route add help, and the words rtnl refuses by name (route add, route get, address flush)', kernel, async (t) => {
  const ns = twin(t);
  await usage(t, ns, 'route', ['add help', 'add h', 'add 198.51.100.14/32 dev v0 h', 'add dev v0', 'add to help', 'get 198.51.100.84 from help']);
  for (const w of ['as 192.0.2.1', 'ttl-propagate enabled', 'v x', 'vrf x']) {
    const args = ['-n', ns, 'route', 'add', '198.51.100.1', 'dev', 'v0', ...w.split(' ')];
    t.same(await RTNL.run(args), { status: 1, stdout: '', stderr: `rtnl: route "${w.split(' ')[0]}" is not supported\n` }, `route add ... ${w}`);
  }
  for (const w of ['as 192.0.2.9']) {
    const args = ['-n', ns, 'route', 'add', '198.51.100.1', 'nexthop', 'via', '192.0.2.1', ...w.split(' ')];
    t.same(await RTNL.run(args), { status: 1, stdout: '', stderr: `rtnl: route nexthop "${w.split(' ')[0]}" is not supported\n` }, `route add ... nexthop via 192.0.2.1 ${w}`);
  }
  for (const [cmd, w] of [['flush', 'vrf x'], ['flush', 'nomaster'], ['flush', 'group 5'], ['flush', 'master v0'], ['flush', 'type veth']]) {
    const args = ['-n', ns, 'address', cmd, ...w.split(' ')];
    t.same(await RTNL.run(args), { status: 1, stdout: '', stderr: `rtnl: address ${cmd} selector "${w.split(' ')[0]}" is not supported\n` }, `address ${cmd} ... ${w}`);
  }
  for (const w of ['connected', 'c', 'vrf x', 'as 192.0.2.1']) {
    const args = ['-n', ns, 'route', 'get', '192.0.2.7', ...w.split(' ')];
    t.same(await RTNL.run(args), { status: 1, stdout: '', stderr: `rtnl: route get "${w.split(' ')[0]}" is not supported\n` }, `route get ... ${w}`);
  }
});

t.test('link set words as ip reads them: by prefix in ip\'s order (al is alias, m master, n nomaster, d dynamic)', kernel, async (t) => {
  await sameAsIp(t, [
    'link set v0 mtu +1400', 'link set v0 m 1400', 'link set v0 mt 1400', 'link set v0 txq 100', 'link set v0 q 100',
    'link set v0 a 02:00:00:00:00:0b', 'link set v0 b ff:ff:ff:ff:ff:fc', 'link set v0 n v8', 'link set v0 al hello2',
    'link set v0 allm on', 'link set v0 allmulticast on', 'link set v0 d on', 'link set v0 dyn off', 'link set v0 pro on', 'link set v0 promisc on',
    'link set v0 ar off', 'link set v0 arp on', 'link set v0 multicast off', 'link set v0 trailers on', 'link set v0 addrgen none',
    'link set v0 addrgenmode bogus', 'link set v0 g 6', 'link set v0 group 5 group 6', 'link set v0 group 7', 'link set', 'link del',
    'link set v0 nom', 'link set v0 ma v1', 'link set dev v0 dev v1 up', 'link set v0 up down', 'link set v0 alias hello',
    'link set v0 name v9', 'link set v9 n', 'link set v9 name v0', 'link set v0 txqueuelen 4294967296', 'link set v0 mtu 65536',
    // A word ip reads once, given twice: refused at its second value, before the value is read (duparg()).
    'link set v0 mtu 1000 mtu 1200', 'link set v0 mtu 1000 mtu bogus', 'link set v0 txqlen 5 qlen 6', 'link set v0 group 1 group bogus',
    'link set v0 netns 2147483647 netns 2147483646', 'link add name v25 name v26 type veth', 'link add v30 numtxqueues 2 numtxqueues 3 type veth',
    'link add v31 numrxqueues 2 numr 3 type veth', 'link add v32 type veth peer name v33 mtu 1000 mtu 1100',
    // From link.ts's survivors: messages naming the word, namespaces by process or name, a macvtap's words.
    'link set v0 d bogus', 'link set v0 dynamic bogus', 'link add v40 numrxqueues bogus type veth', 'link add v41 numtxqueues bogus type veth',
    'link set v0 netns 12ab', 'link set v0 netns ab12', 'link add v42 type veth peer name v43 netns 12ab', 'link add v44',
    // After a kind ip 6.1 has no options for, a word is garbage (exit 1); `help` the usage.
    'link add x0 type bogus mode vepa', 'link set v0 type foo bar',
    'link add link v0 name mt0 address 02:00:00:00:00:0c type macvtap mode vepa', 'link set mt0 type macvtap mode bridge', 'link show up', '-o link show up type veth',
    'link show v0 v1', 'link add br0 type bridge', 'link set v1 master br0', '-o link show master br0',
    // From link.ts's lines 1 - 119: no command is show; `chg` is not link's; a group that is none.
    'link', 'link chg v0 mtu 1400', 'link set v0 group bogus', 'link show group bogus',
    // Groups past 32 bits: ip keeps the low ones (strtol() into an int), saturating past LONG_MAX.
    'link set v0 group 4294967297', 'link show group 4294967297', 'link set v0 group 2147483648', 'link set v0 group 0x1ffffffff',
    'link set v0 group 99999999999999999999', '-d link show v0', 'link set v0 group -1', 'link set v0 group +7', 'link show group 4294967303',
    // The words of ip's that rtnl refuses by name, short of a letter: ip reads them whole, so these are devices (garbage) to both.
    'link set v0 inde 1', 'link set v0 xd off', 'link set v0 xdpgeneri off', 'link set v0 xdpdr off', 'link set v0 xdpoffloa off',
    'link set v0 carrie on', 'link set v0 vr x', 'link set v0 mod x', 'link set v0 stat up', 'link set v0 protodow on',
    'link set v0 protodown_reaso x', 'link set v0 gso_max_siz 1', 'link set v0 gso_max_seg 1', 'link set v0 gro_max_siz 1', 'link set v0 parentde x',
  ]);
});

t.test('links looked up in ip\'s order: master, then the link or its parent, then the kind\'s words and a vxlan\'s device', kernel, async (t) => {
  await sameAsIp(t, [
    'link set nosuch master nope', 'link set nosuch type macvlan mode bogus', 'link set nosuch mtu 1400 type macvlan mode vepa up',
    'link add link nosuch name m9 master nope type macvlan', 'link add link nosuch name m9 type macvlan mode bogus',
    'link add link v0 name m9 type macvlan mode vepa down', 'link del nosuch master nope', 'link set v0 type vxlan bogus',
    // A vxlan's device, looked up as ip reads it: its words before it first, no warning after.
    'link add vx9 type vxlan id 42 dstport 4789 dev nosuch', 'link add vx9 type vxlan id 42 dev nosuch', 'link add vx9 type vxlan dev nosuch',
    'link add vx9 address 02:00:00:00:00:09 type vxlan id 42 dev v0', 'link add vx8 address 02:00:00:00:00:08 type vxlan id 43 dstport 4789 dev if2',
    'link set nosuch type vxlan ttl 3 dev v0', 'link set vx9 type vxlan ttl 3 dev v1', 'link set vx9 type vxlan id 9 dev nosuch dev v0',
    // Names checked as ip reads them (check_ifname(): under 16 bytes, no "/" or blank; a device also by an alternative name).
    'link add name a-name-too-long-for-a-link type veth', 'link set nosuch name a-name-too-long-for-a-link', 'link set v0 name a/b',
    'link set a/b up', 'link add v50 type veth peer name a-name-too-long-for-a-link', 'link set a-name-too-long-for-a-link up',
    // A new address as long as the link's own (ip asks for the link first), then the link looked up.
    'link set v0 address 02:00:00:00:00', 'link set v0 address 02:00:00:00:00:00:01', 'link set lo address 00:00:00:00:00',
    'link set nosuch address 02:00:00:00:00', 'link set v0 address 02:00:00:00:00:0a',
    // master and nomaster each send IFLA_MASTER: the last counts (the master looked up all the same).
    'link add br7 address 02:00:00:00:00:07 type bridge', 'link set v1 nomaster master br7', '-o link show v1', 'link set v1 master br7 nomaster',
    '-o link show v1', 'link set v1 master nope nomaster', 'link set v1 master nope master br7', 'link set v1 master br7 master nope', 'link add v7 address 02:00:00:00:00:17 master br7 nomaster type veth peer name v8 address 02:00:00:00:00:18',
    'link add v5 address 02:00:00:00:00:15 nomaster master br7 type veth peer name v6 address 02:00:00:00:00:16', '-o link show master br7',
  ]);
});

t.test('netns NAME opened as ip reads the words: before the link, in order with each master, and a veth peer\'s with its words', kernel, async (t) => {
  await sameAsIp(t, [
    'link set nosuch netns nons', 'link add link nosuch name m9 netns nons type macvlan', 'link set v1 master nope netns nons',
    'link set v1 netns nons master nope', 'link set v1 master nope mtu x', 'link set v1 netns nons mtu x', 'link add v9 type veth peer name v8 netns nons address xx',
    'link add v9 type veth peer name v8 address xx netns nons', 'link set v1 netns ../nons', 'link set v1 netns @ns master nope',
    // Then what succeeds: a link made in the other namespace, a veth's peer put there, a link moved there.
    'link add v9 address 02:00:00:00:00:19 netns @ns type veth peer name v8 address 02:00:00:00:00:18',
    'link add v7 address 02:00:00:00:00:17 type veth peer name v6 address 02:00:00:00:00:16 netns @ns', 'link set v7 netns @ns', 'link set v1 netns @ns',
    // A name taken there refused in one request, as ip sends it: no link made and deleted, no index used up.
    'link add b9 address 02:00:00:00:00:29 netns @ns type bridge', 'link add b9 address 02:00:00:00:00:29 netns @ns type bridge',
    'link add b8 address 02:00:00:00:00:28 netns @ns type bridge',
  ]);
  // A namespace named by digits is that namespace, not a process (ip's netns_get_fd() first).
  const digits = String(Date.now() % 1e9).padStart(9, '1');
  ip(['netns', 'add', digits]);
  t.teardown(() => ip(['netns', 'del', digits]));
  const ns = twin(t);
  t.same(await RTNL.run(['-n', ns, 'link', 'set', 'v1', 'netns', digits]), { status: 0, stdout: '', stderr: '' });
  t.match(ip(['-o', 'link', 'show', 'v1'], { netns: digits }), /^\d+: v1@if\d+: /, `v1 moved to the namespace called ${digits}`);
});

t.test('link set master ifN: a link by its index when none is called that, as ip\'s ll_name_to_index()', kernel, async (t) => {
  await sameAsIp(t, [
    'link set v0 master if4', '-o link show v0', 'link set v1 master if99', 'link set v1 master ifx', 'link set v1 master if1',
    'link set v0 nomaster', 'link set v0 master br0', '-o link show master if4',
  ], ['link add br0 type bridge']);
});

t.test('link property add|del: alternative names as ip reads them, and links found by them (one past IFNAMSIZ too)', kernel, async (t) => {
  const long = 'v0-an-alternative-name-longer-than-ifnamsiz';
  await sameAsIp(t, [
    `link property add dev v0 altname a1 altname ${long}`, 'link show a1', `-j link show ${long}`, `link set ${long} mtu 1300`,
    'link property add dev v0 altname a1', 'link property add dev v0 altname v1', 'link property del dev v0 altname zz',
    'link property del dev v0 altname v0', 'link property add dev v0', 'link property add dev if3 altname q3', 'link prop a v1 al q4',
    'link p d dev v1 altname q4', 'link property add dev nosuch altname x', `link property add dev ${long}-not altname x`,
    'link property add altname x', 'link property add dev v0 dev v1', 'link property add dev v0 altname', 'link property xx dev v0',
    'link property delete dev v0 altname a1', 'link property adds dev v0 altname a9', 'link property add dev a/b altname q', 'link property add dev v0 altname a/b', 'link property add dev v0 altname a:b',
    `link property del ${long} altname q3 altname a1`, '-d link show',
  ]);
  const ns = twin(t);
  await usage(t, ns, 'link', ['property', 'property help', 'property add dev v0 help', 'property del help']);
});

t.test('link property add: all or none, where ip keeps the names the kernel took before the one it refused', kernel, async (t) => {
  const [theirs, ours] = [twin(t), twin(t)];
  const words = ['link', 'property', 'add', 'dev', 'v0', 'altname', 's1', 'altname', 's2', 'altname', 's1'];
  const [ipSays, rtnlSays] = [await IP.run(['-n', theirs, ...words]), await RTNL.run(['-n', ours, ...words])];
  t.same(rtnlSays, ipSays, 'the same refusal: RTNETLINK answers: File exists');
  t.equal(ipSays.stderr, 'RTNETLINK answers: File exists\n');
  const altnames = (ns: string): string[] => (JSON.parse(ip(['-j', 'link', 'show', 'v0'], { netns: ns })) as Array<{ altnames?: string[] }>)[0].altnames ?? [];
  t.same(altnames(theirs), ['s1', 's2'], 'ip: the two before the refused one stay');
  t.same(altnames(ours), [], 'rtnl: none');
  // Past 127 bytes: ip sends it and the kernel refuses it; rtnl refuses it before sending, saying why.
  const tooLong = ['link', 'property', 'add', 'dev', 'v0', 'altname', 'y'.repeat(128)];
  const [ipLong, rtnlLong] = [await IP.run(['-n', theirs, ...tooLong]), await RTNL.run(['-n', ours, ...tooLong])];
  t.same([ipLong.status, ipLong.stderr], [2, 'Error: Attribute failed policy validation.\n']);
  t.same([rtnlLong.status, rtnlLong.stderr], [2, `an alternative name is at most 127 bytes, "${'y'.repeat(40)}..." is 128\n`]);
  t.same(altnames(ours), [], 'nothing sent');
});

t.test('link show and address show read the same words, as ipaddr_list_flush_or_save() does for both', kernel, async (t) => {
  await sameAsIp(t, [
    // ip link show asks for and prints links with family AF_PACKET whatever -4/-6 say: qdisc, master and group are shown.
    '-6 link show v1', '-6 -d link show', '-4 -o link show', '-6 -j link show v0', '-6 address show v1',
    // Address words, which link show takes and does not apply; `to` it refuses.
    'link show permanent', 'link show dynamic', 'link show -tentative primary', 'link show scope global', 'link show scope bogus',
    'link show to 192.0.2.0/24', 'link show label v*', '-j link show label v*', '-br link show label v*', '-br link show dynamic',
    // Masters: by name, none, a VRF (none here: ip's refusal), the last word wins.
    'link show nomaster', 'address show nomaster', '-o link show master br0 nomaster', '-o link show nomaster master br0',
    'link show master nope', 'address show master nope', 'link show vrf br0', 'address show vrf nope', 'link show master if3',
    'link show type bridge_slave', 'link show type bridge1_slave', 'link show up permanent v0',
    // A link by index (`ifN`), asked for with its counters under -s.
    '-s address show dev if1', '-s link show dev if1 group 0', '-s -j address show dev if1',
  ], ['link add br0 type bridge', 'link set v1 master br0']);
  // Counters that are not all zeros, for the link asked for by index: lo after a ping, compared in one namespace.
  const ns = twin(t);
  ip(['netns', 'exec', ns, 'ping', '-c1', '-W1', '127.0.0.1']);
  for (const line of ['-s address show dev if1', '-s link show dev if1 group 0', '-s -j address show dev if1']) {
    const args = ['-n', ns, ...line.split(' ')];
    const [theirs, ours] = [await IP.run(args), await RTNL.run(args)];
    t.match(theirs.stdout, /RX: +bytes +packets[^\n]*\n +[1-9]|"rx":\{"bytes":[1-9]/, `${line}: counters that are not zeros`);
    t.same(ours, theirs, line);
  }
});

t.test('-0 address show prints each link\'s counters under -s, as ip (but with -br); link show -s unchanged', kernel, async (t) => {
  // vx0 stays down: its counters do not move between the twins.
  await sameAsIp(t, [
    '-s -0 address show type vxlan', '-j -s -0 address show type vxlan', '-s -s -0 address show type vxlan',
    '-br -s -0 address show type vxlan', '-o -s -0 address show type vxlan', '-s link show type vxlan',
  ], ['link add vx0 address 02:00:00:00:00:09 type vxlan id 1 dstport 4789']);
});

t.test('route show|flush via, src, iif and mark select as ip\'s filter_nlmsg(), and leave out what they fix', kernel, async (t) => {
  await sameAsIp(t, [
    'route show via 192.0.2.1', 'route show via 192.0.2.0/24', '-j route show via 192.0.2.1', 'route show via inet 192.0.2.2',
    'route show via inet6 fe80::1', 'route show via inet6 fe80::/16', '-6 route show via 2001:db8::1', 'route show table all via 2001:db8::/32',
    'route show via default', 'route show via all', 'route show via bogus', 'route show via inet6', 'route show via inet6 192.0.2.1',
    'route show via toString 192.0.2.1', 'route show via constructor',
    'route show src 192.0.2.5', '-j route show src 192.0.2.5', 'route show src 192.0.2.0/24', 'route show table all src 192.0.2.5',
    '-6 route show src 2001:db8::5', 'route show src 2001:db8::5', 'route show via 192.0.2.2 src 192.0.2.5',
    // A prefix of length 0 selects by family alone: with `table all`, one family's routes.
    'route show table all src ::/0', 'route show table all src 0/0', 'route show table all via inet6 ::/0',
    'route show iif v0', 'route show iif nope', 'route show iif nope dev nope2', 'route show iif v0 dev nope',
    'route show mark 0', 'route show mark 5', 'route show mark x', 'route show mark 0x10', 'route show table all mark 0 via 192.0.2.1',
    'route flush via 192.0.2.2', 'route flush src 192.0.2.0/24', 'route flush via inet6 fe80::1', 'route flush mark 5', 'route show',
  ], ['address add 2001:db8::5/64 dev v0', 'route add 203.0.113.0/26 via 192.0.2.1', 'route add 203.0.113.64/26 via 192.0.2.2 src 192.0.2.5',
    'route add 203.0.113.128/26 via inet6 fe80::1 dev v0', 'route add 2001:db8:1::/48 via 2001:db8::1 src 2001:db8::5',
    'route add 198.51.100.0/24 nexthop via 192.0.2.1 nexthop via 192.0.2.3']);
});

t.test('link words rtnl refuses by name; help wherever ip reads it', kernel, async (t) => {
  const ns = twin(t);
  await usage(t, ns, 'link', ['set v0 help', 'set v0 h', 'add help', 'add v50 he type veth', 'show help', 'show v0 h', 'help', 'he', 'add x0 type bogus help']);
  // A process that does not exist: the library's words, which say more than ip's `RTNETLINK answers: No such process` (docs/cli.md).
  t.same(await RTNL.run(['-n', ns, 'link', 'set', 'v0', 'netns', '2147483647']), { status: 2, stdout: '', stderr: 'namespace of process 2147483647: no such process\n' });
  for (const w of ['vrf v1', 'parentdev x']) {
    t.same(await RTNL.run(['-n', ns, 'link', 'set', 'v0', ...w.split(' ')]),
      { status: 1, stdout: '', stderr: `rtnl: link "${w.split(' ')[0]}" is not supported\n` }, `link set v0 ${w}`);
  }
});
