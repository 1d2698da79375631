// The one attribute walker, and strict typed getters over an attribute's value.
import { NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_ALIGNTO } from './constants.js';
import { DecodeError } from './errors.js';
import { LE, view } from './endian.js';
import { MAX_CODES, codeArray, fromCodes } from './text.js';

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
 * The one attribute walker: a cursor over a run of attributes. Each next() moves to the next
 * attribute and tells its raw type (flags kept) and where its value lies in `buf`, without
 * making a view of it (a view per attribute was a tenth of a link dump's decoding). Trailing
 * bytes too short for a header are an error, as are lengths that overrun.
 */
export class AttrCursor {
  /** The attribute's raw type: NLA_F_* bits kept. */
  type = 0;
  /** Its value: buf[start] to buf[end - 1]. */
  start = 0;
  end = 0;
  private off: number;

  /** Over the attributes from buf[from] to buf[to - 1]: the whole of `buf` unless told. */
  constructor(readonly buf: Uint8Array, private readonly from = 0, private readonly to = buf.length) {
    this.off = from;
  }

  next(): boolean {
    const { buf, off, to: end } = this;
    if (off >= end) return false;
    // Offsets in errors count from the run's start, as in a view of it.
    if (end - off < NLA_HDRLEN) throw new DecodeError(`${end - off} stray bytes after the last attribute`, off - this.from);
    // Read in place, no call: unoptimised code (a dump's first links) pays for each.
    const len = LE ? buf[off] | (buf[off + 1] << 8) : (buf[off] << 8) | buf[off + 1];
    const type = LE ? buf[off + 2] | (buf[off + 3] << 8) : (buf[off + 2] << 8) | buf[off + 3];
    if (len < NLA_HDRLEN || off + len > end) {
      throw new DecodeError(`attribute ${attrType(type)} claims ${len} bytes, ${end - off} remain`, off - this.from);
    }
    this.type = type;
    this.start = off + NLA_HDRLEN;
    this.end = off + len;
    this.off = off + ((len + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1)); // align(len)
    return true;
  }

  /** The value: a view into the message, not a copy. */
  value(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }
}

/** The value of the attribute whose value begins at `start` of `buf` (where a cursor found it). */
export function valueAt(buf: Uint8Array, start: number): Uint8Array {
  return buf.subarray(start, start - NLA_HDRLEN + u16at(buf, start - NLA_HDRLEN));
}

/** Calls `visit` with each attribute's raw type (flags kept) and a view of its value; over buf[from] to buf[to - 1] when told. */
export function walkAttrs(buf: Uint8Array, visit: (type: number, value: Uint8Array) => void, from?: number, to?: number): void {
  for (const c = new AttrCursor(buf, from, to); c.next();) visit(c.type, c.value());
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

function sized(len: number, n: number, what: string): void {
  if (len !== n) throw new DecodeError(`${what} attribute is ${len} bytes, expected ${n}`);
}

// The small integers are read byte by byte: a DataView per attribute costs more than the read
// itself, and dumps read thousands of them.
const int32 = (b: Uint8Array, o: number): number =>
  LE ? b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24) : (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];

/**
 * Typed getters over `buf[start]` to `buf[end - 1]`, where a value lies in its message: for the
 * values a dump reads most, read in place (a view per value cost more than the read). Each checks
 * the length it needs and throws DecodeError otherwise.
 */
export const getAt = {
  u8: (b: Uint8Array, start: number, end: number): number => (sized(end - start, 1, 'u8'), b[start]),
  u16: (b: Uint8Array, start: number, end: number): number => (sized(end - start, 2, 'u16'), u16at(b, start)),
  u32: (b: Uint8Array, start: number, end: number): number => (sized(end - start, 4, 'u32'), int32(b, start) >>> 0),
  s32: (b: Uint8Array, start: number, end: number): number => (sized(end - start, 4, 's32'), int32(b, start)),
  /** A string, NUL-terminated or not (iproute2 sends some without the NUL). Stops at the first NUL. */
  string: (b: Uint8Array, start: number, end: number): string => {
    const nul = b.indexOf(0, start);
    const stop = nul < 0 || nul >= end ? end : nul;
    const n = stop - start;
    if (n > MAX_CODES) return utf8.decode(b.subarray(start, stop));
    // Names are short and ASCII: made from their codes, several times cheaper than TextDecoder.
    const codes = codeArray(n);
    for (let i = 0; i < n; i++) {
      if (b[start + i] >= 0x80) return utf8.decode(b.subarray(start, stop));
      codes[i] = b[start + i];
    }
    return fromCodes(codes);
  },
};

/** Typed getters over a value. Each checks the length it needs and throws DecodeError otherwise. */
export const get = {
  u8: (v: Uint8Array): number => getAt.u8(v, 0, v.length),
  u16: (v: Uint8Array): number => getAt.u16(v, 0, v.length),
  u32: (v: Uint8Array): number => getAt.u32(v, 0, v.length),
  s32: (v: Uint8Array): number => getAt.s32(v, 0, v.length),
  u64: (v: Uint8Array): bigint => exact(v, 8, 'u64').getBigUint64(0, LE),
  u16be: (v: Uint8Array): number => exact(v, 2, 'be16').getUint16(0, false),
  u32be: (v: Uint8Array): number => exact(v, 4, 'be32').getUint32(0, false),
  /** A string, NUL-terminated or not (iproute2 sends some without the NUL). Stops at the first NUL. */
  string: (v: Uint8Array): string => getAt.string(v, 0, v.length),
  /** The value, copied out of the message so that it outlives the receive buffer. */
  bytes: (v: Uint8Array): Uint8Array => v.slice(),
};
