#!/usr/bin/env bash
# Re-captures the netconf vectors from iproute2's `ip netconf` and `ip monitor netconf` talking
# to this kernel. Run as root:
#   unshare --net --mount --propagation private bash test/vectors/netconf/capture.sh
# `dump` is the kernel's answer to `ip netconf show` (every family's settings, each link's and
# `all` and `default`), with what ip printed from it (text and -j) and the links' names; `get-*`
# a request for one link's and its answer; `monitor` the notifications of a link made, a
# setting changed (the kernel says only what changed) and the link deleted.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
ip link set lo up
ip link add v0 type veth peer name v1
echo 1 > /proc/sys/net/ipv4/conf/v0/forwarding
echo 2 > /proc/sys/net/ipv4/conf/v0/rp_filter
echo 1 > /proc/sys/net/ipv6/conf/v1/forwarding

{ echo "# ip netconf show"; echo "request $(trace ip netconf show | dumps "sendmsg|sendto" 52 | tail -1)"
  trace ip netconf show | dumps recvmsg 50 | sed 's/^/reply /'
  ip netconf show | sed 's/^/text /'
  echo "json $(ip -j netconf show)"
  echo "links $(ip -j link show)"; } > "$out/dump.txt"
echo "captured dump"

for f in 4 6; do
  { echo "# ip -$f netconf show dev v0"; echo "request $(trace ip -$f netconf show dev v0 | dumps "sendmsg|sendto" 52 | tail -1)"
    trace ip -$f netconf show dev v0 | dumps recvmsg 50 | sed 's/^/reply /'
    ip -$f netconf show dev v0 | sed 's/^/text /'; } > "$out/get-inet$([ $f = 6 ] && echo 6).txt"
  echo "captured get -$f"
done

trace ip monitor netconf > "$out/monitor.trace" &
sleep 0.5
ip link add v2 type veth peer name v3
echo 1 > /proc/sys/net/ipv4/conf/v2/forwarding
ip link del v2
sleep 0.5
kill %1 2>/dev/null || true
wait 2>/dev/null || true
{ echo "# ip monitor netconf: ip link add v2 type veth peer name v3; sysctl net.ipv4.conf.v2.forwarding=1; ip link del v2"
  echo "request 00000000"
  dumps recvmsg "50|51" < "$out/monitor.trace" | sed 's/^/reply /'; } > "$out/monitor.txt"
rm -f "$out/monitor.trace"
echo "captured monitor"
