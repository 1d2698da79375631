// Netconf without a kernel: what `ip netconf` and `ip monitor netconf` exchanged with this kernel
// (test/vectors/netconf/, captured by its capture.sh) decodes and re-encodes to the same bytes,
// reads as ip printed it (text and -j), and a notification of one changed setting merges into
// what was known.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { netconfCodec, netconfmsg, type NetconfMessage } from '../codecs/route/netconf.js';
import { RTM_NEWNETCONF } from '../codecs/route/constants.js';
import { DecodeError } from '../codecs/netlink/errors.js';
import { ProtocolError, RtNetlink } from '../src/index.js';
import { Writer } from '../codecs/netlink/writer.js';
import { mergeNetconf, toNetconf } from '../src/api/netconf.js';
import { asIp } from './helpers/netconf.js';
import { printNetconf } from '../src/cli/format-netconf.js';
import { Printer } from '../src/cli/print.js';
import { hex } from './helpers/bytes.js';
import { answering } from './helpers/answering.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

/** The lines of a vector file that start with `key` (text, json, links), without it. */
const linesOf = (file: string, key: string): string[] => readFileSync(fileURLToPath(new URL(`../../test/vectors/netconf/${file}.txt`, import.meta.url)), 'utf8')
  .split('\n').filter((l) => l.startsWith(`${key} `)).map((l) => l.slice(key.length + 1));
const lines = (key: string): string[] => linesOf('dump', key);
const names = new Map((JSON.parse(lines('links')[0]) as Array<{ ifindex: number; ifname: string }>).map((l) => [l.ifindex, l.ifname]));
const dump = vector('netconf/dump').replies.map((m) => netconfCodec.decode(m.payload));

t.test('every captured message decodes and re-encodes to the same bytes', async (t) => {
  for (const name of ['dump', 'get-inet', 'get-inet6', 'monitor']) {
    const v = vector(`netconf/${name}`);
    const messages = name === 'monitor' ? v.replies : [v.request, ...v.replies];
    t.ok(messages.length > 0, `${name}: messages`);
    for (const m of messages) t.same(reencode(netconfCodec, m.payload).bytes, m.payload, `${name}: ${v.command}`);
  }
});

t.test('a notification of one setting, byte by byte', async (t) => {
  const [, , , , partial] = vector('netconf/monitor').replies;
  t.same(partial.payload, hex(`
    02 000000                 # netconfmsg: AF_INET, padding
    0800 0100 05000000        # NETCONFA_IFINDEX 5
    0800 0200 01000000        # NETCONFA_FORWARDING 1
  `), 'as captured: the link and the one setting that changed');
  t.same(netconfCodec.decode(partial.payload), { family: 2, attrs: { ifindex: 5, forwarding: 1 } });
  t.strictSame({ ...toNetconf(netconfCodec.decode(partial.payload), new Map([[5, 'v2']])) }, { family: 'inet', index: 5, dev: 'v2', forwarding: true });
});

t.test('the dump reads as ip -j netconf show printed it, and prints as ip printed it', async (t) => {
  t.same(dump.map((m) => asIp(toNetconf(m, names))), JSON.parse(lines('json')[0]), 'typed');
  const text = new Printer(false);
  for (const m of dump) printNetconf(text, m, (i) => names.get(i) ?? `if${i}`);
  t.equal(text.output(), lines('text').map((l) => `${l}\n`).join(''), 'text');
  const json = new Printer(true);
  json.listing = true;
  for (const m of dump) printNetconf(json, m, (i) => names.get(i) ?? `if${i}`);
  t.same(JSON.parse(json.output()), JSON.parse(lines('json')[0]), '-j');
  const none = undefined;
  t.same(dump.map((m) => toNetconf(m).dev), [none, none, none, 'all', 'default', none, none, none, 'all', 'default'], 'without names: all and default named, links not');
  t.same(dump.filter((m) => m.family === 2).map((m) => m.attrs.bcForwarding), [0, 0, 0, 0, 0], 'IPv4 tells bc_forwarding (which ip 6.1 does not print)');
});

t.test('a get request is what ip sends, and its answer what ip printed', async (t) => {
  for (const [name, family] of [['get-inet', 2], ['get-inet6', 10]] as const) {
    const v = vector(`netconf/${name}`);
    const w = new Writer();
    netconfCodec.encode(w, { family, attrs: { ifindex: 3 } });
    t.same(w.finish(), v.request.payload, `${name}: ${v.command}`);
    const p = new Printer(false);
    printNetconf(p, netconfCodec.decode(v.replies[0].payload), () => 'v0');
    t.equal(p.output(), `${linesOf(name, 'text')[0]}\n`, `${name}: printed as ip printed it`);
  }
});

t.test('values ip has no name for, and attributes the codec does not know, are kept', async (t) => {
  const w = new Writer();
  const m: NetconfMessage = { family: 2, attrs: { ifindex: 7, rpFilter: 3, forwarding: 2 } };
  netconfCodec.encode(w, m);
  const unknown = hex('0800 0900 2a000000'); // NETCONFA 9, which this kernel's header does not have
  const bytes = Uint8Array.from([...w.finish(), ...unknown]);
  const decoded = netconfCodec.decode(bytes);
  t.same(reencode(netconfCodec, bytes).bytes, bytes, 'the unknown attribute written back in place');
  t.equal(decoded.attrs.other?.[0]?.type, 9);
  t.strictSame({ ...toNetconf(decoded) }, { family: 'inet', index: 7, forwarding: true, rpFilter: 3 }, 'rp_filter 3 as a number; forwarding 2 is on');
  const p = new Printer(false);
  printNetconf(p, decoded, () => 'v7');
  t.equal(p.output(), 'inet v7 forwarding on rp_filter 3 \n', 'as ip prints them');
  const unknownFamily = new Printer(false);
  printNetconf(unknownFamily, { family: 99, attrs: { ifindex: -1 } }, () => 'x');
  t.equal(unknownFamily.output(), '??? all \n', "a family ip has no name for is ip's ???");
});

t.test('Deleted, MPLS\'s input, a message with the link alone; too short a payload is a DecodeError naming the struct', async (t) => {
  const deleted = { family: 2, attrs: { ifindex: 3 } };
  const text = new Printer(false);
  printNetconf(text, deleted, () => 'v0', { deleted: true });
  t.equal(text.output(), 'Deleted inet v0 \n', 'RTM_DELNETCONF says the link alone');
  const json = new Printer(true);
  json.listing = true;
  printNetconf(json, deleted, () => 'v0', { deleted: true });
  printNetconf(json, { family: 28, attrs: { ifindex: 3, input: 1 } }, () => 'v0');
  t.same(JSON.parse(json.output()), [{ deleted: true, family: 'inet', interface: 'v0' }, { family: 'mpls', interface: 'v0', input: true }]);
  const mpls = new Printer(false);
  printNetconf(mpls, { family: 28, attrs: { ifindex: 3, input: 0 } }, () => 'v0');
  t.equal(mpls.output(), 'mpls v0 input off \n');
  t.strictSame({ ...toNetconf(deleted) }, { family: 'inet', index: 3 }, 'no setting said: none typed');
  t.throws(() => netconfCodec.decode(new Uint8Array(0)), new DecodeError('netconfmsg payload is 0 bytes, shorter than its 1-byte header'));
  t.throws(() => netconfmsg.decode(new Uint8Array(0)), new DecodeError('netconfmsg is empty'));
});

t.test('a kernel that acknowledges a get without the entry, or with one that does not decode: a ProtocolError', async (t) => {
  using rt = RtNetlink.openSync({ transport: answering(RTM_NEWNETCONF) });
  await t.rejects(rt.netconf.get({ family: 'inet', dev: 'all' }), { name: ProtocolError.name, code: 'EPROTO', message: 'netconf inet all: the kernel acknowledged the request without the entry' });
  using bad = RtNetlink.openSync({ transport: answering(RTM_NEWNETCONF, []) });
  await t.rejects(bad.netconf.get({ family: 'inet', dev: 'all' }), { name: ProtocolError.name, message: 'undecodable netconf message: netconfmsg payload is 0 bytes, shorter than its 1-byte header' });
});

t.test('mergeNetconf(): what a notification says over what was known, in the usual order of keys', async (t) => {
  const before = toNetconf(dump[2], names); // inet v0
  const now = toNetconf(netconfCodec.decode(hex('02000000 08000100 03000000 08000300 01000000')), names); // rp_filter strict
  const merged = mergeNetconf(before, now);
  t.same(merged, { ...before, rpFilter: 'strict' });
  t.same(Object.keys(merged), Object.keys(before), 'the keys in toNetconf()\'s order');
  t.same(Object.keys(mergeNetconf({ family: 'inet', index: 3, forwarding: true }, { family: 'inet', index: 3, dev: 'v0', rpFilter: 'loose' })),
    ['family', 'index', 'dev', 'forwarding', 'rpFilter'], 'a name learnt later takes its usual place');
});

t.test('hostile bytes: decoding a netconf message works or throws DecodeError', async (t) => {
  fuzz(t, netconfCodec, vector('netconf/dump').replies.map((m) => m.payload));
});
