// Shared by the address, route and neighbour APIs: parsing what users write (addresses,
// prefixes, families, lifetimes) into what the kernel wants, and naming links.
import { createRequire } from 'node:module';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../codecs/route/constants.js';
import { FAMILIES, type FamilyName } from '../../codecs/route/common.js';
import { bitsToNames, isIp } from '../../codecs/netlink/codecs.js';
import { NetlinkError, invalid } from '../errors.js';
import type { LinkRef } from './session.js';

// require(), not import: Node's import of a CommonJS module first scans its source for export names (start-up time).
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof import('ipaddr.js');

export type { LinkRef };

export interface Prefix {
  family: typeof AF_INET | typeof AF_INET6;
  /** The address as written back by the kernel (RFC 5952 for IPv6). */
  address: string;
  prefixlen: number;
}

const bits = (family: number): number => (family === AF_INET ? 32 : 128);

/** Parses an IP address; `what` names it in the error ("gateway", "neighbour"...). */
export function parseAddress(s: string, what: string): Prefix {
  if (!isIp(s)) {
    throw invalid(`${what} "${String(s)}"`, 'not a valid IPv4 or IPv6 address (no zone: the kernel takes the link apart)');
  }
  const a = ipaddr.parse(s);
  const family = a.kind() === 'ipv4' ? AF_INET : AF_INET6;
  return { family, address: a.toString(), prefixlen: bits(family) };
}

/** Parses `192.0.2.5/24` or `2001:db8::5/64`; a bare address is a host prefix (/32, /128), as iproute2 takes it. */
export function parsePrefix(s: string, what: string): Prefix {
  if (typeof s !== 'string') throw invalid(`${what} ${String(s)}`, 'expected a string like "192.0.2.5/24"');
  const slash = s.indexOf('/');
  const p = parseAddress(slash < 0 ? s : s.slice(0, slash), what);
  if (slash < 0) return p;
  const len = s.slice(slash + 1);
  const prefixlen = Number(len);
  if (!/^\d{1,3}$/.test(len) || prefixlen > bits(p.family)) {
    throw invalid(`${what} "${s}"`, `prefix length must be 0 to ${bits(p.family)}`);
  }
  return { ...p, prefixlen };
}

export function familyNumber(f: FamilyName | undefined): number {
  if (f === undefined) return AF_UNSPEC;
  const n = FAMILIES[f];
  if (n === undefined) throw invalid(`family "${String(f)}"`, 'expected "inet" or "inet6"');
  return n;
}

export function familyName(n: number): FamilyName | number {
  return n === AF_INET ? 'inet' : n === AF_INET6 ? 'inet6' : n;
}

/** A name from a table of names, or a number that fits `max`; anything else is an error naming `what`. */
export function lookup<N extends string>(names: Record<N, number>, v: N | number | undefined, what: string, max = 255): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > max) throw invalid(`${what} ${v}`, `must be an integer from 0 to ${max}`);
    return v;
  }
  const n = (names as Record<string, number>)[v];
  if (n === undefined) throw invalid(`${what} "${v}"`, `unknown (known: ${Object.keys(names).join(', ')})`);
  return n;
}

/** Decoded names for an integer: known values become names, others stay numbers. */
export function namer<N extends string>(names: Record<N, number>): (n: number) => N | number {
  const byValue = new Map<number, N>();
  for (const [k, v] of Object.entries(names) as Array<[N, number]>) if (!byValue.has(v)) byValue.set(v, k);
  return (n) => byValue.get(n) ?? n;
}

/** Decoded names for a bit set, unknown bits kept as numbers; the table is walked once, here, not per message. */
export function flagNamer<N extends string>(names: Record<N, number>): (n: number) => Array<N | number> {
  const entries = (Object.entries(names) as Array<[N, number]>).filter(([, bit]) => bit !== 0);
  return (n) => {
    if (n === 0) return [];
    const out: Array<N | number> = [];
    let rest = n >>> 0;
    for (const [k, bit] of entries) {
      if ((rest & bit) === bit) {
        out.push(k);
        rest = (rest & ~bit) >>> 0;
      }
    }
    return rest === 0 ? out : out.concat(bitsToNames({} as Record<N, number>, rest));
  };
}

/** A lifetime in seconds, or 'forever' (ip's word, and JSON's too: Infinity would print null). */
export type Lifetime = number | 'forever';

/** 'forever' (or undefined) is the kernel's 0xffffffff. */
export function lifetime(v: Lifetime | undefined, what: string): number {
  if (v === undefined || v === 'forever') return 0xffffffff;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 0xffffffff) {
    throw invalid(`${what} ${String(v)}`, "must be a whole number of seconds below 4294967295, or 'forever'");
  }
  return v;
}

export function fromLifetime(v: number): Lifetime {
  return v === 0xffffffff ? 'forever' : v;
}

/** Rethrows a kernel error with the thing at fault named; other errors pass unchanged. */
export function naming(subject: string): (e: unknown) => never {
  return (e) => {
    throw e instanceof NetlinkError ? e.about(subject) : e;
  };
}
