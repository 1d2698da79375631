// ip's name databases (/etc/iproute2/group, rt_tables, rt_protos...): the lines as ip reads them,
// and, against ip, the names both tools take and print when the files hold more than the
// built-in ones. The files are the test's own, mounted over /etc/iproute2 in a mount namespace
// of their own: the host's are never touched.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEntries } from '../src/cli/name-db.js';
import { kernel } from './helpers/kernel.js';
import { BIN } from './helpers/cli.js';

t.test('lines as ip reads them (fgets, then sscanf "0x%x %s" or "%d %s")', async (t) => {
  t.same(readEntries('# comment\n\n  \t7 seven\n0x1f hex # and a comment\n10ten\n+3 plus\n').entries,
    [[7, 'seven'], [31, 'hex'], [10, 'ten'], [3, 'plus']], 'blanks, comments, hex, no space before the name, a sign');
  t.same(readEntries('0xzz name\n').entries, [[0, 'xzz']], 'a bad hex number is read as the decimal 0 and a name');
  t.same(readEntries('4294967297 wraps\n-1 negative\n0xffffffff ones\n').entries,
    [[1, 'wraps'], [-1, 'negative'], [-1, 'ones']], 'an int keeps the low 32 bits (negative ids are passed over by the databases)');
  t.same(readEntries('5 five\nbogus\n6 six\n'), { entries: [[5, 'five']], corrupt: 'bogus\n' }, 'a line that does not read ends the file');
  t.same(readEntries('8\n'), { entries: [], corrupt: '8\n' }, 'a number without a name is corrupt');
  const long = `9 ${'n'.repeat(600)}\n`;
  t.same(readEntries(long), { entries: [[9, 'n'.repeat(509)]], corrupt: `${'n'.repeat(91)}\n` },
    'a line past 511 bytes is read in pieces: here the second is no entry');
  t.same(readEntries('11 last').entries, [[11, 'last']], 'a last line without its newline');
  t.same(readEntries('12 twelve\n \t'), { entries: [[12, 'twelve']] }, 'a last line of blanks alone, without its newline, is no entry and not corrupt');
});

/** The databases the test mounts over /etc/iproute2: more than the built-in names, and the cases where ip's search order shows. */
const FILES: Record<string, string> = {
  // A corrupt line ends the file (a warning on stderr); `dup` is given twice: a2n searches the
  // chains by the number's low byte, 5 before 300 & 255 = 44, though 300 is the newer; `old`
  // then `new` name 9: n2a gives the newest.
  group: '0 default\n10 tenants\n0x20 web\n5 dup\n300 dup\n9 old\n9 new\nbogus\n11 after\n',
  // Numbers out of a database's range are passed over: a negative one here, one past 255 in rt_protos.
  rt_tables: '255 local\n254 main\n253 default\n0 unspec\n100 blue\n-3 negative\n',
  'rt_tables.d/extra.conf': '200 green\n',
  // Two .d files naming one table: the one read last wins, in the order the file system lists them.
  'rt_tables.d/a.conf': '150 from-a\n',
  'rt_tables.d/b.conf': '150 from-b\n',
  // A table of 256 names: `mine` twice (a2n takes the lowest number), 79 renamed (the last line wins).
  rt_protos: '2 kernel\n3 boot\n4 static\n77 mine\n78 mine\n79 first\n79 second\n300 toolarge\n',
  'rt_protos.d/more.conf': '80 daemon\n',
  rt_scopes: '0 global\n255 nowhere\n254 host\n253 link\n200 site\n90 campus\n',
  rt_realms: '0 cosmos\n7 seven\n',
  rt_dsfield: '0x0 default\n0x10 lowdelay\n',
  // Protodown reasons: a table of 32 bits, from the .d folder alone; a number past it is passed over.
  'protodown_reasons.d/frr.conf': '0 frr\n3 vrrp\n40 toolarge\n',
};

t.test('names from the files, taken and printed as ip does', kernel, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-ipdb-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [f, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  // Each step: a command changed through rtnl, then listings compared between ip and rtnl.
  const steps: Array<{ change?: string; compare: string[] }> = [
    { change: 'link add v0 type veth peer name v1', compare: [] },
    { change: 'link set v0 group tenants', compare: ['link show group tenants', '-d link show v0', 'link show group 10'] },
    { change: 'link set v1 group dup', compare: ['link show group 5', 'link show v1'] },
    { change: 'link set v0 group 300', compare: ['link show v0', '-j link show v0'] },
    { change: 'link set v0 group old', compare: ['link show v0', 'link show group new'] },
    { change: 'link set v0 group web', compare: ['link show v0', 'link show group 0x20'] },
    { change: 'link set v0 up', compare: [] },
    { change: 'route add 192.0.2.0/24 dev v0 table blue proto mine scope campus tos lowdelay', compare: ['route show table blue', '-j route show table blue', '-N route show table 100'] },
    { change: 'route add 198.51.100.0/24 dev v0 table green proto daemon realm seven', compare: ['route show table green', '-d route show table all proto daemon', 'route show table green realms seven'] },
    { change: 'route add 203.0.113.0/24 dev v0 table 100 proto second', compare: ['route show table blue proto 79', 'route show table all scope campus'] },
    // 17 (RTPROT_MROUTED) has no name in ip 6.1 nor in these files: a number, not the kernel header's name.
    { change: 'route add 192.0.2.64/26 dev v0 proto 17', compare: ['route show proto 17', 'route show 192.0.2.64/26'] },
    { change: 'route add 192.0.2.192/26 dev v0 table 150', compare: ['route show table all'] },
    { change: 'address add 192.0.2.1/24 dev v0 scope campus', compare: ['address show dev v0 scope campus', '-j address show dev v0'] },
    { change: 'link add link v0 name mv0 type macvlan', compare: [] },
    { change: 'link set mv0 protodown_reason vrrp on', compare: ['link show mv0', '-j link show mv0', '-N link show mv0'] },
    { change: 'link set mv0 protodown_reason 0 on', compare: ['link show mv0'] },
  ];
  const refused = [
    'link set v0 group after', 'route add 192.0.2.128/25 dev v0 proto first', 'link show group bogus',
    'route add 192.0.2.128/25 dev v0 proto toolarge', 'route add 192.0.2.128/25 dev v0 table negative',
    'route add 192.0.2.128/25 dev v0 realm sevens', 'link set mv0 protodown_reason toolarge on',
  ];
  // One shell in its own network and mount namespaces; each command's output between markers.
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    `mount --bind ${q(dir)} /etc/iproute2`, 'ip link set lo up',
    ...steps.flatMap(({ change, compare }, i) => [
      ...(change ? [`echo "@@change ${i}"; node ${q(BIN)} ${change} 2>&1; echo "rc=$?"`] : []),
      ...compare.flatMap((c, j) => ['ip', 'rtnl'].map((tool) =>
        `echo "@@${tool} ${i}.${j}"; ${tool === 'ip' ? 'ip' : `node ${q(BIN)}`} ${c} 2>&1; echo "rc=$?"`)),
    ]),
    ...refused.flatMap((c, j) => ['ip', 'rtnl'].map((tool) => `echo "@@${tool} refused.${j}"; ${tool === 'ip' ? 'ip' : `node ${q(BIN)}`} ${c} 2>&1; echo "rc=$?"`)),
  ].join('\n');
  const out = execFileSync('unshare', ['--net', '--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8' });
  const part = (key: string): string => {
    const m = new RegExp(`@@${key.replace('.', '\\.')}\\n([\\s\\S]*?)(?=@@|$)`).exec(out);
    if (!m) throw new Error(`no output for ${key}`);
    return m[1];
  };
  steps.forEach(({ change, compare }, i) => {
    if (change) t.match(part(`change ${i}`), /rc=0\n$/, `rtnl ${change}`);
    compare.forEach((c, j) => t.equal(part(`rtnl ${i}.${j}`), part(`ip ${i}.${j}`), `${c}: as ip`));
  });
  refused.forEach((c, j) => {
    t.match(part(`ip refused.${j}`), /rc=[1-9]/, `ip refuses ${c}`);
    t.equal(part(`rtnl refused.${j}`), part(`ip refused.${j}`), `and rtnl the same way`);
  });
  t.match(part('ip 1.0'), /group tenants/, 'the file\'s name is printed');
  t.match(part('ip 2.0'), /v1.*group dup/, '`dup` named group 5, the first in ip\'s search');
  t.match(part('ip 4.1'), /v0.*group new/, 'group 9 printed as its newest name');
  t.match(part('ip 1.0'), /Database \/etc\/iproute2\/group is corrupted at bogus/, 'ip warns of the corrupt line, and rtnl the same');
  t.match(part('ip 7.0'), /tos lowdelay dev v0 proto mine scope campus/, 'names of rt_protos, rt_scopes and rt_dsfield');
  t.match(part('ip 7.2'), /tos 0x10 dev v0 proto 77 scope 90/, '`mine` taken as 77, its lowest number');
  t.match(part('ip 8.0'), /proto daemon .*realm seven/, 'names of rt_protos.d and rt_realms');
  t.match(part('ip 8.1'), /table green /, 'and of rt_tables.d');
  t.match(part('ip 11.0'), /192\.0\.2\.192\/26 dev v0 table from-[ab] /, 'a table two .d files name: the one ip read last');
  t.match(part('ip 14.0'), /protodown_reason <vrrp>/, 'a protodown reason by its name');
  t.match(part('ip 14.2'), /protodown_reason <3>/, 'and by its number with -N');
  t.match(part('ip 15.0'), /protodown_reason <frr,vrrp>/, 'two reasons');
});

t.test("/usr/share/iproute2's files where /etc/iproute2 has none, as newer ip reads them", kernel, async (t) => {
  const etc = mkdtempSync(join(tmpdir(), 'rtnl-ipdb-etc-'));
  const usr = mkdtempSync(join(tmpdir(), 'rtnl-ipdb-usr-'));
  t.teardown(() => { for (const d of [etc, usr]) rmSync(d, { recursive: true, force: true }); });
  mkdirSync(join(usr, 'iproute2/rt_tables.d'), { recursive: true });
  mkdirSync(join(etc, 'rt_tables.d'));
  writeFileSync(join(usr, 'iproute2/group'), '0 default\n6 fromusr\n');
  writeFileSync(join(usr, 'iproute2/rt_tables'), '254 main\n');
  writeFileSync(join(etc, 'rt_tables'), '254 main\n');
  // A .d file in both: /etc's replaces /usr/share's; one only in /usr/share is read.
  writeFileSync(join(usr, 'iproute2/rt_tables.d/a.conf'), '101 usr-a\n103 usr-a-only\n');
  writeFileSync(join(etc, 'rt_tables.d/a.conf'), '101 etc-a\n');
  writeFileSync(join(usr, 'iproute2/rt_tables.d/b.conf'), '102 usr-b\n');
  const script = [
    `mount -t tmpfs usr /usr/share && cp -r ${usr}/iproute2 /usr/share/ && mount --bind ${etc} /etc/iproute2`,
    'ip link set lo up group 6', 'ip route add 192.0.2.0/24 dev lo table 101', 'ip route add 198.51.100.0/24 dev lo table 102', 'ip route add 203.0.113.0/24 dev lo table 103',
    `node ${BIN} link show lo; node ${BIN} route show table all | grep table`,
  ].join(' && ');
  const out = execFileSync('unshare', ['--net', '--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8' });
  t.match(out, /lo: .* group fromusr /, 'group from /usr/share/iproute2/group');
  t.match(out, /192\.0\.2\.0\/24 dev lo table etc-a /, "a .d file of /etc/iproute2 replaces /usr/share's of the same name");
  t.match(out, /198\.51\.100\.0\/24 dev lo table usr-b /, 'and one only in /usr/share is read');
  t.match(out, /203\.0\.113\.0\/24 dev lo table 103 /, 'the replaced file is not read at all');
});
