// Named network namespaces, kept as iproute2 keeps them so that either side can use the
// other's: an nsfs bind mount at /run/netns/NAME, inside a /run/netns that is a shared mount.
import { mkdirSync, readdirSync, statSync, unlinkSync, type BigIntStats } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { O_CLOEXEC, O_RDONLY } from '../socket/constants.js';
import { lastErrno, sys } from '../socket/libc.js';
import { THREAD_NETNS, inNetns, inNewNetns } from '../socket/netns-switch.js';
import { dirEntries } from '../dir-entries.js';
import { NetlinkError, NotFoundError, checkObject, errorFor, failure, invalid, optionKeys } from '../errors.js';
import { NetnsWatch } from './watch.js';
import {
  LOCK_EX, LOCK_UN, MNT_DETACH, MS_BIND, MS_PRIVATE, MS_REC, MS_SHARED, O_CREAT, O_DIRECTORY, O_EXCL,
} from './constants.js';
import { NETNS_RUN_DIR, checkNetnsName, describeNetns, openNetns, withNetnsFd, type NetnsRef } from './resolve.js';

const { EEXIST, EINVAL, ENOENT } = constants.errno;
const WATCH_KEYS = optionKeys<{ signal?: AbortSignal }>()('signal');

/** node:net, loaded when NetNS.lookup is first used: loading it costs every rtnl command's start some milliseconds. */
let netLib: typeof import('node:net') | undefined;
const net = (): typeof import('node:net') => (netLib ??= createRequire(import.meta.url)('node:net') as typeof import('node:net'));

const fsErrno = (e: unknown): number => -((e as { errno?: number }).errno ?? -EINVAL);

/**
 * Named network namespaces. Every method is interoperable with `ip netns` both ways, and
 * leaves the calling thread in its own namespace whatever happens.
 */
export class NetNS {
  private constructor() {}

  /** Where named namespaces live, as iproute2 has it. */
  static readonly runDir = NETNS_RUN_DIR;

  /** `ip netns add NAME`: a new, empty network namespace (only `lo`, down), kept by name. */
  static async add(name: string): Promise<void> {
    NetNS.bind(name, () => inNewNetns(() => bindMount(THREAD_NETNS, name)));
  }

  /** `ip netns attach NAME PID`, for any reference: gives an existing namespace a name. */
  static async attach(name: string, ref: NetnsRef): Promise<void> {
    checkNetnsName(name);
    withNetnsFd(ref, (fd) => NetNS.bind(name, () => bindMount(`/proc/thread-self/fd/${fd}`, name)));
  }

  /** `ip netns delete NAME`: the name goes; the namespace itself lives on while anything uses it. */
  static async delete(name: string): Promise<void> {
    const path = `${NETNS_RUN_DIR}/${checkNetnsName(name)}`;
    // Not mounted (EINVAL) is a leftover empty file: removing it is what delete is for.
    if (sys.umount2(path, MNT_DETACH) < 0) {
      const errno = lastErrno();
      if (errno !== EINVAL && errno !== ENOENT) throw failure(describeNetns(name), `cannot unmount ${path}`, errno);
    }
    try {
      unlinkSync(path);
    } catch (e) {
      const errno = fsErrno(e);
      throw errno === ENOENT
        ? errorFor({ errno, subject: describeNetns(name), text: `does not exist (no ${path})` })
        : failure(describeNetns(name), `cannot remove ${path}`, errno);
    }
  }

  /** `ip netns list`: the names under /run/netns, sorted. */
  static async list(): Promise<string[]> {
    try {
      return readdirSync(NETNS_RUN_DIR).sort();
    } catch (e) {
      if (fsErrno(e) === ENOENT) return [];
      throw failure(`namespaces`, `cannot read ${NETNS_RUN_DIR}`, fsErrno(e));
    }
  }

  /**
   * `ip netns monitor`: names made and removed under /run/netns from now on, as they happen;
   * `for await (const ev of NetNS.watch())` (`{ type: 'add', name }`, `delete`, and `synced`
   * after the kernel's queue overflowed and the directory was listed again). close() or the
   * signal ends it.
   */
  static watch(opts: { signal?: AbortSignal } = {}): NetnsWatch {
    checkObject('NetNS.watch options', opts, WATCH_KEYS);
    if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) throw invalid('NetNS.watch options', 'signal must be an AbortSignal');
    return new NetnsWatch(runDirNames, opts.signal);
  }

  /** Whether NAME is a network namespace one can enter (a leftover empty file is not). */
  static async exists(name: string): Promise<boolean> {
    checkNetnsName(name);
    try {
      sys.close(openNetns(name));
      return true;
    } catch (e) {
      if (e instanceof NotFoundError || (e instanceof NetlinkError && e.errno === EINVAL)) return false;
      throw e;
    }
  }

  /**
   * `ip netns pids NAME`: the processes whose network namespace is NAME's, found as ip finds
   * them: /proc/PID/ns/net with the device and inode of /run/netns/NAME. In /proc's order
   * (ascending). Processes one may not look into are left out.
   */
  static async pids(name: string): Promise<number[]> {
    const path = `${NETNS_RUN_DIR}/${checkNetnsName(name)}`;
    const ns = statOf(path, describeNetns(name));
    return namesIn('/proc').filter((e) => /^\d+$/.test(e) && sameFile(statOrUndefined(`/proc/${e}/ns/net`), ns)).map(Number);
  }

  /**
   * `ip netns identify [PID]`: the names under /run/netns bound to the network namespace of a
   * process (this one by default), in the directory's order; [] for an unnamed namespace.
   * (ip prints the last one.) Also of any namespace: `identify({ path })`, a name (its aliases).
   */
  static async identify(of?: number | NetnsRef): Promise<string[]> {
    if (typeof of === 'number' && !(Number.isInteger(of) && of >= 0)) throw invalid(`process ${of}`, 'a pid is a whole number');
    const ns = of === undefined || typeof of === 'number'
      ? statOf(`/proc/${of ?? 'self'}/ns/net`, of === undefined ? 'this process' : `namespace of process ${of}`)
      : withNetnsFd(of, (fd) => statOf(`/proc/self/fd/${fd}`, describeNetns(of)));
    return runDirNames().filter((n) => sameFile(statOrUndefined(`${NETNS_RUN_DIR}/${n}`), ns));
  }

  /**
   * Runs synchronous `fn` with this thread inside the namespace, and returns its result.
   * Sockets (Node's net/dgram ones too) and RtNetlink.openSync() made in there stay there.
   * An async function is refused: the thread is back home before its first await resumes.
   */
  static enter<T>(ref: NetnsRef, fn: () => T): T {
    const subject = `NetNS.enter(${describeNetns(ref)})`;
    if (typeof fn !== 'function') throw invalid(subject, 'expects a function');
    if (isAsync(fn)) {
      throw invalid(subject, 'refuses an async function: the thread switches back as soon as the function returns, '
        + 'so code after an await would run outside. Create what you need synchronously inside, await outside');
    }
    const out = withNetnsFd(ref, (fd) => inNetns(fd, fn));
    if (isThenable(out)) {
      out.then(undefined, () => undefined); // refused below: its own failure must not also crash the process
      throw invalid(subject, 'the function returned a promise: whatever it awaits runs outside the namespace. '
        + 'Create what you need synchronously inside, await outside');
    }
    return out;
  }

  /**
   * A `lookup` for node:dgram and node:net that answers at once, for IP literals only. Node
   * creates a socket given an address only after a DNS lookup, asynchronously, so after
   * NetNS.enter() has returned: with this lookup the socket is made inside. Use it as
   * `dgram.createSocket({ type: 'udp4', lookup: NetNS.lookup })`.
   */
  static readonly lookup = ((host: string, opts: LookupOptions | number, cb: LookupCallback): void => {
    const family = net().isIP(host);
    if (family === 0) {
      cb(invalid(`host "${host}"`, 'NetNS.lookup takes IP addresses only: a DNS lookup would end outside the namespace'), '', 0);
    } else if (typeof opts === 'object' && opts.all) {
      cb(null, [{ address: host, family }]);
    } else {
      cb(null, host, family);
    }
  }) as SyncLookup;

  /**
   * Makes /run/netns/NAME, then lets `mount` bind a namespace onto it; on any failure after
   * the file exists, removes it again. The order and the steps are iproute2's (ip/ipnetns.c).
   */
  private static bind(name: string, mount: () => void): void {
    const path = `${NETNS_RUN_DIR}/${checkNetnsName(name)}`;
    const subject = describeNetns(name);
    prepareRunDir(subject);
    const fd = sys.open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0) {
      const errno = lastErrno();
      throw errno === EEXIST ? errorFor({ errno, subject, text: 'already exists' }) : failure(subject, `cannot create ${path}`, errno);
    }
    sys.close(fd);
    try {
      mount();
    } catch (e) {
      unlinkSync(path);
      // `unshare(CLONE_NEWNET): Operation not permitted` becomes `namespace "ns01": unshare(...): ...`.
      throw e instanceof NetlinkError && !e.subject?.startsWith('namespace')
        ? errorFor({ errno: e.errno, subject, text: e.message, cause: e })
        : e;
    }
  }
}

/** stat() of a namespace file, its failure a typed error (ENOENT: NotFoundError). */
function statOf(path: string, subject: string): BigIntStats {
  try {
    return statSync(path, { bigint: true });
  } catch (e) {
    throw failure(subject, `cannot stat ${path}`, fsErrno(e));
  }
}

function statOrUndefined(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined; // a process gone meanwhile, or one we may not look into
  }
}

const sameFile = (a: BigIntStats | undefined, b: BigIntStats): boolean => a !== undefined && a.dev === b.dev && a.ino === b.ino;

/** The names under /run/netns in the directory's own order (ip's order for -all and identify). */
export const runDirNames = (): string[] => namesIn(NETNS_RUN_DIR);

/** A directory's names in its own order; none when it is missing, a typed error when it cannot be read. */
function namesIn(dir: string): string[] {
  try {
    return dirEntries(dir);
  } catch (e) {
    if (fsErrno(e) === ENOENT) return [];
    throw failure(dir, `cannot read ${dir}`, fsErrno(e));
  }
}

/** Binds a namespace file onto /run/netns/NAME (a file the caller made). */
function bindMount(source: string, name: string): void {
  if (sys.mount(source, `${NETNS_RUN_DIR}/${name}`, 'none', MS_BIND, null) < 0) {
    throw failure(describeNetns(name), `cannot bind ${source} to ${NETNS_RUN_DIR}/${name}`, lastErrno());
  }
}

/**
 * mkdir /run/netns, and make it a shared mount (binding it onto itself first when it is not a
 * mount point), so that a namespace deleted in one mount namespace goes in all of them.
 * Under an flock of the directory, as iproute2 does, so that concurrent adds do not stack mounts.
 */
function prepareRunDir(subject: string): void {
  try {
    mkdirSync(NETNS_RUN_DIR, { mode: 0o755 });
  } catch (e) {
    if (fsErrno(e) !== EEXIST) throw failure(subject, `cannot create ${NETNS_RUN_DIR}`, fsErrno(e));
  }
  const lock = sys.open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (lock < 0) throw failure(subject, `cannot open ${NETNS_RUN_DIR}`, lastErrno());
  // Without the lock (iproute2 only warns), go on: it guards against a rare race, not correctness.
  const locked = sys.flock(lock, LOCK_EX) === 0;
  try {
    makeShared(subject);
  } finally {
    if (locked) sys.flock(lock, LOCK_UN);
    sys.close(lock);
  }
}

function makeShared(subject: string): void {
  for (let bound = false; sys.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC, null) < 0; bound = true) {
    const errno = lastErrno();
    // EINVAL: not a mount point yet. Bind it onto itself, then private, so the next
    // MS_SHARED puts it in a peer group of its own.
    if (errno !== EINVAL || bound) throw failure(subject, `cannot make ${NETNS_RUN_DIR} a shared mount`, errno);
    if (sys.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_BIND | MS_REC, null) < 0) {
      throw failure(subject, `cannot bind ${NETNS_RUN_DIR} onto itself`, lastErrno());
    }
    if (sys.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_PRIVATE | MS_REC, null) < 0) {
      const err = failure(subject, `cannot make ${NETNS_RUN_DIR} private`, lastErrno());
      sys.umount2(NETNS_RUN_DIR, MNT_DETACH);
      throw err;
    }
  }
}

// node:dns's shapes, written out so that the published types need no @types/node.
/** One answer of a lookup. */
export interface LookupAddress { address: string; family: number }
interface LookupOptions { family?: number | string; all?: boolean }
type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/** The shapes of `lookup` that node:dgram and node:net call. */
export interface SyncLookup {
  (host: string, opts: (LookupOptions & { all?: false }) | number, cb: (err: Error | null, address: string, family: number) => void): void;
  (host: string, opts: LookupOptions & { all: true }, cb: (err: Error | null, addresses: LookupAddress[]) => void): void;
  (host: string, opts: LookupOptions, cb: LookupCallback): void;
}

function isAsync(fn: Function): boolean {
  const kind = fn.constructor?.name;
  return kind === 'AsyncFunction' || kind === 'AsyncGeneratorFunction';
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
