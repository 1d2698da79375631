// Sockets of a worker thread are closed when the worker ends, terminated or not. No JS runs at a
// worker's termination, so nothing of ours could close them then, and their descriptors belonged
// to the process: each terminated worker lost its sockets, with whatever their multicast groups
// went on queueing. Node itself closes a worker's FileHandles as it tears the worker down. So in
// a worker a socket takes over the descriptor number of a FileHandle (one of /dev/null, opened
// ahead), dup3() putting the socket where the file was, and is closed through it.
// fs.promises, not node:fs/promises: the bundled commands then load it only in a worker (start-up).
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import { O_CLOEXEC } from './constants.js';
import { sys } from './libc.js';

/**
 * FileHandles the next sockets take over, opened ahead (opening one is asynchronous): two, so
 * that a socket opened synchronously just after another (a monitor after RtNetlink.open()) still
 * finds one while the next is being opened. A socket that finds none waits for the next.
 */
const SPARES = 2;
/** How long RtNetlink.open() waits for a FileHandle at most. */
const READY_WAIT_MS = 1000;
const spares: FileHandle[] = [];
const waiting: Array<(owner: FileHandle) => void> = [];
let filling: Promise<void> | undefined;

function fill(): Promise<void> {
  filling ??= (async () => {
    try {
      while (spares.length < SPARES || waiting.length > 0) {
        const fh = await fsp.open('/dev/null');
        const adopt = waiting.shift();
        if (adopt) adopt(fh);
        else spares.push(fh);
      }
    } catch {
      // No /dev/null to open: sockets are kept as before, by their fd alone.
    } finally {
      filling = undefined;
    }
  })();
  return filling;
}

/**
 * In a worker thread: resolves once every socket opened so far has its FileHandle and one is
 * ready for the next (RtNetlink.open() waits for this). Files open in the thread pool, and their
 * opening is told in the event loop's poll phase: sockets opened synchronously in one run of
 * microtasks are taken over at the loop's next turn.
 */
export async function keeperReady(): Promise<void> {
  if (isMainThread || (spares.length > 0 && waiting.length === 0)) return;
  // Not forever: with the thread pool held by other work, the socket opens without one and moves later.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([fill(), new Promise<void>((r) => { timer = setTimeout(r, READY_WAIT_MS); })]);
  clearTimeout(timer);
}

/**
 * Finds an owner Node closes at the worker's end for a new socket: `adopt` is given a spare
 * FileHandle now, or the next one opened when none is ready (sockets opened synchronously one
 * after another). In the main thread, nothing: the process's end closes its sockets.
 */
export function ownerFor(adopt: (owner: FileHandle) => void): void {
  if (isMainThread) return;
  const owner = spares.pop();
  if (owner === undefined) waiting.push(adopt);
  void fill(); // for the next sockets
  if (owner !== undefined) adopt(owner);
}

/**
 * Puts the socket `fd` where `owner`'s file was (dup3 replaces it at once) and closes `fd`: the
 * socket is then `owner.fd`. False, `owner` released and `fd` as it was, if that fails.
 */
export function takeOver(fd: number, owner: FileHandle): boolean {
  if (sys.dup3(fd, owner.fd, O_CLOEXEC) < 0) {
    release(owner);
    return false;
  }
  sys.close(fd);
  return true;
}

/** Closes an owner (and with it its socket, once taken over). */
export function release(owner: FileHandle): void {
  void owner.close().catch(() => undefined);
}

// A worker that imports the library has spares ready by the time its first sockets open, even
// synchronously (a monitor), unless that is in the very turn the import finished.
if (!isMainThread) void fill();
