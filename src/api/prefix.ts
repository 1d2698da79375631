// Prefixes heard in IPv6 router advertisements (RTM_NEWPREFIX), as `rtnl.monitor({ prefix: true })`
// tells them: typed from the kernel's message. The kernel keeps no list of them to ask for.
import { flagNamer } from '../../codecs/netlink/names.js';
import type { FamilyName } from '../../codecs/route/common.js';
import { IF_PREFIX_AUTOCONF, IF_PREFIX_ONLINK, PREFIX_FLAGS, type PrefixFlag, type PrefixMessage } from '../../codecs/route/prefix.js';
import { familyName, fromLifetime, type Lifetime } from './inet.js';

/** A prefix of a router advertisement's Prefix Information option, as the kernel took it in. */
export interface AdvertisedPrefix {
  /** 'inet6': router advertisements are IPv6's. */
  family: FamilyName | number;
  /** Index of the link the advertisement came in on. */
  index: number;
  /** Name of that link, when known. */
  dev?: string;
  /** `2001:db8:1::/64`. */
  cidr: string;
  prefixlen: number;
  /** 'onlink' (L), 'autoconf' (A: addresses are made from it), 'routeraddr' (R), 'preferpd' (P). Unknown bits stay numbers. */
  flags: Array<PrefixFlag | number>;
  /** Seconds the prefix is valid for, or 'forever'. */
  validLft?: Lifetime;
  /** Seconds addresses made from it stay preferred, or 'forever'. */
  preferredLft?: Lifetime;
}

const flagNames = flagNamer(PREFIX_FLAGS);

/** prefix_flags named, older kernels' IF_PREFIX_ONLINK and IF_PREFIX_AUTOCONF read as L and A (codecs/route/prefix.ts). */
export function prefixFlags(flags: number): Array<PrefixFlag | number> {
  const older = (flags & IF_PREFIX_ONLINK ? PREFIX_FLAGS.onlink : 0) | (flags & IF_PREFIX_AUTOCONF ? PREFIX_FLAGS.autoconf : 0);
  return flagNames((flags & ~(IF_PREFIX_ONLINK | IF_PREFIX_AUTOCONF)) | older);
}

export function toAdvertisedPrefix(m: PrefixMessage, names?: Map<number, string>): AdvertisedPrefix {
  const out: AdvertisedPrefix = {
    family: familyName(m.family),
    index: m.ifindex,
    cidr: `${m.attrs.address ?? ''}/${m.prefixlen}`,
    prefixlen: m.prefixlen,
    flags: prefixFlags(m.flags),
  };
  const dev = names?.get(m.ifindex);
  if (dev !== undefined) out.dev = dev;
  if (m.attrs.cacheinfo) {
    out.validLft = fromLifetime(m.attrs.cacheinfo.valid);
    out.preferredLft = fromLifetime(m.attrs.cacheinfo.preferred);
  }
  return out;
}
