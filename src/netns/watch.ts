// Named namespaces coming and going, as `ip netns monitor` tells them: inotify on /run/netns,
// read from the event loop as a netlink socket is (socket/readiness.ts). Where the kernel's
// inotify queue overflowed, the directory is listed again and the differences told, so that
// what the watcher said always adds up to what is there. A name is told once it is a namespace
// (ip makes the file, then binds the namespace onto it): whoever opens it on `add` finds one.
import { mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import { lastErrno, sys } from '../socket/libc.js';
import { watch, type Readiness } from '../socket/readiness.js';
import { InvalidArgumentError, failure, type NetlinkError } from '../errors.js';
import { getAt } from '../../codecs/netlink/attrs.js';
import { IN_CLOEXEC, IN_CREATE, IN_DELETE, IN_IGNORED, IN_NONBLOCK, IN_Q_OVERFLOW, INOTIFY_EVENT_SIZE } from './constants.js';
import { NETNS_RUN_DIR, openNetns } from './resolve.js';

const { EAGAIN, EEXIST, EINTR } = constants.errno;

/**
 * A name made (`add`) or removed (`delete`) under /run/netns; or `synced`: notifications were
 * lost (the kernel's queue overflowed) and the changes told since the last event were found by
 * listing. `add` is told once the name is a namespace (`ip netns add` makes the file, then binds
 * the namespace onto it), or, for a file that does not become one, when it is removed or after
 * BIND_WAIT_MS; the events keep their order.
 */
export type NetnsEvent = { type: 'add' | 'delete'; name: string } | { type: 'synced' };

/** How long an `add` waits for its name to become a namespace (a plain file never does). */
const BIND_WAIT_MS = 1000;
/** The longest pause between two looks at a name waiting to become a namespace. */
const BIND_POLL_MS = 16;

const SUBJECT = `namespace names (${NETNS_RUN_DIR})`;
const failed = (what: string, errno: number): NetlinkError => failure(SUBJECT, what, errno);

/**
 * `NetNS.watch()`: `for await (const ev of watcher)`, until close() (or the signal) ends it.
 * What happens from the call on is told, nothing before.
 */
export class NetnsWatch implements AsyncIterable<NetnsEvent>, Disposable {
  private readonly fd: number;
  private readonly readiness: Readiness;
  /** The names as told so far: what a resync compares the directory with. */
  private readonly names: Set<string>;
  /** Events read, in order, each with when it was read (an `add` waits for its binding from then). */
  private readonly queue: Array<{ ev: NetnsEvent; at: number }> = [];
  private readonly buf = new Uint8Array(4096);
  private wake?: () => void;
  private failed?: NetlinkError;
  private closed = false;

  /** `list`: the names under /run/netns now (NetNS's reader of the directory). */
  constructor(private readonly list: () => string[], signal?: AbortSignal) {
    try {
      mkdirSync(NETNS_RUN_DIR, { mode: 0o755 }); // as ip's create_netns_dir(): watching needs the directory
    } catch (e) {
      const errno = -((e as { errno?: number }).errno ?? 0);
      if (errno !== EEXIST) throw failed(`cannot create ${NETNS_RUN_DIR}`, errno);
    }
    this.fd = sys.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (this.fd < 0) throw failed('inotify_init1', lastErrno());
    if (sys.inotify_add_watch(this.fd, NETNS_RUN_DIR, IN_CREATE | IN_DELETE) < 0) {
      const errno = lastErrno();
      sys.close(this.fd);
      throw failed(`cannot watch ${NETNS_RUN_DIR}`, errno);
    }
    this.names = new Set(list());
    this.readiness = watch(this.fd, () => this.drain(), false);
    signal?.addEventListener('abort', () => this.close(), { once: true });
    if (signal?.aborted) this.close();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<NetnsEvent, void, undefined> {
    for (let pause = 1; ;) {
      const head = this.queue[0];
      if (head && !this.isDue(head)) {
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, BIND_POLL_MS);
      } else if (head) {
        this.queue.shift();
        pause = 1;
        yield head.ev;
      } else if (this.failed) {
        this.close();
        throw this.failed;
      }
      else if (this.closed) return;
      else await this.next();
    }
  }

  /** Stops watching: an iteration under way ends after the events already read. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.readiness.close();
    sys.close(this.fd);
    this.wake?.();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  private next(): Promise<void> {
    this.readiness.ref();
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        this.readiness.unref();
        resolve();
      };
    });
  }

  /** Reads every event the kernel has queued. */
  private drain(): void {
    for (;;) {
      const n = sys.read(this.fd, this.buf, this.buf.length);
      if (n < 0) {
        const errno = lastErrno();
        if (errno === EINTR) continue;
        if (errno !== EAGAIN) this.failed ??= failed('read', errno);
        break;
      }
      this.take(n);
    }
    this.wake?.();
  }

  /** The struct inotify_event records of one read. */
  private take(n: number): void {
    for (let off = 0; off + INOTIFY_EVENT_SIZE <= n;) {
      const mask = getAt.u32(this.buf, off + 4, off + 8);
      const len = getAt.u32(this.buf, off + 12, off + 16);
      const raw = this.buf.subarray(off + INOTIFY_EVENT_SIZE, off + INOTIFY_EVENT_SIZE + len);
      const name = Buffer.from(raw.subarray(0, raw.indexOf(0) < 0 ? len : raw.indexOf(0))).toString();
      if (mask & IN_Q_OVERFLOW) this.resync();
      else if (mask & IN_CREATE) this.tell('add', name);
      else if (mask & IN_DELETE) this.tell('delete', name);
      else if (mask & IN_IGNORED) this.failed ??= failed(`${NETNS_RUN_DIR} went (removed or unmounted)`, constants.errno.ENOENT);
      off += INOTIFY_EVENT_SIZE + len;
    }
  }

  private tell(type: 'add' | 'delete', name: string): void {
    if (type === 'add') this.names.add(name);
    else this.names.delete(name);
    this.queue.push({ ev: { type, name }, at: performance.now() });
  }

  /** An event may be told: an `add` once its name is a namespace, gone again, or waited for long enough (or the watch closed). */
  private isDue({ ev, at }: { ev: NetnsEvent; at: number }): boolean {
    if (ev.type !== 'add' || this.closed || performance.now() - at > BIND_WAIT_MS) return true;
    try {
      sys.close(openNetns(ev.name));
      return true;
    } catch (e) {
      // A file not bound yet is waited for; one removed (its delete follows) or not to be opened is told as it is.
      return !(e instanceof InvalidArgumentError);
    }
  }

  /** After an overflow: the directory as it is now against the names told. */
  private resync(): void {
    const now = new Set(this.list());
    for (const name of [...this.names]) if (!now.has(name)) this.tell('delete', name);
    for (const name of now) if (!this.names.has(name)) this.tell('add', name);
    this.queue.push({ ev: { type: 'synced' }, at: performance.now() });
  }
}
