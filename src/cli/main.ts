// The `rtnl` command: iproute2's `ip` grammar and output over the library. This file stays
// small and loads each object's module (and the socket) only when a command needs it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Args, CliError, atoi, cInteger, invarg, matches, pick, usageError } from './args.js';
import type { Connection, Context, Io, Options } from './context.js';

export const USAGE = `Usage: rtnl [ OPTIONS ] OBJECT { COMMAND | help }
       rtnl [ -force ] -batch filename
where  OBJECT := { address | addrlabel | link | monitor | neighbour | netconf | netns | nexthop | ntable | route | rule | stats }
       OPTIONS := { -V[ersion] | -4 | -6 | -0 | -s[tatistics] | -d[etails] | -h[uman-readable] | -iec | -f[amily] { inet | inet6 | link } |
                    -l[oops] { maximum-addr-flush-attempts } | -o[neline] | -t[imestamp] | -ts[hort] | -br[ief] | -j[son] | -p[retty] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] | -c[olor] }`;

// ip.c's table of objects, in its order: an abbreviation means the first that it starts.
const OBJECTS = [
  'address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbor', 'neighbour', 'ntable', 'ntbl', 'link', 'l2tp',
  'fou', 'ila', 'macsec', 'tunnel', 'tuntap', 'tap', 'token', 'tcpmetrics', 'tcp_metrics', 'monitor', 'xfrm',
  'mroute', 'mrule', 'netns', 'netconf', 'vrf', 'sr', 'nexthop', 'mptcp', 'ioam', 'stats', 'help',
] as const;

/** Runs a command; a number is the exit status to give (netns exec passes its command's). */
type Runner = (ctx: Context, args: Args) => Promise<number | void>;
const RUNNERS: Partial<Record<(typeof OBJECTS)[number], () => Promise<Runner>>> = {
  address: async () => (await import('./address.js')).run,
  addrlabel: async () => (await import('./addrlabel.js')).run,
  route: async () => (await import('./route.js')).run,
  rule: async () => (await import('./rule.js')).run,
  nexthop: async () => (await import('./nexthop.js')).run,
  neighbor: async () => (await import('./neighbour.js')).run,
  neighbour: async () => (await import('./neighbour.js')).run,
  link: async () => (await import('./link.js')).run,
  netns: async () => (await import('./netns.js')).run,
  monitor: async () => (await import('./monitor.js')).run,
  netconf: async () => (await import('./netconf.js')).run,
  ntable: async () => (await import('./ntable.js')).run,
  ntbl: async () => (await import('./ntable.js')).run,
  stats: async () => (await import('./stats.js')).run,
};

const FAMILIES: Record<string, number> = { inet: 2, inet6: 10, link: 17 };

/** What the command line asks: the options, the words after them, or a batch file to run with them. */
export interface CommandLine {
  opts: Options;
  rest: string[];
  /** -batch FILE (`-` is stdin). */
  batch?: string;
  /** -V: the version, and nothing else. */
  version?: true;
}

/** ip.c's option loop, in its order (`-b` is -batch, `-br` -brief): each an abbreviation of its long form. */
export function parseOptions(argv: string[]): CommandLine {
  const opts: Options = { details: false, json: false, pretty: false, family: 0, stats: 0, brief: false, oneline: false };
  const line: CommandLine = { opts, rest: [] };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    let o = argv[i];
    if (o === '--') { i++; break; }
    if (o.startsWith('--')) o = o.slice(1);
    // -r is -resolve (not taken), -rc -rcvbuf: ip tries -resolve first.
    if (matches(o, '-resolve')) throw usageError('rtnl: option "-resolve" is not supported (addresses print as numbers)');
    // A missing value: ip prints its usage (-n reads past the end: netns_switch(NULL)).
    const need = (missing = USAGE): string => {
      const v = argv[++i];
      if (v === undefined) throw usageError(missing);
      return v;
    };
    if (matches(o, '-loops')) opts.loops = atoi(need());
    else if (matches(o, '-family')) {
      const f = need();
      if (f === 'help') throw usageError(USAGE);
      if (!Object.hasOwn(FAMILIES, f)) throw invarg('invalid protocol family', f, false);
      opts.family = FAMILIES[f];
    } else if (o === '-4') opts.family = 2;
    else if (o === '-6') opts.family = 10;
    else if (o === '-0') opts.family = 17;
    else if (matches(o, '-human-readable')) opts.human = true;
    else if (matches(o, '-iec')) opts.iec = true;
    else if (matches(o, '-stats') || matches(o, '-statistics')) opts.stats++;
    else if (matches(o, '-details')) opts.details = true;
    else if (matches(o, '-oneline')) opts.oneline = true;
    else if (matches(o, '-tshort') && o.length > 2) opts.timestamp = 'short';
    else if (matches(o, '-timestamp')) opts.timestamp ??= 'long';
    else if (matches(o, '-Version')) line.version = true;
    else if (matches(o, '-force')) opts.force = true;
    else if (matches(o, '-batch')) line.batch = need();
    else if (matches(o, '-brief')) opts.brief = true;
    else if (matches(o, '-json')) opts.json = true;
    else if (matches(o, '-pretty')) opts.pretty = true;
    else if (matches(o, '-rcvbuf')) opts.rcvbuf = rcvbuf(need());
    else if (color(o, opts)) continue;
    else if (matches(o, '-help')) throw usageError(USAGE);
    else if (matches(o, '-netns')) opts.netns = need('Cannot open network namespace "(null)": No such file or directory');
    else if (matches(o, '-Numeric')) opts.numeric = true;
    else if (matches(o, '-all')) opts.all = true;
    else throw usageError(`Option "${argv[i]}" is unknown, try "rtnl -help".`);
  }
  line.rest = argv.slice(i);
  return line;
}

/** -rcvbuf's size as get_unsigned() reads it (0x and 0 prefixes; up to 2^32 - 1). */
function rcvbuf(s: string): number {
  const n = cInteger(s);
  if (n === undefined || n < 0n || n > 0xffffffffn) throw new CliError(`Invalid rcvbuf size '${s}'`, 255);
  return Number(n);
}

/** -V: as ip prints its version, from the package.json above this file (dist/src/cli, or the bundle's dist/bin). */
function printVersion(io: Io): number {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    const pkg = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string } : {};
    if (pkg.name === 'rtnl') {
      io.out(`rtnl utility, rtnl-${pkg.version}\n`);
      return 0;
    }
  }
  throw new CliError('rtnl: its package.json was not found');
}

/** matches_color(): `-c`, `-color`, `-color=always|auto|never`; auto colours a terminal only. */
function color(o: string, opts: Options): boolean {
  const [word, value = 'always'] = o.split(/=(.*)/s);
  if (!matches(word, '-color') || !['always', 'auto', 'never'].includes(value)) return false;
  opts.color = value === 'always' || (value === 'auto' && process.stdout.isTTY === true);
  return true;
}

/** Runs one command line; resolves with the exit code. Output goes to the streams given. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const { opts, rest, batch, version } = parseOptions(argv);
    if (version) return printVersion(io);
    if (batch !== undefined) return await (await import('./batch.js')).runBatch(batch, opts.force === true, opts, io, { execute, failed });
    return await execute(rest, opts, io);
  } catch (e) {
    return failed(e, io);
  }
}

export type { Io };

/**
 * Runs the words after the options over a socket of its own, or the batch's connection; prints
 * what the command printed, also before a failure, as ip would have. Failures are thrown.
 */
export async function execute(rest: string[], opts: Options, io: Io, conn?: Connection): Promise<number> {
  if (rest.length === 0) throw usageError(USAGE);
  const word = rest[0];
  const object = pick(word, OBJECTS);
  if (object === 'help') throw usageError(USAGE);
  const load = object && RUNNERS[object];
  if (!load) {
    throw object ? new CliError(`Object "${word}" is not supported by rtnl, try "rtnl help".`) : new CliError(`Object "${word}" is unknown, try "rtnl help".`);
  }
  const [run, { Context }] = await Promise.all([load(), import('./context.js')]);
  const ctx: Context = new Context(opts, conn, io);
  try {
    const status = await run(ctx, new Args(rest.slice(1)));
    io.out(ctx.out.output());
    return status ?? 0;
  } catch (e) {
    if (ctx.out.printed || ctx.out.opened) io.out(ctx.out.output(true));
    throw e;
  } finally {
    if (!conn) ctx.conn.close();
  }
}

/** The message and exit code of a failure, as ip gives them: 2 for what the kernel refused. */
export async function failed(e: unknown, { err }: Io): Promise<number> {
  if (e instanceof CliError) {
    err(`${e.message}\n`);
    return e.exitCode;
  }
  const { NetlinkError } = await import('../errors.js');
  if (e instanceof NetlinkError) {
    err(`${e.text}\n`);
    return 2;
  }
  err(`rtnl: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  return 1;
}
