// Link statistics without a kernel: what `ip stats` exchanged with this kernel (test/vectors/stats/,
// captured by its capture.sh) decodes and re-encodes to the same bytes, prints as ip printed it
// from those very answers, and the API builds the requests ip sent.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DecodeError } from '../codecs/netlink/errors.js';
import { ifStatsMsg, statsCodec, statsRequestCodec, type StatsMessage } from '../codecs/route/stats.js';
import { RTM_NEWSTATS } from '../codecs/route/constants.js';
import { ProtocolError, RtNetlink } from '../src/index.js';
import { statsRequest, toLinkStats } from '../src/api/stats.js';
import { LEAVES, printStats, printStatsNotification, type Leaf } from '../src/cli/format-stats.js';
import { requestFor } from '../src/cli/stats.js';
import { answering } from './helpers/answering.js';
import { Printer } from '../src/cli/print.js';
import { hex } from './helpers/bytes.js';
import { refusalOf } from './helpers/refusal.js';
import { fuzz, reencode, vector } from './helpers/rt-vectors.js';

const NAMES = ['set-l3-on', 'show', 'show-json', 'show-port', 'show-l3', 'show-offload'];
/** The links where the vectors were captured: lo, the bridge, the veth pair (p1 made as p0's peer first), the macvlan. */
const LINKS = new Map([[1, 'lo'], [2, 'br0'], [3, 'p1'], [4, 'p0'], [5, 'm0']]);

const linesOf = (name: string, kind: 'text' | 'json'): string[] => readFileSync(fileURLToPath(new URL(`../../test/vectors/stats/${name}.txt`, import.meta.url)), 'utf8')
  .split('\n').filter((l) => l.startsWith(`${kind} `)).map((l) => l.slice(kind.length + 1));
const decoded = (name: string): StatsMessage[] => vector(`stats/${name}`).replies.map((m) => statsCodec.decode(m.payload));
const leaves = (...paths: string[]): Leaf[] => LEAVES.filter((l) => paths.some((p) => l.path.join(' ').startsWith(p)));

t.test('every captured request and reply decodes and re-encodes to the same bytes', async (t) => {
  for (const name of NAMES) {
    const v = vector(`stats/${name}`);
    t.same(reencode(statsRequestCodec, v.request.payload).bytes, v.request.payload, `${name}: the request`);
    t.ok(name === 'set-l3-on' || v.replies.length > 0, `${name}: replies`);
    for (const m of v.replies) t.same(reencode(statsCodec, m.payload).bytes, m.payload, `${name}: ${v.command}`);
  }
  t.equal(vector('stats/show').replies.length, 5, 'one message a link in the dump');
});

t.test('a request for some of the offload group, and its answer, byte by byte', async (t) => {
  const v = vector('stats/show-l3');
  t.same(v.request.payload, hex(`
    00 00 0000                 # if_stats_msg: AF_UNSPEC, padding
    04000000                   # ifindex 4 (p0)
    08000000                   # filter_mask: IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_OFFLOAD_XSTATS)
    0c00 0180                  # IFLA_STATS_GET_FILTERS, NLA_F_NESTED
      0800 0400 06000000       #   IFLA_STATS_LINK_OFFLOAD_XSTATS: HW_S_INFO and L3_STATS (bits 1, 2)
  `), 'as ip sent it');
  t.same(v.replies[0].payload, hex(`
    00 00 0000 04000000 08000000   # if_stats_msg: p0, the offload group
    6800 0400                      # IFLA_STATS_LINK_OFFLOAD_XSTATS
      1800 0280                    #   IFLA_OFFLOAD_XSTATS_HW_S_INFO, NLA_F_NESTED
        1400 0380                  #     IFLA_OFFLOAD_XSTATS_L3_STATS, NLA_F_NESTED
          0500 0100 01 000000      #       IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST 1
          0500 0200 00 000000      #       IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED 0
      4c00 0300 ${'00'.repeat(72)} #   IFLA_OFFLOAD_XSTATS_L3_STATS: struct rtnl_hw_stats64, all 0
  `), 'as the kernel answered');
  t.same(toLinkStats(statsCodec.decode(v.replies[0].payload), LINKS), {
    index: 4, dev: 'p0',
    offload: {
      hwStatsInfo: { l3Stats: { request: true, used: false } },
      l3Stats: { rxPackets: 0n, txPackets: 0n, rxBytes: 0n, txBytes: 0n, rxErrors: 0n, txErrors: 0n, rxDropped: 0n, txDropped: 0n, multicast: 0n },
    },
  }, 'typed: the counter set asked for, not given by the hardware');
});

t.test('statsRequest() builds what ip sends', async (t) => {
  const request = (name: string): unknown => statsRequestCodec.decode(vector(`stats/${name}`).request.payload);
  t.same(statsRequest(0, {}, 's'), request('show'), 'every group, every part: no filters');
  t.same(statsRequest(4, { groups: ['xstatsSlave', 'link'] }, 's'), request('show-port'), 'two groups');
  t.same(statsRequest(4, { groups: ['offload'], offload: ['l3Stats', 'hwStatsInfo'] }, 's'), request('show-l3'), 'some of the offload group');
  t.same(statsRequest(0, { groups: ['offload'], offload: ['cpuHit', 'hwStatsInfo'] }, 's'), request('show-offload'), 'other parts of it');
  t.same(statsRequest(0, { groups: ['link'], offload: ['cpuHit'] }, 's').attrs, {}, 'parts of a group not asked for: no filter');
  t.same(statsRequestCodec.decode(vector('stats/set-l3-on').request.payload), { family: 0, ifindex: 4, filterMask: 0, attrs: { setOffloadXstatsL3Stats: 1 } }, 'set: the switch alone');
  const refusal = (what: unknown): string => refusalOf(() => statsRequest(0, what as never, 'stats filter'));
  t.equal(refusal({ groups: [] }), 'stats filter: groups is a non-empty array of link, xstats, xstatsSlave, offload, afstats');
  t.equal(refusal({ groups: 'link' }), 'stats filter: groups is a non-empty array of link, xstats, xstatsSlave, offload, afstats');
  t.equal(refusal({ groups: ['xstats_slave'] }), 'stats filter: groups: "xstats_slave" is not one of link, xstats, xstatsSlave, offload, afstats');
  t.equal(refusal({ offload: ['l3_stats'] }), 'stats filter: offload: "l3_stats" is not one of cpuHit, hwStatsInfo, l3Stats');
  t.equal(refusal({ groups: ['toString'] }), 'stats filter: groups: "toString" is not one of link, xstats, xstatsSlave, offload, afstats');
  t.equal(refusal({ groups: [{ toString: () => 'link' }] }), 'stats filter: groups: {} is not one of link, xstats, xstatsSlave, offload, afstats', 'a name, not what reads as one');
});

t.test('the command asks the kernel for what its selection prints, as ip asks', async (t) => {
  const request = (name: string): unknown => statsRequestCodec.decode(vector(`stats/${name}`).request.payload);
  const asked = (ifindex: number, ...paths: string[]): unknown => requestFor(leaves(...paths), ifindex);
  t.same(asked(0, ''), request('show'), 'everything');
  t.same(asked(4, 'xstats_slave', 'link'), request('show-port'), 'two groups');
  t.same(asked(4, 'offload l3_stats'), request('show-l3'), 'l3_stats: its counters and their state');
  t.same(asked(0, 'offload cpu_hit', 'offload hw_stats_info'), request('show-offload'), 'two parts of the offload group');
});

/** What printStats() prints of a vector's replies for those leaves: a blank line after each link of a dump, as ip. */
function printed(name: string, json: boolean, chosen: readonly Leaf[], level: number, dump: boolean): string {
  const p = new Printer(json, false, false);
  p.listing = true;
  for (const m of decoded(name)) {
    printStats(p, m, (i) => LINKS.get(i) ?? `if${i}`, chosen, level);
    if (dump) p.nl();
  }
  return p.output();
}
const text = (name: string): string => linesOf(name, 'text').map((l) => `${l}\n`).join('');

t.test('rtnl prints from the kernel\'s answers what ip printed from them', async (t) => {
  t.equal(printed('show', false, LEAVES, 1, true), text('show'), 'ip stats show');
  t.same(JSON.parse(printed('show-json', true, LEAVES, 1, true)), JSON.parse(linesOf('show-json', 'json')[0]), 'ip -j stats show');
  t.equal(printed('show-port', false, leaves('xstats_slave', 'link'), 2, false), text('show-port'), 'ip -s stats show dev p0 group xstats_slave group link');
  t.equal(printed('show-l3', false, leaves('offload l3_stats'), 1, false), text('show-l3'), 'ip stats show dev p0 group offload subgroup l3_stats');
  t.equal(printed('show-offload', false, leaves('offload cpu_hit', 'offload hw_stats_info'), 1, true), text('show-offload'), 'cpu_hit and hw_stats_info');
  t.match(text('show-port'), /STP BPDU: {2}RX: 0 TX: [1-9]/, 'the port had sent BPDUs: counters that are not all zero');
});

t.test('toLinkStats(): the groups typed, as ip -j lists them', async (t) => {
  const [, br0, , p0] = decoded('show-json').map((m) => toLinkStats(m, LINKS));
  const json = JSON.parse(linesOf('show-json', 'json')[0]) as Array<Record<string, unknown>>;
  const ipOf = (dev: string, group: string, subgroup?: string, suite?: string): Record<string, unknown> =>
    json.find((r) => r.ifname === dev && r.group === group && r.subgroup === subgroup && r.suite === suite) as Record<string, unknown>;
  const port = ipOf('p0', 'xstats_slave', 'bridge', 'stp').stp as Record<string, number>;
  t.same(p0.xstatsSlave?.bridge?.stp, {
    transitionBlk: BigInt(port.transition_blk), transitionFwd: BigInt(port.transition_fwd), rxBpdu: BigInt(port.rx_bpdu),
    txBpdu: BigInt(port.tx_bpdu), rxTcn: BigInt(port.rx_tcn), txTcn: BigInt(port.tx_tcn),
  }, 'the port\'s STP counters (its master\'s kind: xstatsSlave)');
  const link = (ipOf('p0', 'link').stats64 as Record<string, Record<string, number>>).rx;
  t.equal(p0.link?.rxBytes, BigInt(link.bytes), 'the link group: rtnl_link_stats64');
  t.equal(p0.offload?.hwStatsInfo?.l3Stats?.request, true, 'l3_stats asked for on p0');
  t.equal(br0.xstats?.bridge?.stp, undefined, 'a bridge sends no STP counters of its own');
  t.ok(br0.xstats?.bridge?.mcast, 'but its multicast ones');
  t.equal(br0.xstatsSlave, undefined, 'and none as a port');
  t.same(p0.afstats, {}, 'no MPLS in this kernel: the family group empty');
  t.same(Object.keys(JSON.parse(JSON.stringify(p0)) as object), ['index', 'dev', 'link', 'xstatsSlave', 'offload', 'afstats'], 'serialises, counters as strings');
  t.same(Object.keys(p0.xstatsSlave?.bridge ?? {}), ['mcast', 'stp'], 'only what the kernel sent: no key for the VLANs');
  t.same(Object.keys(br0.xstats?.bridge ?? {}), ['mcast']);
  t.equal((JSON.parse(JSON.stringify(p0)) as { link: { rxBytes: string } }).link.rxBytes, String(link.bytes));
});

t.test('groups this kernel did not send: a bond\'s 802.3ad counters, MPLS, what reached the CPU', async (t) => {
  // The kernel's layout for them (bond_fill_linkxstats(), mpls_fill_stats_af(), rtnl_offload_xstats_fill()); this kernel has neither bonds nor MPLS.
  const payload = hex(`
    00 00 0000 07000000 1e000000   # if_stats_msg: link 7; XSTATS, XSTATS_SLAVE, OFFLOAD_XSTATS, AF_SPEC
    6c00 0200                      # IFLA_STATS_LINK_XSTATS
      6800 0200                    #   LINK_XSTATS_TYPE_BOND
        6400 0100                  #     BOND_XSTATS_3AD: each counter n + 1, but LACPDU_TX (ip prints those present only)
          0c00 0000 0100000000000000  0c00 0200 0300000000000000  0c00 0300 0400000000000000  0c00 0400 0500000000000000
          0c00 0500 0600000000000000  0c00 0600 0700000000000000  0c00 0700 0800000000000000  0c00 0800 0900000000000000
    0400 0300                      # IFLA_STATS_LINK_XSTATS_SLAVE, empty
    d000 0400                      # IFLA_STATS_LINK_OFFLOAD_XSTATS
      cc00 0100 ${'00'.repeat(16)}0500000000000000${'00'.repeat(176)}  # IFLA_OFFLOAD_XSTATS_CPU_HIT: rx_bytes 5
    5400 0500                      # IFLA_STATS_AF_SPEC
      5000 1c00                    #   AF_MPLS
        4c00 0100 0100000000000000 146997be1c000000 ${'00'.repeat(48)}0800000000000000  # MPLS_STATS_LINK: rx 1, tx 123456678164 packets, rx_noroute 8
  `);
  t.same(reencode(statsCodec, payload).bytes, payload, 're-encodes to the same bytes');
  const m = statsCodec.decode(payload);
  const s = toLinkStats(m);
  t.same(s.xstats, { bond: { ad: { lacpduRx: 1n, lacpduUnknownRx: 3n, lacpduIllegalRx: 4n, markerRx: 5n, markerTx: 6n, markerRespRx: 7n, markerRespTx: 8n, markerUnknownRx: 9n } } });
  t.same(Object.keys(s.xstats?.bond?.ad ?? {}).length, 8, 'the absent one left out');
  const tx = statsCodec.decode(hex('00000000 07000000 02000000 1800 0200 1400 0200 1000 0100 0c00 0100 0200000000000000')); // LACPDU_TX 2 alone
  t.equal(printed2(tx, leaves('xstats bond')), '7: if7: group xstats subgroup bond suite 802.3ad\n                    LACPDU Tx 2\n\n');
  const txJson = new Printer(true);
  txJson.listing = true;
  printStats(txJson, tx, (i) => `if${i}`, leaves('xstats bond'), 1);
  t.same((JSON.parse(txJson.output()) as Array<Record<string, unknown>>)[0]['802.3ad'], { lacpdu_tx: 2 });
  t.same(s.xstatsSlave, {});
  t.equal(s.offload?.cpuHit?.rxBytes, 5n);
  t.same(s.afstats, { mpls: { rxPackets: 1n, txPackets: 123456678164n, rxBytes: 0n, txBytes: 0n, rxErrors: 0n, txErrors: 0n, rxDropped: 0n, txDropped: 0n, rxNoroute: 8n } });
  const at = (...paths: string[]): string => printed2(m, leaves(...paths));
  t.equal(at('xstats bond'), ['7: if7: group xstats subgroup bond suite 802.3ad', ...['LACPDU Rx 1', 'LACPDU Unknown type Rx 3', 'LACPDU Illegal Rx 4',
    'Marker Rx 5', 'Marker Tx 6', 'Marker response Rx 7', 'Marker response Tx 8', 'Marker unknown type Rx 9'].map((l) => `                    ${l}`), '', ''].join('\n'), 'as bond_print_3ad_stats()');
  t.equal(at('xstats_slave bond'), '7: if7: group xstats_slave subgroup bond suite 802.3ad\n', 'an empty group: the header alone');
  t.equal(at('afstats'), [
    '7: if7: group afstats subgroup mpls',
    '    RX: bytes      packets errors dropped noroute',
    '            0            1      0       0       8 ',
    '    TX: bytes      packets errors dropped',
    '            0 123456678164      0       0 ',
  ].join('\n') + '\n', 'as print_mpls_link_stats(): the columns as wide as TX\'s widest too');
  t.equal(at('offload hw_stats_info'), '7: if7: group offload subgroup hw_stats_info\n', 'a group without the part: the header alone');
  t.match(at('offload cpu_hit'), /^7: if7: group offload subgroup cpu_hit\n {4}RX: {2}bytes packets .*\n {13}5 {7}0 /, 'as print_stats64()');
  const p = new Printer(true);
  p.listing = true;
  printStats(p, m, (i) => `if${i}`, leaves('xstats bond', 'afstats'), 1);
  t.same(JSON.parse(p.output()), [
    { ifindex: 7, ifname: 'if7', group: 'afstats', subgroup: 'mpls', mpls_stats: { rx: { bytes: 0, packets: 1, errors: 0, dropped: 0, noroute: 8 }, tx: { bytes: 0, packets: 123456678164, errors: 0, dropped: 0 } } },
    {
      ifindex: 7, ifname: 'if7', group: 'xstats', subgroup: 'bond', suite: '802.3ad',
      '802.3ad': { lacpdu_rx: 1, lacpdu_unknown_rx: 3, lacpdu_illegal_rx: 4, marker_rx: 5, marker_tx: 6, marker_response_rx: 7, marker_response_tx: 8, marker_unknown_rx: 9 },
    },
  ], 'and in JSON');
});

t.test('a counter set asked for, its use not said; the state of none; a notification as ip monitor prints it', async (t) => {
  const m = statsCodec.decode(hex(`
    00 00 0000 04000000 08000000   # if_stats_msg: link 4, the offload group
    1400 0400                      # IFLA_STATS_LINK_OFFLOAD_XSTATS
      1000 0280                    #   IFLA_OFFLOAD_XSTATS_HW_S_INFO
        0c00 0380                  #     IFLA_OFFLOAD_XSTATS_L3_STATS
          0500 0100 01 000000      #       REQUEST 1, no USED
  `));
  t.strictSame({ ...toLinkStats(m).offload }, { hwStatsInfo: { l3Stats: { request: true } } }, 'no `used` key: the kernel did not say');
  t.equal(printed2(m, leaves('offload hw_stats_info', 'offload l3_stats')),
    '4: if4: group offload subgroup l3_stats on\n4: if4: group offload subgroup hw_stats_info\n    l3_stats on\n', 'ip prints what it was told');
  const none = statsCodec.decode(hex('00000000 04000000 08000000 0800 0400 0400 0280'));
  t.same(toLinkStats(none).offload, { hwStatsInfo: {} });
  t.equal(printed2(none, leaves('offload hw_stats_info')), '4: if4: group offload subgroup hw_stats_info\n\n', 'no counter set in it: a line break, as ip');
  const p = new Printer(false);
  printStatsNotification(p, statsCodec.decode(vector('stats/show-l3').replies[0].payload), (i) => LINKS.get(i) ?? `if${i}`);
  t.equal(p.output(), '4: p0:\n    l3_stats on used off\n', 'ipstats_print()');
});

t.test('a kernel that acknowledges a request without the counters, or with some that do not decode: a ProtocolError', async (t) => {
  using rt = RtNetlink.openSync({ transport: answering(RTM_NEWSTATS) });
  await t.rejects(rt.stats.get({ dev: 4 }), { name: ProtocolError.name, code: 'EPROTO', message: 'stats of 4: the kernel acknowledged the request without the counters' });
  await t.rejects(rt.stats.lookup(statsRequest(4, {}, 's')), { message: 'stats of link 4: the kernel acknowledged the request without the counters' }, 'lookup() names the link by its index');
  using bad = RtNetlink.openSync({ transport: answering(RTM_NEWSTATS, [0, 0, 0, 0]) });
  const undecodable = { name: ProtocolError.name, message: 'undecodable stats message: if_stats_msg payload is 4 bytes, shorter than its 12-byte header' };
  await t.rejects(bad.stats.get({ dev: 4 }), undecodable, 'get');
  await t.rejects(bad.stats.list({ dev: 4 }), undecodable, 'list of one link');
  await t.rejects(bad.stats.set({ dev: 4, l3Stats: true }), undecodable, 'set: the state after');
  using bare = RtNetlink.openSync({ transport: answering(RTM_NEWSTATS, [0, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0]) });
  t.same(Object.keys(await bare.stats.set({ dev: 4, l3Stats: true })), ['index'], 'resolves with what the kernel then said');
});

function printed2(m: StatsMessage, chosen: readonly Leaf[]): string {
  const p = new Printer(false);
  printStats(p, m, (i) => `if${i}`, chosen, 1);
  return p.output();
}

t.test('hostile bytes: a header cut short, a struct of the wrong size, random and mangled payloads', async (t) => {
  t.throws(() => statsCodec.decode(hex('00000000 04000000')), new DecodeError('if_stats_msg payload is 8 bytes, shorter than its 12-byte header'));
  t.throws(() => statsRequestCodec.decode(hex('00000000')), new DecodeError('if_stats_msg payload is 4 bytes, shorter than its 12-byte header'));
  t.throws(() => ifStatsMsg.decode(hex('00000000 04000000')), new DecodeError('if_stats_msg is 8 bytes, expected 12'));
  t.throws(() => statsCodec.decode(hex('00000000 04000000 04000000 1000 0200 0c00 0100 0800 0100 00000000')),
    new DecodeError('xstats: bridge: vlan: bridge_vlan_xstats is 4 bytes, expected 40'), 'a bridge VLAN counter of 4 bytes');
  fuzz(t, statsCodec, vector('stats/show').replies.map((m) => m.payload));
});

t.test('a bridge\'s per-VLAN counters (vlan_stats_enabled), byte by byte', async (t) => {
  const payload = hex(`
    00 00 0000 02000000 02000000   # if_stats_msg: link 2, IFLA_STATS_LINK_XSTATS
    3400 0200                      # IFLA_STATS_LINK_XSTATS
      3000 0100                    #   LINK_XSTATS_TYPE_BRIDGE
        2c00 0100                  #     BRIDGE_XSTATS_VLAN: struct bridge_vlan_xstats
          0001000000000000 0200000000000000 0003000000000000 0400000000000000  # rx_bytes 256, rx_packets 2, tx_bytes 768, tx_packets 4
          0a00 0600 00000000       #       vid 10, flags 6 (BRIDGE_VLAN_INFO_PVID | UNTAGGED), padding
  `);
  t.same(reencode(statsCodec, payload).bytes, payload, 're-encodes to the same bytes');
  t.same(toLinkStats(statsCodec.decode(payload)).xstats, { bridge: { vlan: [{ rxBytes: 256n, rxPackets: 2n, txBytes: 768n, txPackets: 4n, vid: 10, flags: 6 }] } });
});
