// Addresses as iproute2 reads them: prefixes as its selectors take and compare them
// (lib/utils.c get_prefix_1, inet_addr_match: `default`, `all`/`any`, an address with or
// without a length), and link-layer addresses (ll_addr_a2n).
import { parseIp, parseLladdr } from '../../codecs/netlink/addresses.js';
import { CliError, cNumber } from './args.js';

export interface Prefix {
  /** 0 (`all`, `any`, `default` with no family chosen), 2 or 10; 17 (AF_PACKET) for a link-layer address, its bytes not kept. */
  family: number;
  bytes: Uint8Array;
  /** Bits that count: the length given, else the whole address (0 for all/any/default). */
  bitlen: number;
  /** A length was given, or `default` (PREFIXLEN_SPECIFIED). */
  lenGiven: boolean;
}

/** get_addr_ipv4(): one to four parts (`10` is 10.0.0.0), each decimal, 0x hex or 0 octal, up to 255. */
function ipv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length > 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const n = cNumber(p);
    if (!(n <= 255)) return undefined;
    out[i] = n;
  }
  return out;
}

function parse(s: string, family: number): Prefix | undefined {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  let p: Prefix;
  if (addr === 'default' || addr === 'all' || addr === 'any') {
    if (slash >= 0) return undefined;
    return { family, bytes: new Uint8Array(family === 10 ? 16 : 4), bitlen: 0, lenGiven: addr === 'default' };
  } else if (addr.includes(':')) {
    if (family !== 0 && family !== 10) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = parseIp(addr);
    } catch {
      return undefined;
    }
    if (bytes.length !== 16) return undefined;
    p = { family: 10, bytes, bitlen: 128, lenGiven: false };
  } else {
    const bytes = family === 0 || family === 2 ? ipv4(addr) : undefined;
    if (!bytes) return undefined;
    p = { family: 2, bytes, bitlen: 32, lenGiven: false };
  }
  if (slash >= 0) {
    const len = s.slice(slash + 1);
    if (!/^\d+$/.test(len) || Number(len) > p.bitlen) return undefined;
    p.bitlen = Number(len);
    p.lenGiven = true;
  }
  return p;
}

/** family_name_verbose(), for the families -f takes. */
const FAMILY_WORDS: Record<number, string> = { 0: 'any valid', 2: 'inet', 10: 'inet6', 17: 'link' };

/** get_prefix(): a malformed prefix ends ip (exit 1) with `Error: inet prefix is expected rather than "x".` */
export function prefixArg(s: string, family: number): Prefix {
  if (family === 17) throw new CliError(`Error: "${s}" may be inet prefix, but it is not allowed in this context.`, 1, true);
  const p = parse(s, family);
  if (!p) throw expectedError(s, family, true);
  return p;
}

/** get_prefix()'s (get_addr()'s, `what` 'address') message for what is no prefix of `family`; `exits` where ip ends there. */
export const expectedError = (s: string, family: number, exits = false, what: 'prefix' | 'address' = 'prefix'): CliError =>
  new CliError(`Error: ${FAMILY_WORDS[family]} ${what} is expected rather than "${s}".`, 1, exits);

/** The zero address of a family (IPv4's for none): what ip's request of no address comes to. */
export const zeroAddress = (family: number): string => (family === 10 ? '::' : '0.0.0.0');

/** get_addr_1(): `any` and `all` are an address of no bytes in every family, and so is `default` in none. */
export const noBytes = (p: Prefix, arg: string): boolean => p.family === 0 || arg === 'any' || arg === 'all';

/**
 * get_addr_1() of a link-layer address (-0, AF_PACKET): `default`, `all` and `any` of no bytes,
 * ll_addr_a2n()'s forms (a dotted IPv4 address; else parts between colons, each read as
 * sscanf("%x") reads, so leniently); what it refuses, refused in its words: the part, then the
 * word as ip has it then, cut at its first colon (ll_addr_a2n() writes a NUL there).
 */
function linkAddress(s: string): Prefix {
  const none = s === 'default' || s === 'all' || s === 'any';
  const bad = none ? undefined : s.includes('.') ? (ipv4(s) ? undefined : s) : unreadPart(s);
  const shown = s.includes('.') ? s : s.split(':')[0];
  if (bad !== undefined) throw new CliError(`"${bad}" is invalid lladdr.\n${expectedError(shown, 17, true, 'address').message}`, 1, true);
  return { family: 17, bytes: new Uint8Array(0), bitlen: 0, lenGiven: false };
}

/** get_addr(): an address alone (`default`, `all` and `any` pass, without a family); as get_prefix() it ends ip when malformed. */
export function addressArg(s: string, family: number): Prefix {
  if (family === 17) return linkAddress(s);
  const p = s.includes('/') ? undefined : parse(s, family);
  if (!p) throw expectedError(s, family, true, 'address');
  return p;
}

/** An address as the codecs take it (`10.1` is 10.1.0.0). */
export function addressText(p: Prefix): string {
  if (p.family === 2) return p.bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((p.bytes[i] << 8) | p.bytes[i + 1]).toString(16));
  return groups.join(':');
}

/** inet_addr_match(): the first `bits` bits of two addresses are the same. */
export function sameBits(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((a[i] ?? 0) ^ (b[i] ?? 0)) & mask) return false;
  }
  return true;
}

/** An address as bytes, to compare with a prefix (an attribute the message did not have is all zeros). */
export const addressBytes = (s: string | undefined): Uint8Array => (s === undefined ? new Uint8Array(16) : parseIp(s));

/**
 * inet_addr_match_rta(): an address is inside the prefix; always, for no prefix, a family-less
 * one, a zero length or no address.
 */
export function inside(p: Prefix | undefined, address: string | undefined): boolean {
  if (!p || p.family === 0 || p.bitlen <= 0 || address === undefined) return true;
  const a = addressBytes(address);
  return a.length === p.bytes.length && sameBits(a, p.bytes, p.bitlen);
}

/** ll_addr_a2n()'s reading: how many bytes the link-layer address has, undefined for none. */
export function lladdrBytes(s: string): number | undefined {
  try {
    return parseLladdr(s).length;
  } catch {
    return undefined;
  }
}

/** ll_addr_a2n(): a link-layer address, lower-cased; else ip's `"x" is invalid lladdr.`, naming the part it stopped at. */
export function lladdr(s: string): string {
  if (lladdrBytes(s) === undefined) throw new CliError(`"${badPart(s)}" is invalid lladdr.`);
  return s.toLowerCase();
}

/**
 * Where ll_addr_a2n() stops on a malformed address: it reads each part up to a colon with
 * sscanf("%x") (a part that does not begin with a hex digit, or is past 255, fails) and names the
 * part; a dotted one it names whole. One it would take (`1x`) is refused here, named whole.
 */
function badPart(s: string): string {
  return s.includes('.') ? s : unreadPart(s) ?? s;
}

/** The first part between colons that ll_addr_a2n()'s sscanf("%x") cannot read as a byte (a sign and 0x may lead). */
function unreadPart(s: string): string | undefined {
  return s.split(':').find((p) => {
    const n = parseInt(p, 16);
    return !/^[+-]?[0-9a-fA-F]/.test(p) || !(n >= 0 && n <= 255);
  });
}
