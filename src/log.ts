// Logging through `debug` (DEBUG=rtnl:*), which is loaded only once DEBUG is set: a process
// that logs nothing (the rtnl command) does not pay for loading it. debug enables nothing
// without DEBUG, and its enable() sets DEBUG, so the check loses no message.
import { createRequire } from 'node:module';
import type { Debugger } from 'debug';

const require = createRequire(import.meta.url);

export type Log = (formatter: string, ...args: unknown[]) => void;

export function logger(namespace: string): Log {
  let log: Debugger | undefined;
  return (formatter, ...args) => {
    if (!process.env.DEBUG) return;
    log ??= (require('debug') as typeof import('debug'))(namespace);
    log(formatter, ...args);
  };
}
