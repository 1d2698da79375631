// RTM_NEWNETCONF / RTM_DELNETCONF / RTM_GETNETCONF: struct netconfmsg, then NETCONFA_* attributes
// (<linux/netconf.h>): a family's per-link settings that routing depends on (the sysctls under
// net.ipv4.conf.DEV and net.ipv6.conf.DEV), for each link and for `all` and `default`.
import { s32 } from '../netlink/codecs.js';
import { familyCodec, type FamilyMessage } from '../netlink/family.js';
import { field } from '../netlink/schema.js';
import { familyByte, type FamilyByte } from './common.js';

export const NETCONFA_IFINDEX = 1;
export const NETCONFA_FORWARDING = 2;
export const NETCONFA_RP_FILTER = 3;
export const NETCONFA_MC_FORWARDING = 4;
export const NETCONFA_PROXY_NEIGH = 5;
export const NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN = 6;
export const NETCONFA_INPUT = 7;
export const NETCONFA_BC_FORWARDING = 8;

/** NETCONFA_IFINDEX of the settings every link takes part in (net.ipv4.conf.all). */
export const NETCONFA_IFINDEX_ALL = -1;
/** NETCONFA_IFINDEX of the settings a new link starts with (net.ipv4.conf.default). */
export const NETCONFA_IFINDEX_DEFAULT = -2;
/** The two NETCONFA_IFINDEX values that are no link, by the words ip and sysctl use for them. */
export const NETCONF_INDEXES = { all: NETCONFA_IFINDEX_ALL, default: NETCONFA_IFINDEX_DEFAULT } as const;

/** rp_filter's values as iproute2 names them (ipnetconf.c). */
export const RP_FILTERS = { off: 0, strict: 1, loose: 2 } as const;
export type RpFilter = keyof typeof RP_FILTERS;

/** struct netconfmsg: one byte of family, padded to 4 on the wire. */
export type NetconfMsg = FamilyByte;
export const netconfmsg = familyByte('netconfmsg');

// In the order the kernel writes them (inet_netconf_fill_devconf()), so that a dump re-encodes as it came.
export const netconfTable = {
  ifindex: field(NETCONFA_IFINDEX, s32),
  forwarding: field(NETCONFA_FORWARDING, s32),
  rpFilter: field(NETCONFA_RP_FILTER, s32),
  mcForwarding: field(NETCONFA_MC_FORWARDING, s32),
  bcForwarding: field(NETCONFA_BC_FORWARDING, s32),
  proxyNeigh: field(NETCONFA_PROXY_NEIGH, s32),
  ignoreRoutesWithLinkdown: field(NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, s32),
  /** MPLS: the link takes labelled packets in. */
  input: field(NETCONFA_INPUT, s32),
};

export const netconfCodec = familyCodec('netconfmsg', netconfmsg, netconfTable);
export type NetconfMessage = FamilyMessage<NetconfMsg, typeof netconfTable>;
