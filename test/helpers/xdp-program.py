#!/usr/bin/env python3
# Loads the smallest XDP program (r0 = XDP_PASS; exit), named NAME, and pins it at PATH (a file
# of a mounted bpf filesystem); prints its id. Node has no bpf(2) of its own; the tests run
# this, as root, to have a program to attach.
#   xdp-program.py PATH NAME
import ctypes
import os
import platform
import struct
import sys

path, name = sys.argv[1], sys.argv[2]
SYS_BPF = {'x86_64': 321, 'aarch64': 280}[platform.machine()]
BPF_PROG_LOAD, BPF_OBJ_PIN, BPF_OBJ_GET_INFO_BY_FD = 5, 6, 15
BPF_PROG_TYPE_XDP, XDP_PASS = 6, 2
libc = ctypes.CDLL(None, use_errno=True)


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr.ljust(128, b'\0'), 128)
    r = libc.syscall(SYS_BPF, cmd, buf, 128)
    if r < 0:
        sys.exit(f'bpf({cmd}): {os.strerror(ctypes.get_errno())}')
    return r, buf


# struct bpf_insn: code, dst_reg:4 src_reg:4, off, imm.
insns = ctypes.create_string_buffer(struct.pack('<BBhi', 0xb7, 0, 0, XDP_PASS) + struct.pack('<BBhi', 0x95, 0, 0, 0))
license = ctypes.create_string_buffer(b'GPL')
# union bpf_attr for BPF_PROG_LOAD up to prog_name (offset 48).
fd, _ = bpf(BPF_PROG_LOAD, struct.pack('<IIQQIIQII16s', BPF_PROG_TYPE_XDP, 2, ctypes.addressof(insns),
                                        ctypes.addressof(license), 0, 0, 0, 0, 0, name.encode()))
pathname = ctypes.create_string_buffer(path.encode())
bpf(BPF_OBJ_PIN, struct.pack('<QI', ctypes.addressof(pathname), fd))
info = ctypes.create_string_buffer(16)
bpf(BPF_OBJ_GET_INFO_BY_FD, struct.pack('<IIQ', fd, 16, ctypes.addressof(info)))
print(struct.unpack_from('<I', info.raw, 4)[0])
