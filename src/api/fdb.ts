// rt.fdb: forwarding database entries (the kernel's AF_BRIDGE neighbours), as `bridge fdb`
// shows and changes them: a bridge's, a vxlan's remotes, and the unicast and multicast
// addresses a link takes in (a macvlan's multicast filters, a passthru macvlan's unicast ones).
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../codecs/netlink/constants.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { formatLladdr, parseLladdr } from '../../codecs/netlink/addresses.js';
import { AF_BRIDGE, RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH } from '../../codecs/route/constants.js';
import {
  FDB_STATES, NEIGHBOUR_FLAGS, NTF_MASTER, NTF_SELF, NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE, NUD_STALE, neighbourCodec,
  type FdbState, type NeighbourFlag, type NeighbourMessage,
} from '../../codecs/route/neighbour.js';
import { PROTOCOLS, type ProtocolName } from '../../codecs/route/route.js';
import { bitsOf, flagNamer, namer } from '../../codecs/netlink/names.js';
import { EncodeError, asJson, asText } from '../../codecs/netlink/errors.js';
import { NotFoundError, checkObject, invalid, optionKeys, typedPartial } from '../errors.js';
import type { Request } from '../client.js';
import type { LinkRef, Session } from './session.js';
import { listNames, naming, parseAddress, present, type ListNaming } from './inet.js';
import { constants } from 'node:os';

/** One entry, as `bridge -j fdb show` lists it. */
export interface FdbEntry {
  /** The MAC address (NDA_LLADDR). */
  lladdr?: string;
  /** The link it is on (a bridge port, a vxlan, a macvlan...), and its name when known. */
  index: number;
  dev?: string;
  /** The bridge whose table holds it (NDA_MASTER); absent for a link's own entries (flag 'self'). */
  master?: number;
  masterName?: string;
  /** 'permanent' (bridge's `local` too), 'static', 'dynamic' (learnt or aging), 'stale'; a number for others. */
  state: FdbState | number;
  /** 'self' (the link's own table), 'master', 'extern_learn', 'sticky', 'offload', 'router'... */
  flags: Array<NeighbourFlag | number>;
  vlan?: number;
  /** A vxlan's remote (NDA_DST), its UDP port, VNI and source VNI. */
  dst?: string;
  port?: number;
  vni?: number;
  srcVni?: number;
  /** The link a vxlan reaches the remote through (NDA_IFINDEX). */
  via?: number;
  /** The namespace id of `via`'s namespace (NDA_LINK_NETNSID). */
  linkNetnsid?: number;
  /** A nexthop group instead of a remote (NDA_NH_ID). */
  nhId?: number;
  protocol?: ProtocolName | number;
  /** Hundredths of a second since the entry was last used and updated. */
  used?: number;
  updated?: number;
}

/** Which entry: what `delete` takes, and the start of what `add` takes. An entry list() gave is one. */
export interface FdbRef {
  lladdr: string;
  /** The link, by name or index. */
  dev: LinkRef;
  /**
   * Whose table: 'self' (the link's own), 'master' (its bridge's); none sends neither, which the
   * kernel takes as the bridge's for a bridge port. Default ['self'], as `bridge fdb` assumes.
   * The other flags (extern_learn, sticky, router, use) go with them.
   */
  flags?: Array<NeighbourFlag | number>;
  vlan?: number;
  dst?: string;
  port?: number;
  vni?: number;
  srcVni?: number;
  via?: LinkRef;
}

/** What `add`, `append` and `replace` take: `{ lladdr: '01:00:5e:00:00:fb', dev: 'mv0' }`. */
export interface FdbSpec extends FdbRef {
  /** Default 'permanent'. */
  state?: FdbState | number;
}

/** `dev`: only the entries on this link (a bridge's port: the bridge's entries for it and its own). */
export interface FdbFilter extends ListNaming {
  /** Only the entries of this bridge and its ports. */
  master?: LinkRef;
}

const FILTER_KEYS = optionKeys<FdbFilter>()('dev', 'names', 'master');
const DUMP_KEYS = optionKeys<{ index?: number; master?: number }>()('index', 'master');
const SPEC = ['lladdr', 'dev', 'flags', 'vlan', 'dst', 'port', 'vni', 'srcVni', 'via', 'state'] as const;
const SPEC_KEYS = optionKeys<FdbSpec>()(...SPEC);
/** delete() takes a listed entry as it is. */
const REF_KEYS = optionKeys<FdbSpec | FdbEntry>()(...SPEC, 'index', 'master', 'masterName', 'linkNetnsid', 'nhId', 'protocol', 'used', 'updated');

const flagNames = flagNamer(NEIGHBOUR_FLAGS);
const protocolName = namer(PROTOCOLS);

/** bridge/fdb.c's state_n2a(), for the states the kernel reports and those `bridge fdb add` sends. */
function stateName(s: number): FdbState | number {
  if (s === NUD_PERMANENT || s === FDB_STATES.permanent) return 'permanent';
  if (s === NUD_NOARP || s === FDB_STATES.static) return 'static';
  if (s === NUD_STALE) return 'stale';
  if (s === NUD_REACHABLE) return 'dynamic';
  return s;
}

export function toFdbEntry(m: NeighbourMessage, names?: Map<number, string>): FdbEntry {
  const a = m.attrs;
  const e: FdbEntry = { index: m.ifindex, state: stateName(m.state), flags: flagNames(m.flags) };
  if (a.lladdr !== undefined) e.lladdr = a.lladdr;
  const dev = names?.get(m.ifindex);
  if (dev !== undefined) e.dev = dev;
  if (a.master !== undefined) {
    e.master = a.master;
    const name = names?.get(a.master);
    if (name !== undefined) e.masterName = name;
  }
  if (a.vlan !== undefined) e.vlan = a.vlan;
  if (a.dst !== undefined) e.dst = a.dst;
  if (a.port !== undefined) e.port = a.port;
  if (a.vni !== undefined) e.vni = a.vni;
  if (a.srcVni !== undefined) e.srcVni = a.srcVni;
  if (a.ifindex !== undefined) e.via = a.ifindex;
  if (a.linkNsid !== undefined) e.linkNetnsid = a.linkNsid;
  if (a.nhId !== undefined) e.nhId = a.nhId;
  if (a.protocol) e.protocol = protocolName(a.protocol);
  if (a.cacheinfo) {
    e.used = a.cacheinfo.used;
    e.updated = a.cacheinfo.updated;
  }
  return e;
}

/** An entry of the FDB; undefined for any other neighbour message. */
export function decodeFdb(m: NlMessage): NeighbourMessage | undefined {
  return m.payload[0] === AF_BRIDGE ? neighbourCodec.decode(m.payload) : undefined;
}

/** The RTM_GETNEIGH dump of AF_BRIDGE: the kernel filters by link (ndm_ifindex) and bridge (NDA_MASTER). */
function dumpRequest(filter: { index?: number; master?: number }): Request {
  const head: NeighbourMessage = { family: AF_BRIDGE, pad1: 0, pad2: 0, ifindex: filter.index ?? 0, state: 0, flags: 0, type: 0, attrs: {} };
  if (filter.master !== undefined) head.attrs.master = filter.master;
  return { type: RTM_GETNEIGH, name: 'RTM_GETNEIGH', body: (w) => neighbourCodec.encode(w, head) };
}

/** An integer option from `min` to `max`, or an InvalidArgumentError naming it. */
function integer(subject: string, key: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalid(subject, `${key} ${asJson(v)} is not an integer from ${min} to ${max}`);
  return v;
}

/** The message `bridge fdb add|append|replace|del` would send, less the link's index. */
export function fdbMessage(spec: FdbSpec, subject = describe(spec)): NeighbourMessage {
  let lladdr: string;
  try {
    lladdr = formatLladdr(parseLladdr(spec.lladdr, 6));
  } catch {
    throw invalid(subject, `lladdr ${asJson(spec.lladdr)} is not a MAC address (six hex bytes like 02:00:00:00:00:01)`);
  }
  const m: NeighbourMessage = {
    family: AF_BRIDGE, pad1: 0, pad2: 0, ifindex: 0, state: state(spec.state, subject), flags: flags(spec.flags, subject), type: 0, attrs: { lladdr },
  };
  const a = m.attrs;
  if (spec.dst !== undefined) a.dst = parseAddress(spec.dst, `${subject}: dst`).address;
  const ranges = { vlan: [1, 4094], port: [0, 0xffff], vni: [0, 0xffffff], srcVni: [0, 0xffffff] } as const;
  for (const [key, [min, max]] of Object.entries(ranges) as Array<[keyof typeof ranges, readonly [number, number]]>) {
    if (spec[key] !== undefined) a[key] = integer(subject, key, spec[key], min, max);
  }
  return m;
}

function state(v: FdbSpec['state'], subject: string): number {
  if (v === undefined) return FDB_STATES.permanent;
  if (typeof v === 'number') return integer(subject, 'state', v, 0, 0xffff);
  if (typeof v !== 'string' || !Object.hasOwn(FDB_STATES, v)) {
    throw invalid(subject, `unknown state ${asJson(v)} (known: ${Object.keys(FDB_STATES).join(', ')})`);
  }
  return FDB_STATES[v];
}

function flags(v: FdbRef['flags'], subject: string): number {
  if (v === undefined) return NTF_SELF;
  try {
    const bits = bitsOf(NEIGHBOUR_FLAGS, v);
    if (bits > 0xff) throw new EncodeError(`flags ${bits} do not fit ndm_flags (8 bits)`);
    return bits;
  } catch (e) {
    throw e instanceof EncodeError ? invalid(subject, e.message) : e;
  }
}

export class FdbApi {
  constructor(protected readonly rt: Session) {}

  /** The entries, like `bridge -j fdb show [dev DEV] [br BRIDGE]`, filtered by the kernel. */
  async list(filter: FdbFilter = {}): Promise<FdbEntry[]> {
    checkObject('fdb filter', filter, FILTER_KEYS);
    const index = filter.dev === undefined ? undefined : await this.rt.linkIndex(filter.dev);
    const master = filter.master === undefined ? undefined : await this.rt.linkIndex(filter.master);
    const names = await listNames(this.rt, filter, 'fdb filter', index);
    return (await this.dump({ index, master })).map((m) => toFdbEntry(m, names));
  }

  /** The entries as the codec decodes them (what `bridge fdb show` prints from); `index` and `master` filter in the kernel. */
  async dump(filter: { index?: number; master?: number } = {}): Promise<NeighbourMessage[]> {
    checkObject('fdb dump filter', filter, DUMP_KEYS);
    return present(await this.rt.client.dump(dumpRequest(filter), decodeFdb).catch(typedPartial(present)));
  }

  /**
   * Adds an entry, like `bridge fdb add 01:00:5e:00:00:fb dev mv0`, and resolves with it as
   * list() shows it (the bridge's, when `flags` asks for both tables).
   */
  add(spec: FdbSpec): Promise<FdbEntry> {
    return this.send(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, spec);
  }

  /** Adds one more entry for the same MAC, like `bridge fdb append` (a vxlan's further remotes). */
  append(spec: FdbSpec): Promise<FdbEntry> {
    return this.send(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, spec);
  }

  /** Adds or overwrites an entry, like `bridge fdb replace`. */
  replace(spec: FdbSpec): Promise<FdbEntry> {
    return this.send(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, spec);
  }

  /** Removes an entry, like `bridge fdb del 02:00:00:00:00:01 dev v0 master`. */
  async delete(ref: FdbRef): Promise<void> {
    await this.send(RTM_DELNEIGH, 0, ref, REF_KEYS);
  }

  private async send(type: number, flags: number, spec: FdbSpec, keys = SPEC_KEYS): Promise<FdbEntry> {
    checkObject('fdb entry', spec, keys);
    const subject = describe(spec);
    if (spec.dev === undefined) throw invalid(subject, 'dev (the link, by name or index) is required');
    const m = fdbMessage(spec, subject); // bad input fails here, before any round trip
    m.ifindex = await this.rt.linkIndex(spec.dev);
    if (spec.via !== undefined) m.attrs.ifindex = await this.rt.linkIndex(spec.via);
    const name = type === RTM_DELNEIGH ? 'RTM_DELNEIGH' : 'RTM_NEWNEIGH';
    await this.rt.client.request({ type, flags, name, body: (w) => neighbourCodec.encode(w, m) }).catch(naming(subject));
    const names = typeof spec.dev === 'string' ? new Map([[m.ifindex, spec.dev]]) : undefined;
    if (type === RTM_DELNEIGH) return toFdbEntry(m, names);
    // The kernel echoes no entry: read it back from the link's.
    const found = (await this.dump({ index: m.ifindex }).catch(naming(subject))).find((e) => made(m, e));
    if (!found) throw new NotFoundError({ errno: constants.errno.ENOENT, subject, text: 'added, but not found afterwards' });
    return toFdbEntry(found, names);
  }
}

/**
 * Whether `e`, listed, is the entry `m` made: the same MAC, VLAN and remote, in the table asked
 * for: the bridge's (NDA_MASTER) for 'master' or for neither flag, else the link's own ('self').
 */
function made(m: NeighbourMessage, e: NeighbourMessage): boolean {
  const a = m.attrs;
  const b = e.attrs;
  const bridges = (m.flags & NTF_MASTER) !== 0 || (m.flags & NTF_SELF) === 0;
  const table = bridges ? b.master !== undefined : (e.flags & NTF_SELF) !== 0;
  return table && b.lladdr === a.lladdr && b.vlan === a.vlan && b.dst === a.dst
    && (a.vni === undefined || b.vni === a.vni) && (a.port === undefined || b.port === a.port);
}

function describe(ref: FdbRef): string {
  const dev = typeof ref.dev === 'number' ? `link ${ref.dev}` : `"${asText(ref.dev)}"`;
  return `fdb entry ${asText(ref.lladdr)} on ${dev}${ref.vlan === undefined ? '' : ` vlan ${asText(ref.vlan)}`}`;
}
