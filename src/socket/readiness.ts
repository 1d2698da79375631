// When a socket has something to read: from the event loop, without ever blocking it.
//
// The main thread uses koffi's uv_poll handle: the event loop itself tells, at no cost while
// idle, and the handle is unreferenced while nobody waits so that it never keeps the process
// alive. A worker thread cannot: when a worker is terminated (or the process exits under it)
// Node tears its loop down without running any JS, and koffi's handle, which Node knows
// nothing of, is then still open: the process crashes (SIGSEGV, or SIGABRT with a datagram
// waiting). Worker threads therefore ask poll(2) in the thread pool, for every watched socket
// of the thread at once, 50 ms at a time: Node waits for thread-pool work before it tears a
// worker down, so there is never a native handle left to crash on. Asked only while someone
// waits for an answer (or a socket with multicast groups is open): an idle worker can exit.
import { isMainThread } from 'node:worker_threads';
import { koffi, sys } from './libc.js';

/** A socket's readiness: `onReadable` is called (never with an exception escaping) when it has data. */
export interface Readiness {
  /** Keep the thread alive and watching: someone waits for an answer. */
  ref(): void;
  /** Watching need not keep the thread alive. */
  unref(): void;
  /** Watched even when unreferenced (see watch()). */
  always(on: boolean): void;
  /** Not watched at all while paused (nobody reads: a level-triggered watcher would spin). */
  pause(on: boolean): void;
  /** The socket now has descriptor `fd` (a worker's, taken over by a FileHandle: fd-keeper.ts); the rest stays as it was. */
  moveTo?(fd: number): void;
  close(): void;
}

/**
 * `always`: watched even when unreferenced (a socket in multicast groups). In the main thread
 * that costs nothing; in a worker it keeps the worker alive until the socket is closed.
 * `inPool`: poll(2) in the thread pool, as worker threads must (tests ask it in the main thread).
 */
export function watch(fd: number, onReadable: () => void, always: boolean, inPool = !isMainThread): Readiness {
  return inPool ? threadPoll(fd, onReadable, always) : uvPoll(fd, onReadable);
}

/**
 * Handles still open when the main thread exits: a datagram waiting would run the callback
 * during Node's teardown, when JS can no longer be called, and koffi would abort the process.
 */
const open = new Set<() => void>();
let exitHookSet = false;

function uvPoll(fd: number, onReadable: () => void): Readiness {
  let handle: ReturnType<typeof koffi.node.poll> | null = koffi.node.poll(fd, { readable: true }, onReadable);
  handle.unref();
  const pause = (on: boolean): void => {
    if (on) handle?.stop();
    else handle?.start({ readable: true }, onReadable);
  };
  const close = (): void => {
    handle?.close();
    handle = null;
    open.delete(close);
  };
  open.add(close);
  if (!exitHookSet) {
    exitHookSet = true;
    process.once('exit', () => { for (const c of [...open]) c(); });
  }
  return { ref: () => handle?.ref(), unref: () => handle?.unref(), always: () => undefined, pause, close };
}

interface Watched { onReadable: () => void; referenced: boolean; always: boolean; paused: boolean }
const watched = new Map<number, Watched>();
let polling = false;
const POLL_MS = 50;
const POLLIN = 1;

function threadPoll(fd: number, onReadable: () => void, always: boolean): Readiness {
  const w: Watched = { onReadable, referenced: false, always, paused: false };
  let at = fd;
  watched.set(at, w);
  pollSoon();
  return {
    ref: () => { w.referenced = true; pollSoon(); },
    unref: () => { w.referenced = false; },
    always: (on) => { w.always = on; pollSoon(); },
    pause: (on) => { w.paused = on; pollSoon(); },
    // A poll still out on the old number finds `w` no longer there: it tells nothing.
    moveTo: (to) => { watched.delete(at); watched.set(at = to, w); pollSoon(); },
    close: () => { watched.delete(at); },
  };
}

/** Someone waits on it, and it is not paused. */
const isWanted = (w: Watched): boolean => !w.paused && (w.referenced || w.always);

/** The sockets someone waits on. */
function wanted(): Array<[number, Watched]> {
  return [...watched].filter(([, w]) => isWanted(w));
}

/** One poll(2) in the thread pool over every wanted socket; again while any is wanted. */
function pollSoon(): void {
  if (polling) return;
  const polled = wanted();
  if (polled.length === 0) return;
  polling = true;
  const set = new Uint8Array(8 * polled.length);
  const dv = new DataView(set.buffer);
  polled.forEach(([fd], i) => { dv.setInt32(i * 8, fd, true); dv.setInt16(i * 8 + 4, POLLIN, true); });
  sys.poll.async(set, polled.length, POLL_MS, () => {
    polling = false;
    // revents stays 0 where poll found nothing, timed out or failed: only whether it is 0 counts.
    // Told only if still watched and wanted: paused, let go of or closed while the poll was out
    // (its fd number perhaps another socket's by now, which this poll says nothing of), it is not.
    polled.forEach(([fd, w], i) => {
      if (dv.getInt16(i * 8 + 6) !== 0 && watched.get(fd) === w && isWanted(w)) w.onReadable();
    });
    pollSoon();
  });
}
