// rt.route: the routing tables, as `ip route` shows and changes them.
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE } from '../../codecs/netlink/constants.js';
import type { Request } from '../client.js';
import { SCOPES, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE, type FamilyName, type ScopeName } from '../../codecs/route/common.js';
import { AF_INET, AF_INET6, RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE, USER_HZ } from '../../codecs/route/constants.js';
import {
  NEXTHOP_FLAGS, PROTOCOLS, ROUTE_FLAGS, ROUTE_PREFS, ROUTE_TYPES, RTM_F_CLONED, RTM_F_FIB_MATCH, RTM_F_LOOKUP_TABLE, RTM_F_NOTIFY, RTN_ANYCAST, RTN_BROADCAST, RTN_LOCAL,
  RTN_MULTICAST, RTN_NAT, RTN_UNICAST, RTN_UNSPEC, RTNH_F_ONLINK, RTPROT_BOOT, RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_UNSPEC, TABLES,
  routeCodec, type Metrics, type NexthopFlag, type ProtocolName, type RouteFlag, type RouteMessage, type RoutePref, type RouteType,
  type RtNexthop, type TableName,
} from '../../codecs/route/route.js';
import { constants } from 'node:os';
import { NetlinkError, checkBoolean, checkObject, decoding, invalid, optionKeys } from '../errors.js';
import type { Session } from './session.js';
import {
  familyName, familyNumber, lifetime, listNames, lookup, type Lifetime, naming, parseAddress, parsePrefix, type LinkRef,
  type ListNaming, type Prefix,
} from './inet.js';
import { flagNamer, namer } from '../../codecs/netlink/names.js';
import { EncodeError, asJson, asText } from '../../codecs/netlink/errors.js';
import { decodeEncap, encodeEncap, type Encap } from '../../codecs/route/encap.js';
import { ROUTE_DUMP_MAGIC, writeSaved } from '../../codecs/netlink/saved.js';
import { restoreEach, savedEntries, type Restored } from './restore.js';

/**
 * Realms (RTA_FLOW, `ip route ... realms FROM/TO`): numbers that route classification (the
 * route classifier, `realm` of nftables) reads off the route; `to` the destination's, `from`
 * the source's, 0 to 65535 each; `from` is absent when 0. IPv4 routes only: the kernel ignores
 * them on IPv6 routes, so they are refused there.
 */
export interface Realms {
  from?: number;
  to: number;
}

/** One path of a multipath route. */
export interface Nexthop {
  gateway?: string;
  dev?: string;
  index: number;
  /** 1 to 256. */
  weight: number;
  flags: Array<NexthopFlag | number>;
  /** This path's lightweight tunnel encapsulation. */
  encap?: Encap;
  realms?: Realms;
}

/** A route as the kernel reports it. Its keys are those RouteSpec takes, so a listed route can be deleted as is. */
export interface Route {
  family: FamilyName | number;
  /** 'default', or a prefix: '198.51.100.0/24', '203.0.113.7/32'. */
  dst: string;
  /** Source prefix of a source-specific route (`ip route ... from`). */
  from?: string;
  table: TableName | number;
  protocol: ProtocolName | number;
  scope: ScopeName | number;
  type: RouteType | number;
  flags: Array<RouteFlag | number>;
  tos: number;
  gateway?: string;
  /** Outgoing link: its index, and its name when known. */
  index?: number;
  dev?: string;
  /** Preferred source address (`ip route ... src`). */
  src?: string;
  metric?: number;
  /** RTA_METRICS: mtu, advmss, initcwnd... */
  metrics?: Metrics;
  nexthops?: Nexthop[];
  /** Incoming link (policy routing, `ip route get ... iif`): its index, and its name when known. */
  iif?: number;
  iifName?: string;
  mark?: number;
  uid?: number;
  /** IPv6 router preference (RTA_PREF); a number the kernel sent that has no name stays a number. */
  pref?: RoutePref | number;
  /** Nexthop object id (RTA_NH_ID). */
  nhId?: number;
  /** Lightweight tunnel encapsulation (`ip route ... encap ip id 5 dst 203.0.113.9`): narrows by `type`. */
  encap?: Encap;
  /** Seconds until an IPv6 route expires, from rta_cacheinfo; absent when it does not. */
  expires?: number;
  realms?: Realms;
}

export interface NexthopSpec {
  gateway?: string;
  dev?: LinkRef;
  /** 1 to 256; default 1. */
  weight?: number;
  onlink?: boolean;
  encap?: Encap;
  realms?: Realms;
}

/** What `add`, `replace`, `append` and `delete` take: the words of `ip route add`. */
export interface RouteSpec {
  /** 'default' or a prefix; a bare address is a host route. */
  dst: string;
  /** Needed only when nothing else says which family: `{ dst: 'default', type: 'blackhole', family: 'inet6' }`. */
  family?: FamilyName;
  gateway?: string;
  dev?: LinkRef;
  /** Preferred source address. */
  src?: string;
  from?: string;
  /** Default 'main'. */
  table?: TableName | number;
  metric?: number;
  scope?: ScopeName | number;
  /** Default 'boot', as iproute2. */
  protocol?: ProtocolName | number;
  /** Default 'unicast'. */
  type?: RouteType | number;
  tos?: number;
  /** Use the gateway even if no address of the link covers it. */
  onlink?: boolean;
  mtu?: number;
  metrics?: Metrics;
  nexthops?: NexthopSpec[];
  /** Metadata for a collect_md tunnel device: `{ type: 'ip', id: 5, dst: '203.0.113.9' }`. */
  encap?: Encap;
  /** Through a nexthop object (rt.nexthop) by its id, in place of gateway, dev and nexthops (`ip route ... nhid N`). */
  nhId?: number;
  /** IPv4 only: `{ from: 3, to: 5 }` (`ip route ... realms 3/5`), `{ to: 5 }` (`realm 5`). */
  realms?: Realms;
  /** IPv6 only: the router preference (`ip route ... pref high`); a number goes as it is (the kernel takes any but 1 and 3 for medium). */
  pref?: RoutePref | number;
  /** IPv6 only: seconds until the kernel removes the route (`ip route ... expires 100`); 'forever', as not given. */
  expires?: Lifetime;
}

export interface RouteFilter extends ListNaming {
  /** Default 'main', as `ip route show`; 'all' for every table. */
  table?: TableName | number | 'all';
  family?: FamilyName;
  protocol?: ProtocolName | number;
  type?: RouteType | number;
}

/** What route.dump() asks the kernel for (numbers as the kernel has them; 0 or absent: any). */
export interface RouteDumpFilter {
  /** AF_INET (2), AF_INET6 (10). */
  family?: number;
  /** A table id; 0 for every table. */
  table?: number;
  /** Outgoing link index. */
  oif?: number;
  protocol?: number;
  type?: number;
  /** The route cache (cloned routes) instead of the tables. */
  cloned?: boolean;
}

export interface RouteGetOptions {
  /** Source address the packet would have. */
  from?: string;
  /** Incoming link, as for a forwarded packet. */
  iif?: LinkRef;
  /** Outgoing link to force. */
  dev?: LinkRef;
  mark?: number;
  /** The packet's TOS byte (rtm_tos), 0 to 255. */
  tos?: number;
  /** The socket owner's uid, for uid-range rules (RTA_UID). */
  uid?: number;
  /** The packet's IP protocol (RTA_IP_PROTO: 6 tcp, 17 udp...), and its ports (RTA_SPORT, RTA_DPORT), for rules that match them. */
  ipProto?: number;
  sport?: number;
  dport?: number;
  /** The route in the table that matched (RTM_F_FIB_MATCH, `ip route get fibmatch`), rather than the one resolved for the packet. */
  fibMatch?: boolean;
  /**
   * RTM_F_NOTIFY (`ip route get ... notify`): the IPv4 route cached for the lookup is marked to
   * notify (its flags say 'notify', `cache <notify>` in ip), as long as it stays cached (the
   * kernel caches it per CPU). IPv6 refuses a lookup with it.
   */
  notify?: boolean;
}

const tableName = namer(TABLES);
const protocolName = namer(PROTOCOLS);
const typeName = namer(ROUTE_TYPES);
const scopeName = namer(SCOPES);
const prefName = namer(ROUTE_PREFS);
const routeFlags = flagNamer(ROUTE_FLAGS);
const nexthopFlags = flagNamer(NEXTHOP_FLAGS);

/** 'default' for a zero-length prefix without an address, else ADDRESS/LEN (the zero address when none came). */
export function prefixString(family: number, address: string | undefined, len: number): string {
  if (len === 0 && address === undefined) return 'default';
  return `${address ?? (family === AF_INET6 ? '::' : '0.0.0.0')}/${len}`;
}

/** The public form of a decoded route message. */
export function toRoute(m: RouteMessage, names?: Map<number, string>): Route {
  const a = m.attrs;
  const r: Route = {
    family: familyName(m.family), dst: prefixString(m.family, a.dst, m.dstLen),
    table: tableName(a.table ?? m.table), protocol: protocolName(m.protocol), scope: scopeName(m.scope),
    type: typeName(m.type), flags: routeFlags(m.flags), tos: m.tos,
  };
  if (m.srcLen !== 0 || a.src !== undefined) r.from = prefixString(m.family, a.src, m.srcLen);
  const gateway = a.gateway ?? a.via?.address;
  if (gateway !== undefined) r.gateway = gateway;
  if (a.oif !== undefined) {
    r.index = a.oif;
    const dev = names?.get(a.oif);
    if (dev !== undefined) r.dev = dev;
  }
  if (a.prefsrc !== undefined) r.src = a.prefsrc;
  if (a.priority !== undefined) r.metric = a.priority;
  if (a.metrics !== undefined) r.metrics = a.metrics;
  if (a.multipath !== undefined) r.nexthops = a.multipath.map((nh) => toNexthop(nh, names));
  if (a.iif !== undefined) r.iif = a.iif;
  const iifName = a.iif === undefined ? undefined : names?.get(a.iif);
  if (iifName !== undefined) r.iifName = iifName;
  if (a.mark !== undefined) r.mark = a.mark;
  if (a.uid !== undefined) r.uid = a.uid;
  if (a.pref !== undefined) r.pref = prefName(a.pref);
  if (a.nhId !== undefined) r.nhId = a.nhId;
  if (a.encapType !== undefined && a.encap !== undefined) r.encap = decodeEncap(a.encapType, a.encap);
  if (a.cacheinfo?.expires) r.expires = Math.round(a.cacheinfo.expires / USER_HZ);
  if (a.flow !== undefined) r.realms = realmsOf(a.flow);
  return r;
}

/** RTA_FLOW: the source realm in the upper 16 bits. */
export const flowOfRealms = ({ from = 0, to }: Realms): number => (from * 0x10000 + to) >>> 0;

/** RTA_FLOW's realms. */
export function realmsOf(flow: number): Realms {
  const from = flow >>> 16;
  return from === 0 ? { to: flow & 0xffff } : { from, to: flow & 0xffff };
}

function toNexthop(nh: RtNexthop, names?: Map<number, string>): Nexthop {
  const out: Nexthop = { index: nh.ifindex, weight: nh.hops + 1, flags: nexthopFlags(nh.flags) };
  const gateway = nh.attrs.gateway ?? nh.attrs.via?.address;
  if (gateway !== undefined) out.gateway = gateway;
  const dev = names?.get(nh.ifindex);
  if (dev !== undefined) out.dev = dev;
  if (nh.attrs.encapType !== undefined && nh.attrs.encap !== undefined) out.encap = decodeEncap(nh.attrs.encapType, nh.attrs.encap);
  if (nh.attrs.flow !== undefined) out.realms = realmsOf(nh.attrs.flow);
  return out;
}

const REALMS_KEYS = optionKeys<Realms>()('from', 'to');
const NEXTHOP_KEYS = optionKeys<NexthopSpec>()('gateway', 'dev', 'weight', 'onlink', 'encap', 'realms');
const SPEC = [
  'dst', 'family', 'gateway', 'dev', 'src', 'from', 'table', 'metric', 'scope', 'protocol', 'type', 'tos', 'onlink', 'mtu', 'metrics', 'nexthops', 'encap', 'nhId', 'realms', 'pref', 'expires',
] as const;
export const ROUTE_SPEC_KEYS = optionKeys<RouteSpec>()(...SPEC);
/** delete() takes a listed route as it is. */
const DELETE_KEYS = optionKeys<RouteSpec | Route>()(...SPEC, 'flags', 'index', 'iif', 'iifName', 'mark', 'uid');
const FILTER_KEYS = optionKeys<RouteFilter>()('dev', 'names', 'table', 'family', 'protocol', 'type');
const DUMP_KEYS = optionKeys<RouteDumpFilter>()('family', 'table', 'oif', 'protocol', 'type', 'cloned');
const GET_KEYS = optionKeys<RouteGetOptions>()('from', 'iif', 'dev', 'mark', 'tos', 'uid', 'ipProto', 'sport', 'dport', 'fibMatch', 'notify');

/** RTA_FLOW for realms a caller gave, checked: `what` names them in errors. */
export function flowOf(r: Realms | undefined, what: string, subject: string): { flow?: number } {
  if (r === undefined) return {};
  checkObject(`${subject}: ${what}`, r, REALMS_KEYS);
  if (r.to === undefined) throw invalid(subject, `${what}.to is required`);
  const to = lookup({}, r.to, `${what}.to`, 0xffff, subject) as number;
  const from = lookup({}, r.from, `${what}.from`, 0xffff, subject) ?? 0;
  return { flow: flowOfRealms({ from, to }) };
}

/** How a spec reads in errors: `route default via 192.0.2.1`, `route blackhole 198.51.100.0/24 table 100`. */
export function describe(s: RouteSpec): string {
  const parts = ['route'];
  if (s.type !== undefined && s.type !== 'unicast') parts.push(asText(s.type));
  parts.push(asText(s.dst));
  if (s.gateway !== undefined) parts.push('via', asText(s.gateway));
  if (s.dev !== undefined) parts.push('dev', asText(s.dev));
  if (s.nhId !== undefined) parts.push('nhid', asText(s.nhId));
  if (s.table !== undefined && s.table !== 'main') parts.push('table', asText(s.table));
  return parts.join(' ');
}

/** Which family a gateway needs: RTA_GATEWAY for the route's own, RTA_VIA for the other (IPv4 via IPv6). */
function gatewayAttrs(family: number, gateway: string): { gateway?: string; via?: { family: number; address: string } } {
  const g = parseAddress(gateway, 'gateway');
  return g.family === family ? { gateway: g.address } : { via: { family: g.family, address: g.address } };
}

/**
 * The message `ip route add|replace|append|del` would send for a spec, with links already
 * resolved to indexes (`index`). Defaults as iproute2: table main (local for the types local,
 * broadcast, nat and anycast); for a new route protocol
 * boot, type unicast, and scope link when there is no gateway (host for local routes);
 * for a delete, only what the spec says, so that the kernel matches any value of the rest.
 */
export function routeMessage(s: RouteSpec, forDelete: boolean, index: (dev: LinkRef) => number): RouteMessage {
  const subject = describe(s);
  if (typeof s.dst !== 'string') throw invalid(subject, 'dst must be "default" or a prefix such as "198.51.100.0/24"');
  const dst = s.dst === 'default' ? undefined : parsePrefix(s.dst, `${subject}: dst`);
  const hint = dst?.family ?? firstFamily(subject, [
    ['gateway', s.gateway, parseAddress], ['gateway', s.nexthops?.[0]?.gateway, parseAddress], ['from', s.from, parsePrefix], ['src', s.src, parseAddress],
  ]);
  const family = s.family !== undefined ? familyNumber(s.family) : (hint ?? AF_INET);
  // A source of the other family is refused, as ip refuses it: IPv4 would ignore it silently.
  const ofFamily = (p: Prefix, what: string): Prefix => {
    if (p.family !== family) throw invalid(subject, `${what} is not an ${asText(familyName(family))} ${what === 'src' ? 'address' : 'prefix'}`);
    return p;
  };
  if (dst) ofFamily(dst, 'dst');
  if (family === AF_INET6 && (s.realms !== undefined || s.nexthops?.some((nh) => nh.realms !== undefined))) {
    throw invalid(subject, 'realms are for IPv4 routes: the kernel ignores them on IPv6 routes');
  }
  for (const key of ['pref', 'expires'] as const) {
    if (family !== AF_INET6 && s[key] !== undefined) throw invalid(subject, `${key} is for IPv6 routes: the kernel ignores it on IPv4 routes`);
  }
  const type = lookup(ROUTE_TYPES, s.type, 'route type', 255, subject) ?? (forDelete ? RTN_UNSPEC : RTN_UNICAST);
  // ip's default table: local for the types the kernel itself keeps there.
  const localType = type === RTN_LOCAL || type === RTN_BROADCAST || type === RTN_NAT || type === RTN_ANYCAST;
  const table = lookup(TABLES, s.table, 'table', 0xffffffff, subject) ?? (localType ? RT_TABLE_LOCAL : RT_TABLE_MAIN);
  const hasGateway = s.gateway !== undefined || (s.nexthops?.length ?? 0) > 0 || s.nhId !== undefined;
  let scope = lookup(SCOPES, s.scope, 'scope', 255, subject);
  if (scope === undefined) {
    if (type === RTN_LOCAL || type === RTN_NAT) scope = RT_SCOPE_HOST;
    else if (type === RTN_BROADCAST || type === RTN_MULTICAST || type === RTN_ANYCAST) scope = RT_SCOPE_LINK;
    else if (forDelete) scope = RT_SCOPE_NOWHERE;
    else scope = type === RTN_UNICAST && !hasGateway ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
  }
  const m: RouteMessage = {
    family, dstLen: dst?.prefixlen ?? 0, srcLen: 0, tos: lookup({}, s.tos, 'tos', 255, subject) ?? 0,
    table: table < 256 ? table : RT_TABLE_UNSPEC,
    protocol: lookup(PROTOCOLS, s.protocol, 'protocol', 255, subject) ?? (forDelete ? 0 : RTPROT_BOOT),
    scope, type, flags: checkBoolean(subject, 'onlink', s.onlink) ? RTNH_F_ONLINK : 0, attrs: {},
  };
  const a = m.attrs;
  if (dst) a.dst = dst.address;
  if (s.from !== undefined) {
    const from = ofFamily(parsePrefix(s.from, `${subject}: from`), 'from');
    m.srcLen = from.prefixlen;
    a.src = from.address;
  }
  if (table >= 256) a.table = table;
  if (s.gateway !== undefined) Object.assign(a, gatewayAttrs(family, s.gateway));
  if (s.dev !== undefined) a.oif = index(s.dev);
  if (s.nhId !== undefined) a.nhId = lookup({}, s.nhId, 'nhId', 0xffffffff, subject);
  if (s.src !== undefined) a.prefsrc = ofFamily(parseAddress(s.src, `${subject}: src`), 'src').address;
  if (s.metric !== undefined) a.priority = lookup({}, s.metric, 'metric', 0xffffffff, subject);
  if (s.mtu !== undefined || s.metrics !== undefined) {
    a.metrics = { ...s.metrics };
    if (s.mtu !== undefined) a.metrics.mtu = lookup({}, s.mtu, 'mtu', 0xffffffff, subject);
  }
  if (s.nexthops !== undefined) {
    if (!Array.isArray(s.nexthops)) throw invalid(subject, `nexthops is an array of { gateway, dev, weight... }, not ${typeof s.nexthops}`);
    if (s.nexthops.length === 0) throw invalid(subject, 'nexthops is empty');
    for (const [i, nh] of s.nexthops.entries()) checkObject(`${subject}: nexthop ${i + 1}`, nh, NEXTHOP_KEYS);
    a.multipath = s.nexthops.map((nh, i) => ({
      flags: checkBoolean(subject, `nexthop ${i + 1} onlink`, nh.onlink) ? RTNH_F_ONLINK : 0,
      hops: hopsOf(nh.weight, `nexthop ${i + 1} weight`, subject),
      ifindex: nh.dev === undefined ? 0 : index(nh.dev),
      attrs: {
        ...(nh.gateway === undefined ? {} : gatewayAttrs(family, nh.gateway)), ...encapAttrs(nh.encap, `nexthop ${i + 1} encap`, subject),
        ...flowOf(nh.realms, `nexthop ${i + 1} realms`, subject),
      },
    }));
  }
  Object.assign(a, encapAttrs(s.encap, 'encap', subject), flowOf(s.realms, 'realms', subject));
  if (s.pref !== undefined) a.pref = lookup(ROUTE_PREFS, s.pref, 'pref', 255, subject);
  if (s.expires !== undefined) a.expires = lifetime(s.expires, `${subject}: expires`);
  return m;
}

/** RTA_ENCAP_TYPE and RTA_ENCAP for an encapsulation a caller gave, checked now: a bad one names `what`. */
export function encapAttrs(e: Encap | undefined, what: string, subject: string): { encapType?: number; encap?: Uint8Array } {
  if (e === undefined) return {};
  try {
    const { type, value } = encodeEncap(e);
    return { encapType: type, encap: value };
  } catch (err) {
    throw err instanceof EncodeError ? invalid(subject, `${what}: ${err.message}`) : err;
  }
}

/** The family of the first address a spec gives, parsed (and refused) as `what`: ip takes a route's family from it. */
function firstFamily(subject: string, given: Array<[what: string, text: string | undefined, parse: typeof parseAddress]>): number | undefined {
  for (const [what, text, parse] of given) if (text !== undefined) return parse(text, `${subject}: ${what}`).family;
  return undefined;
}

/** rtnh_hops: a nexthop's weight (1 to 256, default 1) less one. */
function hopsOf(weight: number | undefined, what: string, subject: string): number {
  if (weight === undefined) return 0;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 256) {
    throw invalid(subject, `${what} ${asJson(weight)} is not an integer from 1 to 256`);
  }
  return weight - 1;
}

/**
 * A listed route as a spec: links by index when their names were not known. A route through a
 * nexthop object is named by its id alone: its gateway, link and paths are the object's, which
 * the kernel reports with it and refuses beside the id.
 */
function specOf(r: Route): RouteSpec {
  const { family, dev, index, nexthops, ...rest } = r;
  if (r.nhId !== undefined) {
    const { gateway: _gateway, encap: _encap, ...own } = rest;
    return typeof family === 'string' ? { ...own, family } : own;
  }
  const spec: RouteSpec = { ...rest, dev: dev ?? index };
  if (typeof family === 'string') spec.family = family;
  if (nexthops) spec.nexthops = nexthops.map((nh) => ({ gateway: nh.gateway, dev: nh.dev ?? (nh.index || undefined), weight: nh.weight, encap: nh.encap, realms: nh.realms }));
  return spec;
}

/** Every link name a spec mentions. */
function devsOf(s: RouteSpec): LinkRef[] {
  return [s.dev, ...(s.nexthops ?? []).map((nh) => nh.dev)].filter((d): d is LinkRef => d !== undefined);
}

/**
 * An IPv4 main table the kernel has not made yet (no IPv4 route was ever in it, as in a fresh
 * namespace) is refused with ENOENT when asked for by family: it is empty, as ip shows it.
 */
export function emptyMain(table: number | undefined): (e: unknown) => [] {
  return (e) => {
    if (table === RT_TABLE_MAIN && e instanceof NetlinkError && e.errno === constants.errno.ENOENT) return [];
    throw e;
  };
}

/**
 * Where a saved route goes in restore()'s order (ip's three passes): 0 without a gateway, its
 * source its destination or none (local addresses); 1 without a gateway, another source (their
 * networks); 2 through a gateway, on its own or in a hop.
 */
function restorePass({ attrs: a }: RouteMessage): 0 | 1 | 2 {
  const hops = a.multipath ?? [];
  if (a.gateway !== undefined || a.via !== undefined || hops.some((h) => h.attrs.gateway !== undefined || h.attrs.via !== undefined)) return 2;
  return a.prefsrc !== undefined && a.prefsrc !== a.dst ? 1 : 0;
}

/** The RTM_GETROUTE dump request for a filter. */
function dumpRequest(filter: RouteDumpFilter): Request {
  const { family = 0, table = 0, protocol = 0, type = 0 } = filter;
  const head: RouteMessage = {
    family, dstLen: 0, srcLen: 0, tos: 0, table: table < 256 ? table : RT_TABLE_UNSPEC, protocol, scope: 0, type,
    flags: filter.cloned ? RTM_F_CLONED : 0, attrs: {},
  };
  if (table !== 0) head.attrs.table = table;
  if (filter.oif !== undefined) head.attrs.oif = filter.oif;
  return { type: RTM_GETROUTE, name: 'RTM_GETROUTE', body: (w) => routeCodec.encode(w, head) };
}

export class RouteApi {
  constructor(protected readonly rt: Session) {}

  /**
   * Routes, like `ip -j route show` (table main unless `table` says otherwise, both
   * families unless `family` says one). The kernel does the filtering (strict checking):
   * by table, link, family, protocol and type.
   */
  list(filter: RouteFilter = {}): Promise<Route[]> {
    return this.listed(filter, toRoute);
  }

  /** The routes `filter` selects, each made by `make` as it arrives: a million routes are never decoded in one stretch. */
  private async listed<T>(filter: RouteFilter, make: (m: RouteMessage, names?: Map<number, string>) => T): Promise<T[]> {
    const { request, names } = await this.listRequest(filter);
    return this.rt.client.dump(dumpRequest(request), (m) => make(routeCodec.decode(m.payload), names))
      .catch(emptyMain(request.table))
      .catch(naming(filter.table === undefined ? 'routes' : `routes of table ${filter.table}`));
  }

  /**
   * list() for tables too big to hold: `for await (const r of rt.route.iterate({ table: 'all' }))`.
   * Routes come as the kernel dumps them; while the loop body lags, the socket is not read.
   */
  async *iterate(filter: RouteFilter = {}): AsyncGenerator<Route, void, undefined> {
    const { request, names } = await this.listRequest(filter);
    try {
      for await (const batch of this.rt.client.stream(dumpRequest(request), (m) => routeCodec.decode(m.payload))) {
        for (const m of batch) yield toRoute(m, names);
      }
    } catch (e) {
      emptyMain(request.table)(e); // nothing was yielded: the kernel refuses the dump before any route
    }
  }

  /** What list() asks the kernel for, and the names it puts on links (see ListNaming). */
  private async listRequest(filter: RouteFilter): Promise<{ request: RouteDumpFilter; names?: Map<number, string> }> {
    checkObject('route filter', filter, FILTER_KEYS);
    const table = filter.table === 'all' ? 0 : lookup(TABLES, filter.table, 'table', 0xffffffff, 'route filter') ?? RT_TABLE_MAIN;
    const oif = filter.dev === undefined ? undefined : await this.rt.linkIndex(filter.dev);
    const request = {
      family: familyNumber(filter.family), table, oif,
      protocol: lookup(PROTOCOLS, filter.protocol, 'protocol', 255, 'route filter'),
      type: lookup(ROUTE_TYPES, filter.type, 'route type', 255, 'route filter'),
    };
    return { request, names: await listNames(this.rt, filter, 'route filter', oif) };
  }

  /**
   * The kernel's route messages as the codec decodes them (what `ip route` prints from), the
   * kernel filtering (strict checking) by family, table (0: every table), link, protocol and
   * type; `cloned` asks for the route cache. list() types them.
   */
  async dump(filter: RouteDumpFilter = {}): Promise<RouteMessage[]> {
    checkObject('route dump filter', filter, DUMP_KEYS);
    return this.rt.client.dump(dumpRequest(filter), (m) => routeCodec.decode(m.payload));
  }

  /**
   * The routes list() gives for `filter` (table main unless it says otherwise), saved as `ip
   * route save` saves them: the bytes `ip route restore` reads, and restore().
   */
  async save(filter: RouteFilter = {}): Promise<Uint8Array> {
    const routes = await this.listed({ ...filter, names: false }, (m) => m);
    return writeSaved(ROUTE_DUMP_MAGIC, RTM_NEWROUTE, routeCodec, routes);
  }

  /**
   * Puts back the routes of a saved dump (save()'s, or `ip route save`'s) as `ip route restore`
   * does: on the links of the same indexes, each sent as saved but without NLM_F_EXCL, one the
   * kernel has already passed over (`exists`). Routes without a gateway go first (those of local
   * addresses, then those with another source), so that the gateways of the rest are reachable;
   * ip counts a multipath route among the first, rtnl by its hops' gateways. The first other
   * refusal rejects, naming the route, with those before it restored; a dump that does not read
   * as one is refused before anything is sent.
   */
  async restore(saved: Uint8Array): Promise<Array<Restored<Route>>> {
    const entries = savedEntries(saved, ROUTE_DUMP_MAGIC, RTM_NEWROUTE, routeCodec, 'route', (m) => prefixString(m.family, m.attrs.dst, m.dstLen));
    const names = await this.rt.linkNames();
    const inOrder = [0, 1, 2].flatMap((pass) => entries.filter((e) => restorePass(e.decoded) === pass));
    return restoreEach(this.rt, inOrder, 'RTM_NEWROUTE', (m) => toRoute(m, names));
  }

  /**
   * Adds a route, like `ip route add`. One already there is an ExistsError; a gateway the
   * kernel cannot reach fails with the kernel's reason (`Error: Nexthop has invalid gateway.`).
   * @example await rt.route.add({ dst: 'default', gateway: '192.0.2.1' })
   */
  add(spec: RouteSpec): Promise<Route> {
    return this.send(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, spec);
  }

  /** Adds a route or replaces the one with the same destination, table, tos and metric (`ip route replace`). */
  replace(spec: RouteSpec): Promise<Route> {
    return this.send(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, spec);
  }

  /**
   * Changes the route with the same destination, table, tos and metric (`ip route change`): a
   * NotFoundError when there is none, where replace() would add it.
   */
  change(spec: RouteSpec): Promise<Route> {
    return this.send(RTM_NEWROUTE, NLM_F_REPLACE, spec);
  }

  /** Adds a route after those with the same destination (`ip route append`): an IPv6 multipath, or a fallback. */
  append(spec: RouteSpec): Promise<Route> {
    return this.send(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_APPEND, spec);
  }

  /**
   * Adds a route before those with the same destination, table, tos and metric (`ip route
   * prepend`): the kernel tries an IPv4 one first. The same route already there is an ExistsError.
   */
  prepend(spec: RouteSpec): Promise<Route> {
    return this.send(RTM_NEWROUTE, NLM_F_CREATE, spec);
  }

  /** Removes the first route that matches what the spec says (`ip route del`). A listed Route may be passed as is. */
  async delete(spec: RouteSpec | Route): Promise<void> {
    checkObject('route', spec, DELETE_KEYS);
    await this.send(RTM_DELROUTE, 0, 'index' in spec || 'flags' in spec ? specOf(spec as Route) : (spec as RouteSpec), null);
  }

  /**
   * The route the kernel would use to reach an address, as `ip route get` answers:
   * `{ dst: '203.0.113.7/32', gateway: '192.0.2.1', dev: 'mv1', src: '192.0.2.5', ... }`.
   */
  async get(address: string, opts: RouteGetOptions = {}): Promise<Route> {
    const m = await this.lookup(address, opts);
    // Only the links the route names, each asked for: not a dump of every link.
    const a = m.attrs;
    const indexes = [a.oif, a.iif, ...(a.multipath ?? []).map((nh) => nh.ifindex)].filter((i): i is number => i !== undefined && i > 0);
    return toRoute(m, await this.rt.linkNames(indexes));
  }

  /** The kernel's answer to get(), as the codec decodes it (what `ip route get` prints from). */
  async lookup(address: string, opts: RouteGetOptions = {}): Promise<RouteMessage> {
    const subject = `route get ${address}`;
    checkObject(subject, opts, GET_KEYS);
    const dst = parseAddress(address, subject);
    const m: RouteMessage = {
      family: dst.family, dstLen: dst.prefixlen, srcLen: 0, tos: lookup({}, opts.tos, 'tos', 255, subject) ?? 0, table: 0, protocol: 0, scope: 0, type: 0,
      // Only IPv4 takes RTM_F_LOOKUP_TABLE: IPv6 refuses the request with it ("Invalid flags").
      flags: dst.family === AF_INET ? RTM_F_LOOKUP_TABLE : 0, attrs: { dst: dst.address },
    };
    if (opts.from !== undefined) {
      const from = parseAddress(opts.from, `${subject} from`);
      m.srcLen = from.prefixlen;
      m.attrs.src = from.address;
    }
    if (opts.iif !== undefined) m.attrs.iif = await this.rt.linkIndex(opts.iif);
    if (opts.dev !== undefined) m.attrs.oif = await this.rt.linkIndex(opts.dev);
    if (opts.mark !== undefined) m.attrs.mark = lookup({}, opts.mark, 'mark', 0xffffffff, subject);
    if (opts.uid !== undefined) m.attrs.uid = lookup({}, opts.uid, 'uid', 0xffffffff, subject);
    if (opts.ipProto !== undefined) m.attrs.ipProto = lookup({}, opts.ipProto, 'ipProto', 255, subject);
    if (opts.sport !== undefined) m.attrs.sport = lookup({}, opts.sport, 'sport', 0xffff, subject);
    if (opts.dport !== undefined) m.attrs.dport = lookup({}, opts.dport, 'dport', 0xffff, subject);
    if (checkBoolean(subject, 'fibMatch', opts.fibMatch)) m.flags |= RTM_F_FIB_MATCH;
    if (checkBoolean(subject, 'notify', opts.notify)) m.flags |= RTM_F_NOTIFY;
    const replies = await this.rt.client.request({ type: RTM_GETROUTE, name: 'RTM_GETROUTE', idempotent: true, body: (w) => routeCodec.encode(w, m) }).catch(naming(subject));
    const reply = replies.find((r) => r.header.type === RTM_NEWROUTE);
    if (!reply) throw invalid(subject, 'the kernel answered without a route');
    return decoding(() => routeCodec.decode(reply.payload), 'route message');
  }

  /** Sends the change; a new route comes back through NLM_F_ECHO, typed as list() gives it. */
  /** `keys`: what the spec may have (null: delete() has checked a listed route's keys before making it a spec). */
  private async send(type: number, flags: number, spec: RouteSpec, keys: ReadonlySet<string> | null = ROUTE_SPEC_KEYS): Promise<Route> {
    checkObject('route', spec, keys ?? undefined);
    const subject = describe(spec);
    // Validate before resolving links: bad input never costs a round trip.
    const indexes = new Map<LinkRef, number>();
    routeMessage(spec, type === RTM_DELROUTE, () => 1);
    for (const dev of devsOf(spec)) {
      if (!indexes.has(dev)) indexes.set(dev, await this.rt.linkIndex(dev));
    }
    const m = routeMessage(spec, type === RTM_DELROUTE, (dev) => indexes.get(dev) as number);
    const echo = type === RTM_DELROUTE ? 0 : NLM_F_ECHO;
    const replies = await this.rt.client
      .request({ type, flags: flags | echo, name: type === RTM_DELROUTE ? 'RTM_DELROUTE' : 'RTM_NEWROUTE', body: (w) => routeCodec.encode(w, m) })
      .catch(naming(subject));
    const names = new Map([...indexes].filter(([ref]) => typeof ref === 'string').map(([ref, i]) => [i, ref as string]));
    const made = replies.find((r) => r.header.type === RTM_NEWROUTE);
    return decoding(() => toRoute(made ? routeCodec.decode(made.payload) : m, names), 'route message');
  }
}
