// Pieces the families share: scopes, the cacheinfo structs that are nothing but a run of u32s,
// and counters packed one after another (link stats, devconf arrays, neighbour table stats).
import { DecodeError } from '../netlink/errors.js';
import { getAt } from '../netlink/attrs.js';
import type { Struct } from '../netlink/family.js';
import type { Codec } from '../netlink/schema.js';
import { LE, view } from '../netlink/endian.js';
import type { Writer } from '../netlink/writer.js';

export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

/** Scope names as iproute2 prints them (RT_SCOPE_UNIVERSE is "global"). */
export const SCOPES = {
  global: RT_SCOPE_UNIVERSE, site: RT_SCOPE_SITE, link: RT_SCOPE_LINK, host: RT_SCOPE_HOST, nowhere: RT_SCOPE_NOWHERE,
} as const;
export type ScopeName = keyof typeof SCOPES;

/** A C struct of u32 fields only (ifa_cacheinfo, rta_cacheinfo, nda_cacheinfo), as an object. */
export function u32Struct<K extends string>(what: string, keys: readonly K[]): Codec<Record<K, number>> {
  const size = keys.length * 4;
  // One object literal, made once per struct: stores by computed key into `{}` cost more than
  // reading the fields (a dump of addresses reads one ifa_cacheinfo each).
  const read = new Function('u32', 'b', 's', `return { ${keys.map((k, i) => `${JSON.stringify(k)}: u32(b, s + ${4 * i}, s + ${4 * i + 4})`).join(', ')} };`) as
    (u32: typeof getAt.u32, b: Uint8Array, start: number) => Record<K, number>;
  const decodeAt = (b: Uint8Array, start: number, end: number): Record<K, number> => {
    if (end - start !== size) throw new DecodeError(`${what} is ${end - start} bytes, expected ${size}`);
    return read(getAt.u32, b, start);
  };
  return {
    decode: (v) => decodeAt(v, 0, v.length),
    decodeAt,
    encode: (w, v) => { for (const k of keys) w.u32(v[k] ?? 0); },
  };
}

/**
 * Counters packed one after another (rtnl_link_stats64, the devconf arrays, cacheinfo): named
 * in order; however many the kernel sends are read, and those past the known names kept in `more`.
 */
export type Packed<N extends string, T> = { [K in N]?: T } & { more?: T[] };
export function packed<N extends string, T>(names: readonly N[], size: number, read: (dv: DataView, off: number) => T, write: (w: Writer, v: T) => void): Codec<Packed<N, T>> {
  // The complete case builds one object literal of a fixed shape, in generated code: a loop of
  // keyed stores is several times slower, and a dump decodes some 150 of these values per link.
  const whole = new Function('read', 'dv', `return { ${names.map((k, i) => `${JSON.stringify(k)}: read(dv, ${i * size})`).join(', ')} };`) as
    (r: typeof read, dv: DataView) => Record<string, unknown>;
  return {
    decode(v) {
      if (v.length % size !== 0) throw new DecodeError(`${v.length} bytes is not a whole number of ${size}-byte values`);
      const dv = view(v);
      const n = v.length / size;
      if (n < names.length) {
        // An older kernel's fewer values: those only.
        const some: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) some[names[i]] = read(dv, i * size);
        return some as Packed<N, T>;
      }
      const out = whole(read, dv);
      if (n > names.length) out.more = Array.from({ length: n - names.length }, (_, i) => read(dv, (names.length + i) * size));
      return out as Packed<N, T>;
    },
    encode(w, v) {
      const rec = v as Record<string, T | undefined>;
      for (const name of names) {
        const x = rec[name];
        if (x === undefined) break;
        write(w, x);
      }
      for (const x of v.more ?? []) write(w, x);
    },
  };
}
// Most counters are zero: the 0n literal spares a BigInt allocation (stats64 reads 0.5 -> 0.3 µs).
const u64At = (dv: DataView, o: number): bigint => (dv.getUint32(o, LE) === 0 && dv.getUint32(o + 4, LE) === 0 ? 0n : dv.getBigUint64(o, LE));
export const u64s = <N extends string>(names: readonly N[]) => packed(names, 8, u64At, (w, v: bigint) => w.u64(v));
export const u32s = <N extends string>(names: readonly N[]) => packed(names, 4, (dv, o) => dv.getUint32(o, LE), (w, v: number) => w.u32(v));
export const s32s = <N extends string>(names: readonly N[]) => packed(names, 4, (dv, o) => dv.getInt32(o, LE), (w, v: number) => w.s32(v));

/** A header of one byte, the address family, padded to 4 on the wire. */
export interface FamilyByte {
  family: number;
}

/** struct rtgenmsg, struct netconfmsg: nothing but the family byte. */
export function familyByte(what: string): Struct<FamilyByte> {
  return {
    size: 1,
    decode(b) {
      if (b.length < 1) throw new DecodeError(`${what} is empty`);
      return { family: b[0] };
    },
    encode(w, v) {
      w.u8(v.family);
    },
  };
}

/** Address family names as iproute2 prints them. */
export const FAMILIES = { inet: 2, inet6: 10 } as const;
export type FamilyName = keyof typeof FAMILIES;
