// The rtnl command against iproute2: the tools under comparison (ip, rtnl through main() in
// this process, the bundled program as a process), a namespace's state as ip shows it, and
// the comparison of one listing.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Test } from 'tap';
import { main } from '../../src/cli/main.js';
import { ip, uniqueName } from './kernel.js';

export const BIN = fileURLToPath(new URL('../../bin/rtnl.cjs', import.meta.url));
const execFileP = promisify(execFile);

export interface Result { status: number; stdout: string; stderr: string }

/**
 * A message with the program's name as rtnl gives it; of a usage text only the first line (they
 * differ past it: each tool's own commands). Any other message is compared whole, its blank lines too.
 */
export const usageLine = (s: string): string => (s.startsWith('Usage:') ? s.split('\n')[0] : s).replace(/\bip\b/g, 'rtnl');

/** A -batch file of these lines, removed when the test ends. */
export function batchFile(t: Test, lines: string[]): string {
  const file = join(tmpdir(), `${uniqueName('rtnl-batch')}.txt`);
  writeFileSync(file, lines.join('\n'));
  t.teardown(() => rmSync(file, { force: true }));
  return file;
}

/** Runs a program to its end, failing or not. */
async function spawnRun(file: string, args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await execFileP(file, args, { encoding: 'utf8' });
    return { status: 0, stdout, stderr };
  } catch (e) {
    const f = e as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof f.code !== 'number') throw e;
    return { status: f.code, stdout: f.stdout ?? '', stderr: f.stderr ?? '' };
  }
}

/** A tool under comparison: runs a command line, and names itself for use inside `netns exec`. */
export interface Tool { name: string; words: string[]; run(args: string[]): Promise<Result> }

export const IP: Tool = { name: 'ip', words: ['ip'], run: (args) => spawnRun('ip', args) };
/** rtnl as a process. */
export const RTNL_BIN: Tool = { name: 'rtnl (process)', words: [BIN], run: (args) => spawnRun(BIN, args) };
/** A tool run without CAP_NET_ADMIN (dropped from the bounding set: root keeps the rest), so that the kernel refuses changes with EPERM. */
export const withoutNetAdmin = (tool: Tool): Tool => {
  const words = ['setpriv', '--bounding-set', '-net_admin', ...tool.words];
  return { name: `${tool.name} without CAP_NET_ADMIN`, words, run: (args) => spawnRun(words[0], [...words.slice(1), ...args]) };
};
/** rtnl in this process: main() with the streams captured. */
export const RTNL: Tool = {
  name: 'rtnl',
  words: RTNL_BIN.words,
  async run(args) {
    let stdout = '';
    let stderr = '';
    const status = await main(args, { out: (s) => { stdout += s; }, err: (s) => { stderr += s; } });
    return { status, stdout, stderr };
  },
};

/** Runs a command that must succeed; its stdout. */
export async function ok(tool: Tool, args: string[]): Promise<string> {
  const r = await tool.run(args);
  if (r.status !== 0) throw new Error(`${tool.name} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export const ipOut = (args: string[], netns: string): Promise<string> => ok(IP, ['-n', netns, ...args]);

/** Namespaces a sequence makes with `netns add`: removed when the test ends, whoever made them. */
export function laterNetns(t: Test, prefix: string): string {
  const name = uniqueName(prefix);
  t.teardown(() => {
    try { ip(['netns', 'del', name]); } catch { /* not made, or already gone */ }
  });
  return name;
}

/**
 * Waits until no IPv6 address of `ns` is tentative (DAD over): a link-local address finishing DAD
 * adds its local route, which would otherwise appear between ip's listing and rtnl's.
 */
export async function dadDone(ns: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await ipOut(['-6', 'address', 'show', 'tentative'], ns)) === '') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${ns}: addresses still tentative after 10 s`);
}

export type Json = Record<string, unknown>;

/**
 * A namespace's state as `ip -j -d` shows it, with what differs between two equal runs
 * taken out: ifindexes (allocation order is global to the kernel), random MACs and the IPv6
 * link-local addresses made from them, bridge ids (made from a port's MAC), namespace ids (assigned on first use), and the
 * DAD-dependent flags of link-local addresses.
 */
export async function state(ns: string): Promise<Json> {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== 'object') return v;
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) {
      if (['ifindex', 'link_index', 'link_netnsid', 'address', 'permaddr', 'bridge_id', 'root_id'].includes(k)) continue;
      out[k] = strip(x);
    }
    return out;
  };
  const [addrs, links, routes, neighbours] = (await Promise.all([
    ipOut(['-j', 'addr', 'show'], ns), ipOut(['-j', '-d', 'link', 'show'], ns), ipOut(['-j', 'route', 'show'], ns), ipOut(['-j', 'neigh', 'show'], ns),
  ])).map((o) => JSON.parse(o) as unknown);
  return {
    links: strip(links),
    addrs: (addrs as Array<Json & { addr_info: Json[] }>).map((l) => ({ ifname: l.ifname, addr_info: l.addr_info.filter((a) => a.scope !== 'link') })),
    routes,
    neighbours,
  };
}

/**
 * `rtnl -j ARGS` against `ip -j ARGS` on one state. ip runs before and after: the kernel may
 * change something between two commands (DAD ends, a carrier comes up), so rtnl must equal
 * one of the two snapshots; no field is normalised.
 */
export async function sameAsIp(t: Test, ns: string, args: string[], rtnl = RTNL): Promise<void> {
  const before = await ipOut(args, ns);
  const ours = await ok(rtnl, ['-n', ns, ...args]);
  const after = await ipOut(args, ns);
  const what = `${rtnl.name} ${args.join(' ')} = ip ${args.join(' ')}`;
  if (ours === before || ours === after) t.pass(what);
  else t.equal(ours, after, what);
}

/**
 * Runs the lines in order by ip on one namespace and by `tool` on another, each made by `twin`:
 * after each, the same output, status (the usage's first line with rtnl for ip) and `state`.
 */
export async function sameLines(t: Test, lines: string[][], twin: (t: Test) => string, state: (ns: string) => string, tool: Tool = RTNL): Promise<void> {
  const [a, b] = [twin(t), twin(t)];
  for (const args of lines) {
    const theirs = await IP.run(['-n', a, ...args]);
    const ours = await tool.run(['-n', b, ...args]);
    const what = `${tool.name} ${args.join(' ')}`;
    t.same({ ...ours, stderr: usageLine(ours.stderr) }, { ...theirs, stderr: usageLine(theirs.stderr) }, what);
    t.equal(state(b), state(a), `${what}: the same state`);
  }
}

/** Lines of words, one command a line. */
export const split = (lines: string): string[][] => lines.trim().split('\n').map((l) => l.trim().split(/\s+/));

/**
 * What a command prints and the RTM_NEWLINK requests (type 0x10) it sends, each as the hex of its
 * payload (strace -o keeps the command's own stderr apart). ip's first, empty one (its probe for
 * RTM_NEWLINK) is left out.
 */
export function traced(words: string[]): { status: number | null; stdout: string; stderr: string; sent: string[] } {
  const file = join(tmpdir(), `${uniqueName('strace')}.txt`);
  try {
    const r = spawnSync('strace', ['-f', '-xx', '-o', file, '-e', 'trace=sendto,sendmsg', '-s', '4096', ...words], { encoding: 'utf8' });
    const sent = readFileSync(file, 'utf8').split('\n').filter((l) => /nlmsg_type=0x10\b/.test(l) && !/nlmsg_len=32,/.test(l))
      .map((l) => /\}, "((?:\\x[0-9a-f]{2})*)"\]/.exec(l)?.[1].replaceAll('\\x', '') ?? `unread: ${l}`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, sent };
  } finally {
    rmSync(file, { force: true });
  }
}
