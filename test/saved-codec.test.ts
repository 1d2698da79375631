// The files `ip route save` and `ip address save` write (codecs/netlink/saved.ts): a magic number,
// then messages as dumped. Bytes annotated; each way of not being one such file is a SavedDumpError
// after the messages before it, as ip's rtnl_from_file() stops there.
import fc from 'fast-check';
import t from 'tap';
import { ADDRESS_DUMP_MAGIC, ROUTE_DUMP_MAGIC, SavedDumpError, readSaved, writeSaved } from '../codecs/netlink/saved.js';
import { routeCodec, type RouteMessage } from '../codecs/route/route.js';
import { hex, toHex } from './helpers/bytes.js';
import { NetlinkError } from '../src/errors.js';
import { savedEntries } from '../src/api/restore.js';
import { prefixString } from '../src/api/route.js';

const route: RouteMessage = { family: 2, dstLen: 24, srcLen: 0, tos: 0, table: 254, protocol: 4, scope: 0, type: 1, flags: 0, attrs: { dst: '198.51.100.0', oif: 3 } };
const SAVED = `
  24123145                                  # ROUTE_DUMP_MAGIC 0x45311224, host order
  2c000000 1800 0200 00000000 00000000      # len 44, RTM_NEWROUTE, NLM_F_MULTI, seq 0, port 0
  02 18 00 00 fe 04 00 01 00000000          # AF_INET, /24, table main, proto static, unicast
  0800 0100 c6336400                        # RTA_DST 198.51.100.0
  0800 0400 03000000                        # RTA_OIF 3
`;

t.test('a saved route: the magic number, then the message as a dump has it', async (t) => {
  const bytes = writeSaved(ROUTE_DUMP_MAGIC, 24, routeCodec, [route, route]);
  const one = hex(SAVED);
  t.equal(toHex(bytes.subarray(0, one.length)), toHex(one));
  t.equal(toHex(bytes.subarray(one.length)), toHex(one.subarray(4)), 'the second message after the first');
  const read = [...readSaved(bytes, ROUTE_DUMP_MAGIC)];
  t.same(read.map((m) => [m.header.type, m.header.flags, routeCodec.decode(m.payload)]), [[24, 2, route], [24, 2, route]]);
  t.same([...readSaved(hex('22123647'), ADDRESS_DUMP_MAGIC)], [], 'the magic number alone is an empty dump');
  const bare = [...readSaved(hex('22123647  10000000 1400 0200 00000000 00000000'), ADDRESS_DUMP_MAGIC)];
  t.same(bare.map((m) => [m.header.len, m.payload.length]), [[16, 0]], 'a message of its header alone (16 bytes) is one, of no payload');
});

t.test('bytes that are not a saved dump: what is wrong and where, after the messages before', async (t) => {
  const reasons = (bytes: Uint8Array, magic = ROUTE_DUMP_MAGIC): unknown => {
    const seen: number[] = [];
    try {
      for (const m of readSaved(bytes, magic)) seen.push(m.header.len);
    } catch (e) {
      t.type(e, SavedDumpError);
      const { reason, value, offset, name } = e as SavedDumpError;
      return { seen, reason, value, offset, name };
    }
    return { seen };
  };
  const good = hex(SAVED);
  t.same(reasons(good, ADDRESS_DUMP_MAGIC), { seen: [], reason: 'magic', value: ROUTE_DUMP_MAGIC, offset: 0, name: 'SavedDumpError' }, 'another kind');
  t.same(reasons(hex('6162')), { seen: [], reason: 'magic', value: 0x6261, offset: 0, name: 'SavedDumpError' }, 'two bytes: what fread() leaves in a zeroed word');
  t.same(reasons(hex('')), { seen: [], reason: 'magic', value: 0, offset: 0, name: 'SavedDumpError' }, 'nothing at all');
  t.same(reasons(Buffer.concat([good, good.subarray(4, 14)])), { seen: [44], reason: 'truncated', value: 0, offset: 48, name: 'SavedDumpError' }, 'a header cut short');
  t.same(reasons(Buffer.concat([good, good.subarray(4, 40)])), { seen: [44], reason: 'truncated', value: 0, offset: 48, name: 'SavedDumpError' }, 'a body cut short');
  t.same(reasons(Buffer.concat([good, hex('08000000 1800 0000 00000000 00000000')])), { seen: [44], reason: 'malformed', value: 8, offset: 48, name: 'SavedDumpError' }, 'a length shorter than the header');
  // A message whose length is not a multiple of 4 is padded in the file: its padding must be there.
  const odd = hex('22123647  11000000 1400 0000 00000000 00000000  05 000000');
  t.same(reasons(odd, ADDRESS_DUMP_MAGIC), { seen: [17] }, 'a 17-byte message with its 3 bytes of padding');
  t.same(reasons(odd.subarray(0, odd.length - 1), ADDRESS_DUMP_MAGIC), { seen: [], reason: 'truncated', value: 0, offset: 4, name: 'SavedDumpError' }, 'without its padding');
  t.match(new SavedDumpError('malformed', 8, 48).message, 'a message of 8 bytes, shorter than its header (at byte 48)');
  t.match(new SavedDumpError('magic', 0x6261, 0).message, 'not a saved dump of this kind: magic number 6261 (at byte 0)');
  t.match(new SavedDumpError('truncated', 0, 4).message, 'a message cut short (at byte 4)');
});

t.test('hostile saved dumps: reading fails only with SavedDumpError, restore\'s reading only with a typed error', async (t) => {
  const routes: RouteMessage[] = [
    route,
    { ...route, family: 10, dstLen: 64, attrs: { dst: '2001:db8::', gateway: 'fe80::1', oif: 2, priority: 1024, metrics: { mtu: 1400 } } },
    { ...route, dstLen: 0, attrs: { multipath: [{ flags: 0, hops: 1, ifindex: 3, attrs: { gateway: '192.0.2.1' } }, { flags: 0, hops: 0, ifindex: 3, attrs: { gateway: '192.0.2.2' } }] } },
  ];
  const file = writeSaved(ROUTE_DUMP_MAGIC, 24, routeCodec, routes);
  /** True when the bytes read, or fail as they must: never a TypeError or RangeError. */
  const typed = (b: Uint8Array): boolean => {
    try {
      [...readSaved(b, ROUTE_DUMP_MAGIC)];
    } catch (e) {
      if (!(e instanceof SavedDumpError)) return false;
    }
    try {
      savedEntries(b, ROUTE_DUMP_MAGIC, 24, routeCodec, 'route', (m) => prefixString(m.family, m.attrs.dst, m.dstLen));
      return true;
    } catch (e) {
      return e instanceof NetlinkError && ['ProtocolError', 'InvalidArgumentError'].includes(e.name);
    }
  };
  const magic = file.subarray(0, 4);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => typed(b) && typed(Buffer.concat([magic, b]))), { numRuns: 3000 });
  fc.assert(fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (at, value, cut) => {
    const b = file.slice(0, file.length - (cut % 3 === 0 ? cut % file.length : 0));
    if (b.length > 4) b[4 + (at % (b.length - 4))] = value;
    return typed(b);
  }), { numRuns: 5000 });
  t.equal(savedEntries(file, ROUTE_DUMP_MAGIC, 24, routeCodec, 'route', (m) => prefixString(m.family, m.attrs.dst, m.dstLen)).length, 3, 'the file itself reads whole');
  t.throws(() => savedEntries(file.subarray(0, 30), ROUTE_DUMP_MAGIC, 24, routeCodec, 'route', () => ''), { name: 'ProtocolError', message: /saved routes: .*a message cut short/ });
});

