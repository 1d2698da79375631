// A family message is a fixed C struct followed by attributes: ifinfomsg + IFLA_*, rtmsg + RTA_*...
import { align } from './constants.js';
import { DecodeError } from './errors.js';
import { decodeAttrsIn, encodeAttrs, type Attrs, type Table } from './schema.js';
import type { Writer } from './writer.js';

/** A fixed-size struct, read and written by hand (read in place: getAt, bytes by index). */
export interface Struct<T> {
  size: number;
  decode(b: Uint8Array): T;
  encode(w: Writer, v: T): void;
}

export type FamilyMessage<H, S extends Table> = H & { attrs: Attrs<S> };

export interface FamilyCodec<H, S extends Table> {
  header: Struct<H>;
  table: S;
  decode(payload: Uint8Array): FamilyMessage<H, S>;
  encode(w: Writer, m: FamilyMessage<H, S>): void;
}

export function familyCodec<H, S extends Table>(name: string, header: Struct<H>, table: S): FamilyCodec<H, S> {
  return {
    header,
    table,
    decode(p) {
      if (p.length < header.size) throw new DecodeError(`${name} payload is ${p.length} bytes, shorter than its ${header.size}-byte header`);
      // The header's own object takes the attributes: a spread into a new one copied every key.
      const m = header.decode(p) as FamilyMessage<H, S>;
      m.attrs = decodeAttrsIn(table, p, Math.min(align(header.size), p.length), p.length);
      return m;
    },
    encode(w, m) {
      header.encode(w, m);
      w.pad();
      encodeAttrs(table, m.attrs, w);
    },
  };
}
