// Monitors run as processes (ip monitor, rtnl monitor): their output as it comes, and a wait
// until each has joined its groups, so that what a test changes next is seen by all of them.
import type { Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ip, socketInodes, uniqueName } from './kernel.js';

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
 * opens another first). Then until each is done starting: asleep, with no dump running and
 * nothing unread on its sockets, three looks in a row. ip dumps its links on the socket it
 * listens on once it has joined (ll_init_map()), and drops what is told meanwhile.
 */
export async function joined(ns: string, ...ws: Watcher[]): Promise<void> {
  let settled = 0;
  for (let i = 0; i < 400 && settled < 3; i++) {
    const rows = ip(['netns', 'exec', ns, 'cat', '/proc/net/netlink']).split('\n').slice(1).map((r) => r.trim().split(/\s+/));
    const sockets = ws.map((w) => { const mine = socketInodes(w.child.pid ?? 0); return rows.filter((f) => mine.includes(f[f.length - 1])); });
    const inGroup = sockets.every((own) => own.some((f) => f[1] === '0' && f[3] !== '00000000'));
    // Rmem (f[4]) and Dump (f[6]): nothing to read, no dump under way.
    const idle = ws.every((w, i) => asleep(w.child.pid ?? 0) && sockets[i].every((f) => f[4] === '0' && f[6] === '0'));
    settled = inGroup && idle ? settled + 1 : 0;
    if (!inGroup && i >= 200) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  if (settled < 3) throw new Error(`processes ${ws.map((w) => w.child.pid).join(', ')} never joined a group in ${ns} and settled`);
}

/** Whether a process's main thread is asleep (waiting for input), from /proc/PID/stat. */
function asleep(pid: number): boolean {
  try {
    return /^\d+ \(.*\) S /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false; // ended
  }
}


/**
 * A recording of `ns`'s notifications by iproute2's rtmon (`rtmon file F`: its time stamps, the
 * links it dumps as it starts, then every change in the groups of the first 32) while `changes`
 * run; the file's path, removed when the test ends. Done once the file has stopped growing.
 */
export async function rtmonRecording(t: Test, ns: string, changes: () => void | Promise<void>): Promise<string> {
  const file = join(tmpdir(), `${uniqueName('rtmon')}.bin`);
  t.teardown(() => rmSync(file, { force: true }));
  const rtmon = watch('ip', ['netns', 'exec', ns, 'rtmon', 'file', file], t);
  await joined(ns, rtmon);
  await changes();
  for (let size = -1, i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = statSync(file).size;
    if (now === size) break;
    size = now;
  }
  rtmon.child.kill('SIGTERM');
  await rtmon.exited;
  return file;
}
