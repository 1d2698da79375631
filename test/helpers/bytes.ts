// Test-only byte builders: vectors are written by hand or pasted from strace, never
// produced by the writer under test.

/** Hex to bytes. Whitespace, `\x`, and `#`/`//` comments to the end of a line are ignored. */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/(#|\/\/).*$/gm, '').replace(/\\x/g, '').replace(/[\s,]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex vector: ${clean.slice(0, 40)}...`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

const le16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
const le32 = (n: number): number[] => [...le16(n & 0xffff), ...le16((n >>> 16) & 0xffff)];

/** One attribute, little-endian header, padded to 4 bytes. */
export function nla(type: number, value: Uint8Array | number[]): number[] {
  const v = Array.from(value);
  const len = 4 + v.length;
  return [...le16(len), ...le16(type), ...v, ...new Array((4 - (len % 4)) % 4).fill(0)];
}

/** One netlink message: header then payload. */
export function nlmsg(type: number, flags: number, seq: number, pid: number, payload: number[]): Uint8Array {
  return Uint8Array.from([...le32(16 + payload.length), ...le16(type), ...le16(flags), ...le32(seq), ...le32(pid), ...payload]);
}

export { le16, le32 };
