// `rtnl rule`: ip/iprule.c's grammar (add, delete, show, flush) over rt.rule.
import { FIB_RULE_INVERT, type RuleMessage, type RuleRange } from '../../codecs/route/rule.js';
import { realmsOf } from '../api/route.js';
import { toRule, type RuleSpec } from '../api/rule.js';
import { Args, badName, cInteger, CliError, fail, invarg, ipProtoArg, linkGroup, matches, pick, protocolArg, protocolSelector, uint, usageError } from './args.js';
import type { Context } from './context.js';
import { terminated } from './flush.js';
import { printRule } from './format-rule.js';
import { addressText, inside, prefixArg, type Prefix } from './prefix.js';
import { realmsArg, routeTypeArg, tableArg, tosArg } from './route-args.js';

export const RULE_USAGE = `Usage: rtnl rule { add | del } SELECTOR ACTION
       rtnl rule flush [ SELECTOR ]
       rtnl rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
            [ tun_id NUMBER ] [ protocol PROTO ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          [ TYPE ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
TYPE := { nop | blackhole | unreachable | prohibit }`;

const COMMANDS = ['list', 'lst', 'show', 'save', 'restore', 'add', 'delete', 'flush', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  const word = args.done ? 'list' : args.next();
  const cmd = pick(word, COMMANDS);
  switch (cmd) {
    case 'list': case 'lst': case 'show': return show(ctx, args);
    case 'add': case 'delete': return modify(ctx, args, cmd);
    case 'flush': return flush(ctx, args);
    case 'help': throw usageError(RULE_USAGE);
    case undefined: throw usageError(`Command "${word}" is unknown, try "rtnl rule help".`);
    default: throw new CliError(`rtnl: "rule ${cmd}" is not supported`);
  }
}

/** A prefix as the library takes it: one of length 0 (`all`, `default`, `0/0`) is every address, as the kernel takes it. */
const prefixText = (p: Prefix): string => (p.bitlen === 0 ? 'all' : `${addressText(p)}/${p.bitlen}`);

const ULONG_MAX = (1n << 64n) - 1n;

/** sscanf("%hu-%hu") and sscanf("%u-%u"): two numbers (one for a port: the range of it), each cut to `bits` as C stores it. */
function rangeArg(s: string, bits: 16 | 32, one: boolean): RuleRange | undefined {
  const m = /^\s*([+-]?\d+)(?:-\s*([+-]?\d+))?/.exec(s);
  if (!m || (m[2] === undefined && !one)) return undefined;
  // strtoul() negates a minus modulo 2^64 and saturates at ULONG_MAX; the store into the C type keeps its low bits.
  const cut = (d: string): number => {
    const n = cInteger(d, 10) as bigint;
    return Number(BigInt.asUintN(bits, n > ULONG_MAX ? ULONG_MAX : n));
  };
  const start = cut(m[1]);
  return { start, end: m[2] === undefined ? start : cut(m[2]) };
}

/** check_ifname() of an `iif`/`dev` or `oif` word: ip's refusal names the words it came after. */
function ifname(s: string, what: string): string {
  if (badName(s)) throw invarg(`${what} not a valid ifname`, s, false);
  return s;
}

/** `fwmark MARK[/MASK]`, each as get_u32() reads it. */
function fwmarkArg(s: string): { fwmark: number; fwmask?: number } {
  const [mark, mask] = s.split('/', 2);
  const fwmark = uint(mark, 'fwmark', 0xffffffff, () => invarg('fwmark value is invalid', mark));
  return mask === undefined ? { fwmark } : { fwmark, fwmask: uint(mask, 'fwmask', 0xffffffff, () => invarg('fwmask value is invalid', mask)) };
}

/** A u64 as get_u64() reads it (`-1` is 2^64-1). */
function tunIdArg(s: string): bigint {
  const n = cInteger(s);
  if (n === undefined || n >= 1n << 64n) throw invarg('"tun_id" value is invalid', s);
  return n;
}

/** `rule add|del`: iprule_modify()'s words into a spec for rt.rule. */
async function modify(ctx: Context, args: Args, cmd: 'add' | 'delete'): Promise<void> {
  if (args.done) throw new CliError(`"ip rule ${cmd === 'add' ? 'add' : 'del'}" requires arguments.`);
  // -4 or -6, else IPv4 as ip; -0's AF_PACKET, which has no rules, for the kernel to refuse as it refuses ip.
  const { family } = ctx.opts;
  const s: RuleSpec = { family: family === 10 ? 'inet6' : family === 0 || family === 2 ? 'inet' : family };
  let acted = false;
  let tid = 0;
  while (!args.done) {
    const w = args.next();
    if (w === 'not') s.invert = true;
    else if (w === 'from') s.from = prefixText(prefixArg(args.next(), ctx.opts.family));
    else if (w === 'to') s.to = prefixText(prefixArg(args.next(), ctx.opts.family));
    else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const v = args.next();
      s.priority = uint(v, 'preference', 0xffffffff, () => invarg('preference value is invalid', v));
    } else if (w === 'tos' || matches(w, 'dsfield')) s.tos = tosArg(args.next(), 'TOS value is invalid');
    else if (w === 'fwmark') Object.assign(s, fwmarkArg(args.next()));
    else if (matches(w, 'realms')) {
      const v = args.next();
      const flow = realmsArg(v);
      if (flow === undefined) throw invarg('invalid realms', v);
      s.realms = realmsOf(flow);
    } else if (matches(w, 'protocol')) s.protocol = protocolArg(args.next());
    else if (matches(w, 'tun_id')) s.tunId = tunIdArg(args.next());
    else if (matches(w, 'table') || w === 'lookup') {
      tid = tableArg(args.next(), 'invalid table ID');
      s.table = tid;
    } else if (matches(w, 'suppress_prefixlength') || w === 'sup_pl') {
      const v = args.next();
      // get_s32(), then refused when negative: what is left is 0 to INT_MAX.
      s.suppressPrefixLength = uint(v, 'suppress_prefixlength', 0x7fffffff, () => invarg('suppress_prefixlength value is invalid', v));
    } else if (matches(w, 'suppress_ifgroup') || w === 'sup_group') s.suppressIfgroup = linkGroup(args.next(), 'suppress_ifgroup');
    else if (w === 'dev' || w === 'iif') s.iif = ifname(args.next(), '"iif"/"dev"');
    else if (w === 'oif') s.oif = ifname(args.next(), '"oif"');
    else if (w === 'l3mdev') s.l3mdev = true;
    else if (w === 'uidrange') {
      const v = args.next();
      s.uidRange = rangeArg(v, 32, false) ?? fail(invarg('invalid UID range', v));
    } else if (w === 'nat' || matches(w, 'map-to')) throw new CliError(`rtnl: rule "${w}" is not supported (route NAT is deprecated)`);
    else if (w === 'ipproto') s.ipProto = ipProtoArg(args.next());
    else if (w === 'sport' || w === 'dport') {
      const v = args.next();
      s[w] = rangeArg(v, 16, true) ?? fail(invarg(w === 'sport' ? 'invalid port range' : 'invalid dport range', v));
    } else {
      actionWord(args, w === 'type' ? args.next() : w, s);
      acted = true;
    }
  }
  if (s.l3mdev && tid !== 0) throw new CliError('table can not be specified for l3mdev rules', 22);
  // A rule whose words gave an action but no table looks none up (table 0), as ip sends it.
  if (acted && s.table === undefined && !s.l3mdev) s.table = 0;
  const { rule } = await ctx.rt();
  if (cmd === 'add') await rule.add(s);
  else await rule.delete(s);
}

/** The last branch of iprule_modify(): `goto N`, `nop`, or a route type's name or number as the action. */
function actionWord(args: Args, w: string, s: RuleSpec): void {
  if (matches(w, 'help')) throw usageError(RULE_USAGE);
  if (matches(w, 'goto')) {
    const v = args.next();
    s.action = 'goto';
    s.goto = uint(v, 'goto', 0xffffffff, () => invarg('invalid target', v));
  } else if (matches(w, 'nop')) s.action = 'nop';
  else {
    const type = routeTypeArg(w);
    if (type === undefined) throw invarg('Failed to parse rule type', w, false);
    s.action = type;
  }
}

/** iprule_list_flush_or_save()'s filter: what filter_nlmsg() compares, and flush's protocol (absent: any). */
interface RuleSelector {
  priority?: number; not?: boolean; tos?: number; fwmark?: number; fwmask?: number; iif?: string; oif?: string;
  l3mdev?: boolean; uidRange?: RuleRange; tunId?: bigint; table?: number; src?: Prefix; dst?: Prefix; protocol?: number;
  ipProto?: number; sport?: RuleRange; dport?: RuleRange;
}

function selector(args: Args, family: number): RuleSelector {
  const sel: RuleSelector = {};
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const v = args.next();
      sel.priority = uint(v, 'preference', 0xffffffff, () => invarg('preference value is invalid', v));
    } else if (w === 'not') sel.not = true;
    else if (w === 'tos' || w === 'dsfield') sel.tos = tosArg(args.next(), 'TOS value is invalid');
    else if (w === 'fwmark') {
      const { fwmark, fwmask } = fwmarkArg(args.next());
      Object.assign(sel, { fwmark, fwmask });
    } else if (w === 'dev' || w === 'iif') sel.iif = ifname(args.next(), '"iif"/"dev"');
    else if (w === 'oif') sel.oif = ifname(args.next(), '"oif"');
    else if (w === 'l3mdev') sel.l3mdev = true;
    else if (w === 'uidrange') {
      const v = args.next();
      sel.uidRange = rangeArg(v, 32, false) ?? fail(invarg('invalid UID range', v));
    } else if (matches(w, 'tun_id')) sel.tunId = tunIdArg(args.next());
    else if (matches(w, 'lookup') || matches(w, 'table')) sel.table = tableArg(args.next(), 'table id value is invalid');
    else if (matches(w, 'from') || matches(w, 'src')) sel.src = prefixArg(args.next(), family);
    else if (matches(w, 'protocol')) sel.protocol = protocolSelector(args.next());
    else if (w === 'ipproto') sel.ipProto = ipProtoArg(args.next());
    else if (w === 'sport' || w === 'dport') {
      const v = args.next();
      sel[w] = rangeArg(v, 16, true) ?? fail(invarg(w === 'sport' ? 'invalid port range' : 'invalid dport range', v));
    } else {
      const v = matches(w, 'dst') || matches(w, 'to') ? args.next() : w;
      if (matches(v, 'help') && v === w) throw usageError(RULE_USAGE);
      sel.dst = prefixArg(v, family);
    }
  }
  return sel;
}

const sameRange = (want: RuleRange, have: RuleRange | undefined): boolean => have !== undefined && have.start === want.start && have.end === want.end;

/** filter_nlmsg() (the family is the dump's), and the protocol, which ip compares only when flushing. */
function selected(sel: RuleSelector, m: RuleMessage): boolean {
  const a = m.attrs;
  if (sel.priority !== undefined && sel.priority !== (a.priority ?? 0)) return false;
  if (sel.not && !(m.flags & FIB_RULE_INVERT)) return false;
  for (const [p, len, address] of [[sel.src, m.srcLen, a.src], [sel.dst, m.dstLen, a.dst]] as const) {
    if (p && (p.family !== m.family || p.bitlen > len || !inside(p, address))) return false;
  }
  if (sel.tos !== undefined && sel.tos !== m.tos) return false;
  if (sel.fwmark && sel.fwmark !== (a.fwmark ?? 0)) return false;
  if (sel.fwmask && sel.fwmask !== (a.fwmask ?? 0)) return false;
  if (sel.iif !== undefined && sel.iif !== a.iifname) return false;
  if (sel.oif !== undefined && sel.oif !== a.oifname) return false;
  if (sel.l3mdev && !a.l3mdev) return false;
  if (sel.uidRange && !sameRange(sel.uidRange, a.uidRange)) return false;
  if (sel.ipProto && sel.ipProto !== (a.ipProto ?? 0)) return false;
  if (sel.sport?.start && !sameRange(sel.sport, a.sportRange)) return false;
  if (sel.dport?.start && !sameRange(sel.dport, a.dportRange)) return false;
  if (sel.tunId && (a.tunId === undefined || BigInt(a.tunId) !== sel.tunId)) return false;
  if (sel.table && sel.table !== (a.table ?? m.table)) return false;
  return sel.protocol === undefined || sel.protocol === (a.protocol ?? 0);
}

/**
 * The selected rules of the family (IPv4 unless -4, -6 or -0 says another: the kernel refuses a
 * dump of AF_PACKET's). ip opens its JSON array before the dump, for `flush` too.
 */
async function selectedRules(ctx: Context, args: Args): Promise<RuleMessage[]> {
  const family = ctx.opts.family || 2;
  const sel = selector(args, family);
  const { rule } = await ctx.rt();
  ctx.out.listing = true;
  ctx.out.opened = true;
  const rules = await rule.dump(family).catch(terminated('Dump', 255));
  return rules.filter((m) => selected(sel, m));
}

async function show(ctx: Context, args: Args): Promise<void> {
  for (const m of await selectedRules(ctx, args)) printRule(ctx.out, m, { details: ctx.opts.details });
}

/** `rule flush`: every selected rule but those of priority 0 (the kernel's `lookup local`), deleted as listed. */
async function flush(ctx: Context, args: Args): Promise<void> {
  const { rule } = await ctx.rt();
  for (const m of await selectedRules(ctx, args)) if (m.attrs.priority !== undefined) await rule.delete(toRule(m));
}
