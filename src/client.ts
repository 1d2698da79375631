// Requests over one netlink socket: sequence numbers, matching replies to requests,
// acks, dumps (one at a time per socket, as the kernel wants), timeouts, retries.
import { constants } from 'node:os';
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST } from '../codecs/netlink/constants.js';
import { DecodeError, EncodeError, asJson, asText } from '../codecs/netlink/errors.js';
import { decodeDone, decodeError, parseMessages, type ExtAck, type NlMessage } from '../codecs/netlink/message.js';
import { Writer } from '../codecs/netlink/writer.js';
import {
  DumpInterruptedError, NetlinkError, OverflowError, ProtocolError, TimeoutError, errorFor, InvalidArgumentError,
  type RequestInfo,
} from './errors.js';
import { logger } from './log.js';
import { NetlinkSocket, type SocketHandlers, type SocketOptions, type Transport } from './socket/netlink-socket.js';

const debug = logger('rtnl:client');

export interface ClientOptions extends SocketOptions {
  /** Milliseconds of silence after which a request fails (a dump answering all along never does); 0 waits forever. Default 10 000. */
  timeout?: number;
  /** How many times an interrupted dump (NLM_F_DUMP_INTR) is tried again. Default 3. */
  dumpRetries?: number;
  /**
   * Requests sent and not yet answered, at most. More wait their turn: their answers
   * must fit the receive buffer, or the kernel drops them. Default 64.
   */
  maxInFlight?: number;
  /** Replaces the socket: for tests that play the kernel's part. */
  transport?: (handlers: SocketHandlers) => Transport;
}

/** Options of the wrong type or range are refused, naming them (plain-JS callers too). */
function checkOptions(o: ClientOptions): void {
  const ints: Array<[keyof ClientOptions, number]> = [['timeout', 0], ['dumpRetries', 0], ['maxInFlight', 1], ['receiveBuffer', 0], ['protocol', 0]];
  for (const [key, min] of ints) {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 0x7fffffff)) {
      throw new InvalidArgumentError({ errno: constants.errno.EINVAL, subject: 'open options', text: `${key} must be an integer from ${min}, not ${asJson(v)}` });
    }
  }
  if (o.allNsid !== undefined && typeof o.allNsid !== 'boolean') {
    throw new InvalidArgumentError({ errno: constants.errno.EINVAL, subject: 'open options', text: `allNsid must be true or false, not ${asJson(o.allNsid)}` });
  }
  if (o.groups !== undefined && !(Array.isArray(o.groups) && o.groups.every((g) => Number.isInteger(g) && g > 0 && g < 1024))) {
    throw new InvalidArgumentError({ errno: constants.errno.EINVAL, subject: 'open options', text: `groups must be an array of RTNLGRP_* numbers, not ${asJson(o.groups)}` });
  }
}

/** Default receive buffer: room for a full window of answers and bursts of notifications. */
const RECEIVE_BUFFER = 4 * 1024 * 1024;

export interface Request {
  type: number;
  /** Flags on top of NLM_F_REQUEST (and NLM_F_ACK, which every non-dump request carries). */
  flags?: number;
  /** Writes the payload after the netlink header. */
  body: (w: Writer) => void;
  /** Readable name for errors and logs, e.g. `RTM_NEWLINK`. */
  name?: string;
  /**
   * Sending it twice does no harm (a get): when its answer is lost to an overflow it is sent
   * again, as dumps are. Any other request whose answer is lost ends with an OverflowError
   * that says its outcome is unknown.
   */
  idempotent?: boolean;
}

interface Pending {
  info: RequestInfo;
  req: Request;
  dump: boolean;
  /** Decodes each reply as it comes (spread over the drains, not all at the end). */
  decode?: (m: NlMessage) => unknown;
  /** A streamed dump: replies go here, a datagram's worth at a time, instead of accumulating. */
  sink?: (items: unknown[]) => void;
  replies: unknown[];
  interrupted: boolean;
  /** Datagrams of its answer so far. */
  parts: number;
  /** When its silence becomes a timeout (performance.now() ms; Infinity: never). */
  deadline: number;
  /** After an overflow: the resend's own timer, how many resends so far, and whether any answer came since the last. */
  resendTimer?: NodeJS.Timeout;
  resends?: number;
  heard?: boolean;
  resolve(r: { replies: unknown[]; interrupted: boolean }): void;
  reject(e: Error): void;
}

/** The most a batch of requests puts in one datagram (well under the socket's send buffer). */
const MAX_DATAGRAM = 64 * 1024;
/**
 * A resend after an overflow whose answer is lost again says nothing: the kernel reports one
 * overflow until the queue has been emptied, and a storm of notifications may keep it from
 * emptying. A resend not heard from within this time (doubling, at most 2 s) is sent again, up
 * to RESENDS times; then the request's timeout decides.
 */
const RESEND_AFTER_MS = 200;
const RESENDS = 8;
/**
 * After how many datagrams a listed dump is read in the thread pool, until it ends: the kernel
 * makes each next part inside the read, which there runs beside the decoding here (and for a big
 * table can take tens of milliseconds). A hop to the pool costs more than a few reads here, so a
 * small dump (its first part holds two or three links) stays here; a stream goes at once.
 */
const POOL_AFTER = 4;
/** How long a streamed dump's consumer runs before the event loop gets a turn. */
const STREAM_SLICE_MS = 3;
/** Messages a streamed dump decodes between two looks at the clock. */
const STREAM_STEP = 32;

/** A message that did not decode, as the error of the request it answers; anything else thrown as it is. */
function undecoded(e: unknown, request: RequestInfo): Error {
  return e instanceof DecodeError ? new ProtocolError({ errno: constants.errno.EPROTO, request, text: e.message, cause: e }) : (e as Error);
}

/** Messages `from` to `to` of a streamed dump, decoded; one that does not decode is a ProtocolError naming the request. */
function decodeRange<T>(req: Request, messages: NlMessage[], from: number, to: number, decode: (m: NlMessage) => T): T[] {
  const out: T[] = [];
  for (let i = from; i < to; i++) {
    try {
      out.push(decode(messages[i]));
    } catch (e) {
      throw undecoded(e, { type: req.type, seq: messages[i].header.seq, name: req.name });
    }
  }
  return out;
}

/** How a request's answers are taken. */
type How = Pick<Pending, 'dump' | 'decode' | 'sink'>;
const A_REQUEST: How = Object.freeze({ dump: false });
const repliesOf = (r: { replies: unknown[] }): NlMessage[] => r.replies as NlMessage[];

/**
 * Listener for messages that answer no request (multicast notifications); `nsid` for one from
 * another namespace (the socket opened with `allNsid`): the id the socket's namespace gives it.
 */
export type NotificationListener = (m: NlMessage, nsid?: number) => void;

export class Client {
  private readonly socket: Transport;
  private readonly pending = new Map<number, Pending>();
  private seq = Math.floor(Math.random() * 0x7fffffff) + 1;
  private dumpQueue: Promise<void> = Promise.resolve();
  /** keepAlive(true): referenced when idle too. */
  private kept = false;
  private readonly timeout: number;
  private readonly dumpRetries: number;
  private readonly maxInFlight: number;
  /** Requests waiting for a free place in the window. */
  private readonly waiting: Array<() => void> = [];
  private readonly listeners = new Set<NotificationListener>();
  /** Requests encoded in this turn into `out`, not sent yet (see post()). */
  private readonly outbox: Pending[] = [];
  private readonly out = new Writer(4096);
  /**
   * Sequence numbers given up on (timed out, or sent again after an overflow): what still comes
   * for them is dropped, not taken for notifications. The newest 1024 only.
   */
  private readonly abandoned = new Set<number>();
  private readonly errorListeners = new Set<(e: NetlinkError) => void>();
  /**
   * One timer for every request's timeout, due at the earliest deadline or before: a timer per
   * request cost more than the rest of the client's work on it (and an async_hooks record each).
   * Referenced while a request waits, as a timer of its own would be.
   */
  private clock?: NodeJS.Timeout;
  private readonly sendBatch = (): void => this.flush();

  constructor(opts: ClientOptions = {}) {
    checkOptions(opts);
    this.timeout = opts.timeout ?? 10_000;
    this.dumpRetries = opts.dumpRetries ?? 3;
    this.maxInFlight = opts.maxInFlight ?? 64;
    const handlers: SocketHandlers = { onDatagram: (d, nsid) => this.dispatch(d, nsid), onError: (e) => this.socketError(e) };
    this.socket = opts.transport?.(handlers) ?? NetlinkSocket.open({ ...opts, receiveBuffer: opts.receiveBuffer ?? RECEIVE_BUFFER }, handlers);
  }

  get port(): number { return this.socket.port; }
  get fd(): number { return this.socket.fd; }

  /** Sends a request and waits for its ack; resolves with the replies that came before it. */
  request(req: Request): Promise<NlMessage[]> {
    return this.exchange(req, A_REQUEST).then(repliesOf);
  }

  /**
   * Dumps (NLM_F_DUMP): queued behind any other dump on this socket, retried when interrupted.
   * With `decode`, each message is decoded as it arrives and the result holds what it gave.
   */
  dump(req: Request): Promise<NlMessage[]>;
  dump<T>(req: Request, decode: (m: NlMessage) => T): Promise<T[]>;
  dump<T>(req: Request, decode?: (m: NlMessage) => T): Promise<Array<T | NlMessage>> {
    return this.queued(() => this.dumpWithRetries(req, decode));
  }

  /**
   * A dump too big to hold: its messages, decoded by `decode`, a few at a time, as the kernel
   * produces them. While the consumer lags more than `highWater` messages behind, the socket is
   * not read (the kernel holds the rest; other requests on this socket wait too). An interrupted
   * dump (NLM_F_DUMP_INTR) ends with a DumpInterruptedError after what it gave.
   */
  async *stream<T>(req: Request, decode: (m: NlMessage) => T, highWater = 2_000): AsyncGenerator<T[], void, undefined> {
    const queue: NlMessage[][] = [];
    let queued = 0;
    let wake: (() => void) | undefined;
    let end: { error?: Error } | undefined;
    let left = false;
    // The datagrams are only split into messages as they are read; decoding is the consumer's.
    const sink = (items: unknown[]): void => {
      if (left) return; // the consumer broke off: the rest of the dump is read and dropped
      queue.push(items as NlMessage[]);
      queued += items.length;
      if (queued > highWater) this.socket.pause();
      wake?.();
    };
    const done = this.queued(() => this.exchange(req, { dump: true, sink }))
      .then((r) => {
        end = r.interrupted ? { error: this.interrupted(req, 0, []) } : {};
      }, (e: Error) => { end = { error: e }; })
      .finally(() => wake?.());
    // Decoding and the loop body run in microtasks, which the event loop waits for: they get a
    // slice of time, a few messages at a time (a datagram of cold code took 34 ms), then a turn
    // of the loop passes before they go on.
    let sliceEnd = performance.now() + STREAM_SLICE_MS;
    try {
      for (;;) {
        const messages = queue.shift();
        if (messages) {
          queued -= messages.length;
          if (queued <= highWater / 2) this.socket.resume();
          for (let at = 0; at < messages.length; at += STREAM_STEP) {
            yield decodeRange(req, messages, at, Math.min(at + STREAM_STEP, messages.length), decode);
            if (performance.now() > sliceEnd) {
              await new Promise<void>((r) => setImmediate(r));
              sliceEnd = performance.now() + STREAM_SLICE_MS;
            }
          }
        } else if (end) {
          if (end.error) throw end.error;
          return;
        } else {
          await new Promise<void>((r) => { wake = r; });
          wake = undefined;
          sliceEnd = performance.now() + STREAM_SLICE_MS;
        }
      }
    } finally {
      left = true;
      queue.length = 0;
      this.socket.resume();
      await done;
    }
  }

  /** Runs `fn` after every dump before it on this socket (the kernel runs one at a time). */
  private queued<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.dumpQueue.then(fn);
    // Settles with nothing: holding the last dump's result here would keep it alive until the next.
    this.dumpQueue = run.then(() => undefined, () => undefined);
    return run;
  }

  /** Receives messages that answer no request: notifications of joined multicast groups. */
  onNotification(l: NotificationListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Socket-level errors (overflow above all) that concern no single request. */
  onError(l: (e: NetlinkError) => void): () => void {
    this.errorListeners.add(l);
    return () => this.errorListeners.delete(l);
  }

  /**
   * While on, the socket keeps the process alive even with nothing asked (a monitor waiting for
   * notifications); off, only requests in flight do.
   */
  keepAlive(on: boolean): void {
    this.kept = on;
    this.socket.setReferenced(on || this.pending.size > 0); // none wait for the window while it has room
  }

  joinGroup(group: number): void { this.socket.joinGroup(group); }
  leaveGroup(group: number): void { this.socket.leaveGroup(group); }

  /** Closes the socket; requests still waiting fail. */
  close(): void {
    for (const p of this.pending.values()) {
      this.settle(p, errorFor({ errno: constants.errno.ECANCELED, request: p.info, text: 'socket closed before the answer came' }));
    }
    clearTimeout(this.clock);
    this.clock = undefined;
    this.socket.close();
    // Those still waiting for the window go on, and fail to send on the closed socket.
    for (const go of this.waiting.splice(0)) go();
  }

  private async dumpWithRetries<T>(req: Request, decode?: (m: NlMessage) => T): Promise<Array<T | NlMessage>> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.exchange(req, { dump: true, decode });
      if (!r.interrupted) return r.replies as Array<T | NlMessage>;
      debug('dump %s interrupted (attempt %d)', req.name ?? req.type, attempt + 1);
      if (attempt >= this.dumpRetries) throw this.interrupted(req, attempt + 1, r.replies);
    }
  }

  private interrupted(req: Request, times: number, partial: unknown[]): DumpInterruptedError {
    const e = new DumpInterruptedError({
      errno: constants.errno.EINTR,
      text: times > 0 ? `dump interrupted by concurrent changes ${times} times in a row` : 'dump interrupted by concurrent changes: what it gave may be inconsistent',
      request: { type: req.type, seq: 0, name: req.name },
    });
    e.partial = partial;
    return e;
  }

  /** Sends now if the window has room, else once an answer frees a place (no async function: one promise fewer per request). */
  private exchange(req: Request, how: How): Promise<{ replies: unknown[]; interrupted: boolean }> {
    if (this.pending.size < this.maxInFlight) return this.send(req, how);
    return new Promise<void>((go) => this.waiting.push(go)).then(() => this.send(req, how));
  }

  private send(req: Request, how: How): Promise<{ replies: unknown[]; interrupted: boolean }> {
    const { dump } = how;
    const seq = this.nextSeq();
    const info: RequestInfo = { type: req.type, seq, name: req.name };
    const start = this.out.length;
    try {
      const flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK) | (req.flags ?? 0);
      this.out.message({ type: req.type, flags, seq }, req.body);
    } catch (e) {
      this.out.length = start; // what it wrote is not sent
      if (e instanceof EncodeError) return Promise.reject(new InvalidArgumentError({ errno: constants.errno.EINVAL, subject: req.name ?? `request ${req.type}`, text: e.message, cause: e }));
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      // One shape for every Pending (no spread): the hot path stays monomorphic.
      const deadline = this.timeout > 0 ? performance.now() + this.timeout : Infinity;
      const p: Pending = { info, req, dump: how.dump, decode: how.decode, sink: how.sink, replies: [], interrupted: false, parts: 0, deadline, resolve, reject };
      this.pending.set(seq, p);
      // A stream is read in another thread from its first part on (see POOL_AFTER for a listed dump).
      if (p.sink) this.socket.readOffThread?.(true);
      if (deadline !== Infinity) this.windClock();
      this.socket.setReferenced(true);
      this.post(p);
    });
  }

  /** Arms the shared timer (a later deadline than the one it is due at is looked at when it fires). */
  private windClock(): void {
    if (this.clock === undefined) this.clock = setTimeout(() => this.tick(), this.timeout);
    else this.clock.ref();
  }

  /** The shared timer fired: requests past their deadline time out; it is armed again for the next. */
  private tick(): void {
    const now = performance.now();
    let next = Infinity;
    for (const p of this.pending.values()) { // settle() deletes as it goes, which a Map's iteration allows
      if (p.deadline > now) next = Math.min(next, p.deadline);
      else {
        this.abandon(p.info.seq);
        this.settle(p, new TimeoutError({ errno: constants.errno.ETIMEDOUT, request: p.info, text: `no answer within ${this.timeout} ms` }));
      }
    }
    this.clock = next === Infinity ? undefined : setTimeout(() => this.tick(), Math.max(1, Math.ceil(next - now)));
  }

  /**
   * Requests made in one turn go to the kernel together: encoded one after the other into one
   * buffer, sent as one datagram (the kernel processes every message of a datagram in order)
   * once the current code and the microtasks before ours have run, then the answers read at once.
   */
  private post(p: Pending): void {
    this.outbox.push(p);
    if (this.out.length >= MAX_DATAGRAM) this.flush();
    // A promise's reaction rather than queueMicrotask(), which makes an async_hooks resource each time.
    else if (this.outbox.length === 1) void Promise.resolve().then(this.sendBatch);
  }

  private flush(): void {
    const batch = this.outbox.splice(0);
    if (batch.length === 0) return;
    try {
      this.socket.send(this.out.finish());
    } catch (e) {
      for (const p of batch) this.settle(p, e as Error);
      return;
    } finally {
      this.out.length = 0; // the buffer is used again: send() has copied it to the kernel
    }
    // The kernel answered inside send(): read until this batch is answered (the read that would
    // only say EAGAIN is spared); anything else waiting is the readiness watcher's.
    const last = batch[batch.length - 1];
    this.socket.drain(() => this.pending.get(last.info.seq) !== last);
  }

  private nextSeq(): number {
    do this.seq = (this.seq + 1) >>> 0;
    while (this.seq === 0 || this.pending.has(this.seq) || this.abandoned.has(this.seq));
    return this.seq;
  }

  /** Ends a request: with its result, or with an error. */
  private settle(p: Pending, outcome: Error | { replies: unknown[]; interrupted: boolean }): void {
    if (this.pending.get(p.info.seq) !== p) return;
    this.pending.delete(p.info.seq);
    clearTimeout(p.resendTimer);
    if (p.dump) this.socket.readOffThread?.(false); // dumps run one at a time
    if (this.pending.size === 0) {
      this.clock?.unref(); // it fires for nothing, or not at all if the process ends
      if (this.waiting.length === 0 && !this.kept) this.socket.setReferenced(false);
    }
    this.waiting.shift()?.();
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
  }

  /** A datagram's messages to the requests they answer or to the notification listeners; `nsid`: another namespace's. */
  private dispatch(datagram: Uint8Array, nsid?: number): void {
    let messages: NlMessage[];
    try {
      messages = parseMessages(datagram);
    } catch (e) {
      this.undecodable(datagram, e as Error, nsid);
      return;
    }
    if (nsid !== undefined) {
      // Another namespace's notifications answer none of this socket's requests, whatever their sequence numbers.
      for (const m of messages) this.notify(m, nsid);
      return;
    }
    let fed: Set<Pending> | undefined;
    let last: Pending | undefined;
    for (const m of messages) {
      const p = this.pending.get(m.header.seq); // never 0: that is the kernel's own (nextSeq)
      if (!p) {
        if (this.abandoned.has(m.header.seq)) debug('dropped a late answer to seq %d', m.header.seq);
        else this.notify(m);
        continue;
      }
      // The timeout counts silence: a dump that goes on answering never times out.
      if (p !== last && p.deadline !== Infinity) p.deadline = performance.now() + this.timeout;
      last = p;
      try {
        this.handle(p, m);
        if (p.sink) (fed ??= new Set()).add(p);
      } catch (e) {
        this.settle(p, undecoded(e, p.info));
      }
    }
    // A dump still going on after POOL_AFTER datagrams is read in the thread pool from then on.
    if (last?.dump && ++last.parts >= POOL_AFTER && this.pending.get(last.info.seq) === last) this.socket.readOffThread?.(true);
    // A streamed dump gets this datagram's worth at once.
    for (const p of fed ?? []) {
      if (p.replies.length === 0) continue;
      p.sink?.(p.replies);
      p.replies = [];
    }
  }

  /** Every listener gets the message; one that throws is reported and stops no other. */
  private notify(m: NlMessage, nsid?: number): void {
    for (const l of this.listeners) {
      try {
        l(m, nsid);
      } catch (e) {
        this.socketError(errorFor({ errno: constants.errno.ECANCELED, text: `a notification listener threw: ${asText(e)}`, cause: e }));
      }
    }
  }

  /**
   * A datagram that does not parse: the request it answers (a datagram answers one request,
   * whose sequence number its first header carries) fails with a ProtocolError now, rather than
   * waiting for its timeout; a datagram of no request (another namespace's: none) is a socket error.
   */
  private undecodable(datagram: Uint8Array, e: Error, nsid: number | undefined): void {
    const seq = datagram.length >= 12 ? new DataView(datagram.buffer, datagram.byteOffset).getUint32(8, true) : 0;
    const p = nsid === undefined ? this.pending.get(seq) : undefined;
    const from = nsid === undefined ? '' : ` from nsid ${nsid}`;
    const err = new ProtocolError({ errno: constants.errno.EPROTO, request: p?.info, text: `undecodable datagram${from}: ${e.message}`, cause: e });
    if (p) this.settle(p, err);
    else this.socketError(err);
  }

  private handle(p: Pending, m: NlMessage): void {
    p.heard = true;
    if (m.header.flags & NLM_F_DUMP_INTR) p.interrupted = true;
    if (m.header.type === NLMSG_ERROR) {
      const { error, ext } = decodeError(m);
      this.settle(p, error === 0 ? { replies: p.replies, interrupted: p.interrupted } : this.kernelError(p, -error, ext));
    } else if (m.header.type === NLMSG_DONE && p.dump) {
      const { error, ext } = decodeDone(m);
      this.settle(p, error === 0 ? { replies: p.replies, interrupted: p.interrupted } : this.kernelError(p, -error, ext, true));
    } else {
      p.replies.push(p.decode ? p.decode(m) : m);
    }
  }

  private kernelError(p: Pending, errno: number, ext: ExtAck, endedDump = false): NetlinkError {
    debug('seq %d %s failed: errno %d %s', p.info.seq, p.info.name ?? p.info.type, errno, ext.msg ?? '');
    return errorFor({ errno, kernelMessage: ext.msg, offset: ext.offset, request: p.info, endedDump });
  }

  /**
   * Errors of the socket itself go to the error listeners (one that throws stops no other; with
   * none, a process warning says it). After an overflow any answer may have been lost: dumps and
   * idempotent requests are sent again, every other request waiting ends now with an
   * OverflowError saying that the kernel may or may not have done it.
   */
  private socketError(e: NetlinkError): void {
    debug('socket error: %s', e.message);
    // A datagram too big for the receive buffer is lost as an overflow loses one (the socket grows its buffer).
    if (e instanceof OverflowError || e.errno === constants.errno.EMSGSIZE) this.overflowed();
    if (this.errorListeners.size === 0) {
      process.emitWarning(e.message, { type: 'NetlinkWarning', code: e.code });
      return;
    }
    for (const l of this.errorListeners) {
      try {
        l(e);
      } catch (thrown) {
        process.emitWarning(`an rtnl error listener threw: ${asText(thrown)}`, { type: 'NetlinkWarning' });
      }
    }
  }

  private overflowed(): void {
    for (const p of [...this.pending.values()]) {
      if ((p.dump || p.req.idempotent) && !p.sink) {
        this.resend(p);
        continue;
      }
      this.settle(p, new OverflowError({
        errno: constants.errno.ENOBUFS, request: p.info,
        text: 'the answer was lost: the receive buffer overflowed (the kernel may or may not have done it: check before trying again)',
      }));
    }
  }

  private abandon(seq: number): void {
    this.abandoned.add(seq);
    if (this.abandoned.size > 1024) this.abandoned.delete(this.abandoned.values().next().value as number);
  }

  /**
   * The same request again under a new sequence number, its replies so far dropped; the same
   * promise waits. Sent once the socket is drained (in the check phase): sent now, from inside
   * the drain that met the overflow, its answer would find the buffer still full, and a socket
   * already marked congested reports no second overflow.
   */
  private resend(p: Pending): void {
    this.pending.delete(p.info.seq);
    this.abandon(p.info.seq);
    const seq = this.nextSeq();
    debug('resending %s (seq %d, was %d) after an overflow', p.info.name ?? p.info.type, seq, p.info.seq);
    p.info = { ...p.info, seq };
    p.replies = [];
    p.interrupted = false;
    this.pending.set(seq, p);
    const flags = NLM_F_REQUEST | (p.dump ? NLM_F_DUMP : NLM_F_ACK) | (p.req.flags ?? 0);
    setImmediate(() => {
      if (this.pending.get(seq) !== p) return;
      try {
        this.socket.send(new Writer().message({ type: p.req.type, flags, seq }, p.req.body).finish());
      } catch (e) {
        this.settle(p, e as Error);
        return;
      }
      this.watchResend(p, seq);
      this.socket.drain();
    });
  }

  /** Sends the request once more if nothing of its answer comes (it was lost while the socket was still congested). */
  private watchResend(p: Pending, seq: number): void {
    const n = p.resends = (p.resends ?? 0) + 1;
    if (n > RESENDS) return;
    p.heard = false;
    p.resendTimer = setTimeout(() => {
      if (this.pending.get(seq) !== p) return;
      if (p.heard) this.watchResend(p, seq); // a dump under way: wait on
      else this.resend(p);
    }, Math.min(RESEND_AFTER_MS * 2 ** (n - 1), 2000));
  }
}
