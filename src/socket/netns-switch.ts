// Running synchronous code with this thread switched into another network namespace.
// Anything created in there (a socket above all) stays in that namespace for good.
import { writeSync } from 'node:fs';
import { CLONE_NEWNET, O_CLOEXEC, O_RDONLY } from './constants.js';
import { lastErrno, sys } from './libc.js';
import { errorFor, strerror, type NetlinkError } from '../errors.js';

/** The calling thread's own namespace (not /proc/self, which is the main thread's). */
export const THREAD_NETNS = '/proc/thread-self/ns/net';

/** A thrown NetlinkError for the errno the last libc call left. */
export function sysError(call: string, errno = lastErrno()): NetlinkError {
  return errorFor({ errno, syscall: call, text: `${call}: ${strerror(errno)}` });
}

export function openNetnsFd(path: string): number {
  const fd = sys.open(path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) throw sysError(`open ${path}`);
  return fd;
}

/**
 * Runs `fn` with the calling thread in the namespace `fd` refers to, then switches back,
 * whatever `fn` did. Nothing asynchronous can run in between: the event loop is not entered.
 */
export function inNetns<T>(fd: number, fn: () => T): T {
  return switched(() => sys.setns(fd, CLONE_NEWNET) < 0 && sysError('setns'), fn);
}

/** The same, in a brand-new namespace (unshare): `fn` can bind-mount THREAD_NETNS to keep it. */
export function inNewNetns<T>(fn: () => T): T {
  return switched(() => sys.unshare(CLONE_NEWNET) < 0 && sysError('unshare(CLONE_NEWNET)'), fn);
}

/** `enter` moves the thread, or returns the error that kept it home. */
function switched<T>(enter: () => NetlinkError | false, fn: () => T): T {
  const home = openNetnsFd(THREAD_NETNS);
  try {
    const failed = enter();
    if (failed) throw failed;
    try {
      return fn();
    } finally {
      // Failing to come back would leave the whole thread elsewhere: nothing sane can follow.
      // Said with a synchronous write: a warning (process.emitWarning) would come after the abort.
      if (sys.setns(home, CLONE_NEWNET) < 0) {
        writeSync(2, `rtnl: could not return to the original network namespace (${sysError('setns').message}): aborting\n`);
        process.abort();
      }
    }
  } finally {
    sys.close(home);
  }
}
