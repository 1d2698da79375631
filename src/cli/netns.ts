// `rtnl netns`: ip/ipnetns.c's grammar (list, list-id, add, delete, set, exec) over NetNS and rt.nsid.
import { spawn } from 'node:child_process';
import { closeSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { NetlinkError, strerror } from '../errors.js';
import { NetNS, runDirNames } from '../netns/netns.js';
import { checkNetnsName, openNetns } from '../netns/resolve.js';
import { Args, CliError, int32, invarg, pick, usageError } from './args.js';
import type { Context } from './context.js';

export const NETNS_USAGE = `Usage: rtnl netns list
       rtnl netns add NAME
       rtnl netns attach NAME PID
       rtnl netns set NAME NETNSID
       rtnl [-all] netns delete [NAME]
       rtnl [-all] netns exec [NAME] cmd ...
       rtnl netns list-id
       rtnl netns identify [ PID ]
       rtnl netns pids NAME
       rtnl netns monitor
NETNSID := auto | POSITIVE-INT
`;

const COMMANDS = ['list', 'show', 'lst', 'list-id', 'help', 'add', 'set', 'delete', 'pids', 'identify', 'exec', 'monitor', 'attach'] as const;
const RUN_DIR = NetNS.runDir;

export async function run(ctx: Context, args: Args): Promise<number | void> {
  const word = args.done ? 'list' : args.next();
  const cmd = word === 'list-id' ? 'list-id' : pick(word, COMMANDS);
  switch (cmd) {
    case 'list': case 'show': case 'lst': return list(ctx);
    case 'list-id': return listId(ctx);
    case 'help': throw usageError(NETNS_USAGE.trimEnd());
    case 'add': return add(name(args));
    case 'attach': return attach(args);
    case 'delete': return ctx.opts.all ? forEach(del) : del(name(args));
    case 'set': return set(ctx, args);
    case 'exec': return ctx.opts.all ? execAll(args) : exec(name(args), args.rest());
    case 'pids': return pids(ctx, args);
    case 'identify': return identify(ctx, args);
    case 'monitor': return monitor(ctx);
    case undefined: throw usageError(`Command "${word}" is unknown, try "rtnl netns help".`);
  }
}

/**
 * `netns monitor`: each name made or removed under /run/netns, a line each as ip prints them
 * (`add NAME`, `delete NAME`), until SIGINT or SIGTERM. Where the kernel's queue overflowed, the
 * changes found by listing the directory again are printed, and said so on stderr.
 */
async function monitor(ctx: Context): Promise<void> {
  const w = NetNS.watch();
  const stop = (): void => w.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for await (const ev of w) {
      if (ev.type === 'synced') ctx.io?.err('rtnl: notifications were lost (inotify queue overflow); the changes above since the last such line were found by listing again\n');
      else ctx.io?.out(`${ev.type} ${ev.name}\n`);
    }
  } finally {
    w.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function name(args: Args): string {
  if (args.done) throw new CliError('No netns name specified');
  const n = args.next();
  try {
    return checkNetnsName(n);
  } catch {
    throw usageError(`Invalid netns name "${n}"`);
  }
}

async function list(ctx: Context): Promise<void> {
  ctx.out.listing = true;
  const all = runDirNames();
  const rt = await ctx.rt();
  const p = ctx.out;
  for (const n of all) {
    const id = await rt.nsid.get(n).catch(() => undefined);
    p.openObject();
    p.any('name', '%s', n);
    if (id !== undefined) p.any('id', ' (id: %s)', id);
    p.fp('\n');
    p.closeObject();
  }
}

async function listId(ctx: Context): Promise<void> {
  ctx.out.listing = true;
  const rt = await ctx.rt();
  const p = ctx.out;
  for (const e of await rt.nsid.list()) {
    p.openObject();
    p.any('nsid', 'nsid %s ', e.nsid);
    if (e.name !== undefined) p.any('name', '(iproute2 netns name: %s)', e.name);
    p.fp('\n');
    p.closeObject();
  }
}

/** ip's wording for a failed netns file operation; exit 1. */
function fileError(e: unknown, what: string, n: string): never {
  if (e instanceof NetlinkError) throw new CliError(`${what} namespace file "${RUN_DIR}/${n}": ${strerror(e.errno)}`);
  throw e;
}

async function add(n: string): Promise<void> {
  await NetNS.add(n).catch((e) => fileError(e, 'Cannot create', n));
}

async function del(n: string): Promise<void> {
  await NetNS.delete(n).catch((e) => fileError(e, 'Cannot remove', n));
}

/** -all: one namespace after the other, in /run/netns's order, as ip's netns_foreach. */
async function forEach(fn: (n: string) => Promise<unknown>): Promise<void> {
  for (const n of runDirNames()) await fn(n);
}

/** `netns attach NAME PID`: a name for the namespace of process PID (NetNS.attach). */
async function attach(args: Args): Promise<void> {
  const n = args.done ? undefined : name(args);
  if (n === undefined || args.done) throw new CliError('No netns name and PID specified');
  const p = args.next();
  const pid = /^-?\d+$/.test(p) ? Number(p) : NaN;
  if (!Number.isInteger(pid) || pid === 0 || Math.abs(pid) > 0x7fffffff) throw new CliError(`Invalid PID: ${p}`);
  await NetNS.attach(n, { pid }).catch((e: unknown) => {
    if (!(e instanceof NetlinkError)) throw e;
    // The name is taken first (EEXIST), then bound: ip says which step failed.
    if (e.errno === constants.errno.EEXIST) fileError(e, 'Cannot create', n);
    throw new CliError(`Bind /proc/${pid}/ns/net -> ${RUN_DIR}/${n} failed: ${strerror(e.errno)}`);
  });
}

async function set(ctx: Context, args: Args): Promise<void> {
  const n = name(args);
  if (args.done) throw new CliError('No nsid specified');
  const v = args.next();
  // ip's netns_set(): get_integer(), then its own check; invarg()'s words without the blank line its get_*() callers add.
  const nsid = v === 'auto' ? undefined : int32(v, 'netnsid', () => invarg('Invalid "netnsid" value', v, false));
  if (nsid !== undefined && nsid < 0) throw invarg('"netnsid" value should be >= 0', v, false);
  const rt = await ctx.rt();
  // It opens the name first, and says so when it cannot (exit 1), before asking the kernel.
  let fd: number;
  try {
    fd = openNetns(n);
  } catch (e) {
    throw cannotOpen(n, e, 1);
  }
  try {
    await rt.nsid.set(fd, nsid);
  } finally {
    closeSync(fd);
  }
}

/** ip's words for a namespace it could not open by name. */
function cannotOpen(n: string, e: unknown, status: number): unknown {
  return e instanceof NetlinkError ? new CliError(`Cannot open network namespace "${n}": ${strerror(e.errno)}`, status) : e;
}

/** `Cannot open network namespace: ...` (exit 1) for what stat() refused. */
function openError(e: unknown): never {
  if (e instanceof NetlinkError) throw new CliError(`Cannot open network namespace: ${strerror(e.errno)}`);
  throw e;
}

/** At most one argument, as ip takes them. */
function optional(args: Args): string | undefined {
  const w = args.done ? undefined : args.next();
  if (!args.done) throw new CliError('extra arguments specified');
  return w;
}

/** `netns pids NAME`: the processes in it, one a line (NetNS.pids). */
async function pids(ctx: Context, args: Args): Promise<void> {
  if (args.done) throw new CliError('No netns name specified');
  const n = name(args);
  if (!args.done) throw new CliError('extra arguments specified');
  for (const pid of await NetNS.pids(n).catch(openError)) ctx.out.fp(`${pid}\n`);
}

/** `netns identify [PID]`: the name of a process's namespace (the last of them in /run/netns's order), or an empty line. */
async function identify(ctx: Context, args: Args): Promise<void> {
  const w = optional(args);
  if (w !== undefined && !/^\d+$/.test(w)) throw new CliError(`Specified string '${w}' is not a pid`);
  // ip -n NAME has switched itself into NAME: that is the namespace it identifies.
  const names = await NetNS.identify(w !== undefined ? Number(w) : ctx.opts.netns).catch(openError);
  ctx.out.fp(`${names.at(-1) ?? ''}\n`);
}

/**
 * The one place rtnl runs a command: the user's own, inside the namespace. The thread enters
 * it (NetNS.enter), spawns the command (a child takes the namespace it is forked in), comes
 * back; the exit status is the command's.
 */
async function exec(n: string, words: string[]): Promise<number> {
  const [cmd, ...rest] = words;
  if (cmd === undefined) throw new CliError('No command specified');
  let child;
  try {
    child = NetNS.enter(n, () => spawn(cmd, rest, { stdio: 'inherit' }));
  } catch (e) {
    throw cannotOpen(n, e, 255);
  }
  return new Promise((resolve) => {
    // ip's child prints this and _exit(1)s when execvp fails.
    child.on('error', (e: NodeJS.ErrnoException) => {
      process.stderr.write(`exec of "${cmd}" failed: ${e.errno === undefined ? e.message : strerror(-e.errno)}\n`);
      resolve(1);
    });
    // ip execs the command in its own place: a signal's death shows as the shell shows it, 128 + N.
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

/** `-all netns exec CMD`: CMD in each namespace after a `netns: NAME` header, written before it runs. */
async function execAll(args: Args): Promise<void> {
  const words = args.rest();
  if (words.length === 0) throw new CliError('No command specified');
  await forEach((n) => {
    writeSync(1, `\nnetns: ${n}\n`);
    return exec(n, words);
  });
}
