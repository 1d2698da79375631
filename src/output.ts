// What the package's commands (rtnl, rtnl-cni-macvlan) print, written straight to the descriptor.
// process.stdout and process.stderr load Node's streams (and, for a terminal or a pipe, its
// sockets) the first time they are touched: some 4 ms of every start (docs/performance.md).
import { writeSync } from 'node:fs';

/** The shell's status for a program killed by SIGPIPE, as `ip` is when its reader goes away. */
const SIGPIPE_STATUS = 128 + 13;

/**
 * A writer to descriptor 1 or 2. A reader gone (EPIPE) ends the process at once, quietly, as
 * SIGPIPE ends `ip` (Node ignores the signal). A descriptor in non-blocking mode that is full
 * (EAGAIN) hands this and all later output to Node's stream, which waits for room in order.
 */
export function fdWriter(fd: 1 | 2): (s: string | Uint8Array) => void {
  let stream: NodeJS.WriteStream | undefined;
  return (s) => {
    if (stream) {
      stream.write(s);
      return;
    }
    let left = Buffer.from(s);
    try {
      while (left.length > 0) left = left.subarray(writeSync(fd, left));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(SIGPIPE_STATUS);
      if (code !== 'EAGAIN') throw e;
      stream = fd === 1 ? process.stdout : process.stderr;
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        process.exit(SIGPIPE_STATUS);
      });
      stream.write(left);
    }
  };
}
