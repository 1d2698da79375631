// The codecs' building blocks at their edges, byte for byte: each integer codec at its bounds
// and one past them, the wrong types, the errors' own words (offsets, paths), the writer's
// growth and lengths, and the framing and control messages cut short. Mutation testing found
// these checks untested: each assertion here fails if its check is loosened or dropped.
import t from 'tap';
import { bool8, bytes, flag, listOf, mac, s32, string, u16, u16be, u32, u32be, u64, u8 } from '../codecs/netlink/codecs.js';
import { DecodeError, EncodeError } from '../codecs/netlink/errors.js';
import { decodeDone, decodeError, decodeHeader, isControl, parseMessages } from '../codecs/netlink/message.js';
import { bitsOf, flagNamer, namer, unknownKey, valueOf } from '../codecs/netlink/names.js';
import { Writer } from '../codecs/netlink/writer.js';
import { get, getAt, parseAttrs } from '../codecs/netlink/attrs.js';
import { formatIp, formatLladdr, parseLladdr, parsePrefix } from '../codecs/netlink/addresses.js';
import { multipath, routeCodec, via } from '../codecs/route/route.js';
import { addressCodec } from '../codecs/route/address.js';
import { neighbourCodec } from '../codecs/route/neighbour.js';
import { NETNSA_NSID_NOT_ASSIGNED, nsidMessage, rtgenmsg } from '../codecs/route/nsid.js';
import { vxlanTable } from '../codecs/route/link-kinds/vxlan.js';
import { bridgeTable } from '../codecs/route/link-kinds/bridge.js';
import { jsonValue, jsonable } from '../codecs/netlink/json.js';
import { decodeAttrs, encodeAttrs, field, type Codec } from '../codecs/netlink/schema.js';
import { hex, le32, nla, nlmsg, toHex } from './helpers/bytes.js';

/** The bytes `codec` writes for `v` (`was`: the length the value came with). */
const enc = <T>(codec: Codec<T>, v: T, was?: number): string => {
  const w = new Writer(4);
  codec.encode(w, v, was);
  return toHex(w.finish());
};

/** The EncodeError's message for `v`, or 'ok'. */
const refusal = <T>(codec: Codec<T>, v: unknown): string => {
  try {
    codec.encode(new Writer(), v as T);
    return 'ok';
  } catch (e) {
    if (!(e instanceof EncodeError)) throw e;
    return e.message;
  }
};

t.test('integers: written little-endian (be: big) at both bounds; one past either is an EncodeError that says the range', async (t) => {
  const cases: Array<[string, Codec<number>, number, number, string, string]> = [
    ['u8', u8, 0, 0xff, '00', 'ff'],
    ['u16', u16, 0, 0xffff, '0000', 'ffff'],
    ['u32', u32, 0, 0xffffffff, '00000000', 'ffffffff'],
    ['s32', s32, -0x80000000, 0x7fffffff, '00000080', 'ffffff7f'],
    ['u16be', u16be, 0, 0xffff, '0000', 'ffff'],
    ['u32be', u32be, 0, 0xffffffff, '00000000', 'ffffffff'],
  ];
  for (const [name, codec, lo, hi, loHex, hiHex] of cases) {
    t.equal(enc(codec, lo), loHex, `${name} ${lo}`);
    t.equal(enc(codec, hi), hiHex, `${name} ${hi}`);
    for (const bad of [lo - 1, hi + 1, 1.5]) t.equal(refusal(codec, bad), `${bad} is not an integer from ${lo} to ${hi}`, `${name} refuses ${bad}`);
    t.equal(refusal(codec, '7'), `"7" is not an integer from ${lo} to ${hi}`, `${name} refuses a string, quoted`);
  }
  t.equal(enc(u16be, 0x1234), '1234', 'u16be is big-endian');
  t.equal(enc(u32be, 0x12345678), '12345678', 'u32be is big-endian');
  t.equal(enc(u32, 0x12345678), '78563412', 'u32 is little-endian');
});

t.test('u64: a bigint from 0 to 2^64-1, nothing else', async (t) => {
  t.equal(enc(u64, 0n), '0000000000000000');
  t.equal(enc(u64, (1n << 64n) - 1n), 'ffffffffffffffff');
  t.equal(enc(u64, 0x0102030405060708n), '0807060504030201');
  t.equal(refusal(u64, 1n << 64n), '18446744073709551616 is not a 64-bit unsigned bigint');
  t.equal(refusal(u64, -1n), '-1 is not a 64-bit unsigned bigint');
  t.equal(refusal(u64, 5), '5 is not a 64-bit unsigned bigint', 'a number is not a bigint');
});

t.test('bytes, strings, flags, booleans, MACs and lists: their encodings and refusals', async (t) => {
  t.equal(enc(bytes, Uint8Array.from([1, 2])), '0102');
  t.equal(refusal(bytes, [1, 2]), 'object given where bytes (a Uint8Array) are expected');
  t.equal(enc(string, 'ab'), '616200', 'NUL-terminated');
  t.equal(enc(string, 'ab', 2), '6162', 'one that came without its NUL goes back without it');
  t.equal(enc(string, 'ab', 4), '61620000', 'one that came padded goes back padded');
  t.equal(refusal(string, 7), '7 (number) is not a string');
  t.equal(flag.decode(new Uint8Array(0)), true);
  t.throws(() => flag.decode(Uint8Array.from([1])), new DecodeError('flag attribute carries 1 bytes'));
  t.strictSame([0, 1, 2].map((n) => bool8.decode(Uint8Array.from([n]))), [false, true, 2], 'a u8 bool: 0, 1, and what else came');
  t.strictSame([0, 1, 2].map((n) => bool8.decodeAt!(Uint8Array.from([9, n, 9]), 1, 2)), [false, true, 2], 'read in place too');
  t.throws(() => bool8.decodeAt!(Uint8Array.from([9, 1, 9]), 1, 3), new DecodeError('u8 attribute is 2 bytes, expected 1'));
  t.equal(flag.decodeAt!(Uint8Array.from([9, 9]), 1, 1), true, 'a flag read in place');
  t.throws(() => flag.decodeAt!(Uint8Array.from([9, 9, 9, 9]), 1, 3), new DecodeError('flag attribute carries 2 bytes'));
  t.same([true, false, 2].map((v) => enc(bool8, v)), ['01', '00', '02'], 'and back');
  t.equal(refusal(bool8, 'yes'), '"yes" is not true or false');
  t.equal(refusal(bool8, 256), '256 is not an integer from 0 to 255');
  t.equal(mac.decode(hex('02 00 00 00 00 01')), '02:00:00:00:00:01');
  t.throws(() => mac.decode(hex('02 00 00 00 00')), new DecodeError('MAC address is 5 bytes, expected 6'));
  const list = listOf(1, u8);
  t.same(list.decode(Uint8Array.from([...nla(1, [7]), ...nla(1, [8])])), [7, 8]);
  t.throws(() => list.decode(Uint8Array.from(nla(2, [7]))), new DecodeError('list item of type 2, expected 1'));
});

t.test('errors say where: a DecodeError its byte, an EncodeError the path of keys', async (t) => {
  t.equal(new DecodeError('short').message, 'short');
  t.equal(new DecodeError('short', 12).message, 'short (at byte 12)');
  t.equal(new DecodeError('short', 0).message, 'short (at byte 0)', 'byte 0 is a place too');
  const e = new EncodeError('too big');
  t.equal(e.message, 'too big');
  const nested = e.under('forwardDelay').under('data');
  t.equal(nested.message, 'data.forwardDelay: too big');
  t.same(nested.path, ['data', 'forwardDelay']);
  t.equal(nested.reason, 'too big');
});

t.test('name tables: names both ways, unknown values and bits kept as numbers, bad input refused', async (t) => {
  const modes = { private: 1, vepa: 2, alias: 2 };
  t.same([1, 2, 9].map(namer(modes)), ['private', 'vepa', 9], 'the first name of a shared value');
  const flags = { none: 0, up: 1, both: 6, four: 4 };
  const names = flagNamer(flags);
  t.same(names(0), [], 'no bits, no names (the 0 entry is never a flag)');
  t.same(names(1 | 6 | 8), ['up', 'both', 8], 'a mask of two bits as its name; an unknown bit as its number');
  t.same(names(4), ['four']);
  t.equal(valueOf(modes, 'vepa', 'mode'), 2);
  t.equal(valueOf(modes, 7, 'mode', 7), 7, 'the largest number taken');
  t.equal(valueOf(modes, 0, 'mode'), 0, 'and the smallest');
  for (const [v, message] of [
    [8, 'mode 8 is not an integer from 0 to 7'], [-1, 'mode -1 is not an integer from 0 to 7'], [1.5, 'mode 1.5 is not an integer from 0 to 7'],
    ['fast', 'unknown mode "fast" (known: private, vepa, alias)'], ['toString', 'unknown mode "toString" (known: private, vepa, alias)'],
  ] as const) t.throws(() => valueOf(modes, v as 'vepa', 'mode', 7), new EncodeError(message));
  t.throws(() => valueOf(modes, null as unknown as 'vepa', 'mode'), new EncodeError('unknown mode null (known: private, vepa, alias)'));
  // Plain JS: what only turns into a known name when made a string is refused, not looked up.
  t.throws(() => valueOf(modes, ['vepa'] as unknown as 'vepa', 'mode'), new EncodeError('unknown mode ["vepa"] (known: private, vepa, alias)'));
  t.throws(() => bitsOf(flags, [{ toString: () => 'up' }] as unknown as ['up']), new EncodeError('unknown flag {} (known: none, up, both, four)'));
  t.equal(bitsOf(flags, ['up', 'four', 16]), 21);
  t.throws(() => bitsOf(flags, 'up' as unknown as ['up']), new EncodeError('flags must be an array, not up'));
  t.throws(() => bitsOf(flags, ['nope'] as unknown as ['up'], 'link flag'), new EncodeError('unknown link flag "nope" (known: none, up, both, four)'));
});

t.test('a key none of the known ones: the closest known one when two edits or fewer away, else the list', async (t) => {
  const known = ['mtu', 'mode', 'family', 'label', 'l3Stats'];
  const said = (key: string): string => unknownKey(key, known);
  t.equal(said('mtuu'), 'unknown option "mtuu" (did you mean mtu?)', 'one letter more');
  t.equal(said('mt'), 'unknown option "mt" (did you mean mtu?)', 'one letter less');
  t.equal(said('mtx'), 'unknown option "mtx" (did you mean mtu?)', 'one letter other');
  t.equal(said('mdoe'), 'unknown option "mdoe" (did you mean mode?)', 'two swapped: two edits');
  t.equal(said('famliy'), 'unknown option "famliy" (did you mean family?)');
  t.equal(said('MTU'), 'unknown option "MTU" (did you mean mtu?)', 'case aside');
  t.equal(said('l3stats'), 'unknown option "l3stats" (did you mean l3Stats?)');
  t.equal(said('labelled'), 'unknown option "labelled" (known: mtu, mode, family, label, l3Stats)', 'three edits: too far');
  t.equal(said('x'), 'unknown option "x" (known: mtu, mode, family, label, l3Stats)', 'a one-letter key is like anything: no guess');
  t.equal(said('m'), 'unknown option "m" (known: mtu, mode, family, label, l3Stats)', 'not even two edits from mtu');
  t.equal(said('mu'), 'unknown option "mu" (did you mean mtu?)', 'a two-letter key: one edit');
  t.equal(unknownKey('ab', ['abc', 'abd']), 'unknown option "ab" (did you mean abc?)', 'two known ones one edit away: the first');
  t.equal(unknownKey('ab', ['abcd', 'xb']), 'unknown option "ab" (did you mean xb?)', 'the nearest, not the first');
  t.equal(unknownKey('a', []), 'unknown option "a" (known: )', 'nothing known');
});

t.test('the writer: grows as needed, fills in lengths, refuses an attribute over 65535 bytes', async (t) => {
  const w = new Writer(1);
  w.u8(1).u16(0x0302).u32(0x07060504);
  t.equal(toHex(w.finish()), '01020304050607', 'grown from one byte, nothing lost');
  const big = new Writer(4);
  big.bytes(new Uint8Array(1000).fill(9));
  t.equal(big.length, 1000);
  t.ok(big.finish().every((b) => b === 9), 'a write past twice the size');
  const a = new Writer();
  a.attr(5, (w) => w.u8(7));
  t.equal(toHex(a.finish()), '0500050007000000', 'header length 5 (unpadded), padded to 8');
  const m = new Writer();
  m.u32(0xaaaaaaaa);
  m.message({ type: 16, flags: 5, seq: 9 }, (w) => w.u8(1));
  t.equal(toHex(m.finish()), `aaaaaaaa${'14000000'}10000500${'09000000'}00000000${'01000000'}`, 'nlmsg_len counts from the message, not the buffer');
  const at = new Writer();
  t.doesNotThrow(() => at.attr(1, (w) => w.zeros(0xffff - 4)), 'an attribute of exactly 65535 bytes');
  t.throws(() => new Writer().attr(3, (w) => w.zeros(0xffff - 3)), new EncodeError('attribute 3 is 65536 bytes, over netlink\'s 65535'));
  t.throws(() => new Writer().attr(0x8000 | 3, (w) => w.zeros(0xffff)), new EncodeError('attribute 3 is 65539 bytes, over netlink\'s 65535'), 'named by its type without NLA_F_NESTED');
});

t.test('framing and control messages: short and lying lengths are DecodeErrors at their byte; DONE and ERROR payloads', async (t) => {
  t.throws(() => decodeHeader(new Uint8Array(20), 8), new DecodeError('12 bytes, too short for a netlink header', 8));
  t.same(decodeHeader(nlmsg(16, 2, 7, 9, [])), { len: 16, type: 16, flags: 2, seq: 7, pid: 9 });
  const two = Uint8Array.from([...nlmsg(16, 0, 1, 0, [1]), 0, 0, 0, ...nlmsg(17, 0, 2, 0, [])]);
  t.same(parseMessages(two).map((m) => [m.header.type, m.payload.length]), [[16, 1], [17, 0]], 'the second after the first one\'s padding');
  const lying = nlmsg(16, 0, 1, 0, [0, 0, 0, 0]);
  lying[0] = 40;
  const buf = Uint8Array.from([...nlmsg(16, 0, 1, 0, []), ...lying]);
  t.throws(() => parseMessages(buf), new DecodeError('message claims 40 bytes, 20 remain', 16));
  const tiny = nlmsg(16, 0, 1, 0, []);
  tiny[0] = 8;
  t.throws(() => parseMessages(tiny), new DecodeError('message claims 8 bytes, 16 remain', 0));

  const request = nlmsg(16, 5, 3, 0, []);
  const ack = (flags: number, payload: number[]) => ({ header: decodeHeader(nlmsg(2, flags, 3, 0, payload)), payload: Uint8Array.from(payload) });
  t.same(decodeError(ack(0, [...le32(-19 >>> 0), ...request])), { error: -19, request: decodeHeader(request), ext: {} });
  t.throws(() => decodeError(ack(0, [...le32(0), ...request.subarray(0, 15)])), new DecodeError('NLMSG_ERROR payload is 19 bytes, too short'));
  // NLM_F_ACK_TLVS (0x200) with NLM_F_CAPPED (0x100): the TLVs follow the request's header.
  const text = [...Buffer.from('no such thing\0')];
  t.same(decodeError(ack(0x300, [...le32(-19 >>> 0), ...request, ...nla(1, text)])).ext, { msg: 'no such thing' }, 'extended ACK read');
  t.same(decodeError(ack(0x100, [...le32(-19 >>> 0), ...request, ...nla(1, text)])).ext, {}, 'TLVs only when the kernel says there are');
  const uncapped = [...le32(-19 >>> 0), ...nlmsg(16, 5, 3, 0, [1, 2, 3, 4])];
  uncapped[4] = 60; // the echoed request claims more than was echoed
  t.throws(() => decodeError(ack(0x200, uncapped)), new DecodeError('extended ACK starts at 64, past the 24-byte payload'));
  const done = (payload: number[], flags = 0) => ({ header: decodeHeader(nlmsg(3, flags, 1, 0, payload)), payload: Uint8Array.from(payload) });
  t.same(decodeDone(done([])), { error: 0, ext: {} }, 'an empty DONE');
  t.same(decodeDone(done(le32(-4 >>> 0))), { error: -4, ext: {} }, 'a DONE carrying an error');
  t.same(decodeDone(done([...le32(-4 >>> 0), ...nla(1, text)], 0x200)).ext, { msg: 'no such thing' });
  t.throws(() => decodeDone(done([1, 2])), new DecodeError('NLMSG_DONE payload is 2 bytes, too short'));
  t.same([0, 1, 2, 3, 4, 15, 16, 17].map(isControl), [true, true, true, true, true, true, false, false], 'types below 16 are netlink\'s own');
});

t.test('getters check their lengths; strings stop at NUL and read UTF-8; bytes are copies', async (t) => {
  for (const [name, n, what] of [['u8', 1, 'u8'], ['u16', 2, 'u16'], ['u32', 4, 'u32'], ['s32', 4, 's32'], ['u64', 8, 'u64'], ['u16be', 2, 'be16'], ['u32be', 4, 'be32']] as const) {
    t.throws(() => get[name](new Uint8Array(n + 1)), new DecodeError(`${what} attribute is ${n + 1} bytes, expected ${n}`), `${name} of ${n + 1} bytes`);
  }
  t.equal(get.u16(hex('0201')), 0x0102);
  t.equal(get.s32(hex('feffffff')), -2);
  t.equal(get.u32be(hex('01020304')), 0x01020304, 'big-endian');
  t.equal(get.u16be(hex('0102')), 0x0102);
  t.equal(get.string(hex('616200ff')), 'ab', 'up to the NUL');
  t.equal(get.string(hex('6162')), 'ab', 'or the end');
  t.equal(get.string(Uint8Array.from(Buffer.from('é1\0'))), 'é1', 'UTF-8 past ASCII');
  t.equal(get.string(hex('7f')), '\x7f', 'the last ASCII byte read as it is');
  const src = hex('0102');
  const copy = get.bytes(src);
  src[0] = 9;
  t.same([...copy], [1, 2], 'a copy: the receive buffer can be reused');
  t.throws(() => parseAttrs(Uint8Array.from([...nla(1, [1]), 9, 0, 1, 0, 0])), new DecodeError('attribute 1 claims 9 bytes, 5 remain', 8));
  t.throws(() => parseAttrs(Uint8Array.from([...nla(1, [1]), 1, 2])), new DecodeError('2 stray bytes after the last attribute', 8));
});

t.test('addresses: link-layer and IP text both ways, and what is refused', async (t) => {
  t.equal(formatLladdr(new Uint8Array(0)), '', 'no bytes, no text');
  t.equal(formatLladdr(hex('0a')), '0a');
  t.equal(formatLladdr(hex('0a0b')), '0a:0b');
  t.same([...parseLladdr('a:0B')], [10, 11]);
  for (const [s, len, problem] of [['0:1', 6, 'not a valid MAC address'], ['0a1:00', undefined, 'not a valid link-layer address'], ['x0:00', undefined, 'not a valid link-layer address'], ['00:0g', undefined, 'not a valid link-layer address']] as const) {
    t.throws(() => parseLladdr(s, len), new EncodeError(`"${s}": ${problem}`), s);
  }
  t.throws(() => parseLladdr(5 as unknown as string), new EncodeError('"5": a number is not a link-layer address'));
  t.throws(() => formatIp(new Uint8Array(5)), new DecodeError('IP address is 5 bytes, expected 4 or 16'));
  t.equal(formatIp(new Uint8Array(16)), '::');
  t.equal(formatIp(hex('00000000 00000000 00000000 00000001')), '::1');
  t.equal(formatIp(hex('00010000 00000000 00000000 00000000')), '1::');
  t.same(parsePrefix('192.0.2.5'), { bits: 32, address: '192.0.2.5', prefixlen: 32 }, 'a bare address is a host prefix');
  t.same(parsePrefix('192.0.2.0/32').prefixlen, 32, 'the longest prefix');
  t.same(parsePrefix('2001:db8::/0').prefixlen, 0);
  for (const s of ['192.0.2.0/33', '192.0.2.0/', '192.0.2.0/1x', '192.0.2.0/x24', '2001:db8::/129']) {
    t.throws(() => parsePrefix(s), { message: `"${s}": prefix length must be 0 to ${s.includes(':') ? 128 : 32}` }, s);
  }
  t.throws(() => parsePrefix(7 as unknown as string), new EncodeError('"7": expected a string like "192.0.2.5/24"'));
});

t.test('routes: RTA_VIA and RTA_MULTIPATH cut short are DecodeErrors; RTA_VIA written back', async (t) => {
  t.same(via.decode(hex('0a00 20010db8000000000000000000000001')), { family: 10, address: '2001:db8::1' });
  t.throws(() => via.decode(hex('02')), new DecodeError('RTA_VIA is 1 bytes, too short'));
  t.equal(enc(via, { family: 2, address: '192.0.2.1' }), '0200c0000201');
  const nh = [8, 0, 0, 1, 3, 0, 0, 0]; // rtnh_len 8, flags 0, hops 1, ifindex 3
  t.same(multipath.decode(Uint8Array.from([...nh, ...nh])).map((n) => [n.hops, n.ifindex]), [[1, 3], [1, 3]]);
  t.throws(() => multipath.decode(Uint8Array.from([...nh, 12, 0, 0, 0, 3, 0, 0, 0])), new DecodeError('rtnexthop claims 12 bytes, 8 remain', 8));
  t.throws(() => multipath.decode(Uint8Array.from([...nh, 4, 0, 0, 0, 3, 0, 0, 0])), new DecodeError('rtnexthop claims 4 bytes, 8 remain', 8));
  t.throws(() => multipath.decode(Uint8Array.from([...nh, 8, 0])), new DecodeError('rtnexthop claims 0 bytes, 2 remain', 8));
});

t.test('attribute tables: lazy fields behave as data, unknown attributes in `other` only when there are some, strings go back as they came', async (t) => {
  const table = { name: field(1, string), alias: field(2, string, { lazy: true }), mtu: field(3, u32) };
  const bytes = Uint8Array.from([...nla(1, [...Buffer.from('ab')]), ...nla(2, [...Buffer.from('x\0')]), ...nla(3, le32(1500))]);
  const plain = decodeAttrs(table, bytes);
  t.same(Object.keys(plain), ['name', 'alias', 'mtu'], 'no `other` without unknown attributes');
  const withOther = decodeAttrs(table, Uint8Array.from([...bytes, ...nla(9, [1, 2, 3, 4])]));
  t.same(Object.keys(withOther), ['name', 'alias', 'mtu', 'other']);
  t.same(withOther.other?.map((a) => a.type), [9]);
  const w = new Writer();
  encodeAttrs(table, plain, w);
  t.equal(toHex(w.finish()), toHex(bytes), 'read or not, the same bytes back (the name without its NUL, as it came)');
  plain.name = 'abc';
  const w2 = new Writer();
  encodeAttrs(table, plain, w2);
  t.match(toHex(w2.finish()), /^0800010061626300/, 'a changed string gets its NUL');
  const frozen = Object.freeze(decodeAttrs(table, bytes));
  t.throws(() => { (frozen as { alias?: string }).alias = 'y'; }, new TypeError('Cannot assign to read only property \'alias\' of object'), 'a frozen object refuses a lazy field as it would a data property');
  t.equal(frozen.alias, 'x');
  const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`f${i}`, field(i + 1, u8, { lazy: true })]));
  t.throws(() => decodeAttrs(many, new Uint8Array(0)), new Error('a table has at most 30 lazy fields'));
  const thirty = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, field(i + 1, u8, { lazy: true })]));
  t.same(decodeAttrs(thirty, Uint8Array.from(nla(30, [7]))), { f29: 7 }, 'thirty are fine, the last one read');
});

t.test('family headers and small structs name themselves when cut short; kinds\' own oddities', async (t) => {
  t.throws(() => addressCodec.decode(new Uint8Array(7)), new DecodeError('ifaddrmsg payload is 7 bytes, shorter than its 8-byte header'));
  t.throws(() => neighbourCodec.decode(new Uint8Array(3)), new DecodeError('ndmsg payload is 3 bytes, shorter than its 12-byte header'));
  t.throws(() => routeCodec.decode(new Uint8Array(11)), new DecodeError('rtmsg payload is 11 bytes, shorter than its 12-byte header'));
  t.throws(() => nsidMessage.decode(new Uint8Array(0)), new DecodeError('rtgenmsg payload is 0 bytes, shorter than its 1-byte header'));
  t.throws(() => rtgenmsg.decode(new Uint8Array(0)), new DecodeError('rtgenmsg is empty'));
  t.same(rtgenmsg.decode(Uint8Array.of(2)), { family: 2 });
  t.equal(NETNSA_NSID_NOT_ASSIGNED, -1);
  const addrCache = Uint8Array.from([...new Array(8).fill(0), ...nla(6, new Array(12).fill(0))]);
  t.throws(() => addressCodec.decode(addrCache).attrs.cacheinfo, new DecodeError('ifa_cacheinfo is 12 bytes, expected 16'));
  const neighCache = Uint8Array.from([...new Array(12).fill(0), ...nla(3, new Array(8).fill(0))]);
  t.throws(() => neighbourCodec.decode(neighCache).attrs.cacheinfo, new DecodeError('nda_cacheinfo is 8 bytes, expected 16'));
  t.same(decodeAttrs(vxlanTable, Uint8Array.from(nla(10, [0x03, 0xe8, 0x07, 0xd0]))).portRange, { low: 1000, high: 2000 }, 'ports big-endian');
  t.throws(() => decodeAttrs(vxlanTable, Uint8Array.from(nla(10, [1, 2]))).portRange, new DecodeError('ifla_vxlan_port_range of 2 bytes'));
  // IFLA_VXLAN_TTL_INHERIT: sent as a flag, reported as a u8; either is read, and written back as it came.
  t.equal(decodeAttrs(vxlanTable, Uint8Array.from(nla(28, []))).ttlInherit, true);
  t.equal(decodeAttrs(vxlanTable, Uint8Array.from(nla(28, [0]))).ttlInherit, false);
  for (const v of [nla(28, []), nla(28, [1])]) {
    const w = new Writer();
    encodeAttrs(vxlanTable, decodeAttrs(vxlanTable, Uint8Array.from(v)), w);
    t.equal(toHex(w.finish()), toHex(Uint8Array.from(v)), `ttlInherit ${toHex(Uint8Array.from(v))} back as it came`);
  }
  const w = new Writer();
  encodeAttrs(vxlanTable, { ttlInherit: true }, w);
  t.equal(toHex(w.finish()), toHex(Uint8Array.from(nla(28, []))), 'set by a caller: the flag the kernel takes');
  t.throws(() => decodeAttrs(bridgeTable, Uint8Array.from(nla(46, [1, 2, 3, 4]))).multiBoolopt, new DecodeError('br_boolopt_multi of 4 bytes'));
  t.same([0x8100, 0x88a8, 0x1234].map((p) => decodeAttrs(bridgeTable, Uint8Array.from(nla(8, [p >> 8, p & 0xff]))).vlanProtocol), ['802.1Q', '802.1ad', 0x1234]);
  t.same(jsonValue({ a: 1n, b: undefined, c: Uint8Array.of(1, 255), d: [2n], e: null }), { a: '1', c: '01ff', d: ['2'], e: null }, 'JSON form: bigints as text, bytes as hex, undefined left out');
  t.same(Object.keys(jsonValue({ a: 1, b: undefined }) as object), ['a'], 'a key whose value is undefined is no key at all');
  t.equal(JSON.stringify(Object.assign(Object.create(jsonable) as object, { x: 5n })), '{"x":"5"}', 'decoded objects serialise');
});

t.test('text made in one piece (text.ts): each length and digit width the same as built by hand, at any offset', async (t) => {
  const bytesOf = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
  const byHand = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
  // 42 bytes make 125 characters, the last length made from codes; 43 take the other way.
  for (const n of [1, 6, 20, 42, 43, 64]) {
    const b = bytesOf(n);
    t.equal(formatLladdr(b), byHand(b), `${n} bytes`);
    const inside = Uint8Array.from([0xee, ...b, 0xee]);
    t.equal(formatLladdr(inside, 1, n + 1), byHand(b), `${n} bytes inside a message`);
  }
  for (const quad of [[0, 9, 10, 99], [100, 199, 200, 255], [1, 20, 250, 7]]) {
    t.equal(formatIp(Uint8Array.from(quad)), quad.join('.'), quad.join('.'));
    t.equal(formatIp(Uint8Array.from([7, ...quad, 7]), 1, 5), quad.join('.'), `${quad.join('.')} inside a message`);
  }
  for (let b = 0; b < 256; b++) t.equal(formatIp(Uint8Array.from([b, b, b, b])), `${b}.${b}.${b}.${b}`, `byte ${b}`);
  // Names up to 128 characters are made from codes; longer ones through TextDecoder.
  for (const n of [0, 1, 15, 128, 129, 300]) {
    const s = 'abcdefghij'.repeat(31).slice(0, n);
    t.equal(get.string(Uint8Array.from(Buffer.from(s + '\0'))), s, `${n} ASCII characters`);
  }
  t.equal(getAt.string(Uint8Array.from(Buffer.from('xxmv1\0yy')), 2, 8), 'mv1', 'from an offset, up to the NUL');
  t.equal(get.string(Uint8Array.from(Buffer.from('ab\u00e9'))), 'ab\u00e9', 'ASCII first, then UTF-8: the whole string decoded');
  t.equal(get.string(Uint8Array.from(Buffer.from('\u00e9\u00e9'))), '\u00e9\u00e9', 'UTF-8 from the first byte');
  t.equal(get.string(Uint8Array.from([0x61, 0x80])), 'a\ufffd', 'byte 0x80 is no ASCII: UTF-8 decoding replaces it');
  t.throws(() => formatIp(Uint8Array.from([9, 1, 2, 3, 4, 5, 9]), 1, 6), new DecodeError('IP address is 5 bytes, expected 4 or 16'), 'the length of the range, not of the message');
});
