// A child process for NetNS failures that cannot be provoked in the test process itself:
// `node netns-child.js <deny> <op> <name>` first makes one system call fail with EPERM for
// this thread (a seccomp filter), then runs NetNS[op](name) and prints what happened as JSON.
// deny: "none", "unshare" (the new namespace cannot be made), "bind" (its bind mount fails,
// after the file exists and the thread has moved). Run under setpriv to drop privileges.
import koffi from 'koffi';
import { readlinkSync } from 'node:fs';
import { NetNS } from '../../src/netns/netns.js';

const libc = koffi.load('libc.so.6');
const SockFilter = koffi.struct('sock_filter', { code: 'uint16', jt: 'uint8', jf: 'uint8', k: 'uint32' });
const SockFprog = koffi.struct('sock_fprog', { len: 'uint16', filter: koffi.pointer(SockFilter) });
const prctl = libc.func('prctl', 'int', ['int', 'unsigned long', koffi.pointer(SockFprog), 'unsigned long', 'unsigned long']) as
  (option: number, arg2: number, prog: { len: number; filter: unknown }, arg4: number, arg5: number) => number;

const PR_SET_SECCOMP = 22;
const SECCOMP_MODE_FILTER = 2;
const AUDIT_ARCH_X86_64 = 0xc000003e;
const LD_ABS_W = 0x20; // BPF_LD | BPF_W | BPF_ABS: load 32 bits of struct seccomp_data
const JEQ_K = 0x15; //    BPF_JMP | BPF_JEQ | BPF_K
const RET_K = 0x06; //    BPF_RET | BPF_K
const ALLOW = 0x7fff0000;
const DENY_EPERM = 0x00050000 | 1; // SECCOMP_RET_ERRNO | EPERM
const NR_MOUNT = 165;
const NR_UNSHARE = 272;
const MS_BIND = 0x1000;

type Insn = [code: number, jt: number, jf: number, k: number];
// Offsets in struct seccomp_data: nr at 0, arch at 4, args[3] (mount's flags, low half) at 40.
const programs: Record<string, Insn[]> = {
  unshare: [
    [LD_ABS_W, 0, 0, 4], [JEQ_K, 0, 3, AUDIT_ARCH_X86_64],
    [LD_ABS_W, 0, 0, 0], [JEQ_K, 0, 1, NR_UNSHARE],
    [RET_K, 0, 0, DENY_EPERM], [RET_K, 0, 0, ALLOW],
  ],
  bind: [
    [LD_ABS_W, 0, 0, 4], [JEQ_K, 0, 5, AUDIT_ARCH_X86_64],
    [LD_ABS_W, 0, 0, 0], [JEQ_K, 0, 3, NR_MOUNT],
    [LD_ABS_W, 0, 0, 40], [JEQ_K, 0, 1, MS_BIND], // exactly MS_BIND: the namespace's bind, not the run dir's
    [RET_K, 0, 0, DENY_EPERM], [RET_K, 0, 0, ALLOW],
  ],
};

const [deny, op, name] = process.argv.slice(2);
if (process.arch !== 'x64') throw new Error('the seccomp filters here are for x86_64');
const prog = programs[deny];
if (prog) {
  const filter = koffi.alloc(SockFilter, prog.length);
  koffi.encode(filter, koffi.array(SockFilter, prog.length), prog.map(([code, jt, jf, k]) => ({ code, jt, jf, k })));
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, { len: prog.length, filter }, 0, 0) !== 0) throw new Error(`seccomp: errno ${koffi.errno()}`);
}

const before = readlinkSync('/proc/thread-self/ns/net');
let error: { name: string; code: string; message: string } | null = null;
try {
  if (op === 'add') await NetNS.add(name);
  else if (op === 'delete') await NetNS.delete(name);
  else if (op === 'enter') NetNS.enter(name, () => undefined);
  else throw new Error(`unknown op ${op}`);
} catch (e) {
  const { name, code, message } = e as { name: string; code: string; message: string };
  error = { name, code, message };
}
process.stdout.write(JSON.stringify({ error, before, after: readlinkSync('/proc/thread-self/ns/net') }));
