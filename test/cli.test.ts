// The rtnl command without a kernel: iproute2's abbreviations and option parsing, its usage
// errors and exit codes, and the formatters on links decoded from captured byte vectors.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessages } from '../codecs/netlink/message.js';
import { decodeLink, type Link } from '../codecs/route/link.js';
import { matches, pick } from '../src/cli/args.js';
import { cmdlines, makeargs } from '../src/cli/batch.js';
import { printLink, printLinkStats } from '../src/cli/format-link.js';
import { main, parseOptions, USAGE } from '../src/cli/main.js';
import { Printer, prettyJson } from '../src/cli/print.js';
import { hex } from './helpers/bytes.js';

t.test('abbreviations resolve as ip resolves them', async (t) => {
  const objects = ['address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbor', 'neighbour', 'ntable', 'link', 'netns', 'netconf'];
  t.equal(pick('l', objects), 'link');
  t.equal(pick('a', objects), 'address');
  t.equal(pick('addr', objects), 'address');
  t.equal(pick('r', objects), 'route');
  t.equal(pick('n', objects), 'neighbor');
  t.equal(pick('neigh', objects), 'neighbor');
  t.equal(pick('net', objects), 'netns');
  t.equal(pick('ru', objects), 'rule');
  t.notOk(matches('', 'link'), 'an empty word abbreviates nothing');
  t.notOk(matches('links', 'link'), 'a longer word is no abbreviation');
});

t.test('global options', async (t) => {
  const none = { details: false, json: false, pretty: false, family: 0, stats: 0, brief: false, oneline: false };
  t.same(parseOptions(['-n', 'ns01', '-d', '-j', '-p', '-4', 'link']), {
    opts: { ...none, netns: 'ns01', details: true, json: true, pretty: true, family: 2 }, rest: ['link'],
  });
  t.same(parseOptions(['--details', '--json', '-6', 'r']).opts, { ...none, details: true, json: true, family: 10 });
  t.equal(parseOptions(['-f', 'inet6', 'a']).opts.family, 10);
  // ip.c's order decides the abbreviations: -s is -stats, -o -oneline, -b -batch, -br -brief, -fo -force.
  t.same(parseOptions(['-s', '-stat', '-o', '-br', 'l']).opts, { ...none, stats: 2, oneline: true, brief: true });
  t.same(parseOptions(['-statistics', '-oneline', '-brief', 'l']).opts, { ...none, stats: 1, oneline: true, brief: true });
  t.same(parseOptions(['-fo', '-b', 'f.txt', 'ignored']), { opts: { ...none, force: true }, rest: ['ignored'], batch: 'f.txt' });
  t.same(parseOptions(['-force', '-batch', '-']), { opts: { ...none, force: true }, rest: [], batch: '-' });
});

t.test('batch lines are split as iproute2 makeargs() splits them', async (t) => {
  t.same(makeargs('link  set\tv0 up\r\n'), ['link', 'set', 'v0', 'up']);
  t.same(makeargs(''), []);
  t.same(makeargs(' \t\n'), []);
  // A word that starts with a quote runs to the same quote, blanks and the other quote included.
  t.same(makeargs(`link set v1 alias "a 'b' c" x`), ['link', 'set', 'v1', 'alias', "a 'b' c", 'x']);
  t.same(makeargs(`alias 'say "hi"'`), ['alias', 'say "hi"']);
  // The closing quote ends the word even with no blank after it; a quote inside a word is a character.
  t.same(makeargs('"ab"cd e"f'), ['ab', 'cd', 'e"f']);
  t.same(makeargs('""'), ['']);
  t.throws(() => makeargs('link set v1 alias "open'), { message: 'Unterminated quoted string', exitCode: 1, exits: true });
  t.equal(makeargs(Array(511).fill('w').join(' ')).length, 511);
  t.throws(() => makeargs(Array(512).fill('w').join(' ')), { message: 'Too many arguments to command', exits: true });
});

t.test('batch files are read as iproute2 getcmdline() reads them', async (t) => {
  const read = async (chunks: string[]): Promise<{ lines: Array<{ line: string; lineno: number }>; err: string }> => {
    let err = '';
    const lines = [];
    for await (const l of cmdlines((async function* () { yield* chunks; })(), (s) => { err += s; })) lines.push(l);
    return { lines, err };
  };
  // Comments cut the line wherever they start, quotes or not; a backslash before the newline joins the next line.
  t.same(await read(['# c\nlink show # x\n', '\nlink set v0 \\\n  mtu', ' 1400\nalias "a#b"\nlast']), {
    lines: [
      { line: '', lineno: 1 }, { line: 'link show ', lineno: 2 }, { line: '\n', lineno: 3 },
      { line: 'link set v0   mtu 1400\n', lineno: 5 }, { line: 'alias "a', lineno: 6 }, { line: 'last', lineno: 7 },
    ],
    err: '',
  });
  // A comment takes the newline with it: no continuation after it. A NUL ends the line too.
  t.same((await read(['a # \\\nb\n', 'c\u0000d\n'])).lines, [{ line: 'a ', lineno: 1 }, { line: 'b\n', lineno: 2 }, { line: 'c', lineno: 3 }]);
  // A backslash at the very end (no newline) is a character; a continuation with no next line is an error.
  t.same(await read(['x \\']), { lines: [{ line: 'x \\', lineno: 1 }], err: '' });
  t.same(await read(['x \\\n']), { lines: [], err: 'Missing continuation line\n' });
});

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

t.test('usage errors exit 255 as ip; unknown objects 1; help is usage on stderr', async (t) => {
  t.same(await cli(['-x', 'link']), { code: 255, out: '', err: 'Option "-x" is unknown, try "rtnl -help".\n' });
  t.same(await cli(['frob']), { code: 1, out: '', err: 'Object "frob" is unknown, try "rtnl help".\n' });
  t.same(await cli(['mroute']), { code: 1, out: '', err: 'Object "mroute" is not supported by rtnl, try "rtnl help".\n' });
  t.same(await cli(['route', 'test', '203.0.113.0/24', 'dev', 'v0']), { code: 1, out: '', err: 'rtnl: "route test" is not supported\n' }, 'a command ip has and rtnl has not: said so');
  t.same(await cli(['link', '--help']), { code: 255, out: '', err: 'Command "--help" is unknown, try "rtnl link help".\n' });
  for (const words of [['name', 'x'], ['numtxqueues', '2'], ['numrxqueues', '2'], ['netns', '1'], ['type', 'macvlan', 'mode', 'vepa']]) {
    t.same(await cli(['link', 'set', 'group', '5', ...words]), { code: 255, out: '', err: 'rtnl: link set group N changes flags, mtu, txqueuelen, address, broadcast, alias and master only\n' },
      `link set group 5 ${words.join(' ')}: refused before anything is sent`);
  }
  for (const words of [['type', 'macvlan'], ['link', 'lo'], ['master', 'lo'], ['nomaster']]) {
    t.same(await cli(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1', ...words]), { code: 255, out: '', err: 'rtnl: a veth peer takes no "link", "master", "nomaster" or "type"\n' },
      `a veth peer with ${words[0]}: refused before anything is sent`);
  }
  t.same(await cli(['route', 'show', 'vrf', '1']), { code: 1, out: '', err: 'rtnl: route selector "vrf" is not supported\n' }, 'route show vrf: refused by name');
  t.same(await cli(['address', 'add', '192.0.2.1/24', '192.0.2.2/24', 'dev', 'lo']), { code: 255, out: '', err: 'Error: either "local" is duplicate, or "192.0.2.2/24" is a garbage.\n' }, 'two addresses: as ip');
  t.same(await cli(['link', 'add', 'x0', 'type', 'dummy', 'foo']), { code: 255, out: '', err: 'rtnl: options of link type "dummy" are not supported (only macvlan, macvtap, bridge, vxlan, vlan, ipvlan, ipvtap and veth peer)\n' },
    'options of a kind rtnl does not read: refused rather than ignored');
  t.same(await cli(['link', 'replace', 'nope0', 'mtu', '1400']), { code: 255, out: '', err: 'rtnl link replace is not supported; use delete then add\n' },
    'link replace: refused before anything is sent (ip sends it as a creation)');
  t.same(await cli(['link', 'add', 'x0', 'addrgenmode', 'none', 'type', 'bridge']), { code: 255, out: '', err: 'rtnl: addrgenmode is taken by "link set" only\n' },
    'addrgenmode at creation: refused rather than ignored');
  for (const w of ['numtxqueues', 'numrxqueues']) {
    t.same(await cli(['link', 'set', 'lo', w, '2']), { code: 255, out: '', err: 'rtnl: numtxqueues and numrxqueues are set at creation only\n' },
      `link set ${w}: refused rather than ignored (the kernel reads it only when it makes a link)`);
  }
  t.same(await cli(['link', 'set', 'lo', 'type', 'veth']), { code: 255, out: '', err: 'rtnl: link set ... type veth is not supported (only macvlan, macvtap, bridge, vxlan, vlan, ipvlan, ipvtap and bridge_slave)\n' },
    'link set ... type KIND rtnl cannot change: refused rather than ignored (ip takes it)');
  // ip 6.1's words and exit statuses (seen by running it): refusals that differed.
  t.same(await cli(['route', 'get', '203.0.113.1', 'mark', 'x']), { code: 255, out: '', err: 'Error: argument "x" is wrong: invalid mark value\n' }, 'route get mark x: as ip');
  t.same(await cli(['route', 'add', '203.0.113.0/24', 'dev', 'lo', 'rtt', 'x5s']), { code: 255, out: '', err: 'Error: argument "x5s" is wrong: "rtt" value is invalid\n\n' }, 'rtt x5s: refused, as ip');
  t.same(await cli(['-f', 'foo', 'link', 'show']), { code: 255, out: '', err: 'Error: argument "foo" is wrong: invalid protocol family\n' }, '-f foo: as ip (one newline, checked against ip 6.1 again)');
  t.same(await cli(['netns', 'set', 'foo']), { code: 1, out: '', err: 'No nsid specified\n' }, 'netns set NAME without an nsid: exit 1, as ip');
  t.same(await cli(['netns', 'exec', 'foo']), { code: 1, out: '', err: 'No command specified\n' }, 'netns exec NAME without a command: exit 1, as ip');
  t.same(await cli(['link', 'add', 'v0', 'type', 'veth', 'foo']), {
    code: 1, out: '', err: "Usage: rtnl link <options> type veth [peer <options>]\nTo get <options> type 'rtnl link add help'\n",
  }, 'a veth option other than peer: veth\'s usage, exit 1, as ip');
  t.same(await cli(['route', 'show', 'tos', 'zz']), { code: 255, out: '', err: 'Error: argument "zz" is wrong: TOS value is invalid\n\n' }, 'route show tos zz: as ip');
  t.same(await cli(['link', 'add', 'v9', 'numtxqueues', 'x', 'type', 'veth']), { code: 255, out: '', err: 'Error: argument "x" is wrong: Invalid "numtxqueues" value\n\n' },
    'numtxqueues x: as ip');
  for (const s of ['10x1', '0x1g']) {
    t.same(await cli(['neigh', 'show', 'nud', s]), { code: 255, out: '', err: `Error: argument "${s}" is wrong: nud state is bad\n` }, `neigh show nud ${s}: as ip`);
  }
  t.same(await cli(['link', 'set', 'lo', 'arp', 'maybe']), { code: 1, out: '', err: 'Error: argument of "arp" must be "on" or "off", not "maybe"\n' }, 'arp maybe: as ip');
  t.same(await cli(['-4', '--', 'frobnicate']), { code: 1, out: '', err: 'Object "frobnicate" is unknown, try "rtnl help".\n' }, '-- ends the options, as ip');
  // An option without its value: ip's usage; -n's is netns_switch(NULL)'s words (ip reads past the end).
  for (const o of ['-f', '-batch']) t.same(await cli([o]), { code: 255, out: '', err: `${USAGE}\n` }, `${o} without its value`);
  // What ip monitors and rtnl does not model (multicast routes): refused by name, each (not taken for an unknown word),
  // abbreviated as ip 6.1 takes them; `stats` and `dev` only whole, as in ip (`al`, all-nsid, and
  // `stats` are compared with ip in cli-monitor).
  for (const w of ['mroute', 'mr']) {
    t.same(await cli(['monitor', w]), { code: 255, out: '', err: `rtnl: monitor ${w} is not supported (only link, address, route, neigh, netconf, rule, nsid, nexthop, prefix, stats)\n` }, `monitor ${w}`);
  }
  for (const w of ['file', 'f']) t.same(await cli(['monitor', w]), { code: 255, out: '', err: 'Command line is not complete. Try option "help"\n' }, `monitor ${w} without its file: as ip`);
  for (const w of ['s', 'st', 'd', 'de']) t.same(await cli(['monitor', w]), { code: 255, out: '', err: `Argument "${w}" is unknown, try "rtnl monitor help".\n` }, `monitor ${w}: unknown, as in ip`);
  t.same(await cli(['monitor', 'dev', 'nosuch']), { code: 255, out: '', err: 'Error: argument "nosuch" is wrong: Device does not exist\n\n' }, 'monitor dev of no link: as ip');
  t.same(await cli(['monitor', 'link', 'dev']), { code: 255, out: '', err: 'Command line is not complete. Try option "help"\n' }, 'monitor dev without its link: as ip');
  t.same(await cli(['-n']), { code: 255, out: '', err: 'Cannot open network namespace "(null)": No such file or directory\n' }, '-n without its value');
  // ip route get help and route show table help: ip route's usage, as `route help` prints it.
  const routeHelp = await cli(['route', 'help']);
  t.equal(routeHelp.code, 255);
  t.match(routeHelp.err, /^Usage: rtnl route \{ show \| flush \} \[ SELECTOR \]\n[^]*[^\n]\n$/, 'one newline at the end');
  for (const args of [['route', 'get', 'help'], ['route', 'show', 'table', 'help']]) t.same(await cli(args), routeHelp, args.join(' '));
  const shownHelp = await cli(['address', 'show', 'help']);
  t.same([shownHelp.code, shownHelp.out], [255, ''], 'address show help: usage, as ip (not a device named help)');
  t.match(shownHelp.err, /^Usage: rtnl address \{ add/);
  const h = await cli(['l', 'help']);
  t.equal(h.code, 255);
  t.match(h.err, /^Usage: rtnl link add/);
  for (const o of ['address', 'route', 'neigh', 'netns']) t.match((await cli([o, 'help'])).err, new RegExp(`^Usage: rtnl ${o.slice(0, 5)}`));
  t.same(await cli(['link', 'frob']), { code: 255, out: '', err: 'Command "frob" is unknown, try "rtnl link help".\n' });
  t.same(await cli(['link', 'set', 'dev']), { code: 255, out: '', err: 'Command line is not complete. Try option "help"\n' });
  t.same(await cli(['link', 'add', 'link', 'lo', 'mv0', 'type', 'macvlan', 'mode', 'privat']), {
    code: 1, out: '', err: 'Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "privat"\n',
  });
  // ip 6.1: the message, then the kind's usage, exit 1 (test/vectors/args/macvlan.txt).
  const nopromisc = await cli(['link', 'add', 'mv0', 'type', 'macvlan', 'mode', 'vepa', 'nopromisc']);
  t.same([nopromisc.code, nopromisc.out], [1, '']);
  t.match(nopromisc.err, /^macvlan: nopromisc flag only valid in passthru mode\nUsage: \.\.\. macvlan mode MODE /);
});

/** The reply of a captured link vector, decoded. */
function capturedLink(name: string) {
  const lines = readFileSync(fileURLToPath(new URL(`../../test/vectors/link/${name}.txt`, import.meta.url)), 'utf8').split('\n');
  const reply = lines.find((l) => l.startsWith('reply '))!;
  return decodeLink(parseMessages(hex(reply.slice(6)))[0].payload);
}

const names = { name: () => 'p0', flagsOf: () => ['up' as const], netnsName: () => undefined };

t.test('a macvlan in source mode, from the kernel bytes, printed as ip -d prints it', async (t) => {
  const l = capturedLink('macvlan-source');
  const text = new Printer(false);
  printLink(text, l, names, { details: true, family: 0, stats: 0, brief: false }, true);
  const [first, second, third] = text.output().split('\n');
  t.match(first, /^\d+: mvs@p0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000$/);
  t.equal(second, '    link/ether 02:00:00:00:01:05 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ');
  // The kernel lists the source MACs newest first: the order is the bytes', not sorted.
  t.match(third, /^ {4}macvlan mode source bcqueuelen 1000 usedbcqueuelen 1000 remotes \(2\) 02:00:00:00:aa:02 02:00:00:00:aa:01 addrgenmode eui64 /);
  const json = new Printer(true);
  printLink(json, l, names, { details: true, family: 0, stats: 0, brief: false }, true);
  json.listing = true;
  const [row] = JSON.parse(json.output()) as Array<Record<string, unknown>>;
  t.same(row.linkinfo, {
    info_kind: 'macvlan',
    info_data: { mode: 'source', bcqueuelen: 1000, usedbcqueuelen: 1000, macaddr_count: 2, macaddr_data: ['02:00:00:00:aa:02', '02:00:00:00:aa:01'] },
  });
  t.same(Object.keys(row).slice(0, 4), ['ifindex', 'link', 'ifname', 'flags']);
});

t.test('XDP modes this kernel cannot show (several programs, a mode ip does not know): printed as ip/iplink_xdp.c prints them', async (t) => {
  // Ids past INT_MAX, which the kernel never gives: bpf(2) finds no program, so ip prints the id alone.
  const [drv, hw, one] = [0xfffffff0, 0xfffffff1, 0xfffffff2];
  const link = (xdp: Link['xdp']): Link => ({ family: 0, type: 1, index: 5, flags: [], change: 0, name: 'v0', mtu: 1500, xdp });
  const print = (l: Link, json: boolean, doLink: boolean): string => {
    const p = new Printer(json);
    p.listing = true;
    printLink(p, l, names, { details: false, family: 0, stats: 0, brief: false }, doLink);
    return p.output();
  };
  const multi = link({ attached: 'multi', drvProgId: drv, offloadProgId: hw });
  t.equal(print(multi, false, true), `5: v0: <> mtu 1500 xdpmulti \n    link/ether \n    prog/xdpdrv id ${drv} \n    prog/xdpoffload id ${hw} \n`);
  t.same(JSON.parse(print(multi, true, true))[0].xdp, { mode: 4, attached: [{ mode: 1, prog: { id: drv } }, { mode: 3, prog: { id: hw } }] });
  const unknown = link({ attached: 9, progId: one });
  t.equal(print(unknown, false, true), `5: v0: <> mtu 1500 xdp[9] \n    link/ether \n    prog/xdp id ${one} \n`);
  t.equal(print(unknown, false, false), `5: v0: <> mtu 1500 xdp[9]/id:${one} \n    link/ether \n`, "ip address's link line: the id on the first line, no program line");
  // An older kernel tells IFLA_XDP_PROG_ID alone: it is the one attached.
  t.same(JSON.parse(print(unknown, true, true))[0].xdp, { mode: 9, prog: { id: one }, attached: [{ mode: 9, prog: { id: one } }] });
  t.equal(print(link({ attached: 'none' }), false, true), '5: v0: <> mtu 1500 \n    link/ether \n', 'none: nothing');
});

t.test('a switch port\'s ids (no driver here has them) print as ip -d prints them, at most 31 bytes as its buffer holds', async (t) => {
  const l: Link = { family: 0, type: 1, index: 5, flags: [], change: 0, name: 'sw0p1', physPortName: 'p1',
    physPortId: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]), physSwitchId: Uint8Array.from({ length: 32 }, (_, i) => i) };
  const text = new Printer(false);
  printLink(text, l, names, { details: true, family: 0, stats: 0, brief: false }, true);
  const ids = Array.from({ length: 31 }, (_, i) => i.toString(16).padStart(2, '0')).join('');
  t.match(text.output(), ` portname p1 portid deadbeef switchid ${ids} \n`);
  const json = new Printer(true);
  json.listing = true;
  printLink(json, l, names, { details: true, family: 0, stats: 0, brief: false }, true);
  t.match(JSON.parse(json.output())[0], { phys_port_name: 'p1', phys_port_id: 'deadbeef', phys_switch_id: ids });
});

t.test('ip -br link: a tunnel\'s end as an IP address (print_linkinfo_brief\'s ll_addr_n2a()), other addresses as bytes', async (t) => {
  const brief = (type: number, address: string): string => {
    const p = new Printer(false);
    printLink(p, { family: 0, type, index: 5, flags: ['up', 'running', 'pointopoint', 'noarp'], change: 0, name: 't0', address }, names, { details: false, family: 17, stats: 0, brief: true }, true);
    return p.output();
  };
  t.equal(brief(0x30a, 'c0:00:02:01'), 't0               192.0.2.1 <POINTOPOINT,NOARP,UP> \n', 'gre');
  t.equal(brief(0x301, '20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:05'), 't0               2001:db8::5 <POINTOPOINT,NOARP,UP> \n', 'ip6tnl');
  t.equal(brief(1, 'c0:00:02:01'), 't0               c0:00:02:01 <POINTOPOINT,NOARP,UP> \n', 'Ethernet: bytes');
});

t.test('ip -j -p layout: four spaces a level, scalar arrays on one line', async (t) => {
  t.equal(prettyJson([{ a: 1, b: ['X', 'Y'], c: { d: [] } }], 0),
    '[ {\n        "a": 1,\n        "b": [ "X","Y" ],\n        "c": {\n            "d": [ ]\n        }\n    } ]');
  t.equal(prettyJson([], 0), '[ ]');
});

t.test('-s counters wider than their column widen it, as print_stats64() sizes them', async (t) => {
  const l = capturedLink('macvlan-source');
  l.stats64 = { rxBytes: 123456789012n, rxPackets: 98765432n, multicast: 5n, rxCompressed: 3n, rxNohandler: 2n, txBytes: 1n, txHeartbeatErrors: 12345678n };
  l.carrierChanges = 4;
  const text = (level: number): string => {
    const p = new Printer(false);
    printLinkStats(p, l, level);
    return p.output();
  };
  t.equal(text(1), [
    '    RX:    bytes  packets errors dropped  missed   mcast compressed',
    '    123456789012 98765432      0       0       0       5          3 ',
    '    TX:    bytes  packets errors dropped carrier collsns           ',
    '               1        0      0       0       0       0 ',
  ].join('\n'));
  // -s -s: the TX error counters are sized one column to the right of where they are printed
  // (iproute2's own slip, copied): the heartbeat count widens the mcast/overrun/collsns column.
  t.equal(text(2), [
    '    RX:    bytes  packets errors dropped  missed    mcast compressed',
    '    123456789012 98765432      0       0       0        5          3 ',
    '    RX errors:     length    crc   frame    fifo  overrun  nohandler',
    '                        0      0       0       0        0          2 ',
    '    TX:    bytes  packets errors dropped carrier  collsns           ',
    '               1        0      0       0       0        0 ',
    '    TX errors:    aborted   fifo  window heartbt  transns',
    '                        0      0       0 12345678        4 ',
  ].join('\n'));
  const json = new Printer(true);
  json.openObject();
  printLinkStats(json, l, 2);
  json.listing = true;
  const [row] = JSON.parse(json.output()) as Array<{ stats64: { rx: Record<string, number>; tx: Record<string, number> } }>;
  t.same(row.stats64.rx, {
    bytes: 123456789012, packets: 98765432, errors: 0, dropped: 0, over_errors: 0, multicast: 5, compressed: 3,
    length_errors: 0, crc_errors: 0, frame_errors: 0, fifo_errors: 0, missed_errors: 0, nohandler: 2,
  });
  t.same(row.stats64.tx, {
    bytes: 1, packets: 0, errors: 0, dropped: 0, carrier_errors: 0, collisions: 0,
    aborted_errors: 0, fifo_errors: 0, window_errors: 0, heartbeat_errors: 12345678, carrier_changes: 4,
  });
  // Counters past 2^53 are written digit for digit.
  l.stats64 = { rxBytes: 18446744073709551615n };
  const big = new Printer(true);
  big.openObject();
  printLinkStats(big, l, 1);
  big.listing = true;
  t.match(big.output(), /"rx":\{"bytes":18446744073709551615,/);
});
