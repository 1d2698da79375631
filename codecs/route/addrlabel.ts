// RTM_NEWADDRLABEL / RTM_DELADDRLABEL / RTM_GETADDRLABEL: struct ifaddrlblmsg, then IFAL_*
// attributes (<linux/if_addrlabel.h>): IPv6's address label policy (RFC 6724), by prefix and link.
import { getAt } from '../netlink/attrs.js';
import { ip, u32 } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage, type Struct } from '../netlink/family.js';
import { field } from '../netlink/schema.js';

export { RTM_NEWADDRLABEL, RTM_DELADDRLABEL, RTM_GETADDRLABEL } from './constants.js';

export const IFAL_ADDRESS = 1;
export const IFAL_LABEL = 2;

/** The label the kernel keeps for "none": refused as a label. */
export const IPV6_ADDR_LABEL_DEFAULT = 0xffffffff;

/** struct ifaddrlblmsg: 12 bytes. `seq` is the kernel's generation of the table, in a dump. */
export interface IfAddrLblMsg {
  family: number;
  prefixlen: number;
  flags: number;
  index: number;
  seq: number;
}

export const ifaddrlblmsg: Struct<IfAddrLblMsg> = {
  size: 12,
  decode(b) {
    return { family: b[0], prefixlen: b[2], flags: b[3], index: getAt.u32(b, 4, 8), seq: getAt.u32(b, 8, 12) };
  },
  encode(w, m) {
    w.u8(m.family).u8(0).u8(m.prefixlen).u8(m.flags).u32(m.index).u32(m.seq);
  },
};

// In the order iproute2 writes them (the label first), so hand-built requests match.
export const addrlabelTable = {
  label: field(IFAL_LABEL, u32),
  address: field(IFAL_ADDRESS, ip),
};

export const addrlabelCodec = familyCodec('ifaddrlblmsg', ifaddrlblmsg, addrlabelTable);
export type AddrLabelMessage = FamilyMessage<IfAddrLblMsg, typeof addrlabelTable>;
