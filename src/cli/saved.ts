// What `route` and `address` share for `save`, `restore` and `showdump`: the saved dump on
// stdout or stdin as ip takes them (never a terminal), and ip's words and status for bytes that
// are not a saved dump.
import { readFileSync } from 'node:fs';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { SavedDumpError, readSaved } from '../../codecs/netlink/saved.js';
import { NetlinkError } from '../errors.js';
import { sys } from '../socket/libc.js';
import { CliError } from './args.js';

/** The statuses ip exits with (route: its do_cmd() negates -1 and -2; address: exit(-1)). */
export interface SavedStatus {
  /** A terminal, or not a saved dump of this object (another magic number). */
  notDump: number;
  /** A message cut short, or malformed. */
  broken: number;
}

/** Refuses a terminal on stdout, which ip checks before anything else. */
export function checkOutput(status: number): void {
  if (sys.isatty(1) === 1) throw new CliError('Not sending a binary stream to stdout', status);
}

/** The saved dump on stdin, all of it: never a terminal. */
export function readInput(what: 'route' | 'address', status: SavedStatus): Uint8Array {
  if (sys.isatty(0) === 1) throw new CliError(`Can't restore ${what} dump from a terminal`, status.notDump);
  return readFileSync(0);
}

/** Reads a whole saved dump, for ip's words about one that does not read before anything is sent. */
export function checkSaved(bytes: Uint8Array, magic: number, status: SavedStatus): void {
  for (const _ of savedMessages(bytes, magic, status)) continue;
}

/** The messages of a saved dump; what is not one ends it in ip's words (rtnl_from_file()'s). */
export function* savedMessages(bytes: Uint8Array, magic: number, status: SavedStatus): Generator<NlMessage, void, undefined> {
  try {
    yield* readSaved(bytes, magic);
  } catch (e) {
    throw e instanceof SavedDumpError ? brokenFile(e, bytes.length, status) : e;
  }
}

function brokenFile(e: SavedDumpError, size: number, status: SavedStatus): CliError {
  if (e.reason === 'magic') return new CliError(`Magic mismatch (${size >= 4 ? 1 : 0} elems, ${e.value.toString(16)} magic)`, status.notDump);
  // ip says where its file pointer was: after the header it read.
  if (e.reason === 'malformed') return new CliError(`!!!malformed message: len=${e.value} @${(e.offset ?? 0) + 16}`, status.broken);
  return new CliError('rtnl-from_file: truncated message', status.broken);
}

/**
 * A restore's failure as the command ends it: a file the library refused (an entry that is not
 * one to restore, or does not decode) in rtnl's words, with the status of a file that is not a
 * saved dump; the kernel's refusals in ip's words, with `kernelStatus` when ip's is not 2.
 */
export function refusedFile(status: SavedStatus, kernelStatus?: number): (e: unknown) => never {
  return (e) => {
    if (!(e instanceof NetlinkError)) throw e;
    if (e.request === undefined) throw new CliError(`rtnl: ${e.message}`, status.notDump);
    throw kernelStatus === undefined ? e : new CliError(e.text, kernelStatus);
  };
}
