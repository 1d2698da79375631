// RTM_NEWSTATS / RTM_GETSTATS / RTM_SETSTATS: struct if_stats_msg, then IFLA_STATS_* attributes
// (<linux/if_link.h>): a link's counters by group, without the rest of the link (`ip stats`).
// A request carries IFLA_STATS_GETSET_* attributes instead: which parts of a group to send, or a
// counter set to switch on. Counters are u64 (bigint), like a link's IFLA_STATS64.
import { DecodeError } from '../netlink/errors.js';
import { getAt } from '../netlink/attrs.js';
import { u8, u32, u64 } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage, type Struct } from '../netlink/family.js';
import { field, nested, repeated, type Codec } from '../netlink/schema.js';
import { LE, view } from '../netlink/endian.js';
import { u64s, type Packed } from './common.js';
import { AF_MPLS } from './constants.js';
import { STATS64_FIELDS } from './link.js';

export const IFLA_STATS_LINK_64 = 1;
export const IFLA_STATS_LINK_XSTATS = 2;
export const IFLA_STATS_LINK_XSTATS_SLAVE = 3;
export const IFLA_STATS_LINK_OFFLOAD_XSTATS = 4;
export const IFLA_STATS_AF_SPEC = 5;

/** IFLA_STATS_FILTER_BIT(): the bit of if_stats_msg.filter_mask that asks for the attribute. */
export const statsFilterBit = (attr: number): number => 1 << (attr - 1);

export const IFLA_STATS_GET_FILTERS = 1;
export const IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS = 2;

export const LINK_XSTATS_TYPE_BRIDGE = 1;
export const LINK_XSTATS_TYPE_BOND = 2;

export const IFLA_OFFLOAD_XSTATS_CPU_HIT = 1;
export const IFLA_OFFLOAD_XSTATS_HW_S_INFO = 2;
export const IFLA_OFFLOAD_XSTATS_L3_STATS = 3;
export const IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST = 1;
export const IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED = 2;

export const BRIDGE_XSTATS_VLAN = 1;
export const BRIDGE_XSTATS_MCAST = 2;
export const BRIDGE_XSTATS_STP = 4;

export const BOND_XSTATS_3AD = 1;
export const BOND_3AD_STAT_LACPDU_RX = 0;
export const BOND_3AD_STAT_LACPDU_TX = 1;
export const BOND_3AD_STAT_LACPDU_UNKNOWN_RX = 2;
export const BOND_3AD_STAT_LACPDU_ILLEGAL_RX = 3;
export const BOND_3AD_STAT_MARKER_RX = 4;
export const BOND_3AD_STAT_MARKER_TX = 5;
export const BOND_3AD_STAT_MARKER_RESP_RX = 6;
export const BOND_3AD_STAT_MARKER_RESP_TX = 7;
export const BOND_3AD_STAT_MARKER_UNKNOWN_RX = 8;

export const MPLS_STATS_LINK = 1;

/** struct if_stats_msg: the family, two bytes of padding, the link, and which groups (filter_mask). */
export interface IfStatsMsg {
  family: number;
  ifindex: number;
  filterMask: number;
}

const IF_STATS_MSG_LEN = 12;
export const ifStatsMsg: Struct<IfStatsMsg> = {
  size: IF_STATS_MSG_LEN,
  decode(b) {
    if (b.length < IF_STATS_MSG_LEN) throw new DecodeError(`if_stats_msg is ${b.length} bytes, expected ${IF_STATS_MSG_LEN}`);
    return { family: b[0], ifindex: getAt.u32(b, 4, 8), filterMask: getAt.u32(b, 8, 12) };
  },
  encode(w, h) {
    w.u8(h.family).u8(0).u16(0).u32(h.ifindex).u32(h.filterMask);
  },
};

/** struct rtnl_hw_stats64, in order: what the hardware counted (l3_stats). */
export const HW_STATS64_FIELDS = ['rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxErrors', 'txErrors', 'rxDropped', 'txDropped', 'multicast'] as const;
export type HwStats64 = Packed<(typeof HW_STATS64_FIELDS)[number], bigint>;

/** struct mpls_link_stats, in order. */
export const MPLS_LINK_STATS_FIELDS = ['rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxErrors', 'txErrors', 'rxDropped', 'txDropped', 'rxNoroute'] as const;
export type MplsLinkStats = Packed<(typeof MPLS_LINK_STATS_FIELDS)[number], bigint>;

/** struct br_mcast_stats, in order: each [2] array as its RX then TX counter. */
export const BR_MCAST_STATS_FIELDS = [
  'igmpV1QueriesRx', 'igmpV1QueriesTx', 'igmpV2QueriesRx', 'igmpV2QueriesTx', 'igmpV3QueriesRx', 'igmpV3QueriesTx',
  'igmpLeavesRx', 'igmpLeavesTx', 'igmpV1ReportsRx', 'igmpV1ReportsTx', 'igmpV2ReportsRx', 'igmpV2ReportsTx',
  'igmpV3ReportsRx', 'igmpV3ReportsTx', 'igmpParseErrors',
  'mldV1QueriesRx', 'mldV1QueriesTx', 'mldV2QueriesRx', 'mldV2QueriesTx', 'mldLeavesRx', 'mldLeavesTx',
  'mldV1ReportsRx', 'mldV1ReportsTx', 'mldV2ReportsRx', 'mldV2ReportsTx', 'mldParseErrors',
  'mcastBytesRx', 'mcastBytesTx', 'mcastPacketsRx', 'mcastPacketsTx',
] as const;
export type BrMcastStats = Packed<(typeof BR_MCAST_STATS_FIELDS)[number], bigint>;

/** struct bridge_stp_xstats, in order. */
export const BRIDGE_STP_XSTATS_FIELDS = ['transitionBlk', 'transitionFwd', 'rxBpdu', 'txBpdu', 'rxTcn', 'txTcn'] as const;
export type BridgeStpXstats = Packed<(typeof BRIDGE_STP_XSTATS_FIELDS)[number], bigint>;

/** struct bridge_vlan_xstats: one VLAN's counters on a bridge or port (with vlan_stats_enabled). */
export interface BridgeVlanXstats {
  rxBytes: bigint;
  rxPackets: bigint;
  txBytes: bigint;
  txPackets: bigint;
  vid: number;
  flags: number;
}

const VLAN_XSTATS_LEN = 40;
const bridgeVlanXstats: Codec<BridgeVlanXstats> = {
  decode(v) {
    if (v.length < VLAN_XSTATS_LEN) throw new DecodeError(`bridge_vlan_xstats is ${v.length} bytes, expected ${VLAN_XSTATS_LEN}`);
    const dv = view(v);
    return {
      rxBytes: dv.getBigUint64(0, LE), rxPackets: dv.getBigUint64(8, LE), txBytes: dv.getBigUint64(16, LE), txPackets: dv.getBigUint64(24, LE),
      vid: dv.getUint16(32, LE), flags: dv.getUint16(34, LE),
    };
  },
  encode(w, x) {
    w.u64(x.rxBytes).u64(x.rxPackets).u64(x.txBytes).u64(x.txPackets).u16(x.vid).u16(x.flags).u32(0);
  },
};

export const bridgeXstatsTable = {
  vlan: repeated(BRIDGE_XSTATS_VLAN, bridgeVlanXstats),
  mcast: field(BRIDGE_XSTATS_MCAST, u64s(BR_MCAST_STATS_FIELDS)),
  stp: field(BRIDGE_XSTATS_STP, u64s(BRIDGE_STP_XSTATS_FIELDS)),
};

/** BOND_3AD_STAT_*: each a u64 attribute of its own. */
export const bond3adTable = {
  lacpduRx: field(BOND_3AD_STAT_LACPDU_RX, u64),
  lacpduTx: field(BOND_3AD_STAT_LACPDU_TX, u64),
  lacpduUnknownRx: field(BOND_3AD_STAT_LACPDU_UNKNOWN_RX, u64),
  lacpduIllegalRx: field(BOND_3AD_STAT_LACPDU_ILLEGAL_RX, u64),
  markerRx: field(BOND_3AD_STAT_MARKER_RX, u64),
  markerTx: field(BOND_3AD_STAT_MARKER_TX, u64),
  markerRespRx: field(BOND_3AD_STAT_MARKER_RESP_RX, u64),
  markerRespTx: field(BOND_3AD_STAT_MARKER_RESP_TX, u64),
  markerUnknownRx: field(BOND_3AD_STAT_MARKER_UNKNOWN_RX, u64),
};

/** A bond's or bond port's 802.3ad counters (BOND_XSTATS_3AD). */
export const bondXstatsTable = { ad: field(BOND_XSTATS_3AD, nested(bond3adTable)) };

/** IFLA_STATS_LINK_XSTATS(_SLAVE): the counters of the link's kind (a bridge, a bond) or of its master's. */
export const xstatsTable = {
  bridge: field(LINK_XSTATS_TYPE_BRIDGE, nested(bridgeXstatsTable)),
  bond: field(LINK_XSTATS_TYPE_BOND, nested(bondXstatsTable)),
};

/** One counter set's state: asked for (request) and given by the hardware (used); 0 or 1. */
export const hwStatsInfoOneTable = {
  request: field(IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST, u8),
  used: field(IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED, u8),
};

export const offloadXstatsTable = {
  /** What reached the CPU of a link whose switching is offloaded. */
  cpuHit: field(IFLA_OFFLOAD_XSTATS_CPU_HIT, u64s(STATS64_FIELDS)),
  /** Each offloaded counter set's state, by the set's attribute (IFLA_OFFLOAD_XSTATS_L3_STATS). */
  hwStatsInfo: field(IFLA_OFFLOAD_XSTATS_HW_S_INFO, nested({ l3Stats: field(IFLA_OFFLOAD_XSTATS_L3_STATS, nested(hwStatsInfoOneTable)) })),
  /** What the hardware routed (when switched on: RTM_SETSTATS). */
  l3Stats: field(IFLA_OFFLOAD_XSTATS_L3_STATS, u64s(HW_STATS64_FIELDS)),
};

/** IFLA_STATS_AF_SPEC: per address family, by its AF_* number. */
export const statsAfSpecTable = {
  mpls: field(AF_MPLS, nested({ link: field(MPLS_STATS_LINK, u64s(MPLS_LINK_STATS_FIELDS)) })),
};

export const statsTable = {
  link64: field(IFLA_STATS_LINK_64, u64s(STATS64_FIELDS)),
  xstats: field(IFLA_STATS_LINK_XSTATS, nested(xstatsTable)),
  xstatsSlave: field(IFLA_STATS_LINK_XSTATS_SLAVE, nested(xstatsTable)),
  offloadXstats: field(IFLA_STATS_LINK_OFFLOAD_XSTATS, nested(offloadXstatsTable)),
  afSpec: field(IFLA_STATS_AF_SPEC, nested(statsAfSpecTable)),
};

/** IFLA_STATS_GET_FILTERS: for a group, which of its parts, one bit each (IFLA_STATS_FILTER_BIT of the part's attribute). */
export const statsGetFiltersTable = {
  offloadXstats: field(IFLA_STATS_LINK_OFFLOAD_XSTATS, u32),
};

export const statsRequestTable = {
  getFilters: field(IFLA_STATS_GET_FILTERS, nested(statsGetFiltersTable), { flagNested: true }),
  setOffloadXstatsL3Stats: field(IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS, u8),
};

/** The kernel's answers and notifications (RTM_NEWSTATS). */
export const statsCodec = familyCodec('if_stats_msg', ifStatsMsg, statsTable);
export type StatsMessage = FamilyMessage<IfStatsMsg, typeof statsTable>;

/** Requests (RTM_GETSTATS, RTM_SETSTATS). */
export const statsRequestCodec = familyCodec('if_stats_msg', ifStatsMsg, statsRequestTable);
export type StatsRequestMessage = FamilyMessage<IfStatsMsg, typeof statsRequestTable>;
