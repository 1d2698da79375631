// ip's name databases (iproute2 lib/rt_names.c): the names ip builds in, then those of its files,
// /etc/iproute2/rt_tables, group, rt_protos... (/usr/share/iproute2's when /etc has none), so
// that `rtnl` takes and prints the names `ip` does on this host: `table tenants`, `group web`.
// Files are read on first use. The library's API keeps the built-in names only: what a program
// does must not hang on the host's files.
//
// Unlike ip, every lookup sees the files: ip reads them only once asked for a name it does not
// build in, so a file that renames a built-in number (4 as `mystatic`) is seen by ip only after
// such a lookup.
import { readFileSync } from 'node:fs';
import { dirEntries } from '../dir-entries.js';
import type { Names } from '../../codecs/netlink/names.js';
import { SCOPES } from '../../codecs/route/common.js';
import { PROTOCOLS, TABLES } from '../../codecs/route/route.js';

export interface NameDb {
  /** Each name with the number rtnl_*_a2n() gives it: its first entry as ip searches them. */
  names(): Names;
  /** rtnl_*_n2a(): the number's name, else the number. */
  name(id: number): string | number;
}

type Entry = readonly [id: number, name: string];

/** A name table of the codecs (name -> number) as entries. */
const entriesFrom = (names: Names): Entry[] => Object.entries(names).map(([n, id]) => [id, n]);

const ETC = '/etc/iproute2';
const USR = '/usr/share/iproute2';

/** The text of `file`, or undefined when it cannot be read (ip skips those quietly). */
function text(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}

/**
 * fread_id_name(): the entries of a file. Lines are read with fgets() into 512 bytes, so a longer
 * one is read as several; blank ones and comments are skipped; the others are `ID NAME` as
 * sscanf() reads "0x%x %s" or "%d %s" (an int: only the low 32 bits of a longer number count).
 * A line that does not read so ends the file: `corrupt` is that line, for ip's warning.
 */
export function readEntries(content: string): { entries: Entry[]; corrupt?: string } {
  const entries: Entry[] = [];
  for (const whole of content.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    for (let at = 0; at < whole.length; at += 511) {
      const p = whole.slice(at, at + 511).replace(/^[ \t]*/, '');
      if (p === '' || p[0] === '#' || p[0] === '\n') continue;
      const m = /^(?:0x([0-9a-fA-F]+)|([+-]?\d+))[\t\n\v\f\r ]*([^\t\n\v\f\r ]+)/.exec(p);
      if (!m) return { entries, corrupt: p };
      entries.push([m[1] !== undefined ? toInt(BigInt(`0x${m[1]}`), 0n, ULONG_MAX) : longToInt(BigInt(m[2])), m[3]]);
    }
  }
  return { entries };
}

/** A file's entries, with ip's warning when it is corrupt. */
function fileEntries(file: string, content: string): Entry[] {
  const { entries, corrupt } = readEntries(content);
  if (corrupt !== undefined) process.stderr.write(`Database ${file} is corrupted at ${corrupt}\n`);
  return entries;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const ULONG_MAX = 2n ** 64n - 1n;
/** What C stores in an int from strto(u)l (sscanf's %d and %x, ip's numbers): the value saturated at its range, cut to 32 bits. */
const toInt = (v: bigint, min: bigint, max: bigint): number => Number(BigInt.asIntN(32, v < min ? min : v > max ? max : v));
export const longToInt = (v: bigint): number => toInt(v, LONG_MIN, LONG_MAX);

/** The entries of database `name`: its file in /etc, else in /usr/share; then its .d folder's `*.conf`. */
function entriesOf(name: string, dotD: boolean): Entry[] {
  const out: Entry[] = [];
  for (const f of [`${ETC}/${name}`, `${USR}/${name}`]) {
    const t = text(f);
    if (t === undefined) continue;
    out.push(...fileEntries(f, t));
    break;
  }
  if (!dotD) return out;
  // rtnl_tabhash_initialize_dir(): /usr/share's files unless /etc has one of the same name, then
  // /etc's; each folder in the order the file system lists it, as ip reads it.
  const confs = (dir: string): string[] => {
    try {
      return dirEntries(dir).filter((f) => f[0] !== '.' && f.endsWith('.conf'));
    } catch {
      return [];
    }
  };
  const etc = confs(`${ETC}/${name}.d`);
  const files = [...confs(`${USR}/${name}.d`).filter((f) => !etc.includes(f)).map((f) => `${USR}/${name}.d/${f}`), ...etc.map((f) => `${ETC}/${name}.d/${f}`)];
  for (const f of files) {
    const t = text(f);
    if (t !== undefined) out.push(...fileEntries(f, t));
  }
  return out;
}

/** Made on first use, once. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * A database ip keeps as a table of `size` names (256: protocols, scopes, realms, DS fields; 32:
 * protodown reasons): an entry replaces the name of its number; numbers past the table are
 * passed over. a2n takes the lowest number.
 */
function tableDb(file: string, builtIn: Entry[], dotD = false, size = 256): NameDb {
  const tab = lazy(() => {
    const t = new Map(builtIn);
    for (const [id, n] of entriesOf(file, dotD)) if (id >= 0 && id < size) t.set(id, n);
    return t;
  });
  const names = lazy(() => {
    const out: Record<string, number> = Object.create(null);
    for (const [id, n] of [...tab()].sort((a, b) => b[0] - a[0])) out[n] = id;
    return out;
  });
  return { names, name: (id) => tab().get(id) ?? id };
}

/**
 * A database ip keeps in a hash of 256 chains by the number's low byte, each newest first (route
 * tables, link groups): numbers may be large, and a number given twice keeps both names. n2a
 * gives the newest; a2n searches the chains in order of their byte.
 */
function hashDb(file: string, builtIn: Entry[], dotD = false): NameDb {
  const newestFirst = lazy(() => [...builtIn, ...entriesOf(file, dotD).filter(([id]) => id >= 0)].reverse());
  const names = lazy(() => {
    const out: Record<string, number> = Object.create(null);
    for (const [id, n] of [...newestFirst()].sort((a, b) => (a[0] & 255) - (b[0] & 255))) if (!Object.hasOwn(out, n)) out[n] = id;
    return out;
  });
  return { names, name: (id) => newestFirst().find(([i]) => i === id)?.[1] ?? id };
}

// ip 6.1's own names: the codecs' PROTOCOLS less mrouted (17) and openr (99), which ip does not
// build in; its DS fields only "0" (AF11 and the rest come from its rt_dsfield file).
const IP_PROTOCOLS = entriesFrom(PROTOCOLS).filter(([id]) => id !== 17 && id !== 99);
export const protocols = tableDb('rt_protos', IP_PROTOCOLS, true);
export const scopes = tableDb('rt_scopes', entriesFrom(SCOPES));
export const realms = tableDb('rt_realms', [[0, 'unknown']]);
export const dsfields = tableDb('rt_dsfield', [[0, '0']]);
export const tables = hashDb('rt_tables', entriesFrom(TABLES), true);
export const groups = hashDb('group', [[0, 'default']]);
/** The 32 protodown reason bits: no names built in, those of protodown_reasons.d's `*.conf` files. */
export const protodownReasons = tableDb('protodown_reasons', [], true, 32);

/**
 * The IP protocols of /etc/protocols, as getprotobynumber() and getprotobyname() read them
 * (ip's inet_proto_n2a() and inet_proto_a2n()): `NAME NUMBER ALIASES... # comment`.
 */
export const ipProtocols = (() => {
  const entries = lazy(() => (text('/etc/protocols') ?? '').split('\n').flatMap((line) => {
    const [name, number, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    const n = /^\d+$/.test(number ?? '') ? Number(number) : NaN;
    return name && Number.isInteger(n) ? [{ names: [name, ...aliases], n }] : [];
  }));
  return {
    /** The protocol's name, undefined when the file has none. */
    name: (n: number): string | undefined => entries().find((e) => e.n === n)?.names[0],
    /** The number of a name or alias. */
    number: (s: string): number | undefined => entries().find((e) => e.names.includes(s))?.n,
  };
})();
