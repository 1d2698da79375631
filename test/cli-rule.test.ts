// `rtnl rule` against `ip rule`: each command line run by ip in one namespace and by rtnl in its
// twin, one after the other, must print the same, exit the same and leave the same rules; the
// listings, with every selector and output option, print what ip prints; `rtnl monitor rule`
// prints ip monitor's lines. Where rtnl differs on purpose, that is shown too.
import t, { type Test } from 'tap';
import { BIN, IP, RTNL_BIN, sameAsIp, sameLines, split } from './helpers/cli.js';
import { ip, kernel, scratchNetns, vethPair } from './helpers/kernel.js';
import { joined, watch } from './helpers/watch.js';

/** Both families' rules as ip -d lists them. */
const rules = (ns: string): string => ip(['-d', 'rule', 'show'], { netns: ns }) + ip(['-6', '-d', 'rule', 'show'], { netns: ns });

function twin(t: Test): string {
  const ns = scratchNetns(t, 'crl');
  vethPair(ns, 'v0', 'v1');
  return ns;
}

t.test('rule add, del and flush do what ip does, and say what ip says', kernel, async (t) => {
  await sameLines(t, split(`
    rule add from 192.0.2.0/24 table 100 pref 100
    rule add not to 198.51.100.0/24 fwmark 0x10/0xff iif lo lookup main pref 200
    rule add oif v0 uidrange 1000-2000 ipproto tcp sport 80 dport 1000-2000 table 101 pref 300 proto static
    rule add from all goto 500 pref 400
    rule add pref 500 nop
    rule a pref 600 blackhole
    rule add pref 601 type unreachable
    rule add pref 602 prohibit
    rule add dsfield 0x10 table 102 sup_pl 0 suppress_ifgroup 5 pref 700
    rule add realms 3/5 table 103 order 800
    rule add tun_id 5 table 104 priority 900
    rule add dev nosuch table 105 pref 1000
    rule add l3mdev pref 1100
    rule add from 192.0.2.1 to 203.0.113.0/24 fwmark 7 lookup 200000 pref 1200
    rule add fwmark 0/0xff table 9 sup_group default pref 1300
    rule add to 0/0 table 10
    rule add pref -0 table 11
    rule add tun_id -1 table 12 pref 1600
    rule add fwmark -0 ipproto -0 table 13 pref 1601
    rule add ipproto 017 table 14 pref 1602
    rule add ipproto 0x11 table 15 pref 1603
    rule add tun_id 18446744073709551616 table 16
    rule add uidrange 5--1 table 18 pref 1607
    rule add sport -0-80 table 20
    rule add dport -1 table 21
    rule add dport -65535 table 22 pref 1605
    -6 rule add from 2001:db8::/32 table 100 pref 100
    -6 rule add to 2001:db8::1 iif v1 oif v0 ipproto udp table 100
    rule add from 192.0.2.0/24 table 100 pref 100
    rule add goto 0 pref 1500
    rule del pref 100
    rule delete pref 100
    rule d from 192.0.2.1 to 203.0.113.0/24
    -6 rule del pref 100
    rule add table 7
    rule add unicast
    rule add throw pref 5
    rule flush table 105
    -j rule flush table 9
    rule flush
    -6 rule flush
  `).concat([['rule', 'add', 'ipproto', ' 17', 'table', '17', 'pref', '1604'], ['rule', 'add', 'uidrange', ' -0- +7', 'table', '19', 'pref', '1606']]), twin, rules);
});

t.test('refusals: the messages and exit codes of ip', kernel, async (t) => {
  await sameLines(t, split(`
    rule add
    rule del
    rule add table
    rule add pref x
    rule add tos zz
    rule add fwmark 1/x
    rule add fwmark x
    rule add realms a/b
    rule add table nosuchtable
    rule add suppress_prefixlength -1
    rule add suppress_ifgroup nosuch
    rule add iif a/b
    rule add oif a_name_too_long_for_a_link
    rule add uidrange 5
    rule add ipproto nosuchproto
    rule add sport x
    rule add dport y
    rule add goto x
    rule add bogus
    rule add tun_id x
    rule add protocol x
    rule add l3mdev table 5
    -6 rule add from 192.0.2.0/24 table 5
    rule bogus
    rule add help
    rule show from
    rule show bogus
    rule show table nosuch
    rule show pref x
    rule show tun_id 18446744073709551616
    rule show uidrange 5
    -0 rule show
    -0 rule flush
    -0 rule add table 5
    -j -0 rule show
  `), twin, rules, RTNL_BIN);
});

t.test('rule show prints what ip prints, with each selector and option', kernel, async (t) => {
  const ns = twin(t);
  for (const args of split(`
    rule add from 192.0.2.0/24 table 100 pref 100
    rule add not to 198.51.100.0/24 fwmark 0x10/0xff iif lo lookup main pref 200
    rule add oif v0 uidrange 1000-2000 ipproto tcp sport 80 dport 1000-2000 table 101 pref 300 proto static
    rule add from all goto 500 pref 400
    rule add pref 500 nop
    rule add pref 600 blackhole
    rule add tos 0x10 table 102 suppress_prefixlength 0 suppress_ifgroup 5 pref 700
    rule add realms 3/5 table 103 pref 800
    rule add realms 5 table 103 pref 801
    rule add tun_id 5 table 104 pref 900
    rule add iif nosuch table 105 pref 1000
    rule add l3mdev pref 1100
    rule add from 192.0.2.1 to 203.0.113.0/24 fwmark 7 table 200000 pref 1200
    rule add fwmark 0/0xff table 9 pref 1300
    rule add goto 1500 pref 1400
    rule add sport 1-2 dport 443 ipproto 250 pref 1600
    -6 rule add from 2001:db8::/32 table 100 pref 100
    -6 rule add to 2001:db8::1 iif v1 oif v0 table 100
  `)) ip(args, { netns: ns });
  const selectors = split(`
    rule
    rule show
    rule list
    rule lst
    rule s pref 100
    rule show not
    rule show from 192.0.2.0/24
    rule show from 192.0.2.0/16
    rule show src 192.0.2.1
    rule show to 198.51.100.0/24
    rule show 203.0.113.0/24
    rule show dst 203.0.113.0/24
    rule show from all
    rule show table 100
    rule show lookup main
    rule show fwmark 0x10/0xff
    rule show fwmark 0x10/0xf
    rule show fwmark 7
    rule show iif lo
    rule show dev nosuch
    rule show oif v0
    rule show l3mdev
    rule show uidrange 1000-2000
    rule show ipproto tcp
    rule show sport 80
    rule show dport 1000-2000
    rule show tun_id 5
    rule show tos 0x10
    rule show dsfield 0x10
    rule show protocol all
    -6 rule show
    -6 rule show from 2001:db8::/16
    -6 rule show iif v1
  `);
  for (const args of selectors) {
    for (const fmt of [[], ['-j'], ['-j', '-p'], ['-d'], ['-N']]) await sameAsIp(t, ns, [...fmt, ...args]);
  }
  await sameAsIp(t, ns, ['rule', 'show'], RTNL_BIN);
});

t.test('rtnl monitor rule prints the lines ip monitor rule prints', kernel, async (t) => {
  const ns = twin(t);
  const theirs = watch('ip', ['-n', ns, 'monitor', 'rule'], t);
  const ours = watch(BIN, ['-n', ns, 'monitor', 'rule'], t);
  await joined(ns, theirs, ours);
  await new Promise((r) => setTimeout(r, 1000)); // rtnl's first dump done: a change before it is its baseline
  for (const args of split(`
    rule add from 192.0.2.0/24 table 100 pref 100
    rule add not to 198.51.100.0/24 fwmark 0x10/0xff iif lo lookup main pref 200
    rule add goto 500 pref 400
    rule add pref 500 nop
    -6 rule add from 2001:db8::/32 table 100 pref 100
    rule del pref 400
    rule del pref 100
    -6 rule flush
  `)) ip(args, { netns: ns });
  const expected = 'Deleted 32766:\tfrom all lookup main\n';
  for (let i = 0; i < 50 && !(theirs.out().endsWith(expected) && ours.out().endsWith(expected)); i++) await new Promise((r) => setTimeout(r, 100));
  theirs.child.kill('SIGTERM');
  ours.child.kill('SIGTERM');
  // Beside ip's lines, rtnl tells the goto rule resolved once its target came: the kernel says
  // nothing of it (a dump found it), as it says nothing of the IPv4 routes it drops.
  const resolved = '400:\tfrom all goto 500';
  const ourLines = ours.out().split('\n');
  t.ok(ourLines.indexOf(resolved) > ourLines.indexOf('500:\tfrom all nop'), `the goto told resolved after its target came:\n${ours.out()}`);
  t.same(ourLines.filter((l) => l !== resolved), theirs.out().split('\n'), 'the rest: ip\'s lines, in ip\'s order');
  t.equal(theirs.out().split('\n').length, 10, 'nine lines: five rules made, four deleted');
});

t.test('where rtnl differs from ip on purpose', kernel, async (t) => {
  const ns = twin(t);
  // An IPv6 prefix in an IPv4 rule (no -6): ip sends it for the kernel to refuse; rtnl refuses it in its words.
  const args = ['-n', ns, 'rule', 'add', 'from', '2001:db8::/32', 'table', '5'];
  t.same(await IP.run(args), { status: 2, stdout: '', stderr: 'Error: Invalid source address.\n' }, 'ip: the kernel\'s words');
  t.same(await RTNL_BIN.run(args), { status: 2, stdout: '', stderr: 'from is not an inet prefix\n' }, 'rtnl: its own');
  // ip parses `protocol` for show and lists every rule regardless; rtnl lists those of the protocol.
  ip(['rule', 'add', 'table', '5', 'pref', '5', 'proto', 'static'], { netns: ns });
  t.equal((await IP.run(['-n', ns, 'rule', 'show', 'protocol', 'static'])).stdout.split('\n').length - 1, 4, 'ip: every rule');
  t.same(await RTNL_BIN.run(['-n', ns, 'rule', 'show', 'protocol', 'static']), { status: 0, stdout: '5:\tfrom all lookup 5 proto static\n', stderr: '' }, 'rtnl: the rule of that protocol');
  // Realms on an IPv6 rule: the kernel takes them and drops them; rtnl refuses them.
  t.equal((await IP.run(['-n', ns, '-6', 'rule', 'add', 'realms', '3', 'table', '5', 'pref', '9'])).status, 0, 'ip: taken, and dropped');
  t.same(await RTNL_BIN.run(['-n', ns, '-6', 'rule', 'add', 'realms', '3', 'table', '5', 'pref', '8']), { status: 2, stdout: '', stderr: 'realms are for IPv4 rules: the kernel ignores them on IPv6 ones\n' }, 'rtnl: refused');
  // A type word that is a goto (`local` is RTN_LOCAL, 2, FR_ACT_GOTO) without a target: the kernel refuses it for ip, rtnl before sending.
  t.same(await IP.run(['-n', ns, 'rule', 'add', 'local']), { status: 2, stdout: '', stderr: 'Error: Missing goto target for action goto.\n' }, 'ip: the kernel\'s words');
  t.same(await RTNL_BIN.run(['-n', ns, 'rule', 'add', 'local']), { status: 2, stdout: '', stderr: 'the action goto needs goto: the priority of the rule to go to\n' }, 'rtnl: its own');
  // save and restore, and nat: not supported, said so.
  t.same(await RTNL_BIN.run(['-n', ns, 'rule', 'save']), { status: 1, stdout: '', stderr: 'rtnl: "rule save" is not supported\n' });
  t.same(await RTNL_BIN.run(['-n', ns, 'rule', 'add', 'nat', '192.0.2.1']), { status: 1, stdout: '', stderr: 'rtnl: rule "nat" is not supported (route NAT is deprecated)\n' });
});
