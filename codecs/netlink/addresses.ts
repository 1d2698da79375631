// Addresses as text, both ways: IPv4 and IPv6 (with prefixes) and link-layer addresses. The one
// place that parses and prints them, for the codecs, the API and the CLI (whose iproute2
// grammar for selectors, in cli/prefix.ts, takes looser forms on top of these).
import { createRequire } from 'node:module';
import { DecodeError, EncodeError, asText } from './errors.js';
import { HEX } from './json.js';
import { MAX_CODES, codeArray, fromCodes } from './text.js';

// ipaddr.js parses addresses only (printing is below): it is loaded on the first parse, with
// require(): Node's import of a CommonJS module first scans its source, which costs start-up time.
let ipaddrLib: typeof import('ipaddr.js') | undefined;
const ipaddr = (): typeof import('ipaddr.js') => (ipaddrLib ??= createRequire(import.meta.url)('ipaddr.js') as typeof import('ipaddr.js'));

/** Text that is not an address: `text` the part at fault, `problem` what is wrong with it. */
export class AddressError extends EncodeError {
  constructor(readonly text: string, readonly problem: string) {
    super(`"${text}": ${problem}`);
  }
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const COLON = 0x3a;

/** `aa:bb:cc:dd:ee:ff`, of any length: the bytes of `v` from `start` to `end`. */
export function formatLladdr(v: Uint8Array, start = 0, end = v.length): string {
  const n = end - start;
  if (n <= 0) return '';
  if (3 * n - 1 > MAX_CODES) return Array.from(v.subarray(start, end), (b) => HEX[b]).join(':');
  const codes = codeArray(3 * n - 1);
  for (let i = 0; i < n; i++) {
    const b = v[start + i];
    codes[3 * i] = HEX_CODES[b >> 4];
    codes[3 * i + 1] = HEX_CODES[b & 15];
    if (i > 0) codes[3 * i - 1] = COLON;
  }
  return fromCodes(codes);
}

export function parseLladdr(s: string, expectLen?: number): Uint8Array {
  if (typeof s !== 'string') throw new AddressError(asText(s), `a ${typeof s} is not a link-layer address`);
  const parts = s.split(':');
  if (!parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p)) || (expectLen !== undefined && parts.length !== expectLen)) {
    throw new AddressError(s, `not a valid ${expectLen === 6 ? 'MAC' : 'link-layer'} address`);
  }
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

/** The address in the bytes of `v` from `start` to `end`: IPv4 (4 bytes) or IPv6 (16). */
export function formatIp(v: Uint8Array, start = 0, end = v.length): string {
  if (end - start === 4) return formatIpv4(v, start);
  if (end - start === 16) return formatIpv6(v.subarray(start, end));
  throw new DecodeError(`IP address is ${end - start} bytes, expected 4 or 16`);
}

/** Each byte's decimal text, made once. */
const DECIMAL = Array.from({ length: 256 }, (_, b) => String(b));

/**
 * A dotted quad, joined from each byte's text: at most 15 characters, so V8 makes it flat, or of
 * two flat parts. Three times faster before V8 optimises it than from character codes, and faster after.
 */
function formatIpv4(v: Uint8Array, start: number): string {
  return DECIMAL[v[start]] + '.' + DECIMAL[v[start + 1]] + '.' + DECIMAL[v[start + 2]] + '.' + DECIMAL[v[start + 3]];
}

/**
 * As glibc's inet_ntop() writes it (and so ip): RFC 5952's lower-case groups without leading
 * zeros, the longest run of two or more zero groups (the first of equals) as "::"; and an
 * IPv4-mapped or IPv4-compatible address (the run the first six groups, or five then ffff) with its
 * last 32 bits as a dotted quad: `::ffff:192.0.2.1`, `::192.0.2.1`.
 */
function formatIpv6(v: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((v[i] << 8) | v[i + 1]);
  let at = -1;
  let len = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > len) [at, len] = [i, j - i];
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (at === 0 && (len === 6 || (len === 5 && groups[5] === 0xffff))) return `::${len === 5 ? 'ffff:' : ''}${formatIpv4(v, 12)}`;
  return at < 0 ? hex(groups) : `${hex(groups.slice(0, at))}::${hex(groups.slice(at + len))}`;
}

/**
 * IPv6 text whose last 32 bits are a dotted quad, those as two hex groups (`::192.0.2.1` is
 * `::c000:201`): ipaddr.js makes `::192.0.2.1` IPv4-mapped (`::ffff:c000:201`), inet_pton() does not.
 */
function hexTail(s: string): string {
  const colon = s.lastIndexOf(':');
  const quad = ipv4Bytes(s.slice(colon + 1));
  if (!quad) return s;
  return `${s.slice(0, colon + 1)}${((quad[0] << 8) | quad[1]).toString(16)}:${((quad[2] << 8) | quad[3]).toString(16)}`;
}

/** A dotted quad: four decimal parts of 0 to 255, without leading zeros. */
const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** The four bytes of a dotted quad, or undefined. IPv4 is parsed here: ipaddr.js is the slow part of adding an address. */
function ipv4Bytes(s: string): Uint8Array | undefined {
  const m = DOTTED_QUAD.exec(s);
  if (!m) return undefined;
  const b = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const v = Number(m[i + 1]);
    if (v > 255) return undefined;
    b[i] = v;
  }
  return b;
}

/**
 * Dotted-quad IPv4 or IPv6, nothing looser: ipaddr.js alone would also take "127.1", hex and
 * octal parts, and a zone ("fe80::1%eth0") that the kernel's 16 bytes cannot carry.
 */
export function isIp(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  return s.includes(':') ? !s.includes('%') && ipaddr().IPv6.isValid(s) : ipv4Bytes(s) !== undefined;
}

/** A well-formed address (isIp) in 224.0.0.0/4 or ff00::/8. */
export const isMulticast = (a: string): boolean => (a.includes(':') ? /^ff/i.test(a) : Number(a.split('.')[0]) >> 4 === 14);

export function parseIp(s: string): Uint8Array {
  // Each form parsed once: a dotted quad here, IPv6 by ipaddr.js once isIp() has held it to the strict forms.
  const bytes = typeof s !== 'string' ? undefined
    : !s.includes(':') ? ipv4Bytes(s)
    // An IPv4-mapped address stays IPv6: "::ffff:192.0.2.1" is 16 bytes, as the user wrote it.
    : isIp(s) ? Uint8Array.from(ipaddr().parse(hexTail(s)).toByteArray()) : undefined;
  if (!bytes) throw new AddressError(asText(s), 'not a valid IPv4 or IPv6 address');
  return bytes;
}

/** An address with its prefix length, the address as the kernel writes it back (RFC 5952 for IPv6). */
export interface IpPrefix {
  /** 32 for IPv4, 128 for IPv6. */
  bits: 32 | 128;
  address: string;
  prefixlen: number;
}

/** An address alone: a host prefix (/32, /128). */
export function parseAddress(s: string): IpPrefix {
  const bytes = parseIp(s);
  const bits = bytes.length === 4 ? 32 : 128;
  return { bits, address: formatIp(bytes), prefixlen: bits };
}

/** `192.0.2.5/24` or `2001:db8::5/64`; a bare address is a host prefix, as iproute2 takes it. */
export function parsePrefix(s: string): IpPrefix {
  if (typeof s !== 'string') throw new AddressError(asText(s), 'expected a string like "192.0.2.5/24"');
  const slash = s.indexOf('/');
  const p = parseAddress(slash < 0 ? s : s.slice(0, slash));
  if (slash < 0) return p;
  const len = s.slice(slash + 1);
  const prefixlen = Number(len);
  if (!/^\d{1,3}$/.test(len) || prefixlen > p.prefixlen) throw new AddressError(s, `prefix length must be 0 to ${p.prefixlen}`);
  return { ...p, prefixlen };
}

/** A prefix's network: its address with the bits past its length cleared, as the kernel keeps a prefix (`2001:db8::5/32` is `2001:db8::/32`). */
export function networkOf(p: IpPrefix): string {
  const bytes = parseIp(p.address);
  for (let bit = p.prefixlen; bit < bytes.length * 8; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  return formatIp(bytes);
}
