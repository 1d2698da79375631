// iproute2's argument grammar: words matched by prefix (`matches()` in lib/utils.c: "l"
// is "link", "a" is "address"), read one by one, with its error messages and exit codes.
import type { Names } from '../../codecs/netlink/names.js';
import { dsfields, groups, ipProtocols, longToInt, protocols } from './name-db.js';

/** iproute2's matches(): `word` is a non-empty prefix of `keyword`. */
export function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

/**
 * strtoull(s, base) as iproute2's get_u64 and kin use it: leading blanks and a sign, then
 * decimal, 0x hex or 0 octal (base 0) or decimal alone (base 10), nothing after the digits (`09`
 * is refused in base 0: strtoull stops at the 9); undefined for anything else. A minus negates
 * modulo 2^64 as strtoull does (`-0` is 0, `-1` 2^64-1, which a 32-bit bound refuses); a value
 * past 2^64 (ERANGE) is given as it is, for the caller's bound to refuse.
 */
export function cInteger(s: string, base: 0 | 10 = 0): bigint | undefined {
  const [, sign, d] = /^[\t\n\v\f\r ]*([+-]?)(.*)$/s.exec(s) as RegExpExecArray;
  const n = base === 10 ? (/^\d+$/.test(d) ? BigInt(d) : undefined)
    : /^(0x[0-9a-f]+|[1-9]\d*)$/i.test(d) ? BigInt(d) : /^0[0-7]*$/.test(d) ? BigInt(`0o${d}`) : undefined;
  return sign === '-' && n !== undefined && n < 1n << 64n ? BigInt.asUintN(64, -n) : n;
}

/**
 * C's atoi(): blanks, a sign, the decimal digits up to the first other character (none: 0), as
 * glibc's (int)strtol() gives them: clamped to a 64-bit long, then its low 32 bits, signed.
 */
export function atoi(s: string): number {
  const [, sign, d] = /^[\t\n\v\f\r ]*([+-]?)(\d*)/.exec(s) as RegExpExecArray;
  const long = BigInt(d || '0') * (sign === '-' ? -1n : 1n);
  const clamped = long > (1n << 63n) - 1n ? (1n << 63n) - 1n : long < -(1n << 63n) ? -(1n << 63n) : long;
  return Number(BigInt.asIntN(32, clamped));
}

/** cInteger() as a number (NaN for no number): iproute2's get_unsigned and kin. */
export function cNumber(s: string): number {
  const n = cInteger(s);
  return n === undefined ? NaN : Number(n);
}

/** inet_proto_a2n(): a number from 0 to 255 (get_u8(), decimal), else /etc/protocols' name or alias. */
export function ipProtoArg(s: string): number {
  const n = cInteger(s, 10);
  const proto = n !== undefined && n <= 255n ? Number(n) : ipProtocols.number(s);
  return proto ?? fail(invarg('Invalid "ipproto" value', s));
}

/** rtnl_*_a2n(): a name from the table, else a number up to `max`. */
export function named(names: Names, s: string, max = 255): number | undefined {
  if (Object.hasOwn(names, s)) return names[s];
  const n = cNumber(s);
  return n <= max ? n : undefined;
}

/** A `protocol` selector of route and neigh show|flush: rtnl_rtprot_a2n(), or `all` (undefined: any); else ip's refusal. */
export function protocolSelector(s: string): number | undefined {
  const n = named(protocols.names(), s);
  if (n === undefined && s !== 'all') throw invarg('invalid "protocol"', s);
  return n;
}

/** rtnl_rtprot_a2n(): a routing protocol's name or number (route and neighbour commands); else ip's refusal. */
export function protocolArg(s: string): number {
  const n = named(protocols.names(), s, 255);
  if (n === undefined) throw invarg('"protocol" value is invalid', s);
  return n;
}

/**
 * rtnl_group_a2n(): a name of ip's group database (`default`, /etc/iproute2/group's), or a number.
 * ip reads the number with strtol() (saturating at LONG_MAX) into an int, which must not be
 * negative: past 32 bits only the low ones count (4294967297 is group 1, 2147483648 is refused).
 */
export function linkGroup(s: string, what = 'group'): number {
  const names = groups.names();
  if (Object.hasOwn(names, s)) return names[s];
  const n = cInteger(s);
  const group = n === undefined ? -1 : longToInt(n);
  if (group < 0) throw invarg(`Invalid "${what}" value`, s);
  return group;
}

/** rtnl_dsfield_a2n(): a name of rt_dsfield (`AF11`, exact), else hexadecimal (strtoul base 16), with or without 0x, up to 0xff; else undefined. */
export function dsfield(s: string): number | undefined {
  const names = dsfields.names();
  if (Object.hasOwn(names, s)) return names[s];
  const n = /^(0x)?[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : NaN;
  return n <= 0xff ? n : undefined;
}

/** ip's check_altifname(): what neither a name nor an alternative name may be. */
export const badAltName = (name: string): boolean => name === '' || /[/\s]/.test(name);
/** ip's check_ifname(): a name's own checks, and fewer than IFNAMSIZ (16) bytes. */
export const badName = (name: string): boolean => Buffer.byteLength(name) >= 16 || badAltName(name);

/** A word as ip compares it with a keyword: whole (strcmp) when `exact`, else by prefix (matches()). */
export function ipWord(word: string, keyword: string, exact: boolean): boolean {
  return exact ? word === keyword : matches(word, keyword);
}

/** ip's words rtnl does not take, `[keyword, exact]` each: whether `word` is one of them. */
export function notTaken(word: string, words: ReadonlyArray<readonly [string, boolean]>): boolean {
  return words.some(([k, exact]) => ipWord(word, k, exact));
}

/** The first keyword `word` abbreviates, in the order iproute2 tries them. */
export function pick<K extends string>(word: string, keywords: readonly K[]): K | undefined {
  return keywords.find((k) => matches(word, k));
}

/**
 * A failure that ends the command with a message on stderr and an exit code, as ip exits:
 * 255 for usage errors (unknown command, missing or malformed argument), 1 for missing
 * devices and incomplete commands, 2 for what the kernel refused.
 */
export class CliError extends Error {
  /**
   * `exits`: ip ends the whole program there (exit()), so a batch stops even with -force; ip
   * does so for usage errors, and for a few others such as a malformed prefix.
   */
  constructor(message: string, readonly exitCode = 1, readonly exits = exitCode === 255) {
    super(message);
  }
}

export const usageError = (message: string): CliError => new CliError(message, 255);

/**
 * parse_on_off(): `off` or `on`, each taken by a prefix (`o` is off, tried first); else ip's
 * words, and its status: the command returns EINVAL (22) rather than exiting.
 */
export function parseOnOff(word: string, key: string): boolean {
  if (matches(word, 'off')) return false;
  if (matches(word, 'on')) return true;
  throw new CliError(`Error: argument of "${key}" must be one of "off", "on", not "${word}"`, 22, false);
}

/** Throws `e`: a refusal where an expression is expected (`x ?? fail(...)`). */
export function fail(e: CliError): never {
  throw e;
}

/**
 * `Error: argument "x" is wrong: why` (invarg()). Most of ip's messages end in a newline of
 * their own, printed as a blank line; `blank: false` for those that do not.
 */
export function invarg(what: string, arg: string, blank = true): CliError {
  return usageError(`Error: argument "${arg}" is wrong: ${what}${blank ? '\n' : ''}`);
}

/** `Error: either "dev" is duplicate, or "x" is a garbage.` (duparg2()). */
export function duparg2(key: string, arg: string): CliError {
  return usageError(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.`);
}

/** `Error: duplicate "group": "4" is the second value.` (duparg()). */
export function duparg(key: string, arg: string): CliError {
  return usageError(`Error: duplicate "${key}": "${arg}" is the second value.`);
}

/** The words of a command, read in order. */
export class Args {
  private i = 0;
  constructor(private readonly words: readonly string[]) {}

  get done(): boolean {
    return this.i >= this.words.length;
  }

  /** How many words are left. */
  get left(): number {
    return this.words.length - this.i;
  }

  peek(): string | undefined {
    return this.words[this.i];
  }

  /** The next word; none left is `Command line is not complete. Try option "help"` (NEXT_ARG()). */
  next(): string {
    const w = this.words[this.i++];
    if (w === undefined) throw usageError('Command line is not complete. Try option "help"');
    return w;
  }

  /** The words not read yet, left unread. */
  ahead(): readonly string[] {
    return this.words.slice(this.i);
  }

  /** The rest, unread (for netns exec). */
  rest(): string[] {
    const r = this.words.slice(this.i);
    this.i = this.words.length;
    return r;
  }
}

/** An unsigned integer argument, as get_unsigned() takes it (decimal, 0x hex, 0 octal). */
export function uint(s: string, what: string, max = 0xffffffff, refusal = (): CliError => invarg(`Invalid "${what}" value`, s)): number {
  const n = cNumber(s);
  if (!Number.isInteger(n) || n > max) throw refusal();
  return n;
}

/** A signed 32-bit argument (get_s32(), get_integer(): strtol with base 0). */
export function int32(s: string, what: string, refusal = (): CliError => invarg(`Invalid "${what}" value`, s)): number {
  // strtol: blanks, a sign, then the digits as strtoul reads them (no second sign or blank)
  const minus = /^[\t\n\v\f\r ]*-(\d.*)$/s.exec(s);
  const n = minus ? 0 - cNumber(minus[1]) : cNumber(s); // 0 -: `-0` is 0, not -0
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw refusal();
  return n;
}
