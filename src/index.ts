// The public API of rtnl.
export { RtNetlink, type OpenOptions } from './rtnetlink.js';
export { Client, type ClientOptions, type Request } from './client.js';
export {
  NetlinkError, NotFoundError, ExistsError, PermissionError, InvalidArgumentError, BusyError, UnreachableError, TimeoutError,
  DumpInterruptedError, OverflowError, ProtocolError, type RequestInfo,
} from './errors.js';
export type { NetnsRef } from './netns/resolve.js';
export { NetNS, type SyncLookup } from './netns/netns.js';
export type { NetnsEvent, NetnsWatch } from './netns/watch.js';
export type { NsidApi, NsidEntry } from './api/nsid.js';
export { LinkApi } from './api/link.js';
export {
  checkLinkName, type LinkListFilter, type LinkGroup, type AddLinkOptions, type AddLinkCommon, type AddLinkKinds, type LinkChanges,
  type LinkSettings, type NewLinkSettings, type MacvlanOptions, type MacvlanChanges, type MacaddrChange, type VethOptions,
  type VxlanOptions, type LinkMode, type OperState, type XdpChange, type XdpMode,
} from './api/link-options.js';
export { bpfProgram, type BpfProgram } from './api/bpf.js';
export type { LinkRef, Session } from './api/session.js';
export type {
  Link, LinkInfo, KindInfo, SlaveInfo, LinkStats64, IffFlag, KindData, KnownKind, LinkKind, VethData, XdpAttrs,
} from '../codecs/route/link.js';
export type {
  SlaveKindData, OtherKind, OtherSlaveKind, MacvlanData, MacvlanMode, MacvlanFlag, BridgeData, BridgePortData, VxlanData,
  VlanData, IpvlanData, IpvlanMode, DummyData,
} from '../codecs/route/link-kinds/index.js';
export type { Lifetime } from './api/inet.js';
export type { Restored } from './api/restore.js';
export { AddressApi, type Address, type AddressRef, type AddressDeleteRef, type AddressSpec, type AddressOptions, type AddressFilter } from './api/address.js';
export {
  RouteApi, type Route, type RouteSpec, type RouteFilter, type RouteGetOptions, type Nexthop, type NexthopSpec, type Realms,
} from './api/route.js';
export { RuleApi, type Rule, type RuleSpec, type RuleFilter } from './api/rule.js';
export type { RuleAction, RuleFlag, RuleRange } from '../codecs/route/rule.js';
export {
  NexthopApi, type NexthopObject, type NexthopObjectSpec, type NexthopFilter, type NexthopDumpFilter, type NexthopGroupMember,
  type ResilientGroup, type NexthopBucket, type NexthopBucketFilter, type NexthopBucketRef, type NexthopBucketDumpFilter,
} from './api/nexthop.js';
export type { NexthopGroupType } from '../codecs/route/nexthop.js';
export {
  NeighbourApi, type Neighbour, type NeighbourRef, type NeighbourSpec, type NeighbourOptions, type NeighbourFilter,
} from './api/neighbour.js';
export { FdbApi, type FdbEntry, type FdbRef, type FdbSpec, type FdbFilter } from './api/fdb.js';
export {
  NeighbourTableApi, type NeighbourTable, type NeighbourTableFilter, type NeighbourTableSpec, type NeighbourParms,
} from './api/neighbour-table.js';
export type { NdtConfig, NdtStats } from '../codecs/route/neighbour-table.js';
export { NetconfApi, type Netconf, type NetconfRef, type NetconfFilter } from './api/netconf.js';
export type { RpFilter } from '../codecs/route/netconf.js';
export {
  StatsApi, type LinkStats, type StatsFilter, type StatsRef, type StatsSpec, type StatsGroup, type OffloadPart, type Xstats,
  type OffloadStats, type HwStatsInfo, type Bond3adStats,
} from './api/stats.js';
export type { BrMcastStats, BridgeStpXstats, BridgeVlanXstats, HwStats64, MplsLinkStats } from '../codecs/route/stats.js';
export { AddrLabelApi, type AddrLabel, type AddrLabelSpec } from './api/addrlabel.js';
export type { AdvertisedPrefix } from './api/prefix.js';
export type { PrefixFlag } from '../codecs/route/prefix.js';
export type { FamilyName, ScopeName } from '../codecs/route/common.js';
export type { AddressFlag } from '../codecs/route/address.js';
export type { Encap, IpEncap, Ip6Encap, OtherEncap, EncapTypeName, TunnelFlag } from '../codecs/route/encap.js';
export type { Metrics, RouteType, RoutePref, ProtocolName, TableName, RouteFlag, NexthopFlag } from '../codecs/route/route.js';
export type { NeighbourState, NeighbourFlag, FdbState } from '../codecs/route/neighbour.js';
export {
  Macvlan, type MacvlanCreateOptions, type HostShimOptions, type MacvlanFilter, type MacvlanParent, type MacvlanJSON,
} from './macvlan.js';
export { monitor, Monitor, type MonitorOptions, type MonitorEvent, type SyncedEvent } from './events/monitor.js';
export type { ChangeEvent, Watchable, WatchedFamily } from './events/families.js';
export { replay, Replay, type ReplayEvent, type ReplayOptions, type StampEvent, type UnreadEvent } from './events/replay.js';
