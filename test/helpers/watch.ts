// Monitors run as processes (ip monitor, rtnl monitor): their output as it comes, and a wait
// until each has joined its groups, so that what a test changes next is seen by all of them.
import type { Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { ip, socketInodes } from './kernel.js';

export interface Watcher { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> }

export function watch(file: string, args: string[], t?: Test): Watcher {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  t?.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL'); }); // a failed test leaves no monitor running
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => { out += String(d); });
  child.stderr?.on('data', (d: Buffer) => { err += String(d); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

/**
 * Until each process has a NETLINK_ROUTE socket in `ns` that joined a group: the namespace's
 * /proc/net/netlink (rtnl's main thread stays in the namespace it started in, so its own
 * /proc/PID/net would not show the socket it opened in `ns`), its socket told by its inode among
 * the process's descriptors (a port id is the pid for the first socket only: `monitor dev`
 * opens another first).
 */
export async function joined(ns: string, ...ws: Watcher[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = ip(['netns', 'exec', ns, 'cat', '/proc/net/netlink']).split('\n').slice(1).map((r) => r.trim().split(/\s+/));
    if (ws.every((w) => rows.some((f) => f[1] === '0' && f[3] !== '00000000' && socketInodes(w.child.pid ?? 0).includes(f[f.length - 1])))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`processes ${ws.map((w) => w.child.pid).join(', ')} never joined a group in ${ns}`);
}

