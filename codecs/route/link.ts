// The link family: struct ifinfomsg followed by IFLA_* attributes (RTM_NEWLINK, RTM_GETLINK,
// RTM_SETLINK, RTM_DELLINK). IFLA_LINKINFO's data is decoded by the table of its kind
// (link-kinds/), IFLA_AF_SPEC by address family. A decoded Link is the attribute object with
// the header fields on it, so a Link goes back to the same bytes with encodeLink().
import { AttrCursor, attrType, getAt, type RawAttr } from '../netlink/attrs.js';
import {
  bool8, bytes, enumOf, flagsOf, ip, listOf, lladdr, s32, string, u16, u32, u8,
} from '../netlink/codecs.js';
import { DecodeError, EncodeError } from '../netlink/errors.js';
import { bitsOf, flagNamer } from '../netlink/names.js';
import { decodeAttrs, decodeAttrsIn, encodeAttrs, encodeNested, field, nested, type Attrs, type Codec, type Table } from '../netlink/schema.js';
import type { Writer } from '../netlink/writer.js';
import { jsonable } from '../netlink/json.js';
import { AF_BRIDGE, AF_INET, AF_INET6 } from './constants.js';
import { s32s, u32s, u64s, type Packed } from './common.js';
import { vfInfoList } from './link-vf.js';
import {
  kindTables, slaveKinds, vethTableFor, type BridgePortData, type OtherKind, type OtherSlaveKind, type SlaveKindData,
  type TableKindData, type VethDataOf,
} from './link-kinds/index.js';

export const IFLA_ADDRESS = 1;
export const IFLA_BROADCAST = 2;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINK = 5;
export const IFLA_QDISC = 6;
export const IFLA_STATS = 7;
export const IFLA_MASTER = 10;
export const IFLA_PROTINFO = 12;
export const IFLA_TXQLEN = 13;
export const IFLA_MAP = 14;
export const IFLA_OPERSTATE = 16;
export const IFLA_LINKMODE = 17;
export const IFLA_LINKINFO = 18;
export const IFLA_NET_NS_PID = 19;
export const IFLA_IFALIAS = 20;
export const IFLA_NUM_VF = 21;
export const IFLA_VFINFO_LIST = 22;
export const IFLA_STATS64 = 23;
export const IFLA_AF_SPEC = 26;
export const IFLA_GROUP = 27;
export const IFLA_NET_NS_FD = 28;
export const IFLA_EXT_MASK = 29;
export const IFLA_PROMISCUITY = 30;
export const IFLA_NUM_TX_QUEUES = 31;
export const IFLA_NUM_RX_QUEUES = 32;
export const IFLA_CARRIER = 33;
export const IFLA_PHYS_PORT_ID = 34;
export const IFLA_CARRIER_CHANGES = 35;
export const IFLA_PHYS_SWITCH_ID = 36;
export const IFLA_LINK_NETNSID = 37;
export const IFLA_PHYS_PORT_NAME = 38;
export const IFLA_PROTO_DOWN = 39;
export const IFLA_GSO_MAX_SEGS = 40;
export const IFLA_GSO_MAX_SIZE = 41;
export const IFLA_PAD = 42;
export const IFLA_XDP = 43;
export const IFLA_EVENT = 44;
export const IFLA_NEW_NETNSID = 45;
export const IFLA_TARGET_NETNSID = 46;
export const IFLA_CARRIER_UP_COUNT = 47;
export const IFLA_CARRIER_DOWN_COUNT = 48;
export const IFLA_NEW_IFINDEX = 49;
export const IFLA_MIN_MTU = 50;
export const IFLA_MAX_MTU = 51;
export const IFLA_PROP_LIST = 52;
export const IFLA_ALT_IFNAME = 53;
export const IFLA_PERM_ADDRESS = 54;
export const IFLA_PROTO_DOWN_REASON = 55;
export const IFLA_PARENT_DEV_NAME = 56;
export const IFLA_PARENT_DEV_BUS_NAME = 57;
export const IFLA_GRO_MAX_SIZE = 58;
export const IFLA_TSO_MAX_SIZE = 59;
export const IFLA_TSO_MAX_SEGS = 60;
export const IFLA_ALLMULTI = 61;
export const IFLA_GSO_IPV4_MAX_SIZE = 63;
export const IFLA_GRO_IPV4_MAX_SIZE = 64;
export const IFLA_NETNS_IMMUTABLE = 67;
export const IFLA_HEADROOM = 68;
export const IFLA_TAILROOM = 69;

export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_INFO_XSTATS = 3;
export const IFLA_INFO_SLAVE_KIND = 4;
export const IFLA_INFO_SLAVE_DATA = 5;

export const IFLA_XDP_FD = 1;
export const IFLA_XDP_ATTACHED = 2;
export const IFLA_XDP_FLAGS = 3;
export const IFLA_XDP_PROG_ID = 4;
export const IFLA_XDP_DRV_PROG_ID = 5;
export const IFLA_XDP_SKB_PROG_ID = 6;
export const IFLA_XDP_HW_PROG_ID = 7;
export const IFLA_XDP_EXPECTED_FD = 8;

/** IFLA_XDP_ATTACHED (XDP_ATTACHED_*): where a link's XDP program runs, named as ip's words (xdpdrv, xdpgeneric, xdpoffload). */
export const XDP_ATTACHED = { none: 0, drv: 1, generic: 2, offload: 3, multi: 4 } as const;
/** IFLA_XDP_FLAGS (XDP_FLAGS_*): how a request attaches a program. */
export const XDP_FLAGS = { updateIfNoexist: 0x1, skbMode: 0x2, drvMode: 0x4, hwMode: 0x8, replace: 0x10 } as const;

export const IFLA_PROTO_DOWN_REASON_MASK = 1;
export const IFLA_PROTO_DOWN_REASON_VALUE = 2;
export const IFLA_INET_CONF = 1;
export const IFLA_INET6_FLAGS = 1;
export const IFLA_INET6_CONF = 2;
export const IFLA_INET6_STATS = 3;
export const IFLA_INET6_MCAST = 4;
export const IFLA_INET6_CACHEINFO = 5;
export const IFLA_INET6_ICMP6STATS = 6;
export const IFLA_INET6_TOKEN = 7;
export const IFLA_INET6_ADDR_GEN_MODE = 8;
export const IFLA_INET6_RA_MTU = 9;

/** IFLA_EXT_MASK bits. RTEXT_FILTER_VF: an SR-IOV device's virtual functions too (IFLA_NUM_VF, IFLA_VFINFO_LIST). */
export const RTEXT_FILTER_VF = 1;
/** Skips the VF counters only: IFLA_STATS64 comes whatever the mask. */
export const RTEXT_FILTER_SKIP_STATS = 8;

/** net_device_flags (IFF_*), named as iproute2 prints them, lower case. */
export const IFF_FLAGS = {
  up: 0x1, broadcast: 0x2, debug: 0x4, loopback: 0x8, pointopoint: 0x10, notrailers: 0x20, running: 0x40,
  noarp: 0x80, promisc: 0x100, allmulti: 0x200, master: 0x400, slave: 0x800, multicast: 0x1000, portsel: 0x2000,
  automedia: 0x4000, dynamic: 0x8000, lower_up: 0x10000, dormant: 0x20000, echo: 0x40000,
} as const;
export type IffFlag = keyof typeof IFF_FLAGS;

/** RFC 2863 operational state (IF_OPER_*). */
export const OPERSTATES = { unknown: 0, notpresent: 1, down: 2, lowerlayerdown: 3, testing: 4, dormant: 5, up: 6 } as const;
export const LINKMODES = { default: 0, dormant: 1, testing: 2 } as const;
/** enum in6_addr_gen_mode, named as iproute2 names them. */
export const ADDR_GEN_MODES = { eui64: 0, none: 1, stable_secret: 2, random: 3 } as const;

/** struct ifinfomsg, the fixed header of every link message. */
export interface IfInfoHeader {
  /** ifi_family: AF_UNSPEC (0) but for bridge port messages (AF_BRIDGE). */
  family: number;
  /** ifi_type: ARPHRD_* (1 is Ethernet). */
  type: number;
  index: number;
  /** IFF_* flag names; bits without a name stay numbers. */
  flags: Array<IffFlag | number>;
  /** ifi_change: which flag bits a request changes (requests only). */
  change: number;
}
export const IFINFOMSG_LEN = 16;

// Flag names in bit order, computed once: this runs for every link of every dump.
const iffNames = flagNamer(IFF_FLAGS);

/** Reads struct ifinfomsg into `into` (a new object by default). */
export function decodeIfInfo<T extends object>(p: Uint8Array, into = {} as T): T & IfInfoHeader {
  if (p.length < IFINFOMSG_LEN) throw new DecodeError(`ifinfomsg is ${p.length} bytes, expected ${IFINFOMSG_LEN}`);
  // Stores by name: Object.assign would turn a link into a hash table (see storeFor in schema.ts).
  const h = into as T & IfInfoHeader;
  h.family = p[0];
  h.type = getAt.u16(p, 2, 4);
  h.index = getAt.s32(p, 4, 8);
  h.flags = iffNames(getAt.u32(p, 8, 12));
  h.change = getAt.u32(p, 12, 16);
  return h;
}

export function encodeIfInfo(w: Writer, h: Partial<IfInfoHeader>): void {
  w.u8(h.family ?? 0).u8(0).u16(h.type ?? 0).s32(h.index ?? 0).u32(bitsOf(IFF_FLAGS, h.flags ?? [])).u32(h.change ?? 0);
}

/** struct rtnl_link_stats64, in order. */
export const STATS64_FIELDS = [
  'rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxErrors', 'txErrors', 'rxDropped', 'txDropped', 'multicast',
  'collisions', 'rxLengthErrors', 'rxOverErrors', 'rxCrcErrors', 'rxFrameErrors', 'rxFifoErrors', 'rxMissedErrors',
  'txAbortedErrors', 'txCarrierErrors', 'txFifoErrors', 'txHeartbeatErrors', 'txWindowErrors', 'rxCompressed',
  'txCompressed', 'rxNohandler', 'rxOtherhostDropped',
] as const;
export type LinkStats64 = Packed<(typeof STATS64_FIELDS)[number], bigint>;

/** IPV4_DEVCONF_* in order (index 1 first): /proc/sys/net/ipv4/conf/DEV/*, camel-cased. */
export const IPV4_DEVCONF = [
  'forwarding', 'mcForwarding', 'proxyArp', 'acceptRedirects', 'secureRedirects', 'sendRedirects', 'sharedMedia',
  'rpFilter', 'acceptSourceRoute', 'bootpRelay', 'logMartians', 'tag', 'arpFilter', 'mediumId', 'noxfrm', 'nopolicy',
  'forceIgmpVersion', 'arpAnnounce', 'arpIgnore', 'promoteSecondaries', 'arpAccept', 'arpNotify', 'acceptLocal',
  'srcValidMark', 'proxyArpPvlan', 'routeLocalnet', 'igmpv2UnsolicitedReportInterval', 'igmpv3UnsolicitedReportInterval',
  'ignoreRoutesWithLinkdown', 'dropUnicastInL2Multicast', 'dropGratuitousArp', 'bcForwarding', 'arpEvictNocarrier',
] as const;
export type Ipv4Devconf = Packed<(typeof IPV4_DEVCONF)[number], number>;

/** DEVCONF_* in order (index 0 first): /proc/sys/net/ipv6/conf/DEV/*, camel-cased. */
export const IPV6_DEVCONF = [
  'forwarding', 'hopLimit', 'mtu6', 'acceptRa', 'acceptRedirects', 'autoconf', 'dadTransmits', 'rtrSolicits',
  'rtrSolicitInterval', 'rtrSolicitDelay', 'useTempaddr', 'tempValidLft', 'tempPreferedLft', 'regenMaxRetry',
  'maxDesyncFactor', 'maxAddresses', 'forceMldVersion', 'acceptRaDefrtr', 'acceptRaPinfo', 'acceptRaRtrPref',
  'rtrProbeInterval', 'acceptRaRtInfoMaxPlen', 'proxyNdp', 'optimisticDad', 'acceptSourceRoute', 'mcForwarding',
  'disableIpv6', 'acceptDad', 'forceTllao', 'ndiscNotify', 'mldv1UnsolicitedReportInterval',
  'mldv2UnsolicitedReportInterval', 'suppressFragNdisc', 'acceptRaFromLocal', 'useOptimistic', 'acceptRaMtu',
  'stableSecret', 'useOifAddrsOnly', 'acceptRaMinHopLimit', 'ignoreRoutesWithLinkdown', 'dropUnicastInL2Multicast',
  'dropUnsolicitedNa', 'keepAddrOnDown', 'rtrSolicitMaxInterval', 'seg6Enabled', 'seg6RequireHmac', 'enhancedDad',
  'addrGenMode', 'disablePolicy', 'acceptRaRtInfoMinPlen', 'ndiscTclass', 'rplSegEnabled', 'raDefrtrMetric',
  'ioam6Enabled', 'ioam6Id', 'ioam6IdWide', 'ndiscEvictNocarrier', 'acceptUntrackedNa',
] as const;
export type Ipv6Devconf = Packed<(typeof IPV6_DEVCONF)[number], number>;

/** Setting IPv4 devconf values: one u32 attribute per value, typed by its IPV4_DEVCONF_* index. */
export const ipv4DevconfTable = Object.fromEntries(IPV4_DEVCONF.map((name, i) => [name, field(i + 1, u32)])) as {
  [K in (typeof IPV4_DEVCONF)[number]]: ReturnType<typeof field<number>>
};

export const inetTable = {
  // The kernel reports IFLA_INET_CONF as a packed u32 array but takes it as nested attributes:
  // two keys share the type. `set` comes first so that decoding (last key wins) yields `conf`.
  /** Request only: devconf values to change, e.g. `{ arpNotify: 1 }`. */
  set: field(IFLA_INET_CONF, nested(ipv4DevconfTable)),
  conf: field(IFLA_INET_CONF, u32s(IPV4_DEVCONF)),
};

export const INET6_FLAGS = { rsSent: 0x10, raRcvd: 0x20, raManaged: 0x40, raOtherconf: 0x80, ready: 0x80000000 } as const;
export const inet6Table = {
  flags: field(IFLA_INET6_FLAGS, flagsOf(u32, INET6_FLAGS)),
  conf: field(IFLA_INET6_CONF, s32s(IPV6_DEVCONF)),
  /** IPSTATS_MIB_* counters, u64 each. */
  stats: field(IFLA_INET6_STATS, bytes),
  mcast: field(IFLA_INET6_MCAST, bytes),
  cacheinfo: field(IFLA_INET6_CACHEINFO, u32s(['maxReasmLen', 'tstamp', 'reachableTime', 'retransTime'] as const)),
  /** ICMP6_MIB_* counters, u64 each. */
  icmp6stats: field(IFLA_INET6_ICMP6STATS, bytes),
  token: field(IFLA_INET6_TOKEN, ip),
  addrGenMode: field(IFLA_INET6_ADDR_GEN_MODE, enumOf(u8, ADDR_GEN_MODES)),
  raMtu: field(IFLA_INET6_RA_MTU, u32),
};

/** IFLA_AF_SPEC: one nest per address family. */
export const afSpecTable = {
  inet: field(AF_INET, nested(inetTable)),
  inet6: field(AF_INET6, nested(inet6Table)),
};
export type AfSpec = Attrs<typeof afSpecTable>;

/**
 * IFLA_LINKINFO decoded, discriminated by kind: `if (link.info?.kind === 'macvlan')` makes
 * `link.info.data` a MacvlanData. Kinds the library does not model keep their data as bytes;
 * `slaveKind`/`slaveData` likewise (the master's kind: `bridge` gives BridgePortData).
 */
export type LinkInfo = KindInfo & SlaveInfo & { xstats?: Uint8Array; other?: RawAttr[] };

/** `kind` and `data` of IFLA_LINKINFO: one member per modelled kind, bytes for the rest. */
export type KindInfo =
  | { [K in KnownKind]: { kind: K; data?: KindData[K] } }[KnownKind]
  | { kind: OtherKind; data?: Uint8Array }
  | { kind?: undefined; data?: undefined };

/** `slaveKind` and `slaveData`: the link as a port of its master (a bridge port: `hairpin`...). */
export type SlaveInfo =
  | { [K in keyof SlaveKindData]: { slaveKind: K; slaveData?: SlaveKindData[K] } }[keyof SlaveKindData]
  | { slaveKind: OtherSlaveKind; slaveData?: Uint8Array }
  | { slaveKind?: undefined; slaveData?: undefined };

/** Nested data by a table when there is one for the kind, else bytes kept as they are. */
function kindData(table: Table | undefined): Codec<object | Uint8Array> {
  const decodeAt = (b: Uint8Array, from: number, to: number): object | Uint8Array => (table ? decodeAttrsIn(table, b, from, to) : b.slice(from, to));
  return {
    decode: (v) => decodeAt(v, 0, v.length),
    decodeAt,
    encode: (w, v) => (v instanceof Uint8Array ? w.bytes(v) : encodeNested(table ?? {}, v as Attrs<Table>, w)),
  };
}
/** By kind, then by slave kind. */
const infoTables = new Map<string, Map<string, Table>>();
/**
 * The IFLA_LINKINFO table for one kind and slave kind, made once per pair of modelled kinds:
 * every kind without a table shares one (bytes), so that no kind string from the kernel or a
 * caller grows the cache.
 */
function infoTable(kind = '', slaveKind = ''): Table {
  if (!Object.hasOwn(linkKinds, kind)) kind = '';
  if (!Object.hasOwn(slaveKinds, slaveKind)) slaveKind = '';
  let bySlaveKind = infoTables.get(kind);
  if (!bySlaveKind) infoTables.set(kind, bySlaveKind = new Map());
  let t = bySlaveKind.get(slaveKind);
  if (!t) {
    t = {
      kind: field(IFLA_INFO_KIND, string),
      data: field(IFLA_INFO_DATA, kindData(linkKinds[kind])),
      xstats: field(IFLA_INFO_XSTATS, bytes),
      slaveKind: field(IFLA_INFO_SLAVE_KIND, string),
      slaveData: field(IFLA_INFO_SLAVE_DATA, kindData(slaveKinds[slaveKind])),
    };
    bySlaveKind.set(slaveKind, t);
  }
  return t;
}

/** IFLA_LINKINFO from b[from] to b[to - 1]. The kinds decide how the data decodes, and may come after it: found first. */
function decodeLinkInfo(b: Uint8Array, from: number, to: number): LinkInfo {
  let kind: string | undefined;
  let slaveKind: string | undefined;
  for (const c = new AttrCursor(b, from, to); c.next();) {
    const t = attrType(c.type);
    if (t === IFLA_INFO_KIND) kind = getAt.string(b, c.start, c.end);
    else if (t === IFLA_INFO_SLAVE_KIND) slaveKind = getAt.string(b, c.start, c.end);
  }
  return decodeAttrsIn(infoTable(kind, slaveKind), b, from, to) as LinkInfo;
}

export const linkInfo: Codec<LinkInfo> = {
  decode: (v) => decodeLinkInfo(v, 0, v.length),
  decodeAt: decodeLinkInfo,
  encode: (w, v) => encodeNested(infoTable(v.kind, v.slaveKind), v as Attrs<Table>, w),
};

/**
 * IFLA_PROTO_DOWN_REASON: 32 reason bits that hold a link protodown while any is set. A request
 * sets the bits of `mask` to those of `value`; the kernel tells `value` alone.
 */
const protoDownReasonTable = {
  mask: field(IFLA_PROTO_DOWN_REASON_MASK, u32),
  value: field(IFLA_PROTO_DOWN_REASON_VALUE, u32),
};

/**
 * IFLA_XDP: the XDP programs a link runs, by id (bpfProgram() tells more of one). A request
 * attaches the program open at `fd` (-1 detaches), in the mode `flags` say.
 */
export const xdpTable = {
  /** Request only: the program's descriptor; -1 detaches. */
  fd: field(IFLA_XDP_FD, s32),
  attached: field(IFLA_XDP_ATTACHED, enumOf(u8, XDP_ATTACHED)),
  /** Request only. */
  flags: field(IFLA_XDP_FLAGS, flagsOf(u32, XDP_FLAGS)),
  /** The program, when one mode has one (not `multi`). */
  progId: field(IFLA_XDP_PROG_ID, u32),
  drvProgId: field(IFLA_XDP_DRV_PROG_ID, u32),
  genericProgId: field(IFLA_XDP_SKB_PROG_ID, u32),
  offloadProgId: field(IFLA_XDP_HW_PROG_ID, u32),
  /** Request only, with `replace` among the flags: the program expected attached now. */
  expectedFd: field(IFLA_XDP_EXPECTED_FD, s32),
};
export type XdpAttrs = Attrs<typeof xdpTable>;

export const linkTable = {
  address: field(IFLA_ADDRESS, lladdr),
  broadcast: field(IFLA_BROADCAST, lladdr),
  name: field(IFLA_IFNAME, string),
  mtu: field(IFLA_MTU, u32),
  /** IFLA_LINK: index of the parent (lower) device, in the namespace `linkNsid` names when given. */
  parent: field(IFLA_LINK, u32),
  qdisc: field(IFLA_QDISC, string),
  master: field(IFLA_MASTER, u32),
  txqlen: field(IFLA_TXQLEN, u32),
  operstate: field(IFLA_OPERSTATE, enumOf(u8, OPERSTATES)),
  linkmode: field(IFLA_LINKMODE, enumOf(u8, LINKMODES)),
  info: field(IFLA_LINKINFO, linkInfo),
  /** Request only: create or move the link into the namespace of this process. */
  netnsPid: field(IFLA_NET_NS_PID, u32),
  alias: field(IFLA_IFALIAS, string),
  /** How many virtual functions an SR-IOV device has (asked for with RTEXT_FILTER_VF). */
  numVf: field(IFLA_NUM_VF, u32),
  /** Its virtual functions, the same request's. */
  vfInfoList: field(IFLA_VFINFO_LIST, vfInfoList),
  // The two biggest values, which listings rarely read: decoded on first read (schema.ts).
  stats64: field(IFLA_STATS64, u64s(STATS64_FIELDS), { lazy: true }),
  afSpec: field(IFLA_AF_SPEC, nested(afSpecTable), { lazy: true }),
  group: field(IFLA_GROUP, u32),
  /** Request only: create or move the link into the namespace this open fd refers to. */
  netnsFd: field(IFLA_NET_NS_FD, u32),
  /** Request only: RTEXT_FILTER_* bits. */
  extMask: field(IFLA_EXT_MASK, u32),
  /** How many times promiscuous mode was asked for: > 0 means promiscuous. */
  promiscuity: field(IFLA_PROMISCUITY, u32),
  numTxQueues: field(IFLA_NUM_TX_QUEUES, u32),
  numRxQueues: field(IFLA_NUM_RX_QUEUES, u32),
  carrier: field(IFLA_CARRIER, bool8),
  physPortId: field(IFLA_PHYS_PORT_ID, bytes),
  carrierChanges: field(IFLA_CARRIER_CHANGES, u32),
  physSwitchId: field(IFLA_PHYS_SWITCH_ID, bytes),
  /** The namespace (by its id as seen from here) of the parent device, when it is another one. */
  linkNsid: field(IFLA_LINK_NETNSID, s32),
  physPortName: field(IFLA_PHYS_PORT_NAME, string),
  protoDown: field(IFLA_PROTO_DOWN, bool8),
  protoDownReason: field(IFLA_PROTO_DOWN_REASON, nested(protoDownReasonTable), { flagNested: true }),
  gsoMaxSegs: field(IFLA_GSO_MAX_SEGS, u32),
  gsoMaxSize: field(IFLA_GSO_MAX_SIZE, u32),
  // Every link carries it (attached none), listings rarely read it: decoded eagerly, it cost a
  // 1,000-link dump workload 10 – 19 MiB of peak RSS (docs/performance.md).
  xdp: field(IFLA_XDP, nested(xdpTable), { lazy: true }),
  event: field(IFLA_EVENT, u32),
  newNsid: field(IFLA_NEW_NETNSID, s32),
  /** Request: act in the namespace with this id (as seen from the socket's). */
  targetNsid: field(IFLA_TARGET_NETNSID, s32),
  carrierUpCount: field(IFLA_CARRIER_UP_COUNT, u32),
  carrierDownCount: field(IFLA_CARRIER_DOWN_COUNT, u32),
  newIfindex: field(IFLA_NEW_IFINDEX, s32),
  minMtu: field(IFLA_MIN_MTU, u32),
  maxMtu: field(IFLA_MAX_MTU, u32),
  /** Alternative names; what RTM_NEWLINKPROP and RTM_DELLINKPROP carry (NLA_F_NESTED set, as ip sets it). */
  altNames: field(IFLA_PROP_LIST, listOf(IFLA_ALT_IFNAME, string), { flagNested: true }),
  /** Request only: find the link by this alternative name. */
  altName: field(IFLA_ALT_IFNAME, string),
  permAddress: field(IFLA_PERM_ADDRESS, lladdr),
  parentDevName: field(IFLA_PARENT_DEV_NAME, string),
  parentDevBusName: field(IFLA_PARENT_DEV_BUS_NAME, string),
  groMaxSize: field(IFLA_GRO_MAX_SIZE, u32),
  tsoMaxSize: field(IFLA_TSO_MAX_SIZE, u32),
  tsoMaxSegs: field(IFLA_TSO_MAX_SEGS, u32),
  /** How many times all-multicast mode was asked for. */
  allmulti: field(IFLA_ALLMULTI, u32),
  gsoIpv4MaxSize: field(IFLA_GSO_IPV4_MAX_SIZE, u32),
  groIpv4MaxSize: field(IFLA_GRO_IPV4_MAX_SIZE, u32),
  /** The link cannot be moved to another namespace (a loopback, a bridge here). Newer kernels (6.18 here) send it. */
  netnsImmutable: field(IFLA_NETNS_IMMUTABLE, bool8),
  /** Bytes the link wants free before a packet's data, and after it (newer kernels). */
  headroom: field(IFLA_HEADROOM, u16),
  tailroom: field(IFLA_TAILROOM, u16),
};
export type LinkAttrs = Attrs<typeof linkTable>;

/**
 * A bridge port as its bridge tells it (RTM_NEWLINK and RTM_DELLINK of family AF_BRIDGE, as
 * `bridge link show` dumps them): some of the link's attributes, and IFLA_PROTINFO, the port's
 * settings and state in the IFLA_BRPORT_* attributes a bridge_slave's data has. IFLA_PROTINFO of
 * other families (IPv6's) is another thing, left in `other`.
 */
const bridgeLinkTable = { ...linkTable, protinfo: field(IFLA_PROTINFO, nested(slaveKinds.bridge), { flagNested: true }) };
/** The attribute table of a link message of `family` (ifi_family). */
export const linkTableFor = (family: number | undefined): typeof linkTable => (family === AF_BRIDGE ? bridgeLinkTable : linkTable);

/** A link: the ifinfomsg fields and the attributes, side by side. Unknown attributes are in `other`. */
export type Link = IfInfoHeader & LinkAttrs & LinkNames & {
  /** A bridge port's settings and state, in a message of family AF_BRIDGE (7) only (see bridgeLinkTable). */
  protinfo?: BridgePortData;
};

/**
 * Names of the links a link refers to by index, where rt.link.list() knows them (the same
 * dump): not attributes, so never encoded. `parentName` only for a parent in the same namespace.
 */
export interface LinkNames {
  masterName?: string;
  parentName?: string;
}

/**
 * Decodes the payload of an RTM_NEWLINK message (the bytes after nlmsghdr); `stats: false`
 * leaves IFLA_STATS64 out (the kernel sends it whatever the request's RTEXT_FILTER_SKIP_STATS).
 */
export function decodeLink(p: Uint8Array, { stats = true }: { stats?: boolean } = {}): Link {
  return nesting(DecodeError, () =>
    // The attributes first: their keys come before the header's. Made from `jsonable` so that
    // JSON.stringify(link) works: stats64's BigInts become strings, bytes hex (json.ts).
    decodeIfInfo(p, decodeAttrs(linkTableFor(p[0]), p, jsonable, stats ? undefined : 'stats64', Math.min(IFINFOMSG_LEN, p.length))));
}

/**
 * Only a link's index and name (IFLA_IFNAME), out of an RTM_NEWLINK payload: what the other
 * families need to name links, at a fraction of decodeLink's cost (no object, no other value).
 */
export function decodeLinkName(p: Uint8Array): { index: number; name?: string } {
  if (p.length < IFINFOMSG_LEN) throw new DecodeError(`ifinfomsg is ${p.length} bytes, expected ${IFINFOMSG_LEN}`);
  let name: string | undefined;
  // Every attribute walked all the same: bytes that do not parse are an error here too.
  for (const c = new AttrCursor(p.subarray(IFINFOMSG_LEN)); c.next();) {
    if (name === undefined && attrType(c.type) === IFLA_IFNAME) name = getAt.string(c.buf, c.start, c.end);
  }
  return { index: getAt.s32(p, 4, 8), name };
}

/** Writes a link message payload: header fields (0 when absent), then the attributes. */
export function encodeLink(w: Writer, link: Partial<Link>): void {
  nesting(EncodeError, () => {
    encodeIfInfo(w, link);
    encodeAttrs(linkTableFor(link.family), link, w);
  });
}

/**
 * A link message holds another (a veth's peer) and could hold one in that, and so on: bytes
 * or objects nested hundreds deep would overflow the stack. A link carries one peer; more than
 * MAX_LINK_NESTING levels is an error of its own.
 */
export const MAX_LINK_NESTING = 4;
let linkDepth = 0;
function nesting<T>(Err: typeof DecodeError | typeof EncodeError, fn: () => T): T {
  if (linkDepth >= MAX_LINK_NESTING) throw new Err(`link messages nested more than ${MAX_LINK_NESTING} deep (a veth peer holds one link)`);
  linkDepth++;
  try {
    return fn();
  } finally {
    linkDepth--;
  }
}

/** veth's table, made here with the link codec for its peer (see link-kinds/veth.ts). */
export const vethTable = vethTableFor<Partial<Link>>({ decode: (v) => decodeLink(v), encode: (w, v) => encodeLink(w, v) });
export type VethData = VethDataOf<Partial<Link>>;

/** The registry of link kinds: IFLA_INFO_KIND -> the table of its IFLA_INFO_DATA. */
export const linkKinds: Record<string, Table> = { ...kindTables, veth: vethTable };

/** IFLA_INFO_DATA decoded, by kind. */
export interface KindData extends TableKindData {
  veth: VethData;
}
/** The kinds the library models. */
export type KnownKind = keyof KindData;
/** Every kind name the types know: modelled or not. */
export type LinkKind = KnownKind | OtherKind;

export { slaveKinds };
export type { OtherKind, OtherSlaveKind, SlaveKindData };
