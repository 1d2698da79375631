// Datagram buffers in native memory for recvmmsg(2), read in the thread pool: one call takes
// several datagrams, so a dump of many parts costs one hop to the pool per few parts rather
// than per part. Each read inside that call makes the kernel produce the dump's next part.
// With room for ancillary data, also read here: the namespace id of each notification from
// another namespace (NETLINK_LISTEN_ALL_NSID).
import { MSG_DONTWAIT, MSG_TRUNC, NETLINK_LISTEN_ALL_NSID, SOCKADDR_NL_LEN, SOL_NETLINK } from './constants.js';
import { koffi, sys } from './libc.js';

/**
 * Datagrams one call reads at most (a dump's parts are up to 32 KiB each). 8 read a big dump no
 * faster than 4 but took the peer benchmark's peak RSS 5 MiB higher; 2 and 1 lost the gain.
 */
const SLOTS = 4;

// The layouts as the C compiler makes them on this platform (koffi computes padding and sizes).
// Unnamed: koffi refuses a second type of the same name, which a second copy of this library in
// the process (two versions installed side by side) would declare.
export const iovec = koffi.struct({ base: 'void *', len: 'size_t' });
const msghdr = koffi.struct({
  name: 'void *', namelen: 'uint32_t', iov: 'void *', iovlen: 'size_t', control: 'void *', controllen: 'size_t', flags: 'int',
});
export const mmsghdr = koffi.struct({ hdr: msghdr, len: 'unsigned int' });
const MMSGHDR = koffi.sizeof(mmsghdr);
const IOVEC = koffi.sizeof(iovec);
const LEN_AT = koffi.offsetof(mmsghdr, 'len');
/** Room for a struct sockaddr_nl, kept 8-byte aligned. */
const NAME = 16;
const CONTROLLEN_AT = koffi.offsetof(msghdr, 'controllen');
/** Room for one cmsg carrying an int: CMSG_SPACE(4), a 16-byte struct cmsghdr then the int, aligned to 8. */
const CONTROL = 24;
const CONTROL_ROOM = BigInt(CONTROL);

/**
 * SLOTS buffers of `slotSize` bytes, their iovecs, sender addresses and mmsghdrs, in one block
 * laid out once. The block is an ArrayBuffer, whose memory stays where it is: V8 frees it with
 * the vector, also in a worker thread that is terminated (a koffi.alloc() block, which only an
 * explicit free() gives back, was lost there, and with every socket never closed). read()'s
 * caller keeps the vector in its callback, so it lives until the pool's read has written it.
 */
export class DatagramVector {
  private readonly base: bigint;
  private readonly view: DataView;
  private readonly names: number;
  private readonly hdrs: number;
  /** Where the ancillary data's room begins; 0: none. */
  private readonly controls: number;

  /** `withNsid`: room for each datagram's namespace id (a socket listening to all namespaces). */
  constructor(readonly slotSize: number, withNsid = false) {
    const iovs = SLOTS * slotSize;
    const names = this.names = iovs + SLOTS * IOVEC;
    this.hdrs = names + SLOTS * NAME;
    this.controls = withNsid ? this.hdrs + SLOTS * MMSGHDR : 0;
    const size = this.hdrs + SLOTS * MMSGHDR + (withNsid ? SLOTS * CONTROL : 0);
    const block = new ArrayBuffer(size);
    this.base = koffi.address(block);
    this.view = new DataView(block);
    for (let i = 0; i < SLOTS; i++) {
      koffi.encode(this.base, iovs + i * IOVEC, iovec, { base: this.at(i * slotSize), len: slotSize });
      koffi.encode(this.base, this.hdrs + i * MMSGHDR, msghdr, {
        name: this.at(names + i * NAME), namelen: SOCKADDR_NL_LEN, iov: this.at(iovs + i * IOVEC), iovlen: 1,
        control: withNsid ? this.at(this.controls + i * CONTROL) : null, controllen: 0, flags: 0,
      });
    }
  }

  /**
   * recvmmsg(fd, MSG_TRUNC | MSG_DONTWAIT) in the thread pool: `done(err, n)` with how many came,
   * -1 and errno on failure. Nothing else to reset between reads: netlink writes back the same
   * address length every time, and the flags the kernel writes are not read (truncation shows in
   * the length).
   */
  read(fd: number, done: (err: unknown, n: number) => void): void {
    this.roomForControl();
    sys.recvmmsg.async(fd, this.at(this.hdrs), SLOTS, MSG_TRUNC | MSG_DONTWAIT, null, done);
  }

  /** The same read in this thread (it never blocks): how many came, -1 with errno on failure. */
  readHere(fd: number): number {
    this.roomForControl();
    return sys.recvmmsg(fd, this.at(this.hdrs), SLOTS, MSG_TRUNC | MSG_DONTWAIT, null);
  }

  /** The kernel writes back how much ancillary data it gave: each read starts with the whole room. */
  private roomForControl(): void {
    if (this.controls === 0) return;
    for (let i = 0; i < SLOTS; i++) this.view.setBigUint64(this.hdrs + i * MMSGHDR + CONTROLLEN_AT, CONTROL_ROOM, true);
  }

  /**
   * The id the socket's namespace gives the namespace datagram `i` came from: a notification
   * from another namespace only; undefined for the socket's own (the kernel then sends no cmsg).
   */
  nsid(i: number): number | undefined {
    if (this.controls === 0) return undefined;
    const used = Number(this.view.getBigUint64(this.hdrs + i * MMSGHDR + CONTROLLEN_AT, true));
    const at = this.controls + i * CONTROL;
    // struct cmsghdr: cmsg_len (size_t), cmsg_level, cmsg_type (int), then the data.
    if (used < 20 || this.view.getInt32(at + 8, true) !== SOL_NETLINK || this.view.getInt32(at + 12, true) !== NETLINK_LISTEN_ALL_NSID) return undefined;
    return this.view.getInt32(at + 16, true);
  }

  /** The full length of datagram `i` (more than slotSize when it did not fit: MSG_TRUNC). */
  length(i: number): number {
    return this.view.getUint32(this.hdrs + i * MMSGHDR + LEN_AT, true);
  }

  /** The port id datagram `i` came from: 0 for the kernel. */
  sender(i: number): number {
    return this.view.getUint32(this.names + i * NAME + 4, true); // nl_pid
  }

  /** A copy of datagram `i`, for the receiver to own (the next read reuses the buffer). */
  copy(i: number, length: number): Uint8Array {
    return new Uint8Array(this.view.buffer, i * this.slotSize, length).slice();
  }

  private at(offset: number): bigint {
    return this.base + BigInt(offset);
  }
}
