#!/usr/bin/env bash
# Re-captures the neighbour table vectors from iproute2's `ip ntable` talking to this kernel.
# Run as root:
#   unshare --net --mount --propagation private bash test/vectors/ntable/capture.sh
# `show*` hold the dump request ip sent (RTM_GETNEIGHTBL 0x42), the kernel's answers
# (RTM_NEWNEIGHTBL 0x40) and what ip printed from those very answers (`text`, or `json` for -j);
# `change-*` the RTM_SETNEIGHTBL (0x43) request ip sent.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
ip link set lo up
ip link add v0 type veth peer name v1

# capture NAME ip-words...: the request (type $TYPE), the replies, and ip's output.
capture() { local name="$1"; shift; captured "$out/$name.txt" "$TYPE" "40|02" "$@"; }
TYPE=43 capture change-thresh ntable change name arp_cache thresh1 64 thresh3 2048 gc_int 15000
TYPE=43 capture change-dev ntable change name arp_cache dev v0 base_reachable 20000 retrans 500 gc_stale 30000 delay_probe 4000 queue 50 app_probes 1 ucast_probes 2 mcast_probes 4 anycast_delay 900 proxy_delay 700 proxy_queue 32 locktime 800
TYPE=42 capture show ntable show
TYPE=42 capture show-stats -s ntable show name arp_cache
TYPE=42 capture show-json -j ntable show dev v0
