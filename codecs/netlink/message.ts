// nlmsghdr framing, and the control messages every family shares: NLMSG_ERROR (acks and
// errors, with extended-ACK TLVs) and NLMSG_DONE (which may carry an error of its own).
import {
  NLMSG_HDRLEN, NLMSG_MIN_TYPE, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY, align,
} from './constants.js';
import { getAt } from './attrs.js';
import { bytes, string, u32 } from './codecs.js';
import { DecodeError } from './errors.js';
import { LE, view } from './endian.js';
import { decodeAttrs, field, type Attrs } from './schema.js';

export interface NlHeader {
  len: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

export interface NlMessage {
  header: NlHeader;
  /** The bytes after the header, a view into the receive buffer. */
  payload: Uint8Array;
}

export function decodeHeader(b: Uint8Array, off = 0): NlHeader {
  if (b.length - off < NLMSG_HDRLEN) throw new DecodeError(`${b.length - off} bytes, too short for a netlink header`, off);
  // Read in place: a DataView for each message of a dump cost more than the reads.
  return {
    len: getAt.u32(b, off, off + 4),
    type: getAt.u16(b, off + 4, off + 6),
    flags: getAt.u16(b, off + 6, off + 8),
    seq: getAt.u32(b, off + 8, off + 12),
    pid: getAt.u32(b, off + 12, off + 16),
  };
}

/** The message that begins at byte `off` of `buf`; the next begins at `off + align(header.len)`. */
export function messageAt(buf: Uint8Array, off: number): NlMessage {
  const header = decodeHeader(buf, off);
  if (header.len < NLMSG_HDRLEN || off + header.len > buf.length) {
    throw new DecodeError(`message claims ${header.len} bytes, ${buf.length - off} remain`, off);
  }
  return { header, payload: buf.subarray(off + NLMSG_HDRLEN, off + header.len) };
}

/** Splits one datagram into its messages. */
export function parseMessages(buf: Uint8Array): NlMessage[] {
  const out: NlMessage[] = [];
  for (let off = 0; off < buf.length;) {
    const m = messageAt(buf, off);
    out.push(m);
    off += align(m.header.len);
  }
  return out;
}

/** The extended-ACK attributes (enum nlmsgerr_attrs). */
export const extAckTable = {
  msg: field(NLMSGERR_ATTR_MSG, string),
  offset: field(NLMSGERR_ATTR_OFFS, u32),
  cookie: field(NLMSGERR_ATTR_COOKIE, bytes),
  policy: field(NLMSGERR_ATTR_POLICY, bytes),
  missingType: field(NLMSGERR_ATTR_MISS_TYPE, u32),
  missingNest: field(NLMSGERR_ATTR_MISS_NEST, u32),
};
export type ExtAck = Attrs<typeof extAckTable>;

export interface ErrorPayload {
  /** 0 for an acknowledgement, else a negative errno. */
  error: number;
  /** Header of the request this answers. */
  request: NlHeader;
  ext: ExtAck;
}

/** Decodes the payload of NLMSG_ERROR: `int error; struct nlmsghdr msg; [payload]; [TLVs]`. */
export function decodeError(m: NlMessage): ErrorPayload {
  const p = m.payload;
  if (p.length < 4 + NLMSG_HDRLEN) throw new DecodeError(`NLMSG_ERROR payload is ${p.length} bytes, too short`);
  const error = view(p).getInt32(0, LE);
  const request = decodeHeader(p, 4);
  let ext: ExtAck = {};
  if (m.header.flags & NLM_F_ACK_TLVS) {
    const tlvAt = 4 + (m.header.flags & NLM_F_CAPPED ? NLMSG_HDRLEN : align(request.len));
    if (tlvAt > p.length) throw new DecodeError(`extended ACK starts at ${tlvAt}, past the ${p.length}-byte payload`);
    ext = decodeAttrs(extAckTable, p.subarray(tlvAt));
  }
  return { error, request, ext };
}

/** NLMSG_DONE ends a dump; its payload is an int (0, or a negative errno) then, maybe, TLVs. */
export function decodeDone(m: NlMessage): { error: number; ext: ExtAck } {
  const p = m.payload;
  if (p.length === 0) return { error: 0, ext: {} };
  if (p.length < 4) throw new DecodeError(`NLMSG_DONE payload is ${p.length} bytes, too short`);
  const error = view(p).getInt32(0, LE);
  const ext = m.header.flags & NLM_F_ACK_TLVS ? decodeAttrs(extAckTable, p.subarray(4)) : {};
  return { error, ext };
}

/** Netlink's own messages (NOOP, ERROR, DONE, OVERRUN): every type below NLMSG_MIN_TYPE, whatever the family. */
export function isControl(type: number): boolean {
  return type < NLMSG_MIN_TYPE;
}
