// IFLA_VFINFO_LIST: an SR-IOV device's virtual functions, one IFLA_VF_INFO nest each, which the
// kernel sends when a request's IFLA_EXT_MASK has RTEXT_FILTER_VF. Each value is a struct that
// starts with the VF's number (<linux/if_link.h>); the unknown attributes stay in `other`.
import { bytes, enumOf, listOf, u16be, u64 } from '../netlink/codecs.js';
import { getAt } from '../netlink/attrs.js';
import { DecodeError } from '../netlink/errors.js';
import { field, nested, type Attrs, type Codec } from '../netlink/schema.js';
import { u32Struct } from './common.js';
import { VLAN_PROTOCOLS } from './link-kinds/vlan.js';

export const IFLA_VF_INFO = 1;
export const IFLA_VF_MAC = 1;
export const IFLA_VF_VLAN = 2;
export const IFLA_VF_TX_RATE = 3;
export const IFLA_VF_SPOOFCHK = 4;
export const IFLA_VF_LINK_STATE = 5;
export const IFLA_VF_RATE = 6;
export const IFLA_VF_RSS_QUERY_EN = 7;
export const IFLA_VF_STATS = 8;
export const IFLA_VF_TRUST = 9;
export const IFLA_VF_IB_NODE_GUID = 10;
export const IFLA_VF_IB_PORT_GUID = 11;
export const IFLA_VF_VLAN_LIST = 12;
export const IFLA_VF_BROADCAST = 13;
export const IFLA_VF_VLAN_INFO = 1;
export const IFLA_VF_STATS_RX_PACKETS = 0;
export const IFLA_VF_STATS_TX_PACKETS = 1;
export const IFLA_VF_STATS_RX_BYTES = 2;
export const IFLA_VF_STATS_TX_BYTES = 3;
export const IFLA_VF_STATS_BROADCAST = 4;
export const IFLA_VF_STATS_MULTICAST = 5;
export const IFLA_VF_STATS_RX_DROPPED = 7;
export const IFLA_VF_STATS_TX_DROPPED = 8;
/** IFLA_VF_LINK_STATE_*. */
export const VF_LINK_STATES = { auto: 0, enable: 1, disable: 2 } as const;

/** A struct of fixed size, read and written by hand. */
function struct<T>(what: string, size: number, read: (b: Uint8Array, dv: DataView) => T, write: (v: T, b: Uint8Array, dv: DataView) => void): Codec<T> {
  return {
    decode: (v) => {
      if (v.length !== size) throw new DecodeError(`${what} is ${v.length} bytes, expected ${size}`);
      return read(v, new DataView(v.buffer, v.byteOffset, v.length));
    },
    encode: (w, v) => {
      const b = new Uint8Array(size);
      write(v, b, new DataView(b.buffer));
      w.bytes(b);
    },
  };
}

/** struct ifla_vf_mac { __u32 vf; __u8 mac[32]; }: the VF's address in the first bytes (6 for Ethernet). */
const vfMac = struct<{ vf: number; address: Uint8Array }>('ifla_vf_mac', 36, (b) => ({ vf: getAt.u32(b, 0, 4), address: b.slice(4, 36) }), (v, b, dv) => {
  dv.setUint32(0, v.vf, true);
  b.set(v.address.subarray(0, 32), 4);
});

/** struct ifla_vf_guid { __u32 vf; __u64 guid; } (4 bytes of padding between). */
const vfGuid = struct('ifla_vf_guid', 16, (_b, dv) => ({ vf: dv.getUint32(0, true), guid: dv.getBigUint64(8, true) }), (v, _b, dv) => {
  dv.setUint32(0, v.vf, true);
  dv.setBigUint64(8, v.guid, true);
});

const vlanProtocol = enumOf(u16be, VLAN_PROTOCOLS);
/** struct ifla_vf_vlan_info { __u32 vf, vlan, qos; __be16 vlan_proto; } (2 bytes of padding after). */
const vfVlanInfo = struct('ifla_vf_vlan_info', 16, (b, dv) => ({
  vf: dv.getUint32(0, true), vlan: dv.getUint32(4, true), qos: dv.getUint32(8, true), protocol: vlanProtocol.decode(b.subarray(12, 14)),
}), (v, _b, dv) => {
  for (const [i, k] of (['vf', 'vlan', 'qos'] as const).entries()) dv.setUint32(4 * i, v[k], true);
  dv.setUint16(12, typeof v.protocol === 'number' ? v.protocol : VLAN_PROTOCOLS[v.protocol]);
});

/** IFLA_VF_STATS: the VF's counters, u64 each. */
export const vfStatsTable = {
  rxPackets: field(IFLA_VF_STATS_RX_PACKETS, u64),
  txPackets: field(IFLA_VF_STATS_TX_PACKETS, u64),
  rxBytes: field(IFLA_VF_STATS_RX_BYTES, u64),
  txBytes: field(IFLA_VF_STATS_TX_BYTES, u64),
  broadcast: field(IFLA_VF_STATS_BROADCAST, u64),
  multicast: field(IFLA_VF_STATS_MULTICAST, u64),
  rxDropped: field(IFLA_VF_STATS_RX_DROPPED, u64),
  txDropped: field(IFLA_VF_STATS_TX_DROPPED, u64),
};

/** A `setting` of (u32) -1: the driver does not tell it. */
export const VF_SETTING_UNKNOWN = 0xffffffff;

/** One virtual function (IFLA_VF_INFO). */
export const vfTable = {
  mac: field(IFLA_VF_MAC, vfMac),
  vlan: field(IFLA_VF_VLAN, u32Struct('ifla_vf_vlan', ['vf', 'vlan', 'qos'] as const)),
  /** Mbps; 0: no limit. */
  txRate: field(IFLA_VF_TX_RATE, u32Struct('ifla_vf_tx_rate', ['vf', 'rate'] as const)),
  spoofchk: field(IFLA_VF_SPOOFCHK, u32Struct('ifla_vf_spoofchk', ['vf', 'setting'] as const)),
  /** `linkState`: VF_LINK_STATES' numbers. */
  linkState: field(IFLA_VF_LINK_STATE, u32Struct('ifla_vf_link_state', ['vf', 'linkState'] as const)),
  rssQueryEn: field(IFLA_VF_RSS_QUERY_EN, u32Struct('ifla_vf_rss_query_en', ['vf', 'setting'] as const)),
  stats: field(IFLA_VF_STATS, nested(vfStatsTable)),
  trust: field(IFLA_VF_TRUST, u32Struct('ifla_vf_trust', ['vf', 'setting'] as const)),
  ibNodeGuid: field(IFLA_VF_IB_NODE_GUID, vfGuid),
  ibPortGuid: field(IFLA_VF_IB_PORT_GUID, vfGuid),
  vlanList: field(IFLA_VF_VLAN_LIST, listOf(IFLA_VF_VLAN_INFO, vfVlanInfo)),
  /** struct ifla_vf_broadcast { __u8 broadcast[32]; }. */
  broadcast: field(IFLA_VF_BROADCAST, bytes),
  /** Mbps. Last: a request built by hand has it after the others, where ip puts it. */
  rate: field(IFLA_VF_RATE, u32Struct('ifla_vf_rate', ['vf', 'minTxRate', 'maxTxRate'] as const)),
};
export type VfInfo = Attrs<typeof vfTable>;

/** IFLA_VFINFO_LIST's value. */
export const vfInfoList = listOf(IFLA_VF_INFO, nested(vfTable));
