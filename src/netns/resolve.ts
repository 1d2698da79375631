// Naming a network namespace: a name under /run/netns, a path, an open fd, or a process.
import { constants } from 'node:os';
import { CLONE_NEWNET, O_CLOEXEC, O_RDONLY } from '../socket/constants.js';
import { lastErrno, sys } from '../socket/libc.js';
import { NetlinkError, checkObject, errorFor, invalid, optionKeys, strerror } from '../errors.js';
import { NAME_MAX, NS_GET_NSTYPE } from './constants.js';
import { asText } from '../../codecs/netlink/errors.js';

export const NETNS_RUN_DIR = '/run/netns';

/**
 * A network namespace: a name (under /run/netns, as `ip netns` keeps them), a path to an
 * nsfs file (any string with a '/', e.g. `/proc/1/ns/net`), an open fd, or a process's.
 */
export type NetnsRef = string | number | { pid: number };

/** Names the namespace in error messages: `namespace "ns01"`, `namespace of process 42`. */
export function describeNetns(ref: NetnsRef): string {
  if (typeof ref === 'number') return `namespace fd ${ref}`;
  if (ref === null || (typeof ref !== 'object' && typeof ref !== 'string')) return `namespace ${asText(ref)}`;
  if (typeof ref === 'object') return `namespace of process ${asText(ref.pid)}`;
  return ref.includes('/') ? `namespace ${ref}` : `namespace "${ref}"`;
}

/** Refuses what `ip netns` refuses: empty, '.', '..', a '/', longer than NAME_MAX bytes. */
export function checkNetnsName(name: string): string {
  const bad = typeof name !== 'string' ? 'a namespace name must be a string'
    : name === '' ? 'a namespace name cannot be empty'
    : name === '.' || name === '..' ? `"${name}" is not a usable namespace name`
    : name.includes('/') ? 'a namespace name cannot contain "/"'
    : name.includes('\0') ? 'a namespace name cannot contain a NUL byte'
    : Buffer.byteLength(name) > NAME_MAX ? `a namespace name is at most ${NAME_MAX} bytes, this one is ${Buffer.byteLength(name)}`
    : undefined;
  if (bad) throw invalid(`namespace "${asText(name).slice(0, 40)}"`, bad);
  return name;
}

/** The file of a namespace: /run/netns/NAME for a name, the string itself for a path. */
export function netnsPath(ref: string): string {
  return ref.includes('/') ? ref : `${NETNS_RUN_DIR}/${checkNetnsName(ref)}`;
}

const PID_KEYS = optionKeys<{ pid: number }>()('pid');

/** The nsfs file a reference names, checked for shape first. */
export function netnsFile(ref: string | { pid: number }): string {
  if (typeof ref === 'string') return netnsPath(ref);
  if (typeof ref !== 'object' || ref === null) throw invalid(describeNetns(ref), 'a namespace is a name, a path, an open fd or { pid }');
  checkObject(describeNetns(ref), ref, PID_KEYS);
  if (!Number.isInteger(ref?.pid) || ref.pid <= 0) throw invalid(describeNetns(ref), 'a process id is a positive integer');
  return `/proc/${ref.pid}/ns/net`;
}

/** Opens a namespace as an fd the caller must close; a typed error naming it when that fails. */
export function openNetns(ref: string | { pid: number }): number {
  const path = netnsFile(ref);
  const fd = sys.open(path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    const errno = lastErrno();
    const text = errno !== constants.errno.ENOENT ? `cannot open ${path}: ${strerror(errno)}`
      : typeof ref === 'object' ? 'no such process' : `does not exist (no ${path})`;
    throw errorFor({ errno, subject: describeNetns(ref), text });
  }
  try {
    checkIsNetns(fd, ref);
  } catch (e) {
    sys.close(fd);
    throw e;
  }
  return fd;
}

/** An fd that is not a network namespace would only fail later, less clearly, in setns. */
function checkIsNetns(fd: number, ref: NetnsRef): void {
  const type = sys.ioctl(fd, NS_GET_NSTYPE);
  if (type === CLONE_NEWNET) return;
  const errno = lastErrno();
  if (type < 0 && errno === constants.errno.EBADF) throw errorFor({ errno, subject: describeNetns(ref), text: 'not an open fd' });
  throw invalid(describeNetns(ref), type < 0 ? 'not a namespace file (is it mounted?)' : 'a namespace of another kind, not a network namespace');
}

/** Opens the namespace and hands its fd to `fn`; closes it after unless the caller gave the fd. */
export function withNetnsFd<T>(ref: NetnsRef, fn: (fd: number) => T): T {
  const given = typeof ref === 'number';
  if (given && (!Number.isInteger(ref) || ref < 0)) throw invalid(describeNetns(ref), 'an fd is a non-negative integer');
  const fd = given ? ref : openNetns(ref);
  if (given) checkIsNetns(fd, ref);
  try {
    return fn(fd);
  } catch (e) {
    // Name the namespace the thread could not enter (EPERM without CAP_SYS_ADMIN).
    if (e instanceof NetlinkError && e.syscall === 'setns') throw errorFor({ errno: e.errno, subject: describeNetns(ref), syscall: 'setns', text: e.text });
    throw e;
  } finally {
    if (!given) sys.close(fd);
  }
}
