// rt.rule: the routing policy database, as `ip rule` shows and changes it: which table a packet
// is looked up in, by its source, destination, mark, incoming and outgoing link, ports...
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL } from '../../codecs/netlink/constants.js';
import { flagNamer, namer } from '../../codecs/netlink/names.js';
import { jsonable } from '../../codecs/netlink/json.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { AF_INET, AF_INET6, RTM_DELRULE, RTM_GETRULE, RTM_NEWRULE } from '../../codecs/route/constants.js';
import type { FamilyName } from '../../codecs/route/common.js';
import { PROTOCOLS, RT_TABLE_MAIN, RT_TABLE_UNSPEC, TABLES, type ProtocolName, type TableName } from '../../codecs/route/route.js';
import {
  FIB_RULE_INVERT, FR_ACT_GOTO, FR_ACT_TO_TBL, FR_ACT_UNSPEC, RULE_ACTIONS, RULE_FLAGS, ruleCodec,
  type RuleAction, type RuleFlag, type RuleMessage, type RuleRange,
} from '../../codecs/route/rule.js';
import { checkBoolean, checkObject, decoding, invalid, optionKeys, typedPartial } from '../errors.js';
import type { Request } from '../client.js';
import type { Session } from './session.js';
import { familyName, familyNumber, lookup, naming, parsePrefix, present, type Prefix } from './inet.js';
import { checkLinkName } from './link-options.js';
import { flowOf, prefixString, realmsOf, type Realms } from './route.js';
import { asText } from '../../codecs/netlink/errors.js';

/** What a rule matches and does, in the same words in a listed Rule and in a RuleSpec. */
interface RuleFields {
  family?: FamilyName | number;
  /** The table looked up; absent for a rule that looks none up. */
  table?: TableName | number;
  /** Source prefix matched ('192.0.2.0/24'; an address is a host prefix; in a spec 'all' is none); absent: every source. */
  from?: string;
  /** Destination prefix matched. */
  to?: string;
  /** Firewall mark matched, under `fwmask` (all ones when absent). */
  fwmark?: number;
  fwmask?: number;
  /** The incoming and outgoing link, by name: a rule may name a link that does not exist (its flags then say `iif_detached`). */
  iif?: string;
  oif?: string;
  /** Look up the table of the packet's L3 master device (VRF). */
  l3mdev?: boolean;
  /** User ids matched (of the socket's owner). */
  uidRange?: RuleRange;
  /** IP protocol number matched (6 TCP, 17 UDP). */
  ipProto?: number;
  /** Tunnel id of the packet's metadata (a collect_md tunnel's): a number, a bigint beyond 2^53 (a decimal string in JSON). */
  tunId?: number | bigint;
  /** The rule a `goto` goes to, by priority. */
  goto?: number;
  /** Routes of this prefix length or shorter found in the table are taken as no route. */
  suppressPrefixLength?: number;
  /** Routes through links of this group are taken as no route. */
  suppressIfgroup?: number;
  realms?: Realms;
}

/**
 * A rule as the kernel reports it, like `ip -j rule show` lists it. Its keys are those RuleSpec
 * takes, so a listed rule can be deleted as is.
 */
export interface Rule extends RuleFields {
  family: FamilyName | number;
  /** The rule's place: lower first (`ip rule ... pref N`). */
  priority: number;
  /** 'lookup' a table, 'goto' another rule, 'nop', or drop ('blackhole', 'unreachable', 'prohibit'). */
  action: RuleAction | number;
  /** The DS field (TOS) matched; 0 matches any. */
  tos: number;
  sport?: RuleRange;
  dport?: RuleRange;
  /** Who made the rule ('kernel' for the default ones). */
  protocol: ProtocolName | number;
  /** 'invert' (`not`), and what the kernel says: 'unresolved' (a goto whose target is missing), 'iif_detached'... */
  flags: Array<RuleFlag | number>;
}

/** What `add` and `delete` take: the words of `ip rule add|del`. */
export interface RuleSpec extends RuleFields {
  /** Needed only when no prefix says it; default 'inet'. Another family by its AF_* number, for the kernel to judge. */
  family?: FamilyName | number;
  /** Default: the kernel's choice on add (one below the first rule after 0); on delete, any. */
  priority?: number;
  /** On add, default 'lookup' (of `table`, main when none); 'goto' wants `goto`. */
  action?: RuleAction | number;
  /** Match what the rest does not (`ip rule add not ...`). */
  invert?: boolean;
  tos?: number;
  /** One port, or a range. */
  sport?: number | RuleRange;
  dport?: number | RuleRange;
  protocol?: ProtocolName | number;
}

export interface RuleFilter {
  family?: FamilyName;
  /** Only the rules that look this table up (as `ip rule show table N`). */
  table?: TableName | number;
}

const tableName = namer(TABLES);
const protocolName = namer(PROTOCOLS);
const actionName = namer(RULE_ACTIONS);
const ruleFlags = flagNamer(RULE_FLAGS);
/** FRA_SUPPRESS_PREFIXLEN's and FRA_SUPPRESS_IFGROUP's value for none. */
const NONE = -1;

/** The public form of a decoded rule message; JSON gives a `tunId` past 2^53 (a bigint) as a decimal string. */
export function toRule(m: RuleMessage): Rule {
  const a = m.attrs;
  const r: Rule = Object.assign(Object.create(jsonable) as object, {
    family: familyName(m.family), priority: a.priority ?? 0, action: actionName(m.action), tos: m.tos,
    protocol: protocolName(a.protocol ?? 0), flags: ruleFlags(m.flags),
  });
  const table = a.table ?? m.table;
  if (table !== RT_TABLE_UNSPEC) r.table = tableName(table);
  // An address of no bytes (ip's `from all`) is none.
  if (a.src || m.srcLen !== 0) r.from = prefixString(m.family, a.src || undefined, m.srcLen);
  if (a.dst || m.dstLen !== 0) r.to = prefixString(m.family, a.dst || undefined, m.dstLen);
  if (a.fwmark !== undefined) r.fwmark = a.fwmark;
  if (a.fwmask !== undefined) r.fwmask = a.fwmask;
  if (a.iifname !== undefined) r.iif = a.iifname;
  if (a.oifname !== undefined) r.oif = a.oifname;
  if (a.l3mdev) r.l3mdev = true;
  if (a.uidRange !== undefined) r.uidRange = a.uidRange;
  if (a.ipProto !== undefined) r.ipProto = a.ipProto;
  if (a.sportRange !== undefined) r.sport = a.sportRange;
  if (a.dportRange !== undefined) r.dport = a.dportRange;
  if (a.tunId !== undefined) r.tunId = a.tunId;
  if (a.goto !== undefined) r.goto = a.goto;
  if (a.suppressPrefixlen !== undefined && a.suppressPrefixlen !== NONE) r.suppressPrefixLength = a.suppressPrefixlen;
  if (a.suppressIfgroup !== undefined && a.suppressIfgroup !== NONE) r.suppressIfgroup = a.suppressIfgroup;
  if (a.flow !== undefined) r.realms = realmsOf(a.flow);
  return r;
}

/** How a spec reads in errors: `rule 100 from 192.0.2.0/24 lookup 100`. */
export function describe(s: RuleSpec): string {
  const parts = ['rule'];
  if (s.priority !== undefined) parts.push(asText(s.priority));
  if (s.invert) parts.push('not');
  if (s.from !== undefined) parts.push('from', asText(s.from));
  if (s.to !== undefined) parts.push('to', asText(s.to));
  if (s.iif !== undefined) parts.push('iif', asText(s.iif));
  if (s.oif !== undefined) parts.push('oif', asText(s.oif));
  if (s.action !== undefined && s.action !== 'lookup' && s.action !== 'goto') parts.push(asText(s.action));
  if (s.goto !== undefined) parts.push('goto', asText(s.goto));
  if (s.table !== undefined) parts.push('lookup', asText(s.table));
  return parts.join(' ');
}

/** A port or a range of ports, checked. */
function portRange(v: number | RuleRange | undefined, what: string, subject: string): RuleRange | undefined {
  if (v === undefined) return undefined;
  return range(typeof v === 'number' ? { start: v, end: v } : v, what, 0xffff, subject);
}

/** A range whose ends are integers from 0 to `max`, `start` not after `end`. */
function range(r: RuleRange, what: string, max: number, subject: string): RuleRange {
  checkObject(`${subject}: ${what}`, r, RANGE_KEYS);
  const start = lookup({}, r.start, `${what}.start`, max, subject);
  const end = lookup({}, r.end, `${what}.end`, max, subject);
  if (start === undefined || end === undefined) throw invalid(subject, `${what} needs both start and end`);
  if (start > end) throw invalid(subject, `${what} starts at ${start}, after its end ${end}`);
  return { start, end };
}

/**
 * The message `ip rule add|del` would send for a spec. For a new rule, as ip: action lookup and
 * table main unless the spec says otherwise; for a delete only what the spec says, so that the
 * kernel matches any value of the rest.
 */
export function ruleMessage(s: RuleSpec, forDelete: boolean): RuleMessage {
  const subject = describe(s);
  const from = s.from === undefined || s.from === 'all' ? undefined : parsePrefix(s.from, `${subject}: from`);
  const to = s.to === undefined || s.to === 'all' ? undefined : parsePrefix(s.to, `${subject}: to`);
  const family = typeof s.family === 'number' ? lookup({}, s.family, 'family', 255, subject) as number
    : s.family !== undefined ? familyNumber(s.family) : (from ?? to)?.family ?? AF_INET;
  for (const [p, what] of [[from, 'from'], [to, 'to']] as Array<[Prefix | undefined, string]>) {
    if (p && p.family !== family) throw invalid(subject, `${what} is not an ${asText(familyName(family))} prefix`);
  }
  const table = lookup(TABLES, s.table, 'table', 0xffffffff, subject);
  const action = lookup(RULE_ACTIONS, s.action, 'action', 255, subject) ?? (s.goto !== undefined ? FR_ACT_GOTO : forDelete ? FR_ACT_UNSPEC : FR_ACT_TO_TBL);
  if (s.goto !== undefined && action !== FR_ACT_GOTO) throw invalid(subject, `goto is for the action 'goto', not '${asText(s.action)}'`);
  if (action === FR_ACT_GOTO && s.goto === undefined && !forDelete) throw invalid(subject, 'the action goto needs goto: the priority of the rule to go to');
  const l3mdev = checkBoolean(subject, 'l3mdev', s.l3mdev);
  if (l3mdev && table !== undefined) throw invalid(subject, 'table can not be given for an l3mdev rule: it looks up the table of the L3 master device');
  // ip's default table for a new rule that looks one up: main.
  const lookedUp = table ?? (!forDelete && action === FR_ACT_TO_TBL && !l3mdev ? RT_TABLE_MAIN : RT_TABLE_UNSPEC);
  const m: RuleMessage = {
    family, dstLen: to?.prefixlen ?? 0, srcLen: from?.prefixlen ?? 0, tos: lookup({}, s.tos, 'tos', 255, subject) ?? 0,
    table: lookedUp < 256 ? lookedUp : RT_TABLE_UNSPEC, res1: 0, res2: 0, action,
    flags: checkBoolean(subject, 'invert', s.invert) ? FIB_RULE_INVERT : 0, attrs: {},
  };
  const a = m.attrs;
  if (from) a.src = from.address;
  if (to) a.dst = to.address;
  if (lookedUp >= 256) a.table = lookedUp;
  if (s.priority !== undefined) a.priority = lookup({}, s.priority, 'priority', 0xffffffff, subject);
  if (s.fwmark !== undefined) a.fwmark = lookup({}, s.fwmark, 'fwmark', 0xffffffff, subject);
  if (s.fwmask !== undefined) a.fwmask = lookup({}, s.fwmask, 'fwmask', 0xffffffff, subject);
  if (s.iif !== undefined) a.iifname = checkLinkName(s.iif);
  if (s.oif !== undefined) a.oifname = checkLinkName(s.oif);
  if (l3mdev) a.l3mdev = 1;
  if (s.uidRange !== undefined) a.uidRange = range(s.uidRange, 'uidRange', 0xffffffff, subject);
  if (s.ipProto !== undefined) a.ipProto = lookup({}, s.ipProto, 'ipProto', 255, subject);
  const sport = portRange(s.sport, 'sport', subject);
  if (sport) a.sportRange = sport;
  const dport = portRange(s.dport, 'dport', subject);
  if (dport) a.dportRange = dport;
  if (s.tunId !== undefined) a.tunId = tunId(s.tunId, subject);
  if (s.goto !== undefined) a.goto = lookup({}, s.goto, 'goto', 0xffffffff, subject);
  if (s.suppressPrefixLength !== undefined) a.suppressPrefixlen = lookup({}, s.suppressPrefixLength, 'suppressPrefixLength', 0x7fffffff, subject);
  if (s.suppressIfgroup !== undefined) a.suppressIfgroup = lookup({}, s.suppressIfgroup, 'suppressIfgroup', 0x7fffffff, subject);
  if (s.protocol !== undefined) a.protocol = lookup(PROTOCOLS, s.protocol, 'protocol', 255, subject);
  Object.assign(a, flowOf(s.realms, 'realms', subject));
  if (family === AF_INET6 && a.flow !== undefined) throw invalid(subject, 'realms are for IPv4 rules: the kernel ignores them on IPv6 ones');
  return m;
}

/** A tunnel id: an integer from 0 to 2^64-1, a bigint beyond 2^53. */
function tunId(v: number | bigint, subject: string): number | bigint {
  const exact = typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v));
  if (!exact || v < 0 || BigInt(v) >= 1n << 64n) throw invalid(subject, `tunId ${asText(v)} is not an integer from 0 to 2^64-1`);
  return v;
}

/** A listed rule as a spec: every key it matched on, so that a delete finds that very rule. */
function specOf(r: Rule): RuleSpec {
  const { flags, ...rest } = r;
  return { ...rest, invert: flags.includes('invert') };
}

function isRule(v: RuleSpec | Rule): v is Rule {
  return Array.isArray((v as Rule).flags);
}

const RANGE_KEYS = optionKeys<RuleRange>()('start', 'end');
const FILTER_KEYS = optionKeys<RuleFilter>()('family', 'table');
const SPEC = [
  'family', 'priority', 'action', 'invert', 'tos', 'sport', 'dport', 'protocol', 'table', 'from', 'to', 'fwmark', 'fwmask', 'iif', 'oif', 'l3mdev',
  'uidRange', 'ipProto', 'tunId', 'goto', 'suppressPrefixLength', 'suppressIfgroup', 'realms',
] as const;
const SPEC_KEYS = optionKeys<RuleSpec>()(...SPEC);
/** delete() takes a listed rule as it is. */
const DELETE_KEYS = optionKeys<RuleSpec | Rule>()(...SPEC, 'flags');

export class RuleApi {
  constructor(protected readonly rt: Session) {}

  /** The rules, like `ip -j rule show` (both families unless `family` says one), in the kernel's order: by priority. */
  async list(filter: RuleFilter = {}): Promise<Rule[]> {
    checkObject('rule filter', filter, FILTER_KEYS);
    const table = lookup(TABLES, filter.table, 'table', 0xffffffff, 'rule filter');
    const rules = (await this.dump(familyNumber(filter.family))).map(toRule);
    return table === undefined ? rules : rules.filter((r) => r.table === tableName(table));
  }

  /** The rules as the codec decodes them (what `ip rule` prints from): `family` an AF_* number, 0 for both. */
  async dump(family = 0): Promise<RuleMessage[]> {
    const request: Request = { type: RTM_GETRULE, name: 'RTM_GETRULE', body: (w) => ruleCodec.encode(w, emptyRule(family)) };
    const decode = (m: NlMessage): RuleMessage | undefined => (m.header.type === RTM_NEWRULE ? ruleCodec.decode(m.payload) : undefined);
    return present(await this.rt.client.dump(request, decode).catch(typedPartial(present)).catch(naming('rules')));
  }

  /** Adds a rule (`ip rule add`); resolves with it as list() gives it. An identical rule is an EEXIST. */
  async add(spec: RuleSpec): Promise<Rule> {
    checkObject('rule', spec, SPEC_KEYS);
    const m = ruleMessage(spec, false);
    const replies = await this.rt.client
      .request({ type: RTM_NEWRULE, flags: NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO, name: 'RTM_NEWRULE', body: (w) => ruleCodec.encode(w, m) })
      .catch(naming(describe(spec)));
    const made = replies.find((r) => r.header.type === RTM_NEWRULE);
    return decoding(() => toRule(made ? ruleCodec.decode(made.payload) : m), 'rule message');
  }

  /**
   * Deletes the first rule that matches what the spec says (`ip rule del`), or a rule list()
   * gave. None that matches: a NotFoundError.
   */
  async delete(spec: RuleSpec | Rule): Promise<void> {
    checkObject('rule', spec, DELETE_KEYS);
    const s = isRule(spec) ? specOf(spec) : spec;
    const m = ruleMessage(s, true);
    await this.rt.client
      .request({ type: RTM_DELRULE, name: 'RTM_DELRULE', body: (w) => ruleCodec.encode(w, m) })
      .catch(naming(describe(s)));
  }
}

/** A dump request's rule: nothing but the family. */
function emptyRule(family: number): RuleMessage {
  return { family, dstLen: 0, srcLen: 0, tos: 0, table: 0, res1: 0, res2: 0, action: 0, flags: 0, attrs: {} };
}
