/** Netlink speaks the host's byte order; detect it once, without I/O. */
export const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
