// The words after `type KIND` in `rtnl link add|set`, as iproute2 6.1's iplink_bridge.c,
// iplink_vxlan.c, iplink_macvlan.c and iplink_bridge_slave.c read them, mapped onto the
// library's kind options (BridgeData, VxlanOptions, MacvlanOptions, BridgePortData).
// Each table lists the words in the order ip tries them: an abbreviation means the first word
// it begins (`mcast_q` is mcast_query_use_ifaddr). test/vectors/args holds what ip did with each.
import { isMulticast } from '../../codecs/netlink/addresses.js';
import { BR_BOOLOPT_MCAST_VLAN_SNOOPING, BR_BOOLOPT_NO_LL_LEARN, type BridgeData, type BridgePortData } from '../../codecs/route/link-kinds/bridge.js';
import { MACVLAN_MODES, type MacvlanFlag, type MacvlanMode } from '../../codecs/route/link-kinds/macvlan.js';
import type { MacaddrChange, MacvlanOptions, VxlanOptions } from '../api/link-options.js';
import { Args, CliError, cInteger, cNumber, dsfield, duparg2, fail, int32, invarg, matches } from './args.js';
import { llProtoNumber, vlanProtocolName } from './ll-names.js';
import { addressArg, addressText, lladdr, lladdrBytes, noBytes, expectedError, zeroAddress, type Prefix } from './prefix.js';

type Width = 8 | 16 | 32 | 64;

/** get_u8/u16/u32/u64(): a number below 2^width (decimal, 0x hex, 0 octal), else ip's `invalid WORD`. */
function sized(v: string, width: number, what: string): number | bigint {
  const n = cInteger(v);
  if (n === undefined || n >= 1n << BigInt(width)) throw invarg(what, v, false);
  return width === 64 ? n : Number(n);
}

/** What one bridge word does with the words after it. */
type BridgeWord =
  /** A number of that width in `key`; for `bool` options 0 and 1 are false and true. */
  | { word: string; key: keyof BridgeData; width: Width; bool?: true }
  /** A bit of IFLA_BR_MULTI_BOOLOPT; ip matches these words whole (strcmp). */
  | { word: string; bit: number }
  | { word: 'vlan_protocol' | 'group_address' | 'fdb_flush' };

const n = (word: string, key: keyof BridgeData, width: Width, bool?: true): BridgeWord => ({ word, key, width, bool });
/** bridge_parse_opt()'s words, in its order. */
const BRIDGE_WORDS: BridgeWord[] = [
  n('forward_delay', 'forwardDelay', 32), n('hello_time', 'helloTime', 32), n('max_age', 'maxAge', 32),
  n('ageing_time', 'ageingTime', 32), n('stp_state', 'stpState', 32), n('priority', 'priority', 16),
  n('vlan_filtering', 'vlanFiltering', 8, true), { word: 'vlan_protocol' }, n('group_fwd_mask', 'groupFwdMask', 16),
  { word: 'group_address' }, { word: 'no_linklocal_learn', bit: BR_BOOLOPT_NO_LL_LEARN }, { word: 'fdb_flush' },
  n('vlan_default_pvid', 'vlanDefaultPvid', 16), n('vlan_stats_enabled', 'vlanStatsEnabled', 8, true),
  n('vlan_stats_per_port', 'vlanStatsPerPort', 8, true), n('mcast_router', 'mcastRouter', 8),
  n('mcast_snooping', 'mcastSnooping', 8, true), { word: 'mcast_vlan_snooping', bit: BR_BOOLOPT_MCAST_VLAN_SNOOPING },
  n('mcast_query_use_ifaddr', 'mcastQueryUseIfaddr', 8, true), n('mcast_querier', 'mcastQuerier', 8, true),
  n('mcast_hash_elasticity', 'mcastHashElasticity', 32), n('mcast_hash_max', 'mcastHashMax', 32),
  n('mcast_last_member_count', 'mcastLastMemberCnt', 32), n('mcast_startup_query_count', 'mcastStartupQueryCnt', 32),
  n('mcast_last_member_interval', 'mcastLastMemberIntvl', 64), n('mcast_membership_interval', 'mcastMembershipIntvl', 64),
  n('mcast_querier_interval', 'mcastQuerierIntvl', 64), n('mcast_query_interval', 'mcastQueryIntvl', 64),
  n('mcast_query_response_interval', 'mcastQueryResponseIntvl', 64), n('mcast_startup_query_interval', 'mcastStartupQueryIntvl', 64),
  n('mcast_stats_enabled', 'mcastStatsEnabled', 8, true), n('mcast_igmp_version', 'mcastIgmpVersion', 8),
  n('mcast_mld_version', 'mcastMldVersion', 8), n('nf_call_iptables', 'nfCallIptables', 8),
  n('nf_call_ip6tables', 'nfCallIp6tables', 8), n('nf_call_arptables', 'nfCallArptables', 8),
];

/** The first keyword `w` stands for: an abbreviation unless the entry is matched whole. */
function lookup<T extends { word: string }>(table: readonly T[], w: string, whole: (e: T) => boolean): T | undefined {
  return table.find((e) => (whole(e) ? w === e.word : matches(w, e.word)));
}

/** A word of a kind that ip does not know (an unknown `command` or `option`), or `help`: its usage, exit status 1. */
export function unknown(kind: string, w: string, usage: string, what = 'command'): CliError {
  return new CliError(matches(w, 'help') ? usage : `${kind}: unknown ${what} "${w}"?\n${usage}`);
}

/** bridge_parse_opt(): `type bridge stp_state 1 forward_delay 400 ...`. */
export function bridgeOptions(args: Args): BridgeData {
  const o: Record<string, unknown> = {};
  const boolopt = { optval: 0, optmask: 0 };
  while (!args.done) {
    const w = args.next();
    const e = lookup(BRIDGE_WORDS, w, (b) => 'bit' in b);
    if (e === undefined) throw unknown('bridge', w, BRIDGE_USAGE);
    if ('key' in e) {
      const v = sized(args.next(), e.width, `invalid ${e.word}`);
      o[e.key] = e.bool && v <= 1 ? v === 1 : v; // 2 and up go as given, as ip sends them
    } else if ('bit' in e) {
      const on = sized(args.next(), 8, `invalid ${e.word}`);
      boolopt.optmask |= 1 << e.bit;
      boolopt.optval = on ? boolopt.optval | (1 << e.bit) : boolopt.optval & ~(1 << e.bit);
    } else if (e.word === 'vlan_protocol') o.vlanProtocol = vlanProtocol(args.next());
    else if (e.word === 'group_address') o.groupAddr = lladdr(args.next());
    else o.fdbFlush = true;
  }
  if (boolopt.optmask) o.multiBoolopt = boolopt;
  return o as BridgeData;
}

/** ll_proto_a2n() for the two protocols a bridge takes: the name in any case, or the number. */
function vlanProtocol(v: string): '802.1Q' | '802.1ad' {
  const n = llProtoNumber(v);
  return (n === undefined ? undefined : vlanProtocolName(n)) ?? fail(invarg('invalid vlan_protocol', v, false));
}

export const BRIDGE_USAGE = `Usage: ... bridge [ fdb_flush ]
${[
  'forward_delay FORWARD_DELAY', 'hello_time HELLO_TIME', 'max_age MAX_AGE', 'ageing_time AGEING_TIME', 'stp_state STP_STATE',
  'priority PRIORITY', 'group_fwd_mask MASK', 'group_address ADDRESS', 'no_linklocal_learn NO_LINKLOCAL_LEARN',
  'vlan_filtering VLAN_FILTERING', 'vlan_protocol VLAN_PROTOCOL', 'vlan_default_pvid VLAN_DEFAULT_PVID',
  'vlan_stats_enabled VLAN_STATS_ENABLED', 'vlan_stats_per_port VLAN_STATS_PER_PORT', 'mcast_snooping MULTICAST_SNOOPING',
  'mcast_vlan_snooping MULTICAST_VLAN_SNOOPING', 'mcast_router MULTICAST_ROUTER', 'mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR',
  'mcast_querier MULTICAST_QUERIER', 'mcast_hash_elasticity HASH_ELASTICITY', 'mcast_hash_max HASH_MAX',
  'mcast_last_member_count LAST_MEMBER_COUNT', 'mcast_startup_query_count STARTUP_QUERY_COUNT',
  'mcast_last_member_interval LAST_MEMBER_INTERVAL', 'mcast_membership_interval MEMBERSHIP_INTERVAL',
  'mcast_querier_interval QUERIER_INTERVAL', 'mcast_query_interval QUERY_INTERVAL',
  'mcast_query_response_interval QUERY_RESPONSE_INTERVAL', 'mcast_startup_query_interval STARTUP_QUERY_INTERVAL',
  'mcast_stats_enabled MCAST_STATS_ENABLED', 'mcast_igmp_version IGMP_VERSION', 'mcast_mld_version MLD_VERSION',
  'nf_call_iptables NF_CALL_IPTABLES', 'nf_call_ip6tables NF_CALL_IP6TABLES', 'nf_call_arptables NF_CALL_ARPTABLES',
].map((s) => `\t\t  [ ${s} ]`).join('\n')}

Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }`;

/** What vxlan_parse_opt() keeps besides the options: which attributes were given (check_duparg), and its defaults. */
interface VxlanState {
  o: Record<string, unknown>;
  seen: Set<string>;
  learning: boolean;
  metadata: boolean;
  vnifilter: boolean;
  /** `group` or `remote` as given: multicast or not. */
  multicast?: boolean;
  /** The families of the local address and of the destination so far: each is read in the other's. */
  localFamily: number;
  destinationFamily: number;
  /** The refusal of an address of no bytes (`any` once a family is known), which ip sends empty and the kernel refuses. */
  empty?: CliError;
  /** `dev NAME` to an index, as ip looks it up where it reads the word; unset: the name is kept. */
  device?: (name: string) => number;
}

/** check_duparg(): each attribute once; `key` names it in ip's message. */
function once(s: VxlanState, attr: string, key: string, arg: string): void {
  if (s.seen.has(attr)) throw duparg2(key, arg);
  s.seen.add(attr);
}

/**
 * get_addr() in `family` (the other address's: `192.0.2` is 192.0.2.0, an IPv6 one after an IPv4
 * local ends ip), then ip's check of its kind: of a family (`default`, `any` and `all` are of none
 * until one is known), multicast or not as `multicast` asks (0.0.0.0 and :: count as not).
 */
function address(s: VxlanState, v: string, family: number, multicast: boolean, what: string): Prefix {
  const a = addressArg(v, family);
  if (a.family === 0 || isMulticast(addressText(a)) !== multicast) throw invarg(`invalid ${what} address`, v, false);
  if (noBytes(a, v)) s.empty ??= expectedError(v, a.family, false, 'address');
  return a;
}

/** The option an address goes in: `key` for IPv4, `key6` for IPv6. */
function put(s: VxlanState, key: 'group' | 'local', a: Prefix): void {
  s.o[a.family === 10 ? `${key}6` : key] = addressText(a);
}

/** `group` (multicast) or `remote` (unicast): one destination, IPv4 or IPv6. */
function destination(s: VxlanState, args: Args, word: 'group' | 'remote'): void {
  const multicast = word === 'group';
  if (s.multicast === !multicast) throw new CliError('vxlan: both group and remote cannot be specified');
  const v = args.next();
  once(s, 'group', word, v);
  const a = address(s, v, s.localFamily, multicast, word);
  put(s, 'group', a);
  s.destinationFamily = a.family;
  s.multicast = multicast;
}

/** A number of `width` bits, or the word standing for 0 (`none`, `unlimited`). */
function numberOr(v: string, zero: string, what: string): number {
  return v === zero ? 0 : Number(sized(v, 32, what));
}

/** vxlan's on/off words: the word, the option, its value. ip sends each as a u8 attribute. */
const VXLAN_SWITCHES: Array<[string, keyof VxlanOptions, boolean]> = [
  ['noproxy', 'proxy', false], ['proxy', 'proxy', true], ['norsc', 'rsc', false], ['rsc', 'rsc', true],
  ['nol2miss', 'l2miss', false], ['l2miss', 'l2miss', true], ['nol3miss', 'l3miss', false], ['l3miss', 'l3miss', true],
  ['udpcsum', 'udpCsum', true], ['noudpcsum', 'udpCsum', false],
  ['udp6zerocsumtx', 'udpZeroCsum6Tx', true], ['noudp6zerocsumtx', 'udpZeroCsum6Tx', false],
  ['udp6zerocsumrx', 'udpZeroCsum6Rx', true], ['noudp6zerocsumrx', 'udpZeroCsum6Rx', false],
  ['remcsumtx', 'remcsumTx', true], ['noremcsumtx', 'remcsumTx', false], ['remcsumrx', 'remcsumRx', true], ['noremcsumrx', 'remcsumRx', false],
];
const DF: Record<string, number> = { unset: 0, set: 1, inherit: 2 };

function external(s: VxlanState, on: boolean): void {
  s.metadata = on;
  s.o.collectMetadata = on;
}

function vnifilter(s: VxlanState, on: boolean): void {
  s.vnifilter = on;
  s.o.vnifilter = on;
}

type VxlanWord = { word: string; whole?: true; read: (s: VxlanState, args: Args, w: string) => void };
const valued = (words: string[], read: (s: VxlanState, v: string, args: Args) => void): VxlanWord[] =>
  words.map((word) => ({ word, read: (s, args) => read(s, args.next(), args) }));
/** A word without a value, which sets attribute `attr` (once, named in ip's message as typed). */
const toggle = (word: string, attr: string, set: (s: VxlanState) => void, whole?: true): VxlanWord => ({
  word, whole, read: (s, _, w) => { once(s, attr, w, w); set(s); },
});

/** vxlan_parse_opt()'s words, in its order. */
const VXLAN_WORDS: VxlanWord[] = [
  ...valued(['id', 'vni'], (s, v) => { once(s, 'id', 'id', v); s.o.id = vni(v); }),
  { word: 'group', read: (s, args) => destination(s, args, 'group') },
  { word: 'remote', read: (s, args) => destination(s, args, 'remote') },
  ...valued(['local'], (s, v) => {
    once(s, 'local', 'local', v);
    const a = address(s, v, s.destinationFamily, false, 'local');
    put(s, 'local', a);
    s.localFamily = a.family;
  }),
  ...valued(['dev'], (s, v) => { once(s, 'link', 'dev', v); s.o.link = s.device ? s.device(v) : v; }),
  ...valued(['ttl', 'hoplimit'], (s, v) => { once(s, 'ttl', 'ttl', v); ttl(s.o, v); }),
  ...valued(['tos', 'dsfield'], (s, v) => { once(s, 'tos', 'tos', v); s.o.tos = v === 'inherit' ? 1 : tos(v); }),
  ...valued(['df'], (s, v) => {
    once(s, 'df', 'df', v);
    if (!Object.hasOwn(DF, v)) throw invarg("DF must be 'unset', 'set' or 'inherit'", v, false);
    s.o.df = DF[v];
  }),
  ...valued(['label', 'flowlabel'], (s, v) => {
    once(s, 'label', 'flowlabel', v);
    s.o.label = Number(sized(v, 20, 'invalid flowlabel')); // get_u32(), then the 20 bits of an IPv6 flow label
  }),
  ...valued(['ageing'], (s, v) => { once(s, 'ageing', 'ageing', v); s.o.ageing = numberOr(v, 'none', 'ageing timer'); }),
  ...valued(['maxaddress'], (s, v) => { once(s, 'limit', 'maxaddress', v); s.o.limit = numberOr(v, 'unlimited', 'max addresses'); }),
  ...valued(['port', 'srcport'], (s, low, args) => {
    once(s, 'portRange', 'srcport', low);
    const range = { low: Number(sized(low, 16, 'min port')), high: Number(sized(args.next(), 16, 'max port')) };
    if (range.low || range.high) s.o.portRange = range;
  }),
  ...valued(['dstport'], (s, v) => { once(s, 'port', 'dstport', v); s.o.port = Number(sized(v, 16, 'dst port')); }),
  toggle('nolearning', 'learning', (s) => { s.learning = false; }),
  toggle('learning', 'learning', (s) => { s.learning = true; }),
  ...VXLAN_SWITCHES.map(([word, key, on]) => toggle(word, key, (s) => { s.o[key] = on; })),
  toggle('external', 'collectMetadata', (s) => { external(s, true); s.learning = false; }),
  toggle('noexternal', 'collectMetadata', (s) => external(s, false)),
  toggle('gbp', 'gbp', (s) => { s.o.gbp = new Uint8Array(0); }),
  toggle('gpe', 'gpe', (s) => { s.o.gpe = new Uint8Array(0); }),
  toggle('vnifilter', 'vnifilter', (s) => vnifilter(s, true), true),
  toggle('novnifilter', 'vnifilter', (s) => vnifilter(s, false), true),
];

/**
 * vxlan_parse_opt(): `type vxlan id 42 dstport 4789 remote 192.0.2.2 dev eth0 ...`; `dev`
 * goes in `link` by name (the library resolves it), or by the index `device` gives. `create`:
 * ip's checks and defaults at creation (a VNI, the learning attribute, the warning when no
 * destination port is given).
 */
/**
 * vxlan_parse_opt(): the options, with ip's refusals and warnings in its order; `family` (-4/-6):
 * the family of the destination when no address gave one (0.0.0.0 or ::, as ip sends it).
 */
export function vxlanOptions(args: Args, create: boolean, warn: (s: string) => void, family: number, device?: (name: string) => number): VxlanOptions {
  const s: VxlanState = { o: {}, seen: new Set(), learning: true, metadata: false, vnifilter: false, localFamily: 0, destinationFamily: 0, device };
  while (!args.done) {
    const w = args.next();
    const e = lookup(VXLAN_WORDS, w, (v) => v.whole === true);
    if (e === undefined) throw unknown('vxlan', w, VXLAN_USAGE);
    e.read(s, args, w);
  }
  const { o, seen } = s;
  if (!s.metadata && s.vnifilter) throw new CliError("vxlan: vnifilter is valid only when 'external' is set");
  if (s.metadata && seen.has('id')) throw new CliError("vxlan: both 'external' and vni cannot be specified");
  if (create && !s.metadata && !s.vnifilter && !seen.has('id')) throw new CliError('vxlan: missing virtual network identifier');
  if (s.multicast && !seen.has('link')) throw new CliError("vxlan: 'group' requires 'dev' to be specified");
  if (!seen.has('port') && seen.has('gpe')) o.port = 4790;
  else if (!seen.has('port') && create) {
    warn('vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n'
      + "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
  }
  if (create || seen.has('learning')) o.learning = s.learning;
  if (o.port === 0) delete o.port; // ip sends no port for 0: the kernel's default
  if (s.localFamily === 0 && s.destinationFamily === 0 && (family === 2 || family === 10)) o[family === 10 ? 'group6' : 'group'] = zeroAddress(family);
  if (s.empty) throw s.empty; // where ip sends it, after its warnings
  return o as VxlanOptions;
}

/** `ttl inherit`, `ttl auto` (0), or a number up to 255. */
function ttl(o: Record<string, unknown>, v: string): void {
  if (v === 'inherit') o.ttlInherit = true;
  else if (v === 'auto') o.ttl = 0;
  else {
    const n = cNumber(v);
    if (!Number.isInteger(n)) throw invarg('invalid TTL', v, false);
    if (n > 255) throw invarg('TTL must be <= 255', v, false);
    o.ttl = n;
  }
}

function tos(v: string): number {
  const n = dsfield(v);
  if (n === undefined) throw invarg('bad TOS value', v, false);
  return n;
}

function vni(v: string): number {
  const n = cNumber(v);
  if (!Number.isInteger(n) || n >= 1 << 24) throw invarg('invalid id', v, false);
  return n;
}

export const VXLAN_USAGE = `Usage: ... vxlan id VNI
${[
  '{ group | remote } IP_ADDRESS', 'local ADDR', 'ttl TTL', 'tos TOS', 'df DF', 'flowlabel LABEL', 'dev PHYS_DEV', 'dstport PORT',
  'srcport MIN MAX', '[no]learning', '[no]proxy', '[no]rsc', '[no]l2miss', '[no]l3miss', 'ageing SECONDS', 'maxaddress NUMBER',
  '[no]udpcsum', '[no]udp6zerocsumtx', '[no]udp6zerocsumrx', '[no]remcsumtx ] [ [no]remcsumrx', '[no]external ] [ gbp ] [ gpe',
  '[no]vnifilter',
].map((s) => `\t\t[ ${s} ]`).join('\n')}

Where:\tVNI\t:= 0-16777215
\tADDR\t:= { IP_ADDRESS | any }
\tTOS\t:= { NUMBER | inherit }
\tTTL\t:= { 1..255 | auto | inherit }
\tDF\t:= { unset | set | inherit }
\tLABEL := 0-1048575`;

/** ip's usage of macvlan and macvtap, named by kind. */
const macvlanUsage = (kind: string): string => `Usage: ... ${kind} mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]

MODE: private | vepa | bridge | passthru | source
MODE_FLAG: null | nopromisc | nodst
MODE_OPTS: for mode "source":
\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }
BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]`;

/** The words `flag` takes, and the flag each sets (`null` none). */
const MACVLAN_FLAG_WORDS: Record<string, MacvlanFlag | null> = { nopromisc: 'nopromisc', nodst: 'nodst', null: null };

/**
 * macvlan_parse_opt(): `type macvlan mode source nodst macaddr set MAC...`. `warn` gets what ip
 * prints and goes on from: a word after `macaddr set` that is no address ends the list.
 */
export function macvlanOptions(kind: 'macvlan' | 'macvtap', args: Args, warn: (s: string) => void): MacvlanOptions {
  const o: MacvlanOptions = {};
  const usage = macvlanUsage(kind);
  let flags: MacvlanFlag[] | undefined;
  const flag = (f: MacvlanFlag | null): void => {
    flags ??= [];
    if (f !== null && !flags.includes(f)) flags.push(f);
  };
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'mode')) o.mode = macvlanMode(args.next());
    else if (matches(w, 'flag')) {
      const f = args.next();
      if (!Object.hasOwn(MACVLAN_FLAG_WORDS, f)) throw new CliError(`Error: argument of "flag" must be "nopromisc", "nodst" or "null", not "${f}"`);
      flag(MACVLAN_FLAG_WORDS[f]);
    } else if (matches(w, 'macaddr')) o.macaddr = macaddr(args, usage, warn);
    else if (matches(w, 'nopromisc')) flag('nopromisc');
    else if (matches(w, 'nodst')) flag('nodst');
    else if (matches(w, 'bcqueuelen')) {
      const v = args.next();
      const n = cInteger(v);
      if (n === undefined || n >= 1n << 32n) throw new CliError(`Error: argument of "bcqueuelen" must be a positive integer [0-4294967295], not "${v}"`);
      o.bcqueuelen = Number(n);
    } else if (matches(w, 'bclim')) o.bcCutoff = int32(args.next(), 'bclim'); // newer than ip 6.1
    else throw unknown(kind, w, usage, 'option');
  }
  if (flags) {
    if (flags.includes('nopromisc') && o.mode !== 'passthru') throw new CliError(`${kind}: nopromisc flag only valid in passthru mode\n${usage}`);
    o.flags = flags;
  }
  return o;
}

function macvlanMode(m: string): MacvlanMode {
  if (!Object.hasOwn(MACVLAN_MODES, m)) throw new CliError(`Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${m}"`);
  return m as MacvlanMode;
}

/** `macaddr { add | del } MAC | set [ MAC ... ] | flush`. */
function macaddr(args: Args, usage: string, warn: (s: string) => void): MacaddrChange {
  const m = args.next();
  if (m === 'add' || m === 'del') {
    const mac = lladdr(args.next());
    // ip refuses one of another length with exit 1 and no word; said here.
    const bytes = lladdrBytes(mac);
    if (bytes !== 6) throw new CliError(`macaddr ${m}: "${mac}" is ${bytes} bytes, not a MAC address (6)`);
    return m === 'add' ? { add: mac } : { del: mac };
  }
  if (m === 'flush') return { flush: true };
  if (m !== 'set') throw new CliError(usage);
  const set: string[] = [];
  for (let next = args.peek(); next !== undefined; next = args.peek()) {
    // ll_addr_a2n() complains of a word that is no address at all; one of another length ends the list quietly.
    const bytes = lladdrBytes(next);
    if (bytes !== 6) {
      if (bytes === undefined) warn(`"${next}" is invalid lladdr.\n`);
      break;
    }
    set.push(args.next().toLowerCase());
  }
  return { set };
}

export const BRIDGE_SLAVE_USAGE = `Usage: ... bridge_slave [ fdb_flush ]
${[
  'state STATE', 'priority PRIO', 'cost COST', 'guard {on | off}', 'hairpin {on | off}', 'fastleave {on | off}', 'root_block {on | off}',
  'learning {on | off}', 'flood {on | off}', 'proxy_arp {on | off}', 'proxy_arp_wifi {on | off}', 'mcast_router MULTICAST_ROUTER',
  'mcast_fast_leave {on | off}', 'mcast_flood {on | off}', 'bcast_flood {on | off}', 'mcast_to_unicast {on | off}',
  'group_fwd_mask MASK', 'neigh_suppress {on | off}', 'vlan_tunnel {on | off}', 'isolated {on | off}', 'locked {on | off}',
  'backup_port DEVICE ] [ nobackup_port',
].map((s) => `\t\t\t[ ${s} ]`).join('\n')}`;

/** What one bridge_slave word sets: a number of that width (ip's message when invalid), or an on/off switch. */
type PortWord = { word: string; key: keyof BridgePortData } & ({ width: number; invalid: string } | { width?: undefined });
const num = (word: string, key: keyof BridgePortData, width: number, invalid: string): PortWord => ({ word, key, width, invalid });
const sw = (word: string, key: keyof BridgePortData): PortWord => ({ word, key });
/** bridge_slave_parse_opt()'s words, in its order (fdb_flush, backup_port and nobackup_port apart). */
const PORT_WORDS: PortWord[] = [
  num('state', 'state', 8, 'state is invalid'), num('priority', 'priority', 16, 'priority is invalid'),
  num('cost', 'cost', 32, 'cost is invalid'), sw('hairpin', 'hairpin'), sw('guard', 'guard'), sw('root_block', 'protect'),
  sw('fastleave', 'fastLeave'), sw('learning', 'learning'), sw('flood', 'unicastFlood'), sw('mcast_flood', 'mcastFlood'),
  sw('bcast_flood', 'bcastFlood'), sw('mcast_to_unicast', 'mcastToUcast'), sw('proxy_arp', 'proxyArp'),
  sw('proxy_arp_wifi', 'proxyArpWifi'), num('mcast_router', 'multicastRouter', 8, 'invalid mcast_router'),
  sw('mcast_fast_leave', 'fastLeave'), sw('neigh_suppress', 'neighSuppress'),
  num('group_fwd_mask', 'groupFwdMask', 16, 'invalid group_fwd_mask'), sw('vlan_tunnel', 'vlanTunnel'), sw('isolated', 'isolated'),
  sw('locked', 'locked'),
];

/** parse_on_off(): `on` or `off`, else ip's message (it exits there). */
function onOrOff(name: string, v: string): boolean {
  if (v !== 'on' && v !== 'off') throw new CliError(`Error: argument of "${name}" must be one of "off", "on", not "${v}"`, 1, true);
  return v === 'on';
}

/**
 * bridge_slave_parse_opt(): `link set DEV type bridge_slave hairpin on cost 7 ...`. A
 * `backup_port` comes back by name, for the caller to resolve as ip does before it sends.
 */
export function bridgePortOptions(args: Args): { bridgePort: BridgePortData; backupPort?: string } {
  const o: Record<string, unknown> = {};
  let backupPort: string | undefined;
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'fdb_flush')) {
      o.flush = true;
      continue;
    }
    const e = PORT_WORDS.find((p) => matches(w, p.word));
    if (e?.width !== undefined) o[e.key] = Number(sized(args.next(), e.width, e.invalid));
    else if (e) o[e.key] = onOrOff(e.word, args.next());
    else if (matches(w, 'backup_port')) backupPort = args.next();
    else if (matches(w, 'nobackup_port')) o.backupPort = 0;
    else throw unknown('bridge_slave', w, BRIDGE_SLAVE_USAGE, 'option');
  }
  return { bridgePort: o as BridgePortData, ...(backupPort !== undefined && { backupPort }) };
}
