// The -d details of bridges, their ports, vxlans, tun/tap devices, vlans and ipvlans, as iproute2
// 6.1 prints them (ip/iplink_bridge.c, iplink_bridge_slave.c, iplink_vxlan.c, iptuntap.c,
// iplink_vlan.c, iplink_ipvlan.c print_opt), from the decoded link.
import {
  BR_BOOLOPT_MCAST_VLAN_SNOOPING, BR_BOOLOPT_NO_LL_LEARN, type BridgeData, type BridgePortData,
} from '../../codecs/route/link-kinds/bridge.js';
import type { VxlanData } from '../../codecs/route/link-kinds/vxlan.js';
import { isMulticast } from '../../codecs/netlink/addresses.js';
import type { TunData } from '../../codecs/route/link-kinds/tun.js';
import type { IpvlanData } from '../../codecs/route/link-kinds/ipvlan.js';
import {
  VLAN_FLAG_BRIDGE_BINDING, VLAN_FLAG_GVRP, VLAN_FLAG_LOOSE_BINDING, VLAN_FLAG_MVRP, VLAN_FLAG_REORDER_HDR, type VlanData,
} from '../../codecs/route/link-kinds/vlan.js';
import { readFileSync } from 'node:fs';
import { RawJson, hex0x, onOffs, type Printer } from './print.js';
import { llProtoName } from './ll-names.js';

/** What the kind printers need of other links. */
export interface IndexNames { name(index: number): string }

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** br_dump_bridge_id(): priority bytes in hex, a dot, then ether_ntoa_r()'s MAC, whose bytes are not zero-padded. */
function bridgeId(b: Uint8Array): string {
  return `${hex2(b[0])}${hex2(b[1])}.${[...b.subarray(2, 8)].map((x) => x.toString(16)).join(':')}`;
}

/** _bridge_print_timer(): centiseconds as `%4i.%.2i` in text, the same digits as a bare JSON number. */
function timer(p: Printer, key: string, cs: bigint | undefined): void {
  if (cs === undefined) return;
  const sec = String(cs / 100n);
  const hundredths = String(cs % 100n).padStart(2, '0');
  p.jsonOnly(key, new RawJson(`${sec}.${hundredths}`));
  p.fp(`${key} ${sec.padStart(4)}.${hundredths} `);
}

type Num = number | boolean | bigint | undefined;

/** print_uint(PRINT_ANY, key, "text %u ", v) for each present field, in order. */
function uints(p: Printer, rows: Array<[string, string, Num]>): void {
  for (const [key, text, v] of rows) if (v !== undefined) p.any(key, `${text} %s `, Number(v));
}


/** iplink_bridge.c bridge_print_opt(). */
export function printBridge(p: Printer, data: object): void {
  const d = data as BridgeData;
  uints(p, [
    ['forward_delay', 'forward_delay', d.forwardDelay], ['hello_time', 'hello_time', d.helloTime], ['max_age', 'max_age', d.maxAge],
    ['ageing_time', 'ageing_time', d.ageingTime], ['stp_state', 'stp_state', d.stpState], ['priority', 'priority', d.priority],
    ['vlan_filtering', 'vlan_filtering', d.vlanFiltering],
  ]);
  if (d.vlanProtocol !== undefined) {
    p.any('vlan_protocol', 'vlan_protocol %s ', llProtoName(d.vlanProtocol, p.numeric));
  }
  if (d.bridgeId !== undefined) p.any('bridge_id', 'bridge_id %s ', bridgeId(d.bridgeId));
  // iproute2 6.1 prints the bridge id under the name of the root id.
  if (d.rootId !== undefined && d.bridgeId !== undefined) p.any('root_id', 'designated_root %s ', bridgeId(d.bridgeId));
  uints(p, [
    ['root_port', 'root_port', d.rootPort], ['root_path_cost', 'root_path_cost', d.rootPathCost],
    ['topology_change', 'topology_change', d.topologyChange], ['topology_change_detected', 'topology_change_detected', d.topologyChangeDetected],
  ]);
  timer(p, 'hello_timer', d.helloTimer);
  timer(p, 'tcn_timer', d.tcnTimer);
  timer(p, 'topology_change_timer', d.topologyChangeTimer);
  timer(p, 'gc_timer', d.gcTimer);
  uints(p, [
    ['vlan_default_pvid', 'vlan_default_pvid', d.vlanDefaultPvid], ['vlan_stats_enabled', 'vlan_stats_enabled', d.vlanStatsEnabled],
    ['vlan_stats_per_port', 'vlan_stats_per_port', d.vlanStatsPerPort],
  ]);
  if (d.groupFwdMask !== undefined) p.any('group_fwd_mask', 'group_fwd_mask %s ', hex0x(d.groupFwdMask));
  if (d.groupAddr !== undefined) p.any('group_addr', 'group_address %s ', d.groupAddr);
  uints(p, [['mcast_snooping', 'mcast_snooping', d.mcastSnooping]]);
  const bo = d.multiBoolopt;
  if (bo) {
    const bit = (n: number): Num => ((bo.optmask >>> n) & 1 ? (bo.optval >>> n) & 1 : undefined);
    uints(p, [
      ['no_linklocal_learn', 'no_linklocal_learn', bit(BR_BOOLOPT_NO_LL_LEARN)],
      ['mcast_vlan_snooping', 'mcast_vlan_snooping', bit(BR_BOOLOPT_MCAST_VLAN_SNOOPING)],
    ]);
  }
  uints(p, [
    ['mcast_router', 'mcast_router', d.mcastRouter], ['mcast_query_use_ifaddr', 'mcast_query_use_ifaddr', d.mcastQueryUseIfaddr],
    ['mcast_querier', 'mcast_querier', d.mcastQuerier], ['mcast_hash_elasticity', 'mcast_hash_elasticity', d.mcastHashElasticity],
    ['mcast_hash_max', 'mcast_hash_max', d.mcastHashMax], ['mcast_last_member_cnt', 'mcast_last_member_count', d.mcastLastMemberCnt],
    ['mcast_startup_query_cnt', 'mcast_startup_query_count', d.mcastStartupQueryCnt],
    ['mcast_last_member_intvl', 'mcast_last_member_interval', d.mcastLastMemberIntvl],
    ['mcast_membership_intvl', 'mcast_membership_interval', d.mcastMembershipIntvl],
    ['mcast_querier_intvl', 'mcast_querier_interval', d.mcastQuerierIntvl], ['mcast_query_intvl', 'mcast_query_interval', d.mcastQueryIntvl],
    ['mcast_query_response_intvl', 'mcast_query_response_interval', d.mcastQueryResponseIntvl],
    ['mcast_startup_query_intvl', 'mcast_startup_query_interval', d.mcastStartupQueryIntvl],
    ['mcast_stats_enabled', 'mcast_stats_enabled', d.mcastStatsEnabled], ['mcast_igmp_version', 'mcast_igmp_version', d.mcastIgmpVersion],
    ['mcast_mld_version', 'mcast_mld_version', d.mcastMldVersion], ['nf_call_iptables', 'nf_call_iptables', d.nfCallIptables],
    ['nf_call_ip6tables', 'nf_call_ip6tables', d.nfCallIp6tables], ['nf_call_arptables', 'nf_call_arptables', d.nfCallArptables],
  ]);
}

/** Names of the bits of a port's group_fwd_mask (iplink_bridge_slave.c fwd_mask_tbl). */
const FWD_MASK_NAMES: Record<number, string> = { 0: 'stp', 2: 'lacp', 14: 'lldp' };

/** _bitmask2str(): the named bits, others as hex, comma-separated; 0x0 when none. */
function fwdMaskString(mask: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i++) if (mask & (1 << i)) parts.push(FWD_MASK_NAMES[i] ?? `0x${(1 << i).toString(16)}`);
  return parts.length ? parts.join(',') : '0x0';
}

/** iplink_bridge_slave.c bridge_slave_print_opt(). */
export function printBridgePort(p: Printer, data: object, names: IndexNames): void {
  const d = data as BridgePortData;
  if (d.state !== undefined) {
    if (typeof d.state === 'string') p.any('state', 'state %s ', d.state);
    else p.any('state_index', 'state (%s) ', d.state);
  }
  uints(p, [['priority', 'priority', d.priority], ['cost', 'cost', d.cost]]);
  onOffs(p, [
    ['hairpin', 'hairpin', d.hairpin], ['guard', 'guard', d.guard], ['root_block', 'root_block', d.protect],
    ['fastleave', 'fastleave', d.fastLeave], ['learning', 'learning', d.learning], ['flood', 'flood', d.unicastFlood],
  ]);
  if (d.id !== undefined) p.any('id', 'port_id %s ', hex0x(d.id));
  if (d.no !== undefined) p.any('no', 'port_no %s ', hex0x(d.no));
  uints(p, [['designated_port', 'designated_port', d.designatedPort], ['designated_cost', 'designated_cost', d.designatedCost]]);
  if (d.bridgeId !== undefined) p.any('bridge_id', 'designated_bridge %s ', bridgeId(d.bridgeId));
  if (d.rootId !== undefined) p.any('root_id', 'designated_root %s ', bridgeId(d.rootId));
  timer(p, 'hold_timer', d.holdTimer);
  timer(p, 'message_age_timer', d.messageAgeTimer);
  timer(p, 'forward_delay_timer', d.forwardDelayTimer);
  uints(p, [['topology_change_ack', 'topology_change_ack', d.topologyChangeAck], ['config_pending', 'config_pending', d.configPending]]);
  onOffs(p, [['proxy_arp', 'proxy_arp', d.proxyArp], ['proxy_arp_wifi', 'proxy_arp_wifi', d.proxyArpWifi]]);
  uints(p, [['multicast_router', 'mcast_router', d.multicastRouter]]);
  if (d.fastLeave !== undefined) p.fp(`mcast_fast_leave ${d.fastLeave ? 'on' : 'off'} `); // text only: JSON had fastleave
  onOffs(p, [
    ['mcast_flood', 'mcast_flood', d.mcastFlood], ['bcast_flood', 'bcast_flood', d.bcastFlood],
    ['mcast_to_unicast', 'mcast_to_unicast', d.mcastToUcast], ['neigh_suppress', 'neigh_suppress', d.neighSuppress],
  ]);
  if (d.groupFwdMask !== undefined) {
    p.any('group_fwd_mask', 'group_fwd_mask %s ', hex0x(d.groupFwdMask));
    p.any('group_fwd_mask_str', 'group_fwd_mask_str %s ', fwdMaskString(d.groupFwdMask));
  }
  onOffs(p, [['vlan_tunnel', 'vlan_tunnel', d.vlanTunnel], ['isolated', 'isolated', d.isolated], ['locked', 'locked', d.locked]]);
  if (d.backupPort !== undefined) p.any('backup_port', 'backup_port %s ', names.name(d.backupPort));
}

/** 0.0.0.0 and ::, which vxlan_print_opt leaves out. */
const unspecified = (a: string): boolean => a === '0.0.0.0' || a === '::';

/** iplink_vxlan.c vxlan_print_opt(). */
export function printVxlan(p: Printer, data: object, names: IndexNames): void {
  const d = data as VxlanData;
  if (d.collectMetadata) p.bool('external', 'external ');
  if (d.vnifilter) p.bool('vnifilter', 'vnifilter');
  if (d.id !== undefined) p.any('id', 'id %s ', d.id);
  const group = d.group ?? d.group6;
  if (group !== undefined && !unspecified(group)) {
    const v6 = d.group === undefined ? '6' : '';
    p.any(isMulticast(group) ? `group${v6}` : `remote${v6}`, isMulticast(group) ? 'group %s ' : 'remote %s ', group);
  }
  const local = d.local ?? d.local6;
  if (local !== undefined && !unspecified(local)) p.any(d.local === undefined ? 'local6' : 'local', 'local %s ', local);
  if (d.link) p.any('link', 'dev %s ', names.name(d.link));
  if (d.portRange) {
    p.openObject('port_range');
    p.jsonOnly('low', d.portRange.low);
    p.jsonOnly('high', d.portRange.high);
    p.closeObject();
    p.fp(`srcport ${d.portRange.low} ${d.portRange.high} `);
  }
  if (d.port !== undefined) p.any('port', 'dstport %s ', d.port);
  if (d.learning !== undefined) {
    p.jsonOnly('learning', Boolean(d.learning));
    if (!d.learning) p.fp('nolearning ');
  }
  if (d.proxy) p.bool('proxy', 'proxy ');
  if (d.rsc) p.bool('rsc', 'rsc ');
  if (d.l2miss) p.bool('l2miss', 'l2miss ');
  if (d.l3miss) p.bool('l3miss', 'l3miss ');
  if (d.tos) {
    if (p.json || d.tos !== 1) p.any('tos', 'tos %s ', hex0x(d.tos));
    else p.fp('tos inherit ');
  }
  if (d.ttlInherit) p.fp('ttl inherit ');
  else if (d.ttl !== undefined) {
    if (p.json || d.ttl) p.any('ttl', 'ttl %s ', d.ttl);
    else p.fp('ttl auto ');
  }
  if (d.df !== undefined) {
    const df = ['unset', 'set', 'inherit'][d.df];
    if (d.df === 0) p.jsonOnly('df', df);
    else if (df !== undefined) p.any('df', 'df %s ', df);
  }
  if (d.label) p.any('label', 'flowlabel %s ', hex0x(d.label));
  if (d.ageing !== undefined) p.any('ageing', d.ageing === 0 ? 'ageing none ' : 'ageing %s ', d.ageing);
  if (d.limit) p.any('limit', 'maxaddr %s ', d.limit);
  const csums: Array<[string, string, Num]> = [
    ['udp_csum', 'udpcsum', d.udpCsum], ['udp_zero_csum6_tx', 'udp6zerocsumtx', d.udpZeroCsum6Tx],
    ['udp_zero_csum6_rx', 'udp6zerocsumrx', d.udpZeroCsum6Rx],
  ];
  for (const [key, text, v] of csums) {
    if (v === undefined) continue;
    p.jsonOnly(key, Boolean(v));
    p.fp(`${v ? '' : 'no'}${text} `);
  }
  if (d.remcsumTx) p.bool('remcsum_tx', 'remcsumtx ');
  if (d.remcsumRx) p.bool('remcsum_rx', 'remcsumrx ');
  if (d.gbp) p.bool('gbp', 'gbp ');
  if (d.gpe) p.bool('gpe', 'gpe ');
}

/** getpwuid()/getgrgid() as ip calls them: the name in /etc/passwd or /etc/group, if there. */
function idName(file: string, id: number): string | undefined {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === id && f[2] !== '') return f[0];
    }
  } catch { /* no such file: numbers */ }
  return undefined;
}

/** iptuntap.c tun_print_opt(): type, pi, vnet_hdr, the queues when multi-queue, persist, owner. */
export function printTun(p: Printer, data: object): void {
  const d = data as TunData;
  if (d.type !== undefined) p.any('type', 'type %s ', typeof d.type === 'string' ? d.type : 'UNKNOWN');
  onOffs(p, [['pi', 'pi', d.pi], ['vnet_hdr', 'vnet_hdr', d.vnetHdr]]);
  if (d.multiQueue) {
    p.bool('multi_queue', 'multi_queue ');
    uints(p, [['numqueues', 'numqueues', d.numQueues], ['numdisabled', 'numdisabled', d.numDisabledQueues]]);
  } else p.jsonOnly('multi_queue', false);
  onOffs(p, [['persist', 'persist', d.persist]]);
  for (const [key, file, id] of [['user', '/etc/passwd', d.owner], ['group', '/etc/group', d.group]] as const) {
    if (id === undefined) continue;
    const name = idName(file, id);
    p.any(key, `${key} %s `, name ?? id);
  }
}

/** vlan_print_flags(): in this order, the bits left over in hex. */
const VLAN_FLAGS: Array<[number, string]> = [
  [VLAN_FLAG_REORDER_HDR, 'REORDER_HDR'], [VLAN_FLAG_GVRP, 'GVRP'], [VLAN_FLAG_MVRP, 'MVRP'],
  [VLAN_FLAG_LOOSE_BINDING, 'LOOSE_BINDING'], [VLAN_FLAG_BRIDGE_BINDING, 'BRIDGE_BINDING'],
];

/** iplink_vlan.c vlan_print_opt(): nothing without an id; `802.1q` (so spelt) without a protocol. */
export function printVlan(p: Printer, data: object): void {
  const d = data as VlanData;
  if (d.id === undefined) return;
  p.any('protocol', 'protocol %s ', d.protocol === undefined ? '802.1q' : llProtoName(d.protocol, p.numeric));
  p.any('id', 'id %s ', d.id);
  if (d.flags !== undefined) {
    let flags = d.flags.flags;
    p.openArray('flags', '<');
    for (const [bit, name] of VLAN_FLAGS) {
      if (!(flags & bit)) continue;
      flags &= ~bit;
      p.any(null, flags ? '%s,' : '%s', name);
    }
    if (flags) p.any(null, '%s', flags.toString(16));
    p.closeArray('> ');
  }
  for (const [key, word, map] of [['ingress_qos', 'ingress-qos-map', d.ingressQos], ['egress_qos', 'egress-qos-map', d.egressQos]] as const) {
    if (map === undefined) continue;
    p.openArray(key);
    p.nl();
    p.fp(`      ${word} { `);
    for (const m of map) {
      p.openObject();
      p.jsonOnly('from', m.from);
      p.jsonOnly('to', m.to);
      p.closeObject();
      p.fp(`${m.from}:${m.to} `);
    }
    p.closeArray('} ');
  }
}

/** iplink_ipvlan.c ipvlan_print_opt(): one of private, vepa, bridge (neither flag). */
export function printIpvlan(p: Printer, data: object): void {
  const d = data as IpvlanData;
  if (d.mode !== undefined) p.any('mode', ' mode %s ', typeof d.mode === 'string' ? d.mode : 'unknown');
  if (d.flags === undefined) return;
  const mode = d.flags.includes('private') ? 'private' : d.flags.includes('vepa') ? 'vepa' : 'bridge';
  p.bool(mode, `${mode} `);
}
