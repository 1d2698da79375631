// Every failure the library reports is a NetlinkError: errno, its name, and what the
// kernel said (extended ACK) when it said anything. Messages read like iproute2's.
import { getSystemErrorMap } from 'node:util';
import { constants } from 'node:os';
import { DecodeError, asJson } from '../codecs/netlink/errors.js';
import { unknownKey } from '../codecs/netlink/names.js';
import type { NlMessage } from '../codecs/netlink/message.js';

const E = constants.errno;
const systemErrors = getSystemErrorMap();

/** Which request a kernel error answers. */
export interface RequestInfo {
  /** Message type, e.g. RTM_NEWLINK (16). */
  type: number;
  seq: number;
  /** A readable name of what was asked, e.g. `RTM_NEWLINK`. */
  name?: string;
}

export interface NetlinkErrorDetails {
  /** Positive errno (19 for ENODEV). */
  errno: number;
  /** The kernel's extended-ACK message, when it gave one. */
  kernelMessage?: string;
  /** Byte offset, in the request, of the attribute the kernel blamed. */
  offset?: number;
  request?: RequestInfo;
  /** Who or what is at fault, for the message: `link "mv1"`, `namespace "ns01"`. */
  subject?: string;
  /** Overrides the kernel-derived text after the subject. */
  text?: string;
  /** The system call that failed (`send`, `setns`), when it was one; the text starts with it. */
  syscall?: string;
  /** The kernel said it in the NLMSG_DONE ending a dump it had begun, not refusing the dump at once. */
  endedDump?: boolean;
  cause?: unknown;
}

export function errnoName(errno: number): string {
  return systemErrors.get(-errno)?.[0] ?? `E${errno}`;
}

/**
 * libc's text for an errno, the words iproute2 prints ("No such device"). The socket layer
 * installs libc's strerror when it loads koffi: errors alone never load it. Until then (no
 * socket was ever opened, so no kernel error can exist) libuv's words stand in.
 */
let libcStrerror: ((errno: number) => string) | undefined;
export function useStrerror(fn: (errno: number) => string): void {
  libcStrerror = fn;
}
export function strerror(errno: number): string {
  return libcStrerror?.(errno) ?? systemErrors.get(-errno)?.[1] ?? `errno ${errno}`;
}

/** What iproute2 prints for a kernel error: the extended ACK (one final dot, as ip) when given, else strerror. */
export function iproute2Text(errno: number, kernelMessage?: string): string {
  return kernelMessage ? `Error: ${kernelMessage}${kernelMessage.endsWith('.') ? '' : '.'}` : `RTNETLINK answers: ${strerror(errno)}`;
}

export class NetlinkError extends Error {
  override name = 'NetlinkError';
  readonly errno: number;
  /** errno's name: `ENODEV`. */
  readonly code: string;
  readonly kernelMessage?: string;
  readonly offset?: number;
  readonly request?: RequestInfo;
  readonly subject?: string;
  /** The system call that failed, as Node's system errors say it. */
  readonly syscall?: string;
  /** The kernel said it in the NLMSG_DONE ending a dump it had begun (iproute2 keeps quiet on ENOENT there). */
  readonly endedDump?: boolean;
  /** The message without the subject. */
  readonly text: string;
  /**
   * What a call of several requests had done when this error stopped it: the entries a
   * restore() put back (or found there) before the one refused, as restore() resolves with them;
   * an interrupted dump's (DumpInterruptedError). Undefined when it stopped nothing midway.
   */
  partial?: unknown[];

  constructor(d: NetlinkErrorDetails) {
    const text = d.text ?? iproute2Text(d.errno, d.kernelMessage);
    super(d.subject ? `${d.subject}: ${text}` : text, d.cause === undefined ? undefined : { cause: d.cause });
    this.text = text;
    this.errno = d.errno;
    this.code = errnoName(d.errno);
    this.kernelMessage = d.kernelMessage;
    this.offset = d.offset;
    this.request = d.request;
    this.subject = d.subject;
    this.syscall = d.syscall;
    if (d.endedDump) this.endedDump = true;
  }

  /** The same error, with who or what is at fault named in front (a system call's name stays in the text). */
  about(subject: string): NetlinkError {
    const Ctor = this.constructor as new (d: NetlinkErrorDetails) => NetlinkError;
    const { errno, kernelMessage, offset, request, text, syscall, endedDump, cause } = this;
    const named = new Ctor({ errno, kernelMessage, offset, request, text, syscall, endedDump, cause, subject });
    if (this.partial !== undefined) named.partial = this.partial;
    return named;
  }
}

/** ENODEV, ENOENT, ESRCH, EADDRNOTAVAIL: the thing named does not exist. */
export class NotFoundError extends NetlinkError { override name = 'NotFoundError'; }
/** EEXIST. */
export class ExistsError extends NetlinkError { override name = 'ExistsError'; }
/** EPERM, EACCES: not root, or missing CAP_NET_ADMIN / CAP_SYS_ADMIN. */
export class PermissionError extends NetlinkError { override name = 'PermissionError'; }
/** EINVAL and friends; also bad input caught before anything reached the kernel. */
export class InvalidArgumentError extends NetlinkError { override name = 'InvalidArgumentError'; }
/** EBUSY: the device or resource is in use. (A second passthru macvlan is a bare EINVAL on this kernel.) */
export class BusyError extends NetlinkError { override name = 'BusyError'; }
/** ENETUNREACH, EHOSTUNREACH: e.g. a route via a gateway no link reaches. */
export class UnreachableError extends NetlinkError { override name = 'UnreachableError'; }
/** No answer in time. */
export class TimeoutError extends NetlinkError { override name = 'TimeoutError'; }
/** A dump kept being interrupted by concurrent changes (NLM_F_DUMP_INTR) after every retry. */
export class DumpInterruptedError<T = unknown> extends NetlinkError {
  override name = 'DumpInterruptedError';
  /** What the last attempt returned: possibly inconsistent. */
  override partial: T[] = [];
}
/** The socket's receive buffer overflowed (ENOBUFS): notifications were lost; resync by dump. */
export class OverflowError extends NetlinkError { override name = 'OverflowError'; }
/** Bytes from the kernel that do not decode. */
export class ProtocolError extends NetlinkError { override name = 'ProtocolError'; }

const byErrno: Record<number, typeof NetlinkError> = {
  [E.ENODEV]: NotFoundError,
  [E.ENOENT]: NotFoundError,
  [E.ESRCH]: NotFoundError,
  [E.EADDRNOTAVAIL]: NotFoundError,
  [E.EEXIST]: ExistsError,
  [E.EPERM]: PermissionError,
  [E.EACCES]: PermissionError,
  [E.EINVAL]: InvalidArgumentError,
  [E.ERANGE]: InvalidArgumentError,
  [E.EBUSY]: BusyError,
  [E.ENETUNREACH]: UnreachableError,
  [E.EHOSTUNREACH]: UnreachableError,
  [E.ETIMEDOUT]: TimeoutError,
  [E.ENOBUFS]: OverflowError,
};

/** The right subclass for an errno. */
export function errorFor(d: NetlinkErrorDetails): NetlinkError {
  return new (byErrno[d.errno] ?? NetlinkError)(d);
}

/** Runs a decode: bytes from the kernel that do not decode are a ProtocolError, never a bare DecodeError. */
export function decoding<T>(fn: () => T, what = 'message'): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DecodeError) throw new ProtocolError({ errno: E.EPROTO, text: `undecodable ${what}: ${e.message}`, cause: e });
    throw e;
  }
}

/**
 * The client's DumpInterruptedError carries messages: an API hands out its own objects instead
 * (the codec's messages from a dump() method, typed objects from list()).
 */
export function typedPartial<S = NlMessage, T = unknown>(convert: (partial: S[]) => T[]): (e: unknown) => never {
  return (e) => {
    if (!(e instanceof DumpInterruptedError)) throw e;
    const typed = new DumpInterruptedError<T>({ errno: e.errno, request: e.request, text: e.text, subject: e.subject, cause: e });
    typed.partial = decoding(() => convert(e.partial as S[]), 'partial dump');
    throw typed;
  };
}

/**
 * What a call takes must be an object: plain-JS callers get an InvalidArgumentError naming it, not
 * a TypeError. With `keys` (optionKeys()), a key it does not take is refused by name, as TypeScript
 * refuses it in an object literal: a misspelt option would otherwise be passed over in silence.
 */
export function checkObject(what: string, v: unknown, keys?: ReadonlySet<string>): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(what, `expected an object, not ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  if (!keys) return;
  for (const key of Object.keys(v)) if (!keys.has(key)) throw invalid(what, unknownKey(key, [...keys]));
}

/** Every key of every member of a union (keyof gives only the keys all members share). */
type AllKeys<T> = T extends unknown ? keyof T & string : never;
type Complete<T, K extends readonly string[]> = [Exclude<AllKeys<T>, K[number]>] extends [never] ? unknown : { missing: Exclude<AllKeys<T>, K[number]> };

/**
 * The keys an options type takes, for checkObject(): `optionKeys<AddressSpec>()('dev', 'address', ...)`.
 * The compiler refuses a key T lacks and a list that leaves out one of T's.
 */
export function optionKeys<T>() {
  return <const K extends readonly AllKeys<T>[]>(...keys: K & Complete<T, K>): ReadonlySet<string> => new Set<string>(keys);
}

/** An optional switch: plain-JS callers giving anything but true or false get an InvalidArgumentError naming `key`. */
export function checkBoolean(subject: string, key: string, v: unknown): boolean | undefined {
  if (v !== undefined && typeof v !== 'boolean') throw invalid(subject, `${key} is true or false, not ${asJson(v)}`);
  return v;
}

/** A failure of a libc call, a system call or node:fs: a typed error naming `subject`, `what` failed and why. */
export function failure(subject: string, what: string, errno: number): NetlinkError {
  return errorFor({ errno, subject, text: `${what}: ${strerror(errno)}` });
}

/** Bad input caught before anything was sent: EINVAL, with the thing at fault named. */
export function invalid(subject: string, text: string): InvalidArgumentError {
  return new InvalidArgumentError({ errno: E.EINVAL, subject, text });
}
