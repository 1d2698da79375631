// The netlink framing codecs: vectors captured from this kernel and iproute2
// (strace of iproute2, and our own socket), decoded and re-encoded, and properties over random bytes.
import t from 'tap';
import fc from 'fast-check';
import { parseMessages, decodeError, decodeDone, decodeHeader } from '../codecs/netlink/message.js';
import { parseAttrs, get, attrType } from '../codecs/netlink/attrs.js';
import { Writer } from '../codecs/netlink/writer.js';
import { DecodeError, EncodeError } from '../codecs/netlink/errors.js';
import { decodeAttrs, encodeAttrs, field, nested, repeated } from '../codecs/netlink/schema.js';
import * as c from '../codecs/netlink/codecs.js';
import { hex, nla, nlmsg, toHex } from './helpers/bytes.js';

// `ip link add x0 type nosuchkind`: what iproute2 sends. IFLA_INFO_KIND has no trailing NUL.
const iproute2NewLink = hex(`
  3c000000 1000 0506 9e02046b 00000000   # nlmsghdr: len 60, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq, pid 0
  00 00 0000 00000000 00000000 00000000  # ifinfomsg
  0700 0300 78 30 00 00                  # IFLA_IFNAME "x0\\0"
  1400 1200                              # IFLA_LINKINFO
    0e00 0100 6e6f737563686b696e64 0000  #   IFLA_INFO_KIND "nosuchkind" (no NUL), padding
`);

// The kernel's answer to it on a socket without NETLINK_CAP_ACK: the request echoed, then TLVs.
const uncappedError = hex(`
  68000000 0200 0002 9e02046b cc180000   # NLMSG_ERROR, flags ACK_TLVS
  a1ffffff                               # error -95 (EOPNOTSUPP)
  3c000000 1000 0506 9e02046b 00000000   # the request's header
  00000000 00000000 00000000 00000000 0700030078300000 140012000e0001006e6f737563686b696e640000
  1800 0100 556e6b6e6f776e206465766963652074797065 00   # NLMSGERR_ATTR_MSG "Unknown device type"
`);

// The same on our socket (NETLINK_CAP_ACK): header only, flags CAPPED|ACK_TLVS.
const cappedError = hex(`
  3c000000 0200 0003 07000000 a51a0000
  a1ffffff
  3c000000 1000 0506 07000000 00000000
  1800 0100 556e6b6e6f776e206465766963652074797065 00
`);

// RTM_GETLINK for "nosuch" answered with ENODEV and no extended ACK.
const enodev = hex('24000000 0200 0001 08000000 a51a0000 edffffff 2c000000 1200 0500 08000000 00000000');

// The end of a dump: NLMSG_DONE, NLM_F_MULTI, error 0.
const done = hex('14000000 0300 0200 09000000 a51a0000 00000000');

t.test('the writer reproduces iproute2\'s request byte for byte', async (t) => {
  const w = new Writer().message({ type: 16, flags: 0x0605, seq: 0x6b04029e }, (w) => {
    w.zeros(16);
    w.attr(3, (w) => w.cstring('x0'));
    w.nest(18, (w) => w.attr(1, (w) => w.bytes(new TextEncoder().encode('nosuchkind'))));
  });
  t.equal(toHex(w.finish()), toHex(iproute2NewLink));
});

t.test('an uncapped error with extended ACK', async (t) => {
  const [m] = parseMessages(uncappedError);
  t.same(m.header, { len: 104, type: 2, flags: 0x200, seq: 0x6b04029e, pid: 0x18cc });
  const e = decodeError(m);
  t.equal(e.error, -95);
  t.same(e.request, decodeHeader(iproute2NewLink));
  t.same(e.ext, { msg: 'Unknown device type' });
});

t.test('a capped error with extended ACK', async (t) => {
  const e = decodeError(parseMessages(cappedError)[0]);
  t.equal(e.error, -95);
  t.equal(e.request.len, 60);
  t.equal(e.ext.msg, 'Unknown device type');
});

t.test('an error without extended ACK, and NLMSG_DONE', async (t) => {
  const e = decodeError(parseMessages(enodev)[0]);
  t.equal(e.error, -19);
  t.same(e.ext, {});
  t.same(decodeDone(parseMessages(done)[0]), { error: 0, ext: {} });
});

t.test('several messages in one datagram, padded between', async (t) => {
  const a = nlmsg(0x10, 2, 1, 0, [1, 2, 3, 0]);
  const joined = Uint8Array.from([...a, ...done]);
  t.same(parseMessages(joined).map((m) => m.header.type), [0x10, 3]);
});

t.test('attributes: the walker masks flag bits in one place, typed getters are strict', async (t) => {
  const bytes = Uint8Array.from([...nla(0x8000 | 7, nla(1, [5, 0, 0, 0])), ...nla(2, [1, 2])]);
  const attrs = parseAttrs(bytes);
  t.same(attrs.map((a) => a.type), [0x8007, 2]);
  t.equal(attrType(attrs[0].type), 7);
  t.equal(get.u32(parseAttrs(attrs[0].value)[0].value), 5);
  t.throws(() => get.u32(attrs[1].value), DecodeError, 'a u16 is not a u32');
  t.equal(get.u16(attrs[1].value), 0x0201);
  t.equal(get.string(Uint8Array.from([0x61, 0x62])), 'ab', 'strings without NUL are read');
});

// A table with a nest, a repeated attribute, an enum and flags, as the families use them.
const inner = { mode: field(1, c.enumOf(c.u32, { private: 1, vepa: 2 })), name: field(2, c.string) };
const table = {
  id: field(1, c.u32),
  name: field(3, c.string),
  mac: field(4, c.mac),
  addr: field(5, c.ip),
  info: field(6, nested(inner)),
  flags: field(7, c.flagsOf(c.u16, { nopromisc: 1, nodst: 2 })),
  alt: repeated(8, c.string),
  on: field(9, c.flag),
  big: field(10, c.u64),
};

t.test('tables: decode then encode returns the same bytes, unknowns and quirks included', async (t) => {
  const bytes = Uint8Array.from([
    ...nla(3, [0x78, 0x30]), // a string without NUL, as iproute2 sends some
    ...nla(99, [1, 2, 3]), // unknown to the table
    ...nla(0x8000 | 6, [...nla(1, [32, 0, 0, 0]), ...nla(2, [0x61, 0])]), // nested with NLA_F_NESTED, unknown enum 32
    ...nla(7, [0x05, 0x00]), // flags nopromisc plus unknown bit 4
    ...nla(8, [0x61, 0]),
    ...nla(8, [0x62, 0]),
    ...nla(1, [7, 0, 0, 0]),
    ...nla(4, [2, 0, 0, 0, 0, 1]),
    ...nla(5, [192, 0, 2, 1]),
    ...nla(9, []),
    ...nla(10, [1, 0, 0, 0, 0, 0, 0, 0x80]),
  ]);
  const d = decodeAttrs(table, bytes);
  t.same({ ...d, info: { ...d.info } }, {
    name: 'x0',
    other: [{ type: 99, value: Uint8Array.from([1, 2, 3]) }],
    info: { mode: 32, name: 'a' },
    flags: ['nopromisc', 4],
    alt: ['a', 'b'],
    id: 7,
    mac: '02:00:00:00:00:01',
    addr: '192.0.2.1',
    on: true,
    big: 0x8000000000000001n,
  });
  const w = new Writer();
  encodeAttrs(table, d, w);
  t.equal(toHex(w.finish()), toHex(bytes));
});

t.test('tables: an object built by hand encodes in table order and decodes back', async (t) => {
  const obj = { name: 'mv1', id: 3, info: { mode: 'vepa' as const }, alt: ['x', 'y'], addr: '2001:db8::1' };
  const w = new Writer();
  encodeAttrs(table, obj, w);
  const back = decodeAttrs(table, w.finish());
  t.same({ ...back, info: { ...back.info } }, obj);
  t.same(parseAttrs(w.finish()).map((a) => a.type), [1, 3, 5, 6, 8, 8]);
});

t.test('tables: a built object of a table of 62 keys encodes in table order, whatever order its keys were set in', async (t) => {
  // A key's place in the table picks its bit in one of two 31-bit words: places 30, 31 and 61 sit on their edges.
  const wide = Object.fromEntries(Array.from({ length: 62 }, (_, i) => [`k${i}`, field(i + 1, c.u8)]));
  const places = [61, 31, 30, 45, 29, 32, 60, 2];
  const obj = Object.fromEntries(places.map((i) => [`k${i}`, i]));
  const w = new Writer();
  encodeAttrs(wide, obj, w);
  const sorted = [...places].sort((a, b) => a - b);
  t.same(parseAttrs(w.finish()).map((a) => a.type), sorted.map((i) => i + 1), 'every key once, in table order');
  t.same(parseAttrs(w.finish()).map((a) => a.value[0]), sorted, 'each with its own value');
});

t.test('tables: a key set to undefined and a key the table lacks encode nothing', async (t) => {
  const w = new Writer();
  encodeAttrs(table, { addr: '192.0.2.1', name: undefined, id: 3, stray: 'x' } as never, w);
  t.same(parseAttrs(w.finish()).map((a) => a.type), [1, 5], 'id then addr, in table order');
});

t.test('tables: a nested table refuses a key it lacks by name, with the closest one; a decoded one re-encodes', async (t) => {
  const encode = (v: unknown): Uint8Array => {
    const w = new Writer();
    encodeAttrs(table, v as never, w);
    return w.finish();
  };
  t.throws(() => encode({ id: 1, info: { mdoe: 'vepa' } }), new EncodeError('unknown option "mdoe" (did you mean mode?)', ['info']));
  t.throws(() => encode({ info: { colour: 'red' } }), new EncodeError('unknown option "colour" (known: mode, name)', ['info']));
  t.throws(() => encode({ info: { mode: 'vepa', stray: undefined } }), /unknown option "stray"/, 'even undefined: the key is wrong');
  t.equal(toHex(encode({ info: { mode: 'vepa', other: [{ type: 9, value: Uint8Array.of(1, 0, 0, 0) }] } })), toHex(encode(decodeAttrs(table, encode({ info: { mode: 'vepa', other: [{ type: 9, value: Uint8Array.of(1, 0, 0, 0) }] } })))), 'other: the unknown attributes');
});

t.test('tables: a changed value is encoded afresh, not from the remembered bytes', async (t) => {
  const d = decodeAttrs(table, Uint8Array.from(nla(3, [0x78, 0x30])));
  d.name = 'longer';
  const w = new Writer();
  encodeAttrs(table, d, w);
  t.equal(toHex(w.finish()), toHex(Uint8Array.from(nla(3, [...new TextEncoder().encode('longer'), 0]))));
});

t.test('tables: keys added to a decoded object are encoded after the attributes it came with, unknown ones included', async (t) => {
  const d = decodeAttrs(table, Uint8Array.from([...nla(3, [0x78, 0x30, 0]), ...nla(99, [1, 2, 3])]));
  d.id = 7;
  d.addr = '192.0.2.1';
  const w = new Writer();
  encodeAttrs(table, d, w);
  t.same(parseAttrs(w.finish()).map((a) => a.type), [3, 99, 1, 5], 'the name and the unknown where they were, then id and addr in table order');
  t.same({ ...decodeAttrs(table, w.finish()) }, { name: 'x0', id: 7, addr: '192.0.2.1', other: [{ type: 99, value: Uint8Array.from([1, 2, 3]) }] });
});

t.test('tables: unknown attributes of an object built by hand are encoded as given, after the known ones', async (t) => {
  const w = new Writer();
  encodeAttrs(table, { other: [{ type: 99, value: Uint8Array.from([1, 2, 3]) }, { type: 98, value: new Uint8Array(0) }], id: 7 }, w);
  t.equal(toHex(w.finish()), toHex(Uint8Array.from([...nla(1, [7, 0, 0, 0]), ...nla(99, [1, 2, 3]), ...nla(98, [])])));
});

t.test('value codecs reject bad input with a clear message', async (t) => {
  t.throws(() => c.mac.encode(new Writer(), '02:00:00:00:00'), /"02:00:00:00:00": not a valid MAC address/);
  t.throws(() => c.ip.encode(new Writer(), '192.0.2.300'), /"192\.0\.2\.300": not a valid IPv4 or IPv6 address/);
  t.throws(() => c.enumOf(c.u32, { a: 1 }).encode(new Writer(), 'b' as 'a'), /unknown value "b" \(known: a\)/);
  t.equal(c.ip.decode(Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1])), '2001:db8::1', 'RFC 5952 form');
});

const decoders: Array<[string, (b: Uint8Array) => unknown]> = [
  ['parseMessages', parseMessages],
  ['decodeError', (b) => parseMessages(b).map(decodeError)],
  ['decodeDone', (b) => parseMessages(b).map(decodeDone)],
  ['decodeAttrs', (b) => decodeAttrs(table, b)],
];

t.test('random bytes give a DecodeError or a value, never another exception', async (t) => {
  for (const [name, decode] of decoders) {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (b) => {
        try { decode(b); } catch (e) { if (!(e instanceof DecodeError)) throw e; }
      }),
      { numRuns: 2000 },
    );
    t.pass(name);
  }
});

t.test('mutated kernel vectors give a DecodeError or a value, never another exception', async (t) => {
  const vectors = [uncappedError, cappedError, enodev, done, iproute2NewLink];
  const mutation = fc.record({
    v: fc.integer({ min: 0, max: vectors.length - 1 }),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
    cut: fc.nat(),
  });
  for (const [name, decode] of decoders) {
    fc.assert(
      fc.property(mutation, ({ v, at, byte, cut }) => {
        const b = vectors[v].slice(0, vectors[v].length - (cut % 8));
        if (b.length > 0) b[at % b.length] = byte;
        try { decode(b); } catch (e) { if (!(e instanceof DecodeError)) throw e; }
      }),
      { numRuns: 3000 },
    );
    t.pass(name);
  }
});

t.test('any object the table can hold survives encode then decode', async (t) => {
  const arb = fc.record(
    {
      id: fc.nat({ max: 0xffffffff }),
      name: fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0')),
      flags: fc.subarray(['nopromisc', 'nodst'] as const),
      alt: fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 3 }),
      big: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(arb, (obj) => {
      const w = new Writer();
      encodeAttrs(table, obj, w);
      // Returned, so that fast-check sees a failure and shrinks it to the smallest case.
      return t.same(decodeAttrs(table, w.finish()), obj);
    }),
    { numRuns: 500 },
  );
});

t.test('a value that does not decode is a DecodeError naming its attribute', async (t) => {
  t.throws(() => decodeAttrs(table, Uint8Array.from(nla(1, [7, 0]))), { name: 'DecodeError', message: 'id: u32 attribute is 2 bytes, expected 4' });
  t.throws(() => decodeAttrs(table, Uint8Array.from(nla(6, nla(1, [1])))), { message: 'info: mode: u32 attribute is 1 bytes, expected 4' });
  t.throws(() => decodeAttrs(table, Uint8Array.from([...nla(1, [7, 0, 0, 0]), 9, 0])), { message: /^2 stray bytes after the last attribute/ }, 'a framing error names no attribute');
});

// Lazy fields (schema.ts): the same table with `info` and `big` decoded on first read.
const lazyTable = { ...table, info: field(6, nested(inner), { lazy: true }), big: field(10, c.u64, { lazy: true }) };
const lazyBytes = Uint8Array.from([
  ...nla(1, [7, 0, 0, 0]),
  ...nla(10, [1, 0, 0, 0, 0, 0, 0, 0x80]), // big: 2^63 + 1
  ...nla(3, [0x78, 0x30, 0]),
  ...nla(200, [1]), // unknown
  ...nla(6 | 0x8000, nla(1, [4, 0, 0, 0])), // info, NLA_F_NESTED set
  ...nla(6, nla(1, [2, 0, 0, 0])), // a second info: kept in `other`
]);
const encoded = (tbl: typeof table, obj: object): string => {
  const w = new Writer();
  encodeAttrs(tbl, obj, w);
  return toHex(w.finish());
};

t.test('lazy fields: accessors in place of the values, decoded once on first read, the same values as eager decoding', async (t) => {
  const eager = decodeAttrs(table, lazyBytes);
  const lazy = decodeAttrs(lazyTable, lazyBytes);
  t.type(Object.getOwnPropertyDescriptor(lazy, 'big')?.get, 'function', 'an accessor before the first read');
  t.strictSame(Object.keys(lazy), Object.keys(eager), 'the same keys in the same order');
  t.equal(lazy.big, 2n ** 63n + 1n);
  t.equal(lazy.info, lazy.info, 'decoded once: every read returns the same object');
  const changed = decodeAttrs(lazyTable, lazyBytes);
  changed.info!.name = 'changed';
  t.equal(changed.info?.name, 'changed', 'changes to a value read stay');
  t.strictSame(lazy, eager);
  t.strictSame(Object.keys(lazy), Object.keys(eager), 'still in the same order once read');
  t.equal(lazy.other?.length, 2, 'the unknown attribute and the second info');
  t.equal(lazy.other, lazy.other, '`other` too is gathered once, on first read');
  t.type(Object.getOwnPropertyDescriptor(decodeAttrs(table, lazyBytes), 'other')?.get, 'function', 'in every table');
  const fresh = (): typeof lazy => decodeAttrs(lazyTable, lazyBytes);
  t.strictSame({ ...fresh() }, { ...eager }, 'spread reads through the accessors');
  t.strictSame(structuredClone(fresh()), structuredClone(eager), 'structuredClone reads through the accessors');
  const json = (o: object): string => JSON.stringify(o, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  t.equal(json(fresh()), json(eager), 'JSON.stringify reads through the accessors');
});

t.test('lazy fields: encoding gives the original bytes whether or not they were read, and honours changes', async (t) => {
  const original = toHex(lazyBytes);
  t.equal(encoded(lazyTable, decodeAttrs(lazyTable, lazyBytes)), original, 'never read');
  const read = decodeAttrs(lazyTable, lazyBytes);
  void read.info;
  void read.big;
  t.equal(encoded(lazyTable, read), original, 'read');
  read.info!.mode = 'vepa';
  t.match(encoded(lazyTable, read), toHex(Uint8Array.from(nla(6 | 0x8000, nla(1, [2, 0, 0, 0])))), 'read then changed: the change is sent');
  const frozen = Object.freeze(decodeAttrs(lazyTable, lazyBytes));
  t.equal(frozen.big, 2n ** 63n + 1n, 'a frozen object still reads');
  t.throws(() => { (frozen as { big?: bigint }).big = 1n; }, TypeError, 'and refuses a change, as a data property would');
  const set = decodeAttrs(lazyTable, lazyBytes);
  set.big = 5n;
  t.match(encoded(lazyTable, set), toHex(Uint8Array.from(nla(10, [5, 0, 0, 0, 0, 0, 0, 0]))), 'set before any read: the new value is sent');
  t.equal(set.big, 5n);
  const more = decodeAttrs(lazyTable, lazyBytes);
  more.other!.push({ type: 201, value: Uint8Array.from([5]) });
  t.equal(encoded(lazyTable, more), original + toHex(Uint8Array.from(nla(201, [5]))), 'an attribute added to `other` is sent, after the rest');
  const gone = decodeAttrs(lazyTable, lazyBytes);
  delete gone.big;
  t.equal(gone.big, undefined);
  t.notMatch(encoded(lazyTable, gone), toHex(Uint8Array.from(nla(10, [1, 0, 0, 0, 0, 0, 0, 0x80]))), 'deleted: not sent');
  t.strictSame(decodeAttrs(lazyTable, Uint8Array.from(nla(10, [1, 0, 0, 0, 0, 0, 0, 0]))), { big: 1n });
});

t.test('lazy fields: bytes that do not decode throw a DecodeError naming the field on every read, not at decode', async (t) => {
  const bad = Uint8Array.from([...nla(1, [7, 0, 0, 0]), ...nla(10, [1, 2, 3]), ...nla(6, nla(1, [1]))]);
  t.throws(() => decodeAttrs(table, bad), DecodeError, 'eager: at decode');
  const l = decodeAttrs(lazyTable, bad);
  t.equal(l.id, 7, 'the rest decodes');
  for (let i = 0; i < 2; i++) {
    t.throws(() => l.big, { name: 'DecodeError', message: 'big: u64 attribute is 3 bytes, expected 8' });
    t.throws(() => l.info, { name: 'DecodeError', message: 'info: mode: u32 attribute is 1 bytes, expected 4' });
  }
  t.throws(() => JSON.stringify(l), DecodeError);
  t.equal(encoded(lazyTable, l), toHex(bad), 'never decoded, the bytes go back as they came');
  // A getter taken off its object has nothing to decode on another.
  const getter = Object.getOwnPropertyDescriptor(decodeAttrs(lazyTable, lazyBytes), 'big')?.get;
  t.throws(() => getter?.call({}), { name: 'DecodeError', message: 'this object was not decoded from attributes' });
});

t.test('lazy fields: random and mutated bytes give a DecodeError on decode or on read, never another exception', async (t) => {
  const readAll = (b: Uint8Array): void => {
    try {
      JSON.stringify(decodeAttrs(lazyTable, b), (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), readAll), { numRuns: 2000 });
  const mutation = fc.record({ at: fc.nat(lazyBytes.length - 1), byte: fc.integer({ min: 0, max: 255 }), cut: fc.nat(8) });
  fc.assert(fc.property(mutation, ({ at, byte, cut }) => {
    const b = lazyBytes.slice(0, lazyBytes.length - cut);
    b[at % b.length] = byte;
    readAll(b);
  }), { numRuns: 3000 });
  t.pass('no exception but DecodeError');
});

t.test('a nested run decoded in place counts error offsets from its own start', async (t) => {
  const table = { inner: field(1, nested({ a: field(1, c.u32), b: field(2, c.u32) })) };
  // outer attribute 1 (at 0, value at 4): a = 1 (8 bytes), then an attribute claiming 200 bytes.
  const buf = Uint8Array.from(nla(1, [...nla(1, [1, 0, 0, 0]), 200, 0, 2, 0]));
  const e = (() => { try { decodeAttrs(table, buf); } catch (e) { return e; } })();
  t.type(e, DecodeError);
  t.match((e as DecodeError).message, /inner: attribute 2 claims 200 bytes, 4 remain \(at byte 8\)/, 'byte 8 of the nested run, as in a view of it');
});

t.test('stray bytes after a nested run\'s last attribute: the offset counts from the run too', async (t) => {
  const table = { inner: field(1, nested({ a: field(1, c.u32) })) };
  const buf = Uint8Array.from(nla(1, [...nla(1, [1, 0, 0, 0]), 9, 9]));
  t.throws(() => decodeAttrs(table, buf), /inner: 2 stray bytes after the last attribute \(at byte 8\)/);
});
