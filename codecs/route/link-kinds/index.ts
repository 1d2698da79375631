// The registry of link kinds: IFLA_INFO_KIND -> the table of its IFLA_INFO_DATA, and
// IFLA_INFO_SLAVE_KIND -> the table of its IFLA_INFO_SLAVE_DATA. One line per kind.
import type { Table } from '../../netlink/schema.js';
import { bridgePortTable, bridgeTable, type BridgeData, type BridgePortData } from './bridge.js';
import { dummyTable, type DummyData } from './dummy.js';
import { ipvlanTable, type IpvlanData } from './ipvlan.js';
import { macvlanTable, type MacvlanData } from './macvlan.js';
import { tunTable, type TunData } from './tun.js';
import { vlanTable, type VlanData } from './vlan.js';
import { vxlanTable, type VxlanData } from './vxlan.js';

/** Every kind but veth, whose table link.ts makes (see veth.ts) and adds to its own registry. */
export const kindTables: Record<string, Table> = {
  macvlan: macvlanTable,
  macvtap: macvlanTable,
  bridge: bridgeTable,
  vxlan: vxlanTable,
  vlan: vlanTable,
  ipvlan: ipvlanTable,
  ipvtap: ipvlanTable,
  dummy: dummyTable,
  tun: tunTable,
};

export const slaveKinds: Record<string, Table> = {
  bridge: bridgePortTable,
};

/** IFLA_INFO_DATA decoded, by kind (link.ts adds veth: KindData). */
export interface TableKindData {
  macvlan: MacvlanData;
  macvtap: MacvlanData;
  bridge: BridgeData;
  vxlan: VxlanData;
  vlan: VlanData;
  ipvlan: IpvlanData;
  ipvtap: IpvlanData;
  dummy: DummyData;
  tun: TunData;
}

/**
 * The kinds of Linux 6.18 (rtnl_link_ops .kind) that the library does not model: their
 * IFLA_INFO_DATA stays bytes. Named so that `link.info?.kind === 'tun'` narrows and a typo
 * does not compile. A kind newer than this list still decodes, its data as bytes too.
 */
export type OtherKind =
  | 'amt' | 'bareudp' | 'batadv' | 'bond' | 'can' | 'caif' | 'dsa' | 'erspan' | 'geneve' | 'gre' | 'gretap' | 'gtp'
  | 'hsr' | 'ifb' | 'ip6erspan' | 'ip6gre' | 'ip6gretap' | 'ip6tnl' | 'ip6_vti' | 'ipip' | 'ipoib' | 'lowpan'
  | 'macsec' | 'mctp' | 'netdevsim' | 'netkit' | 'nlmon' | 'openvswitch' | 'ovpn' | 'pfcp' | 'ppp' | 'prp' | 'rmnet'
  | 'sit' | 'team' | 'vcan' | 'virt_wifi' | 'vrf' | 'vti' | 'vxcan' | 'wireguard' | 'wwan' | 'xfrm';

/** IFLA_INFO_SLAVE_DATA decoded, by the master's kind. */
export interface SlaveKindData {
  bridge: BridgePortData;
}
/** Masters whose port data the library does not model (kept as bytes). */
export type OtherSlaveKind = 'bond' | 'team' | 'vrf' | 'hsr' | 'openvswitch';

export * from './bridge.js';
export * from './dummy.js';
export * from './ipvlan.js';
export * from './macvlan.js';
export * from './tun.js';
export * from './veth.js';
export * from './vlan.js';
export * from './vxlan.js';
