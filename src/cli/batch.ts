// `rtnl [-force] -batch FILE`: ip.c's batch() over lib/utils.c's do_batch(), getcmdline() and
// makeargs(): one command a line, run with the options of the command line over one socket.
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { strerror } from '../errors.js';
import { CliError } from './args.js';
import { Connection, type Io, type Options } from './context.js';

/** lib/utils.h MAX_ARGS: a line has fewer words than this. */
const MAX_ARGS = 512;

/** makeargs(): words split at blanks; a word that starts with a quote runs to the same quote. */
export function makeargs(line: string): string[] {
  const words: string[] = [];
  const ws = /[ \t\r\n]/;
  let i = 0;
  while (i < line.length) {
    while (i < line.length && ws.test(line[i])) i++;
    if (i === line.length) break;
    if (words.length >= MAX_ARGS - 1) throw new CliError('Too many arguments to command', 1, true);
    const quote = line[i];
    if (quote === '"' || quote === "'") {
      const end = line.indexOf(quote, i + 1);
      if (end < 0) throw new CliError('Unterminated quoted string', 1, true);
      words.push(line.slice(i + 1, end));
      i = end + 1; // the closing quote ends the word, whatever follows it
    } else {
      let end = i;
      while (end < line.length && !ws.test(line[end])) end++;
      words.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return words;
}

/** A command line of the file and the number of the last physical line it took. */
export interface CommandLine { line: string; lineno: number }

/**
 * getcmdline(): lines with `#` and what follows cut off, a line ending in a backslash joined
 * with the next one. A text line stops at a NUL byte, as C strings do.
 */
export async function* cmdlines(input: AsyncIterable<string>, err: (s: string) => void): AsyncGenerator<CommandLine> {
  let lineno = 0;
  let pending: string | undefined;
  for await (let raw of rawLines(input)) {
    lineno++;
    raw = cut(cut(raw, '\0'), '#');
    const line = pending === undefined ? raw : pending + raw;
    if (line.endsWith('\\\n')) {
      pending = line.slice(0, -2);
      continue;
    }
    pending = undefined;
    yield { line, lineno };
  }
  if (pending !== undefined) err('Missing continuation line\n');
}

const cut = (s: string, c: string): string => {
  const i = s.indexOf(c);
  return i < 0 ? s : s.slice(0, i);
};

/** The lines of a stream, each with its newline (the last one may have none). */
async function* rawLines(input: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of input) {
    rest += chunk;
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, nl + 1);
      rest = rest.slice(nl + 1);
    }
  }
  if (rest) yield rest;
}

/** The file, or stdin for `-`; ip's message when it cannot be opened. */
async function input(name: string): Promise<Readable> {
  if (name === '-') return process.stdin.setEncoding('utf8');
  try {
    return (await open(name, 'r')).createReadStream({ encoding: 'utf8' });
  } catch (e) {
    const errno = -((e as NodeJS.ErrnoException).errno ?? 0);
    throw new CliError(`Cannot open file "${name}" for reading: ${strerror(errno)}`, 1, true);
  }
}

/**
 * Runs each line as ip's do_batch() does: a failed line is `Command failed FILE:LINE` and ends
 * the batch unless -force, and the status is 1; what ip ends the whole program for (usage
 * errors, a malformed line) ends the batch with that failure's own status, even with -force.
 */
export interface LineRunner {
  /** Runs one line's words over the batch's connection; resolves with its exit status. */
  execute(words: string[], opts: Options, io: Io, conn: Connection): Promise<number>;
  /** Prints a line's failure as the command would; resolves with its exit status. */
  failed(e: unknown, io: Io): Promise<number>;
}

/** `runner`: main.ts's way to run a command line (handed in: main.ts loads this file). */
export async function runBatch(name: string, force: boolean, opts: Options, io: Io, runner: LineRunner): Promise<number> {
  const { execute, failed } = runner;
  const conn = new Connection(opts, false);
  try {
    // ip opens its socket (in -n's namespace) before it reads a line; the full API's socket, so
    // that the commands that change something and those that only list share it.
    await conn.rt();
    let status = 0;
    for await (const { line, lineno } of cmdlines(await input(name), io.err)) {
      const words = makeargs(line);
      if (words.length === 0) continue;
      let code: number;
      try {
        code = await execute(words, opts, io, conn);
      } catch (e) {
        code = await failed(e, io);
        if (e instanceof CliError && e.exits) return code;
      }
      if (code !== 0) {
        io.err(`Command failed ${name}:${lineno}\n`);
        status = 1;
        if (!force) break;
      }
    }
    return status;
  } finally {
    conn.close();
  }
}
