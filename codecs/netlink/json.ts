// The JSON form of decoded objects: what JSON.stringify gives for a Link (through its toJSON).
// JSON has no BigInt and no bytes: u64 counters become decimal strings (exact, which a JSON
// number past 2^53 is not: BigInt(s) gives the value back), bytes become lower-case hex
// strings ("0a00ff"), and keys whose value is undefined are left out, as JSON.stringify would.

export const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

/** Values as JSON can hold them (see above); everything else as it is. */
export function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    if (x !== undefined) out[key] = jsonValue(x);
  }
  return out;
}

/** A prototype whose toJSON gives jsonValue(this): decoded objects made from it serialise. */
export const jsonable: object = Object.freeze({
  toJSON(this: object): unknown {
    return jsonValue(this);
  },
});
