// BPF programs as ip names a link's XDP program: by id, through bpf(2). BPF ids are the
// machine's, not a namespace's. Only what showing and attaching a program need: no loading.
import { constants } from 'node:os';
import { getAt } from '../../codecs/netlink/attrs.js';
import { errorFor, failure, invalid } from '../errors.js';
import { koffi, lastErrno, sys } from '../socket/libc.js';
import { asText } from '../../codecs/netlink/errors.js';

/** A loaded BPF program, as `ip link` shows a link's XDP program. */
export interface BpfProgram {
  id: number;
  /** Up to 15 bytes; '' when the loader gave none. */
  name: string;
  /** The program's hash, 16 hex digits. */
  tag: string;
  /** Compiled to machine code (jited). */
  jited: boolean;
  /** When it was loaded, in nanoseconds since boot. */
  loadTime: bigint;
  createdByUid: number;
  /** Its BTF object's id; 0: none. */
  btfId: number;
}

/** bpf(2)'s number (<asm/unistd.h>), by Node's name of the architecture. */
const SYS_BPF: Partial<Record<string, number>> = { x64: 321, arm64: 280, riscv64: 280, loong64: 280, ia32: 357, arm: 386, ppc64: 361, s390x: 351 };
const BPF_OBJ_GET = 7;
const BPF_PROG_GET_FD_BY_ID = 13;
const BPF_OBJ_GET_INFO_BY_FD = 15;
/** The part of union bpf_attr these commands fill; the kernel reads the rest as zero. */
const ATTR_SIZE = 16;
/** struct bpf_prog_info up to btf_id (the kernel fills what fits, and no pointer field is set). */
const INFO_SIZE = 136;
const BPF_TAG_SIZE = 8;
const BPF_OBJ_NAME_LEN = 16;

/** bpf(cmd, attr): the result (a descriptor, or 0), or the failure, named by `subject`. */
function bpf(cmd: number, attr: ArrayBuffer, subject: string, what: string): number {
  const nr = SYS_BPF[process.arch];
  if (nr === undefined) throw errorFor({ errno: constants.errno.ENOSYS, subject, text: `bpf(2) is not known on ${process.arch}` });
  const r = sys.bpf(nr, cmd, attr, ATTR_SIZE);
  if (r < 0) throw failure(subject, what, lastErrno());
  return r;
}

/** The program with this id: its name, tag and the rest, as `ip link` prints them. NotFoundError when there is none. */
export function bpfProgram(id: number): BpfProgram {
  const subject = `BPF program ${asText(id)}`;
  if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) throw invalid(subject, 'a program id is an integer from 1 to 4294967295');
  const byId = new ArrayBuffer(ATTR_SIZE);
  new DataView(byId).setUint32(0, id, true);
  const fd = bpf(BPF_PROG_GET_FD_BY_ID, byId, subject, 'cannot open it');
  try {
    const info = new ArrayBuffer(INFO_SIZE);
    const attr = new DataView(new ArrayBuffer(ATTR_SIZE));
    attr.setUint32(0, fd, true);
    attr.setUint32(4, INFO_SIZE, true);
    attr.setBigUint64(8, BigInt(koffi.address(info)), true);
    bpf(BPF_OBJ_GET_INFO_BY_FD, attr.buffer, subject, 'cannot read it');
    return programInfo(info);
  } finally {
    sys.close(fd);
  }
}

/** struct bpf_prog_info's fields that ip prints (<linux/bpf.h>: offsets in bytes). */
function programInfo(info: ArrayBuffer): BpfProgram {
  const b = new Uint8Array(info);
  const v = new DataView(info);
  return {
    id: v.getUint32(4, true),
    name: getAt.string(b, 64, 64 + BPF_OBJ_NAME_LEN),
    tag: Buffer.from(b.subarray(8, 8 + BPF_TAG_SIZE)).toString('hex'),
    jited: v.getUint32(16, true) !== 0,
    loadTime: v.getBigUint64(40, true),
    createdByUid: v.getUint32(48, true),
    btfId: v.getUint32(128, true),
  };
}

/** A program pinned in a bpf filesystem, opened: its descriptor until disposed. */
export interface PinnedProgram extends Disposable {
  readonly fd: number;
}

/** The program pinned at `path` (`ip ... xdp pinned PATH`), opened; failures are named by `subject`. */
export function openPinned(path: string, subject: string): PinnedProgram {
  const bytes = Buffer.from(`${path}\0`);
  const name = new ArrayBuffer(bytes.length);
  new Uint8Array(name).set(bytes);
  const attr = new DataView(new ArrayBuffer(ATTR_SIZE));
  attr.setBigUint64(0, BigInt(koffi.address(name)), true);
  const fd = bpf(BPF_OBJ_GET, attr.buffer, subject, `cannot open the program pinned at ${path}`);
  return { fd, [Symbol.dispose]: () => sys.close(fd) };
}
