// Value codecs for attribute tables: integers, strings, flags, addresses, enums, bit sets.
import { createRequire } from 'node:module';
import { attrType, get, parseAttrs } from './attrs.js';
import { DecodeError, EncodeError } from './errors.js';
import { HEX } from './json.js';
import type { Codec } from './schema.js';

const utf8 = new TextEncoder();

// ipaddr.js parses addresses only (printing is below): it is loaded on the first parse, with
// require(): Node's import of a CommonJS module first scans its source, which costs start-up time.
let ipaddrLib: typeof import('ipaddr.js') | undefined;
const ipaddr = (): typeof import('ipaddr.js') => (ipaddrLib ??= createRequire(import.meta.url)('ipaddr.js') as typeof import('ipaddr.js'));

/**
 * Integers are checked before they are written: a value of the wrong type or range (a string,
 * -5 for a u32, 1.5) is an EncodeError, not a silent wrap-around on the wire.
 */
function checked(lo: number, hi: number): (v: unknown) => number {
  return (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      throw new EncodeError(`${typeof v === 'string' ? `"${v}"` : String(v)} is not an integer from ${lo} to ${hi}`);
    }
    return v;
  };
}
const U8 = checked(0, 0xff);
const U16 = checked(0, 0xffff);
const U32 = checked(0, 0xffffffff);
const S32 = checked(-0x80000000, 0x7fffffff);

export const u8: Codec<number> = { decode: get.u8, encode: (w, v) => w.u8(U8(v)) };
export const u16: Codec<number> = { decode: get.u16, encode: (w, v) => w.u16(U16(v)) };
export const u32: Codec<number> = { decode: get.u32, encode: (w, v) => w.u32(U32(v)) };
export const s32: Codec<number> = { decode: get.s32, encode: (w, v) => w.s32(S32(v)) };
export const u64: Codec<bigint> = {
  decode: get.u64,
  encode: (w, v) => {
    if (typeof v !== 'bigint' || v < 0n || v >= 1n << 64n) throw new EncodeError(`${String(v)} is not a 64-bit unsigned bigint`);
    w.u64(v);
  },
};
export const u16be: Codec<number> = { decode: get.u16be, encode: (w, v) => w.u16be(U16(v)) };
export const u32be: Codec<number> = { decode: get.u32be, encode: (w, v) => w.u32be(U32(v)) };
export const bytes: Codec<Uint8Array> = {
  decode: get.bytes,
  encode: (w, v) => {
    if (!(v instanceof Uint8Array)) throw new EncodeError(`${typeof v} given where bytes (a Uint8Array) are expected`);
    w.bytes(v);
  },
};

/** A NUL-terminated string; one that came without its NUL (iproute2 sends some) goes back without it. */
export const string: Codec<string> = {
  decode: get.string,
  encode: (w, v, was) => {
    if (typeof v !== 'string') throw new EncodeError(`${String(v)} (${typeof v}) is not a string`);
    const b = utf8.encode(v);
    w.bytes(b);
    if (was === undefined || was > b.length) w.zeros((was ?? b.length + 1) - b.length);
  },
};

/** A zero-length attribute whose presence is the value. */
export const flag: Codec<true> = {
  decode: (v) => {
    if (v.length !== 0) throw new DecodeError(`flag attribute carries ${v.length} bytes`);
    return true;
  },
  encode: () => undefined,
};

/** A u8 that is 0 or 1. Other values survive as numbers. */
export const bool8: Codec<boolean | number> = {
  decode: (v) => {
    const n = get.u8(v);
    return n === 0 ? false : n === 1 ? true : n;
  },
  encode: (w, v) => {
    if (typeof v !== 'boolean' && typeof v !== 'number') throw new EncodeError(`${JSON.stringify(v)} is not true or false`);
    w.u8(typeof v === 'number' ? U8(v) : v ? 1 : 0);
  },
};


/** A link-layer address of any length, as `aa:bb:cc:dd:ee:ff`. */
export const lladdr: Codec<string> = {
  decode: (v) => {
    let s = v.length > 0 ? HEX[v[0]] : '';
    for (let i = 1; i < v.length; i++) s += ':' + HEX[v[i]];
    return s;
  },
  encode: (w, v) => w.bytes(parseLladdr(v)),
};

export function parseLladdr(s: string, expectLen?: number): Uint8Array {
  if (typeof s !== 'string') throw new EncodeError(`${String(s)} (${typeof s}) is not a link-layer address string`);
  const parts = s.split(':');
  if (!parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p)) || (expectLen !== undefined && parts.length !== expectLen)) {
    throw new EncodeError(`"${s}" is not a valid ${expectLen === 6 ? 'MAC ' : 'link-layer '}address`);
  }
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

/** An Ethernet MAC: exactly six bytes. */
export const mac: Codec<string> = {
  decode: (v) => {
    if (v.length !== 6) throw new DecodeError(`MAC address is ${v.length} bytes, expected 6`);
    return lladdr.decode(v);
  },
  encode: (w, v) => w.bytes(parseLladdr(v, 6)),
};

/** An IPv4 or IPv6 address, told apart by length (4 or 16 bytes), printed as iproute2 prints it. */
export const ip: Codec<string> = {
  decode: formatIp,
  encode: (w, v) => w.bytes(parseIp(v)),
};

export function formatIp(v: Uint8Array): string {
  if (v.length === 4) return `${v[0]}.${v[1]}.${v[2]}.${v[3]}`;
  if (v.length === 16) return formatIpv6(v);
  throw new DecodeError(`IP address is ${v.length} bytes, expected 4 or 16`);
}

/** RFC 5952: lower-case groups without leading zeros, the longest run of two or more zero groups (the first of equals) as "::". */
function formatIpv6(v: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((v[i] << 8) | v[i + 1]);
  let at = -1;
  let len = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > len) [at, len] = [i, j - i];
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  return at < 0 ? hex(groups) : `${hex(groups.slice(0, at))}::${hex(groups.slice(at + len))}`;
}

/**
 * Dotted-quad IPv4 or IPv6, nothing looser: ipaddr.js alone would also take "127.1", hex and
 * octal parts, and a zone ("fe80::1%eth0") that the kernel's 16 bytes cannot carry.
 */
export function isIp(s: unknown): s is string {
  const lib = ipaddr();
  return typeof s === 'string' && !s.includes('%') && (s.includes(':') ? lib.IPv6.isValid(s) : lib.IPv4.isValidFourPartDecimal(s));
}

export function parseIp(s: string): Uint8Array {
  const lib = ipaddr();
  if (!isIp(s)) throw new EncodeError(`"${String(s)}" is not a valid IP address`);
  const a = lib.parse(s);
  // An IPv4-mapped address stays IPv6: "::ffff:192.0.2.1" is 16 bytes, as the user wrote it.
  return Uint8Array.from(a.toByteArray());
}

/** An integer enum: known values become names, unknown ones stay numbers and survive a round trip. */
export function enumOf<N extends string>(base: Codec<number>, names: Record<N, number>): Codec<N | number> & { byValue: Map<number, N> } {
  const byValue = new Map(Object.entries(names).map(([k, v]) => [v as number, k as N]));
  return {
    byValue,
    decode: (v) => {
      const n = base.decode(v);
      return byValue.get(n) ?? n;
    },
    encode: (w, v) => base.encode(w, toValue(names, v, 'value')),
  };
}

function toValue<N extends string>(names: Record<N, number>, v: N | number, what: string): number {
  if (typeof v === 'number') return v;
  const n = names[v];
  if (n === undefined) throw new EncodeError(`unknown ${what} "${v}" (known: ${Object.keys(names).join(', ')})`);
  return n;
}

/** Decodes a bit set to names, keeping each unknown bit as its number. */
export function bitsToNames<N extends string>(names: Record<N, number>, n: number): Array<N | number> {
  const out: Array<N | number> = [];
  let rest = n >>> 0;
  for (const [k, bit] of Object.entries(names) as Array<[N, number]>) {
    if (bit !== 0 && (rest & bit) === bit) {
      out.push(k);
      rest = (rest & ~bit) >>> 0;
    }
  }
  for (let b = 1; rest !== 0; b = (b << 1) >>> 0) {
    if (rest & b) {
      out.push(b);
      rest = (rest & ~b) >>> 0;
    }
  }
  return out;
}

export function namesToBits<N extends string>(names: Record<N, number>, list: ReadonlyArray<N | number>, what = 'flag'): number {
  return list.reduce<number>((acc, v) => (acc | toValue(names, v, what)) >>> 0, 0);
}

/** An integer bit set as a list of names (unknown bits kept as numbers). */
export function flagsOf<N extends string>(base: Codec<number>, names: Record<N, number>): Codec<Array<N | number>> {
  return {
    decode: (v) => bitsToNames(names, base.decode(v)),
    encode: (w, v) => base.encode(w, namesToBits(names, v)),
  };
}

/** A nested attribute whose children are all of one type: a list. */
export function listOf<T>(type: number, item: Codec<T>): Codec<T[]> {
  return {
    decode: (v) =>
      parseAttrs(v).map((a) => {
        if (attrType(a.type) !== type) throw new DecodeError(`list item of type ${attrType(a.type)}, expected ${type}`);
        return item.decode(a.value);
      }),
    encode: (w, list) => {
      for (const v of list) w.attr(type, (w) => item.encode(w, v));
    },
  };
}
