// The rtnl command without a kernel: iproute2's abbreviations and option parsing, its usage
// errors and exit codes, and the formatters on links decoded from captured byte vectors.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessages } from '../codecs/netlink/message.js';
import { decodeLink } from '../codecs/route/link.js';
import { matches, pick } from '../src/cli/args.js';
import { printLink } from '../src/cli/format-link.js';
import { main, parseOptions } from '../src/cli/main.js';
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
  t.same(parseOptions(['-n', 'ns01', '-d', '-j', '-p', '-4', 'link']), {
    opts: { netns: 'ns01', details: true, json: true, pretty: true, family: 2 }, rest: ['link'],
  });
  t.same(parseOptions(['--details', '--json', '-6', 'r']).opts, { details: true, json: true, pretty: false, family: 10 });
  t.equal(parseOptions(['-f', 'inet6', 'a']).opts.family, 10);
});

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

t.test('usage errors exit 255 as ip; unknown objects 1; --help is usage on stdout', async (t) => {
  t.same(await cli(['-x', 'link']), { code: 255, out: '', err: 'Option "-x" is unknown, try "rtnl -help".\n' });
  t.same(await cli(['frob']), { code: 1, out: '', err: 'Object "frob" is unknown, try "rtnl help".\n' });
  t.same(await cli(['mroute']), { code: 1, out: '', err: 'Object "mroute" is not supported by rtnl, try "rtnl help".\n' });
  const help = await cli(['link', '--help']);
  t.equal(help.code, 0);
  t.match(help.out, /^Usage: rtnl link add/);
  const h = await cli(['l', 'help']);
  t.equal(h.code, 255);
  t.match(h.err, /^Usage: rtnl link add/);
  for (const o of ['address', 'route', 'neigh', 'netns']) t.match((await cli([o, '--help'])).out, new RegExp(`^Usage: rtnl ${o.slice(0, 5)}`));
  t.same(await cli(['link', 'frob']), { code: 255, out: '', err: 'Command "frob" is unknown, try "rtnl link help".\n' });
  t.same(await cli(['link', 'set', 'dev']), { code: 255, out: '', err: 'Command line is not complete. Try option "help"\n' });
  t.same(await cli(['link', 'add', 'link', 'p0', 'mv0', 'type', 'macvlan', 'mode', 'privat']), {
    code: 1, out: '', err: 'Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "privat"\n',
  });
  t.same(await cli(['link', 'add', 'mv0', 'type', 'macvlan', 'mode', 'vepa', 'nopromisc']), {
    code: 255, out: '', err: 'macvlan: nopromisc flag only valid in passthru mode\n',
  });
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
  printLink(text, l, names, true, true);
  const [first, second, third] = text.output().split('\n');
  t.match(first, /^\d+: mvs@p0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000$/);
  t.equal(second, '    link/ether 02:00:00:00:01:05 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ');
  // The kernel lists the source MACs newest first: the order is the bytes', not sorted.
  t.match(third, /^ {4}macvlan mode source bcqueuelen 1000 usedbcqueuelen 1000 remotes \(2\) 02:00:00:00:aa:02 02:00:00:00:aa:01 addrgenmode eui64 /);
  const json = new Printer(true);
  printLink(json, l, names, true, true);
  json.listing = true;
  const [row] = JSON.parse(json.output()) as Array<Record<string, unknown>>;
  t.same(row.linkinfo, {
    info_kind: 'macvlan',
    info_data: { mode: 'source', bcqueuelen: 1000, usedbcqueuelen: 1000, macaddr_count: 2, macaddr_data: ['02:00:00:00:aa:02', '02:00:00:00:aa:01'] },
  });
  t.same(Object.keys(row).slice(0, 4), ['ifindex', 'link', 'ifname', 'flags']);
});

t.test('ip -j -p layout: four spaces a level, scalar arrays on one line', async (t) => {
  t.equal(prettyJson([{ a: 1, b: ['X', 'Y'], c: { d: [] } }], 0),
    '[ {\n        "a": 1,\n        "b": [ "X","Y" ],\n        "c": {\n            "d": [ ]\n        }\n    } ]');
  t.equal(prettyJson([], 0), '[ ]');
});
