// Value codecs for attribute tables: integers, strings, flags, addresses, enums, bit sets.
import { attrType, get, getAt, parseAttrs } from './attrs.js';
import { DecodeError, EncodeError, asJson, asText } from './errors.js';
import { formatIp, formatLladdr, parseIp, parseLladdr } from './addresses.js';
import { bitsOf, flagNamer, namer, valueOf, type Names } from './names.js';
import type { Codec } from './schema.js';

const utf8 = new TextEncoder();

/**
 * Integers are checked before they are written: a value of the wrong type or range (a string,
 * -5 for a u32, 1.5) is an EncodeError, not a silent wrap-around on the wire.
 */
function checked(lo: number, hi: number): (v: unknown) => number {
  return (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      throw new EncodeError(`${typeof v === 'string' ? `"${v}"` : asText(v)} is not an integer from ${lo} to ${hi}`);
    }
    return v;
  };
}
const U8 = checked(0, 0xff);
const U16 = checked(0, 0xffff);
const U32 = checked(0, 0xffffffff);
const S32 = checked(-0x80000000, 0x7fffffff);

export const u8: Codec<number> = { decode: get.u8, decodeAt: getAt.u8, encode: (w, v) => w.u8(U8(v)) };
export const u16: Codec<number> = { decode: get.u16, decodeAt: getAt.u16, encode: (w, v) => w.u16(U16(v)) };
export const u32: Codec<number> = { decode: get.u32, decodeAt: getAt.u32, encode: (w, v) => w.u32(U32(v)) };
export const s32: Codec<number> = { decode: get.s32, decodeAt: getAt.s32, encode: (w, v) => w.s32(S32(v)) };
export const u64: Codec<bigint> = {
  decode: get.u64,
  encode: (w, v) => {
    if (typeof v !== 'bigint' || v < 0n || v >= 1n << 64n) throw new EncodeError(`${asText(v)} is not a 64-bit unsigned bigint`);
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
  decodeAt: getAt.string,
  encode: (w, v, was) => {
    if (typeof v !== 'string') throw new EncodeError(`${asText(v)} (${typeof v}) is not a string`);
    const b = utf8.encode(v);
    w.bytes(b);
    if (was === undefined || was > b.length) w.zeros((was ?? b.length + 1) - b.length);
  },
};

const flagAt = (_b: Uint8Array, start: number, end: number): true => {
  if (end !== start) throw new DecodeError(`flag attribute carries ${end - start} bytes`);
  return true;
};
/** A zero-length attribute whose presence is the value. */
export const flag: Codec<true> = {
  decode: (v) => flagAt(v, 0, v.length),
  decodeAt: flagAt,
  encode: () => undefined,
};

const bool8At = (b: Uint8Array, start: number, end: number): boolean | number => {
  const n = getAt.u8(b, start, end);
  return n === 0 ? false : n === 1 ? true : n;
};
/** A u8 that is 0 or 1. Other values survive as numbers. */
export const bool8: Codec<boolean | number> = {
  decode: (v) => bool8At(v, 0, v.length),
  decodeAt: bool8At,
  encode: (w, v) => {
    if (typeof v !== 'boolean' && typeof v !== 'number') throw new EncodeError(`${asJson(v)} is not true or false`);
    w.u8(typeof v === 'number' ? U8(v) : v ? 1 : 0);
  },
};


/** A link-layer address of any length, as `aa:bb:cc:dd:ee:ff`. */
export const lladdr: Codec<string> = {
  decode: formatLladdr,
  decodeAt: formatLladdr,
  encode: (w, v) => w.bytes(parseLladdr(v)),
};

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
  decodeAt: formatIp,
  encode: (w, v) => w.bytes(parseIp(v)),
};

/** An integer enum: known values become names, unknown ones stay numbers and survive a round trip. */
export function enumOf<N extends string>(base: Codec<number>, names: Names<N>): Codec<N | number> {
  const name = namer(names);
  const at = base.decodeAt;
  return {
    decode: (v) => name(base.decode(v)),
    decodeAt: at && ((b, start, end) => name(at(b, start, end))),
    encode: (w, v) => base.encode(w, valueOf(names, v, 'value')),
  };
}

/** An integer bit set as a list of names (unknown bits kept as numbers). */
export function flagsOf<N extends string>(base: Codec<number>, names: Names<N>): Codec<Array<N | number>> {
  const decode = flagNamer(names);
  const at = base.decodeAt;
  return {
    decode: (v) => decode(base.decode(v)),
    decodeAt: at && ((b, start, end) => decode(at(b, start, end))),
    encode: (w, v) => base.encode(w, bitsOf(names, v)),
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
