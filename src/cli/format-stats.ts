// A link's counters as `ip stats show` prints them (ip/ipstats.c ipstats_process_ifsm(), and the
// bridge's and bond's suites from ip/iplink_bridge.c and ip/iplink_bond.c): a line per leaf of
// ip's tree of groups that the command selected, its counters under it.
import type { LinkStats64 } from '../../codecs/route/link.js';
import type { BrMcastStats, BridgeStpXstats, HwStats64, MplsLinkStats, StatsMessage } from '../../codecs/route/stats.js';
import { printStats64, u64Json } from './format-link.js';
import { pad, printNum, sizeColumns, type Printer } from './print.js';

/** The levels of a selection: `group link`, `group xstats subgroup bridge suite stp`. */
export const LEVELS = ['group', 'subgroup', 'suite'] as const;

type Attrs = StatsMessage['attrs'];

/** A leaf of ip's tree: its path (group, subgroup, suite) and how it prints a message's part. */
export interface Leaf {
  path: readonly string[];
  /** Prints after the leaf's header; `level` is how many -s (print_stats64's show_stats). */
  show(p: Printer, a: Attrs, level: number): void;
}

/** A counter's text as print_u64() gives it for `%llu`. */
const u64 = (p: Printer, key: string, fmt: string, v: bigint | undefined): void => {
  u64Json(p, key, v ?? 0n);
  p.fp(fmt.replace('%llu', String(v ?? 0n)));
};

/** ipstats_show_64(): a struct rtnl_link_stats64 under "stats64", after a line break. */
function show64(p: Printer, s: LinkStats64 | undefined, level: number): void {
  p.nl();
  if (!s) return;
  p.openObject('stats64');
  printStats64(p, s, undefined, level);
  p.closeObject();
}

/** print_on_off() of a state that is there (ipstats_print_moo()). */
function onOff(p: Printer, key: string, fmt: string, v: number | undefined): void {
  if (v === undefined) return;
  p.jsonOnly(key, v !== 0);
  p.fp(fmt.replace('%s', v !== 0 ? 'on' : 'off'));
}

type HwInfo = { request?: number; used?: number };
const l3Info = (a: Attrs): HwInfo | undefined => a.offloadXstats?.hwStatsInfo?.l3Stats;

/** __ipstats_show_hw_s_info_one(). */
function showInfoOne(p: Printer, info: HwInfo | undefined): void {
  if (!info) return;
  onOff(p, 'request', ' %s', info.request);
  onOff(p, 'used', ' used %s', info.used);
}

/** A counter of a column: its JSON key, its header (where ip words it otherwise), its value. */
type Column = [key: string, value: bigint | undefined, header?: string];

/**
 * Counters in columns under their headers, four columns in, RX then TX (print_hw_stats64(),
 * print_mpls_link_stats()); with -j, "rx" and "tx" objects.
 */
function printColumns(p: Printer, rx: Column[], tx: Column[]): void {
  if (p.json) {
    for (const [dir, cs] of [['rx', rx], ['tx', tx]] as const) {
      p.openObject(dir);
      for (const [key, v] of cs) u64Json(p, key, v ?? 0n);
      p.closeObject();
    }
    return;
  }
  const num = printNum(p.human);
  const cols = [9, 7, 6, 7, 7];
  const size = sizeColumns(p.human);
  size(cols, rx.map(([, v]) => v ?? 0n));
  size(cols, [...tx.map(([, v]) => v ?? 0n), 0n]);
  const header = (dir: string, cs: Column[]): string => `    ${dir}: ${cs.map(([key, , h], i) => pad(i === 0 ? cols[0] - 4 : cols[i], h ?? key)).join(' ')}`;
  const values = (cs: Column[]): string => `    ${cs.map(([, v], i) => num(cols[i], v ?? 0n)).join('')}`;
  p.fp(`${header('RX', rx)}${p.sl}${values(rx)}${p.sl}${header('TX', tx)}${p.sl}${values(tx)}`);
}

/** The four counters each direction has, in ip's order. */
const fourOf = (bytes: bigint | undefined, packets: bigint | undefined, errors: bigint | undefined, dropped: bigint | undefined): Column[] =>
  [['bytes', bytes], ['packets', packets], ['errors', errors], ['dropped', dropped]];

const printHw64 = (p: Printer, s: HwStats64): void => printColumns(p,
  [...fourOf(s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped), ['multicast', s.multicast, 'mcast']], fourOf(s.txBytes, s.txPackets, s.txErrors, s.txDropped));

const printMpls = (p: Printer, s: MplsLinkStats): void => printColumns(p,
  [...fourOf(s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped), ['noroute', s.rxNoroute]], fourOf(s.txBytes, s.txPackets, s.txErrors, s.txDropped));

/** Where the bridge's and bond's suites put their lines: under the 16 columns of a name ip no longer prints. */
const MARGIN = `${''.padEnd(16)}    `;

/** RX and TX of each IGMP/MLD counter (bridge_print_stats_mcast()). */
export function printMcast(p: Printer, m: BrMcastStats): void {
  const versions = (key: string, title: string, kind: 'Queries' | 'Reports', proto: 'igmp' | 'mld', n: number): void => {
    p.openObject(key);
    p.fp(`${MARGIN}${title}:\n`);
    for (const dir of ['Rx', 'Tx'] as const) {
      p.fp(`${MARGIN}  ${dir.toUpperCase()}: `);
      for (let v = 1; v <= n; v++) {
        const c = m[`${proto}V${v}${kind}${dir}` as keyof BrMcastStats] as bigint | undefined;
        u64(p, `${dir.toLowerCase()}_v${v}`, `v${v} %llu${v === n ? '\n' : ' '}`, c);
      }
    }
    p.closeObject();
  };
  const leaves = (key: string, title: string, rx: bigint | undefined, tx: bigint | undefined): void => {
    p.openObject(key);
    p.fp(`${MARGIN}${title}: `);
    u64(p, 'rx', 'RX: %llu ', rx);
    u64(p, 'tx', 'TX: %llu\n', tx);
    p.closeObject();
  };
  p.openObject('multicast');
  versions('igmp_queries', 'IGMP queries', 'Queries', 'igmp', 3);
  versions('igmp_reports', 'IGMP reports', 'Reports', 'igmp', 3);
  leaves('igmp_leaves', 'IGMP leaves', m.igmpLeavesRx, m.igmpLeavesTx);
  p.fp(`${MARGIN}IGMP parse errors: `);
  u64(p, 'igmp_parse_errors', '%llu\n', m.igmpParseErrors);
  versions('mld_queries', 'MLD queries', 'Queries', 'mld', 2);
  versions('mld_reports', 'MLD reports', 'Reports', 'mld', 2);
  leaves('mld_leaves', 'MLD leaves', m.mldLeavesRx, m.mldLeavesTx);
  p.fp(`${MARGIN}MLD parse errors: `);
  u64(p, 'mld_parse_errors', '%llu\n', m.mldParseErrors);
  p.closeObject();
}

export function printStp(p: Printer, s: BridgeStpXstats): void {
  p.openObject('stp');
  p.fp(`${MARGIN}STP BPDU:  `);
  u64(p, 'rx_bpdu', 'RX: %llu ', s.rxBpdu);
  u64(p, 'tx_bpdu', 'TX: %llu\n', s.txBpdu);
  p.fp(`${MARGIN}STP TCN:   `);
  u64(p, 'rx_tcn', 'RX: %llu ', s.rxTcn);
  u64(p, 'tx_tcn', 'TX: %llu\n', s.txTcn);
  p.fp(`${MARGIN}STP Transitions: `);
  u64(p, 'transition_blk', 'Blocked: %llu ', s.transitionBlk);
  u64(p, 'transition_fwd', 'Forwarding: %llu\n', s.transitionFwd);
  p.closeObject();
}

type Bond3ad = NonNullable<NonNullable<NonNullable<Attrs['xstats']>['bond']>['ad']>;
/** bond_print_3ad_stats(): each counter the kernel sent, in its order. */
const BOND_3AD: ReadonlyArray<[Exclude<keyof Bond3ad, 'other'>, string, string]> = [
  ['lacpduRx', 'lacpdu_rx', 'LACPDU Rx'], ['lacpduTx', 'lacpdu_tx', 'LACPDU Tx'],
  ['lacpduUnknownRx', 'lacpdu_unknown_rx', 'LACPDU Unknown type Rx'], ['lacpduIllegalRx', 'lacpdu_illegal_rx', 'LACPDU Illegal Rx'],
  ['markerRx', 'marker_rx', 'Marker Rx'], ['markerTx', 'marker_tx', 'Marker Tx'],
  ['markerRespRx', 'marker_response_rx', 'Marker response Rx'], ['markerRespTx', 'marker_response_tx', 'Marker response Tx'],
  ['markerUnknownRx', 'marker_unknown_rx', 'Marker unknown type Rx'],
];

function print3ad(p: Printer, s: Bond3ad): void {
  p.openObject('802.3ad');
  for (const [key, json, text] of BOND_3AD) {
    const v = s[key];
    if (v === undefined) continue;
    p.fp(MARGIN);
    u64(p, json, `${text} %llu\n`, v);
  }
  p.closeObject();
}

type XstatsKey = 'xstats' | 'xstatsSlave';

/** ipstats_stat_desc_show_xstats(): the suite's counters when the link's kind (or its master's) sent them. */
function xstatsLeaf<T>(group: string, at: XstatsKey, subgroup: 'bridge' | 'bond', suite: string, pick: (x: NonNullable<Attrs[XstatsKey]>) => T | undefined, print: (p: Printer, v: T) => void): Leaf {
  return {
    path: [group, subgroup, suite],
    show(p, a) {
      const x = a[at];
      const v = x === undefined ? undefined : pick(x);
      if (v === undefined) return;
      p.nl();
      print(p, v);
    },
  };
}

const bridgeLeaves = (group: string, at: XstatsKey): Leaf[] => [
  xstatsLeaf(group, at, 'bridge', 'mcast', (x) => x.bridge?.mcast, printMcast),
  xstatsLeaf(group, at, 'bridge', 'stp', (x) => x.bridge?.stp, printStp),
];
const bondLeaf = (group: string, at: XstatsKey): Leaf => xstatsLeaf(group, at, 'bond', '802.3ad', (x) => x.bond?.ad, print3ad);

/** hw_stats_info: each counter set's state, asked for and given (what a notification says too). */
const hwStatsInfo: Leaf = {
  path: ['offload', 'hw_stats_info'],
  show(p, a) {
    if (!a.offloadXstats?.hwStatsInfo) return;
    p.nl();
    p.openObject('info');
    const info = l3Info(a);
    if (info) {
      p.fp('    l3_stats');
      p.openObject('l3_stats');
      showInfoOne(p, info);
      p.closeObject();
    }
    p.closeObject();
  },
};

/**
 * Every leaf, in the order ip 6.1 prints them: it sorts what is selected by where its tables lie
 * in its binary, which is this order in Debian's build (whatever order the words came in).
 */
export const LEAVES: readonly Leaf[] = [
  {
    path: ['afstats', 'mpls'],
    show(p, a) {
      const s = a.afSpec?.mpls?.link;
      if (!s) return;
      p.nl();
      p.openObject('mpls_stats');
      printMpls(p, s);
      p.closeObject();
    },
  },
  { path: ['link'], show: (p, a, level) => show64(p, a.link64, level) },
  {
    path: ['offload', 'l3_stats'],
    show(p, a) {
      if (!a.offloadXstats?.hwStatsInfo) return;
      p.openObject('info');
      showInfoOne(p, l3Info(a));
      p.closeObject();
      const s = a.offloadXstats.l3Stats;
      if (!s) return;
      p.nl();
      p.openObject('stats64');
      printHw64(p, s);
      p.closeObject();
    },
  },
  hwStatsInfo,
  { path: ['offload', 'cpu_hit'], show: (p, a, level) => show64(p, a.offloadXstats?.cpuHit, level) },
  bondLeaf('xstats_slave', 'xstatsSlave'),
  bondLeaf('xstats', 'xstats'),
  ...bridgeLeaves('xstats_slave', 'xstatsSlave'),
  ...bridgeLeaves('xstats', 'xstats'),
];

/** ipstats_process_ifsm(): the message's link, then each leaf's header and counters. */
export function printStats(p: Printer, m: StatsMessage, name: (index: number) => string, leaves: readonly Leaf[], level: number): void {
  for (const leaf of leaves) {
    p.openObject();
    p.any('ifindex', '%s:', m.ifindex);
    p.colored('ifname', 'ifname', ' %s:', name(m.ifindex));
    leaf.path.forEach((sel, i) => {
      p.jsonOnly(LEVELS[i], sel);
      p.fp(` ${LEVELS[i]} ${sel}`);
    });
    leaf.show(p, m.attrs, level);
    p.closeObject();
    p.nl();
  }
}

/** ipstats_print(): a notification (`ip monitor stats`): the link, then its counter sets' state, under no header. */
export function printStatsNotification(p: Printer, m: StatsMessage, name: (index: number) => string): void {
  printStats(p, m, name, [{ path: [], show: hwStatsInfo.show }], 0);
}
