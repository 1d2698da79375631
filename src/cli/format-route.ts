// A route as `ip route show|get` prints it (ip/iproute.c print_route), for what we cover:
// unicast and special types, gateways, devices, tables, protocols, scopes, flags, metrics.
import {
  ROUTE_TYPES, RTAX_ADVMSS, RTAX_CC_ALGO, RTAX_CWND, RTAX_FASTOPEN_NO_COOKIE, RTAX_FEATURES, RTAX_HOPLIMIT,
  RTAX_FEATURE_ECN, RTAX_INITCWND, RTAX_INITRWND, RTAX_MTU, RTAX_QUICKACK, RTAX_REORDERING, RTAX_RTO_MIN, RTAX_RTT, RTAX_RTTVAR,
  RTAX_SSTHRESH, RTAX_WINDOW, RTM_F_CLONED, RTN_MULTICAST, type metricsTable, type Metrics, type RouteMessage, type Via,
} from '../../codecs/route/route.js';
import { namer } from '../../codecs/netlink/names.js';
import { hex } from '../../codecs/netlink/json.js';
import { decodeEncap, type Encap, type TunnelFlag } from '../../codecs/route/encap.js';
import { USER_HZ } from '../../codecs/route/constants.js';
import { scopeName } from './format-address.js';
import { dsfields, protocols, realms, tables } from './name-db.js';
import { familyColor, RawJson, type Color, type Printer } from './print.js';

const typeName = namer(ROUTE_TYPES);
export const protocolName = protocols.name;

/** rtnl_dsfield_n2a(): the rt_dsfield name, else 0x%02x (the number always with -N). */
export function dsfieldText(p: Printer, tos: number): string {
  const name = p.numeric ? tos : dsfields.name(tos);
  return typeof name === 'string' ? name : `0x${tos.toString(16).padStart(2, '0')}`;
}
const PREFS: Record<number, string> = { 0: 'medium', 1: 'high', 3: 'low' };

export const tableName = (t: number): string => String(tables.name(t));

// print_rt_flags(): this order, each "name ".
const RT_FLAGS: Array<[number, string]> = [
  [1, 'dead'], [4, 'onlink'], [2, 'pervasive'], [8, 'offload'], [0x40, 'trap'], [0x100, 'notify'], [16, 'linkdown'],
  [32, 'unresolved'], [0x4000, 'rt_offload'], [0x8000, 'rt_trap'], [0x20000000, 'rt_offload_failed'],
];

/** print_rt_flags(): the flags a route, a path or a nexthop object has, as "flags" in JSON. */
export function printRtFlags(p: Printer, flags: number): void {
  p.openArray('flags');
  for (const [bit, name] of RT_FLAGS) if (flags & bit) p.any(null, '%s ', name);
  p.closeArray();
}

// print_cache_flags(): RTCF_* in the upper 16 bits of a cloned IPv4 route's flags, in this order.
const RTCF: Array<[number, string]> = [
  [0x80000000, 'local'], [0x40000000, 'reject'], [0x20000000, 'mc'], [0x10000000, 'brd'], [0x08000000, 'dst-nat'],
  [0x00800000, 'src-nat'], [0x00400000, 'masq'], [0x00020000, 'dst-direct'], [0x04000000, 'src-direct'],
  [0x00040000, 'redirected'], [0x01000000, 'redirect'], [0x00200000, 'fastroute'], [0x00010000, 'notify'], [0x00080000, 'proxy'],
];

function printCacheFlags(p: Printer, routeFlags: number): void {
  let flags = (routeFlags & ~0xffff) >>> 0;
  p.openArray('cache', `${p.sl}    cache ${flags ? '<' : ''}`);
  for (const [bit, name] of RTCF) {
    if (!(flags & bit)) continue;
    flags = (flags & ~bit) >>> 0;
    p.any(null, flags ? '%s,' : '%s> ', name);
  }
  if (flags) p.any(null, '%s>', flags.toString(16));
  p.closeArray();
}

/** print_rta_cacheinfo(): what is not zero of rta_cacheinfo; times from USER_HZ ticks to whole seconds. */
function printCacheinfo(p: Printer, ci: NonNullable<RouteMessage['attrs']['cacheinfo']>, stats: boolean): void {
  const seconds = (ticks: number): number => Math.floor(ticks / USER_HZ);
  if (ci.expires) p.any('expires', 'expires %ssec ', seconds(ci.expires));
  if (ci.error) p.any('error', 'error %s ', ci.error);
  if (stats) {
    if (ci.clntref) p.any('users', 'users %s ', ci.clntref);
    if (ci.used) p.any('used', 'used %s ', ci.used);
    if (ci.lastuse) p.any('age', 'age %ssec ', seconds(ci.lastuse));
  }
  if (ci.id) p.any('ipid', 'ipid %s ', `0x${ci.id.toString(16).padStart(4, '0')}`);
  if (ci.ts || ci.tsage) {
    p.any('ts', 'ts %s', `0x${ci.ts.toString(16)}`);
    p.any('tsage', 'tsage %ssec ', ci.tsage);
  }
}

export interface RouteView {
  details: boolean;
  name(index: number): string;
  /**
   * What a selector fixed, which ip then leaves out (filter.tb, filter.oifmask, ...); the gateway
   * and the preferred source when their selector's prefix is a host (filter.rvia.bitlen).
   */
  omit?: Partial<Record<'table' | 'dev' | 'protocol' | 'scope' | 'tos' | 'metric' | 'iif' | 'realms', boolean>> & { viaBits?: number; prefsrcBits?: number };
  /** RTM_DELROUTE (ip monitor): `Deleted ` first. */
  deleted?: boolean;
  /** -s: the cache's use counts too. */
  stats?: boolean;
  /** -d: prints the nexthop object a route names (`nh_info`), when known. */
  nhInfo?(p: Printer, id: number): void;
}

export function printRoute(p: Printer, r: RouteMessage, v: RouteView): void {
  const a = r.attrs;
  const host = r.family === 10 ? 128 : 32;
  const omit = v.omit ?? {};
  p.openObject();
  if (v.deleted) p.bool('deleted', 'Deleted ');
  if (r.type !== 1 || v.details) p.any('type', '%s ', p.named(r.type, typeName));
  // ip's "0/%d " has a space of its own, printed twice over (and kept in JSON).
  const dst = a.dst !== undefined ? (r.dstLen !== host ? `${a.dst}/${r.dstLen}` : a.dst) : r.dstLen ? `0/${r.dstLen} ` : 'default';
  const color = familyColor(r.family);
  p.colored(a.dst !== undefined ? color : undefined, 'dst', '%s ', dst);
  if (a.src !== undefined) p.colored(color, 'from', 'from %s ', r.srcLen !== host ? `${a.src}/${r.srcLen}` : a.src);
  else if (r.srcLen) p.any('src', 'from %s ', `0/${r.srcLen}`);
  if (a.nhId !== undefined) p.any('nhid', 'nhid %s ', a.nhId);
  printEncap(p, a);
  if (r.tos && !omit.tos) p.any('tos', 'tos %s ', dsfieldText(p, r.tos));
  printGateway(p, omit.viaBits === host ? { via: a.via } : a, color);
  if (a.oif !== undefined && !omit.dev) {
    p.fp('dev ');
    p.colored('ifname', 'dev', '%s ', v.name(a.oif));
  }
  const table = a.table ?? r.table;
  if (table && (table !== 254 || v.details) && !omit.table) p.any('table', 'table %s ', p.named(table, tableName));
  if (!(r.flags & RTM_F_CLONED)) {
    if ((r.protocol !== 3 || v.details) && !omit.protocol) p.any('protocol', 'proto %s ', p.named(r.protocol, protocolName));
    if ((r.scope !== 0 || v.details) && !omit.scope) p.any('scope', 'scope %s ', p.named(r.scope, scopeName));
  }
  if (a.prefsrc !== undefined && omit.prefsrcBits !== host) {
    p.fp('src ');
    p.colored(color, 'prefsrc', '%s ', a.prefsrc);
  }
  if (a.priority !== undefined && !omit.metric) p.any('metric', 'metric %s ', a.priority);
  printRtFlags(p, r.flags);
  if (a.mark) {
    p.jsonOnly('mark', a.mark);
    p.fp(a.mark >= 16 ? `mark 0x${a.mark.toString(16)} ` : `mark ${a.mark} `);
  }
  if (a.flow !== undefined && !omit.realms) printFlow(p, a.flow);
  if (a.uid !== undefined) p.any('uid', 'uid %s ', a.uid);
  if (r.flags & RTM_F_CLONED && r.family === 2) printCacheFlags(p, r.flags);
  if (a.cacheinfo && (r.family === 2 || r.family === 10)) printCacheinfo(p, a.cacheinfo, v.stats ?? false);
  if (a.metrics) printMetrics(p, a.metrics);
  if (a.iif !== undefined && !omit.iif) {
    p.fp('iif ');
    p.colored('ifname', 'iif', '%s ', v.name(a.iif));
  }
  if (a.pref !== undefined) {
    if (PREFS[a.pref] !== undefined) p.any('pref', 'pref %s', PREFS[a.pref]);
    else p.any('pref', '%s', a.pref);
  }
  if (a.ttlPropagate !== undefined) {
    p.jsonOnly('ttl-propogate', a.ttlPropagate !== 0); // ip's spelling
    p.fp(`ttl-propogate ${a.ttlPropagate ? 'enabled' : 'disabled'}`);
  }
  if (a.nhId !== undefined && v.details) v.nhInfo?.(p, a.nhId);
  if (a.multipath !== undefined) printMultipath(p, r, v);
  p.fp('\n');
  p.closeObject();
}

/** mx_names[]: each RTAX_* metric, its field in the codec and the word ip reads and prints. */
export const METRICS: ReadonlyArray<readonly [number, Exclude<keyof typeof metricsTable, 'lock'>, string]> = [
  [RTAX_MTU, 'mtu', 'mtu'], [RTAX_WINDOW, 'window', 'window'], [RTAX_RTT, 'rtt', 'rtt'], [RTAX_RTTVAR, 'rttvar', 'rttvar'],
  [RTAX_SSTHRESH, 'ssthresh', 'ssthresh'], [RTAX_CWND, 'cwnd', 'cwnd'], [RTAX_ADVMSS, 'advmss', 'advmss'],
  [RTAX_REORDERING, 'reordering', 'reordering'], [RTAX_HOPLIMIT, 'hoplimit', 'hoplimit'], [RTAX_INITCWND, 'initcwnd', 'initcwnd'],
  [RTAX_FEATURES, 'features', 'features'], [RTAX_RTO_MIN, 'rtoMin', 'rto_min'], [RTAX_INITRWND, 'initrwnd', 'initrwnd'],
  [RTAX_QUICKACK, 'quickack', 'quickack'], [RTAX_CC_ALGO, 'congctl', 'congctl'],
  [RTAX_FASTOPEN_NO_COOKIE, 'fastopenNoCookie', 'fastopen_no_cookie'],
];

/** printf's %g for the x it is given (0, or from 0.01: metrics, clock_t seconds): six significant digits, no trailing zeros. */
export function g(x: number): string {
  if (Math.floor(Math.log10(x)) >= 6) return x.toExponential(5).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  return String(Number(x.toPrecision(6)));
}

/** print_rta_metrics(): each metric set or locked, `lock ` after its name; times in ms or s. */
function printMetrics(p: Printer, m: Metrics): void {
  const lock = m.lock ?? 0;
  p.openArray('metrics');
  p.openObject();
  for (const [bit, key, name] of METRICS) {
    const v = m[key];
    const locked = (lock & (1 << bit)) !== 0;
    if (v === undefined && !locked) continue;
    let val = typeof v === 'number' ? v : 0;
    if (bit === RTAX_HOPLIMIT && val === 0xffffffff) continue;
    p.fp(`${name} ${locked ? 'lock ' : ''}`);
    if (bit === RTAX_FEATURES) {
      if (val & RTAX_FEATURE_ECN) p.null('ecn', 'ecn ', '');
      if (val & ~RTAX_FEATURE_ECN) p.any('features', '%s ', `0x${val.toString(16)}`);
    } else if (bit === RTAX_CC_ALGO) p.any('congestion', '%s ', typeof v === 'string' ? v : '');
    else if (bit === RTAX_RTT || bit === RTAX_RTTVAR || bit === RTAX_RTO_MIN) {
      val = Math.floor(val / (bit === RTAX_RTT ? 8 : bit === RTAX_RTTVAR ? 4 : 1));
      p.jsonOnly(name, val);
      p.fp(val >= 1000 ? `${g(val / 1e3)}s ` : `${val}ms `);
    } else p.any(name, '%s ', val);
  }
  p.closeObject();
  p.closeArray();
}

/** rtnl_rtrealm_n2a(). */
const realmName = (n: number): string => String(realms.name(n));

/** print_rta_flow(): RTA_FLOW's realms, the source's in the upper 16 bits. */
function printFlow(p: Printer, flow: number): void {
  const from = flow >>> 16;
  const to = flow & 0xffff;
  p.openObject('flow');
  if (from) p.jsonOnly('from', realmName(from));
  p.jsonOnly('to', realmName(to));
  p.closeObject();
  p.fp(`realm${from ? 's' : ''} ${from ? `${realmName(from)}/` : ''}${realmName(to)} `);
}

/** print_rta_gateway() and print_rta_via(): a route's or one path's next hop. */
export function printGateway(p: Printer, a: { gateway?: string; via?: Via }, color: Color | undefined): void {
  if (a.gateway !== undefined) {
    p.fp('via ');
    p.colored(color, 'gateway', '%s ', a.gateway);
  }
  if (a.via !== undefined) {
    p.openObject('via');
    p.any('family', 'via %s ', a.via.family === 10 ? 'inet6' : 'inet');
    p.colored(familyColor(a.via.family), 'host', '%s ', a.via.address); // coloured by its own family
    p.closeObject();
  }
}

/** print_rta_multipath(): each path on a line of its own (`-o`: after a backslash) under "nexthops". */
function printMultipath(p: Printer, r: RouteMessage, v: RouteView): void {
  const cachedMulticast = (r.flags & RTM_F_CLONED) !== 0 && r.type === RTN_MULTICAST;
  p.openArray('nexthops');
  (r.attrs.multipath ?? []).forEach((nh, i) => {
    p.openObject();
    p.fp(cachedMulticast ? (i === 0 ? 'Oifs: ' : ' ') : `${p.sl}\tnexthop `);
    printEncap(p, nh.attrs);
    printGateway(p, nh.attrs, familyColor(r.family));
    if (nh.attrs.flow !== undefined) printFlow(p, nh.attrs.flow);
    if (cachedMulticast) {
      p.any('dev', '%s', v.name(nh.ifindex));
      if (nh.hops !== 1) p.any('ttl', '(ttl>%s)', nh.hops);
      p.fp(' ');
    } else {
      p.any('dev', 'dev %s ', v.name(nh.ifindex));
      p.any('weight', 'weight %s ', nh.hops + 1);
    }
    printRtFlags(p, nh.flags);
    p.closeObject();
  });
  p.closeArray();
}

/**
 * lwt_print_encap() (ip/iproute_lwtunnel.c): ` encap TYPE ` then the type's fields, flat in the
 * route's JSON object as ip puts them (its "dst" and "src" there take the place of the route's).
 * What is not decoded (other types, tunnel options) is said to be so rather than left out.
 */
export function printEncap(p: Printer, a: { encapType?: number; encap?: Uint8Array }): void {
  if (a.encapType === undefined || a.encap === undefined) return;
  const e = decodeEncap(a.encapType, a.encap);
  p.any('encap', ' encap %s ', typeof e.type === 'number' ? 'unknown' : e.type);
  if (e.type === 'ip' || e.type === 'ip6') printTunnelKey(p, e);
  else if (e.type === 'seg6') printSeg6(p, e);
  else undecoded(p, 'data', e.data);
}

const PRINTED_TUNNEL_FLAGS: TunnelFlag[] = ['key', 'csum', 'seq'];

/** print_encap_ip() and print_encap_ip6(). */
function printTunnelKey(p: Printer, e: Extract<Encap, { type: 'ip' | 'ip6' }>): void {
  const color = familyColor(e.type === 'ip' ? 2 : 10);
  if (e.id !== undefined) {
    p.jsonOnly('id', typeof e.id === 'bigint' ? new RawJson(String(e.id)) : e.id);
    p.fp(`id ${e.id} `);
  }
  if (e.src !== undefined) p.colored(color, 'src', 'src %s ', e.src);
  if (e.dst !== undefined) p.colored(color, 'dst', 'dst %s ', e.dst);
  if (e.type === 'ip') {
    if (e.ttl !== undefined) p.any('ttl', 'ttl %s ', e.ttl);
    if (e.tos !== undefined) p.any('tos', 'tos %s ', e.tos);
  } else {
    if (e.hoplimit !== undefined) p.any('hoplimit', 'hoplimit %s ', e.hoplimit);
    if (e.tc !== undefined) p.any('tc', 'tc %s ', e.tc);
  }
  for (const f of PRINTED_TUNNEL_FLAGS) if (e.flags?.includes(f)) p.bool(f, `${f} `);
  if (e.opts !== undefined) undecoded(p, 'opts', e.opts);
}

/** print_encap_seg6() and print_srh(): every segment of the header, inline mode's slot for the destination too. */
function printSeg6(p: Printer, e: Extract<Encap, { type: 'seg6' }>): void {
  p.any('mode', 'mode %s ', typeof e.mode === 'number' ? '<unknown>' : e.mode);
  const segs = e.mode === 'inline' ? [...e.segments, '::'] : e.segments;
  p.openArray('segs', `segs ${segs.length} [ `);
  for (const s of segs) p.colored('inet6', '', '%s ', s);
  p.closeArray('] ');
  if (e.hmac !== undefined) {
    p.jsonOnly('hmac', `0x${e.hmac.toString(16)}`);
    p.fp(`hmac ${e.hmac.toString(16).toUpperCase()} `);
  }
}

/** Bytes rtnl does not decode: their hex, marked as such, where ip would print their fields. */
function undecoded(p: Printer, key: string, b: Uint8Array): void {
  p.any(key, '%s ', p.json ? hex(b) : `[${key} not decoded: ${hex(b)}]`);
}
