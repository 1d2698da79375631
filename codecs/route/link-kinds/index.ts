// The registry of link kinds: IFLA_INFO_KIND -> the table of its IFLA_INFO_DATA, and
// IFLA_INFO_SLAVE_KIND -> the table of its IFLA_INFO_SLAVE_DATA. One line per kind.
import type { Table } from '../../netlink/schema.js';
import { bridgePortTable, bridgeTable, type BridgeData, type BridgePortData } from './bridge.js';
import { dummyTable, type DummyData } from './dummy.js';
import { ipvlanTable, type IpvlanData } from './ipvlan.js';
import { macvlanTable, type MacvlanData } from './macvlan.js';
import { vethTable, type VethData } from './veth.js';
import { vlanTable, type VlanData } from './vlan.js';
import { vxlanTable, type VxlanData } from './vxlan.js';

export const linkKinds: Record<string, Table> = {
  macvlan: macvlanTable,
  macvtap: macvlanTable,
  veth: vethTable,
  bridge: bridgeTable,
  vxlan: vxlanTable,
  vlan: vlanTable,
  ipvlan: ipvlanTable,
  ipvtap: ipvlanTable,
  dummy: dummyTable,
};

export const slaveKinds: Record<string, Table> = {
  bridge: bridgePortTable,
};

/** IFLA_INFO_DATA decoded, by kind. */
export interface KindData {
  macvlan: MacvlanData;
  macvtap: MacvlanData;
  veth: VethData;
  bridge: BridgeData;
  vxlan: VxlanData;
  vlan: VlanData;
  ipvlan: IpvlanData;
  ipvtap: IpvlanData;
  dummy: DummyData;
}
export type KnownKind = keyof KindData;

/** IFLA_INFO_SLAVE_DATA decoded, by the master's kind. */
export interface SlaveKindData {
  bridge: BridgePortData;
}

export * from './bridge.js';
export * from './dummy.js';
export * from './ipvlan.js';
export * from './macvlan.js';
export * from './veth.js';
export * from './vlan.js';
export * from './vxlan.js';
