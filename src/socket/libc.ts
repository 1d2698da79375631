// The few libc calls the library needs, bound once through koffi.
// Every wrapper returns the raw result; callers turn -1 into an error with `lastErrno()`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { useStrerror } from '../errors.js';

export const koffi = loadKoffi();

/**
 * koffi's own loader probes the platform (it reads node's ELF header and tries a list of paths),
 * about 9 ms of every start-up of the rtnl command. On glibc Linux its native module sits at a
 * known place in its platform package: that is loaded when its version is koffi's. Anywhere
 * else, or when it cannot load (musl), koffi's loader finds the right one. require(), not import:
 * an import of a CommonJS module first scans its source for export names. koffi's folder is
 * looked for in the folders require() would search, not through require.resolve(): its package
 * has "exports", and resolving those loads Node's ES module resolver (2 – 3 ms).
 */
function loadKoffi(): typeof import('koffi') {
  const require = createRequire(import.meta.url);
  const { platform, arch } = process;
  for (const folder of require.resolve.paths('koffi') ?? []) {
    const manifest = join(folder, 'koffi', 'package.json');
    try {
      const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
      const native = createRequire(manifest)(`@koromix/koffi-${platform}-${arch}/${platform}_${arch}/koffi.node`) as typeof import('koffi');
      if (native.version === version) return native;
      break;
    } catch (e) {
      // not in this folder: the next; there but not loadable here: koffi's loader decides
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') break;
    }
  }
  return require('koffi') as typeof import('koffi');
}

const libc = koffi.load('libc.so.6');

/* eslint-disable @typescript-eslint/naming-convention */
export const sys = {
  socket: libc.func('int socket(int domain, int type, int protocol)') as (d: number, t: number, p: number) => number,
  bind: libc.func('int bind(int fd, const void *addr, uint32_t len)') as (fd: number, addr: Uint8Array, len: number) => number,
  getsockname: libc.func('int getsockname(int fd, void *addr, _Inout_ uint32_t *len)') as (fd: number, addr: Uint8Array, len: number[]) => number,
  setsockopt: libc.func('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)') as (fd: number, level: number, name: number, val: Uint8Array, len: number) => number,
  getsockopt: libc.func('int getsockopt(int fd, int level, int name, void *val, _Inout_ uint32_t *len)') as (fd: number, level: number, name: number, val: Uint8Array, len: number[]) => number,
  send: libc.func('intptr_t send(int fd, const void *buf, size_t len, int flags)') as (fd: number, buf: Uint8Array, len: number, flags: number) => number,
  // The address length as a Uint32Array the call writes into (an _Inout_ array cost 0.7 µs a call more).
  recvfrom: libc.func('intptr_t recvfrom(int fd, void *buf, size_t len, int flags, void *addr, void *addrlen)') as (fd: number, buf: Uint8Array, len: number, flags: number, addr: Uint8Array, addrlen: Uint32Array) => number,
  /**
   * In the thread pool (`.async`): a streamed or listed dump's next parts; here only for a socket
   * that needs each datagram's ancillary data (datagram-vector.ts).
   */
  recvmmsg: libc.func('int recvmmsg(int fd, void *msgvec, unsigned int vlen, int flags, void *timeout)') as ((fd: number, msgvec: bigint, vlen: number, flags: number, timeout: null) => number) & {
    async(fd: number, msgvec: bigint, vlen: number, flags: number, timeout: null, cb: (err: unknown, n: number) => void): void;
  },
  close: libc.func('int close(int fd)') as (fd: number) => number,
  dup3: libc.func('int dup3(int oldfd, int newfd, int flags)') as (oldfd: number, newfd: number, flags: number) => number,
  open: libc.func('int open(const char *path, int flags, int mode)') as (path: string, flags: number, mode: number) => number,
  setns: libc.func('int setns(int fd, int nstype)') as (fd: number, nstype: number) => number,
  unshare: libc.func('int unshare(int flags)') as (flags: number) => number,
  mount: libc.func('int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data)') as (source: string | null, target: string, fstype: string | null, flags: number, data: null) => number,
  strerror: libc.func('const char *strerror(int errnum)') as (errnum: number) => string,
  umount2: libc.func('int umount2(const char *target, int flags)') as (target: string, flags: number) => number,
  flock: libc.func('int flock(int fd, int op)') as (fd: number, op: number) => number,
  /** poll(2) over an array of struct pollfd (8 bytes each); called in the thread pool (`.async`) by worker threads. */
  poll: libc.func('int poll(_Inout_ void *fds, unsigned long nfds, int timeout)') as ((fds: Uint8Array, n: number, timeout: number) => number) & {
    async(fds: Uint8Array, n: number, timeout: number, cb: (err: unknown, ready: number) => void): void;
  },
  /** ioctl without an argument (NS_GET_NSTYPE and the like). */
  ioctl: libc.func('int ioctl(int fd, unsigned long request, ...)') as (fd: number, request: number) => number,
  /** Whether a descriptor is a terminal: node:tty's isatty() would load Node's streams and sockets (some ms of a command's start). */
  isatty: libc.func('int isatty(int fd)') as (fd: number) => number,
  read: libc.func('intptr_t read(int fd, void *buf, size_t len)') as (fd: number, buf: Uint8Array, len: number) => number,
  inotify_init1: libc.func('int inotify_init1(int flags)') as (flags: number) => number,
  inotify_add_watch: libc.func('int inotify_add_watch(int fd, const char *path, uint32_t mask)') as (fd: number, path: string, mask: number) => number,
  /**
   * bpf(2), which glibc does not wrap: syscall(SYS_bpf, cmd, attr, size). Declared with those
   * arguments rather than as variadic (glibc's syscall() only moves registers), so that koffi
   * builds the call once.
   */
  bpf: libc.func('long syscall(long number, int cmd, void *attr, unsigned int size)') as (nr: number, cmd: number, attr: ArrayBuffer, size: number) => number,
};

useStrerror(sys.strerror);

export function lastErrno(): number {
  return koffi.errno();
}

