// Name tables: readable names <-> kernel numbers (`{ private: 1, vepa: 2, ... }`), for enums and
// for bit sets. The one place that turns either way, used by the codecs, the API and the CLI.
// Values without a name stay numbers, so that they survive a decode and an encode unchanged.
import { EncodeError, asJson, asText } from './errors.js';

export type Names<N extends string = string> = Readonly<Record<N, number>>;

/** value -> name, made once per table; where two names share a value, the first one given wins. */
export function namer<N extends string>(names: Names<N>): (n: number) => N | number {
  const byValue = new Map<number, N>();
  for (const [k, v] of Object.entries(names) as Array<[N, number]>) if (!byValue.has(v)) byValue.set(v, k);
  return (n) => byValue.get(n) ?? n;
}

/** A bit set -> the names of its bits (masks of several bits too), each unknown bit kept as its number. */
export function flagNamer<N extends string>(names: Names<N>): (n: number) => Array<N | number> {
  const entries = (Object.entries(names) as Array<[N, number]>).filter(([, bit]) => bit !== 0);
  // Two plain arrays walked by index: this runs for every link of a dump, mostly before V8 has
  // optimised it, and unoptimised code pays for each destructured entry.
  const keys = entries.map(([k]) => k);
  const bits = entries.map(([, bit]) => bit);
  // Gathered here, then copied to size: an array grown by push starts at 17 slots, and a dump
  // keeps one per link or address.
  const out: Array<N | number> = [];
  return (n) => {
    out.length = 0;
    let rest = n >>> 0;
    for (let i = 0; i < keys.length; i++) {
      if ((rest & bits[i]) === bits[i]) {
        out.push(keys[i]);
        rest = (rest & ~bits[i]) >>> 0;
      }
    }
    for (let b = 1; rest !== 0; b = (b << 1) >>> 0) {
      if (rest & b) {
        out.push(b);
        rest = (rest & ~b) >>> 0;
      }
    }
    return out.slice();
  };
}

/** A name of the table, or an integer from 0 to `max`, as its number; anything else is an EncodeError naming `what`. */
export function valueOf<N extends string>(names: Names<N>, v: N | number, what: string, max = 0xffffffff): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new EncodeError(`${what} ${v} is not an integer from 0 to ${max}`);
    return v;
  }
  if (typeof v !== 'string' || !Object.hasOwn(names, v)) {
    // As JSON: an array or object that prints as a known name must not look like one.
    const shown = typeof v === 'string' ? `"${v}"` : asJson(v);
    const known = Object.keys(names);
    // A value with no names (a metric, a tos) is a number or nothing.
    throw new EncodeError(known.length === 0 ? `${what} ${shown} is not an integer from 0 to ${max}` : `unknown ${what} ${shown} (known: ${known.join(', ')})`);
  }
  return names[v];
}

/**
 * What to say of a key (an option, an attribute's key) that is none of `known`: the known one it
 * most likely meant (two edits or fewer, case aside), or else every known one.
 */
export function unknownKey(key: string, known: readonly string[]): string {
  let best = '';
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  const hint = bestDistance <= Math.min(2, key.length - 1) ? `did you mean ${best}?` : `known: ${known.join(', ')}`;
  return `unknown option ${asJson(key)} (${hint})`;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** Names (or bits as numbers) -> their bit set. */
export function bitsOf<N extends string>(names: Names<N>, list: ReadonlyArray<N | number>, what = 'flag'): number {
  if (!Array.isArray(list)) throw new EncodeError(`${what}s must be an array, not ${asText(list)}`);
  return list.reduce<number>((acc, v) => (acc | valueOf(names, v, what)) >>> 0, 0);
}
