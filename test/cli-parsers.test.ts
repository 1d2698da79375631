// The rtnl command's argument parsers without a kernel: numbers as iproute2 reads them (strtoul
// with base 0: decimal, 0x hex, 0 octal, and nothing after the digits), prefixes and addresses
// as get_prefix()/get_addr() take them, and the prefix matching of its selectors
// (inet_addr_match). What ip does with each form was checked against ip on this machine; the
// cases marked `ip:` quote it.
import t from 'tap';
import { Args, CliError, cInteger, cNumber, int32, named, uint } from '../src/cli/args.js';
import { bridgeOptions, vxlanOptions } from '../src/cli/link-kind-args.js';
import { addressArg, addressText, inside, prefixArg, sameBits } from '../src/cli/prefix.js';

const throws = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

t.test('numbers: decimal, 0x hex, 0 octal; anything else is no number', async (t) => {
  // strtoul() skips leading blanks and a sign: ip takes `mtu +1500` and `mtu " 1400"`.
  const cases: Array<[string, number]> = [['0', 0], ['7', 7], ['1500', 1500], ['0x10', 16], ['0XfF', 255], ['010', 8], ['00', 0], ['0777', 511],
    ['+1', 1], [' 1', 1], ['\t +0x10', 16], ['+010', 8]];
  for (const [s, n] of cases) t.equal(cNumber(s), n, JSON.stringify(s));
  // ip: `ip link set lo mtu 09` is `Error: argument "09" is wrong: Invalid "mtu" value` (strtoul stops at the 9).
  for (const s of ['09', '0x', '0x1g', '', '-', '+', '+ 1', '++1', '+-1', '--1', '1e3', '1.5', '1 ', 'ten']) t.ok(Number.isNaN(cNumber(s)), `${JSON.stringify(s)} is no number`);
});

t.test('a minus as strtoull() reads it: negated modulo 2^64, so ip takes `pref -0` and `tun_id -1`; decimal alone in base 10', async (t) => {
  t.equal(cInteger('-0'), 0n);
  t.equal(cInteger(' -00'), 0n);
  t.equal(cInteger('-1'), (1n << 64n) - 1n);
  t.equal(cInteger('\t-0x10'), (1n << 64n) - 16n);
  t.equal(cInteger('18446744073709551616'), 1n << 64n, 'past 2^64 (ERANGE) as it is, for the bound to refuse');
  t.equal(cInteger('-18446744073709551616'), 1n << 64n, 'and so with a minus');
  t.equal(uint('-0', 'x'), 0);
  t.match(throws(() => uint('-1', 'x')), { message: 'Error: argument "-1" is wrong: Invalid "x" value\n' }, 'a 32-bit bound refuses what wrapped');
  t.equal(cInteger('017', 10), 17n, 'base 10: a leading 0 is no octal');
  t.equal(cInteger(' +9', 10), 9n);
  t.equal(cInteger('-0', 10), 0n);
  for (const s of ['0x11', '1a', '', '-']) t.equal(cInteger(s, 10), undefined, `${JSON.stringify(s)} in base 10`);
});

t.test('uint, int32 and named take what get_unsigned, get_s32 and rtnl_*_a2n take', async (t) => {
  t.equal(uint('0x10', 'mtu'), 16);
  t.equal(uint('4294967295', 'x'), 0xffffffff);
  t.equal(uint('65535', 'x', 0xffff), 0xffff);
  const e = throws(() => uint('09', 'mtu'));
  t.type(e, CliError);
  t.match(e, { message: 'Error: argument "09" is wrong: Invalid "mtu" value\n', exitCode: 255, exits: true });
  t.match(throws(() => uint('65536', 'x', 0xffff)), { message: /argument "65536" is wrong/ });
  t.match(throws(() => uint('4294967296', 'x')), { message: /argument "4294967296" is wrong/ });
  t.equal(int32('-5', 'x'), -5);
  t.equal(int32('-0x10', 'x'), -16);
  t.equal(int32('2147483647', 'x'), 0x7fffffff);
  t.equal(int32('-2147483648', 'x'), -0x80000000);
  t.match(throws(() => int32('2147483648', 'x')), { exitCode: 255 });
  t.match(throws(() => int32('-2147483649', 'x')), { exitCode: 255 });
  t.match(throws(() => int32('-09', 'x')), { exitCode: 255 });
  t.equal(int32(' -5', 'x'), -5, 'blanks before the sign, as strtol skips them');
  t.ok(Object.is(int32('-0', 'x'), 0), '-0 is 0');
  for (const s of ['-+5', '- 5', '--5', '-']) t.match(throws(() => int32(s, 'x')), { exitCode: 255 }, `${JSON.stringify(s)} refused`);
  const names = { main: 254, local: 255 };
  t.equal(named(names, 'main'), 254);
  t.equal(named(names, '0x10'), 16);
  t.equal(named(names, '255'), 255);
  t.equal(named(names, '256'), undefined, 'past the default 255');
  t.equal(named(names, '256', 0xffffffff), 256);
  t.equal(named(names, 'toString'), undefined, 'only the table\'s own names');
  t.equal(named(names, '09'), undefined);
});

t.test('the words of a command, read in order', async (t) => {
  const a = new Args(['dev', 'eth0', 'up']);
  t.equal(a.peek(), 'dev');
  t.equal(a.next(), 'dev');
  t.notOk(a.done);
  t.strictSame(a.rest(), ['eth0', 'up']);
  t.ok(a.done);
  t.equal(a.peek(), undefined);
  t.match(throws(() => a.next()), { message: 'Command line is not complete. Try option "help"', exitCode: 255 });
});

t.test('bridge and vxlan numbers are read as get_u8/16/32/64 read them: octal too, widths enforced', async (t) => {
  // ip: `ip link add b0 type bridge forward_delay 010` sets 8; `... 09` is `invalid forward_delay`.
  t.strictSame(bridgeOptions(new Args(['forward_delay', '010', 'priority', '0x10', 'vlan_filtering', '1'])), { forwardDelay: 8, priority: 16, vlanFiltering: true });
  t.strictSame(bridgeOptions(new Args(['mcast_query_interval', '0x10000000000'])), { mcastQueryIntvl: 0x10000000000n });
  t.match(throws(() => bridgeOptions(new Args(['forward_delay', '09']))), { message: 'Error: argument "09" is wrong: invalid forward_delay', exitCode: 255 });
  t.match(throws(() => bridgeOptions(new Args(['priority', '65536']))), { message: 'Error: argument "65536" is wrong: invalid priority' });
  t.match(throws(() => bridgeOptions(new Args(['vlan_filtering', '256']))), { message: /invalid vlan_filtering/ });
  const v = vxlanOptions(new Args(['id', '10', 'ttl', '010', 'dstport', '0x12b5']), true, () => undefined, 0);
  t.match(v, { ttl: 8, port: 4789 });
  // ip: `Error: argument "256" is wrong: TTL must be <= 255` (test/vectors/args/vxlan.txt).
  t.match(throws(() => vxlanOptions(new Args(['id', '10', 'ttl', '256']), true, () => undefined, 0)), { message: /TTL must be <= 255/ });
  t.match(throws(() => vxlanOptions(new Args(['id', '10', 'ttl', '09']), true, () => undefined, 0)), { message: /invalid TTL/ });
  // -4/-6 with no address: ip sends the family's zero destination (strace: IFLA_VXLAN_GROUP6 of 16 zero bytes); with one, nothing more.
  t.same(vxlanOptions(new Args(['id', '10']), true, () => undefined, 10), { id: 10, learning: true, group6: '::' }, '-6: group6 ::');
  t.same(vxlanOptions(new Args(['id', '10']), true, () => undefined, 2), { id: 10, learning: true, group: '0.0.0.0' }, '-4: group 0.0.0.0');
  t.same(vxlanOptions(new Args(['id', '10']), true, () => undefined, 0), { id: 10, learning: true }, 'no family: none');
  t.same(vxlanOptions(new Args(['id', '10', 'local', '192.0.2.1']), true, () => undefined, 10), { id: 10, learning: true, local: '192.0.2.1' }, '-6 with a local: none');
});

t.test('prefixes as get_prefix() takes them', async (t) => {
  const p = (s: string, family: number): unknown => {
    const x = prefixArg(s, family);
    return { ...x, bytes: [...x.bytes] };
  };
  t.strictSame(p('192.0.2.0/24', 0), { family: 2, bytes: [192, 0, 2, 0], bitlen: 24, lenGiven: true });
  // ip: `ip route add 0x0a.010.1/24 dev lo` adds 10.8.1.0/24; `10` alone is 10.0.0.0.
  t.strictSame(p('0x0a.010.1/24', 2), { family: 2, bytes: [10, 8, 1, 0], bitlen: 24, lenGiven: true });
  t.strictSame(p('10', 0), { family: 2, bytes: [10, 0, 0, 0], bitlen: 32, lenGiven: false });
  t.strictSame(p('2001:db8::/32', 0), { family: 10, bytes: [0x20, 0x01, 0x0d, 0xb8, ...new Array(12).fill(0)], bitlen: 32, lenGiven: true });
  t.strictSame(prefixArg('2001:db8::1', 10).bitlen, 128);
  t.strictSame(p('default', 10), { family: 10, bytes: new Array(16).fill(0), bitlen: 0, lenGiven: true });
  t.strictSame(p('default', 0), { family: 0, bytes: [0, 0, 0, 0], bitlen: 0, lenGiven: true });
  for (const w of ['all', 'any']) t.strictSame(p(w, 2), { family: 2, bytes: [0, 0, 0, 0], bitlen: 0, lenGiven: false }, w);
  t.strictSame(prefixArg('192.0.2.0/0', 0).bitlen, 0);
  const refused: Array<[string, number, string]> = [
    ['default/0', 0, 'any valid'], ['192.0.2.0/33', 0, 'any valid'], ['2001:db8::/129', 10, 'inet6'], ['192.0.2.0/', 2, 'inet'],
    ['192.0.2.0/x', 2, 'inet'], ['192.0.2.0/+8', 2, 'inet'], ['256.0.0.0', 0, 'any valid'], ['1.2.3.4.5', 0, 'any valid'], ['1..2', 0, 'any valid'],
    ['09.1.1.0/24', 0, 'any valid'], ['2001:db8::1', 2, 'inet'], ['192.0.2.1', 10, 'inet6'], ['fe80::1%lo', 0, 'any valid'], ['1:2', 0, 'any valid'],
  ];
  for (const [s, family, words] of refused) {
    const e = throws(() => prefixArg(s, family));
    t.type(e, CliError, s);
    t.match(e, { message: `Error: ${words} prefix is expected rather than "${s}".`, exitCode: 1, exits: true }, s);
  }
  // -0 (AF_PACKET): get_prefix() refuses any prefix, a valid one too.
  t.match(throws(() => prefixArg('192.0.2.0/24', 17)), { message: 'Error: "192.0.2.0/24" may be inet prefix, but it is not allowed in this context.', exitCode: 1, exits: true });
});

t.test('addresses as get_addr() takes them: no length', async (t) => {
  t.strictSame({ ...addressArg('192.0.2.1', 2), bytes: [] }, { family: 2, bytes: [], bitlen: 32, lenGiven: false });
  t.equal(addressArg('any', 0).family, 0);
  t.match(throws(() => addressArg('192.0.2.1/24', 0)), { message: 'Error: any valid address is expected rather than "192.0.2.1/24".', exitCode: 1 });
  t.match(throws(() => addressArg('2001:db8::1', 2)), { message: 'Error: inet address is expected rather than "2001:db8::1".' });
  t.match(throws(() => addressArg('x', 17)), { message: 'Error: link address is expected rather than "x".' });
});

t.test('an address as the codecs take it, and prefix matching', async (t) => {
  t.equal(addressText(prefixArg('10.1', 2)), '10.1.0.0');
  t.equal(addressText(prefixArg('2001:db8::a:1', 10)), '2001:db8:0:0:0:0:a:1');
  const a = Uint8Array.of(192, 0, 2, 1);
  t.ok(sameBits(a, Uint8Array.of(192, 0, 2, 255), 24));
  t.notOk(sameBits(a, Uint8Array.of(192, 0, 2, 255), 25));
  t.ok(sameBits(a, Uint8Array.of(192, 0, 2, 0), 31));
  t.notOk(sameBits(a, Uint8Array.of(192, 0, 2, 0), 32));
  t.ok(sameBits(Uint8Array.of(0x80), Uint8Array.of(0x81), 7), 'a part of a byte');
  t.notOk(sameBits(Uint8Array.of(0x80), Uint8Array.of(0x81), 8));
  t.notOk(sameBits(Uint8Array.of(0x80), Uint8Array.of(0x00), 1), 'the first bit alone');
  t.ok(sameBits(a, Uint8Array.of(1, 2, 3, 4), 0));
  const net = prefixArg('198.51.100.0/24', 0);
  t.ok(inside(net, '198.51.100.7'));
  t.notOk(inside(net, '198.51.101.7'));
  t.notOk(inside(net, '2001:db8::1'), 'another family is never inside');
  t.ok(inside(prefixArg('2001:db8::/32', 0), '2001:db8:1::1'));
  t.notOk(inside(prefixArg('2001:db8::/32', 0), '2001:db9::1'));
  t.ok(inside(undefined, '203.0.113.1'), 'no prefix: everything');
  t.ok(inside(prefixArg('all', 0), '203.0.113.1'), 'a family-less one: everything');
  t.ok(inside(prefixArg('0/0', 2), '203.0.113.1'), 'a zero length: everything');
  t.ok(inside(net, undefined), 'no address: inside, as ip takes a missing attribute');
});
