// The public API of rtnl.
export { RtNetlink, type OpenOptions } from './rtnetlink.js';
export { Client, type ClientOptions, type Request } from './client.js';
export {
  NetlinkError, NotFoundError, ExistsError, PermissionError, InvalidArgumentError, BusyError, UnreachableError, TimeoutError,
  DumpInterruptedError, OverflowError, ProtocolError, type RequestInfo,
} from './errors.js';
export type { NetnsRef } from './netns/resolve.js';
export { NetNS, type SyncLookup } from './netns/netns.js';
export type { NsidApi, NsidEntry } from './api/nsid.js';
export {
  LinkApi, checkLinkName, type LinkRef, type LinkListFilter, type AddLinkOptions, type LinkChanges, type MacvlanOptions,
  type MacvlanChanges, type MacaddrChange, type VethOptions,
} from './api/link.js';
export { kindDataOf, type Link, type LinkInfo, type LinkStats64, type IffFlag, type KindData } from '../codecs/route/link.js';
export type { MacvlanData, MacvlanMode, MacvlanFlag, VethData, BridgeData, BridgePortData, VxlanData, VlanData, IpvlanData } from '../codecs/route/link-kinds/index.js';
export { AddressApi, type Address, type AddressOptions, type AddressFilter } from './api/address.js';
export {
  RouteApi, type Route, type RouteSpec, type RouteFilter, type RouteGetOptions, type Nexthop, type NexthopSpec,
} from './api/route.js';
export { NeighbourApi, type Neighbour, type NeighbourOptions, type NeighbourFilter } from './api/neighbour.js';
export type { FamilyName, ScopeName } from '../codecs/route/common.js';
export type { AddressFlag } from '../codecs/route/address.js';
export type { Metrics, RouteType, ProtocolName, TableName, RouteFlag, NexthopFlag } from '../codecs/route/route.js';
export type { NeighbourState, NeighbourFlag } from '../codecs/route/neighbour.js';
export {
  Macvlan, type MacvlanCreateOptions, type HostShimOptions, type MacvlanFilter, type MacvlanParent, type MacvlanJSON,
} from './macvlan.js';
