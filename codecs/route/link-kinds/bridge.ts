// IFLA_INFO_DATA of kind "bridge" (IFLA_BR_*), and of a bridge's ports (IFLA_INFO_SLAVE_DATA,
// IFLA_BRPORT_*), where hairpin mode lives. Attributes not listed here are kept as they came.
import { bool8, bytes, mac, u16, u16be, u32, u64, u8, enumOf } from '../../netlink/codecs.js';
import { field, type Attrs } from '../../netlink/schema.js';

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
export const IFLA_BR_MCAST_ROUTER = 22;
export const IFLA_BR_MCAST_SNOOPING = 23;
export const IFLA_BR_MCAST_QUERIER = 25;
export const IFLA_BR_VLAN_DEFAULT_PVID = 39;
export const IFLA_BR_VLAN_STATS_ENABLED = 41;

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
  mcastRouter: field(IFLA_BR_MCAST_ROUTER, u8),
  mcastSnooping: field(IFLA_BR_MCAST_SNOOPING, bool8),
  mcastQuerier: field(IFLA_BR_MCAST_QUERIER, bool8),
  vlanDefaultPvid: field(IFLA_BR_VLAN_DEFAULT_PVID, u16),
  vlanStatsEnabled: field(IFLA_BR_VLAN_STATS_ENABLED, bool8),
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
export const IFLA_BRPORT_MCAST_FLOOD = 27;
export const IFLA_BRPORT_BCAST_FLOOD = 30;
export const IFLA_BRPORT_NEIGH_SUPPRESS = 32;
export const IFLA_BRPORT_ISOLATED = 33;

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
  mcastFlood: field(IFLA_BRPORT_MCAST_FLOOD, bool8),
  bcastFlood: field(IFLA_BRPORT_BCAST_FLOOD, bool8),
  neighSuppress: field(IFLA_BRPORT_NEIGH_SUPPRESS, bool8),
  isolated: field(IFLA_BRPORT_ISOLATED, bool8),
};
export type BridgePortData = Attrs<typeof bridgePortTable>;
