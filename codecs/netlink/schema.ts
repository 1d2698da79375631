// Declarative attribute tables. A table maps readable keys to (attribute type, codec);
// one generic decoder and one generic encoder walk every table in the project.
//
// Round trips are exact: a decoded object remembers, out of sight, the order and the
// flag bits of the attributes it came from, so encoding it again returns the same bytes.
// Attributes the table does not know are kept in `other` and written back in place.
import { AttrCursor, attrType, valueAt, walkAttrs, type RawAttr } from './attrs.js';
import { NLA_F_NESTED } from './constants.js';
import { DecodeError, EncodeError } from './errors.js';
import { unknownKey } from './names.js';
import type { Writer } from './writer.js';
import { makerFor, type Maker } from './shape.js';

export interface Codec<T> {
  decode(v: Uint8Array): T;
  /** The same as decode(buf.subarray(start, end)), without making the view: the values dumps read most. */
  decodeAt?(buf: Uint8Array, start: number, end: number): T;
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
  /** Decoded on first read instead of with the rest (see lazy fields below). */
  lazy?: boolean;
}

export type Table = Record<string, Field<unknown>>;

type ValueOf<F> = F extends Field<infer T> ? (F extends { repeated: true } ? T[] : T) : never;

/** The object a table decodes to: every key optional, plus the attributes nobody knows. */
export type Attrs<S extends Table> = { -readonly [K in keyof S]?: ValueOf<S[K]> } & { other?: RawAttr[] };

export function field<T>(type: number, codec: Codec<T>, opts: { flagNested?: boolean; lazy?: boolean } = {}): Field<T> {
  return { type, codec, ...opts };
}

export function repeated<T>(type: number, codec: Codec<T>): Field<T> & { repeated: true } {
  return { type, codec, repeated: true };
}

/**
 * What each decoded object came from, out of sight: its attribute bytes, which encoding walks
 * again for the order, the flag bits and, for unchanged scalars, the length each attribute had;
 * and its lazy values (below). Decoding, the hot path of every dump, records nothing else.
 */
interface Origin {
  /** Its attributes are bytes[from] to bytes[to - 1]: a link and the objects nested in it share one view of their message. */
  bytes: Uint8Array;
  from: number;
  to: number;
  /** By lazy number: where the attribute's value begins in `bytes` while unread, the value once read or set. */
  lazy: unknown[] | undefined;
  /** Bit n set: lazy[n] holds the value. */
  ready: number;
}
/** A class whose instances are the objects given to it: its subclass stamps a private field on them. */
class Given {
  constructor(obj: object) {
    return obj as Given;
  }
}

/**
 * Where an object's origin is kept: a private field stamped on the decoded object. Keys, JSON,
 * spread, structuredClone, deep equality and even Reflect.ownKeys pass over it, and stamping
 * costs about a property store. (A WeakMap held a million-route iterate() in garbage-collection
 * pauses of up to 69 ms; a non-enumerable symbol-keyed property cost 200 ns per object in
 * defineProperty, a sixth of a link's decoding.)
 */
class Stamp extends Given {
  #origin: Origin;
  private constructor(obj: object, origin: Origin) {
    super(obj);
    this.#origin = origin;
  }

  static put(obj: object, origin: Origin): void {
    new Stamp(obj, origin);
  }

  static of(obj: object): Origin | undefined {
    return #origin in obj ? (obj as Stamp).#origin : undefined;
  }
}

/**
 * Lazy values: big values that few readers look at (a link's statistics, its per-family
 * settings: fields marked `lazy`) and the attributes no table knows (`other`, views of the
 * message) are decoded on first read. Decoding defines the key as an enumerable accessor, in
 * its place among the keys, and keeps the attribute's bytes in the object's origin; the first
 * read decodes them and keeps the value there instead, so every later read returns that same
 * value, changes to it included. Object.keys, JSON.stringify, spread, structuredClone and deep
 * equality all read through the accessor: the object looks exactly as if decoded eagerly. The
 * getter and setter are one pair per key and table, shared by every object, so objects keep
 * one hidden class. (Replacing the accessor by a data property on first read would be simpler,
 * but costs V8 a change of hidden class, more than decoding the value.)
 *
 * A lazy field that does not decode throws its DecodeError, naming the field, on every read;
 * until then nothing checks it. Encoding a lazy field never read nor set copies its original bytes.
 */
function lazyProperty(key: string, n: number, size: number, decode: (origin: Origin) => unknown): PropertyDescriptor {
  const bit = 1 << n;
  const keep = (origin: Origin, value: unknown): void => {
    (origin.lazy ??= new Array(size))[n] = value;
    origin.ready |= bit;
  };
  return {
    enumerable: true,
    configurable: true,
    get(this: object) {
      const origin = originOf(this);
      if (origin.ready & bit) return origin.lazy![n];
      const value = decode(origin);
      keep(origin, value);
      return value;
    },
    set(this: object, value: unknown) {
      // As a data property of a frozen object would (ES modules are strict).
      if (Object.isFrozen(this)) throw new TypeError(`Cannot assign to read only property '${key}' of object`);
      keep(originOf(this), value);
    },
  };
}

/** Only a getter taken off its object and called on another finds no origin. */
function originOf(obj: object): Origin {
  const origin = Stamp.of(obj);
  if (!origin) throw new DecodeError('this object was not decoded from attributes');
  return origin;
}

/** Decodes one value, naming the attribute in the error when it does not decode. */
function decodeNamed(key: string, f: Field<unknown>, v: Uint8Array): unknown {
  try {
    return f.codec.decode(v);
  } catch (e) {
    throw e instanceof DecodeError ? new DecodeError(`${key}: ${e.message}`) : e;
  }
}

/**
 * Stores a value under the key numbered `i`, through code generated once per table. With a
 * computed key (`out[key] = v`) V8 turns an object into a hash table after a dozen properties:
 * a link has some forty, and as a hash table it takes four times the memory and time to fill.
 * Stores by name keep every object in fast mode, all links sharing the same hidden classes.
 */
type Store = (obj: Record<string, unknown>, i: number, v: unknown) => void;
function storeFor(keys: string[]): Store {
  const cases = keys.map((k, i) => `case ${i}: o[${JSON.stringify(k)}] = v; return;`).join('\n');
  return new Function('o', 'i', 'v', `switch (i) {\n${cases}\n}`) as Store;
}

/** Room for the keys a decoder adds after a table's: a link's header, its names. */
const EXTRA_KEYS = Array.from({ length: 8 }, (_, i) => `extra${i}`);

/**
 * A table by attribute type is an array of slots, since types are small numbers; built once per
 * table. Every slot has one shape (the decoder's loop reads them all), with the parts of its field
 * that loop reads copied on; `n` is the field's lazy number, when it is lazy.
 */
type Slot = {
  key: string; i: number; field: Field<unknown>; repeated: boolean; codec: Codec<unknown>; lazy: PropertyDescriptor | undefined; n: number;
} | undefined;
/** `fields`: every key in table order, with the type it is written under (NLA_F_NESTED added where asked). */
type Index = {
  slots: Slot[]; store: Store; makers: Map<object, Maker>; other: PropertyDescriptor; fields: Array<{ key: string; field: Field<unknown>; type: number }>;
  /** Each key's place in `fields` (table order). */
  position: Map<string, number>;
  lazySize: number;
};
const indexes = new WeakMap<Table, Index>();
function indexOf(table: Table): Index {
  let idx = indexes.get(table);
  if (!idx) {
    const slots: Slot[] = [];
    const keys = Object.keys(table);
    // A repeated key is never lazy.
    const isLazy = (f: Field<unknown>): boolean => f.lazy === true && !f.repeated;
    // The lazy values' array is made to size (a growing one starts at 17 slots): each lazy key, and `other`.
    const lazySize = keys.filter((k) => isLazy(table[k])).length + 1;
    let n = 0;
    keys.forEach((key, i) => {
      const f = table[key];
      if (!isLazy(f)) {
        slots[f.type] = { key, i, field: f, repeated: f.repeated === true, codec: f.codec, lazy: undefined, n: -1 };
        return;
      }
      const m = n++;
      const lazy = lazyProperty(key, m, lazySize, (o) => decodeNamed(key, f, valueAt(o.bytes, o.lazy![m] as number)));
      slots[f.type] = { key, i, field: f, repeated: false, codec: f.codec, lazy, n: m };
    });
    if (n > 30) throw new Error('a table has at most 30 lazy fields');
    if (keys.length > 62) throw new Error('a table has at most 62 keys');
    const fields = keys.map((key) => {
      const f = table[key];
      return { key, field: f, type: f.flagNested ? f.type | NLA_F_NESTED : f.type };
    });
    const position = new Map(keys.map((key, i) => [key, i]));
    idx = { slots, store: storeFor(keys), makers: new Map(), other: lazyProperty('other', n, lazySize, (o) => unknownAttrs(slots, o)), lazySize, fields, position };
    indexes.set(table, idx);
  }
  return idx;
}

/**
 * The slot that takes an attribute of raw type `type`; undefined when it goes to `other`: of no
 * known type, or a second one for a single-valued key. `seen`: the keys taken so far, one bit
 * each in two 31-bit words (tables have at most 62 keys; small integers, so a plain array of
 * two, which costs less to make than an Int32Array): cheaper than asking the object.
 */
function taker(slots: Slot[], type: number, seen: number[]): Slot {
  const slot = slots[attrType(type)];
  if (slot === undefined || slot.repeated) return slot;
  const word = slot.i < 31 ? 0 : 1;
  const bit = 1 << (slot.i - 31 * word);
  if (seen[word] & bit) return undefined;
  seen[word] |= bit;
  return slot;
}

/**
 * The attributes no key takes, in order: views of the message's bytes, not copies. The decoded
 * object keeps those bytes anyway (its origin), and the client hands out datagrams it owns.
 */
function unknownAttrs(slots: Slot[], { bytes, from, to }: Origin): RawAttr[] {
  const out: RawAttr[] = [];
  const seen = [0, 0];
  for (const c = new AttrCursor(bytes, from, to); c.next();) if (taker(slots, c.type, seen) === undefined) out.push({ type: c.type, value: c.value() });
  return out;
}

/** Whether `key` of a decoded object is still the lazy accessor, never read nor set. */
function untouched(obj: object, origin: Origin, slot: NonNullable<Slot>): boolean {
  return slot.lazy !== undefined && (origin.ready & (1 << slot.n)) === 0 &&
    Object.getOwnPropertyDescriptor(obj, slot.key)?.get === slot.lazy.get;
}

/**
 * `proto`: the new object's prototype (a Link's gives it toJSON). `leaveOut`: a key whose
 * attribute is passed over (not even to `other`): deleting a key afterwards would turn the
 * object into a hash table, twice the memory. `from` and `to`: where the attributes lie in
 * `buf`, the whole of it unless told (nested attributes are decoded in place, with no view of
 * their own: a listed link kept three).
 */
export function decodeAttrs<S extends Table>(
  table: S, buf: Uint8Array, proto: object = Object.prototype, leaveOut?: keyof S, from = 0, to = buf.length,
): Attrs<S> {
  const idx = indexOf(table);
  const { slots, store, other } = idx;
  let Make = idx.makers.get(proto);
  if (!Make) idx.makers.set(proto, Make = makerFor([...idx.fields.map((f) => f.key), ...EXTRA_KEYS], proto));
  const out = new Make();
  const origin: Origin = { bytes: buf, from, to, lazy: undefined, ready: 0 };
  const seen = [0, 0];
  let at: string | undefined;
  let hasOther = false;
  try {
    for (const c = new AttrCursor(buf, from, to); c.next();) {
      const slot = taker(slots, c.type, seen);
      if (slot === undefined) {
        // `other` is gathered on first read (unknownAttrs), and takes its place among the keys now.
        if (!hasOther) Object.defineProperty(out, 'other', other);
        hasOther = true;
        continue;
      }
      if (slot.key === leaveOut) continue;
      if (slot.lazy) {
        (origin.lazy ??= new Array(idx.lazySize))[slot.n] = c.start; // a view now would be made for nothing if never read
        Object.defineProperty(out, slot.key, slot.lazy);
        continue;
      }
      at = slot.key;
      const { codec } = slot;
      const v = codec.decodeAt === undefined ? codec.decode(c.value()) : codec.decodeAt(buf, c.start, c.end);
      at = undefined;
      if (!slot.repeated) store(out, slot.i, v);
      else if (out[slot.key] === undefined) store(out, slot.i, [v]);
      else (out[slot.key] as unknown[]).push(v);
    }
  } catch (e) {
    // Name the attribute whose value did not decode.
    throw e instanceof DecodeError && at !== undefined ? new DecodeError(`${at}: ${e.message}`) : e;
  }
  Stamp.put(out, origin);
  return out as Attrs<S>;
}

/** The attributes of buf[from] to buf[to - 1], decoded in place: decodeAttrs() with a range. */
export function decodeAttrsIn<S extends Table>(table: S, buf: Uint8Array, from: number, to: number): Attrs<S> {
  return decodeAttrs(table, buf, Object.prototype, undefined, from, to);
}

/** One key's value (each of them, for a repeated key) as attributes of `type`; `was`: the length it came with. */
function putField(w: Writer, key: string, f: Field<unknown>, type: number, value: unknown, was?: number): void {
  try {
    if (!f.repeated) putOne(w, f.codec, type, value, was);
    else for (const v of value as unknown[]) putOne(w, f.codec, type, v, was);
  } catch (e) {
    throw e instanceof EncodeError ? e.under(key) : e;
  }
}

function putOne(w: Writer, codec: Codec<unknown>, type: number, v: unknown, was?: number): void {
  const at = w.begin(type);
  codec.encode(w, v, was);
  w.end(at);
}

export function encodeAttrs<S extends Table>(table: S, obj: Attrs<S>, w: Writer): void {
  const rec = obj as Record<string, unknown>;
  const other = obj.other ?? [];
  const { slots, fields, position } = indexOf(table);
  const origin = Stamp.of(obj);
  if (!origin) {
    // Built by hand (every request the API sends): table order, then the unknown attributes. The
    // object's own few keys are looked up, not every key of the table (a link's table has 50).
    // One bit per key present, by its place in the table (at most 62: two 31-bit words).
    const present = [0, 0];
    let last = -1;
    for (const key in rec) {
      const i = position.get(key);
      if (i === undefined || rec[key] === undefined) continue;
      present[i < 31 ? 0 : 1] |= 1 << (i % 31);
      if (i > last) last = i;
    }
    for (let i = 0; i <= last; i++) {
      if ((present[i < 31 ? 0 : 1] & (1 << (i % 31))) === 0) continue;
      const { key, field, type } = fields[i];
      putField(w, key, field, type, rec[key]);
    }
    for (const o of other) w.attr(o.type, (w) => w.bytes(o.value));
    return;
  }
  const done = new Set<string>();
  let nextOther = 0;
  const put = (key: string, type: number, was?: number): void => {
    done.add(key);
    if (rec[key] !== undefined) putField(w, key, table[key], type, rec[key], was);
  };
  const putOther = (): void => {
    const o = other[nextOther++];
    w.attr(o.type, (w) => w.bytes(o.value));
  };
  walkAttrs(origin.bytes, (type, bytes) => {
    const slot = slots[attrType(type)];
    if (slot && !done.has(slot.key) && untouched(obj, origin, slot)) {
      // Never read, so unchanged: the original bytes go back as they came.
      done.add(slot.key);
      w.attr(type, (w) => w.bytes(bytes));
    } else if (slot && !done.has(slot.key)) {
      const { key, field: f } = slot;
      const value = rec[key];
      // A scalar still equal to what these bytes say goes back at the length it came with.
      const same = !f.repeated && typeof value !== 'object' && value === f.codec.decode(bytes);
      put(key, type, same ? bytes.length : undefined);
    } else if (other[nextOther]?.type === type) {
      putOther();
    }
  }, origin.from, origin.to);
  for (const { key, type } of fields) if (!done.has(key)) put(key, type);
  while (nextOther < other.length) putOther();
}

/**
 * A nested attribute's children: encodeAttrs(), with a key the table lacks refused by name, since
 * what a misspelt key meant would not be sent. (A message's top level mixes its header's fields
 * in with its attributes: the API checks those.)
 */
export function encodeNested<S extends Table>(table: S, obj: Attrs<S>, w: Writer): void {
  for (const key of Object.keys(obj)) {
    if (key !== 'other' && !Object.hasOwn(table, key)) throw new EncodeError(unknownKey(key, Object.keys(table)));
  }
  encodeAttrs(table, obj, w);
}

/** A nested attribute whose children follow `table`. */
export function nested<S extends Table>(table: S): Codec<Attrs<S>> {
  const decodeAt = (b: Uint8Array, from: number, to: number): Attrs<S> => decodeAttrsIn(table, b, from, to);
  return {
    decode: (v) => decodeAt(v, 0, v.length),
    decodeAt,
    encode: (w, v) => encodeNested(table, v, w),
  };
}
