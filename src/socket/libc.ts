// The few libc calls the library needs, bound once through koffi.
// Every wrapper returns the raw result; callers turn -1 into an error with `lastErrno()`.
import { createRequire } from 'node:module';

// require(), not import: Node's import of a CommonJS module first scans its source for export
// names, which costs start-up time (the rtnl command) for nothing.
export const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');

const libc = koffi.load('libc.so.6');

/* eslint-disable @typescript-eslint/naming-convention */
export const sys = {
  socket: libc.func('int socket(int domain, int type, int protocol)') as (d: number, t: number, p: number) => number,
  bind: libc.func('int bind(int fd, const void *addr, uint32_t len)') as (fd: number, addr: Uint8Array, len: number) => number,
  getsockname: libc.func('int getsockname(int fd, void *addr, _Inout_ uint32_t *len)') as (fd: number, addr: Uint8Array, len: number[]) => number,
  setsockopt: libc.func('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)') as (fd: number, level: number, name: number, val: Uint8Array, len: number) => number,
  getsockopt: libc.func('int getsockopt(int fd, int level, int name, void *val, _Inout_ uint32_t *len)') as (fd: number, level: number, name: number, val: Uint8Array, len: number[]) => number,
  send: libc.func('intptr_t send(int fd, const void *buf, size_t len, int flags)') as (fd: number, buf: Uint8Array, len: number, flags: number) => number,
  recvfrom: libc.func('intptr_t recvfrom(int fd, void *buf, size_t len, int flags, void *addr, _Inout_ uint32_t *addrlen)') as (fd: number, buf: Uint8Array, len: number, flags: number, addr: Uint8Array, addrlen: number[]) => number,
  close: libc.func('int close(int fd)') as (fd: number) => number,
  open: libc.func('int open(const char *path, int flags, int mode)') as (path: string, flags: number, mode: number) => number,
  setns: libc.func('int setns(int fd, int nstype)') as (fd: number, nstype: number) => number,
  unshare: libc.func('int unshare(int flags)') as (flags: number) => number,
  mount: libc.func('int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data)') as (source: string | null, target: string, fstype: string | null, flags: number, data: null) => number,
  strerror: libc.func('const char *strerror(int errnum)') as (errnum: number) => string,
  umount2: libc.func('int umount2(const char *target, int flags)') as (target: string, flags: number) => number,
  flock: libc.func('int flock(int fd, int op)') as (fd: number, op: number) => number,
  /** ioctl without an argument (NS_GET_NSTYPE and the like). */
  ioctl: libc.func('int ioctl(int fd, unsigned long request, ...)') as (fd: number, request: number) => number,
};

export function lastErrno(): number {
  return koffi.errno();
}

