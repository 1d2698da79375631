// One growable buffer for every message: headers are reserved, then their
// length is filled in once the body (attributes, nests) has been written.
import { NLA_F_NESTED, NLA_HDRLEN, NLMSG_HDRLEN, align } from './constants.js';
import { EncodeError } from './errors.js';
import { LE } from './endian.js';

const utf8 = new TextEncoder();

export class Writer {
  private buf: Uint8Array;
  private dv: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.dv = new DataView(this.buf.buffer);
  }

  private reserve(n: number): number {
    const at = this.length;
    const need = at + n;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
      this.dv = new DataView(grown.buffer);
    }
    this.length = need;
    return at;
  }

  u8(v: number): this { const at = this.reserve(1); this.dv.setUint8(at, v); return this; }
  u16(v: number): this { const at = this.reserve(2); this.dv.setUint16(at, v, LE); return this; }
  u32(v: number): this { const at = this.reserve(4); this.dv.setUint32(at, v >>> 0, LE); return this; }
  s32(v: number): this { const at = this.reserve(4); this.dv.setInt32(at, v, LE); return this; }
  u64(v: bigint): this { const at = this.reserve(8); this.dv.setBigUint64(at, v, LE); return this; }
  u64be(v: bigint): this { const at = this.reserve(8); this.dv.setBigUint64(at, v, false); return this; }
  u16be(v: number): this { const at = this.reserve(2); this.dv.setUint16(at, v, false); return this; }
  u32be(v: number): this { const at = this.reserve(4); this.dv.setUint32(at, v >>> 0, false); return this; }
  // reserve() may replace this.buf and this.dv: call it before reading them.
  bytes(b: Uint8Array): this { const at = this.reserve(b.length); this.buf.set(b, at); return this; }
  zeros(n: number): this { const at = this.reserve(n); this.buf.fill(0, at, this.length); return this; }
  /** A C string: UTF-8 then NUL. */
  cstring(s: string): this { return this.bytes(utf8.encode(s)).u8(0); }

  /** Zero-pad to the 4-byte netlink alignment. */
  pad(): this { return this.zeros(align(this.length) - this.length); }

  /** Writes one attribute: header, whatever `body` writes, padding. */
  attr(type: number, body: (w: this) => void): this {
    const at = this.begin(type);
    body(this);
    return this.end(at);
  }

  /** Opens an attribute of `type` and gives where it starts, for end(): attr() without a callback to make. */
  begin(type: number): number {
    const at = this.reserve(NLA_HDRLEN);
    this.dv.setUint16(at + 2, type, LE);
    return at;
  }

  /** Closes the attribute begun at `at`: its length, then padding. */
  end(at: number): this {
    const len = this.length - at;
    if (len > 0xffff) throw new EncodeError(`attribute ${this.dv.getUint16(at + 2, LE) & 0x3fff} is ${len} bytes, over netlink's 65535`);
    this.dv.setUint16(at, len, LE);
    return this.pad();
  }

  /** A nested attribute (NLA_F_NESTED is the caller's choice: the kernel wants it only for some). */
  nest(type: number, body: (w: this) => void, flagNested = false): this {
    return this.attr(flagNested ? type | NLA_F_NESTED : type, body);
  }

  /** Writes one nlmsghdr and its payload; nlmsg_len is filled in afterwards. */
  message(hdr: { type: number; flags: number; seq: number; pid?: number }, body: (w: this) => void): this {
    const at = this.reserve(NLMSG_HDRLEN);
    this.dv.setUint16(at + 4, hdr.type, LE);
    this.dv.setUint16(at + 6, hdr.flags, LE);
    this.dv.setUint32(at + 8, hdr.seq >>> 0, LE);
    this.dv.setUint32(at + 12, hdr.pid ?? 0, LE);
    body(this);
    this.pad();
    this.dv.setUint32(at, this.length - at, LE);
    return this;
  }

  /** The bytes written, as a view (no copy). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
