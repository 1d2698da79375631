// Rule tests' shared parts: typed rules in the shape `ip -j rule show` prints, and a set of
// rules of every kind.
import type { Rule, RuleSpec } from '../../src/index.js';

/** /etc/protocols' names of the protocols the tests use. */
const IP_PROTOCOLS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp' };

const hex = (n: number): string => (n === 0 ? '0' : `0x${n.toString(16)}`);

/** A prefix as ip -j prints it: the address, and the length unless it is the whole address. */
function end(o: Record<string, unknown>, key: 'src' | 'dst', prefix: string | undefined, family: Rule['family']): void {
  if (prefix === undefined) {
    if (key === 'src') o.src = 'all';
    return;
  }
  const [address, len] = prefix.split('/');
  o[key] = address;
  if (Number(len) !== (family === 'inet6' ? 128 : 32)) o[`${key}len`] = Number(len);
}

/** A typed rule in the shape ip 6.1's print_rule() gives it under -j. */
export function ruleAsIp(r: Rule): Record<string, unknown> {
  const o: Record<string, unknown> = { priority: r.priority };
  if (r.flags.includes('invert')) o.not = null;
  end(o, 'src', r.from, r.family);
  end(o, 'dst', r.to, r.family);
  if (r.tos) o.tos = `0x${r.tos.toString(16).padStart(2, '0')}`;
  if (r.fwmark !== undefined || r.fwmask !== undefined) {
    o.fwmark = hex(r.fwmark ?? 0);
    if (r.fwmask !== undefined && r.fwmask !== 0xffffffff) o.fwmask = hex(r.fwmask);
  }
  for (const k of ['iif', 'oif'] as const) {
    if (r[k] === undefined) continue;
    o[k] = r[k];
    if (r.flags.includes(`${k}_detached`)) o[`${k}_detached`] = null;
  }
  if (r.l3mdev) o.l3mdev = null;
  if (r.uidRange) Object.assign(o, { uid_start: r.uidRange.start, uid_end: r.uidRange.end });
  if (r.ipProto !== undefined) o.ipproto = IP_PROTOCOLS[r.ipProto] ?? `ipproto-${r.ipProto}`;
  for (const k of ['sport', 'dport'] as const) {
    const range = r[k];
    if (!range) continue;
    if (range.start === range.end) o[k] = range.start;
    else Object.assign(o, { [`${k}_start`]: range.start, [`${k}_end`]: range.end });
  }
  if (r.tunId !== undefined) o.tun_id = Number(r.tunId);
  if (r.table !== undefined) {
    o.table = String(r.table);
    if (r.suppressPrefixLength !== undefined) o.suppress_prefixlen = r.suppressPrefixLength;
    if (r.suppressIfgroup !== undefined) o.suppress_ifgroup = r.suppressIfgroup === 0 ? 'default' : String(r.suppressIfgroup);
  }
  if (r.realms) {
    if (r.realms.from) o.flow_from = String(r.realms.from);
    o.flow_to = String(r.realms.to);
  }
  if (r.action === 'goto') {
    o.goto = r.goto;
    if (r.flags.includes('unresolved')) o.unresolved = null;
  } else if (r.action === 'nop') o.nop = null;
  else if (r.action !== 'lookup') o.action = r.action;
  if (r.protocol !== 'unspec' && r.protocol !== 'kernel') o.protocol = r.protocol;
  return o;
}

/** Rules of every kind the API makes, IPv4 and IPv6. */
export const RULES: RuleSpec[] = [
  { from: '192.0.2.0/24', table: 100, priority: 100 },
  { invert: true, to: '198.51.100.0/24', fwmark: 0x10, fwmask: 0xff, iif: 'lo', table: 'main', priority: 200 },
  { oif: 'v0', uidRange: { start: 1000, end: 2000 }, ipProto: 6, sport: 80, dport: { start: 1000, end: 2000 }, table: 101, priority: 300, protocol: 'static' },
  { goto: 500, priority: 400 },
  { action: 'nop', priority: 500 },
  { action: 'blackhole', priority: 600 },
  { action: 'unreachable', priority: 601 },
  { action: 'prohibit', priority: 602 },
  { tos: 0x10, table: 102, suppressPrefixLength: 0, suppressIfgroup: 5, priority: 700 },
  { realms: { from: 3, to: 5 }, table: 103, priority: 800 },
  { tunId: 5, table: 104, priority: 900 },
  { iif: 'nosuch', table: 105, priority: 1000 },
  { l3mdev: true, priority: 1100 },
  { from: '192.0.2.1', to: '203.0.113.0/24', fwmark: 7, table: 200000, priority: 1200 },
  { fwmark: 0, fwmask: 0xff, table: 9, priority: 1300 },
  { goto: 1500, priority: 1400 },
  { from: '2001:db8::/32', table: 100, priority: 100 },
  { family: 'inet6', to: '2001:db8::1', iif: 'v1', oif: 'v0', ipProto: 17, table: 100 },
];
