// Prefixes of router advertisements without a kernel: what `ip monitor prefix` read from this
// kernel (test/vectors/prefix/, captured by its capture.sh) decodes and re-encodes to the same
// bytes, types with its flags read in either kernel's bits, and prints as ip printed it but for
// the flags ip 6.1 reads from the older kernels' bits.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prefixCodec, type PrefixMessage } from '../codecs/route/prefix.js';
import { toAdvertisedPrefix } from '../src/api/prefix.js';
import { printPrefix } from '../src/cli/format-prefix.js';
import { Printer } from '../src/cli/print.js';
import { DecodeError } from '../codecs/netlink/errors.js';
import { hex } from './helpers/bytes.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

const v = vector('prefix/monitor');
const text = readFileSync(fileURLToPath(new URL('../../test/vectors/prefix/monitor.txt', import.meta.url)), 'utf8')
  .split('\n').filter((l) => l.startsWith('text ')).map((l) => `${l.slice(5)}\n`);
const messages = v.replies.map((m) => prefixCodec.decode(m.payload));
const names = new Map([[2, 'v1']]);

const printer = (m: PrefixMessage, json = false): Printer => {
  const p = new Printer(json);
  printPrefix(p, m, (i) => names.get(i) ?? `if${i}`);
  return p;
};
const printed = (m: PrefixMessage): string => printer(m).output();

t.test('every captured notification decodes and re-encodes to the same bytes', async (t) => {
  t.equal(v.replies.length, 4, 'four advertisements, four notifications');
  for (const m of v.replies) t.same(reencode(prefixCodec, m.payload).bytes, m.payload);
});

t.test('a notification, byte by byte', async (t) => {
  t.same(v.replies[1].payload, hex(`
    0a 00 0000                # prefixmsg: AF_INET6, padding
    02000000                  # prefix_ifindex 2
    03 40 c0 00               # prefix_type 3 (Prefix Information), prefix_len 64, prefix_flags L|A as advertised, padding
    1400 0100 20010db8000200000000000000000000   # PREFIX_ADDRESS 2001:db8:2::
    0c00 0200 08070000 100e0000                  # PREFIX_CACHEINFO: preferred 1800, valid 3600
  `), 'as captured');
  t.same(messages[1], {
    family: 10, pad1: 0, pad2: 0, ifindex: 2, type: 3, prefixlen: 64, flags: 0xc0, pad3: 0,
    attrs: { address: '2001:db8:2::', cacheinfo: { preferred: 1800, valid: 3600 } },
  });
});

t.test('typed: the flags as advertised (kernels since 6.8) or as older kernels set them, lifetimes for ever named', async (t) => {
  t.same(messages.map((m) => toAdvertisedPrefix(m, names)), [
    { family: 'inet6', index: 2, cidr: '2001:db8:1::/64', prefixlen: 64, flags: [], dev: 'v1', validLft: 3600, preferredLft: 1800 },
    { family: 'inet6', index: 2, cidr: '2001:db8:2::/64', prefixlen: 64, flags: ['onlink', 'autoconf'], dev: 'v1', validLft: 3600, preferredLft: 1800 },
    { family: 'inet6', index: 2, cidr: '2001:db8:3::/64', prefixlen: 64, flags: ['onlink', 'autoconf'], dev: 'v1', validLft: 3600, preferredLft: 1800 },
    { family: 'inet6', index: 2, cidr: '2001:db8:4::/64', prefixlen: 64, flags: ['onlink', 'autoconf', 'routeraddr', 'preferpd'], dev: 'v1', validLft: 'forever', preferredLft: 'forever' },
  ]);
  const flags = (f: number): unknown => toAdvertisedPrefix({ ...messages[0], flags: f }).flags;
  t.same(flags(0x01), ['onlink'], 'IF_PREFIX_ONLINK alone');
  t.same(flags(0x02), ['autoconf'], 'IF_PREFIX_AUTOCONF alone');
  t.same(flags(0x82), ['onlink', 'autoconf'], 'L, and the older A');
  t.same(flags(0x0c), [4, 8], 'reserved bits stay numbers');
  const bare = toAdvertisedPrefix({ ...messages[0], attrs: {} });
  t.same(bare, { family: 'inet6', index: 2, cidr: '/64', prefixlen: 64, flags: [] }, 'no name, no address, no lifetimes: none made up');
  t.same(Object.keys(bare), ['family', 'index', 'cidr', 'prefixlen', 'flags'], '... not even as undefined keys');
});

t.test('printed as ip monitor prefix prints it, the flags as advertised', async (t) => {
  t.equal(printed(messages[0]), text[0], 'no flags: as ip');
  t.equal(printed(messages[2]), text[2], 'the older kernels\' bits: as ip');
  t.equal(text[1], 'prefix 2001:db8:2::/64dev v1 valid 3600 preferred 1800 \n', 'ip 6.1 misses L and A as this kernel sends them');
  t.equal(printed(messages[1]), 'prefix 2001:db8:2::/64dev v1 onlink autoconf valid 3600 preferred 1800 \n', 'rtnl prints them');
  t.equal(printed(messages[3]), 'prefix 2001:db8:4::/64dev v1 onlink autoconf valid 4294967295 preferred 4294967295 \n', 'ip\'s two words only; lifetimes as numbers');
  t.same(printer(messages[3], true).rows, [{ prefix: '2001:db8:4::/64', dev: 'v1', flags: ['onlink', 'autoconf', 'routeraddr', 'preferpd'], valid: 4294967295, preferred: 4294967295 }], '-j: the row the monitor prints');
  t.equal(printed({ ...messages[0], ifindex: 9, attrs: {} }), 'dev if9 \n', 'no address, no lifetimes: what is there');
});

t.test('short structs are DecodeErrors naming them', async (t) => {
  t.throws(() => prefixCodec.decode(v.replies[0].payload.subarray(0, 5)), new DecodeError('prefixmsg payload is 5 bytes, shorter than its 12-byte header'));
  const short = hex(`
    0a 00 0000 02000000 03 40 00 00
    0800 0200 100e0000        # PREFIX_CACHEINFO of one u32
  `);
  t.throws(() => prefixCodec.decode(short), new DecodeError('prefix_cacheinfo is 4 bytes, expected 8'));
});

t.test('hostile bytes: decoding a prefix message works or throws DecodeError', async (t) => {
  fuzz(t, prefixCodec, v.replies.map((m) => m.payload));
});
