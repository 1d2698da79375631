// IFLA_INFO_DATA of kind "bridge" (IFLA_BR_*), and of a bridge's ports (IFLA_INFO_SLAVE_DATA,
// IFLA_BRPORT_*), where hairpin mode lives. Attributes not listed here are kept as they came.
import { DecodeError } from '../../netlink/errors.js';
import { get } from '../../netlink/attrs.js';
import { bool8, bytes, flag, mac, u16, u16be, u32, u64, u8, enumOf } from '../../netlink/codecs.js';
import { field, type Attrs, type Codec } from '../../netlink/schema.js';

export const IFLA_BR_FORWARD_DELAY = 1;
export const IFLA_BR_HELLO_TIME = 2;
export const IFLA_BR_MAX_AGE = 3;
export const IFLA_BR_AGEING_TIME = 4;
export const IFLA_BR_STP_STATE = 5;
export const IFLA_BR_PRIORITY = 6;
export const IFLA_BR_VLAN_FILTERING = 7;
export const IFLA_BR_VLAN_PROTOCOL = 8;
export const IFLA_BR_GROUP_FWD_MASK = 9;
export const IFLA_BR_ROOT_ID = 10;
export const IFLA_BR_BRIDGE_ID = 11;
export const IFLA_BR_ROOT_PORT = 12;
export const IFLA_BR_ROOT_PATH_COST = 13;
export const IFLA_BR_TOPOLOGY_CHANGE = 14;
export const IFLA_BR_TOPOLOGY_CHANGE_DETECTED = 15;
export const IFLA_BR_HELLO_TIMER = 16;
export const IFLA_BR_TCN_TIMER = 17;
export const IFLA_BR_TOPOLOGY_CHANGE_TIMER = 18;
export const IFLA_BR_GC_TIMER = 19;
export const IFLA_BR_GROUP_ADDR = 20;
export const IFLA_BR_FDB_FLUSH = 21;
export const IFLA_BR_MCAST_ROUTER = 22;
export const IFLA_BR_MCAST_SNOOPING = 23;
export const IFLA_BR_MCAST_QUERY_USE_IFADDR = 24;
export const IFLA_BR_MCAST_QUERIER = 25;
export const IFLA_BR_MCAST_HASH_ELASTICITY = 26;
export const IFLA_BR_MCAST_HASH_MAX = 27;
export const IFLA_BR_MCAST_LAST_MEMBER_CNT = 28;
export const IFLA_BR_MCAST_STARTUP_QUERY_CNT = 29;
export const IFLA_BR_MCAST_LAST_MEMBER_INTVL = 30;
export const IFLA_BR_MCAST_MEMBERSHIP_INTVL = 31;
export const IFLA_BR_MCAST_QUERIER_INTVL = 32;
export const IFLA_BR_MCAST_QUERY_INTVL = 33;
export const IFLA_BR_MCAST_QUERY_RESPONSE_INTVL = 34;
export const IFLA_BR_MCAST_STARTUP_QUERY_INTVL = 35;
export const IFLA_BR_NF_CALL_IPTABLES = 36;
export const IFLA_BR_NF_CALL_IP6TABLES = 37;
export const IFLA_BR_NF_CALL_ARPTABLES = 38;
export const IFLA_BR_VLAN_DEFAULT_PVID = 39;
export const IFLA_BR_VLAN_STATS_ENABLED = 41;
export const IFLA_BR_MCAST_STATS_ENABLED = 42;
export const IFLA_BR_MCAST_IGMP_VERSION = 43;
export const IFLA_BR_MCAST_MLD_VERSION = 44;
export const IFLA_BR_VLAN_STATS_PER_PORT = 45;
export const IFLA_BR_MULTI_BOOLOPT = 46;

/** struct br_boolopt_multi: which BR_BOOLOPT_* bits are set (optval) among those reported (optmask). */
export interface BoolOpts { optval: number; optmask: number }
const boolOpts: Codec<BoolOpts> = {
  decode: (v) => {
    if (v.length !== 8) throw new DecodeError(`br_boolopt_multi of ${v.length} bytes`);
    return { optval: get.u32(v.subarray(0, 4)), optmask: get.u32(v.subarray(4)) };
  },
  encode: (w, v) => { w.u32(v.optval); w.u32(v.optmask); },
};
/** enum br_boolopt_id: bit numbers in BoolOpts. */
export const BR_BOOLOPT_NO_LL_LEARN = 0;
export const BR_BOOLOPT_MCAST_VLAN_SNOOPING = 1;

/** Times are in centiseconds (USER_HZ), as iproute2 shows them multiplied by 100. */
export const bridgeTable = {
  forwardDelay: field(IFLA_BR_FORWARD_DELAY, u32),
  helloTime: field(IFLA_BR_HELLO_TIME, u32),
  maxAge: field(IFLA_BR_MAX_AGE, u32),
  ageingTime: field(IFLA_BR_AGEING_TIME, u32),
  stpState: field(IFLA_BR_STP_STATE, u32),
  priority: field(IFLA_BR_PRIORITY, u16),
  vlanFiltering: field(IFLA_BR_VLAN_FILTERING, bool8),
  vlanProtocol: field(IFLA_BR_VLAN_PROTOCOL, enumOf(u16be, { '802.1Q': 0x8100, '802.1ad': 0x88a8 })),
  groupFwdMask: field(IFLA_BR_GROUP_FWD_MASK, u16),
  /** struct ifla_bridge_id: 2 priority bytes, then the MAC. */
  rootId: field(IFLA_BR_ROOT_ID, bytes),
  bridgeId: field(IFLA_BR_BRIDGE_ID, bytes),
  rootPort: field(IFLA_BR_ROOT_PORT, u16),
  rootPathCost: field(IFLA_BR_ROOT_PATH_COST, u32),
  topologyChange: field(IFLA_BR_TOPOLOGY_CHANGE, u8),
  topologyChangeDetected: field(IFLA_BR_TOPOLOGY_CHANGE_DETECTED, u8),
  helloTimer: field(IFLA_BR_HELLO_TIMER, u64),
  tcnTimer: field(IFLA_BR_TCN_TIMER, u64),
  topologyChangeTimer: field(IFLA_BR_TOPOLOGY_CHANGE_TIMER, u64),
  gcTimer: field(IFLA_BR_GC_TIMER, u64),
  groupAddr: field(IFLA_BR_GROUP_ADDR, mac),
  /** Write-only: flush the bridge's forwarding database. */
  fdbFlush: field(IFLA_BR_FDB_FLUSH, flag),
  mcastRouter: field(IFLA_BR_MCAST_ROUTER, u8),
  mcastSnooping: field(IFLA_BR_MCAST_SNOOPING, bool8),
  mcastQuerier: field(IFLA_BR_MCAST_QUERIER, bool8),
  mcastQueryUseIfaddr: field(IFLA_BR_MCAST_QUERY_USE_IFADDR, bool8),
  mcastHashElasticity: field(IFLA_BR_MCAST_HASH_ELASTICITY, u32),
  mcastHashMax: field(IFLA_BR_MCAST_HASH_MAX, u32),
  mcastLastMemberCnt: field(IFLA_BR_MCAST_LAST_MEMBER_CNT, u32),
  mcastStartupQueryCnt: field(IFLA_BR_MCAST_STARTUP_QUERY_CNT, u32),
  mcastLastMemberIntvl: field(IFLA_BR_MCAST_LAST_MEMBER_INTVL, u64),
  mcastMembershipIntvl: field(IFLA_BR_MCAST_MEMBERSHIP_INTVL, u64),
  mcastQuerierIntvl: field(IFLA_BR_MCAST_QUERIER_INTVL, u64),
  mcastQueryIntvl: field(IFLA_BR_MCAST_QUERY_INTVL, u64),
  mcastQueryResponseIntvl: field(IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, u64),
  mcastStartupQueryIntvl: field(IFLA_BR_MCAST_STARTUP_QUERY_INTVL, u64),
  nfCallIptables: field(IFLA_BR_NF_CALL_IPTABLES, u8),
  nfCallIp6tables: field(IFLA_BR_NF_CALL_IP6TABLES, u8),
  nfCallArptables: field(IFLA_BR_NF_CALL_ARPTABLES, u8),
  vlanDefaultPvid: field(IFLA_BR_VLAN_DEFAULT_PVID, u16),
  vlanStatsEnabled: field(IFLA_BR_VLAN_STATS_ENABLED, bool8),
  mcastStatsEnabled: field(IFLA_BR_MCAST_STATS_ENABLED, bool8),
  mcastIgmpVersion: field(IFLA_BR_MCAST_IGMP_VERSION, u8),
  mcastMldVersion: field(IFLA_BR_MCAST_MLD_VERSION, u8),
  vlanStatsPerPort: field(IFLA_BR_VLAN_STATS_PER_PORT, bool8),
  multiBoolopt: field(IFLA_BR_MULTI_BOOLOPT, boolOpts),
};
export type BridgeData = Attrs<typeof bridgeTable>;

export const IFLA_BRPORT_STATE = 1;
export const IFLA_BRPORT_PRIORITY = 2;
export const IFLA_BRPORT_COST = 3;
/** Hairpin mode: frames may go back out of the port they came in on (what VEPA needs). */
export const IFLA_BRPORT_MODE = 4;
export const IFLA_BRPORT_GUARD = 5;
export const IFLA_BRPORT_PROTECT = 6;
export const IFLA_BRPORT_FAST_LEAVE = 7;
export const IFLA_BRPORT_LEARNING = 8;
export const IFLA_BRPORT_UNICAST_FLOOD = 9;
export const IFLA_BRPORT_PROXYARP = 10;
export const IFLA_BRPORT_PROXYARP_WIFI = 12;
export const IFLA_BRPORT_ROOT_ID = 13;
export const IFLA_BRPORT_BRIDGE_ID = 14;
export const IFLA_BRPORT_DESIGNATED_PORT = 15;
export const IFLA_BRPORT_DESIGNATED_COST = 16;
export const IFLA_BRPORT_ID = 17;
export const IFLA_BRPORT_NO = 18;
export const IFLA_BRPORT_TOPOLOGY_CHANGE_ACK = 19;
export const IFLA_BRPORT_CONFIG_PENDING = 20;
export const IFLA_BRPORT_MESSAGE_AGE_TIMER = 21;
export const IFLA_BRPORT_FORWARD_DELAY_TIMER = 22;
export const IFLA_BRPORT_HOLD_TIMER = 23;
export const IFLA_BRPORT_FLUSH = 24;
export const IFLA_BRPORT_MULTICAST_ROUTER = 25;
export const IFLA_BRPORT_MCAST_FLOOD = 27;
export const IFLA_BRPORT_MCAST_TO_UCAST = 28;
export const IFLA_BRPORT_VLAN_TUNNEL = 29;
export const IFLA_BRPORT_BCAST_FLOOD = 30;
export const IFLA_BRPORT_GROUP_FWD_MASK = 31;
export const IFLA_BRPORT_NEIGH_SUPPRESS = 32;
export const IFLA_BRPORT_ISOLATED = 33;
export const IFLA_BRPORT_BACKUP_PORT = 34;
export const IFLA_BRPORT_LOCKED = 39;

/** enum br_port_state (BR_STATE_*). */
export const BRPORT_STATES = { disabled: 0, listening: 1, learning: 2, forwarding: 3, blocking: 4 } as const;

export const bridgePortTable = {
  state: field(IFLA_BRPORT_STATE, enumOf(u8, BRPORT_STATES)),
  priority: field(IFLA_BRPORT_PRIORITY, u16),
  cost: field(IFLA_BRPORT_COST, u32),
  hairpin: field(IFLA_BRPORT_MODE, bool8),
  guard: field(IFLA_BRPORT_GUARD, bool8),
  protect: field(IFLA_BRPORT_PROTECT, bool8),
  fastLeave: field(IFLA_BRPORT_FAST_LEAVE, bool8),
  learning: field(IFLA_BRPORT_LEARNING, bool8),
  unicastFlood: field(IFLA_BRPORT_UNICAST_FLOOD, bool8),
  proxyArp: field(IFLA_BRPORT_PROXYARP, bool8),
  proxyArpWifi: field(IFLA_BRPORT_PROXYARP_WIFI, bool8),
  /** struct ifla_bridge_id, as in the bridge's table. */
  rootId: field(IFLA_BRPORT_ROOT_ID, bytes),
  bridgeId: field(IFLA_BRPORT_BRIDGE_ID, bytes),
  designatedPort: field(IFLA_BRPORT_DESIGNATED_PORT, u16),
  designatedCost: field(IFLA_BRPORT_DESIGNATED_COST, u16),
  id: field(IFLA_BRPORT_ID, u16),
  no: field(IFLA_BRPORT_NO, u16),
  topologyChangeAck: field(IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, u8),
  configPending: field(IFLA_BRPORT_CONFIG_PENDING, u8),
  /** Timers in centiseconds, like the bridge's. */
  messageAgeTimer: field(IFLA_BRPORT_MESSAGE_AGE_TIMER, u64),
  forwardDelayTimer: field(IFLA_BRPORT_FORWARD_DELAY_TIMER, u64),
  holdTimer: field(IFLA_BRPORT_HOLD_TIMER, u64),
  /** Write-only: flush the port's forwarding database entries. */
  flush: field(IFLA_BRPORT_FLUSH, flag),
  multicastRouter: field(IFLA_BRPORT_MULTICAST_ROUTER, u8),
  mcastFlood: field(IFLA_BRPORT_MCAST_FLOOD, bool8),
  mcastToUcast: field(IFLA_BRPORT_MCAST_TO_UCAST, bool8),
  vlanTunnel: field(IFLA_BRPORT_VLAN_TUNNEL, bool8),
  bcastFlood: field(IFLA_BRPORT_BCAST_FLOOD, bool8),
  groupFwdMask: field(IFLA_BRPORT_GROUP_FWD_MASK, u16),
  neighSuppress: field(IFLA_BRPORT_NEIGH_SUPPRESS, bool8),
  isolated: field(IFLA_BRPORT_ISOLATED, bool8),
  /** Index of the backup port. */
  backupPort: field(IFLA_BRPORT_BACKUP_PORT, u32),
  locked: field(IFLA_BRPORT_LOCKED, bool8),
};
export type BridgePortData = Attrs<typeof bridgePortTable>;
