// IFLA_INFO_DATA of kind "veth": the peer is a whole link message (ifinfomsg + IFLA_*).
// link.ts needs every kind's table, so this file cannot import the link codec: link.ts makes
// the table, handing in its own codec for the peer (no import cycle).
import { field, type Attrs, type Codec } from '../../netlink/schema.js';

export const VETH_INFO_PEER = 1;

/** The veth table, given the codec of a link message for its peer. */
export function vethTableFor<P>(peer: Codec<P>) {
  return {
    /** The other end, as a link message: its name, address, namespace (IFLA_NET_NS_FD)... */
    peer: field(VETH_INFO_PEER, peer),
  };
}
/** IFLA_INFO_DATA of a veth whose peer decodes to `P` (a Link: see VethData in link.ts). */
export type VethDataOf<P> = Attrs<ReturnType<typeof vethTableFor<P>>>;
