// The words after `type KIND` in `rtnl link add|set`, as iproute2's iplink_bridge.c and
// iplink_vxlan.c read them, mapped onto the library's kind options (BridgeData, VxlanOptions).
import { isIp, parseLladdr } from '../../codecs/netlink/addresses.js';
import { BR_BOOLOPT_MCAST_VLAN_SNOOPING, BR_BOOLOPT_NO_LL_LEARN, type BridgeData } from '../../codecs/route/link-kinds/bridge.js';
import type { VxlanOptions } from '../api/link-options.js';
import { Args, CliError, cInteger, cNumber, invarg, matches, usageError } from './args.js';

type Width = 8 | 16 | 32 | 64;
/** Each number a bridge takes: the word, the option, its width; `bool` options take 0 or 1 as ip does (get_u8). */
const BRIDGE_NUMBERS: Array<[string, keyof BridgeData, Width, 'bool'?]> = [
  ['forward_delay', 'forwardDelay', 32], ['hello_time', 'helloTime', 32], ['max_age', 'maxAge', 32], ['ageing_time', 'ageingTime', 32],
  ['stp_state', 'stpState', 32], ['priority', 'priority', 16], ['vlan_filtering', 'vlanFiltering', 8, 'bool'],
  ['group_fwd_mask', 'groupFwdMask', 16], ['vlan_default_pvid', 'vlanDefaultPvid', 16], ['vlan_stats_enabled', 'vlanStatsEnabled', 8, 'bool'],
  ['vlan_stats_per_port', 'vlanStatsPerPort', 8, 'bool'], ['mcast_router', 'mcastRouter', 8], ['mcast_snooping', 'mcastSnooping', 8, 'bool'],
  ['mcast_query_use_ifaddr', 'mcastQueryUseIfaddr', 8, 'bool'], ['mcast_querier', 'mcastQuerier', 8, 'bool'],
  ['mcast_hash_elasticity', 'mcastHashElasticity', 32], ['mcast_hash_max', 'mcastHashMax', 32],
  ['mcast_last_member_count', 'mcastLastMemberCnt', 32], ['mcast_startup_query_count', 'mcastStartupQueryCnt', 32],
  ['mcast_last_member_interval', 'mcastLastMemberIntvl', 64], ['mcast_membership_interval', 'mcastMembershipIntvl', 64],
  ['mcast_querier_interval', 'mcastQuerierIntvl', 64], ['mcast_query_interval', 'mcastQueryIntvl', 64],
  ['mcast_query_response_interval', 'mcastQueryResponseIntvl', 64], ['mcast_startup_query_interval', 'mcastStartupQueryIntvl', 64],
  ['mcast_stats_enabled', 'mcastStatsEnabled', 8, 'bool'], ['mcast_igmp_version', 'mcastIgmpVersion', 8],
  ['mcast_mld_version', 'mcastMldVersion', 8], ['nf_call_iptables', 'nfCallIptables', 8], ['nf_call_ip6tables', 'nfCallIp6tables', 8],
  ['nf_call_arptables', 'nfCallArptables', 8],
];
/** The bits of IFLA_BR_MULTI_BOOLOPT ip sets by word. */
const BRIDGE_BOOLOPTS: Array<[string, number]> = [['mcast_vlan_snooping', BR_BOOLOPT_MCAST_VLAN_SNOOPING], ['no_linklocal_learn', BR_BOOLOPT_NO_LL_LEARN]];

/** get_u8/u16/u32/u64(): a number of that width (decimal, 0x hex, 0 octal), else ip's `invalid WORD`. */
function sized(v: string, width: Width, what: string): number | bigint {
  const n = cInteger(v);
  if (n === undefined || n >= 1n << BigInt(width)) throw invarg(what, v, false);
  return width === 64 ? n : Number(n);
}

/** bridge_parse_opt(): `type bridge stp_state 1 forward_delay 400 ...`. */
export function bridgeOptions(args: Args): BridgeData {
  const o: Record<string, unknown> = {};
  const boolopt = { optval: 0, optmask: 0 };
  while (!args.done) {
    const w = args.next();
    const number = BRIDGE_NUMBERS.find(([word]) => matches(w, word));
    const bit = BRIDGE_BOOLOPTS.find(([word]) => matches(w, word));
    if (number) {
      const [word, key, width, bool] = number;
      const n = sized(args.next(), width, `invalid ${word}`);
      o[key] = bool ? n !== 0 : n;
    } else if (matches(w, 'vlan_protocol')) {
      const p = args.next();
      if (p !== '802.1Q' && p !== '802.1ad') throw invarg('invalid vlan_protocol', p, false);
      o.vlanProtocol = p;
    } else if (matches(w, 'group_address')) {
      const mac = args.next();
      try { parseLladdr(mac); } catch { throw invarg('invalid group address', mac, false); }
      o.groupAddr = mac.toLowerCase();
    } else if (bit) {
      const [word, b] = bit;
      const on = sized(args.next(), 32, `invalid ${word}`);
      boolopt.optmask |= 1 << b;
      if (on) boolopt.optval |= 1 << b;
    } else if (matches(w, 'help')) throw usageError(BRIDGE_USAGE);
    else throw new CliError(`bridge: unknown command "${w}"?\n${BRIDGE_USAGE}`);
  }
  if (boolopt.optmask) o.multiBoolopt = boolopt;
  return o as BridgeData;
}

export const BRIDGE_USAGE = `Usage: ... bridge [ forward_delay FORWARD_DELAY ] [ hello_time HELLO_TIME ] [ max_age MAX_AGE ]
                  [ ageing_time AGEING_TIME ] [ stp_state STP_STATE ] [ priority PRIORITY ]
                  [ group_fwd_mask MASK ] [ group_address ADDRESS ] [ vlan_filtering VLAN_FILTERING ]
                  [ vlan_protocol VLAN_PROTOCOL ] [ vlan_default_pvid VLAN_DEFAULT_PVID ]
                  [ vlan_stats_enabled VLAN_STATS_ENABLED ] [ vlan_stats_per_port VLAN_STATS_PER_PORT ]
                  [ mcast_snooping MULTICAST_SNOOPING ] [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]
                  [ mcast_router MULTICAST_ROUTER ] [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]
                  [ mcast_querier MULTICAST_QUERIER ] [ mcast_hash_elasticity HASH_ELASTICITY ]
                  [ mcast_hash_max HASH_MAX ] [ mcast_last_member_count LAST_MEMBER_COUNT ]
                  [ mcast_startup_query_count STARTUP_QUERY_COUNT ] [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
                  [ mcast_membership_interval MEMBERSHIP_INTERVAL ] [ mcast_querier_interval QUERIER_INTERVAL ]
                  [ mcast_query_interval QUERY_INTERVAL ] [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
                  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ] [ mcast_stats_enabled MCAST_STATS_ENABLED ]
                  [ mcast_igmp_version IGMP_VERSION ] [ mcast_mld_version MLD_VERSION ]
                  [ nf_call_iptables NF_CALL_IPTABLES ] [ nf_call_ip6tables NF_CALL_IP6TABLES ]
                  [ nf_call_arptables NF_CALL_ARPTABLES ] [ no_linklocal_learn NO_LINKLOCAL_LEARN ]`;

/** vxlan's on/off switches: the word, its `no` form, the option. */
const VXLAN_SWITCHES: Array<[string, keyof VxlanOptions]> = [
  ['learning', 'learning'], ['proxy', 'proxy'], ['rsc', 'rsc'], ['l2miss', 'l2miss'], ['l3miss', 'l3miss'],
  ['udpcsum', 'udpCsum'], ['udp6zerocsumtx', 'udpZeroCsum6Tx'], ['udp6zerocsumrx', 'udpZeroCsum6Rx'],
  ['remcsumtx', 'remcsumTx'], ['remcsumrx', 'remcsumRx'],
];

/** An address for `remote`, `group` or `local`: IPv4 in one attribute, IPv6 in the other. */
function vxlanAddress(o: Record<string, unknown>, v4: string, v6: string, s: string): void {
  if (isIp(s)) o[s.includes(':') ? v6 : v4] = s;
  else throw new CliError(`Error: any valid address is expected rather than "${s}".`);
}

/**
 * vxlan_parse_opt(): `type vxlan id 42 dstport 4789 remote 192.0.2.2 dev eth0 ...`; `dev`
 * goes in `link` by name (the library resolves it). `create`: ip's checks at creation.
 */
export function vxlanOptions(args: Args, create: boolean, warn: (s: string) => void): VxlanOptions {
  const o: Record<string, unknown> = {};
  while (!args.done) {
    const w = args.next();
    const sw = VXLAN_SWITCHES.find(([word]) => w === word || w === `no${word}`);
    if (w === 'id' || w === 'vni') o.id = vni(args.next());
    else if (w === 'group' || w === 'remote') vxlanAddress(o, 'group', 'group6', args.next());
    else if (w === 'local') vxlanAddress(o, 'local', 'local6', args.next());
    else if (matches(w, 'dev')) o.link = args.next();
    else if (matches(w, 'ttl') || matches(w, 'hoplimit')) {
      const v = args.next();
      if (v === 'inherit') o.ttlInherit = true;
      else o.ttl = v === 'auto' ? 0 : Number(sized(v, 8, 'invalid TTL'));
    } else if (matches(w, 'tos') || matches(w, 'dsfield')) {
      const v = args.next();
      o.tos = v === 'inherit' ? 1 : tos(v);
    } else if (matches(w, 'ageing')) {
      const v = args.next();
      o.ageing = v === 'none' ? 0 : Number(sized(v, 32, 'ageing timer'));
    } else if (matches(w, 'maxaddress')) {
      const v = args.next();
      o.limit = v === 'unlimited' ? 0 : Number(sized(v, 32, 'max addresses'));
    } else if (matches(w, 'port') || matches(w, 'srcport')) {
      const [low, high] = [args.next(), args.next()];
      o.portRange = { low: Number(sized(low, 16, 'min port')), high: Number(sized(high, 16, 'max port')) };
    } else if (matches(w, 'dstport')) o.port = Number(sized(args.next(), 16, 'dst port'));
    else if (sw) o[sw[1]] = w === sw[0];
    else if (matches(w, 'external')) o.collectMetadata = true;
    else if (matches(w, 'noexternal')) o.collectMetadata = false;
    else if (matches(w, 'label')) o.label = Number(sized(args.next(), 32, 'invalid flowlabel'));
    else if (matches(w, 'help')) throw usageError(VXLAN_USAGE);
    else throw new CliError(`vxlan: unknown command "${w}"?\n${VXLAN_USAGE}`);
  }
  if (create && o.id === undefined && o.collectMetadata !== true) throw new CliError('vxlan: missing virtual network identifier');
  if (create && o.port === undefined) {
    warn('vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n'
      + "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
  }
  return o as VxlanOptions;
}

/** rtnl_dsfield_a2n(): hexadecimal, with or without 0x, up to 0xff. */
function tos(v: string): number {
  const n = /^(0x)?[0-9a-f]{1,2}$/i.test(v) ? parseInt(v, 16) : NaN;
  if (Number.isNaN(n)) throw invarg('bad TOS value', v, false);
  return n;
}

function vni(v: string): number {
  const n = cNumber(v);
  if (!Number.isInteger(n) || n >= 1 << 24) throw invarg('invalid id', v, false);
  return n;
}

export const VXLAN_USAGE = `Usage: ... vxlan id VNI [ { group | remote } IP_ADDRESS ] [ local ADDR ] [ ttl TTL ] [ tos TOS ]
                 [ dev PHYS_DEV ] [ dstport PORT ] [ srcport MIN MAX ] [ [no]learning ] [ [no]proxy ] [ [no]rsc ]
                 [ [no]l2miss ] [ [no]l3miss ] [ ageing SECONDS ] [ maxaddress NUMBER ] [ [no]udpcsum ]
                 [ [no]udp6zerocsumtx ] [ [no]udp6zerocsumrx ] [ [no]remcsumtx ] [ [no]remcsumrx ]
                 [ [no]external ] [ label LABEL ]`;
