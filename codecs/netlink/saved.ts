// The files `ip route save` and `ip address save` write, which their `restore` and `showdump`
// read back (and CRIU keeps a namespace's routes and addresses in): a 32-bit magic number in
// host order, then netlink messages as the kernel dumped them, each padded to 4 bytes.
import { NLMSG_HDRLEN, NLM_F_MULTI, align } from './constants.js';
import { DecodeError } from './errors.js';
import { decodeHeader, type NlMessage } from './message.js';
import { getAt } from './attrs.js';
import type { Codec } from './schema.js';
import { Writer } from './writer.js';

/** iproute.c's route_dump_magic. */
export const ROUTE_DUMP_MAGIC = 0x45311224;
/** ipaddress.c's ipadd_dump_magic. */
export const ADDRESS_DUMP_MAGIC = 0x47361222;

/**
 * A saved dump of `messages`, each of netlink type `type`. Their headers say what a dump's do
 * (NLM_F_MULTI), with sequence and port 0: restore gives each its own. (ip copies the kernel's
 * headers, with its own sequence and port, and NLM_F_DUMP_FILTERED where the kernel filtered.)
 */
export function writeSaved<T>(magic: number, type: number, codec: Codec<T>, messages: Iterable<T>): Uint8Array {
  const w = new Writer();
  w.u32(magic);
  for (const m of messages) w.message({ type, flags: NLM_F_MULTI, seq: 0 }, (b) => codec.encode(b, m));
  return w.finish();
}

/** Bytes that are not a saved dump: what is wrong (`reason`), at `offset`. */
export class SavedDumpError extends DecodeError {
  override name = 'SavedDumpError';
  constructor(
    readonly reason: 'magic' | 'truncated' | 'malformed',
    /** magic: the number found (what fread() leaves in a zeroed word); malformed: the length the header claims. */
    readonly value: number,
    offset: number,
  ) {
    super(reason === 'magic' ? `not a saved dump of this kind: magic number ${value.toString(16)}`
      : reason === 'truncated' ? 'a message cut short' : `a message of ${value} bytes, shorter than its header`, offset);
  }
}

/**
 * The messages of a saved dump, in its order. What is not one ends the iteration with a
 * SavedDumpError after the messages before it, as `ip ... restore` stops there: another magic
 * number, a header that claims fewer bytes than a header has, or a message cut short.
 */
export function* readSaved(bytes: Uint8Array, magic: number): Generator<NlMessage, void, undefined> {
  const found = magicOf(bytes);
  if (found !== magic) throw new SavedDumpError('magic', found, 0);
  for (let off = 4; off < bytes.length;) {
    if (bytes.length - off < NLMSG_HDRLEN) throw new SavedDumpError('truncated', 0, off);
    const header = decodeHeader(bytes, off);
    if (header.len < NLMSG_HDRLEN) throw new SavedDumpError('malformed', header.len, off);
    const end = off + NLMSG_HDRLEN + align(header.len - NLMSG_HDRLEN);
    if (end > bytes.length) throw new SavedDumpError('truncated', 0, off);
    yield { header, payload: bytes.subarray(off + NLMSG_HDRLEN, off + header.len) };
    off = end;
  }
}

/** The file's first 32 bits, as fread() into a zeroed word has them when fewer than 4 bytes are there. */
function magicOf(bytes: Uint8Array): number {
  const head = new Uint8Array(4);
  head.set(bytes.subarray(0, 4));
  return getAt.u32(head, 0, 4);
}
