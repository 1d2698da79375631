// Kernel test helpers: namespaces with unique names that are always removed, and
// iproute2 as the oracle. The whole suite already runs inside a throwaway network and
// mount namespace (test/run.sh), so nothing here can reach the host's interfaces.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';

let counter = 0;

/** Options for a kernel subtest: skipped, saying why, when not root. `t.test(name, kernel, fn)` */
export const kernel: { skip?: string } = process.getuid?.() === 0
  ? {}
  : { skip: 'kernel tests need root (CAP_NET_ADMIN and CAP_SYS_ADMIN)' };

/** A unique name: short enough for an interface or namespace name (<= 15 bytes). */
export function uniqueName(prefix: string): string {
  return `${prefix}${process.pid.toString(36)}${(counter++).toString(36)}`.slice(0, 15);
}

/** Runs iproute2 (the oracle) and returns its stdout. */
export function ip(args: string[], opts: { netns?: string; input?: string } = {}): string {
  const full = opts.netns ? ['-n', opts.netns, ...args] : args;
  return execFileSync('ip', full, { encoding: 'utf8', input: opts.input ?? '', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** `n` IPv6 /64 routes via lo in table 100 of `netns` (ip -batch): a table for big dumps. */
export function fillRouteTable(netns: string, n: number): void {
  const lines = Array.from({ length: n }, (_, i) => `route add 2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::/64 dev lo table 100`);
  ip(['-batch', '-'], { netns, input: lines.join('\n') });
}

/** `ip -j ...` parsed. */
export function ipJson<T = unknown>(args: string[], opts: { netns?: string } = {}): T {
  return JSON.parse(ip(['-j', ...args], opts) || '[]') as T;
}

/** Runs iproute2 expecting failure; returns its stderr. */
export function ipFails(args: string[], opts: { netns?: string } = {}): string {
  try {
    ip(args, opts);
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
  throw new Error(`ip ${args.join(' ')} was expected to fail`);
}

/**
 * A fresh named namespace (made by iproute2), deleted when the test ends, pass or fail; its lo
 * up unless `lo` is false (as a container's namespace is before anything is set up in it).
 */
export function scratchNetns(t: Test, prefix = 'rt', lo = true): string {
  const name = uniqueName(prefix);
  ip(['netns', 'add', name]);
  t.teardown(() => {
    try { ip(['netns', 'del', name]); } catch { /* already gone: the test deleted it */ }
  });
  if (lo) ip(['link', 'set', 'lo', 'up'], { netns: name });
  return name;
}

/**
 * No IPv6 DAD in `ns` for links made from now on: where ip's listing and rtnl's are compared, a
 * link-local address leaving `tentative` (and its local route appearing) in between would differ.
 */
export function noDad(ns: string): void {
  ip(['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
}

/**
 * A router for `ns`: a namespace of its own joined to it by a veth pair, `ra0` in `ns` and `ra1`
 * in the router (both up, ra1 with a link-local address at once), for `advertise()`.
 */
export function router(t: Test, ns: string): string {
  const r = scratchNetns(t, 'rtr');
  ip(['link', 'add', 'ra0', 'type', 'veth', 'peer', 'name', 'ra1', 'netns', r], { netns: ns });
  ip(['address', 'add', 'fe80::1/64', 'dev', 'ra1', 'nodad'], { netns: r });
  ip(['link', 'set', 'ra1', 'up'], { netns: r });
  ip(['link', 'set', 'ra0', 'up'], { netns: ns });
  // Until the kernel's linkwatch work gives a link that came up its queue (up to a second
  // later), what it sends is dropped: an advertisement could be lost.
  const queued = (): boolean => [[r, 'ra1'], [ns, 'ra0']].every(([n, l]) => !/ qdisc noop /.test(ip(['link', 'show', l], { netns: n })));
  for (let i = 0; i < 150 && !queued(); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  return r;
}

const ADVERTISE = fileURLToPath(new URL('../../../test/helpers/advertise.py', import.meta.url));

/** One router advertisement of `prefix`/64 from `router()`'s end (flags: the option's byte, 0xc0 for L and A). */
export function advertise(router: string, prefix: string, { valid = 3600, preferred = 1800, flags = 0xc0 } = {}): void {
  ip(['netns', 'exec', router, 'python3', ADVERTISE, 'ra1', prefix, '64', String(valid), String(preferred), String(flags)]);
}

/** Writes a sysctl of `ns` as `sysctl -w` would: `net.ipv4.conf.v0.forwarding`. */
export function setSysctl(ns: string, key: string, value: number): void {
  ip(['netns', 'exec', ns, 'sh', '-c', `echo ${value} > /proc/sys/${key.replaceAll('.', '/')}`]);
}

/** A veth pair inside `netns` (both ends there), to serve as a macvlan parent. */
export function vethPair(netns: string, a: string, b: string, up = true): void {
  ip(['link', 'add', a, 'type', 'veth', 'peer', 'name', b], { netns });
  if (up) {
    ip(['link', 'set', a, 'up'], { netns });
    ip(['link', 'set', b, 'up'], { netns });
  }
}

/** Number of open fds of this process. Node opens and closes some of its own at times: compare with care. */
export function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Number of this process's fds that are netlink sockets: exact, whatever Node does with its own fds. */
export function netlinkFdCount(): number {
  const netlinkInodes = new Set(
    readFileSync('/proc/self/net/netlink', 'utf8').split('\n').slice(1).map((l) => l.trim().split(/\s+/)[9]).filter(Boolean),
  );
  return socketInodes('self').filter((i) => netlinkInodes.has(i)).length;
}

/** The inodes of the sockets a process has open (none once it has ended). */
export function socketInodes(pid: number | 'self'): string[] {
  const dir = `/proc/${pid}/fd`;
  let fds: string[];
  try {
    fds = readdirSync(dir);
  } catch {
    return []; // ended
  }
  return fds.flatMap((fd) => {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`${dir}/${fd}`));
      return m ? [m[1]] : [];
    } catch {
      return []; // closed while we looked
    }
  });
}

/**
 * Once every netlink socket of this process in `ns` has nothing left to read (/proc/net/netlink's
 * Rmem), and what was read has been handled: what the kernel sent before now has reached each
 * monitor, queued or dropped.
 */
export async function drained(ns: string): Promise<void> {
  const mine = new Set(socketInodes('self'));
  for (let i = 0; i < 200; i++) {
    const rows = ip(['netns', 'exec', ns, 'cat', '/proc/net/netlink']).split('\n').slice(1).map((r) => r.trim().split(/\s+/));
    if (rows.every((f) => !mine.has(f[f.length - 1]) || f[4] === '0')) return new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`this process's netlink sockets in ${ns} were never read dry`);
}

/**
 * A change of every family a monitor watches, made by ip in `ns` (with a veth end p0 there):
 * a macvlan mv1 made and brought up, an address, a route in table 100, a neighbour, its l3_stats
 * switched on, an nsid for `other`; then, `tidy`, each removed (l3_stats off) before the link
 * goes; else the link deleted with them on it.
 */
export function everyFamilyChanges(ns: string, other: string, tidy: boolean): void {
  ip(['link', 'add', 'link', 'p0', 'name', 'mv1', 'type', 'macvlan', 'mode', 'vepa'], { netns: ns });
  ip(['link', 'set', 'mv1', 'up'], { netns: ns });
  ip(['address', 'add', '192.0.2.10/24', 'dev', 'mv1'], { netns: ns });
  ip(['route', 'add', '198.51.100.0/24', 'via', '192.0.2.1', 'table', '100'], { netns: ns });
  ip(['neigh', 'add', '192.0.2.20', 'lladdr', '02:00:00:00:00:20', 'dev', 'mv1'], { netns: ns });
  ip(['stats', 'set', 'dev', 'mv1', 'l3_stats', 'on'], { netns: ns });
  ip(['netns', 'set', other, '7'], { netns: ns });
  if (tidy) {
    ip(['stats', 'set', 'dev', 'mv1', 'l3_stats', 'off'], { netns: ns });
    ip(['neigh', 'del', '192.0.2.20', 'dev', 'mv1'], { netns: ns });
    ip(['route', 'del', '198.51.100.0/24', 'table', '100'], { netns: ns });
    ip(['address', 'del', '192.0.2.10/24', 'dev', 'mv1'], { netns: ns });
    ip(['link', 'set', 'mv1', 'down'], { netns: ns });
  }
  ip(['link', 'del', 'mv1'], { netns: ns });
}
