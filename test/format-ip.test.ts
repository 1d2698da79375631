// The codecs parse dotted quads and print IPv6 addresses themselves (sparing ipaddr.js: its IPv4
// parse was the slowest part of adding an address; its loading would cost every link dump, as
// each link carries an IPv6 token): the same answers as glibc's inet_ntop() and inet_pton(),
// which ip uses, for any input; strict dotted quads as ipaddr.js reads them.
import t from 'tap';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import koffi from 'koffi';
import { formatIp, isIp, isMulticast, networkOf, parseIp, parsePrefix } from '../codecs/netlink/addresses.js';

const libc = koffi.load('libc.so.6');
const AF_INET6 = 10;
const ntop = libc.func('const char *inet_ntop(int af, const void *src, void *dst, uint32_t size)') as (af: number, src: Uint8Array, dst: Uint8Array, size: number) => string;
const pton = libc.func('int inet_pton(int af, const char *src, void *dst)') as (af: number, src: string, dst: Uint8Array) => number;
/** glibc's text for 16 bytes, as ip prints an IPv6 address. */
const inetNtop = (b: Uint8Array): string => ntop(AF_INET6, b, new Uint8Array(64), 64);
/** glibc's bytes for IPv6 text; undefined where it refuses it. */
const inetPton = (s: string): number[] | undefined => {
  const out = new Uint8Array(16);
  return pton(AF_INET6, s, out) === 1 ? [...out] : undefined;
};

t.test('formatIp prints IPv6 as glibc\'s inet_ntop() does, as ip prints it (RFC 5952; IPv4-mapped and -compatible with a dotted quad)', async (t) => {
  for (const s of ['::', '::1', '2001:db8::5', 'fe80::1:0:0:1', '2001:db8:0:0:1:0:0:1', '1:0:0:2:0:0:0:3', '2001:db8:1:2:3:4:5:6', '0:1::', '::ffff:c000:201', '::c000:201', '::ffff:0:0', '::1:0:0', '64:ff9b::c000:201', '::ffff:0:c000:201']) {
    t.equal(formatIp(Uint8Array.from(inetPton(s)!)), inetNtop(Uint8Array.from(inetPton(s)!)), s);
  }
  t.equal(formatIp(Uint8Array.from(inetPton('2001:db8:0:0:1:0:0:1')!)), '2001:db8::1:0:0:1', 'the first of two equal runs');
  t.equal(formatIp(Uint8Array.from(inetPton('::ffff:c000:201')!)), '::ffff:192.0.2.1', 'IPv4-mapped');
  t.equal(formatIp(Uint8Array.from(inetPton('::c000:201')!)), '::192.0.2.1', 'IPv4-compatible');
  // Zero-heavy groups, so that runs of every length and place come up, and ffff where a mapped address has it.
  const group = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff }));
  fc.assert(fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (gs) => {
    const bytes = Uint8Array.from(gs.flatMap((g) => [g >> 8, g & 0xff]));
    return formatIp(bytes) === inetNtop(bytes);
  }), { numRuns: 5000 });
});

t.test('IPv6 text is read as inet_pton() reads it: a dotted quad at its end is its last 32 bits, never made IPv4-mapped', async (t) => {
  for (const s of ['::192.0.2.1', '::ffff:192.0.2.1', '64:ff9b::192.0.2.1', '1:2:3:4:5:6:192.0.2.1', '::0.0.0.0', '2001:db8::5', '::']) {
    t.same([...parseIp(s)], inetPton(s), s);
  }
  // Text drawn from the parts IPv6 is written with: where inet_pton() takes it, the same bytes.
  const text = fc.array(fc.constantFrom('0', '1', 'ffff', 'db8', ':', ':', '::', '.', '192', '2', '255'), { maxLength: 14 }).map((a) => a.join(''));
  fc.assert(fc.property(text, (s) => {
    const theirs = inetPton(s);
    return theirs === undefined || !isIp(s) || parseIp(s).join(',') === theirs.join(',');
  }), { numRuns: 5000 });
});

t.test('IPv4 is parsed as ipaddr.js parses a strict dotted quad, and nothing looser', async (t) => {
  const strict = (s: string): boolean => ipaddr.IPv4.isValidFourPartDecimal(s);
  for (const s of ['192.0.2.1', '0.0.0.0', '255.255.255.255', '10.0.0.255']) {
    t.ok(isIp(s), s);
    t.same([...parseIp(s)], ipaddr.parse(s).toByteArray(), s);
  }
  for (const s of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', '0x1.2.3.4', '1.2.3.4 ', ' 1.2.3.4', '1..3.4', '1.2.3.', '1000.1.1.1', '1.2.3.4/24', '١.٢.٣.٤']) {
    t.notOk(isIp(s), `${s} is not an address`);
    t.throws(() => parseIp(s), { name: 'EncodeError', message: `"${s}": not a valid IPv4 or IPv6 address` }, s);
  }
  // Random strings of digits and dots: the same verdict, and the same bytes when valid.
  const text = fc.array(fc.constantFrom('0', '1', '2', '5', '9', '.', '.', '25', '255', '256'), { maxLength: 12 }).map((a) => a.join(''));
  fc.assert(fc.property(text, (s) => {
    if (isIp(s) !== strict(s)) return false;
    return !strict(s) || parseIp(s).join('.') === ipaddr.parse(s).toByteArray().join('.');
  }), { numRuns: 5000 });
});

t.test('IPv6 goes to ipaddr.js, a zone refused; anything not a string is no address', async (t) => {
  t.notOk(isIp('fe80::1%eth0'), 'a zone: the kernel\'s 16 bytes cannot carry it');
  t.throws(() => parseIp('fe80::1%eth0'), { name: 'EncodeError' });
  t.ok(isIp('2001:db8::5'));
  t.same([...parseIp('::ffff:192.0.2.1')], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1], 'an IPv4-mapped address stays 16 bytes');
  for (const v of [5, null, undefined, ['192.0.2.1']]) {
    t.notOk(isIp(v), `${String(v)} is no address`);
    t.throws(() => parseIp(v as unknown as string), { name: 'EncodeError' }, String(v));
  }
});

t.test('multicast: 224.0.0.0/4 and ff00::/8, by their first bits only', async (t) => {
  t.same(['224.0.0.1', '239.255.255.255', 'ff02::1', 'FF05::2'].map(isMulticast), [true, true, true, true]);
  t.same(['223.255.255.255', '240.0.0.1', '192.0.2.224', '2001:db8::ff', 'fe80::ff00'].map(isMulticast), [false, false, false, false, false]);
});

t.test('a prefix\'s network: the bits past its length cleared, at any length', async (t) => {
  const cases: Array<[string, string]> = [
    ['2001:db8::5/32', '2001:db8::'], ['2001:db8:ffff:ffff::1/33', '2001:db8:8000::'], ['2001:db8::5/128', '2001:db8::5'],
    ['2001:db8::5/0', '::'], ['192.0.2.255/20', '192.0.0.0'], ['192.0.2.255/31', '192.0.2.254'], ['ffff::/1', '8000::'],
  ];
  for (const [prefix, network] of cases) t.equal(networkOf(parsePrefix(prefix)), network, prefix);
});
