// RTM_NEWNSID / RTM_DELNSID / RTM_GETNSID: struct rtgenmsg, then NETNSA_* attributes
// (<linux/net_namespace.h>). An nsid is how one namespace numbers another; -1 means none yet.
import { s32, u32 } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage } from '../netlink/family.js';
import { field } from '../netlink/schema.js';
import { familyByte, type FamilyByte } from './common.js';

export { RTM_NEWNSID, RTM_DELNSID, RTM_GETNSID } from './constants.js';

export const NETNSA_NONE = 0;
export const NETNSA_NSID = 1;
export const NETNSA_PID = 2;
export const NETNSA_FD = 3;
export const NETNSA_TARGET_NSID = 4;
export const NETNSA_CURRENT_NSID = 5;

/** The value of NETNSA_NSID for a namespace that has no id (and, in a request, "pick one"). */
export const NETNSA_NSID_NOT_ASSIGNED = -1;

/** struct rtgenmsg: one byte of family (AF_UNSPEC here), padded to 4 on the wire. */
export type RtGenMsg = FamilyByte;
export const rtgenmsg = familyByte('rtgenmsg');

// In the order iproute2 writes them (the peer first, then the id), so hand-built requests match.
export const nsidTable = {
  /** In a request: the peer, as the network namespace of this process. */
  pid: field(NETNSA_PID, u32),
  /** In a request: the peer, as an open namespace fd of the sender. */
  fd: field(NETNSA_FD, u32),
  /** The id, as the socket's namespace (or the target's) numbers the peer. */
  nsid: field(NETNSA_NSID, s32),
  /** Ask as this namespace (by its id here) numbers its peers. */
  targetNsid: field(NETNSA_TARGET_NSID, s32),
  /** With targetNsid: the same peer's id as the socket's own namespace numbers it. */
  currentNsid: field(NETNSA_CURRENT_NSID, s32),
};

export const nsidMessage = familyCodec('rtgenmsg', rtgenmsg, nsidTable);
export type NsidMessage = FamilyMessage<RtGenMsg, typeof nsidTable>;
