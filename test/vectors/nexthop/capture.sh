#!/usr/bin/env bash
# Re-captures the nexthop object vectors from iproute2's `ip nexthop` talking to this kernel.
# Run as root:
#   unshare --net --mount --propagation private bash test/vectors/nexthop/capture.sh
# `add-*` and `del` hold `# the command` and `request <hex>`: the message ip sent; `dump` the
# kernel's answer to `ip nexthop show` (`reply <hex>`), with what ip printed from it (`text`, and
# `json` for -j); `monitor` the notifications of a nexthop added and deleted.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
ip link set lo up
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 192.0.2.1/24 dev v0
ip addr add 2001:db8::1/64 dev v0 nodad
ip link add br0 type bridge
ip link set br0 up

# add NAME ip-nexthop-words...: the request ip sends (RTM_NEWNEXTHOP 0x68).
add() {
  local name="$1"; shift
  { echo "# ip nexthop add $*"; echo "request $(trace ip nexthop add "$@" | dumps "sendmsg|sendto" 68 | tail -1)"; } > "$out/$name.txt"
  echo "captured $name"
}
add add-dev id 1 dev v0
add add-via id 2 via 192.0.2.2 dev v0
add add-via6 id 3 via 2001:db8::2 dev v0
add add-onlink id 4 via 198.51.100.1 dev v0 onlink proto static
add add-blackhole id 5 blackhole
add add-group id 10 group 1/2,3
add add-group-weights id 11 group 2,7/4,5
add add-resilient id 12 group 1/2 type resilient buckets 8 idle_timer 60 unbalanced_timer 120
add add-fdb id 20 via 192.0.2.5 fdb
add add-fdb-group id 21 group 20 fdb
add add-encap id 30 encap ip id 5 dst 203.0.113.9 via 192.0.2.3 dev v0
ip -6 nexthop add id 6 blackhole

{ echo "# ip nexthop show"; echo "request $(trace ip nexthop show | dumps "sendmsg|sendto" 6a | tail -1)"
  trace ip nexthop show | dumps recvmsg 68 | sed 's/^/reply /'
  ip nexthop show | sed 's/^/text /'
  echo "json $(ip -j nexthop show)"; } > "$out/dump.txt"
echo "captured dump"

{ echo "# ip nexthop del id 30"; echo "request $(trace ip nexthop del id 30 | dumps "sendmsg|sendto" 69 | tail -1)"; } > "$out/del.txt"
echo "captured del"

# Under timeout, which strace follows: the monitor ends by itself (a killed strace would leave it running).
trace timeout 2 ip monitor nexthop > "$out/monitor.trace" &
sleep 0.5
ip nexthop add id 77 via 192.0.2.7 dev v0
ip nexthop del id 77
wait
{ echo "# ip monitor nexthop: ip nexthop add id 77 via 192.0.2.7 dev v0; ip nexthop del id 77"
  echo "request 00000000"
  dumps recvmsg "68|69" < "$out/monitor.trace" | sed 's/^/reply /'
  echo "text id 77 via 192.0.2.7 dev v0 scope link "
  echo "text Deleted id 77 via 192.0.2.7 dev v0 scope link "; } > "$out/monitor.txt"
rm -f "$out/monitor.trace"
echo "captured monitor"

# A resilient group's buckets (RTM_GETNEXTHOPBUCKET 0x76, answered with RTM_NEWNEXTHOPBUCKET 0x74):
# what ip printed comes from the very replies kept (a bucket's idle time changes between runs).
# bucket NAME ip-words...: the request, the replies, and ip's output.
bucket() { local name="$1"; shift; captured "$out/$name.txt" 76 "74|02" "$@"; }
ip nexthop add id 40 via 192.0.2.40 dev v0
ip nexthop add id 41 via 192.0.2.41 dev v0
ip nexthop add id 42 group 40/41,3 type resilient buckets 8 idle_timer 60
bucket bucket-dump nexthop bucket show
bucket bucket-dump-json -j nexthop bucket show
bucket bucket-get nexthop bucket get id 42 index 5
bucket bucket-nhid nexthop bucket show id 42 nhid 41 dev v0
bucket bucket-get-range nexthop bucket get id 42 index 8
