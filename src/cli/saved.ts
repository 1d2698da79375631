// What `route` and `address` share for `save`, `restore` and `showdump`: the saved dump on
// stdout or stdin as ip takes them (never a terminal), ip's words and status for bytes that
// are not a saved dump, and a restore through the library.
import { readFileSync } from 'node:fs';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { SavedDumpError, readSaved } from '../../codecs/netlink/saved.js';
import type { Restored } from '../api/restore.js';
import { NetlinkError } from '../errors.js';
import { sys } from '../socket/libc.js';
import { CliError } from './args.js';
import type { Context } from './context.js';

/** One object's saved dumps as ip reads them: its magic number and its statuses. */
export interface SavedKind {
  what: 'route' | 'address';
  magic: number;
  /** A terminal on stdin, or not a saved dump of this object (another magic number). */
  notDump: number;
  /** A message cut short, or malformed. */
  broken: number;
  /** The kernel's refusal of an entry, when ip's status is not 2 (a NetlinkError's). */
  refused?: number;
}

/** Refuses a terminal on stdout, which ip checks before anything else. */
export function checkOutput(status: number): void {
  if (sys.isatty(1) === 1) throw new CliError('Not sending a binary stream to stdout', status);
}

/** The saved dump on stdin, all of it: never a terminal. */
export function readInput(kind: SavedKind): Uint8Array {
  if (sys.isatty(0) === 1) throw new CliError(`Can't restore ${kind.what} dump from a terminal`, kind.notDump);
  return readFileSync(0);
}

/** The messages of a saved dump; what is not one ends it in ip's words (rtnl_from_file()'s). */
export function* savedMessages(bytes: Uint8Array, kind: SavedKind): Generator<NlMessage, void, undefined> {
  try {
    yield* readSaved(bytes, kind.magic);
  } catch (e) {
    throw e instanceof SavedDumpError ? brokenFile(e, bytes.length, kind) : e;
  }
}

function brokenFile(e: SavedDumpError, size: number, kind: SavedKind): CliError {
  if (e.reason === 'magic') return new CliError(`Magic mismatch (${size >= 4 ? 1 : 0} elems, ${e.value.toString(16)} magic)`, kind.notDump);
  // ip says where its file pointer was: after the header it read.
  if (e.reason === 'malformed') return new CliError(`!!!malformed message: len=${e.value} @${(e.offset ?? 0) + 16}`, kind.broken);
  return new CliError('rtnl-from_file: truncated message', kind.broken);
}

/**
 * `restore`: the saved dump on stdin through the library's restore(), each entry there already
 * said as ip says it. The library reads the whole file before it sends anything: bytes that are
 * not a saved dump get ip's words; another refusal of the file (an entry that is not one to
 * restore, or does not decode) rtnl's, with the status of a file that is not a saved dump; the
 * kernel's refusals ip's.
 */
export async function restoreFrom(ctx: Context, kind: SavedKind, restore: (bytes: Uint8Array) => Promise<Array<Restored<unknown>>>): Promise<void> {
  const bytes = readInput(kind);
  const restored = await restore(bytes).catch((e: unknown) => {
    if (!(e instanceof NetlinkError)) throw e;
    if (e.cause instanceof SavedDumpError) throw brokenFile(e.cause, bytes.length, kind);
    if (e.request === undefined) throw new CliError(`rtnl: ${e.message}`, kind.notDump);
    // Stopped by the kernel midway: what ip said of the entries before, as it went.
    sayExisting(ctx, (e.partial ?? []) as Array<Restored<unknown>>);
    throw kind.refused === undefined ? e : new CliError(e.text, kind.refused);
  });
  sayExisting(ctx, restored);
}

/** ip's line for each entry that was there already. */
function sayExisting(ctx: Context, restored: Array<Restored<unknown>>): void {
  for (const { exists } of restored) {
    if (exists) ctx.io?.err(`${exists.text}\n`);
  }
}
