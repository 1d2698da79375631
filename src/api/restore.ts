// Putting back what `save()` (or `ip route|address save`) wrote: each saved message sent as the
// kernel dumped it, with NLM_F_CREATE alone as `ip ... restore` sends it, so that what is there
// already is the kernel's EEXIST and is passed over. Shared by the route and address APIs.
import { NLM_F_CREATE } from '../../codecs/netlink/constants.js';
import { readSaved } from '../../codecs/netlink/saved.js';
import type { Codec } from '../../codecs/netlink/schema.js';
import type { NlMessage } from '../../codecs/netlink/message.js';
import { ExistsError, NetlinkError, decoding, invalid } from '../errors.js';
import type { Session } from './session.js';

/** One entry of a saved dump put back: `exists` is the kernel's refusal when it was there already. */
export interface Restored<T> {
  entry: T;
  exists?: ExistsError;
}

/** A saved message, decoded, with what names it in errors. */
export interface SavedEntry<M> {
  message: NlMessage;
  decoded: M;
  /** `route 3 of the saved dump (203.0.113.0/24)`. */
  subject: string;
}

/**
 * Every message of a saved dump, decoded, before anything is sent: a file cut short, of another
 * magic number or holding a message of another type (a delete) is refused whole.
 */
export function savedEntries<M>(saved: unknown, magic: number, type: number, codec: Codec<M>, what: string, describe: (m: M) => string): Array<SavedEntry<M>> {
  if (!(saved instanceof Uint8Array)) throw invalid(`saved ${what}s`, `the saved dump is a Uint8Array (a Buffer), not ${typeof saved}`);
  return decoding(() => [...readSaved(saved, magic)], `saved ${what}s`).map((message, i) => {
    const subject = `${what} ${i + 1} of the saved dump`;
    if (message.header.type !== type) throw invalid(subject, `a message of type ${message.header.type}, not one to restore`);
    const decoded = decoding(() => codec.decode(message.payload), subject);
    return { message, decoded, subject: `${subject} (${describe(decoded)})` };
  });
}

/**
 * Sends each entry in turn as the kernel dumped it; the first refusal but EEXIST rejects,
 * naming its entry, with those before it restored (as ip restores them) and given in the
 * error's `partial`.
 */
export async function restoreEach<M, T>(rt: Session, entries: Array<SavedEntry<M>>, name: string, typed: (m: M) => T): Promise<Array<Restored<T>>> {
  const out: Array<Restored<T>> = [];
  for (const { message, decoded, subject } of entries) {
    const entry = typed(decoded);
    try {
      await rt.client.request({ type: message.header.type, flags: NLM_F_CREATE, name, body: (w) => w.bytes(message.payload) });
      out.push({ entry });
    } catch (e) {
      if (e instanceof ExistsError) out.push({ entry, exists: e });
      else throw stoppedAt(e, subject, out);
    }
  }
  return out;
}

/** The refusal that stopped a restore, naming its entry, with what was restored before it. */
function stoppedAt(e: unknown, subject: string, before: unknown[]): unknown {
  if (!(e instanceof NetlinkError)) return e;
  const stopped = e.about(subject);
  stopped.partial = before;
  return stopped;
}
