// A rule as `ip rule show` and `ip monitor` print it (ip/iprule.c print_rule()).
import { namer } from '../../codecs/netlink/names.js';
import { ROUTE_TYPES, RTN_NAT, RTPROT_KERNEL } from '../../codecs/route/route.js';
import { FIB_RULE_IIF_DETACHED, FIB_RULE_INVERT, FIB_RULE_OIF_DETACHED, FIB_RULE_UNRESOLVED, FR_ACT_GOTO, FR_ACT_NOP, FR_ACT_TO_TBL, type RuleMessage } from '../../codecs/route/rule.js';
import { formatIp } from '../../codecs/netlink/addresses.js';
import { dsfieldText } from './format-route.js';
import { groups, ipProtocols, protocols, realms, tables } from './name-db.js';
import { familyColor, hex0x, RawJson, type Printer } from './print.js';

/** RTA_GATEWAY, which `ip rule add nat ADDRESS` once sent: not an FRA_* the codec knows. */
const RTA_GATEWAY = 5;
const typeName = namer(ROUTE_TYPES);

/** rtnl_rtntype_n2a(): a route type's name (RTN_UNSPEC is `none`), or with -N the number. */
const rtntype = (p: Printer, n: number): string => p.named(n, (t) => (t === 0 ? 'none' : typeName(t)));

/** inet_proto_n2a(): /etc/protocols' name, else `ipproto-N` (always with -N). */
const ipProtoText = (p: Printer, n: number): string => (p.numeric ? undefined : ipProtocols.name(n)) ?? `ipproto-${n}`;

/** af_bit_len(): the bits of a whole address of the family; an address of other length is printed with its length. */
const hostLen = (family: number): number => (family === 2 ? 32 : family === 10 ? 128 : 0);

export interface RuleView {
  deleted?: boolean;
  /** -d: the protocol always. */
  details?: boolean;
}

export function printRule(p: Printer, m: RuleMessage, view: RuleView = {}): void {
  const a = m.attrs;
  p.openObject();
  if (view.deleted) p.bool('deleted', 'Deleted ');
  p.any('priority', '%s:\t', a.priority ?? 0);
  if (m.flags & FIB_RULE_INVERT) p.null('not', 'not ', '');
  printEnd(p, m.family, 'src', 'from', a.src, m.srcLen, true);
  printEnd(p, m.family, 'dst', 'to', a.dst, m.dstLen, false);
  if (m.tos) p.any('tos', ' tos %s', dsfieldText(p, m.tos));
  if (a.fwmark !== undefined || a.fwmask !== undefined) {
    p.any('fwmark', ' fwmark %s', hex0x(a.fwmark ?? 0));
    if (a.fwmask !== undefined && a.fwmask !== 0xffffffff) p.any('fwmask', '/%s', hex0x(a.fwmask));
  }
  printLink(p, 'iif', a.iifname, m.flags & FIB_RULE_IIF_DETACHED);
  printLink(p, 'oif', a.oifname, m.flags & FIB_RULE_OIF_DETACHED);
  if (a.l3mdev) p.null('l3mdev', ' lookup [l3mdev-table]', '');
  if (a.uidRange) {
    p.any('uid_start', ' uidrange %s', a.uidRange.start);
    p.any('uid_end', '-%s', a.uidRange.end);
  }
  if (a.ipProto !== undefined) p.any('ipproto', ' ipproto %s', ipProtoText(p, a.ipProto));
  printPorts(p, 'sport', a.sportRange);
  printPorts(p, 'dport', a.dportRange);
  if (a.tunId !== undefined) {
    p.jsonOnly('tun_id', typeof a.tunId === 'bigint' ? new RawJson(String(a.tunId)) : a.tunId); // print_u64(): a JSON number
    p.fp(` tun_id ${a.tunId}`);
  }
  printTable(p, m);
  if (a.flow !== undefined) printRealms(p, a.flow);
  printAction(p, m);
  if (a.protocol !== undefined && ((a.protocol && a.protocol !== RTPROT_KERNEL) || view.details)) {
    p.any('protocol', ' proto %s', p.named(a.protocol, protocols.name));
  }
  p.fp('\n');
  p.closeObject();
}

/** `from PREFIX` (`from all` when none) or ` to PREFIX` (nothing when none); the length unless the address is whole. */
function printEnd(p: Printer, family: number, key: 'src' | 'dst', word: string, address: string | undefined, len: number, always: boolean): void {
  const lead = key === 'src' ? '' : ' ';
  if (address) {
    p.fp(`${lead}${word} `);
    p.colored(familyColor(family), key, '%s', address);
    if (len !== hostLen(family)) p.any(`${key}len`, '/%s', len);
  } else if (len) {
    p.any(key, `${lead}${word} %s`, '0');
    p.any(`${key}len`, '/%s', len);
  } else if (always) p.any(key, `${word} %s`, 'all');
}

function printLink(p: Printer, key: 'iif' | 'oif', name: string | undefined, detached: number): void {
  if (name === undefined) return;
  p.fp(` ${key} `);
  p.colored('ifname', key, '%s', name);
  if (detached) p.null(`${key}_detached`, ' [detached]', '');
}

function printPorts(p: Printer, key: 'sport' | 'dport', r: { start: number; end: number } | undefined): void {
  if (!r) return;
  if (r.start === r.end) p.any(key, ` ${key} %s`, r.start);
  else {
    p.any(`${key}_start`, ` ${key} %s`, r.start);
    p.any(`${key}_end`, '-%s', r.end);
  }
}

/** ` lookup TABLE`, and what suppresses its routes, when the rule looks one up (a table of 0 is none). */
function printTable(p: Printer, m: RuleMessage): void {
  const a = m.attrs;
  const table = a.table ?? m.table;
  if (!table) return;
  p.any('table', ' lookup %s', p.named(table, tables.name));
  if (a.suppressPrefixlen !== undefined && a.suppressPrefixlen !== -1) p.any('suppress_prefixlen', ' suppress_prefixlength %s', a.suppressPrefixlen);
  if (a.suppressIfgroup !== undefined && a.suppressIfgroup !== -1) p.any('suppress_ifgroup', ' suppress_ifgroup %s', String(groups.name(a.suppressIfgroup)));
}

/** ` realms [FROM/]TO`: the source realm in the upper 16 bits. */
function printRealms(p: Printer, flow: number): void {
  const from = flow >>> 16;
  const name = (n: number): string => p.named(n, realms.name);
  if (from) p.any('flow_from', ' realms %s/', name(from));
  else p.fp(' realms ');
  p.any('flow_to', '%s', name(flow & 0xffff));
}

function printAction(p: Printer, m: RuleMessage): void {
  if (m.action === RTN_NAT) {
    const gateway = m.attrs.other?.find((o) => o.type === RTA_GATEWAY);
    if (gateway) p.any('nat_gateway', ' map-to %s', formatIp(gateway.value));
    else p.null('masquerade', ' masquerade', '');
  } else if (m.action === FR_ACT_GOTO) {
    if (m.attrs.goto !== undefined) p.any('goto', ' goto %s', m.attrs.goto);
    else p.any('goto', ' goto %s', 'none');
    if (m.flags & FIB_RULE_UNRESOLVED) p.null('unresolved', ' [unresolved]', '');
  } else if (m.action === FR_ACT_NOP) p.null('nop', ' nop', '');
  else if (m.action !== FR_ACT_TO_TBL) p.any('action', ' %s', rtntype(p, m.action));
}
