// A link as `ip link show` prints it (ip/ipaddress.c print_linkinfo), text or JSON, and the
// per-kind details of -d (ip/iplink_*.c print_opt) for the kinds we cover.
import type { Link, LinkStats64 } from '../../codecs/route/link.js';
import type { MacvlanData } from '../../codecs/route/link-kinds/macvlan.js';
import { printBridge, printBridgePort, printIpvlan, printTun, printVlan, printVxlan, type IndexNames } from './format-link-kinds.js';
import { printVfs } from './format-vf.js';
import { llAddrText, llTypeName } from './ll-names.js';
import { printXdpMode, printXdpPrograms } from './format-xdp.js';
import { groups, protodownReasons } from './name-db.js';
import { RawJson, pad, printNum, sizeColumns, type Color, type Printer } from './print.js';

/** What the formatter needs besides the link: names of other links, names of namespaces by nsid. */
export interface LinkNames {
  name(index: number): string;
  flagsOf(index: number): Array<string | number> | undefined;
  netnsName(nsid: number): string | undefined;
}

// print_link_flags(): this order, RUNNING never shown, NO-CARRIER when up without it.
const FLAG_ORDER = [
  'loopback', 'broadcast', 'pointopoint', 'multicast', 'noarp', 'allmulti', 'promisc', 'master', 'slave', 'debug',
  'dynamic', 'automedia', 'portsel', 'notrailers', 'up', 'lower_up', 'dormant', 'echo',
] as const;

export function printLinkFlags(p: Printer, flags: ReadonlyArray<string | number>, mdown: boolean): void {
  const names: string[] = [];
  if (flags.includes('up') && !flags.includes('running')) names.push('NO-CARRIER');
  for (const f of FLAG_ORDER) if (flags.includes(f)) names.push(f.toUpperCase());
  const rest = flags.filter((f): f is number => typeof f === 'number').reduce((a, b) => a | b, 0);
  if (rest) names.push(rest.toString(16));
  p.openArray('flags', '<');
  names.forEach((n, i) => p.any(null, i < names.length - 1 ? '%s,' : '%s', n));
  if (mdown) p.any(null, ',%s', 'M-DOWN');
  p.closeArray('> ');
}

const upper = (v: string | number | undefined): string => String(v ?? 'unknown').toUpperCase();

/** The global options a link's printing depends on. */
export interface LinkView {
  details: boolean;
  /** The address family asked for (-4, -6, -0): 0 for all. */
  family: number;
  /** -s given once (1) or twice (2). */
  stats: number;
  brief: boolean;
  /** RTM_DELLINK (ip monitor): `Deleted ` first. */
  deleted?: boolean;
  /** false: no `qlen` (ip monitor's print_linkinfo, whose filter.showqueue is off). */
  queue?: boolean;
}

/** link_events[]: IFLA_EVENT_* as ip words them (IFLA_EVENT_NONE is not printed). */
const LINK_EVENTS = ['NONE', 'REBOOT', 'FEATURE CHANGE', 'BONDING FAILOVER', 'NOTIFY PEERS', 'RESEND IGMP', 'BONDING OPTION'];

/** print_linkinfo(): `doLink` is true for `ip link`, false for the link lines of `ip address`. */
export function printLink(p: Printer, l: Link, names: LinkNames, v: LinkView, doLink: boolean): void {
  p.openObject();
  if (v.deleted) p.bool('deleted', 'Deleted ');
  if (v.brief) return printLinkBrief(p, l, names, v.family);
  p.any('ifindex', '%s: ', l.index);
  const mdown = printNameAndLink(p, l, names, (s) => `${s}: `);
  printLinkFlags(p, l.flags, mdown);
  if (l.mtu !== undefined) p.any('mtu', 'mtu %s ', l.mtu);
  printXdpMode(p, l.xdp, doLink, v.details);
  if (l.qdisc !== undefined) p.any('qdisc', 'qdisc %s ', l.qdisc);
  if (l.master !== undefined) p.any('master', 'master %s ', names.name(l.master));
  if (l.operstate !== undefined) printOperstate(p, l.operstate, false);
  if (doLink && l.linkmode !== undefined) p.any('linkmode', 'mode %s ', upper(l.linkmode));
  if (l.group !== undefined) {
    const name = groups.name(l.group); // rtnl_group_n2a() reads its file even under -N (a corrupt one's warning printed then too)
    p.any('group', 'group %s ', p.numeric ? String(l.group) : String(name));
  }
  if (l.txqlen && v.queue !== false) p.any('txqlen', 'qlen %s', l.txqlen);
  // IFLA_EVENT: in notifications only (ip monitor), what made the kernel tell.
  if (l.event) p.any('event', 'event %s ', LINK_EVENTS[l.event] ?? l.event);
  // The link-layer line is left out when an address family (-4, -6) was asked for.
  if (v.family === 0 || v.family === 17 || v.details) printLinkLayer(p, l);
  if (l.linkNsid !== undefined) {
    const id = l.linkNsid;
    const ns = id >= 0 ? names.netnsName(id) : undefined;
    if (p.json) p.jsonOnly('link_netnsid', id);
    else p.fp(ns !== undefined ? ` link-netns ${ns}` : ` link-netnsid ${id >= 0 ? id : 'unknown'}`);
  }
  // Where a link moved to (its RTM_DELLINK in the namespace it left): text only, as ip.
  if (l.newNsid !== undefined) {
    const ns = names.netnsName(l.newNsid);
    p.fp(ns !== undefined ? ` new-netns ${ns}` : ` new-netnsid ${l.newNsid}`);
  }
  if (l.newIfindex !== undefined) p.fp(` new-ifindex ${l.newIfindex}`);
  if (l.protoDown) p.bool('proto_down', ' protodown on ');
  if (l.protoDown !== undefined) printProtoDownReason(p, l.protoDownReason?.value ?? 0);
  if (v.details) printDetails(p, l, names, doLink);
  if ((doLink || v.details) && l.alias !== undefined) {
    p.nl();
    p.any('ifalias', '    alias %s', l.alias);
  }
  if (doLink || v.details) printXdpPrograms(p, l.xdp, v.details);
  if (doLink && v.stats) {
    p.nl();
    printLinkStats(p, l, v.stats);
  }
  if (doLink || v.details) printVfs(p, l, linkTypeWord(p, l), v.stats > 0);
  if (l.altNames?.length) {
    p.openArray('altnames');
    for (const n of l.altNames) {
      p.nl();
      p.any(null, '    altname %s', n);
    }
    p.closeArray();
  }
  p.fp('\n');
}

/**
 * print_name_and_link(): `name@parent` through `fmt` (text), "link" or "link_index" then
 * "ifname" (JSON). True when the parent is down (M-DOWN).
 */
function printNameAndLink(p: Printer, l: Link, names: LinkNames, fmt: (s: string) => string): boolean {
  const name = l.name ?? '';
  const parent = l.parent;
  const local = l.linkNsid === undefined;
  if (parent === 0) {
    // IFLA_LINK 0: a veth peer announced before its other end exists.
    p.jsonOnly('link', null);
    p.jsonOnly('ifname', name);
    p.fp(p.paint(fmt(`${name}@NONE`), 'ifname'));
    return false;
  }
  if (parent) {
    if (local) p.jsonOnly('link', names.name(parent));
    else p.jsonOnly('link_index', parent);
  }
  p.jsonOnly('ifname', name);
  p.fp(p.paint(fmt(parent ? `${name}@${local ? names.name(parent) : `if${parent}`}` : name), 'ifname'));
  // A parent ip does not know (a bridge port's message has no IFLA_LINK_NETNSID for a peer in another
  // namespace) has all flags set (ll_index_to_flags() gives -1): up.
  const flags = parent && local ? names.flagsOf(parent) : undefined;
  return flags !== undefined && !flags.includes('up');
}

const OPERSTATE_NAMES = new Set(['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up']);

/** oper_state_color(): up green, down red, the rest plain. */
const operColor = (state: string): Color | undefined => (state === 'up' ? 'up' : state === 'down' ? 'down' : undefined);

/**
 * print_proto_down()'s reasons: `protodown_reason <0,3>`, each bit by its name. ip 6.1 reads
 * only the low 8 bits, and only on a link with a broadcast address (it tests the link's own
 * attribute of the number IFLA_PROTO_DOWN_REASON_VALUE has): rtnl prints every bit set.
 */
function printProtoDownReason(p: Printer, reasons: number): void {
  if (reasons === 0) return;
  p.openArray('proto_down_reason', 'protodown_reason <');
  const bits = [...Array(32).keys()].filter((i) => (reasons >>> i) & 1);
  bits.forEach((i, n) => p.any(null, n === 0 ? '%s' : ',%s', p.named(i, protodownReasons.name)));
  p.closeArray('>');
}

/** print_operstate(): `state UP ` or, brief, `UP` padded to 14; a value past the known ones as ip shows it. */
function printOperstate(p: Printer, state: string | number, brief: boolean): void {
  if (typeof state === 'number' || !OPERSTATE_NAMES.has(state)) {
    const n = Number(state);
    if (p.json) p.jsonOnly('operstate_index', n);
    else p.fp(`state 0x${n.toString(16)}`);
  } else {
    p.jsonOnly('operstate', state.toUpperCase());
    p.fp(brief ? p.paint(`${state.toUpperCase().padEnd(14)} `, operColor(state)) : `state ${p.paint(`${state.toUpperCase()} `, operColor(state))}`);
  }
}

/** print_linkinfo_brief(): the name and state in columns; for `link` (family AF_PACKET) the address and flags. */
function printLinkBrief(p: Printer, l: Link, names: LinkNames, family: number): void {
  const mdown = printNameAndLink(p, l, names, (s) => `${s.padEnd(16)} `);
  if (l.operstate !== undefined) printOperstate(p, l.operstate, true);
  if (family !== 17) return;
  if (l.address !== undefined) p.colored('mac', 'address', '%s ', llAddrText(l.address, l.type));
  printLinkFlags(p, l.flags, mdown);
  p.fp('\n');
}

type Counter = Exclude<keyof LinkStats64, 'more'>;

/**
 * print_stats64() for __print_link_stats(): the RX and TX counters (`-s`) and their error
 * counters (`-s -s`), text in columns or JSON under "stats64". Nothing without IFLA_STATS64.
 */
export function printLinkStats(p: Printer, l: Link, level: number): void {
  if (!l.stats64) return;
  p.openObject('stats64');
  printStats64(p, l.stats64, l.carrierChanges === undefined ? undefined : BigInt(l.carrierChanges), level);
  p.closeObject();
}

/** print_stats64(): a struct rtnl_link_stats64 (a link's, or `ip stats`'), `cc` the carrier changes when known. */
export function printStats64(p: Printer, s: LinkStats64, cc: bigint | undefined, level: number): void {
  const c = (k: Counter): bigint => s[k] ?? 0n;
  if (p.json) statsJson(p, c, cc, level > 1);
  else p.fp(statsText(c, cc, level > 1, p.sl, p.human));
}

/** A counter as a JSON number (u64, written as digits). */
export const u64Json = (p: Printer, key: string, v: bigint): void => p.jsonOnly(key, new RawJson(String(v)));

/** The counters as JSON numbers. */
function statsJson(p: Printer, c: (k: Counter) => bigint, cc: bigint | undefined, more: boolean): void {
  const u64 = (key: string, v: bigint): void => u64Json(p, key, v);
  p.openObject('rx');
  u64('bytes', c('rxBytes')); u64('packets', c('rxPackets')); u64('errors', c('rxErrors')); u64('dropped', c('rxDropped'));
  u64('over_errors', c('rxOverErrors')); u64('multicast', c('multicast'));
  if (c('rxCompressed')) u64('compressed', c('rxCompressed'));
  if (more) {
    u64('length_errors', c('rxLengthErrors')); u64('crc_errors', c('rxCrcErrors')); u64('frame_errors', c('rxFrameErrors'));
    u64('fifo_errors', c('rxFifoErrors')); u64('missed_errors', c('rxMissedErrors'));
    if (c('rxNohandler')) u64('nohandler', c('rxNohandler'));
    if (c('rxOtherhostDropped')) u64('otherhost', c('rxOtherhostDropped'));
  }
  p.closeObject();
  p.openObject('tx');
  u64('bytes', c('txBytes')); u64('packets', c('txPackets')); u64('errors', c('txErrors')); u64('dropped', c('txDropped'));
  u64('carrier_errors', c('txCarrierErrors')); u64('collisions', c('collisions'));
  if (c('txCompressed')) u64('compressed', c('txCompressed'));
  if (more) {
    u64('aborted_errors', c('txAbortedErrors')); u64('fifo_errors', c('txFifoErrors'));
    u64('window_errors', c('txWindowErrors')); u64('heartbeat_errors', c('txHeartbeatErrors'));
    if (cc !== undefined) u64('carrier_changes', cc);
  }
  p.closeObject();
}

/** The counters in columns, lines joined by `sl`; no newline at the end. */
function statsText(c: (k: Counter) => bigint, cc: bigint | undefined, more: boolean, sl: string, human: number): string {
  const num = printNum(human);
  const size = sizeColumns(human);
  // The widths of "*X errors:", "packets", "errors", "dropped", "heartbt", "overrun", "compressed", "otherhost".
  const cols = [10, 7, 6, 7, 7, 7, 10, 9];
  size(cols, [c('rxBytes'), c('rxPackets'), c('rxErrors'), c('rxDropped'), c('rxMissedErrors'), c('multicast'), c('rxCompressed'), 0n]);
  if (more) {
    size(cols, [0n, c('rxLengthErrors'), c('rxCrcErrors'), c('rxFrameErrors'), c('rxFifoErrors'), c('rxOverErrors'),
      c('rxNohandler'), c('rxOtherhostDropped')]);
  }
  size(cols, [c('txBytes'), c('txPackets'), c('txErrors'), c('txDropped'), c('txCarrierErrors'), c('collisions'), c('txCompressed'), 0n]);
  // iproute2 sizes the TX error columns one place off from where it prints them: copied.
  if (more) size(cols, [0n, 0n, c('txAbortedErrors'), c('txFifoErrors'), c('txWindowErrors'), c('txHeartbeatErrors'), cc ?? 0n, 0n]);
  let t = `    RX: ${pad(cols[0] - 4, 'bytes')} ${pad(cols[1], 'packets')} ${pad(cols[2], 'errors')} ${pad(cols[3], 'dropped')} `
    + `${pad(cols[4], 'missed')} ${pad(cols[5], 'mcast')} ${pad(cols[6], c('rxCompressed') ? 'compressed' : '')}${sl}`;
  t += `    ${num(cols[0], c('rxBytes'))}${num(cols[1], c('rxPackets'))}${num(cols[2], c('rxErrors'))}${num(cols[3], c('rxDropped'))}`
    + `${num(cols[4], c('rxMissedErrors'))}${num(cols[5], c('multicast'))}`;
  if (c('rxCompressed')) t += num(cols[6], c('rxCompressed'));
  if (more) {
    const nohandler = c('rxNohandler');
    const otherhost = c('rxOtherhostDropped');
    t += `${sl}    RX errors:${pad(cols[0] - 10, '')} ${pad(cols[1], 'length')} ${pad(cols[2], 'crc')} ${pad(cols[3], 'frame')} `
      + `${pad(cols[4], 'fifo')} ${pad(cols[5], 'overrun')}${pad(nohandler ? cols[6] + 1 : 0, nohandler ? ' nohandler' : '')}`
      + `${pad(otherhost ? cols[7] + 1 : 0, otherhost ? ' otherhost' : '')}${sl}`;
    t += `${pad(cols[0] + 5, '')}${num(cols[1], c('rxLengthErrors'))}${num(cols[2], c('rxCrcErrors'))}${num(cols[3], c('rxFrameErrors'))}`
      + `${num(cols[4], c('rxFifoErrors'))}${num(cols[5], c('rxOverErrors'))}`;
    if (nohandler) t += num(cols[6], nohandler);
    if (otherhost) t += num(cols[7], otherhost);
  }
  t += sl;
  t += `    TX: ${pad(cols[0] - 4, 'bytes')} ${pad(cols[1], 'packets')} ${pad(cols[2], 'errors')} ${pad(cols[3], 'dropped')} `
    + `${pad(cols[4], 'carrier')} ${pad(cols[5], 'collsns')} ${pad(cols[6], c('txCompressed') ? 'compressed' : '')}${sl}`;
  t += `    ${num(cols[0], c('txBytes'))}${num(cols[1], c('txPackets'))}${num(cols[2], c('txErrors'))}${num(cols[3], c('txDropped'))}`
    + `${num(cols[4], c('txCarrierErrors'))}${num(cols[5], c('collisions'))}`;
  if (c('txCompressed')) t += num(cols[6], c('txCompressed'));
  if (more) {
    t += `${sl}    TX errors:${pad(cols[0] - 10, '')} ${pad(cols[1], 'aborted')} ${pad(cols[2], 'fifo')} ${pad(cols[3], 'window')} `
      + `${pad(cols[4], 'heartbt')} ${pad(cols[5], cc !== undefined ? 'transns' : '')}${sl}`;
    t += `${pad(cols[0] + 5, '')}${num(cols[1], c('txAbortedErrors'))}${num(cols[2], c('txFifoErrors'))}${num(cols[3], c('txWindowErrors'))}`
      + `${num(cols[4], c('txHeartbeatErrors'))}`;
    if (cc !== undefined) t += num(cols[5], cc);
  }
  return t;
}

const linkTypeWord = (p: Printer, l: Link): string => llTypeName(l.type, p.numeric);

function printLinkLayer(p: Printer, l: Link): void {
  p.nl();
  p.any('link_type', '    link/%s ', linkTypeWord(p, l));
  if (l.address !== undefined) p.colored('mac', 'address', '%s', llAddrText(l.address, l.type));
  if (l.broadcast !== undefined) {
    if (l.flags.includes('pointopoint')) {
      p.fp(' peer ');
      p.jsonOnly('link_pointtopoint', true);
    } else {
      p.fp(' brd ');
    }
    p.colored('mac', 'broadcast', '%s', llAddrText(l.broadcast, l.type));
  }
  if (l.permAddress !== undefined && l.permAddress !== l.address) {
    p.fp(' permaddr ');
    p.colored('mac', 'permaddr', '%s', llAddrText(l.permAddress, l.type));
  }
}

const ADDR_GEN_MODES: Record<string, string> = { eui64: 'eui64', none: 'none', stable_secret: 'stable_secret', random: 'random' };

/** hexstring_n2a() into ip's 64-byte buffer: two lower-case digits a byte, at most 31 bytes (a 32-byte id loses its last). */
const hexstring = (b: Uint8Array): string => Buffer.from(b.subarray(0, 31)).toString('hex');

function printDetails(p: Printer, l: Link, names: LinkNames, doLink: boolean): void {
  if (l.promiscuity !== undefined) p.any('promiscuity', ' promiscuity %s ', l.promiscuity);
  if (l.allmulti !== undefined) p.any('allmulti', ' allmulti %s ', l.allmulti);
  if (l.minMtu !== undefined) p.any('min_mtu', 'minmtu %s ', l.minMtu);
  if (l.maxMtu !== undefined) p.any('max_mtu', 'maxmtu %s ', l.maxMtu);
  if (l.info) printLinkType(p, l, names);
  const mode = l.afSpec?.inet6?.addrGenMode;
  if (doLink && mode !== undefined) {
    p.any('inet6_addr_gen_mode', 'addrgenmode %s ', typeof mode === 'number' ? `0x${mode.toString(16).padStart(2, '0')}` : ADDR_GEN_MODES[mode]);
  }
  const numbers: Array<[keyof Link, string, string]> = [
    ['numTxQueues', 'num_tx_queues', 'numtxqueues'], ['numRxQueues', 'num_rx_queues', 'numrxqueues'],
    ['gsoMaxSize', 'gso_max_size', 'gso_max_size'], ['gsoMaxSegs', 'gso_max_segs', 'gso_max_segs'],
    ['tsoMaxSize', 'tso_max_size', 'tso_max_size'], ['tsoMaxSegs', 'tso_max_segs', 'tso_max_segs'],
    ['groMaxSize', 'gro_max_size', 'gro_max_size'],
  ];
  for (const [k, key, text] of numbers) {
    const v = l[k];
    if (typeof v === 'number') p.any(key, `${text} %s `, v);
  }
  if (l.physPortName !== undefined) p.any('phys_port_name', 'portname %s ', l.physPortName);
  if (l.physPortId !== undefined) p.any('phys_port_id', 'portid %s ', hexstring(l.physPortId));
  if (l.physSwitchId !== undefined) p.any('phys_switch_id', 'switchid %s ', hexstring(l.physSwitchId));
  if (l.parentDevBusName !== undefined) p.any('parentbus', 'parentbus %s ', l.parentDevBusName);
  if (l.parentDevName !== undefined) p.any('parentdev', 'parentdev %s ', l.parentDevName);
}

/** print_linktype(): `    macvlan mode vepa ...` and "linkinfo": {"info_kind", "info_data"}. */
function printLinkType(p: Printer, l: Link, names: IndexNames): void {
  const info = l.info!;
  p.openObject('linkinfo');
  if (info.kind !== undefined) {
    p.nl();
    p.any('info_kind', '    %s ', info.kind);
    printKindData(p, 'info_data', KIND_PRINTERS[info.kind], info.data, names);
  }
  if (info.slaveKind !== undefined) {
    p.nl();
    p.any('info_slave_kind', '    %s_slave ', info.slaveKind);
    printKindData(p, 'info_slave_data', SLAVE_KIND_PRINTERS[info.slaveKind], info.slaveData, names);
  }
  p.closeObject();
}

type KindPrinter = (p: Printer, data: object, names: IndexNames) => void;

/** iproute2 opens the data object whenever the kind has a print_opt, even with no data to print. */
function printKindData(p: Printer, key: string, print: KindPrinter | undefined, data: object | undefined, names: IndexNames): void {
  if (!print) return;
  p.openObject(key);
  if (data && !(data instanceof Uint8Array)) print(p, data, names);
  p.closeObject();
}

const MACVLAN_MODE_NAMES = new Set(['private', 'vepa', 'bridge', 'passthru', 'source']);

/** iplink_macvlan.c macvlan_print_opt(). */
function printMacvlan(p: Printer, data: object): void {
  const d = data as MacvlanData;
  if (d.mode === undefined) return;
  p.any('mode', 'mode %s ', typeof d.mode === 'string' && MACVLAN_MODE_NAMES.has(d.mode) ? d.mode : 'unknown');
  if (d.flags?.includes('nopromisc')) p.bool('nopromisc', 'nopromisc ');
  if (d.flags?.includes('nodst')) p.bool('nodst', 'nodst ');
  if (d.bcqueuelen !== undefined) p.any('bcqueuelen', 'bcqueuelen %s ', d.bcqueuelen);
  if (d.usedBcqueuelen !== undefined) p.any('usedbcqueuelen', 'usedbcqueuelen %s ', d.usedBcqueuelen);
  if (d.mode !== 'source' || d.macaddrCount === undefined) return;
  p.any('macaddr_count', 'remotes (%s) ', d.macaddrCount);
  if (d.macaddrs === undefined) return;
  p.openArray('macaddr_data');
  for (const m of d.macaddrs) p.any(null, '%s ', m);
  p.closeArray();
}

/** Kinds whose details we print; iproute2 prints info_data only for kinds with a print_opt. */
const KIND_PRINTERS: Record<string, KindPrinter> = {
  macvlan: printMacvlan,
  macvtap: printMacvlan,
  bridge: printBridge,
  vxlan: printVxlan,
  tun: printTun,
  vlan: printVlan,
  ipvlan: printIpvlan,
  ipvtap: printIpvlan,
};
/** Kinds of masters whose port details we print (iproute2's "<kind>_slave" print_opt). */
const SLAVE_KIND_PRINTERS: Record<string, KindPrinter> = { bridge: printBridgePort };
