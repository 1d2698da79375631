// The one attribute walker, and strict typed getters over an attribute's value.
import { NLA_HDRLEN, NLA_TYPE_MASK, align } from './constants.js';
import { DecodeError } from './errors.js';
import { LE, view } from './endian.js';

/** One attribute as it came off the wire. `type` keeps the NLA_F_* flag bits. */
export interface RawAttr {
  type: number;
  /** A view into the message, not a copy. */
  value: Uint8Array;
}

/** The attribute type proper: NLA_F_NESTED and NLA_F_NET_BYTEORDER masked off, here and nowhere else. */
export function attrType(raw: number): number {
  return raw & NLA_TYPE_MASK;
}

const u16at = (b: Uint8Array, o: number): number => (LE ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1]);

/**
 * The one attribute walker: calls `visit` with each attribute's raw type (flags kept) and a
 * view of its value. Trailing bytes too short for a header are an error, as are lengths that overrun.
 */
export function walkAttrs(buf: Uint8Array, visit: (type: number, value: Uint8Array) => void): void {
  const end = buf.length;
  let off = 0;
  while (off < end) {
    if (end - off < NLA_HDRLEN) throw new DecodeError(`${end - off} stray bytes after the last attribute`, off);
    const len = u16at(buf, off);
    const type = u16at(buf, off + 2);
    if (len < NLA_HDRLEN || off + len > end) {
      throw new DecodeError(`attribute ${attrType(type)} claims ${len} bytes, ${end - off} remain`, off);
    }
    visit(type, buf.subarray(off + NLA_HDRLEN, off + len));
    off += align(len);
  }
}

/** Splits a run of attributes into a list. */
export function parseAttrs(buf: Uint8Array): RawAttr[] {
  const out: RawAttr[] = [];
  walkAttrs(buf, (type, value) => out.push({ type, value }));
  return out;
}

function exact(v: Uint8Array, n: number, what: string): DataView {
  if (v.length !== n) throw new DecodeError(`${what} attribute is ${v.length} bytes, expected ${n}`);
  return view(v);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function sized(v: Uint8Array, n: number, what: string): Uint8Array {
  if (v.length !== n) throw new DecodeError(`${what} attribute is ${v.length} bytes, expected ${n}`);
  return v;
}

// The small integers are read byte by byte: a DataView per attribute costs more than the read
// itself, and dumps read thousands of them.
const int32 = (v: Uint8Array): number =>
  LE ? v[0] | (v[1] << 8) | (v[2] << 16) | (v[3] << 24) : (v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];

/** Typed getters. Each checks the length it needs and throws DecodeError otherwise. */
export const get = {
  u8: (v: Uint8Array): number => sized(v, 1, 'u8')[0],
  u16: (v: Uint8Array): number => (sized(v, 2, 'u16'), LE ? v[0] | (v[1] << 8) : (v[0] << 8) | v[1]),
  u32: (v: Uint8Array): number => int32(sized(v, 4, 'u32')) >>> 0,
  s32: (v: Uint8Array): number => int32(sized(v, 4, 's32')),
  u64: (v: Uint8Array): bigint => exact(v, 8, 'u64').getBigUint64(0, LE),
  u16be: (v: Uint8Array): number => exact(v, 2, 'be16').getUint16(0, false),
  u32be: (v: Uint8Array): number => exact(v, 4, 'be32').getUint32(0, false),
  /** A string, NUL-terminated or not (iproute2 sends some without the NUL). Stops at the first NUL. */
  string: (v: Uint8Array): string => {
    const nul = v.indexOf(0);
    const end = nul < 0 ? v.length : nul;
    // Names are short and ASCII: building them directly is several times cheaper than TextDecoder.
    let s = '';
    for (let i = 0; i < end; i++) {
      if (v[i] >= 0x80) return utf8.decode(v.subarray(0, end));
      s += String.fromCharCode(v[i]);
    }
    return s;
  },
  /** The value, copied out of the message so that it outlives the receive buffer. */
  bytes: (v: Uint8Array): Uint8Array => v.slice(),
};
