// IFLA_INFO_DATA of kind "veth": the peer is a whole link message (ifinfomsg + IFLA_*).
import type { Codec } from '../../netlink/schema.js';
import { field, type Attrs } from '../../netlink/schema.js';
import { decodeLink, encodeLink, type Link } from '../link.js';

export const VETH_INFO_PEER = 1;

// Resolved at call time: link.ts and this file import each other.
const peer: Codec<Partial<Link>> = { decode: (v) => decodeLink(v), encode: (w, v) => encodeLink(w, v) };

export const vethTable = {
  /** The other end, as a link message: its name, address, namespace (IFLA_NET_NS_FD)... */
  peer: field(VETH_INFO_PEER, peer),
};
export type VethData = Attrs<typeof vethTable>;
