// rt.nexthop: nexthop objects, as `ip nexthop` shows and changes them: a gateway on a link, a
// blackhole, or a group of nexthops, each under an id that routes name (`nhId`) instead of
// carrying a gateway of their own. Changing a nexthop moves every route that names it at once.
// A resilient group's buckets (`ip nexthop bucket`) are read here too.
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE } from '../../codecs/netlink/constants.js';
import { flagNamer, namer } from '../../codecs/netlink/names.js';
import { jsonable } from '../../codecs/netlink/json.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { SCOPES, type FamilyName, type ScopeName } from '../../codecs/route/common.js';
import {
  AF_INET, AF_UNSPEC, RTM_DELNEXTHOP, RTM_GETNEXTHOP, RTM_GETNEXTHOPBUCKET, RTM_NEWNEXTHOP, RTM_NEWNEXTHOPBUCKET, USER_HZ,
} from '../../codecs/route/constants.js';
import { decodeEncap, type Encap } from '../../codecs/route/encap.js';
import {
  NEXTHOP_GROUP_TYPES, NEXTHOP_GRP_TYPE_MPATH, NEXTHOP_GRP_TYPE_RES, grpWeight, nexthopGrp, nhCodec, resSeconds,
  type NexthopGroupType, type NexthopGrp, type NhMessage,
} from '../../codecs/route/nexthop.js';
import { NEXTHOP_FLAGS, PROTOCOLS, RTNH_F_ONLINK, type NexthopFlag, type ProtocolName } from '../../codecs/route/route.js';
import { constants } from 'node:os';
import type { Request } from '../client.js';
import { NotFoundError, checkBoolean, checkObject, decoding, invalid, optionKeys, typedPartial } from '../errors.js';
import type { Session } from './session.js';
import { familyName, familyNumber, listNames, lookup, naming, parseAddress, present, type LinkRef, type ListNaming } from './inet.js';
import { encapAttrs } from './route.js';
import { asJson, asText } from '../../codecs/netlink/errors.js';

/** A member of a group: a nexthop's id, and its share of the flows (1 to 65536; 1 when not said). */
export interface NexthopGroupMember {
  id: number;
  weight: number;
}

/** A resilient group's buckets and timers, in seconds. */
export interface ResilientGroup {
  buckets: number;
  /** A bucket idle this long may move to another member. */
  idleTimer: number;
  /** A group unbalanced this long moves buckets even if they are busy (0: never). */
  unbalancedTimer: number;
  /** Reported: how long the group has been unbalanced. */
  unbalancedTime: number;
}

/** A nexthop object as the kernel reports it, like `ip -j nexthop show` lists it. */
export interface NexthopObject {
  id: number;
  /** 'inet' or 'inet6'; a group's is 0 (AF_UNSPEC). */
  family: FamilyName | number;
  /** Worked out by the kernel: 'host' for a link alone, 'link' with a gateway. */
  scope: ScopeName | number;
  protocol: ProtocolName | number;
  /** 'onlink', and what the kernel says: 'dead', 'linkdown'... */
  flags: Array<NexthopFlag | number>;
  /** The outgoing link: its index, and its name when known. */
  index?: number;
  dev?: string;
  gateway?: string;
  /** Packets routed here are dropped. */
  blackhole?: true;
  /** A group: its members, in the order given. */
  group?: NexthopGroupMember[];
  /** A group's type: 'mpath' (hash-threshold) or 'resilient'. */
  groupType?: NexthopGroupType | number;
  resilient?: ResilientGroup;
  /** For a bridge's FDB (VXLAN remotes), not for routes. */
  fdb?: true;
  /** A lightweight tunnel encapsulation (`encap ip id 5 dst 203.0.113.9`): narrows by `type`. */
  encap?: Encap;
}

/** What `add` and `replace` take: the words of `ip nexthop add`. */
export interface NexthopObjectSpec {
  /** 1 to 2^32-1; absent: the kernel picks one (the result says which). */
  id?: number;
  /** Needed only for a blackhole of IPv6 (`family: 'inet6'`); else the gateway says it, or IPv4. */
  family?: FamilyName;
  dev?: LinkRef;
  gateway?: string;
  /** Use the gateway even if no address of the link covers it. */
  onlink?: boolean;
  blackhole?: boolean;
  fdb?: boolean;
  /** Members by id, or with a weight (1 to 256; newer kernels to 65536): `[1, { id: 2, weight: 3 }]`. */
  group?: Array<number | { id: number; weight?: number }>;
  /** Default 'mpath'. */
  groupType?: NexthopGroupType;
  /** A resilient group's buckets and timers (seconds); the kernel's defaults for what is left out. */
  resilient?: Partial<Omit<ResilientGroup, 'unbalancedTime'>>;
  /** Default 'unspec', as ip. */
  protocol?: ProtocolName | number;
  encap?: Encap;
}

/** What list() lists (the kernel filters): `dev` and `names` as for routes (ListNaming). */
export interface NexthopFilter extends ListNaming {
  family?: FamilyName;
  /** Only groups. */
  groups?: boolean;
  /** Only FDB nexthops (asked of the kernel, and kept here too: 6.18 answers with every nexthop, as `ip nexthop show fdb` shows). */
  fdb?: boolean;
  /** Only the nexthops of links under this master. */
  master?: LinkRef;
}

/** A bucket of a resilient group, like `ip -j nexthop bucket show` lists it: which member its flows go to. */
export interface NexthopBucket {
  /** The group's id. */
  id: number;
  index: number;
  /** The member's id. */
  nhId: number;
  /** Seconds since a packet last went through it: a bucket idle for the group's idleTimer may move. */
  idleTime: number;
  /** What the kernel says of it ('offload', 'trap'...). */
  flags: Array<NexthopFlag | number>;
}

/** What buckets() lists (the kernel filters): a group's, a member's, or those of members on a link or under a master. */
export interface NexthopBucketFilter {
  id?: number;
  nhId?: number;
  dev?: LinkRef;
  master?: LinkRef;
}

/** Which bucket bucket() reads: the group's id and the bucket's index. */
export interface NexthopBucketRef {
  id: number;
  index: number;
}

const protocolName = namer(PROTOCOLS);
const scopeName = namer(SCOPES);
const groupTypeName = namer(NEXTHOP_GROUP_TYPES);
const nexthopFlags = flagNamer(NEXTHOP_FLAGS);
/** The most a weight can be: 16 bits on the wire, less one. */
const MAX_WEIGHT = 65536;

/** Seconds as clock_t (hundredths). */
const ticksOf = (s: number): number => Math.round(s * USER_HZ);

/** The public form of a decoded nexthop message; `names` names its link. */
export function toNexthopObject(m: NhMessage, names?: Map<number, string>): NexthopObject {
  const a = m.attrs;
  const n: NexthopObject = Object.assign(Object.create(jsonable) as object, {
    id: a.id ?? 0, family: familyName(m.family), scope: scopeName(m.scope), protocol: protocolName(m.protocol), flags: nexthopFlags(m.flags),
  });
  if (a.oif !== undefined) {
    n.index = a.oif;
    const dev = names?.get(a.oif);
    if (dev !== undefined) n.dev = dev;
  }
  if (a.gateway !== undefined) n.gateway = a.gateway;
  if (a.blackhole) n.blackhole = true;
  if (a.group !== undefined) {
    n.group = a.group.map((g) => ({ id: g.id, weight: grpWeight(g) }));
    n.groupType = groupTypeName(a.groupType ?? NEXTHOP_GRP_TYPE_MPATH);
  }
  const r = a.resGroup;
  if (r !== undefined) {
    n.resilient = {
      buckets: r.buckets ?? 0, idleTimer: resSeconds(r.idleTimer ?? 0), unbalancedTimer: resSeconds(r.unbalancedTimer ?? 0),
      unbalancedTime: resSeconds(r.unbalancedTime ?? 0n),
    };
  }
  if (a.fdb) n.fdb = true;
  if (a.encapType !== undefined && a.encap !== undefined) n.encap = decodeEncap(a.encapType, a.encap);
  return n;
}

/** The public form of a decoded bucket message. */
export function toNexthopBucket(m: NhMessage): NexthopBucket {
  const b = m.attrs.resBucket ?? {};
  return Object.assign(Object.create(jsonable) as object, {
    id: m.attrs.id ?? 0, index: b.index ?? 0, nhId: b.nhId ?? 0, idleTime: resSeconds(b.idleTime ?? 0n), flags: nexthopFlags(m.flags),
  });
}

/** How a spec reads in errors: `nexthop 7 via 192.0.2.1 dev eth0`. */
export function describe(s: NexthopObjectSpec | number): string {
  if (typeof s !== 'object' || s === null) return `nexthop ${asText(s)}`;
  const parts = ['nexthop'];
  if (s.id !== undefined) parts.push(asText(s.id));
  if (s.gateway !== undefined) parts.push('via', asText(s.gateway));
  if (s.dev !== undefined) parts.push('dev', asText(s.dev));
  if (s.blackhole) parts.push('blackhole');
  if (Array.isArray(s.group)) parts.push('group', s.group.map((g) => (typeof g === 'object' && g !== null ? g.id : g)).join('/'));
  return parts.join(' ');
}

const MEMBER_KEYS = optionKeys<{ id: number; weight?: number }>()('id', 'weight');
const RESILIENT_KEYS = optionKeys<Required<NexthopObjectSpec>['resilient']>()('buckets', 'idleTimer', 'unbalancedTimer');
const BUCKET_KEYS = optionKeys<NexthopBucketRef>()('id', 'index');
const FILTER_KEYS = optionKeys<NexthopFilter>()('dev', 'names', 'family', 'groups', 'fdb', 'master');
const BUCKET_FILTER_KEYS = optionKeys<NexthopBucketFilter>()('dev', 'id', 'master', 'nhId');
const DUMP_KEYS = optionKeys<NexthopDumpFilter>()('family', 'oif', 'master', 'groups', 'fdb');
const BUCKET_DUMP_KEYS = optionKeys<NexthopBucketDumpFilter>()('family', 'id', 'nhId', 'oif', 'master');
const SPEC_KEYS = optionKeys<NexthopObjectSpec>()('id', 'family', 'dev', 'gateway', 'onlink', 'blackhole', 'fdb', 'group', 'groupType', 'resilient', 'protocol', 'encap');

/** A group's member, checked: an id from 1, a weight from 1 to MAX_WEIGHT (1 when not given). */
function member(g: number | { id: number; weight?: number }, i: number, subject: string): NexthopGrp {
  const m = typeof g === 'number' ? { id: g } : g;
  checkObject(`${subject}: group member ${i + 1}`, m, MEMBER_KEYS);
  const id = lookup({}, m.id, `group member ${i + 1} id`, 0xffffffff, subject);
  if (!id) throw invalid(subject, `group member ${i + 1} needs an id from 1`);
  const weight = lookup({}, m.weight, `group member ${i + 1} weight`, MAX_WEIGHT, subject) ?? 1;
  if (weight < 1) throw invalid(subject, `group member ${i + 1}: a weight is from 1 to ${MAX_WEIGHT}`);
  return nexthopGrp(id, weight);
}

/** What a kernel timer takes: seconds, as clock_t in 32 bits. */
function timer(v: number | undefined, what: string, subject: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0) || ticksOf(v) > 0xffffffff) throw invalid(subject, `${what} must be a number of seconds from 0, not ${asJson(v)}`);
  return ticksOf(v);
}

/**
 * The message `ip nexthop add|replace` would send for a spec, its link already resolved to an
 * index. Whatever the kernel would refuse as a combination (a group with a gateway, a blackhole
 * on a link) is left to it: its extended ACK says why, naming the nexthop.
 */
export function nexthopMessage(s: NexthopObjectSpec, oif: number | undefined): NhMessage {
  const subject = describe(s);
  const gateway = s.gateway === undefined ? undefined : parseAddress(s.gateway, `${subject}: gateway`);
  const family = s.family !== undefined ? familyNumber(s.family) : s.group !== undefined ? AF_UNSPEC : gateway?.family ?? AF_INET;
  if (gateway && gateway.family !== family) throw invalid(subject, `gateway is not an ${asText(familyName(family))} address`);
  const m: NhMessage = {
    family, scope: 0, protocol: lookup(PROTOCOLS, s.protocol, 'protocol', 255, subject) ?? 0, resvd: 0,
    flags: checkBoolean(subject, 'onlink', s.onlink) ? RTNH_F_ONLINK : 0, attrs: {},
  };
  const a = m.attrs;
  if (s.id !== undefined) a.id = lookup({}, s.id, 'id', 0xffffffff, subject);
  if (checkBoolean(subject, 'fdb', s.fdb)) a.fdb = true;
  if (s.group !== undefined) {
    if (!Array.isArray(s.group) || s.group.length === 0) throw invalid(subject, 'group must be a non-empty array of nexthop ids');
    a.group = Array.from(s.group, (g, i) => member(g, i, subject)); // a hole is a member too, and refused
  }
  const groupType = lookup(NEXTHOP_GROUP_TYPES, s.groupType, 'groupType', 0xffff, subject);
  if (groupType !== undefined) a.groupType = groupType;
  if (s.resilient !== undefined) {
    checkObject(`${subject}: resilient`, s.resilient, RESILIENT_KEYS);
    if (groupType !== NEXTHOP_GRP_TYPE_RES) throw invalid(subject, "resilient is for a group of groupType 'resilient'");
    const { buckets, idleTimer, unbalancedTimer } = s.resilient;
    a.resGroup = {
      buckets: lookup({}, buckets, 'resilient.buckets', 0xffff, subject),
      idleTimer: timer(idleTimer, 'resilient.idleTimer', subject),
      unbalancedTimer: timer(unbalancedTimer, 'resilient.unbalancedTimer', subject),
    };
  }
  if (checkBoolean(subject, 'blackhole', s.blackhole)) a.blackhole = true;
  if (oif !== undefined) a.oif = oif;
  if (gateway) a.gateway = gateway.address;
  Object.assign(a, encapAttrs(s.encap, 'encap', subject));
  return m;
}

/** What dump() asks the kernel for, numbers as the kernel has them (0 or absent: any). */
export interface NexthopDumpFilter {
  family: number;
  oif?: number;
  master?: number;
  groups?: boolean;
  fdb?: boolean;
}

/** A request's nhmsg: nothing but the family, and `attrs`. */
function bare(family: number, attrs: NhMessage['attrs'] = {}): NhMessage {
  return { family, scope: 0, protocol: 0, resvd: 0, flags: 0, attrs };
}

/** What dumpBuckets() asks the kernel for (0 or absent: any); `id` a group, `nhId` a member. */
export interface NexthopBucketDumpFilter {
  family?: number;
  id?: number;
  nhId?: number;
  oif?: number;
  master?: number;
}

/** The RTM_GETNEXTHOPBUCKET dump request `ip nexthop bucket show` sends for a filter. */
export function bucketDumpMessage(f: NexthopBucketDumpFilter): NhMessage {
  const m = bare(f.family ?? AF_UNSPEC);
  if (f.oif) m.attrs.oif = f.oif;
  if (f.master) m.attrs.master = f.master;
  if (f.id) m.attrs.id = f.id;
  if (f.nhId) m.attrs.resBucket = { nhId: f.nhId };
  return m;
}

/** How a bucket reads in errors: `nexthop 10 bucket 3`. */
const bucketSubject = (ref: NexthopBucketRef): string => `nexthop ${asText(ref.id)} bucket ${asText(ref.index)}`;

/** The RTM_GETNEXTHOPBUCKET request of `ip nexthop bucket get id ID index INDEX`, checked. */
export function bucketMessage(ref: NexthopBucketRef): NhMessage {
  checkObject('nexthop bucket', ref, BUCKET_KEYS);
  const subject = bucketSubject(ref);
  const index = lookup({}, ref.index, 'index', 0xffff, subject);
  if (index === undefined) throw invalid(subject, 'an index from 0 to 65535 is needed');
  return bare(AF_UNSPEC, { id: idOf(ref.id, subject), resBucket: { index } });
}

function dumpRequest(f: NexthopDumpFilter): Request {
  const m = bare(f.family);
  if (f.oif !== undefined) m.attrs.oif = f.oif;
  if (f.master !== undefined) m.attrs.master = f.master;
  if (f.groups) m.attrs.groups = true;
  if (f.fdb) m.attrs.fdb = true;
  return { type: RTM_GETNEXTHOP, name: 'RTM_GETNEXTHOP', body: (w) => nhCodec.encode(w, m) };
}

/** The id a get or a delete names: an integer from 1 (plain-JS callers may give none). */
function idOf(id: number | undefined, subject: string): number {
  const n = lookup({}, id, 'id', 0xffffffff, subject);
  if (!n) throw invalid(subject, `an id from 1 is needed, not ${asText(id)}`);
  return n;
}

/** A decoder of the kernel's answers of one type, passing over the rest. */
const decoderOf = (type: number) => (m: NlMessage): NhMessage | undefined => (m.header.type === type ? nhCodec.decode(m.payload) : undefined);
const decodeNexthop = decoderOf(RTM_NEWNEXTHOP);
const decodeBucket = decoderOf(RTM_NEWNEXTHOPBUCKET);

export class NexthopApi {
  constructor(protected readonly rt: Session) {}

  /** The nexthops, like `ip -j nexthop show`, by id; the kernel filters by family, link, master, groups or FDB. */
  async list(filter: NexthopFilter = {}): Promise<NexthopObject[]> {
    checkObject('nexthop filter', filter, FILTER_KEYS);
    const oif = filter.dev === undefined ? undefined : await this.rt.linkIndex(filter.dev);
    const messages = await this.dump({
      family: familyNumber(filter.family), oif, master: filter.master === undefined ? undefined : await this.rt.linkIndex(filter.master),
      groups: checkBoolean('nexthop filter', 'groups', filter.groups), fdb: checkBoolean('nexthop filter', 'fdb', filter.fdb),
    });
    const names = await listNames(this.rt, filter, 'nexthop filter', oif);
    return messages.map((m) => toNexthopObject(m, names));
  }

  /** The kernel's nexthop messages as the codec decodes them (what `ip nexthop` prints from); `fdb` kept here too (see NexthopFilter). */
  async dump(filter: NexthopDumpFilter = { family: AF_UNSPEC }): Promise<NhMessage[]> {
    checkObject('nexthop dump filter', filter, DUMP_KEYS);
    const messages = present(await this.rt.client.dump(dumpRequest(filter), decodeNexthop).catch(typedPartial(present)).catch(naming('nexthops')));
    return filter.fdb ? messages.filter((m) => m.attrs.fdb) : messages;
  }

  /** One nexthop by id (`ip nexthop get id N`), its link named; none: a NotFoundError. */
  async get(id: number): Promise<NexthopObject> {
    return this.named(await this.lookup(id));
  }

  /** get()'s answer as the codec decodes it (what `ip nexthop get` prints from). */
  async lookup(id: number): Promise<NhMessage> {
    const subject = describe(id);
    return this.getOne({ type: RTM_GETNEXTHOP, name: 'RTM_GETNEXTHOP' }, bare(AF_UNSPEC, { id: idOf(id, subject) }), decodeNexthop, subject);
  }

  /** A resilient group's buckets, like `ip -j nexthop bucket show`; the kernel filters. */
  async buckets(filter: NexthopBucketFilter = {}): Promise<NexthopBucket[]> {
    checkObject('nexthop bucket filter', filter, BUCKET_FILTER_KEYS);
    const subject = 'nexthop bucket filter';
    const id = lookup({}, filter.id, 'id', 0xffffffff, subject);
    const nhId = lookup({}, filter.nhId, 'nhId', 0xffffffff, subject);
    const oif = filter.dev === undefined ? undefined : await this.rt.linkIndex(filter.dev);
    const master = filter.master === undefined ? undefined : await this.rt.linkIndex(filter.master);
    const messages = await this.dumpBuckets({ id, nhId, oif, master });
    return decoding(() => messages.map(toNexthopBucket), 'nexthop bucket message');
  }

  /** The kernel's bucket messages as the codec decodes them (what `ip nexthop bucket show` prints from). */
  async dumpBuckets(filter: NexthopBucketDumpFilter = {}): Promise<NhMessage[]> {
    checkObject('nexthop bucket dump filter', filter, BUCKET_DUMP_KEYS);
    const m = bucketDumpMessage(filter);
    const req: Request = { type: RTM_GETNEXTHOPBUCKET, name: 'RTM_GETNEXTHOPBUCKET', body: (w) => nhCodec.encode(w, m) };
    return present(await this.rt.client.dump(req, decodeBucket).catch(typedPartial(present)).catch(naming('nexthop buckets')));
  }

  /** One bucket of a resilient group (`ip nexthop bucket get id ID index INDEX`); past the last: a NotFoundError. */
  async bucket(ref: NexthopBucketRef): Promise<NexthopBucket> {
    const m = await this.lookupBucket(ref);
    return decoding(() => toNexthopBucket(m), 'nexthop bucket message');
  }

  /** bucket()'s answer as the codec decodes it. */
  async lookupBucket(ref: NexthopBucketRef): Promise<NhMessage> {
    return this.getOne({ type: RTM_GETNEXTHOPBUCKET, name: 'RTM_GETNEXTHOPBUCKET' }, bucketMessage(ref), decodeBucket, bucketSubject(ref));
  }

  /** A get's answer, decoded; none (the kernel answered with something else): a NotFoundError naming `subject`. */
  private async getOne(req: { type: number; name: string }, m: NhMessage, decode: (m: NlMessage) => NhMessage | undefined, subject: string): Promise<NhMessage> {
    const replies = await this.rt.client.request({ ...req, idempotent: true, body: (w) => nhCodec.encode(w, m) }).catch(naming(subject));
    const found = present(replies.map(decode))[0];
    if (!found) throw new NotFoundError({ errno: constants.errno.ENOENT, subject, text: "not in the kernel's answer" });
    return found;
  }

  /** Adds a nexthop (`ip nexthop add`); resolves with it as the kernel made it. An id in use is an ExistsError. */
  add(spec: NexthopObjectSpec): Promise<NexthopObject> {
    return this.send(NLM_F_CREATE | NLM_F_EXCL, spec);
  }

  /** Adds a nexthop or changes the one of the same id (`ip nexthop replace`): the routes naming it follow. */
  replace(spec: NexthopObjectSpec): Promise<NexthopObject> {
    return this.send(NLM_F_CREATE | NLM_F_REPLACE, spec);
  }

  /** Deletes a nexthop by id, or one list() gave; the routes that name it go with it. None: a NotFoundError. */
  async delete(nexthop: number | NexthopObject): Promise<void> {
    const id = typeof nexthop === 'object' && nexthop !== null ? nexthop.id : nexthop;
    const subject = describe(id);
    const m = bare(AF_UNSPEC, { id: idOf(id, subject) });
    await this.rt.client.request({ type: RTM_DELNEXTHOP, name: 'RTM_DELNEXTHOP', body: (w) => nhCodec.encode(w, m) }).catch(naming(subject));
  }

  private async send(flags: number, spec: NexthopObjectSpec): Promise<NexthopObject> {
    checkObject('nexthop', spec, SPEC_KEYS);
    const subject = describe(spec);
    const oif = spec.dev === undefined ? undefined : await this.rt.linkIndex(spec.dev).catch(naming(`${subject}: dev`));
    const m = nexthopMessage(spec, oif);
    const replies = await this.rt.client
      .request({ type: RTM_NEWNEXTHOP, flags: flags | NLM_F_ECHO, name: 'RTM_NEWNEXTHOP', body: (w) => nhCodec.encode(w, m) })
      .catch(naming(subject));
    const made = present(replies.map(decodeNexthop))[0];
    return this.named(made ?? m);
  }

  /** The typed nexthop, its link named (that one link asked for). */
  private async named(m: NhMessage): Promise<NexthopObject> {
    const names = m.attrs.oif === undefined ? undefined : await this.rt.linkNames([m.attrs.oif]);
    return decoding(() => toNexthopObject(m, names), 'nexthop message');
  }
}
