// Route encapsulations (RTA_ENCAP_TYPE, RTA_ENCAP): the typed forms of ip, ip6 and seg6 byte by
// byte, then against the kernel with iproute2 as the oracle, through the library and through
// `rtnl route`, bad specs refused by name with nothing left behind.
import t, { type Test } from 'tap';
import { decodeEncap, encodeEncap, LWTUNNEL_ENCAP_IP, LWTUNNEL_ENCAP_IP6, LWTUNNEL_ENCAP_SEG6, type Encap } from '../codecs/route/encap.js';
import { DecodeError, EncodeError } from '../codecs/netlink/errors.js';
import { InvalidArgumentError, NetlinkError, RtNetlink, type Route, type RouteSpec } from '../src/index.js';
import { IP, RTNL, sameAsIp } from './helpers/cli.js';
import { ip, ipJson, kernel, scratchNetns } from './helpers/kernel.js';
import { Printer } from '../src/cli/print.js';
import { printRoute } from '../src/cli/format-route.js';
import type { RouteMessage } from '../codecs/route/route.js';

const bytes = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());
const v6 = (last: number): number[] => [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), last];

// include/uapi/linux/lwtunnel.h: LWTUNNEL_IP_ID 1 (be64), DST 2, SRC 3, TTL 4, TOS 5, FLAGS 6 (be16).
const IP_ENCAP = bytes(
  [12, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5], //   id 5, big-endian
  [8, 0, 2, 0, 203, 0, 113, 9], //            dst 203.0.113.9
  [5, 0, 4, 0, 7, 0, 0, 0], //                ttl 7
  [5, 0, 5, 0, 0x10, 0, 0, 0], //             tos 0x10
  [6, 0, 6, 0, 0x00, 0x05, 0, 0], //          flags TUNNEL_CSUM|TUNNEL_KEY, big-endian
);
// SEG6_IPTUNNEL_SRH, as this kernel sent it for `encap seg6 mode encap segs 2001:db8::1,2001:db8::2`.
const SEG6_ENCAP = bytes(
  [48, 0, 1, 0], //                           SEG6_IPTUNNEL_SRH, 44 bytes
  [1, 0, 0, 0], //                            mode SEG6_IPTUN_MODE_ENCAP (int)
  [0, 4, 4, 1, 1, 0, 0, 0], //                nexthdr, hdrlen 4 (40 bytes), type 4, segments_left 1, first_segment 1, flags, tag
  v6(2), v6(1), //                            segments stored last first
);
// Inline with an HMAC key id: a zeroed slot for the destination, then the 40-byte HMAC TLV.
const SEG6_INLINE_HMAC = bytes(
  [88, 0, 1, 0], [0, 0, 0, 0], //             SRH attribute; mode SEG6_IPTUN_MODE_INLINE
  [0, 9, 4, 1, 1, 0x08, 0, 0], //             hdrlen 9 (80 bytes), flags SR6_FLAG1_HMAC
  Array<number>(16).fill(0), v6(3), //        stored last first: the destination's slot, then the segment
  [5, 38, 0, 0, 0, 0, 0, 77], Array<number>(32).fill(0), // SR6_TLV_HMAC, key id 77
);

t.test('ip, ip6 and seg6 encapsulations: bytes both ways', async (t) => {
  const ipEncap: Encap = { type: 'ip', id: 5, dst: '203.0.113.9', ttl: 7, tos: 0x10, flags: ['csum', 'key'] };
  t.same(encodeEncap(ipEncap), { type: LWTUNNEL_ENCAP_IP, value: IP_ENCAP }, 'ip: encoded');
  t.strictSame({ ...decodeEncap(LWTUNNEL_ENCAP_IP, IP_ENCAP) }, ipEncap, 'ip: decoded, the id a number');

  const seg6: Encap = { type: 'seg6', mode: 'encap', segments: ['2001:db8::1', '2001:db8::2'] };
  t.strictSame({ ...decodeEncap(LWTUNNEL_ENCAP_SEG6, SEG6_ENCAP) }, seg6, 'seg6: the kernel\'s bytes, segments in the order visited');
  t.same(encodeEncap(seg6), { type: LWTUNNEL_ENCAP_SEG6, value: SEG6_ENCAP }, 'seg6: encoded as the kernel keeps it');
  const inline: Encap = { type: 'seg6', mode: 'inline', segments: ['2001:db8::3'], hmac: 77 };
  t.same(encodeEncap(inline).value, SEG6_INLINE_HMAC, 'inline: the destination\'s slot added, the HMAC TLV last');
  t.strictSame({ ...decodeEncap(LWTUNNEL_ENCAP_SEG6, SEG6_INLINE_HMAC) }, inline, 'inline: the slot left out again');

  const big: Encap = { type: 'ip6', id: 2n ** 60n + 1n, dst: '2001:db8::9', hoplimit: 3, tc: 1, flags: ['seq'] };
  const back = decodeEncap(LWTUNNEL_ENCAP_IP6, encodeEncap(big).value);
  t.equal(back.type === 'ip6' && back.id, 2n ** 60n + 1n, 'an id past 2^53 stays exact, a bigint');
  t.same(JSON.parse(JSON.stringify({ encap: back })), { encap: { type: 'ip6', id: '1152921504606846977', dst: '2001:db8::9', hoplimit: 3, tc: 1, flags: ['seq'] } },
    'JSON: the bigint id as a decimal string');
  t.equal((decodeEncap(LWTUNNEL_ENCAP_IP6, encodeEncap({ type: 'ip6', id: 2 ** 53 - 1 }).value) as { id: unknown }).id, 2 ** 53 - 1, '2^53-1 is still a number');

  const other = decodeEncap(99, Uint8Array.of(1, 2, 3, 4));
  t.strictSame({ ...other }, { type: 99, data: Uint8Array.of(1, 2, 3, 4) }, 'a type no one knows: its bytes');
  t.same(encodeEncap(other), { type: 99, value: Uint8Array.of(1, 2, 3, 4) }, 'and back');
  t.same(JSON.parse(JSON.stringify(decodeEncap(7, Uint8Array.of(8, 0, 1, 0, 1, 0, 0, 0)))), { type: 'seg6local', data: '0800010001000000' }, 'a known type not modelled: named, its bytes as hex in JSON');
});

t.test('what cannot be an encapsulation is an EncodeError naming the field', async (t) => {
  const refused = (e: unknown, message: RegExp, what: string): void => {
    try {
      encodeEncap(e as Encap);
      t.fail(`${what}: taken`);
    } catch (err) {
      t.ok(err instanceof EncodeError && message.test(err.message), `${what}: ${String(err)}`);
    }
  };
  refused({ type: 'ip', dst: '2001:db8::1' }, /^dst: 2001:db8::1 is not an IPv4 address$/, 'ip with an IPv6 dst (the kernel would read 4 of its bytes)');
  refused({ type: 'ip6', src: '192.0.2.1' }, /^src: 192\.0\.2\.1 is not an IPv6 address$/, 'ip6 with an IPv4 src');
  refused({ type: 'ip', ttl: 256 }, /^ttl: 256 is not an integer from 0 to 255$/, 'ttl 256');
  refused({ type: 'ip', id: -1 }, /^id: -1 is not an integer from 0 to 2\^64-1$/, 'a negative id');
  refused({ type: 'ip', id: 2n ** 64n }, /^id: 18446744073709551616 is not/, 'an id past 64 bits');
  refused({ type: 'ip', id: 2 ** 53 }, /^id: 9007199254740992 is not/, 'a number id no longer exact');
  refused({ type: 'ip', flags: ['nope'] }, /unknown flag "nope"/, 'an unknown flag');
  refused({ type: 'ipx' }, /^unknown encap type "ipx" \(known: mpls, ip, ila, ip6, seg6,/, 'an unknown type');
  refused({ type: 'mpls' }, /^encap type mpls is taken only as bytes/, 'a type not modelled, without bytes');
  refused({ type: 'seg6', mode: 'encap', segments: [] }, /segments must be a list of IPv6 addresses, at least one/, 'no segment');
  refused({ type: 'seg6', mode: 'encap', segments: ['192.0.2.1'] }, /segment 192\.0\.2\.1 is not an IPv6 address/, 'an IPv4 segment');
  refused({ type: 'seg6', mode: 'sideways', segments: ['2001:db8::1'] }, /unknown seg6 mode "sideways"/, 'an unknown mode');
  refused({ type: 'seg6', mode: 'encap', segments: ['2001:db8::1'], hmac: 2 ** 32 }, /hmac 4294967296 is not an integer/, 'an hmac key id past 32 bits');
  refused(null, /^null is not an encapsulation/, 'null');
});

t.test('edges of what encodes: ids and HMAC key ids at their limits, the most segments a header holds', async (t) => {
  const id = (v: number | bigint): Uint8Array => encodeEncap({ type: 'ip', id: v }).value.subarray(4);
  t.same(id(0), new Uint8Array(8), 'id 0');
  t.same(id(2n ** 64n - 1n), new Uint8Array(8).fill(0xff), 'id 2^64-1');
  const srh = (segments: number, hmac?: number): Uint8Array =>
    encodeEncap({ type: 'seg6', mode: 'encap', segments: Array.from({ length: segments }, (_, i) => `2001:db8::${(i + 1).toString(16)}`), hmac }).value;
  t.same(srh(1, 0), srh(1), 'hmac 0 is no HMAC, as ip takes it');
  t.equal(srh(1, 0xffffffff)[8 + 5], 0x08, 'hmac 0xffffffff: the HMAC flag');
  t.same([...srh(1, 0xffffffff).subarray(-36, -32)], [0xff, 0xff, 0xff, 0xff], 'and the key id, last but the HMAC itself');
  t.equal(srh(127)[8 + 1], 254, '127 segments: hdrlen 254');
  t.equal(srh(125, 1)[8 + 1], 255, '125 segments and an HMAC: hdrlen 255, the most');
  for (const [n, hmac] of [[128, undefined], [126, 1]] as const) {
    t.throws(() => srh(n, hmac), { message: `srh: ${n + 0} segments do not fit a segment routing header` }, `${n} segments${hmac ? ' and an HMAC' : ''} do not fit`);
  }
  for (const hmac of [1.5, -1]) t.throws(() => srh(1, hmac), { message: `srh: hmac ${hmac} is not an integer from 0 to 4294967295` }, `hmac ${hmac}`);
});

t.test('cut-short encapsulations are DecodeErrors that say how', async (t) => {
  const fails = (type: number, v: Uint8Array, message: string, what: string): void => {
    t.throws(() => decodeEncap(type, v), Object.assign(new DecodeError(message), { name: 'DecodeError' }), what);
  };
  fails(LWTUNNEL_ENCAP_IP, bytes([8, 0, 1, 0, 0, 0, 0, 5]), 'id: tunnel id is 4 bytes, expected 8', 'a 4-byte tunnel id');
  fails(LWTUNNEL_ENCAP_SEG6, SEG6_ENCAP.subarray(0, 40).map((b, i) => (i === 0 ? 40 : b)), 'srh: segment routing header of 36 bytes is cut short', 'a header longer than its attribute');
  fails(LWTUNNEL_ENCAP_SEG6, bytes([9, 0, 1, 0], [1, 0, 0, 0, 0], [0, 0, 0]), 'srh: segment routing header of 5 bytes is cut short', 'less than a header');
  fails(LWTUNNEL_ENCAP_SEG6, bytes([16, 0, 1, 0], [1, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0]), 'srh: segment routing header claims 1 segments in 8 bytes', 'a bare header, no room for its one segment');
  const lying = SEG6_ENCAP.slice();
  lying[12] = 2; // first_segment 2: three segments in room for two
  fails(LWTUNNEL_ENCAP_SEG6, lying, 'srh: segment routing header claims 3 segments in 40 bytes', 'more segments than the header holds');
  const noRoom = SEG6_ENCAP.slice();
  noRoom[13] = 0x08; // the HMAC flag on a header of 40 bytes: 8 + 32, no room for a 40-byte TLV
  fails(LWTUNNEL_ENCAP_SEG6, noRoom, 'srh: segment routing header has no room for its HMAC', 'an HMAC flag without the room');
  fails(LWTUNNEL_ENCAP_SEG6, new Uint8Array(0), 'seg6 encapsulation without SEG6_IPTUNNEL_SRH', 'no header at all');
});

t.test('rtnl prints what it does not decode as such, and a number where ip has no name', async (t) => {
  const show = (encapType: number, encap: Uint8Array, json = false): string => {
    const p = new Printer(json);
    p.listing = true;
    const r: RouteMessage = { family: 2, dstLen: 24, srcLen: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0, attrs: { dst: '198.51.100.0', oif: 2, encapType, encap } };
    printRoute(p, r, { details: false, name: () => 'v0' });
    return p.output();
  };
  t.equal(show(99, Uint8Array.of(1, 2)), '198.51.100.0/24  encap unknown [data not decoded: 0102] dev v0 \n', 'a type no one knows');
  t.equal(show(7, Uint8Array.of(8, 0, 1, 0, 1, 0, 0, 0)), '198.51.100.0/24  encap seg6local [data not decoded: 0800010001000000] dev v0 \n',
    'a type ip names but rtnl does not decode (seg6local action End, as a kernel sent it)');
  t.equal(show(99, Uint8Array.of(1, 2), true), '[{"dst":"198.51.100.0/24","encap":"unknown","data":"0102","dev":"v0","flags":[]}]\n', 'in JSON');
  const ipNoId = encodeEncap({ type: 'ip', dst: '203.0.113.9', opts: Uint8Array.of(4, 0, 0, 0) }).value;
  t.equal(show(LWTUNNEL_ENCAP_IP, ipNoId), '198.51.100.0/24  encap ip dst 203.0.113.9 [opts not decoded: 04000000] dev v0 \n', 'no id, and options not decoded');
  const mode9 = encodeEncap({ type: 'seg6', mode: 9, segments: ['2001:db8::1'] }).value;
  t.equal(show(LWTUNNEL_ENCAP_SEG6, mode9), '198.51.100.0/24  encap seg6 mode <unknown> segs 1 [ 2001:db8::1 ] dev v0 \n', 'a seg6 mode ip has no name for');
});

/** A namespace with v0 up, 192.0.2.5/24 and 2001:db8::5/64 on it. */
function withLink(t: Parameters<typeof scratchNetns>[0]): string {
  const ns = scratchNetns(t, 'encap');
  ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], { netns: ns });
  for (const l of ['v0', 'v1']) ip(['link', 'set', l, 'up'], { netns: ns });
  ip(['address', 'add', '192.0.2.5/24', 'dev', 'v0'], { netns: ns });
  ip(['address', 'add', '2001:db8::5/64', 'dev', 'v0', 'nodad'], { netns: ns });
  return ns;
}

const byDst = (routes: Route[], dst: string): Route | undefined => routes.find((r) => r.dst === dst);

const SEG6 = ['seg6', 'mode', 'encap', 'segs', '2001:db8::1'];
const SEG6LOCAL = ['seg6local', 'action', 'End'];
/**
 * Whether this kernel takes routes with `encap` words (seg6 and seg6local need
 * CONFIG_IPV6_SEG6_LWTUNNEL, which not every build has: ip and ip6 are always there), asked of
 * ip in namespace `ns` (with v0).
 */
async function kernelTakes(ns: string, encap: string[]): Promise<boolean> {
  const r = await IP.run(['-n', ns, '-6', 'route', 'add', '2001:db8:ff::/64', 'encap', ...encap, 'dev', 'v0']);
  if (r.status !== 0) {
    if (r.stderr === 'Error: lwt encapsulation type not supported.\n') return false;
    throw new Error(`ip route add ... encap ${encap.join(' ')}: ${r.stderr}`);
  }
  ip(['-6', 'route', 'del', '2001:db8:ff::/64'], { netns: ns });
  return true;
}

/** A promise's rejection, or an Error saying it was fulfilled. */
const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => new Error('taken'), (e: unknown) => e);

/** `args` through ip and through rtnl in `ns`: the same exit status and the same words on stderr. */
async function refusedAsByIp(t: Test, ns: string, args: string[], what = args.join(' ')): Promise<void> {
  const [theirs, ours] = [await IP.run(['-n', ns, ...args]), await RTNL.run(['-n', ns, ...args])];
  t.same({ status: ours.status, stderr: ours.stderr }, { status: theirs.status, stderr: theirs.stderr }, what);
}

t.test('the library adds and reads routes with encapsulations as ip does', kernel, async (t) => {
  const ns = withLink(t);
  await using rt = await RtNetlink.open({ netns: ns });
  const made = await rt.route.add({ dst: '198.51.100.0/24', dev: 'v0', encap: { type: 'ip', id: 5, dst: '203.0.113.9', ttl: 7, flags: ['key'] } });
  t.same({ ...made.encap }, { type: 'ip', id: 5, dst: '203.0.113.9', src: '0.0.0.0', ttl: 7, tos: 0, flags: ['key'] }, 'add resolves with the encapsulation, as the kernel completed it');
  t.match(ipJson<unknown[]>(['route', 'show', '198.51.100.0/24'], { netns: ns }), [{ encap: 'ip', id: 5, dst: '203.0.113.9', ttl: 7, key: true }], 'ip reads what was sent');

  await rt.route.add({ dst: '2001:db8:1::/64', dev: 'v0', encap: { type: 'ip6', id: 2n ** 60n, dst: '2001:db8::9', hoplimit: 3, flags: ['seq', 'csum'] } });
  t.match(ip(['-6', 'route', 'show', '2001:db8:1::/64'], { netns: ns }), /encap ip6 id 1152921504606846976 src :: dst 2001:db8::9 hoplimit 3 tc 0 csum seq dev v0/);

  ip(['route', 'add', '203.0.113.0/24', 'encap', 'ip', 'id', '9', 'dst', '198.51.100.7', 'src', '192.0.2.5', 'tos', '0x20', 'csum', 'dev', 'v0'], { netns: ns });
  ip(['route', 'add', '198.51.100.128/25', 'nexthop', 'encap', 'ip', 'id', '11', 'dst', '203.0.113.11', 'dev', 'v0', 'nexthop', 'via', '192.0.2.1', 'dev', 'v0'], { netns: ns });
  const listed = [...await rt.route.list(), ...await rt.route.list({ family: 'inet6' })];
  t.same({ ...byDst(listed, '203.0.113.0/24')?.encap }, { type: 'ip', id: 9, dst: '198.51.100.7', src: '192.0.2.5', ttl: 0, tos: 0x20, flags: ['csum'] }, 'ip\'s encap ip, typed');
  t.same({ ...byDst(listed, '2001:db8:1::/64')?.encap }, { type: 'ip6', id: 2n ** 60n, dst: '2001:db8::9', src: '::', hoplimit: 3, tc: 0, flags: ['csum', 'seq'] }, 'ours, read back as the kernel completed it');
  const multi = byDst(listed, '198.51.100.128/25');
  t.same(multi?.nexthops?.map((nh) => nh.encap && { ...nh.encap }), [{ type: 'ip', id: 11, dst: '203.0.113.11', src: '0.0.0.0', ttl: 0, tos: 0, flags: [] }, undefined], 'a path\'s own encapsulation');
  t.notOk(byDst(listed, '192.0.2.0/24')?.encap, 'a route without one has none');

  // A listed route is a spec: deleted as it is, and made again from it the same.
  const route = byDst(listed, '203.0.113.0/24') as Route;
  await rt.route.delete(route);
  t.equal(ip(['route', 'show', '203.0.113.0/24'], { netns: ns }), '', 'deleted by its listed form');
  await rt.route.add({ dst: route.dst, dev: route.index, encap: route.encap });
  t.match(ip(['route', 'show', '203.0.113.0/24'], { netns: ns }), /encap ip id 9 src 192\.0\.2\.5 dst 198\.51\.100\.7 ttl 0 tos 32 csum dev v0/, 'made again the same');
});

t.test('seg6 routes through the library as ip reads them; on a kernel without seg6, its refusal', kernel, async (t) => {
  const ns = withLink(t);
  await using rt = await RtNetlink.open({ netns: ns });
  const ours: RouteSpec = { dst: '2001:db8:2::/64', dev: 'v0', encap: { type: 'seg6', mode: 'inline', segments: ['2001:db8::a', '2001:db8::b'], hmac: 0x4d } };
  if (!await kernelTakes(ns, SEG6)) {
    const e = await failure(rt.route.add(ours));
    t.ok(e instanceof NetlinkError && e.errno === 95 && e.kernelMessage === 'lwt encapsulation type not supported', `refused with the kernel's errno and words: ${String(e)}`);
    t.equal(ip(['-6', 'route', 'show', '2001:db8:2::/64'], { netns: ns }), '', 'nothing was added');
    t.comment('this kernel has no seg6 lightweight tunnels (CONFIG_IPV6_SEG6_LWTUNNEL): seg6 itself is checked on byte vectors above');
    return;
  }
  await rt.route.add(ours);
  t.match(ip(['-6', 'route', 'show', '2001:db8:2::/64'], { netns: ns }), /encap seg6 mode inline segs 3 \[ 2001:db8::a 2001:db8::b :: \] hmac 4D dev v0/);
  ip(['-6', 'route', 'add', '2001:db8:3::/64', 'encap', 'seg6', 'mode', 'l2encap', 'segs', '2001:db8::c', 'dev', 'v0'], { netns: ns });
  const listed = await rt.route.list({ family: 'inet6' });
  t.same({ ...byDst(listed, '2001:db8:3::/64')?.encap }, { type: 'seg6', mode: 'l2encap', segments: ['2001:db8::c'] }, 'ip\'s encap seg6, typed');
  t.same({ ...byDst(listed, '2001:db8:2::/64')?.encap }, ours.encap, 'ours, read back as given');
});

t.test('a bad encapsulation is refused by name, before the kernel, and leaves no route', kernel, async (t) => {
  const ns = withLink(t);
  await using rt = await RtNetlink.open({ netns: ns });
  const refused = async (encap: unknown, text: RegExp, what: string): Promise<void> => {
    const e = await failure(rt.route.add({ dst: '203.0.113.0/24', dev: 'v0', encap: encap as Encap }));
    t.ok(e instanceof InvalidArgumentError && e.errno === 22 && e.subject === 'route 203.0.113.0/24 dev v0' && text.test(e.message), `${what}: ${String(e)}`);
  };
  await refused({ type: 'ip', dst: '2001:db8::1' }, /: encap: dst: 2001:db8::1 is not an IPv4 address$/, 'ip with an IPv6 dst');
  await refused({ type: 'ip', ttl: 300 }, /: encap: ttl: 300 is not an integer from 0 to 255$/, 'ttl 300');
  await refused({ type: 'tunnel' }, /: encap: unknown encap type "tunnel"/, 'an unknown type');
  await refused('ip', /: encap: ip is not an encapsulation/, 'a bare string (plain JS)');
  await t.rejects(rt.route.add({ dst: '203.0.113.0/24', nexthops: [{ dev: 'v0', encap: { type: 'ip6', dst: '192.0.2.9' } }] }),
    /nexthop 1 encap: dst: 192\.0\.2\.9 is not an IPv6 address/, 'a path\'s encapsulation, named by its place');
  const lacking = await failure(rt.route.add({ dst: '203.0.113.0/24', dev: 'v0', encap: { type: 'mpls', data: Uint8Array.of(8, 0, 1, 0, 0, 0, 0x64, 0x01) } }));
  t.ok(lacking instanceof NetlinkError && lacking.errno === 95 && lacking.kernelMessage === 'lwt encapsulation type not supported',
    `a type this kernel lacks: its errno and extended ACK (${String(lacking)})`);
  t.equal(ip(['route', 'show', '203.0.113.0/24'], { netns: ns }), '', 'nothing was added');
});

t.test('rtnl route add ... encap, and every listing of it, as ip', kernel, async (t) => {
  const ns = withLink(t);
  const rtnl = async (args: string[]): Promise<void> => {
    const r = await RTNL.run(['-n', ns, ...args]);
    t.equal(r.status, 0, `rtnl ${args.join(' ')}: ${r.stderr}`);
  };
  await rtnl(['route', 'add', '198.51.100.0/24', 'encap', 'ip', 'id', '5', 'dst', '203.0.113.9', 'src', '192.0.2.5', 'ttl', '20', 'tos', '10', 'key', 'csum', 'seq', 'dev', 'v0']);
  // `default` in a family is its zero address (ip sends `any` empty, which the kernel refuses: test/cli-words.test.ts).
  await rtnl(['route', 'add', '198.51.100.128/25', 'encap', 'ip', 'dst', 'default', 'ttl', '255', 'dev', 'v0']);
  await rtnl(['-6', 'route', 'add', '2001:db8:1::/64', 'encap', 'ip6', 'id', '0x1000000000000000', 'dst', '2001:db8::9', 'hoplimit', '9', 'tc', '3', 'dev', 'v0']);
  const seg6Adds = [['-6', 'route', 'add', '2001:db8:2::/64', 'encap', 'seg6', 'mode', 'inline', 'segs', '2001:db8::1,2001:db8::2', 'hmac', '77', 'dev', 'v0'],
    ['-6', 'route', 'add', '2001:db8:3::/64', 'encap', 'seg6', 'mode', 'encap.red', 'segs', '2001:db8::3', 'dev', 'v0']];
  const seg6 = await kernelTakes(ns, SEG6);
  for (const args of seg6Adds) {
    if (seg6) await rtnl(args);
    else await refusedAsByIp(t, ns, args, `no seg6 here: ${args.join(' ')} refused as by ip`); // by the kernel
  }
  await rtnl(['route', 'add', '203.0.113.0/24', 'nexthop', 'encap', 'ip', 'id', '9', 'dst', '198.51.100.7', 'dev', 'v0', 'nexthop', 'via', '192.0.2.1', 'dev', 'v0']);
  t.match(ip(['route', 'show', '198.51.100.0/24'], { netns: ns }), /encap ip id 5 src 192\.0\.2\.5 dst 203\.0\.113\.9 ttl 20 tos 16 key csum seq dev v0/, 'ip reads what rtnl sent: ttl in decimal, tos in hex');
  t.match(ip(['route', 'show', '198.51.100.128/25'], { netns: ns }), /encap ip id 0 src 0\.0\.0\.0 dst 0\.0\.0\.0 ttl 255 tos 0 dev v0/, '"default" is 0.0.0.0; ttl 255 is taken');
  if (seg6) t.match(ip(['-6', 'route', 'show', '2001:db8:2::/64'], { netns: ns }), /segs 3 \[ 2001:db8::1 2001:db8::2 :: \] hmac 4D dev v0/, 'the HMAC key id was sent');
  for (const args of [['route', 'show'], ['-6', 'route', 'show'], ['-d', 'route', 'show'], ['-j', 'route', 'show'], ['-6', '-j', 'route', 'show'],
    ['-6', '-j', '-p', 'route', 'show'], ['-o', 'route', 'show'], ['-color=always', 'route', 'show'], ['-6', '-color=always', 'route', 'show']]) await sameAsIp(t, ns, args);
  if (!await kernelTakes(ns, SEG6LOCAL)) {
    t.comment('this kernel has no seg6local routes: a type rtnl does not decode is printed from bytes (above)');
    return;
  }
  ip(['-6', 'route', 'add', '2001:db8:4::/64', 'encap', ...SEG6LOCAL, 'dev', 'v0'], { netns: ns });
  const local = await RTNL.run(['-n', ns, '-6', 'route', 'show', '2001:db8:4::/64']);
  t.equal(local.stdout, '2001:db8:4::/64  encap seg6local [data not decoded: 0800010001000000] dev v0 metric 1024 pref medium\n',
    'a type rtnl does not decode is said to be so, where ip prints "action End"');
});

t.test('rtnl refuses a malformed encap as ip does, word for word and by exit code', kernel, async (t) => {
  const ns = withLink(t);
  const cases = [
    ['route', 'add', '203.0.113.0/24', 'encap', 'ipx', 'id', '1', 'dev', 'v0'],
    ['route', 'add', '203.0.113.0/24', 'encap', 'ip', 'key'],
    ['route', 'add', '203.0.113.0/24', 'encap', 'ip'],
    ['route', 'add', '203.0.113.0/24', 'encap', 'ip', 'id', '1', 'id', '2', 'dev', 'v0'],
    ['route', 'add', '203.0.113.0/24', 'encap', 'ip', 'key', 'key', 'dev', 'v0'],
    ['route', 'add', '203.0.113.0/24', 'encap', 'ip', 'id', '18446744073709551616', 'dev', 'v0'],
    ['route', 'add', '203.0.113.0/24', 'encap', 'ip', 'ttl', '256', 'dev', 'v0'],
    ['route', 'add', '203.0.113.0/24', 'encap', 'ip', 'tos', 'zz', 'dev', 'v0'],
    ['route', 'add', '203.0.113.0/24', 'encap', 'ip', 'dst', '2001:db8::1', 'dev', 'v0'],
    ['-6', 'route', 'add', '2001:db8:9::/64', 'encap', 'ip6', 'hoplimit', '300', 'dev', 'v0'],
    ['-6', 'route', 'add', '2001:db8:9::/64', 'encap', 'seg6', 'segs', '2001:db8::1', 'dev', 'v0'],
    ['-6', 'route', 'add', '2001:db8:9::/64', 'encap', 'seg6', 'mode', 'sideways', 'segs', '2001:db8::1', 'dev', 'v0'],
    ['-6', 'route', 'add', '2001:db8:9::/64', 'encap', 'seg6', 'mode', 'encap', 'mode', 'inline', 'dev', 'v0'],
    ['-6', 'route', 'add', '2001:db8:9::/64', 'encap', 'seg6', 'mode', 'encap', 'segs', '2001:db8::1', 'segs', '2001:db8::2', 'dev', 'v0'],
    ['-6', 'route', 'add', '2001:db8:9::/64', 'encap', 'seg6', 'mode', 'encap', 'segs', '2001:db8::1', 'hmac', '1', 'hmac', '2', 'dev', 'v0'],
    ['route', 'add', '203.0.113.0/24', 'encap', 'ip', 'id', '5'],
  ];
  for (const args of cases) await refusedAsByIp(t, ns, args);
  for (const type of ['mpls', 'ila', 'bpf', 'seg6local', 'rpl', 'ioam6', 'xfrm']) {
    const unsupported = await RTNL.run(['-n', ns, 'route', 'add', '203.0.113.0/24', 'encap', type, 'x', 'dev', 'v0']);
    t.same(unsupported, { status: 255, stdout: '', stderr: `rtnl: "encap ${type}" is not supported (ip, ip6 and seg6 are)\n` }, `encap ${type}, which rtnl does not model: said so, nothing sent`);
  }
  for (const opts of ['geneve_opts', 'vxlan_opts', 'erspan_opts']) {
    const unsupported = await RTNL.run(['-n', ns, 'route', 'add', '203.0.113.0/24', 'encap', 'ip', opts, '0:0:0', 'dev', 'v0']);
    t.same(unsupported, { status: 255, stdout: '', stderr: `rtnl: "encap ip ${opts}" is not supported\n` }, `${opts}: said so`);
  }
  const noSegs = await RTNL.run(['-n', ns, '-6', 'route', 'add', '2001:db8:9::/64', 'encap', 'seg6', 'mode', 'encap', 'dev', 'v0']);
  t.same(noSegs, { status: 255, stdout: '', stderr: 'Error: "encap seg6" needs "mode" and "segs"\n' }, 'seg6 without segments is refused (ip would send one segment ::)');
  const badHmac = await RTNL.run(['-n', ns, '-6', 'route', 'add', '2001:db8:9::/64', 'encap', 'seg6', 'mode', 'encap', 'segs', '2001:db8::1', 'hmac', 'xyz', 'dev', 'v0']);
  t.same(badHmac, { status: 255, stdout: '', stderr: 'Error: argument "xyz" is wrong: "hmac" value is invalid\n\n' }, 'a malformed HMAC key id is refused (ip would send the route without one)');
  t.equal(ip(['route', 'show', '203.0.113.0/24'], { netns: ns }), '', 'no route was made');
});
