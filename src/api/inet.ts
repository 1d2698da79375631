// Shared by the address, route and neighbour APIs: parsing what users write (addresses,
// prefixes, families, lifetimes) into what the kernel wants, and naming links.
import { constants } from 'node:os';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../codecs/route/constants.js';
import { FAMILIES, type FamilyName } from '../../codecs/route/common.js';
import {
  AddressError, parseAddress as parseIpAddress, parsePrefix as parseIpPrefix, type IpPrefix,
} from '../../codecs/netlink/addresses.js';
import { EncodeError, asText } from '../../codecs/netlink/errors.js';
import { valueOf, type Names } from '../../codecs/netlink/names.js';
import { InvalidArgumentError, NetlinkError, checkBoolean, invalid } from '../errors.js';
import type { LinkRef, Session } from './session.js';

export type { LinkRef };

export interface Prefix {
  family: typeof AF_INET | typeof AF_INET6;
  /** The address as written back by the kernel (RFC 5952 for IPv6). */
  address: string;
  prefixlen: number;
}

/** The text parsers of codecs/netlink/addresses.ts, their EncodeError an InvalidArgumentError naming `what`. */
function parsed(parse: (s: string) => IpPrefix, s: string, what: string): Prefix {
  try {
    const { bits, address, prefixlen } = parse(s);
    return { family: bits === 32 ? AF_INET : AF_INET6, address, prefixlen };
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
    const zone = e.text.includes('%') ? ' (no zone: the kernel takes the link apart)' : '';
    throw invalid(`${what} "${e.text}"`, `${e.problem}${zone}`);
  }
}

/** Parses an IP address; `what` names it in the error ("gateway", "neighbour"...). */
export function parseAddress(s: string, what: string): Prefix {
  return parsed(parseIpAddress, s, what);
}

/** Parses `192.0.2.5/24` or `2001:db8::5/64`; a bare address is a host prefix (/32, /128), as iproute2 takes it. */
export function parsePrefix(s: string, what: string): Prefix {
  return parsed(parseIpPrefix, s, what);
}

export function familyNumber(f: FamilyName | undefined): number {
  if (f === undefined) return AF_UNSPEC;
  const n = typeof f === 'string' && Object.hasOwn(FAMILIES, f) ? FAMILIES[f] : undefined;
  if (n === undefined) throw invalid(`family "${asText(f)}"`, 'expected "inet" or "inet6"');
  return n;
}

export function familyName(n: number): FamilyName | number {
  return n === AF_INET ? 'inet' : n === AF_INET6 ? 'inet6' : n;
}

/**
 * A name from a table of names, or a number that fits `max`; anything else is an
 * InvalidArgumentError naming `what`, after `subject` when given (`route 198.51.100.0/24`).
 */
export function lookup<N extends string>(names: Names<N>, v: N | number | undefined, what: string, max = 255, subject?: string): number | undefined {
  if (v === undefined) return undefined;
  try {
    return valueOf(names, v, what, max);
  } catch (e) {
    throw e instanceof EncodeError ? new InvalidArgumentError({ errno: constants.errno.EINVAL, subject, text: e.message }) : e;
  }
}

/** A lifetime in seconds, or 'forever' (ip's word, and JSON's too: Infinity would print null). */
export type Lifetime = number | 'forever';

/** 'forever' (or undefined) is the kernel's 0xffffffff. */
export function lifetime(v: Lifetime | undefined, what: string): number {
  if (v === undefined || v === 'forever') return 0xffffffff;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 0xffffffff) {
    throw invalid(`${what} ${asText(v)}`, "must be a whole number of seconds below 4294967295, or 'forever'");
  }
  return v;
}

export function fromLifetime(v: number): Lifetime {
  return v === 0xffffffff ? 'forever' : v;
}

/** The values that are there: what a dump's decoder gave, less the messages it passed over. */
export function present<T>(xs: Array<T | undefined>): T[] {
  return xs.filter((x): x is T => x !== undefined);
}

/** Rethrows a kernel error with the thing at fault named; other errors pass unchanged. */
export function naming(subject: string): (e: unknown) => never {
  return (e) => {
    throw e instanceof NetlinkError ? e.about(subject) : e;
  };
}

/** What the list filters of addresses, routes and neighbours share. */
export interface ListNaming {
  /** Only what is on this link. */
  dev?: LinkRef;
  /**
   * Name the links of what is listed (`dev`). Naming costs a dump of every link, several times
   * the listing itself, so it is asked for. A filter's `dev` given by name names that link free.
   */
  names?: boolean;
}

/**
 * The link names for a listing: every link's with `names: true` (one more dump); else the
 * filter's own link when it is given by name (`index` is its index); else none.
 */
export async function listNames(rt: Session, filter: ListNaming, subject: string, index?: number): Promise<Map<number, string> | undefined> {
  if (checkBoolean(subject, 'names', filter.names)) return rt.linkNames();
  return typeof filter.dev === 'string' && index !== undefined ? new Map([[index, filter.dev]]) : undefined;
}
