// A recording of the kernel's notifications replayed as typed events: the file iproute2's rtmon
// writes (`rtmon file F`), which `ip monitor file F` prints. Each message is told as the monitor
// tells what it hears from another namespace (families.ts's Hearing: `new` the first time an
// object is heard of, `change` after, `del`), in the file's order; rtmon's time stamps and the
// messages no family reads come as events of their own, so that nothing in the file is passed over.
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_TSTAMP, align } from '../../codecs/netlink/constants.js';
import { DecodeError } from '../../codecs/netlink/errors.js';
import { messageAt, type NlMessage } from '../../codecs/netlink/message.js';
import { getAt } from '../../codecs/netlink/attrs.js';
import type { Link } from '../../codecs/route/link.js';
import { checkBoolean, checkObject, decoding, invalid, optionKeys } from '../errors.js';
import { Hearing, NAMES, isFamilyType, type ChangeEvent } from './families.js';

/** rtmon's time stamp (NLMSG_TSTAMP), written before each message it records after its first dump of the links. */
export interface StampEvent {
  type: 'stamp';
  family?: undefined;
  /** The wall clock when rtmon heard the next message: seconds since the epoch, and microseconds. */
  seconds: number;
  microseconds: number;
}

/** A message of a type no family reads (an address label, a nexthop bucket...): its header and payload as the file has them. */
export interface UnreadEvent {
  type: 'unread';
  family?: undefined;
  message: NlMessage;
}

export type ReplayEvent = ChangeEvent | StampEvent | UnreadEvent;

export interface ReplayOptions {
  /** Give each change event its `source` too: the codec's message, as monitor({ sources: true }) does. */
  sources?: boolean;
}

const OPTION_KEYS = optionKeys<ReplayOptions>()('sources');

/** Control messages, which say nothing of the kernel's objects (ip monitor passes over them too). */
const CONTROL = [NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE];

/**
 * The events of a recording, in its order: `for (const ev of replay(bytes))`. Bytes that do not
 * form a message, or a message of a family that does not decode, end the replay with a
 * ProtocolError giving the byte it begins at, after the events before it.
 */
export function replay(bytes: Uint8Array, opts: ReplayOptions = {}): Replay {
  return new Replay(bytes, opts);
}

export class Replay implements Iterable<ReplayEvent> {
  private readonly sources: boolean;
  /** What the iteration under way has heard: each iteration starts afresh. */
  private hearing?: Hearing;

  constructor(private readonly bytes: Uint8Array, opts: ReplayOptions) {
    if (!(bytes instanceof Uint8Array)) throw invalid('recording', `the bytes of a recording are a Uint8Array (a Buffer), not ${typeof bytes}`);
    checkObject('replay options', opts, OPTION_KEYS);
    this.sources = checkBoolean('replay options', 'sources', opts.sources) === true;
  }

  * [Symbol.iterator](): Generator<ReplayEvent, void, undefined> {
    const hearing = (this.hearing = new Hearing(NAMES, this.sources));
    for (let off = 0; off < this.bytes.length;) {
      const m = decoding(() => messageAt(this.bytes, off), 'recording');
      const ev = decoding(() => eventAt(hearing, m, off), 'recording');
      if (ev) yield ev;
      off += align(m.header.len);
    }
  }

  /** A link as the recording has told it so far (what names the links of the rest); none before an iteration. */
  link(index: number): Link | undefined {
    return this.hearing?.link(index);
  }
}

/** What one message of a recording tells; undefined for a control message or a cached route (ip monitor prints neither). */
function eventAt(hearing: Hearing, m: NlMessage, off: number): ReplayEvent | undefined {
  const { type } = m.header;
  if (type === NLMSG_TSTAMP) {
    if (m.payload.length < 8) throw new DecodeError(`a time stamp of ${m.payload.length} bytes, expected 8`, off);
    return { type: 'stamp', seconds: getAt.u32(m.payload, 0, 4), microseconds: getAt.u32(m.payload, 4, 8) };
  }
  if (CONTROL.includes(type)) return undefined;
  if (!isFamilyType(type)) return { type: 'unread', message: m };
  try {
    return hearing.hear(m);
  } catch (e) {
    throw e instanceof DecodeError ? new DecodeError(`message at byte ${off}: ${e.message}`) : e;
  }
}
