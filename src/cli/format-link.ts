// A link as `ip link show` prints it (ip/ipaddress.c print_linkinfo), text or JSON, and the
// per-kind details of -d (ip/iplink_*.c print_opt) for the kinds we cover.
import type { Link } from '../../codecs/route/link.js';
import type { MacvlanData } from '../../codecs/route/link-kinds/macvlan.js';
import { printBridge, printBridgePort, printVxlan, type IndexNames } from './format-link-kinds.js';
import type { Printer } from './print.js';

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

const LINK_TYPES: Record<number, string> = {
  1: 'ether', 772: 'loopback', 768: 'ipip', 769: 'tunnel6', 776: 'sit', 778: 'gre', 823: 'ip6gre', 0xfffe: 'none', 0xffff: 'void',
};
const upper = (v: string | number | undefined): string => String(v ?? 'unknown').toUpperCase();

/** print_linkinfo(): `doLink` is true for `ip link`, false for the link lines of `ip address`. */
export function printLink(p: Printer, l: Link, names: LinkNames, details: boolean, doLink: boolean, family = 0): void {
  p.openObject();
  p.any('ifindex', '%s: ', l.index);
  let mdown = false;
  const parent = l.parent;
  if (parent) {
    if (l.linkNetnsId === undefined) {
      p.jsonOnly('link', names.name(parent));
      mdown = !(names.flagsOf(parent) ?? []).includes('up');
    } else {
      p.jsonOnly('link_index', parent);
    }
  }
  p.any('ifname', '%s', l.name ?? '');
  if (parent) p.fp(l.linkNetnsId === undefined ? `@${names.name(parent)}` : `@if${parent}`);
  p.fp(': ');
  printLinkFlags(p, l.flags, mdown);
  if (l.mtu !== undefined) p.any('mtu', 'mtu %s ', l.mtu);
  if (l.qdisc !== undefined) p.any('qdisc', 'qdisc %s ', l.qdisc);
  if (l.master !== undefined) p.any('master', 'master %s ', names.name(l.master));
  if (l.operstate !== undefined) p.any('operstate', 'state %s ', upper(l.operstate));
  if (doLink && l.linkmode !== undefined) p.any('linkmode', 'mode %s ', upper(l.linkmode));
  if (l.group !== undefined) p.any('group', 'group %s ', l.group === 0 ? 'default' : String(l.group));
  if (l.txqlen) p.any('txqlen', 'qlen %s', l.txqlen);
  if (l.protoDown) p.bool('proto_down', ' protodown on ');
  // The link-layer line is left out when an address family (-4, -6) was asked for.
  if (family === 0 || family === 17 || details) printLinkLayer(p, l);
  if (l.linkNetnsId !== undefined) {
    const id = l.linkNetnsId;
    const ns = id >= 0 ? names.netnsName(id) : undefined;
    if (p.json) p.jsonOnly('link_netnsid', id);
    else p.fp(ns !== undefined ? ` link-netns ${ns}` : ` link-netnsid ${id >= 0 ? id : 'unknown'}`);
  }
  if (details) printDetails(p, l, names, doLink);
  if ((doLink || details) && l.alias !== undefined) {
    p.nl();
    p.any('ifalias', '    alias %s', l.alias);
  }
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

function printLinkLayer(p: Printer, l: Link): void {
  p.nl();
  p.any('link_type', '    link/%s ', LINK_TYPES[l.type] ?? `[${l.type}]`);
  if (l.address !== undefined) p.any('address', '%s', l.address);
  if (l.broadcast !== undefined) {
    if (l.flags.includes('pointopoint')) {
      p.fp(' peer ');
      p.jsonOnly('link_pointtopoint', true);
    } else {
      p.fp(' brd ');
    }
    p.any('broadcast', '%s', l.broadcast);
  }
  if (l.permAddress !== undefined && l.permAddress !== l.address) p.any('permaddr', ' permaddr %s', l.permAddress);
}

const ADDR_GEN_MODES: Record<string, string> = { eui64: 'eui64', none: 'none', stable_secret: 'stable_secret', random: 'random' };

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
};
/** Kinds of masters whose port details we print (iproute2's "<kind>_slave" print_opt). */
const SLAVE_KIND_PRINTERS: Record<string, KindPrinter> = { bridge: printBridgePort };
