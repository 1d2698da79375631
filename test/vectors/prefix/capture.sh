#!/usr/bin/env bash
# Re-captures the prefix vectors from iproute2's `ip monitor prefix` on this kernel, while router
# advertisements come in from a second namespace (test/helpers/advertise.py). Run as root:
#   unshare --net --mount --propagation private bash test/vectors/prefix/capture.sh
# `monitor` holds the kernel's RTM_NEWPREFIX of each advertisement: flags 0 (none), 0xc0 (L and
# A, as routers send them), 0x03 (the bits kernels before 6.8 used for L and A, which ip 6.1
# reads), 0xf0 (L, A, R and P) and lifetimes for ever; with what ip printed from them.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
advertise="$(cd "$(dirname "$0")/../../helpers" && pwd)/advertise.py"
mount -t tmpfs vectors /run; mkdir -p /run/netns # the router's name goes with this mount namespace
ip netns add router
ip link add v1 type veth peer name v0 netns router
ip -n router link set v0 up
ip -n router address add fe80::1/64 dev v0 nodad
ip link set v1 up
sleep 2 # v1's link-local address, and the kernel's first solicitations, settle

# Not -f, and -o: the text ip prints goes to its own file (dumps() reads lines without pids).
strace -e trace=recvmsg -e read=all -xx -s 65535 -o "$out/monitor.trace" ip monitor prefix > "$out/monitor.out" &
sleep 0.5
ip netns exec router python3 "$advertise" v0 2001:db8:1:: 64 3600 1800 0
ip netns exec router python3 "$advertise" v0 2001:db8:2:: 64 3600 1800 0xc0
ip netns exec router python3 "$advertise" v0 2001:db8:3:: 64 3600 1800 0x03
ip netns exec router python3 "$advertise" v0 2001:db8:4:: 64 4294967295 4294967295 0xf0
sleep 0.5
kill "$(pgrep -P $!)"
wait 2>/dev/null || true
{ echo "# ip monitor prefix: advertisements of 2001:db8:1::/64 (flags 0), :2:: (0xc0), :3:: (0x03), :4:: (0xf0, for ever; a prefix of another length with A set is not told)"
  echo "request 00000000"
  dumps recvmsg 34 < "$out/monitor.trace" | sed 's/^/reply /'
  sed 's/^/text /' "$out/monitor.out"
  echo "links $(ip -j link show)"; } > "$out/monitor.txt"
rm -f "$out/monitor.trace" "$out/monitor.out"
echo "captured monitor"
