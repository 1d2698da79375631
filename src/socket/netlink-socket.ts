// An AF_NETLINK socket: libc through koffi, readiness from Node's event loop (readiness.ts).
import {
  AF_NETLINK, MSG_DONTWAIT, MSG_TRUNC, NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, NETLINK_LISTEN_ALL_NSID, NETLINK_ROUTE, SOCKADDR_NL_LEN, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_RAW,
  SOL_NETLINK, SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE,
} from './constants.js';
import { DatagramVector } from './datagram-vector.js';
import { ownerFor, release, takeOver } from './fd-keeper.js';
import { lastErrno, sys } from './libc.js';
import { watch, type Readiness } from './readiness.js';
import { inNetns, sysError } from './netns-switch.js';
import { errorFor, type NetlinkError } from '../errors.js';
import { logger } from '../log.js';
import { constants } from 'node:os';
import type { FileHandle } from 'node:fs/promises';
import { asText } from '../../codecs/netlink/errors.js';

const debug = logger('rtnl:socket');
const { EAGAIN, EINTR, ENOBUFS } = constants.errno;

export interface SocketOptions {
  protocol?: number;
  /** An open fd of a network namespace to create the socket in. */
  netnsFd?: number;
  /** Receive buffer size in bytes (SO_RCVBUFFORCE when allowed, else SO_RCVBUF). */
  receiveBuffer?: number;
  /** Multicast groups to join (RTNLGRP_* numbers). */
  groups?: number[];
  /**
   * Their notifications from every namespace the socket's own gives an id
   * (NETLINK_LISTEN_ALL_NSID), each datagram with that id.
   */
  allNsid?: boolean;
}

export interface SocketHandlers {
  /**
   * One datagram from the kernel, a copy the receiver owns; `nsid` for a notification from
   * another namespace (`allNsid`): the id the socket's namespace gives it.
   */
  onDatagram(data: Uint8Array, nsid?: number): void;
  /** Overflow (ENOBUFS) or a receive failure; the socket stays usable. */
  onError(err: NetlinkError): void;
}

/** A receive buffer; recvfrom with MSG_TRUNC tells a datagram too big for it, which then grows it. */
interface RxBuffer { data: Uint8Array }

/**
 * Larger than any datagram netlink sends in practice: a dump part is at most 32 KiB, a unicast
 * answer as big as what it tells.
 */
const RX_BUFFER = 256 * 1024;

/**
 * One buffer for every socket's reads in this thread: they are synchronous and each datagram is
 * copied out before the next read. Reads in the thread pool have a buffer of their socket's own.
 */
const shared: RxBuffer = { data: new Uint8Array(RX_BUFFER) };

/** A pool buffer: room for a dump part (at most 32 KiB) and most answers; grows when one does not fit. */
const POOL_SLOT = 64 * 1024;

/** How long one drain reads before the event loop gets its turn. */
const DRAIN_MS = 3;

function int32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return b;
}

/** What the client needs of a socket; tests substitute a fake kernel. */
export interface Transport {
  readonly fd: number;
  readonly port: number;
  /** Sends one datagram; `data` is the caller's again once this returns (the client reuses its buffer). */
  send(data: Uint8Array): void;
  /** Reads what is waiting; `enough` may end the reading early (checked after each datagram). */
  drain(enough?: () => boolean): void;
  /** Stop and go on reading (flow control of a streamed dump). */
  pause(): void;
  resume(): void;
  /** Read in another thread while on (a streamed dump); a fake kernel has none. */
  readOffThread?(on: boolean): void;
  setReferenced(on: boolean): void;
  joinGroup(group: number): void;
  leaveGroup(group: number): void;
  close(): void;
}

export class NetlinkSocket implements Transport {
  private descriptor: number;
  /** The port id the kernel assigned at bind. */
  readonly port: number;
  private readiness: Readiness | null;
  private closed = false;
  private paused = false;
  /**
   * An overflow was met and the queue has not been seen empty since: the kernel counts the
   * socket congested and drops whatever it sends it, answers too, without saying so again.
   */
  private congested = false;
  /** A drain is scheduled for the check phase. */
  private draining = false;
  private readonly addr = new Uint8Array(SOCKADDR_NL_LEN);
  private readonly addrLen = new Uint32Array(1);
  /** Reads go to the thread pool (readOffThread()). */
  private offThread = false;
  /** A read in the thread pool has not returned yet: nothing else reads, and the fd stays open. */
  private reading = false;
  /** The thread pool's two vectors, read into in turn (readInPool), and the one read last. */
  private readonly vectors: Array<DatagramVector | undefined> = [];
  private turn = 0;
  /** How big the pool's buffers must be: a datagram that did not fit makes them grow. */
  private poolSlot = POOL_SLOT;
  /** Listening to all namespaces (withNsid): every read takes each datagram's ancillary data, here into this vector. */
  private here?: DatagramVector;

  /** In a worker thread, the FileHandle whose descriptor this socket took over (fd-keeper.ts). */
  private owner?: FileHandle;
  /** One came while a read in the thread pool held the fd: taken over once that read returns. */
  private ownerWaiting?: FileHandle;

  private constructor(fd: number, port: number, private readonly handlers: SocketHandlers, inGroups: boolean, private readonly withNsid: boolean) {
    this.descriptor = fd;
    this.port = port;
    this.readiness = watch(fd, () => this.drain(), inGroups);
  }

  get fd(): number {
    return this.descriptor;
  }

  static open(opts: SocketOptions, handlers: SocketHandlers): NetlinkSocket {
    const create = (): number => sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, opts.protocol ?? NETLINK_ROUTE);
    const fd = opts.netnsFd === undefined ? create() : inNetns(opts.netnsFd, create);
    if (fd < 0) throw sysError('socket(AF_NETLINK)');
    try {
      const sa = new Uint8Array(SOCKADDR_NL_LEN);
      new DataView(sa.buffer).setUint16(0, AF_NETLINK, true);
      if (sys.bind(fd, sa, sa.length) < 0) throw sysError('bind');
      const len = [SOCKADDR_NL_LEN];
      if (sys.getsockname(fd, sa, len) < 0) throw sysError('getsockname');
      const port = new DataView(sa.buffer).getUint32(4, true);
      // Extended ACK text, errors without the echoed request, strict checking of dump filters.
      for (const opt of [NETLINK_EXT_ACK, NETLINK_CAP_ACK, NETLINK_GET_STRICT_CHK]) setOpt(fd, SOL_NETLINK, opt, 1);
      if (opts.receiveBuffer) {
        if (sys.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, int32(opts.receiveBuffer), 4) < 0) {
          setOpt(fd, SOL_SOCKET, SO_RCVBUF, opts.receiveBuffer);
        }
      }
      for (const g of opts.groups ?? []) setOpt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g);
      if (opts.allNsid) setOpt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, 1);
      debug('open fd %d port %d', fd, port);
      const sock = new NetlinkSocket(fd, port, handlers, (opts.groups ?? []).length > 0, opts.allNsid === true);
      ownerFor((owner) => sock.adopt(owner));
      return sock;
    } catch (e) {
      sys.close(fd);
      throw e;
    }
  }

  /** Sends one request datagram. */
  send(data: Uint8Array): void {
    if (this.closed) throw errorFor({ errno: constants.errno.EBADF, text: 'socket is closed' });
    for (;;) {
      const n = sys.send(this.fd, data, data.length, 0);
      if (n >= 0) return;
      if (lastErrno() !== EINTR) throw sysError('send');
    }
  }

  joinGroup(group: number): void {
    setOpt(this.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
    this.readiness?.always(true);
  }
  leaveGroup(group: number): void { setOpt(this.fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, group); }

  /** Whether watching keeps the event loop alive: only while someone waits for an answer. */
  setReferenced(on: boolean): void {
    if (on) this.readiness?.ref();
    else this.readiness?.unref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.readiness?.close();
    this.readiness = null;
    // A read in the thread pool still holds the fd: closed when it returns, never reused under it.
    if (!this.reading) this.closeFd();
  }

  private closeFd(): void {
    this.vectors.length = 0; // their memory goes with them
    if (this.owner) release(this.owner);
    else sys.close(this.fd);
    if (this.ownerWaiting) release(this.ownerWaiting);
    debug('closed fd %d', this.fd);
  }

  /**
   * In a worker thread, the socket moves to the descriptor of the FileHandle that is to own it
   * (fd-keeper.ts), and its readiness watcher with it: as it opens, or later when no FileHandle
   * was ready then, but not while a read in the thread pool holds the fd.
   */
  private adopt(owner: FileHandle): void {
    if (this.closed) return release(owner);
    if (this.reading) {
      this.ownerWaiting = owner;
      return;
    }
    if (!takeOver(this.fd, owner)) return;
    debug('fd %d is now %d, kept by a FileHandle', this.fd, owner.fd);
    this.descriptor = owner.fd;
    this.owner = owner;
    this.readiness?.moveTo?.(owner.fd);
  }

  /**
   * Reads the datagrams waiting, for at most DRAIN_MS, then lets the event loop run and goes
   * on in its check phase: a dump of a million routes neither stalls timers and I/O nor
   * overflows (the kernel produces a dump's next part only as it is read). Never throws:
   * failures go to onError. Called by the readiness watcher, and right after a send: the
   * kernel answers rtnetlink requests inside send(), so the answer is usually there already.
   */
  drain(enough?: () => boolean): void {
    if (this.paused || this.reading) return;
    if (this.offThread) {
      this.readInPool();
      return;
    }
    this.readHere(enough);
  }

  /** Reads in this thread for DRAIN_MS at most; while congested, until the queue is empty. */
  private readHere(enough?: () => boolean): void {
    const until = performance.now() + DRAIN_MS;
    try {
      while (!this.closed && !this.paused && this.receiveOne()) {
        // Congested: everything now, before any other code can send a request whose answer
        // the kernel would drop without a word.
        if (this.congested) continue;
        if (enough?.()) return;
        if (this.offThread) {
          this.readInPool(); // the client asked for it as this datagram came (a dump going on)
          return;
        }
        if (performance.now() > until) {
          this.resumeSoon();
          return;
        }
      }
    } catch (e) {
      this.receiveThrew(e);
    }
  }

  private receiveThrew(e: unknown): void {
    this.handlers.onError(errorFor({ errno: constants.errno.EIO, text: `receive failed: ${asText(e)}`, cause: e }));
  }

  /** Stops reading (a slow consumer of a streamed dump): the kernel holds the rest of the dump meanwhile. */
  pause(): void {
    this.paused = true;
    this.watchReadiness();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.watchReadiness();
    this.resumeSoon();
  }

  /**
   * While on, the socket is read in the thread pool, one datagram at a time. The kernel produces
   * a dump's next part inside the read that makes room for it: for a big table that read can
   * take tens of milliseconds (a million IPv6 routes: 25 ms, once 225 ms when the kernel's walk
   * started over), which here would stall the event loop. For streamed dumps: a hop to the pool
   * costs more than the read itself for a small answer.
   */
  readOffThread(on: boolean): void {
    this.offThread = on;
  }

  /** Readiness is watched unless nobody reads, or the thread pool is reading (it would fire all along). */
  private watchReadiness(): void {
    this.readiness?.pause(this.paused || this.reading);
  }

  /**
   * Reads in the thread pool, several datagrams a call (datagram-vector.ts). When some came, the
   * next read goes out before they are handled, into the other vector: the kernel makes a dump's
   * next parts inside that read, on another CPU, while this thread decodes these.
   */
  private readInPool(): void {
    if (this.closed || this.paused || this.reading) return;
    this.reading = true;
    this.watchReadiness();
    const turn = this.turn ^= 1;
    let v = this.vectors[turn];
    if (v?.slotSize !== this.poolSlot) v = this.vectors[turn] = new DatagramVector(this.poolSlot, this.withNsid);
    v.read(this.fd, (err, n) => {
      this.reading = false;
      if (this.closed) {
        this.closeFd();
        return;
      }
      const waited = this.ownerWaiting;
      this.ownerWaiting = undefined;
      if (waited) this.adopt(waited);
      const ahead = !err && n > 0 && this.offThread;
      if (ahead) this.readInPool();
      let more = false;
      try {
        if (err) throw err;
        // errno is the call's own in this callback (koffi restores it)
        more = n < 0 ? this.receiveFailed(lastErrno()) : this.takeVector(v, n);
      } catch (e) {
        this.receiveThrew(e);
      }
      this.watchReadiness();
      // More may be waiting: read on, there or (reads back in this thread) in the check phase;
      // after an overflow, here and now (see readHere). A read ahead still out holds both back.
      if (this.congested) this.readHere();
      else if (more && this.offThread) this.readInPool();
      else if (more) this.resumeSoon();
    });
  }

  /** The `n` datagrams a pool read gave; a datagram that did not fit makes the next vectors bigger. */
  private takeVector(v: DatagramVector, n: number): boolean {
    for (let i = 0; i < n; i++) {
      const length = v.length(i);
      this.poolSlot = Math.max(this.poolSlot, length);
      if (this.wanted(length, v.slotSize, v.sender(i))) this.handlers.onDatagram(v.copy(i, length), v.nsid(i));
    }
    return true;
  }

  private resumeSoon(): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => {
      this.draining = false;
      this.drain();
    });
  }

  private receiveOne(): boolean {
    if (this.withNsid) return this.receiveWithNsid();
    // MSG_TRUNC makes recvfrom return the datagram's full size even when it did not fit.
    this.addrLen[0] = SOCKADDR_NL_LEN;
    const n = sys.recvfrom(this.fd, shared.data, shared.data.length, MSG_TRUNC | MSG_DONTWAIT, this.addr, this.addrLen);
    return this.received(n, shared, this.addr);
  }

  /** A few datagrams with their ancillary data, read here as the pool reads them. */
  private receiveWithNsid(): boolean {
    if (this.here?.slotSize !== this.poolSlot) this.here = new DatagramVector(this.poolSlot, true);
    const n = this.here.readHere(this.fd);
    return n < 0 ? this.receiveFailed(lastErrno()) : this.takeVector(this.here, n);
  }

  /** What one recvfrom into `rx` gave, handled: false when nothing more is waiting. */
  private received(n: number, rx: RxBuffer, addr: Uint8Array): boolean {
    if (n < 0) return this.receiveFailed(lastErrno());
    const room = rx.data.length;
    if (n > room) rx.data = new Uint8Array(n);
    if (this.wanted(n, room, new DataView(addr.buffer).getUint32(4, true))) this.handlers.onDatagram(rx.data.slice(0, n));
    return true;
  }

  /** Whether a datagram read into `room` bytes is handed over: not when it did not fit (reported) or is not the kernel's. */
  private wanted(length: number, room: number, sender: number): boolean {
    if (length > room) {
      // Netlink's own limits keep dump parts under 32 KiB; a unicast answer may be bigger (a link
      // with many VFs). Lost: the buffer grows for its retry (the client sends gets and dumps again).
      this.handlers.onError(errorFor({ errno: constants.errno.EMSGSIZE, text: `a ${length}-byte datagram did not fit the receive buffer and was lost` }));
      return false;
    }
    if (sender !== 0) debug('dropped %d bytes from port %d (not the kernel)', length, sender);
    return sender === 0;
  }

  private receiveFailed(errno: number): boolean {
    if (errno === EAGAIN) {
      this.congested = false; // the queue is empty: the kernel no longer counts the socket congested
      return false;
    }
    if (errno === EINTR) return true;
    if (errno === ENOBUFS) this.congested = true;
    const err = errno === ENOBUFS
      ? errorFor({ errno, text: 'receive buffer overflowed: messages were lost (resync with a dump)' })
      : sysError('recvfrom', errno);
    debug('receive error %s', err.message);
    this.handlers.onError(err);
    return errno === ENOBUFS;
  }
}

function setOpt(fd: number, level: number, name: number, value: number): void {
  if (sys.setsockopt(fd, level, name, int32(value), 4) < 0) throw sysError(`setsockopt(${level}, ${name})`);
}
