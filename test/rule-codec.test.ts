// Rules without a kernel: what `ip rule` and `ip monitor rule` exchanged with this kernel
// (test/vectors/rule/, captured by its capture.sh) decodes and re-encodes to the same bytes,
// reads as ip printed it (text and -j), and the API builds the requests ip sent.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ruleCodec, type RuleMessage } from '../codecs/route/rule.js';
import { describe, ruleMessage, toRule, type RuleSpec } from '../src/api/rule.js';
import { InvalidArgumentError } from '../src/index.js';
import { printRule } from '../src/cli/format-rule.js';
import { Printer } from '../src/cli/print.js';
import { Writer } from '../codecs/netlink/writer.js';
import { hex } from './helpers/bytes.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

/** The lines of a vector file that start with `key` (text, json), without it. */
const linesOf = (file: string, key: string): string[] => readFileSync(fileURLToPath(new URL(`../../test/vectors/rule/${file}.txt`, import.meta.url)), 'utf8')
  .split('\n').filter((l) => l.startsWith(`${key} `)).map((l) => l.slice(key.length + 1));
const dumped = (file: string): RuleMessage[] => vector(`rule/${file}`).replies.map((m) => ruleCodec.decode(m.payload));

/** What ruleMessage() throws for a spec of a new rule; undefined when it takes it. */
function refusalOf(spec: RuleSpec): unknown {
  try {
    ruleMessage(spec, false);
  } catch (e) {
    return e;
  }
  return undefined;
}

const ADDS = ['add-from', 'add-not', 'add-selectors', 'add-goto', 'add-nop', 'add-blackhole', 'add-unreachable', 'add-prohibit',
  'add-suppress', 'add-realms', 'add-tun-id', 'add-detached', 'add-l3mdev', 'add-big-table'];

t.test('every captured request and reply decodes and re-encodes to the same bytes', async (t) => {
  for (const name of [...ADDS, 'del', 'dump-inet', 'dump-inet6', 'monitor']) {
    const v = vector(`rule/${name}`);
    const messages = name === 'monitor' ? v.replies : [v.request, ...v.replies];
    t.ok(messages.length > 0, `${name}: messages`);
    for (const m of messages) t.same(reencode(ruleCodec, m.payload).bytes, m.payload, `${name}: ${v.command}`);
  }
});

t.test('a rule as the kernel tells it, byte by byte', async (t) => {
  const [added] = vector('rule/monitor').replies;
  t.same(added.payload, hex(`
    02 00 20 00 07 00 00 01 00000000   # fib_rule_hdr: AF_INET, dst_len 0, src_len 32, tos 0, table 7, action FR_ACT_TO_TBL, flags 0
    0800 0f00 07000000                 # FRA_TABLE 7
    0800 0e00 ffffffff                 # FRA_SUPPRESS_PREFIXLEN -1: none
    0500 1500 00000000                 # FRA_PROTOCOL 0 (unspec), padded
    0800 0600 4d000000                 # FRA_PRIORITY 77
    0800 0200 c6336407                 # FRA_SRC 198.51.100.7
  `), 'as captured');
  t.strictSame({ ...toRule(ruleCodec.decode(added.payload)) }, {
    family: 'inet', priority: 77, action: 'lookup', tos: 0, protocol: 'unspec', flags: [], table: 7, from: '198.51.100.7/32',
  });
});

/** The spec that says what each captured `ip rule add` said. */
const SPECS: Array<[string, RuleSpec]> = [
  ['add-from', { from: '192.0.2.0/24', table: 100, priority: 100 }],
  ['add-not', { invert: true, to: '198.51.100.0/24', fwmark: 0x10, fwmask: 0xff, iif: 'lo', table: 'main', priority: 200 }],
  ['add-selectors', { oif: 'v0', uidRange: { start: 1000, end: 2000 }, ipProto: 6, sport: 80, dport: { start: 1000, end: 2000 }, table: 101, priority: 300, protocol: 'static' }],
  ['add-nop', { priority: 500, action: 'nop', table: 0 }],
  ['add-blackhole', { priority: 600, action: 'blackhole', table: 0 }],
  ['add-unreachable', { priority: 601, action: 'unreachable', table: 0 }],
  ['add-prohibit', { priority: 602, action: 'prohibit', table: 0 }],
  ['add-suppress', { tos: 0x10, table: 102, suppressPrefixLength: 0, suppressIfgroup: 5, priority: 700 }],
  ['add-realms', { realms: { from: 3, to: 5 }, table: 103, priority: 800 }],
  ['add-tun-id', { tunId: 5, table: 104, priority: 900 }],
  ['add-detached', { iif: 'nosuch', table: 105, priority: 1000 }],
  ['add-l3mdev', { l3mdev: true, priority: 1100 }],
  ['add-big-table', { from: '192.0.2.1', to: '203.0.113.0/24', fwmark: 7, table: 200000, priority: 1200 }],
];

t.test('ruleMessage() builds what ip sends', async (t) => {
  for (const [name, spec] of SPECS) t.same(ruleMessage(spec, false), ruleCodec.decode(vector(`rule/${name}`).request.payload), `${name}: ${describe(spec)}`);
  // `from all`: ip sends an FRA_SRC of no bytes, which the kernel passes over with a length of 0; rtnl sends none.
  const goto = ruleCodec.decode(vector('rule/add-goto').request.payload);
  t.same(goto.attrs.src, '', 'ip: an empty FRA_SRC');
  delete goto.attrs.src;
  t.same(ruleMessage({ from: 'all', goto: 500, priority: 400 }, false), goto, 'add-goto, but for the empty FRA_SRC');
  t.same(ruleMessage({ priority: 100 }, true), ruleCodec.decode(vector('rule/del').request.payload), 'del: only what is said');
});

t.test('the dumps read as ip -j rule show printed them, and print as ip printed them', async (t) => {
  for (const file of ['dump-inet', 'dump-inet6']) {
    const rules = dumped(file);
    const text = new Printer(false);
    for (const m of rules) printRule(text, m);
    t.equal(text.output(), linesOf(file, 'text').map((l) => `${l}\n`).join(''), `${file}: text`);
    const json = new Printer(true);
    json.listing = true;
    for (const m of rules) printRule(json, m);
    t.same(JSON.parse(json.output()), JSON.parse(linesOf(file, 'json')[0]), `${file}: -j`);
  }
  const v4 = dumped('dump-inet').map(toRule);
  t.same(v4.map((r) => r.priority), [0, 100, 200, 300, 400, 500, 600, 601, 602, 700, 800, 900, 1000, 1100, 1200, 32766, 32767]);
  t.match(v4[0], { priority: 0, table: 'local', protocol: 'kernel', action: 'lookup' });
  t.match(v4[2], { flags: ['invert'], to: '198.51.100.0/24', fwmark: 0x10, fwmask: 0xff, iif: 'lo', table: 'main' });
  t.match(v4[3], { oif: 'v0', uidRange: { start: 1000, end: 2000 }, ipProto: 6, sport: { start: 80, end: 80 }, dport: { start: 1000, end: 2000 }, table: 101, protocol: 'static' });
  t.match(v4[4], { action: 'goto', goto: 500, flags: [] }); // its target, 500, was added after it: resolved
  t.notOk('table' in v4[4], 'a goto looks no table up');
  t.same(v4.slice(5, 9).map((r) => r.action), ['nop', 'blackhole', 'unreachable', 'prohibit']);
  t.match(v4[9], { tos: 0x10, suppressPrefixLength: 0, suppressIfgroup: 5 });
  t.notOk('suppressPrefixLength' in v4[1], 'FRA_SUPPRESS_PREFIXLEN -1 is none');
  t.same(v4[10].realms, { from: 3, to: 5 });
  t.equal(v4[11].tunId, 5);
  t.match(v4[12], { iif: 'nosuch', flags: ['iif_detached'] });
  t.match(v4[13], { l3mdev: true });
  t.match(v4[14], { from: '192.0.2.1/32', to: '203.0.113.0/24', fwmark: 7, table: 200000 });
  const v6 = dumped('dump-inet6').map(toRule);
  t.match(v6.find((r) => r.priority === 100), { family: 'inet6', from: '2001:db8::/32', table: 100 });
  t.match(v6.find((r) => r.to !== undefined), { to: '2001:db8::1/128', iif: 'v1', oif: 'v0' });
});

t.test('ip monitor rule: an add and a delete, printed as ip printed them', async (t) => {
  const [added, deleted] = vector('rule/monitor').replies;
  const p = new Printer(false);
  printRule(p, ruleCodec.decode(added.payload));
  printRule(p, ruleCodec.decode(deleted.payload), { deleted: true });
  t.equal(p.output(), linesOf('monitor', 'text').map((l) => `${l}\n`).join(''));
});

t.test('attributes the codec does not know, and values without a name, are kept', async (t) => {
  // The kernel sends FRA_SPORT_MASK (28), newer than this header, beside a one-port range.
  const selectors = dumped('dump-inet').find((m) => m.attrs.priority === 300);
  t.same(selectors?.attrs.other?.map((o) => o.type), [28], 'FRA_SPORT_MASK kept as other');
  const w = new Writer();
  const m: RuleMessage = { family: 2, dstLen: 0, srcLen: 0, tos: 0, table: 5, res1: 0, res2: 0, action: 42, flags: 0x400000, attrs: { priority: 9, protocol: 250 } };
  ruleCodec.encode(w, m);
  const unknown = hex('0800 1e00 2a000000'); // FRA 30, which this kernel's header does not have
  const decoded = ruleCodec.decode(new Uint8Array([...w.finish(), ...unknown]));
  t.match(toRule(decoded), { action: 42, protocol: 250, flags: [0x400000] }, 'numbers where there is no name');
  t.same(reencode(ruleCodec, new Uint8Array([...w.finish(), ...unknown])).bytes, new Uint8Array([...w.finish(), ...unknown]), 're-encoded as it came');
});

t.test('a tunnel id past 2^53: a bigint, exact in JSON as a decimal string, printed whole', async (t) => {
  const big = 2n ** 60n + 1n;
  const m = ruleMessage({ tunId: big, table: 5, priority: 9 }, false);
  const w = new Writer();
  ruleCodec.encode(w, m);
  const r = toRule(ruleCodec.decode(w.finish()));
  t.equal(r.tunId, big);
  t.match(JSON.parse(JSON.stringify(r)), { tunId: '1152921504606846977', priority: 9 }, 'JSON.stringify does not throw');
  const text = new Printer(false);
  printRule(text, m);
  t.equal(text.output(), '9:\tfrom all tun_id 1152921504606846977 lookup 5\n');
  const json = new Printer(true);
  json.listing = true;
  printRule(json, m);
  t.equal(json.output(), '[{"priority":9,"src":"all","tun_id":1152921504606846977,"table":"5"}]\n', 'a JSON number, as ip prints a u64');
});

t.test('bad specs are refused before anything is sent, naming what is wrong', async (t) => {
  const bad: Array<[RuleSpec, RegExp]> = [
    [{ from: '192.0.2.0/33' }, /from/],
    [{ from: '192.0.2.0/24', to: '2001:db8::/32' }, /to is not an inet prefix/],
    [{ family: 'inet6', from: '192.0.2.0/24' }, /from is not an inet6 prefix/],
    [{ goto: 5, action: 'nop' }, /^rule nop goto 5: goto is for the action 'goto'/],
    [{ action: 'goto' }, /needs goto/],
    [{ l3mdev: true, table: 5 }, /table can not be given for an l3mdev rule/],
    [{ sport: { start: 9, end: 8 } }, /sport starts at 9, after its end 8/],
    [{ dport: 70000 }, /dport\.start 70000/],
    [{ uidRange: { start: 1 } as never }, /uidRange needs both start and end/],
    [{ iif: 'a name far too long' }, /at most 15 bytes/],
    [{ oif: 'a/b' }, /cannot contain/],
    [{ tunId: -1 }, /tunId -1/],
    [{ tunId: 2n ** 64n }, /tunId/],
    [{ priority: -1 }, /priority -1/],
    [{ table: 'nosuch' as never }, /unknown table "nosuch"/],
    [{ action: 'drop' as never }, /unknown action "drop"/],
    [{ realms: { to: 70000 } }, /realms\.to 70000/],
    [{ family: 'inet6', realms: { to: 5 } }, /realms are for IPv4 rules: the kernel ignores them/],
    [{ invert: 'yes' as never }, /invert/],
    [{ fwmark: 2 ** 32 }, /fwmark/],
  ];
  for (const [spec, why] of bad) {
    const refusal = refusalOf(spec);
    const shown = JSON.stringify(spec, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    t.ok(refusal instanceof InvalidArgumentError && refusal.code === 'EINVAL' && why.test(refusal.message), `${shown}: ${String(refusal)}`);
  }
});

t.test('what the mutation run found untested: defaults, limits, names in errors, rare lines', async (t) => {
  // describe(): every word it names.
  t.equal(describe({ priority: 5, invert: true, from: '192.0.2.0/24', to: '198.51.100.0/24', iif: 'a', oif: 'b', action: 'nop', table: 7 }),
    'rule 5 not from 192.0.2.0/24 to 198.51.100.0/24 iif a oif b nop lookup 7');
  t.equal(describe({ action: 'lookup', goto: 9 }), 'rule goto 9');
  // Defaults: a new rule looks up main; a delete only what it says; table 256 goes as FRA_TABLE.
  t.match(ruleMessage({ priority: 5 }, false), { table: 254, action: 1 });
  t.match(ruleMessage({ priority: 5 }, true), { table: 0, action: 0 });
  t.match(ruleMessage({ table: 255 }, false), { table: 255, attrs: { table: undefined } });
  t.match(ruleMessage({ table: 256 }, false), { table: 0, attrs: { table: 256 } });
  t.match(ruleMessage({ tunId: 0 }, false), { attrs: { tunId: 0 } }, 'a tunnel id of 0');
  const bad: Array<[RuleSpec, RegExp]> = [
    [{ ipProto: 256 }, /ipProto 256/], [{ goto: -1 }, /goto -1/], [{ suppressPrefixLength: -1 }, /suppressPrefixLength -1/],
    [{ suppressIfgroup: -1 }, /suppressIfgroup -1/], [{ protocol: 'nosuch' as never }, /unknown protocol "nosuch"/], [{ fwmask: -1 }, /fwmask -1/],
    [{ l3mdev: 'yes' as never }, /l3mdev is true or false/], [{ uidRange: { start: 1, end: 'x' as never } }, /uidRange\.end/],
    [{ sport: { start: 'x' as never, end: 2 } }, /sport\.start/], [{ dport: 'x' as never }, /^rule: dport: expected an object/], [{ to: 'bad' }, /to "bad"/],
    [{ tunId: 1.5 }, /tunId 1\.5/], [{ tunId: -1n }, /tunId -1/], [{ tunId: '5' as never }, /tunId 5/],
  ];
  for (const [spec, why] of bad) {
    const refusal = refusalOf(spec);
    t.ok(refusal instanceof InvalidArgumentError && why.test(refusal.message), `${String(refusal)}`);
  }
  // toRule(): an address of no bytes is none; a length without an address is the zero address's; -1 suppressors are none.
  const base: RuleMessage = { family: 2, dstLen: 0, srcLen: 0, tos: 0, table: 5, res1: 0, res2: 0, action: 1, flags: 0, attrs: {} };
  t.notOk('from' in toRule({ ...base, attrs: { src: '' } }), 'from all');
  t.notOk('to' in toRule({ ...base, attrs: { dst: '' } }), 'to all');
  t.equal(toRule({ ...base, srcLen: 8 }).from, '0.0.0.0/8');
  t.equal(toRule({ ...base, dstLen: 8 }).to, '0.0.0.0/8');
  const none = toRule({ ...base, attrs: { suppressPrefixlen: -1, suppressIfgroup: -1 } });
  t.notOk('suppressPrefixLength' in none || 'suppressIfgroup' in none, 'suppressors of -1 are none');
  // The codec's words for short structs.
  t.throws(() => ruleCodec.decode(new Uint8Array(5)), /fib_rule_hdr payload is 5 bytes/);
  const withAttr = (type: number, value: number[]): Uint8Array => new Uint8Array([2, 0, 0, 0, 5, 0, 0, 1, 0, 0, 0, 0, 4 + value.length, 0, type, 0, ...value, ...new Array((4 - (value.length % 4)) % 4).fill(0)]);
  t.throws(() => ruleCodec.decode(withAttr(23, [1, 0, 2])), /fib_rule_port_range is 3 bytes, expected 4/);
  t.throws(() => ruleCodec.decode(withAttr(20, [1, 0, 0, 0])), /fib_rule_uid_range is 4 bytes/);
  // The lines ip prints for what this kernel does not send: action 0, NAT, a goto without target, a source length without address.
  const printed = (m: RuleMessage, json = false): string => {
    const p = new Printer(json);
    p.listing = true;
    printRule(p, m);
    return p.output();
  };
  t.equal(printed({ ...base, table: 0, action: 0 }), '0:\tfrom all none\n');
  t.equal(printed({ ...base, action: 10 }), '0:\tfrom all lookup 5 masquerade\n');
  t.equal(printed({ ...base, action: 10, attrs: { other: [{ type: 5, value: new Uint8Array([192, 0, 2, 1]) }] } }), '0:\tfrom all lookup 5 map-to 192.0.2.1\n');
  t.equal(printed({ ...base, table: 0, action: 2 }), '0:\tfrom all goto none\n');
  t.equal(printed({ ...base, srcLen: 8, dstLen: 16 }), '0:\tfrom 0/8 to 0/16 lookup 5\n');
  t.equal(printed({ ...base, srcLen: 8, dstLen: 16 }, true), '[{"priority":0,"src":"0","srclen":8,"dst":"0","dstlen":16,"table":"5"}]\n');
  t.equal(printed({ ...base, attrs: { fwmask: 0xff } }), '0:\tfrom all fwmark 0/0xff lookup 5\n', 'a mask without a mark');
  t.equal(printed({ ...base, attrs: { suppressIfgroup: -1, suppressPrefixlen: -1 } }), '0:\tfrom all lookup 5\n');
  const del = new Printer(true);
  del.listing = true;
  printRule(del, { ...base, flags: 2 }, { deleted: true });
  t.equal(del.output(), '[{"deleted":true,"priority":0,"not":null,"src":"all","table":"5"}]\n');
});

t.test('hostile bytes: only DecodeError', async (t) => {
  fuzz(t, ruleCodec, [...ADDS, 'dump-inet', 'dump-inet6'].flatMap((n) => { const v = vector(`rule/${n}`); return [v.request, ...v.replies].map((m) => m.payload); }));
});
