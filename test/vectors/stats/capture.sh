#!/usr/bin/env bash
# Re-captures the link statistics vectors from iproute2's `ip stats` talking to this kernel.
# Run as root:
#   unshare --net --mount --propagation private bash test/vectors/stats/capture.sh
# `show*` hold the request ip sent (RTM_GETSTATS 0x5e), the kernel's answers (RTM_NEWSTATS 0x5c)
# and what ip printed from those very answers (`text`, or `json` for -j); `set-*` the
# RTM_SETSTATS (0x5f) request ip sent. A bridge with STP on and a veth port, so that the
# bridge's and the port's counters are there and not all zero.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
ip link set lo up
ip link add br0 type bridge stp_state 1 forward_delay 200 hello_time 100
ip link add p0 type veth peer name p1
ip link set p0 master br0
ip link add link p1 name m0 type macvlan mode bridge
for l in br0 p0 p1 m0; do ip link set "$l" up; done
sleep 3 # hellos, router solicitations, MLD reports: counters that are not zero

capture() { local name="$1"; shift; captured "$out/$name.txt" "$TYPE" "5c|02|03" "$@"; }
TYPE=5f capture set-l3-on stats set dev p0 l3_stats on
TYPE=5e capture show stats show
TYPE=5e capture show-json -j stats show
TYPE=5e capture show-port -s stats show dev p0 group xstats_slave group link
TYPE=5e capture show-l3 stats show dev p0 group offload subgroup l3_stats
TYPE=5e capture show-offload stats show group offload subgroup cpu_hit group offload subgroup hw_stats_info
