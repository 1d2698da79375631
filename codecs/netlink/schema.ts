// Declarative attribute tables. A table maps readable keys to (attribute type, codec);
// one generic decoder and one generic encoder walk every table in the project.
//
// Round trips are exact: a decoded object remembers, out of sight, the order and the
// flag bits of the attributes it came from, so encoding it again returns the same bytes.
// Attributes the table does not know are kept in `other` and written back in place.
import { attrType, parseAttrs, type RawAttr } from './attrs.js';
import { NLA_F_NESTED } from './constants.js';
import { DecodeError } from './errors.js';
import type { Writer } from './writer.js';

export interface Codec<T> {
  decode(v: Uint8Array): T;
  /** `was` is the length the value had when decoded, when the value is unchanged since. */
  encode(w: Writer, v: T, was?: number): void;
}

export interface Field<T> {
  type: number;
  codec: Codec<T>;
  /** The attribute may repeat; its values are collected in an array. */
  repeated?: boolean;
  /** Set NLA_F_NESTED when encoding a value that was not decoded (some kernel policies insist). */
  flagNested?: boolean;
}

export type Table = Record<string, Field<unknown>>;

type ValueOf<F> = F extends Field<infer T> ? (F extends { repeated: true } ? T[] : T) : never;

/** The object a table decodes to: every key optional, plus the attributes nobody knows. */
export type Attrs<S extends Table> = { -readonly [K in keyof S]?: ValueOf<S[K]> } & { other?: RawAttr[] };

export function field<T>(type: number, codec: Codec<T>, opts: { flagNested?: boolean } = {}): Field<T> {
  return { type, codec, ...opts };
}

export function repeated<T>(type: number, codec: Codec<T>): Field<T> & { repeated: true } {
  return { type, codec, repeated: true };
}

/** Where each attribute stood: the raw type (with flags), and for scalars the value and length read. */
interface Seen { type: number; key?: string; value?: unknown; len?: number }
const ORDER = Symbol('rtnl.attributeOrder');

const indexes = new WeakMap<Table, Map<number, [string, Field<unknown>]>>();
function indexOf(table: Table): Map<number, [string, Field<unknown>]> {
  let idx = indexes.get(table);
  if (!idx) {
    idx = new Map(Object.entries(table).map(([k, f]) => [f.type, [k, f]]));
    indexes.set(table, idx);
  }
  return idx;
}

export function decodeAttrs<S extends Table>(table: S, buf: Uint8Array): Attrs<S> {
  const idx = indexOf(table);
  const out: Record<string, unknown> = {};
  const seen: Seen[] = [];
  for (const a of parseAttrs(buf)) {
    const hit = idx.get(attrType(a.type));
    if (!hit || (out[hit[0]] !== undefined && !hit[1].repeated)) {
      ((out.other ??= []) as RawAttr[]).push({ type: a.type, value: a.value.slice() });
      seen.push({ type: a.type });
      continue;
    }
    const [key, f] = hit;
    let v: unknown;
    try {
      v = f.codec.decode(a.value);
    } catch (e) {
      if (e instanceof DecodeError) throw new DecodeError(`${key}: ${e.message}`);
      throw e;
    }
    if (f.repeated) {
      const list = (out[key] ??= []) as unknown[];
      if (list.length === 0) seen.push({ type: a.type, key });
      list.push(v);
    } else {
      out[key] = v;
      seen.push(typeof v === 'object' ? { type: a.type, key } : { type: a.type, key, value: v, len: a.value.length });
    }
  }
  Object.defineProperty(out, ORDER, { value: seen, enumerable: false });
  return out as Attrs<S>;
}

export function encodeAttrs<S extends Table>(table: S, obj: Attrs<S>, w: Writer): void {
  const rec = obj as Record<string, unknown> & { [ORDER]?: Seen[] };
  const other = obj.other ?? [];
  const done = new Set<string>();
  let nextOther = 0;
  const put = (key: string, type: number, s?: Seen): void => {
    const value = rec[key];
    done.add(key);
    if (value === undefined) return;
    const f = table[key];
    const was = s && s.value === value ? s.len : undefined;
    for (const v of f.repeated ? (value as unknown[]) : [value]) w.attr(type, (w) => f.codec.encode(w, v, was));
  };
  for (const s of rec[ORDER] ?? []) {
    if (s.key !== undefined) put(s.key, s.type, s);
    else if (other[nextOther]?.type === s.type) w.attr(s.type, (w) => w.bytes(other[nextOther++].value));
  }
  for (const [key, f] of Object.entries(table)) {
    if (!done.has(key)) put(key, f.flagNested ? f.type | NLA_F_NESTED : f.type);
  }
  for (; nextOther < other.length; nextOther++) w.attr(other[nextOther].type, (w) => w.bytes(other[nextOther].value));
}

/** A nested attribute whose children follow `table`. */
export function nested<S extends Table>(table: S): Codec<Attrs<S>> {
  return {
    decode: (v) => decodeAttrs(table, v),
    encode: (w, v) => encodeAttrs(table, v, w),
  };
}
