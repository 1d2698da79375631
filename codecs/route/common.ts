// Pieces the address, route and neighbour families share: scopes, and the cacheinfo
// structs that are nothing but a run of u32s.
import { DecodeError } from '../netlink/errors.js';
import { getAt } from '../netlink/attrs.js';
import type { Struct } from '../netlink/family.js';
import type { Codec } from '../netlink/schema.js';

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
