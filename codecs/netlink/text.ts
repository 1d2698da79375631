// Short strings made in one piece from character codes. Built a character at a time (`s += c`)
// a name or a MAC made a string per step, a seventh of what decoding a link allocated;
// TextDecoder costs more than both for strings this short.

/** The longest string made here; longer ones are made the slow way (and keep no array). */
export const MAX_CODES = 128;

/** Arrays by length, reused: String.fromCharCode.apply takes exactly the codes it is given. */
const scratch: number[][] = [];

/** Room for `n` ≤ MAX_CODES character codes, to fill and hand to fromCodes(); the next call reuses it. */
export function codeArray(n: number): number[] {
  return (scratch[n] ??= new Array<number>(n).fill(0));
}

/** The string of `codes`. */
export function fromCodes(codes: number[]): string {
  return String.fromCharCode.apply(null, codes);
}
