// A kernel played in JavaScript for the request benches: every request acked inside send(), and
// echoed where rtnl asks for it (NLM_F_ECHO): an added address as it was sent, a new link as the
// captured answer `link` (its sequence number set), so that only the library's own work is timed.
import type { SocketHandlers, Transport } from '../src/socket/netlink-socket.js';
import { parseMessages } from '../codecs/netlink/message.js';
import { NLMSG_ERROR, NLM_F_ECHO } from '../codecs/netlink/constants.js';
import { RTM_NEWADDR, RTM_NEWLINK } from '../codecs/route/constants.js';

/** NLMSG_ERROR 0 (an ack) for the request `seq` of `len` bytes (capped: the request left out). */
function ack(seq: number, len: number): Uint8Array {
  const b = new Uint8Array(36);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 36, true);
  dv.setUint16(4, NLMSG_ERROR, true);
  dv.setUint16(6, 0x100, true);
  dv.setUint32(8, seq, true);
  dv.setUint32(20, len, true);
  return b;
}

/** The kernel's echo of request `seq`: `bytes` (one message) with that sequence number and no flags. */
function echoed(bytes: Uint8Array, seq: number): Uint8Array {
  const echo = Uint8Array.prototype.slice.call(bytes); // a copy, a Buffer's too
  const dv = new DataView(echo.buffer, echo.byteOffset, echo.byteLength);
  dv.setUint16(6, 0, true);
  dv.setUint32(8, seq, true);
  return echo;
}

/** `link`: a captured RTM_NEWLINK answer, echoed for every link made. */
export function fakeKernel(link?: Uint8Array): (h: SocketHandlers) => Transport {
  return (h) => {
    const none = (): void => undefined;
    return {
      fd: -1, port: 1, drain: none, pause: none, resume: none, setReferenced: none, joinGroup: none, leaveGroup: none, close: none,
      send(data) {
        for (const { header, payload } of parseMessages(data)) {
          if (header.flags & NLM_F_ECHO && header.type === RTM_NEWADDR) {
            const at = payload.byteOffset - data.byteOffset - 16;
            h.onDatagram(echoed(data.subarray(at, at + header.len), header.seq));
          }
          if (header.flags & NLM_F_ECHO && header.type === RTM_NEWLINK && link) h.onDatagram(echoed(link, header.seq));
          h.onDatagram(ack(header.seq, header.len));
        }
      },
    };
  };
}
