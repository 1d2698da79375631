// Pieces the address, route and neighbour families share: scopes, and the cacheinfo
// structs that are nothing but a run of u32s.
import { DecodeError } from '../netlink/errors.js';
import { LE, view } from '../netlink/endian.js';
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
  return {
    decode: (v) => {
      if (v.length !== size) throw new DecodeError(`${what} is ${v.length} bytes, expected ${size}`);
      const dv = view(v);
      const out = {} as Record<K, number>;
      keys.forEach((k, i) => { out[k] = dv.getUint32(i * 4, LE); });
      return out;
    },
    encode: (w, v) => { for (const k of keys) w.u32(v[k] ?? 0); },
  };
}

/** Address family names as iproute2 prints them. */
export const FAMILIES = { inet: 2, inet6: 10 } as const;
export type FamilyName = keyof typeof FAMILIES;
