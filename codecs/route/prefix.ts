// RTM_NEWPREFIX: struct prefixmsg, then PREFIX_* attributes (<linux/rtnetlink.h>). The kernel
// tells a prefix of an IPv6 router advertisement's Prefix Information option as it takes it in
// (addrconf_prefix_rcv()); there is nothing to ask for or dump.
import { getAt } from '../netlink/attrs.js';
import { ip } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage, type Struct } from '../netlink/family.js';
import { field } from '../netlink/schema.js';
import { u32Struct } from './common.js';

export { RTM_NEWPREFIX } from './constants.js';

export const PREFIX_UNSPEC = 0;
export const PREFIX_ADDRESS = 1;
export const PREFIX_CACHEINFO = 2;

/** The option's type in prefix_type: ND_OPT_PREFIX_INFORMATION (<netinet/icmp6.h>). */
export const ND_OPT_PREFIX_INFORMATION = 3;

/**
 * prefix_flags. Kernels since 6.8 (and the stable ones that took the change) send the option's
 * flag byte as it came: L (on-link) 0x80, A (autonomous) 0x40, R (router address) 0x20, P (DHCPv6-PD
 * preferred) 0x10. Kernels before sent IF_PREFIX_ONLINK and IF_PREFIX_AUTOCONF, the bits iproute2
 * reads: bits an advertisement must leave zero, so they are read as the same two flags.
 */
export const PREFIX_FLAGS = { onlink: 0x80, autoconf: 0x40, routeraddr: 0x20, preferpd: 0x10 } as const;
export type PrefixFlag = keyof typeof PREFIX_FLAGS;
export const IF_PREFIX_ONLINK = 0x01;
export const IF_PREFIX_AUTOCONF = 0x02;

/** struct prefixmsg: 12 bytes (the pad fields kept so that odd senders round-trip). */
export interface PrefixMsg {
  family: number;
  pad1: number;
  pad2: number;
  ifindex: number;
  /** The ND option the prefix came in (ND_OPT_PREFIX_INFORMATION). */
  type: number;
  prefixlen: number;
  flags: number;
  pad3: number;
}

export const prefixmsg: Struct<PrefixMsg> = {
  size: 12,
  decode(b) {
    return {
      family: b[0], pad1: b[1], pad2: getAt.u16(b, 2, 4), ifindex: getAt.s32(b, 4, 8),
      type: b[8], prefixlen: b[9], flags: b[10], pad3: b[11],
    };
  },
  encode(w, m) {
    w.u8(m.family).u8(m.pad1).u16(m.pad2).s32(m.ifindex).u8(m.type).u8(m.prefixlen).u8(m.flags).u8(m.pad3);
  },
};

export const prefixTable = {
  address: field(PREFIX_ADDRESS, ip),
  /** struct prefix_cacheinfo: the lifetimes advertised, in seconds (0xffffffff: for ever). */
  cacheinfo: field(PREFIX_CACHEINFO, u32Struct('prefix_cacheinfo', ['preferred', 'valid'] as const)),
};

export const prefixCodec = familyCodec('prefixmsg', prefixmsg, prefixTable);
export type PrefixMessage = FamilyMessage<PrefixMsg, typeof prefixTable>;
