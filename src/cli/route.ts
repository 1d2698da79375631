// `rtnl route`: ip/iproute.c's grammar (add, change, replace, prepend, append, delete, show, get).
import { ROUTE_PREFS, ROUTE_TYPES, RTAX_FEATURE_ECN, RTAX_RTO_MIN, RTAX_RTT, RTAX_RTTVAR, RTM_F_CLONED, routeCodec, routeTableId, type Metrics, type RouteMessage, type RoutePref } from '../../codecs/route/route.js';
import { RTM_DELROUTE, RTM_NEWROUTE } from '../../codecs/route/constants.js';
import { ROUTE_DUMP_MAGIC, writeSaved } from '../../codecs/netlink/saved.js';
import { decoding } from '../errors.js';
import { checkOutput, readInput, restoreFrom, savedMessages, type SavedKind } from './saved.js';
import { emptyMain, realmsOf, type NexthopSpec, type Realms, type RouteDumpFilter, type RouteGetOptions, type RouteSpec } from '../api/route.js';
import { writeFileSync } from 'node:fs';
import { Args, CliError, cNumber, duparg2, invarg, ipProtoArg, ipWord, matches, named, notTaken, pick, protocolArg, protocolSelector, uint, usageError } from './args.js';
import { encapArg } from './encap.js';
import { scopes, tables } from './name-db.js';
import { realmsArg, routeTypeArg, tableArg, tosArg } from './route-args.js';
import { flushRounds, terminated } from './flush.js';
import type { Context } from './context.js';
import { METRICS, printRoute, type RouteView } from './format-route.js';
import { nhInfoOf } from './format-nexthop.js';
import { addressArg, addressBytes, addressText, noBytes, expectedError, prefixArg, sameBits, zeroAddress, type Prefix } from './prefix.js';

export const ROUTE_USAGE = `Usage: rtnl route { show | flush } [ SELECTOR ]
       rtnl route get ADDRESS [ from ADDRESS ] [ iif STRING ] [ oif STRING ] [ mark NUMBER ] [ tos TOS ]
                          [ uid NUMBER ] [ ipproto PROTOCOL ] [ sport NUMBER ] [ dport NUMBER ] [ fibmatch ] [ notify ]
       rtnl route { add | del | change | append | prepend | replace } ROUTE
       rtnl route save SELECTOR
       rtnl route restore
       rtnl route showdump
SELECTOR := [ table TABLE_ID ] [ proto RTPROTO ] [ type TYPE ] [ scope SCOPE ] [ dev STRING ] [ metric METRIC ]
            [ tos TOS ] [ from { root | match | exact } PREFIX ] [ { root | match | exact } PREFIX ] [ cache ]
            [ via [ inet | inet6 ] PREFIX ] [ src PREFIX ] [ iif STRING ] [ mark NUMBER ] [ realms REALMS ]
ROUTE := [ TYPE ] PREFIX [ tos TOS ] [ table TABLE_ID ] [ proto RTPROTO ] [ scope SCOPE ] [ metric METRIC ]
         [ encap ENCAP ] [ via ADDRESS ] [ dev STRING ] [ src ADDRESS ] [ onlink ] [ realms REALMS ] [ METRIC ]...
         [ pref { low | medium | high } ] [ expires SECONDS ]
         [ nexthop NH ]...
NH := [ encap ENCAP ] [ via ADDRESS ] [ dev STRING ] [ weight NUMBER ] [ onlink ] [ realms REALMS ]
ENCAP := ip [ id ID ] [ dst ADDRESS ] [ src ADDRESS ] [ ttl NUMBER ] [ tos TOS ] [ key ] [ csum ] [ seq ] |
         ip6 [ id ID ] [ dst ADDRESS ] [ src ADDRESS ] [ hoplimit NUMBER ] [ tc TC ] [ key ] [ csum ] [ seq ] |
         seg6 mode { inline | encap | l2encap | encap.red | l2encap.red } segs ADDRESS[,ADDRESS]... [ hmac KEYID ]
METRIC := { mtu | advmss | hoplimit | window | cwnd | initcwnd | initrwnd | ssthresh | reordering } [ lock ] NUMBER |
          { rtt | rttvar } [ lock ] TIME | rto_min TIME | features ecn | quickack BOOL | congctl [ lock ] NAME |
          fastopen_no_cookie BOOL
TIME := NUMBER[s|ms]
BOOL := [1|0]
TYPE := { unicast | local | broadcast | multicast | throw | unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
REALMS := [ FROM/ ]TO, each a name of rt_realms or a number (IPv4 routes)
`;

const COMMANDS = ['add', 'change', 'replace', 'prepend', 'append', 'test', 'delete', 'list', 'show', 'lst', 'get', 'flush', 'save', 'restore', 'showdump', 'help'] as const;

export async function run(ctx: Context, args: Args): Promise<void> {
  const word = args.done ? 'show' : args.next();
  const cmd = word === 'chg' ? 'change' : pick(word, COMMANDS);
  switch (cmd) {
    case 'add': case 'change': case 'replace': case 'prepend': case 'append': case 'delete': return modify(ctx, args, cmd);
    case 'list': case 'show': case 'lst': return show(ctx, args);
    case 'get': return get(ctx, args);
    case 'flush': return flush(ctx, args);
    case 'save': return save(ctx, args);
    case 'restore': return restore(ctx);
    case 'showdump': return showdump(ctx);
    case 'help': throw usageError(ROUTE_USAGE.trimEnd());
    case undefined: throw usageError(`Command "${word}" is unknown, try "rtnl route help".`);
    default: throw new CliError(`rtnl: "route ${cmd}" is not supported`);
  }
}

/** `realms` of a route or a nexthop: ip's refusal when not realms. */
function realmsWord(v: string): Realms {
  const flow = realmsArg(v);
  if (flow === undefined) throw invarg('"realm" value is invalid', v);
  return realmsOf(flow);
}

/** What `route add|change|replace|prepend|append|del` was given: iproute_modify()'s variables. */
interface RouteWords {
  s: Partial<RouteSpec>;
  metrics: Metrics;
  /** The family so far: -4/-6, else the first address's. */
  family: number;
  /** The refusal of the first address of no bytes (`via any`), which ip sends empty and the kernel refuses. */
  empty?: CliError;
}

/** The family an address or prefix word sets when none is known yet (req.r.rtm_family). */
function sawFamily(r: RouteWords, p: Prefix): void {
  r.family ||= p.family;
}

/** read_family()'s words before a `via` address or prefix, the families rtnl routes take (a Map: `toString` is no family). */
const VIA_FAMILIES = new Map([['inet', 2], ['inet6', 10]]);

/**
 * `via [ FAMILY ] ADDR`, a route's or a path's: read_family(), then get_addr() in the family named,
 * else the route's; the address gives a route without a family its own.
 */
function via(args: Args, r: RouteWords): string {
  let g = args.next();
  const family = VIA_FAMILIES.get(g);
  if (family !== undefined) g = args.next();
  return sent(r, g, addressArg(g, family ?? r.family));
}

/** An address ip sends as read: the family it gives the route, and whether it has no bytes. */
function sent(r: RouteWords, word: string, a: Prefix): string {
  if (noBytes(a, word)) sawEmpty(r, word, a.family || r.family);
  sawFamily(r, a);
  return addressText(a);
}

/** An address of no bytes, refused where rtnl would send it (after ip's other checks, in its order). */
function sawEmpty(r: RouteWords, word: string, family: number): void {
  r.empty ??= expectedError(word, family, false, 'address');
}

/** iproute_modify()'s loop: one word (and its values), exact or by prefix as ip takes each, in ip's order. */
function routeWord(args: Args, w: string, r: RouteWords): void {
  const { s } = r;
  if (w === 'src') {
    const v = args.next();
    s.src = sent(r, v, addressArg(v, r.family));
  } else if (w === 'via') {
    if (s.gateway !== undefined) throw invarg('use nexthop syntax to specify multiple via', w);
    s.gateway = via(args, r);
  } else if (w === 'from') {
    const p = prefixArg(args.next(), r.family);
    sawFamily(r, p);
    s.from = `${addressText(p)}/${p.bitlen}`;
  } else if (w === 'tos' || matches(w, 'dsfield')) {
    s.tos = tosArg(args.next(), '"tos" value is invalid');
  } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
    const v = args.next();
    s.metric = uint(v, 'metric', undefined, () => invarg('"metric" value is invalid', v));
  } else if (w === 'scope') {
    const v = args.next();
    s.scope = named(scopes.names(), v, 255);
    if (s.scope === undefined) throw invarg('invalid "scope" value', v);
  } else if (metric(w, args, r.metrics)) s.metrics = r.metrics;
  else if (matches(w, 'realms')) s.realms = realmsWord(args.next());
  else if (w === 'onlink') s.onlink = true;
  else if (matches(w, 'protocol')) s.protocol = protocolArg(args.next());
  else if (matches(w, 'table')) s.table = tableArg(args.next());
  else if (w === 'dev' || w === 'oif') s.dev = args.next();
  else if (w === 'encap') s.encap = encapArg(args, (word, family) => sawEmpty(r, word, family));
  else if (w === 'nhid') {
    const v = args.next();
    s.nhId = uint(v, 'id', 0xffffffff, () => invarg('"id" value is invalid', v));
  } else if (w === 'expires') s.expires = expiresArg(args.next());
  else if (matches(w, 'pref')) s.pref = prefArg(args.next());
  else if (notTaken(w, NOT_TAKEN)) throw new CliError(`rtnl: route "${w}" is not supported`);
  else destinationWord(args, w, r);
}

/** ip's words rtnl does not take, each exact or by prefix as ip reads it. */
const NOT_TAKEN: Array<[string, boolean]> = [['as', true], ['vrf', false], ['ttl-propagate', true]];

/** `expires SECONDS`, a u32 as ip reads it; its largest, never, the API's 'forever'. */
function expiresArg(v: string): number | 'forever' {
  const n = uint(v, 'expires', 0xffffffff, () => invarg('"expires" value is invalid', v));
  return n === 0xffffffff ? 'forever' : n;
}

/** `pref low|medium|high`, or a number that goes as it is (ip's get_u8). */
function prefArg(v: string): RoutePref | number {
  return Object.hasOwn(ROUTE_PREFS, v) ? v as RoutePref : uint(v, 'pref', 255, () => invarg('"pref" value is invalid', v));
}

/** The last branch: [ to ] [ TYPE ] PREFIX, `help`, a second destination refused. */
function destinationWord(args: Args, w: string, r: RouteWords): void {
  let d = w === 'to' ? args.next() : w;
  // A word starting with a digit is the destination, never a type (iproute_modify()).
  const type = /^[0-9]/.test(d) ? undefined : routeTypeArg(d);
  if (type !== undefined) {
    r.s.type = type;
    d = args.next();
  }
  if (matches(d, 'help')) throw usageError(ROUTE_USAGE.trimEnd());
  if (r.s.dst !== undefined) throw duparg2('to', d);
  const p = prefixArg(d, r.family);
  sawFamily(r, p);
  r.s.dst = destination(p);
}

async function modify(ctx: Context, args: Args, cmd: 'add' | 'change' | 'replace' | 'prepend' | 'append' | 'delete'): Promise<void> {
  const r: RouteWords = { s: {}, metrics: {}, family: ctx.opts.family };
  let paths = false;
  while (!args.done) {
    const w = args.next();
    if (w === 'nexthop') {
      paths = true; // the rest of the line, read below as ip's parse_nexthops() reads it
      break;
    }
    routeWord(args, w, r);
  }
  const { s } = r;
  if (s.dst === undefined) throw usageError(ROUTE_USAGE.trimEnd());
  const rt = await ctx.rt(); // first: ctx.index() then uses its socket
  if (typeof s.dev === 'string') await ctx.index(s.dev);
  if (paths) s.nexthops = await nexthops(ctx, args, r);
  if (r.family) s.family = r.family === 10 ? 'inet6' : 'inet';
  // Where ip sends an empty gateway or source, which the kernel refuses (exit 1: a -force batch goes on).
  if (r.empty !== undefined) throw r.empty;
  const spec = s as RouteSpec;
  if (cmd === 'add') await rt.route.add(spec);
  else if (cmd === 'append') await rt.route.append(spec);
  else if (cmd === 'prepend') await rt.route.prepend(spec);
  else if (cmd === 'delete') await rt.route.delete(spec);
  else if (cmd === 'change') await rt.route.change(spec);
  else await rt.route.replace(spec);
}

/**
 * A destination as get_prefix() read it, for the library: `default` (also all/any: the only
 * prefixes without a family), else ADDRESS/LENGTH (`10/8` is 10.0.0.0/8).
 */
const destination = (p: Prefix): string => (p.family === 0 ? 'default' : `${addressText(p)}/${p.bitlen}`);

/**
 * One RTAX_* metric as iproute_modify() reads it, when `w` names one: `NAME [ lock ] VALUE`
 * (each lock a bit of RTAX_LOCK); rtt, rttvar and rto_min take a TIME; rto_min is always locked.
 */
function metric(w: string, args: Args, m: Metrics): boolean {
  // ip compares these words whole, the others by prefix, in this order.
  const exact = ['mtu', 'hoplimit', 'advmss', 'rtt', 'rto_min'];
  const order = ['mtu', 'hoplimit', 'advmss', 'reordering', 'rtt', 'rto_min', 'window', 'cwnd', 'initcwnd', 'initrwnd',
    'features', 'quickack', 'congctl', 'rttvar', 'ssthresh', 'fastopen_no_cookie'];
  const name = order.find((k) => ipWord(w, k, exact.includes(k)));
  const entry = METRICS.find(([, , n]) => n === name);
  if (!entry) return false;
  const [bit, key] = entry;
  let v = args.next();
  // `lock` is a word of its own but for these; rto_min is locked without it.
  const lockWord = v === 'lock' && !['features', 'quickack', 'rto_min', 'fastopen_no_cookie'].includes(name as string);
  if (lockWord) v = args.next();
  if (lockWord || bit === RTAX_RTO_MIN) m.lock = ((m.lock ?? 0) | (1 << bit)) >>> 0;
  const bad = (): CliError => invarg(`"${name === 'advmss' ? 'mss' : name}" value is invalid`, v);
  if (key === 'congctl') m.congctl = v;
  else if (key === 'features') {
    if (v !== 'ecn') throw invarg('"features" value not valid', v);
    m.features = RTAX_FEATURE_ECN;
  } else if (bit === RTAX_RTT || bit === RTAX_RTTVAR || bit === RTAX_RTO_MIN) {
    const t = timeRtt(v);
    if (t === undefined) throw bad();
    m[key] = t.raw || bit === RTAX_RTO_MIN ? t.ms : t.ms * (bit === RTAX_RTT ? 8 : 4);
  } else {
    const n = cNumber(v);
    if (!Number.isInteger(n) || n > 0xffffffff || (key === 'hoplimit' && n > 255)) throw bad();
    if ((key === 'quickack' || key === 'fastopenNoCookie') && n > 1) throw invarg(`"${name}" value should be 0 or 1`, v);
    m[key] = n;
  }
  return true;
}

/** get_time_rtt(): NUMBER (raw), or NUMBER s|sec|secs|ms|msec|msecs, in ms rounded up. */
function timeRtt(s: string): { ms: number; raw: boolean } | undefined {
  const r = /^(\d+(?:\.\d*)?|\.\d+|0x[0-9a-f]+)(s|secs?|ms|msecs?)?$/i.exec(s);
  if (!r) return undefined;
  const n = r[1].includes('.') ? Number(r[1]) : cNumber(r[1]);
  if (!Number.isFinite(n)) return undefined;
  const ms = r[2] === undefined || /^m/i.test(r[2]) ? n : n * 1000;
  return { ms: Math.ceil(ms), raw: r[2] === undefined };
}

/** parse_nexthops(): `nexthop NH [ nexthop NH ]...`, the word `nexthop` itself read by modify(). */
async function nexthops(ctx: Context, args: Args, r: RouteWords): Promise<NexthopSpec[]> {
  const out: NexthopSpec[] = [];
  for (;;) {
    if (args.done) throw usageError('Error: unexpected end of line after "nexthop"');
    out.push(await nexthop(ctx, args, r));
    if (args.done) return out;
    const w = args.next();
    if (w !== 'nexthop') throw usageError(`Error: "nexthop" or end of line is expected instead of "${w}"`);
  }
}

/** parse_one_nh()'s words: exact, and `realms` by prefix. */
const PATH_WORDS = ['via', 'dev', 'weight', 'onlink', 'encap'];
const isPathWord = (w: string | undefined): boolean => w !== undefined && (PATH_WORDS.includes(w) || matches(w, 'realms'));

/** parse_one_nh()'s words rtnl does not take. */
const NEXTHOP_NOT_TAKEN: Array<[string, boolean]> = [['as', true]];

/**
 * parse_one_nh(): `via [ FAMILY ] ADDR`, `dev DEV`, `weight W`, `onlink`, `realms R`, `encap ...`,
 * up to a word it does not take. As ip, the address is read in the route's family unless one is
 * named (and gives the route its family when it has none), and the link is looked up as read.
 */
async function nexthop(ctx: Context, args: Args, r: RouteWords): Promise<NexthopSpec> {
  const nh: NexthopSpec = {};
  while (isPathWord(args.peek())) {
    const w = args.next();
    if (w === 'via') nh.gateway = via(args, r);
    else if (w === 'dev') {
      const name = args.next();
      // parse_nexthops() ends ip at once on a path it cannot read.
      nh.dev = await ctx.index(name).catch((e: unknown) => {
        if (!(e instanceof CliError)) throw e;
        throw new CliError(`${e.message}\nError: cannot parse nexthop`, 255);
      });
    } else if (w === 'weight') {
      const v = args.next();
      const n = cNumber(v);
      if (!Number.isInteger(n) || n < 1 || n > 256) throw invarg('"weight" is invalid', v);
      nh.weight = n;
    } else if (w === 'onlink') nh.onlink = true;
    else if (w === 'encap') nh.encap = encapArg(args, (word, family) => sawEmpty(r, word, family));
    else nh.realms = realmsWord(args.next());
  }
  const w = args.peek();
  if (w !== undefined && notTaken(w, NEXTHOP_NOT_TAKEN)) throw new CliError(`rtnl: route nexthop "${w}" is not supported`);
  return nh;
}

/** `route show SELECTOR`: the selectors and filter of flush (ip's iproute_list_flush_or_save serves both). */
async function show(ctx: Context, args: Args): Promise<void> {
  const sel = routeSelector(ctx, args);
  ctx.out.listing = true;
  const devs = await devIndexes(ctx, sel);
  ctx.out.opened = true;
  const routes = await selectedRoutes(ctx, sel, devs);
  const view = await withNexthops(ctx, await selectedView(ctx, sel), routes);
  for (const r of routes) printRoute(ctx.out, r, view);
}

/** The routes a selector picks, in the kernel's order (show and save). */
async function selectedRoutes(ctx: Context, sel: RouteSelector, devs: { iif?: number; oif?: number }): Promise<RouteMessage[]> {
  const rt = await ctx.rt();
  // An IPv4 main table not made yet is empty, as ip's save_route_errhndlr() has it (flush does not).
  const routes = await rt.route.dump(dumpFilter(ctx, sel, devs.oif)).catch(emptyMain(sel.table)).catch(terminated('Dump'));
  return routes.filter((r) => selected(sel, ctx.opts.family, devs, r));
}

/** ip's route dumps: do_cmd() negates iproute.c's -1 and -2 into its statuses. */
const SAVED: SavedKind = { what: 'route', magic: ROUTE_DUMP_MAGIC, notDump: 1, broken: 2 };

/** `route save SELECTOR`: the routes show would print, as the kernel dumped them, in ip's file. */
async function save(ctx: Context, args: Args): Promise<void> {
  checkOutput(SAVED.notDump);
  const sel = routeSelector(ctx, args);
  const routes = await selectedRoutes(ctx, sel, await devIndexes(ctx, sel));
  ctx.io?.out(writeSaved(SAVED.magic, RTM_NEWROUTE, routeCodec, routes));
}

/**
 * `route restore`: a saved dump from stdin through rt.route.restore(); each route there already
 * is the kernel's `File exists`, said and passed over, as ip does. A file that does not read is
 * refused in ip's words before anything is sent.
 */
async function restore(ctx: Context): Promise<void> {
  await restoreFrom(ctx, SAVED, async (bytes) => (await ctx.rt()).route.restore(bytes));
}

/**
 * `route showdump`: a saved dump from stdin printed as show prints routes (the route cache and,
 * with -4 or -6, the other family left out, as ip does); the routes before bytes that do not
 * read are printed.
 */
async function showdump(ctx: Context): Promise<void> {
  const routes: Array<[RouteMessage, boolean]> = [];
  let broken: unknown;
  try {
    for (const m of savedMessages(readInput(SAVED), SAVED)) {
      const { len, type, flags } = m.header;
      if (type !== RTM_NEWROUTE && type !== RTM_DELROUTE) ctx.io?.err(`Not a route: ${hex8(len)} ${hex8(type)} ${hex8(flags)}\n`);
      else routes.push([decoding(() => routeCodec.decode(m.payload), `route ${routes.length + 1} of the saved dump`), type === RTM_DELROUTE]);
    }
  } catch (e) {
    broken = e;
  }
  const all: RouteSelector = { table: 0, cloned: false, dst: {}, src: {} };
  const shown = routes.filter(([r]) => selected(all, ctx.opts.family, {}, r));
  const view = await withNexthops(ctx, await routeView(ctx), shown.map(([r]) => r));
  for (const [r, deleted] of shown) printRoute(ctx.out, r, { ...view, deleted });
  if (broken !== undefined) throw broken;
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/**
 * What a selector asks the kernel for: it filters by table, device and protocol when it checks
 * dumps strictly (not in a batch: Connection.strict); selected() picks the routes either way.
 */
function dumpFilter(ctx: Context, sel: RouteSelector, oif: number | undefined): RouteDumpFilter {
  // Both families for `table all`, as ip (its default family is inet only when a table is chosen).
  const family = ctx.opts.family === 0 && sel.table ? 2 : ctx.opts.family;
  if (!ctx.conn.strict) return { family, cloned: sel.cloned };
  return { family, table: sel.table, protocol: sel.protocol, oif, cloned: sel.cloned };
}

/** How routes print: -d, -s, and the names of this namespace's links. */
async function routeView(ctx: Context): Promise<RouteView> {
  return { details: ctx.opts.details, stats: ctx.opts.stats > 0, name: await ctx.namer() };
}

/** -d: the view prints the nexthop objects the routes name (`nh_info`), dumped once. */
async function withNexthops(ctx: Context, view: RouteView, routes: RouteMessage[]): Promise<RouteView> {
  if (!view.details || !routes.some((r) => r.attrs.nhId !== undefined)) return view;
  const nexthops = new Map((await (await ctx.rt()).nexthop.dump()).map((m) => [m.attrs.id ?? 0, m]));
  return { ...view, nhInfo: nhInfoOf(nexthops, view.name) };
}

/** How routes print after a selector: ip leaves out what the selector fixed (its *mask = -1). */
async function selectedView(ctx: Context, sel: RouteSelector): Promise<RouteView> {
  return {
    ...await routeView(ctx),
    omit: {
      table: sel.table !== 0, dev: sel.dev !== undefined, protocol: sel.protocol !== undefined,
      scope: sel.scope !== undefined, tos: sel.tos !== undefined, metric: sel.metric !== undefined,
      iif: sel.iif !== undefined, viaBits: sel.via?.bitlen, prefsrcBits: sel.prefsrc?.bitlen,
      realms: sel.realmMask === 0xffffffff,
    },
  };
}

async function get(ctx: Context, args: Args): Promise<void> {
  let addr: Prefix | undefined;
  let family = ctx.opts.family;
  const opts: RouteGetOptions = {};
  // Looked up once every word is read, `iif` first, the last of each counting (as iproute_get()).
  let iif: string | undefined;
  let oif: string | undefined;
  while (!args.done) {
    // iproute_get()'s words, in its order (`d` is dsfield, `f` from, `m` mark).
    const w = args.next();
    if (w === 'tos' || matches(w, 'dsfield')) opts.tos = tosArg(args.next(), 'TOS value is invalid');
    else if (matches(w, 'from')) {
      // get_prefix() at once, the family it gives kept for what follows; `help` is the usage.
      const v = args.next();
      if (matches(v, 'help')) throw usageError(ROUTE_USAGE.trimEnd());
      const from = prefixArg(v, family);
      family ||= from.family;
      if (from.family !== 0) opts.from = addressText(from); // `default`: no source, as ip sends none
    } else if (matches(w, 'iif')) iif = args.next();
    else if (matches(w, 'mark')) {
      const v = args.next();
      opts.mark = uint(v, 'mark', undefined, () => invarg('invalid mark value', v, false));
    } else if (matches(w, 'oif') || w === 'dev') oif = args.next();
    else if (matches(w, 'notify')) opts.notify = true;
    else if (notTaken(w, GET_NOT_TAKEN)) throw new CliError(`rtnl: route get "${w}" is not supported`);
    else if (matches(w, 'uid')) {
      const v = args.next();
      opts.uid = uint(v, 'uid', undefined, () => invarg('invalid UID', v));
    } else if (matches(w, 'fibmatch')) opts.fibMatch = true;
    else if (matches(w, 'sport') || matches(w, 'dport')) {
      const key = w.startsWith('s') ? 'sport' : 'dport';
      const v = args.next();
      opts[key] = uint(v, key, 0xffff, () => invarg(`invalid ${key}`, v));
    } else if (matches(w, 'ipproto')) opts.ipProto = ipProtoArg(args.next());
    else if (matches(w, 'help')) throw usageError(ROUTE_USAGE.trimEnd());
    else {
      // Every other word is a prefix of the family so far, as iproute_get() reads it: the last one
      // with bytes counts (one of none, `any`, adds no RTA_DST to those before it).
      const word = w === 'to' ? args.next() : w;
      const p = prefixArg(word, family);
      family ||= p.family;
      if (addr === undefined || !noBytes(p, word)) addr = p;
      const host = family === 2 ? 32 : family === 10 ? 128 : p.bitlen;
      if (p.bitlen !== host) ctx.io?.err(`Warning: /${p.bitlen} as prefix is invalid, only /${host} (or none) is supported.\n`);
    }
  }
  ctx.out.listing = true;
  if (addr === undefined) throw new CliError('need at least a destination address');
  if (iif !== undefined) opts.iif = await ctx.index(iif);
  if (oif !== undefined) opts.dev = await ctx.index(oif);
  // A destination of no family (`any`, `default`) is no RTA_DST: the lookup of the zero address in
  // the family the other words gave (`from`), IPv4 when none did, as ip sends it.
  const r = await (await ctx.rt()).route.lookup(addr.family === 0 ? zeroAddress(family) : addressText(addr), opts);
  printRoute(ctx.out, r, await withNexthops(ctx, await routeView(ctx), [r]));
}

/** iproute_get()'s words rtnl does not take, each exact or by prefix as ip reads it (before uid, in ip's order). */
const GET_NOT_TAKEN: Array<[string, boolean]> = [['connected', false], ['vrf', false], ['as', true]];

/** What `route flush` matches (iproute.c's filter): a field absent matches anything. */
interface RouteSelector {
  /** 0 for every table. */
  table: number;
  /** The route cache (cloned routes) instead of the tables. */
  cloned: boolean;
  protocol?: number;
  scope?: number;
  type?: number;
  tos?: number;
  metric?: number;
  dev?: string;
  iif?: string;
  mark?: number;
  /** RTA_FLOW's bits that must equal `realm`'s (0 or absent: any): a side left out of the word is not compared. */
  realm?: number;
  realmMask?: number;
  /** The gateway's (RTA_GATEWAY or RTA_VIA) and the preferred source's prefixes. */
  via?: Prefix;
  prefsrc?: Prefix;
  /** root: routes inside it; match: routes covering it; exact: both. */
  dst: { root?: Prefix; match?: Prefix };
  src: { root?: Prefix; match?: Prefix };
}

/** `{ root | match | exact } PREFIX` after `to` or `from`, as ip reads them: each sets its side, exact both (the other kept). */
function prefixWords(args: Args, first: string, family: number): { root?: Prefix; match?: Prefix } {
  if (matches(first, 'root')) return { root: prefixArg(args.next(), family) };
  if (matches(first, 'match')) return { match: prefixArg(args.next(), family) };
  const p = prefixArg(matches(first, 'exact') ? args.next() : first, family);
  return { root: p, match: p };
}

/** iproute_list_flush_or_save()'s words, for show and flush. */
function routeSelector(ctx: Context, args: Args): RouteSelector {
  const sel: RouteSelector = { table: 254, cloned: false, dst: {}, src: {} };
  const family = ctx.opts.family;
  while (!args.done) {
    const w = args.next();
    if (matches(w, 'table')) {
      const t = args.next();
      const id = named(tables.names(), t, 0xffffffff);
      if (id !== undefined) sel.table = id;
      else if (t === 'all') sel.table = 0;
      else if (t === 'cache') sel.cloned = true;
      else if (t === 'help') throw usageError(ROUTE_USAGE.trimEnd());
      else throw invarg('table id value is invalid', t);
    } else if (matches(w, 'cached') || matches(w, 'cloned')) sel.cloned = true;
    else if (w === 'tos' || matches(w, 'dsfield')) sel.tos = tosArg(args.next(), 'TOS value is invalid');
    else if (matches(w, 'protocol')) sel.protocol = protocolSelector(args.next());
    else if (matches(w, 'scope')) {
      const sc = args.next();
      sel.scope = named(scopes.names(), sc);
      if (sel.scope === undefined && sc !== 'all') throw invarg('invalid "scope"', sc);
    } else if (matches(w, 'type')) {
      const ty = args.next();
      sel.type = routeTypeArg(ty);
      if (sel.type === undefined) throw invarg('node type value is invalid', ty);
    } else if (w === 'dev' || w === 'oif') sel.dev = args.next();
    else if (w === 'iif') sel.iif = args.next();
    else if (w === 'mark') {
      const m = args.next();
      sel.mark = uint(m, 'mark', 0xffffffff, () => invarg('invalid mark value', m, false));
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const m = args.next();
      sel.metric = named({}, m, 0xffffffff);
      if (sel.metric === undefined) throw invarg('"metric" value is invalid', m);
    } else if (w === 'via') {
      let v = args.next();
      const given = VIA_FAMILIES.get(v);
      if (given !== undefined) v = args.next();
      sel.via = prefixArg(v, given ?? family);
    } else if (w === 'src') sel.prefsrc = prefixArg(args.next(), family);
    else if (matches(w, 'realms')) realmSelector(sel, args.next());
    else if (matches(w, 'from')) sel.src = { ...sel.src, ...prefixWords(args, args.next(), family) };
    else if (matches(w, 'vrf')) {
      throw new CliError(`rtnl: route selector "${w}" is not supported`);
    } else sel.dst = { ...sel.dst, ...prefixWords(args, w === 'to' ? args.next() : w, family) };
  }
  return sel;
}

/** `realms [FROM/]TO` of a selector: a side not given (`3/`, or `5` alone) matches any value. */
function realmSelector(sel: RouteSelector, v: string): void {
  const realm = realmsArg(v);
  if (realm === undefined) throw invarg('invalid realms', v);
  let mask = 0xffffffff;
  if ((realm & 0xffff) === 0 && v.endsWith('/')) mask &= ~0xffff;
  // (ip also clears it for a word starting with '/', which never reads as realms.)
  if (realm >>> 16 === 0 && !v.includes('/')) mask &= 0xffff;
  sel.realm = realm;
  sel.realmMask = mask >>> 0;
}

/** One side (destination or source) of filter_nlmsg(): the route's prefix against root and match. */
function prefixMatches(sel: { root?: Prefix; match?: Prefix }, family: number, address: string | undefined, len: number): boolean {
  // A prefix counts when it has a family or a length (`all` and `any` alone match everything).
  const root = sel.root?.family || sel.root?.lenGiven ? sel.root : undefined;
  const match = sel.match?.family || sel.match?.lenGiven ? sel.match : undefined;
  if (root && ((root.family && root.family !== family) || root.bitlen > len)) return false;
  if (match && ((match.family && match.family !== family) || match.bitlen < len)) return false;
  if (!root && !match) return true;
  const bytes = addressBytes(address);
  return (!root || sameBits(bytes, root.bytes, root.bitlen)) && (!match || sameBits(bytes, match.bytes, len));
}

/** The `iif` and `dev` of a selector, by index (in that order, as ip looks them up: `Cannot find device "x"`). */
async function devIndexes(ctx: Context, sel: RouteSelector): Promise<{ iif?: number; oif?: number }> {
  const iif = sel.iif === undefined ? undefined : await ctx.index(sel.iif);
  return { iif, oif: sel.dev === undefined ? undefined : await ctx.index(sel.dev) };
}

/** A selector's prefix against a route's address (absent: all zeros), as inet_addr_match(); true without one (or one of no family). */
const addressMatches = (p: Prefix | undefined, address: string | undefined): boolean =>
  !p?.family || sameBits(addressBytes(address), p.bytes, p.bitlen);

/** filter_nlmsg(). */
function selected(sel: RouteSelector, family: number, { iif, oif }: { iif?: number; oif?: number }, r: RouteMessage): boolean {
  const a = r.attrs;
  if (family && r.family !== family) return false;
  if (sel.cloned !== Boolean(r.flags & RTM_F_CLONED)) return false;
  if (sel.table && routeTableId(r) !== sel.table) return false;
  if ((sel.protocol !== undefined && r.protocol !== sel.protocol) || (sel.scope !== undefined && r.scope !== sel.scope)) return false;
  if ((sel.type !== undefined && r.type !== sel.type) || (sel.tos !== undefined && r.tos !== sel.tos)) return false;
  if ((oif !== undefined && a.oif !== oif) || (sel.metric !== undefined && (a.priority ?? 0) !== sel.metric)) return false;
  if ((iif !== undefined && (a.iif ?? 0) !== iif) || (sel.mark !== undefined && (a.mark ?? 0) !== sel.mark)) return false;
  if (sel.realmMask && (((a.flow ?? 0) ^ (sel.realm ?? 0)) & sel.realmMask) !== 0) return false;
  // The gateway's family is its own under RTA_VIA (an IPv4 route via IPv6), else the route's.
  if (sel.via?.family && (a.via?.family ?? r.family) !== sel.via.family) return false;
  if (sel.prefsrc?.family && r.family !== sel.prefsrc.family) return false;
  if (!addressMatches(sel.via, a.gateway ?? a.via?.address) || !addressMatches(sel.prefsrc, a.prefsrc)) return false;
  return prefixMatches(sel.dst, r.family, a.dst, r.dstLen) && prefixMatches(sel.src, r.family, a.src, r.srcLen);
}

/** filter_nlmsg() when flushing: it leaves an IPv6 unreachable default of metric 2^32-1 (shown, never flushed). */
const flushable = (r: RouteMessage): boolean =>
  !(r.family === 10 && r.dstLen === 0 && r.type === ROUTE_TYPES.unreachable && r.attrs.priority === 0xffffffff);

/** Writes -1 to /proc/sys/net/ipv4/route/flush, inside the -n namespace (the file is per namespace). */
async function flushIpv4Cache(ctx: Context): Promise<void> {
  const write = (): void => writeFileSync('/proc/sys/net/ipv4/route/flush', '-1');
  const ns = ctx.opts.netns;
  if (ns === undefined) return write();
  const { NetNS } = await import('../netns/netns.js');
  NetNS.enter(ns, write);
}

/**
 * `route flush SELECTOR`: dump, delete each route that matches through rt.route.delete, again
 * until none does (iproute_flush). `cache` flushes the IPv4 cache through /proc as ip does.
 */
async function flush(ctx: Context, args: Args): Promise<void> {
  if (args.done) throw new CliError('"ip route flush" requires arguments.');
  const sel = routeSelector(ctx, args);
  const rt = await ctx.rt(); // first: ctx.index() then uses its socket
  const devs = await devIndexes(ctx, sel);
  const family = ctx.opts.family === 0 && sel.table ? 2 : ctx.opts.family;
  if (sel.cloned && family !== 10) {
    await flushIpv4Cache(ctx);
    if (ctx.opts.stats) ctx.out.fp('*** IPv4 routing cache is flushed.\n');
    if (family === 2) return;
  }
  const [{ toRoute }, view] = await Promise.all([import('../api/route.js'), selectedView(ctx, sel)]);
  const filter = dumpFilter(ctx, sel, devs.oif);
  await flushRounds(ctx, { noun: 'entries', nothing: !sel.cloned || family === 10, failStatus: 2 }, async () => {
    const routes = await rt.route.dump(filter).catch(terminated('Flush'));
    return routes.filter((r) => selected(sel, ctx.opts.family, devs, r) && flushable(r)).map((r) => ({
      print: () => printRoute(ctx.out, r, view),
      remove: async () => {
        // The typed delete has no way to name a cloned route (an IPv6 exception) rather than its parent.
        if (r.flags & RTM_F_CLONED) throw new CliError('rtnl: deleting IPv6 cached routes is not supported');
        await rt.route.delete(toRoute(r));
      },
    }));
  });
}
