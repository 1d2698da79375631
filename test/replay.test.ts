// replay(): an rtmon recording as typed events, the monitor's shapes. Against the kernel: a
// recording of a macvlan made, switched from vepa to bridge, given an address and removed, told
// in order with rtmon's time stamps; then hand-built files: control messages passed over, a
// type no family reads as `unread`, and bytes that end early or do not decode as a
// ProtocolError after the events before them.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { replay, type ReplayEvent } from '../src/index.js';
import { ip, kernel, scratchNetns } from './helpers/kernel.js';
import { rtmonRecording } from './helpers/watch.js';

const line = (ev: ReplayEvent): string => {
  if (ev.type === 'stamp' || ev.type === 'unread') return ev.type;
  switch (ev.family) {
    case 'link': return `${ev.type} link ${ev.link.name ?? ''}${ev.link.info?.kind === 'macvlan' ? ` ${ev.link.info.data?.mode ?? ''}` : ''}`;
    case 'address': return `${ev.type} address ${ev.address.cidr} ${ev.address.dev ?? ''}`;
    default: return `${ev.type} ${ev.family}`;
  }
};

t.test('a recording: rtmon\'s stamps, its dump of the links, then each change as the monitor tells it, typed by kind', kernel, async (t) => {
  const ns = scratchNetns(t, 'rpl');
  ip(['link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'], { netns: ns });
  ip(['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  const file = await rtmonRecording(t, ns, () => {
    for (const l of ['link add mv0 link p0 type macvlan mode vepa', 'link set mv0 type macvlan mode bridge', 'address add 192.0.2.1/24 dev mv0']) ip(l.split(' '), { netns: ns });
    ip(['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.conf.mv0.forwarding=1']);
    ip(['link', 'del', 'mv0'], { netns: ns });
  });
  const bytes = readFileSync(file);
  const r = replay(bytes);
  const events = [...r];
  const changes = events.filter((e) => e.type !== 'stamp' && !(e.family === 'netconf' || e.family === 'route')).map(line);
  // The kernel tells no change of mode (the deletion shows it); p0 changes as a macvlan comes onto it and goes.
  t.same(changes, ['new link lo', 'new link p1', 'new link p0', 'change link p0', 'new link mv0 vepa', 'new address 192.0.2.1/24 mv0',
    'change link p0', 'del address 192.0.2.1/24 mv0', 'del link mv0 bridge'], 'the dump\'s links, then the changes, typed, named, new then change');
  const mv0 = events.find((e) => e.type === 'new' && e.family === 'link' && e.link.name === 'mv0');
  t.equal(mv0?.family === 'link' ? mv0.link.parentName : undefined, 'p0', 'a link\'s parent named from the links the recording told');
  // The kernel tells a netconf change with the setting that changed; the event has every setting, as heard before.
  const index = mv0?.family === 'link' ? mv0.link.index : -1;
  const netconf = events.filter((e) => e.family === 'netconf' && e.netconf.index === index && e.netconf.family === 'inet');
  t.same(netconf.map((e) => e.type), ['new', 'change', 'del'], 'mv0\'s settings made, changed, deleted');
  t.match(netconf[1], { netconf: { forwarding: true, rpFilter: 'off', proxyNeigh: false } }, 'the change merged with what was heard');
  t.same(netconf[2]?.family === 'netconf' ? Object.keys(netconf[2].netconf).sort() : [], ['dev', 'family', 'index'], 'a deletion as the kernel says it');
  t.same(events[0], { type: 'stamp', seconds: bytes.readUInt32LE(16), microseconds: bytes.readUInt32LE(20) }, 'the first message: a stamp, read as rtmon wrote it');
  const stamps = events.filter((e) => e.type === 'stamp').length;
  t.equal(stamps, 1 + (events.length - stamps - 3), 'a stamp before the first dump (its 3 links) and before every message after it');
  t.notOk(events.some((e) => e.type !== 'stamp' && 'source' in e), 'no sources unless asked');
  const indexOf = (name: string): number => { const e = events.find((x) => x.family === 'link' && x.link.name === name); return e?.family === 'link' ? e.link.index : 0; };
  t.equal(r.link(indexOf('p0'))?.name, 'p0', 'link(): a link as the recording last told it');
  t.equal(r.link(indexOf('mv0')), undefined, 'and none once deleted');
  t.same([...r].map(line), events.map(line), 'a second iteration tells the same, from the start');
  const withSources = [...replay(bytes, { sources: true })].find((e) => e.type === 'new' && e.family === 'address');
  t.match(withSources, { source: { family: 2, prefixlen: 24 } }, 'sources: the codec\'s message too');
});

/** A message of `type`, padded as rtmon writes it. */
function message(type: number, payload: number[] | Buffer, flags = 0): Buffer {
  const p = Buffer.from(payload);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(16 + p.length, 0);
  head.writeUInt16LE(type, 4);
  head.writeUInt16LE(flags, 6);
  return Buffer.concat([head, p, Buffer.alloc((4 - (p.length % 4)) % 4)]);
}

// ifinfomsg (index 5) with IFLA_IFNAME "x0".
const link = message(16, [0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 3, 0, 0x78, 0x30, 0]);
const stamp = message(15, [0x10, 0, 0, 0, 0x20, 0, 0, 0]);
// if_stats_msg of link 5, no attribute: what RTM_NEWSTATS on RTNLGRP_STATS says of a counter set switched.
const stats = message(92, [0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0]);
// ndmsg (AF_INET, link 5, NUD_INCOMPLETE) with NDA_DST 192.0.2.9: RTM_GETNEIGH, a solicitation asked of user space.
const solicit = message(30, [2, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 8, 0, 1, 0, 192, 0, 2, 9]);

t.test('hand-built recordings: control messages passed over, unread types handed on, a link named for what follows', async (t) => {
  const bytes = Buffer.concat([stamp, link, message(1, []), message(3, [0, 0, 0, 0]), message(2, new Array(20).fill(0)), message(200, [1, 2, 3], 5), stats, solicit]);
  const r = replay(bytes);
  const events = [...r];
  t.same(events.map(line), ['stamp', 'new link x0', 'unread', 'change stats', 'miss neighbour'], 'NOOP, DONE and ERROR said nothing');
  t.same(events[4], {
    type: 'miss', family: 'neighbour', via: 'notification', neighbour: { family: 'inet', index: 5, state: 'incomplete', flags: [], dev: 'x0', address: '192.0.2.9' },
  }, 'a neighbour solicitation: a miss, its link named');
  t.match(events[3], { family: 'stats', stats: { index: 5, dev: 'x0' } }, 'a told-only family: its link named');
  t.same(events[0], { type: 'stamp', seconds: 16, microseconds: 32 });
  t.match(events[2], { type: 'unread', message: { header: { type: 200, flags: 5, len: 19 }, payload: Buffer.from([1, 2, 3]) } });
  t.equal(r.link(5)?.name, 'x0', 'link(): as the recording told it');
  t.same([...replay(new Uint8Array(0))], [], 'an empty recording tells nothing');
});

t.test('bytes that do not form messages, or do not decode: ProtocolError with the byte, after the events before it', async (t) => {
  const upTo = (bytes: Buffer): { seen: string[]; error: unknown } => {
    const seen: string[] = [];
    try {
      for (const ev of replay(bytes)) seen.push(line(ev));
    } catch (error) {
      return { seen, error };
    }
    return { seen, error: undefined };
  };
  const cut = upTo(Buffer.concat([stamp, link.subarray(0, 20)]));
  t.same(cut.seen, ['stamp']);
  t.match(cut.error, { name: 'ProtocolError', code: 'EPROTO', message: /^undecodable recording: message claims 39 bytes, 20 remain \(at byte 24\)$/ });
  const header = upTo(Buffer.concat([stamp, Buffer.from([1, 2, 3])]));
  t.match(header.error, { name: 'ProtocolError', message: /3 bytes, too short for a netlink header \(at byte 24\)/ });
  const short = upTo(Buffer.concat([link, message(15, [1, 2, 3, 4])]));
  t.same(short.seen, ['new link x0']);
  t.match(short.error, { name: 'ProtocolError', message: /a time stamp of 4 bytes, expected 8 \(at byte 40\)/ });
  const bad = upTo(Buffer.concat([link, message(20, [2, 24])]));
  t.match(bad.error, { name: 'ProtocolError', message: /^undecodable recording: message at byte 40: address notification: / }, 'the family named');
  const tooShort = upTo(Buffer.from([8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  t.match(tooShort.error, { name: 'ProtocolError', message: /message claims 8 bytes/ });
});

t.test('what replay() refuses, naming it', async (t) => {
  t.throws(() => replay('bytes' as unknown as Uint8Array), { name: 'InvalidArgumentError', message: 'recording: the bytes of a recording are a Uint8Array (a Buffer), not string' });
  t.throws(() => replay(Buffer.alloc(0), { sources: 'yes' as unknown as boolean }), { name: 'InvalidArgumentError', message: /^replay options: sources / });
  t.throws(() => replay(Buffer.alloc(0), null as unknown as object), { name: 'InvalidArgumentError', message: /^replay options/ });
});
