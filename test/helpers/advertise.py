#!/usr/bin/env python3
# Sends one IPv6 router advertisement with one Prefix Information option out of DEV (to all
# nodes, from DEV's link-local address, hop limit 255 as RFC 4861 asks): what makes the kernel on
# the other end tell RTM_NEWPREFIX. Node has no raw sockets; the tests run this, as root.
#   advertise.py DEV PREFIX PREFIXLEN VALID PREFERRED FLAGS     (FLAGS: the option's flag byte, 0xc0 for L and A)
import socket
import struct
import sys

dev, prefix = sys.argv[1], sys.argv[2]
length, valid, preferred, flags = (int(a, 0) for a in sys.argv[3:7])
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
# ICMPv6 type 134, code 0, checksum (the kernel's), hop limit 64, no M/O flags, router lifetime 0
# (not a default router), reachable time and retransmit timer unspecified.
advertisement = struct.pack('!BBHBBHII', 134, 0, 0, 64, 0, 0, 0, 0)
# Option type 3, length 4 (32 bytes), the prefix length and flags, lifetimes, reserved, the prefix.
option = struct.pack('!BBBBIII', 3, 4, length, flags, valid, preferred, 0) + socket.inet_pton(socket.AF_INET6, prefix)
s.sendto(advertisement + option, ('ff02::1', 0, 0, socket.if_nametoindex(dev)))
