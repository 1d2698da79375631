// Loads the byte vectors under test/vectors/{address,route,neighbour}/ (captured by
// test/vectors/route/capture.sh): the request iproute2 sent and the datagrams the kernel answered.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessages, type NlMessage } from '../../codecs/netlink/message.js';
import fc from 'fast-check';
import type { Test } from 'tap';
import { DecodeError } from '../../codecs/netlink/errors.js';
import { Writer } from '../../codecs/netlink/writer.js';
import { hex } from './bytes.js';

const dir = fileURLToPath(new URL('../../../test/vectors/', import.meta.url));

export interface Vector {
  command: string;
  /** The one request message (iproute2 pads dump requests with zeros past nlmsg_len: cut off). */
  request: NlMessage;
  /** Every message of the reply datagrams whose type is a family message (not DONE or an ack). */
  replies: NlMessage[];
}

export function vector(name: string): Vector {
  const lines = readFileSync(`${dir}${name}.txt`, 'utf8').split('\n');
  const command = (lines.find((l) => l.startsWith('# ')) ?? '').slice(2);
  const req = hex(lines.find((l) => l.startsWith('request '))?.slice(8) ?? '');
  const len = new DataView(req.buffer).getUint32(0, true);
  const replies = lines.filter((l) => l.startsWith('reply ')).flatMap((l) => parseMessages(hex(l.slice(6))))
    .filter((m) => m.header.type >= 16);
  return { command, request: parseMessages(req.subarray(0, len))[0], replies };
}

/** Decodes a payload, encodes the result again, and returns both (for t.same on the bytes). */
export function reencode<T>(codec: { decode(p: Uint8Array): T; encode(w: Writer, m: T): void }, payload: Uint8Array): { decoded: T; bytes: Uint8Array } {
  const decoded = codec.decode(payload);
  const w = new Writer();
  codec.encode(w, decoded);
  return { decoded, bytes: w.finish() };
}

/** Random bytes, and captured payloads with bytes flipped or cut: decoding either works or throws DecodeError. */
export function fuzz(t: Test, codec: { decode(p: Uint8Array): unknown }, payloads: Uint8Array[]): void {
  const onlyDecodeErrors = (b: Uint8Array): boolean => {
    try {
      codec.decode(b);
      return true;
    } catch (e) {
      return e instanceof DecodeError;
    }
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), onlyDecodeErrors), { numRuns: 2000 });
  fc.assert(fc.property(
    fc.constantFrom(...payloads), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(),
    (p, at, value, cut) => {
      const b = p.slice(0, p.length - (cut % 8 === 0 ? cut % p.length : 0));
      if (b.length > 0) b[at % b.length] = value;
      return onlyDecodeErrors(b);
    },
  ), { numRuns: 5000 });
  t.pass('random and mutated bytes only ever throw DecodeError');
}
