// A fake kernel for one request at a time: it answers each with a message of `type` carrying
// `entry` (a family message's payload; none: no message), then its ack.
import { NLMSG_ERROR } from '../../codecs/netlink/constants.js';
import { parseMessages } from '../../codecs/netlink/message.js';
import type { SocketHandlers, Transport } from '../../src/socket/netlink-socket.js';
import { nlmsg } from './bytes.js';

export function answering(type: number, entry?: number[]): (h: SocketHandlers) => Transport {
  return (h) => {
    const none = (): void => undefined;
    return {
      fd: -1, port: 1, drain: none, pause: none, resume: none, setReferenced: none, joinGroup: none, leaveGroup: none, close: none,
      send(data) {
        for (const { header } of parseMessages(data)) {
          if (entry) h.onDatagram(nlmsg(type, 0, header.seq, 0, entry));
          h.onDatagram(nlmsg(NLMSG_ERROR, 0, header.seq, 0, [0, 0, 0, 0, ...Array.from(data.subarray(0, 16))]));
        }
      },
    };
  };
}
