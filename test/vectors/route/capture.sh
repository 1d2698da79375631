#!/usr/bin/env bash
# Re-captures the address, route and neighbour byte vectors from iproute2 talking to this
# kernel. Run as root, in a throwaway namespace:
#   unshare --net --mount --propagation private bash test/vectors/route/capture.sh
# Each file holds `# the command`, then `request <hex>` (the message iproute2 sent) and
# `reply <hex>` lines (datagrams the kernel answered with, for dumps and `ip route get`).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
here="$(cd "$(dirname "$0")/.." && pwd)"
mount -t tmpfs vectors /run; mkdir -p /run/netns
ip link set lo up
ip link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02
ip link add link p0 name mv1 address 02:00:00:00:01:01 type macvlan mode bridge
ip link set p0 up; ip link set p1 up; ip link set mv1 up
sysctl -qw net.ipv6.conf.mv1.accept_ra=0 net.ipv6.conf.mv1.addr_gen_mode=1 2>/dev/null || true


# capture DIR/NAME REQTYPE REPLYTYPE|- ip args...
capture() {
  local name="$1" req="$2" rep="$3"; shift 3
  local t; t="$(trace ip "$@")"
  { echo "# ip $*"
    echo "$t" | dumps "sendmsg|sendto" "$req" | sed 's/^/request /'
    [ "$rep" = - ] || echo "$t" | dumps recvmsg "$rep" | sed 's/^/reply /'
  } > "$here/$name.txt"
  echo "captured $name: $(grep -c . "$here/$name.txt") lines"
}

# Addresses: RTM_NEWADDR 0x14, RTM_DELADDR 0x15, RTM_GETADDR 0x16.
capture address/add-v4 14 - addr add 192.0.2.5/24 dev mv1
capture address/add-v4-full 14 - addr add 198.51.100.6/24 brd 198.51.100.255 label mv1:one scope link valid_lft 100 preferred_lft 50 dev mv1
capture address/add-v6-flags 14 - -6 addr add 2001:db8::5/64 dev mv1 nodad noprefixroute
capture address/replace-v6 14 - -6 addr replace 2001:db8::5/64 dev mv1 nodad valid_lft 300 preferred_lft 200
capture address/del-v4 15 - addr del 198.51.100.6/24 dev mv1
capture address/dump 16 14 addr show dev mv1

# Routes: RTM_NEWROUTE 0x18, RTM_DELROUTE 0x19, RTM_GETROUTE 0x1a.
capture route/add-default-via 18 - route add default via 192.0.2.1
capture route/add-dev-options 18 - route add 198.51.100.0/24 dev mv1 proto static metric 100 mtu 1400 src 192.0.2.5
capture route/add-multipath 18 - route add 203.0.113.0/24 nexthop via 192.0.2.1 weight 1 nexthop via 192.0.2.2 dev mv1 weight 3
capture route/add-blackhole 18 - route add blackhole 198.51.100.128/25
capture route/add-unreachable 18 - route add unreachable 198.51.100.64/26 metric 5
capture route/add-prohibit-table 18 - route add prohibit 198.51.100.32/27 table 1000
capture route/add-v6-via 18 - -6 route add 2001:db8:1::/48 via 2001:db8::1 dev mv1 metric 1024
capture route/add-onlink 18 - route add 198.51.100.16/28 via 203.0.113.1 dev mv1 onlink
capture route/del 19 - route del prohibit 198.51.100.32/27 table 1000
capture route/get 1a 18 route get 203.0.113.7
capture route/dump-v4 1a 18 route show
capture route/dump-v6 1a 18 -6 route show

# Neighbours: RTM_NEWNEIGH 0x1c, RTM_DELNEIGH 0x1d, RTM_GETNEIGH 0x1e.
capture neighbour/add 1c - neigh add 192.0.2.1 lladdr 02:00:00:00:00:aa dev mv1
capture neighbour/add-v6-router 1c - -6 neigh add 2001:db8::1 lladdr 02:00:00:00:00:bb dev mv1 router nud reachable
capture neighbour/replace-stale 1c - neigh replace 192.0.2.2 lladdr 02:00:00:00:00:cc dev mv1 nud stale
capture neighbour/add-noarp 1c - neigh add 192.0.2.3 lladdr 02:00:00:00:00:dd dev mv1 nud noarp
capture neighbour/del 1d - neigh del 192.0.2.3 dev mv1
capture neighbour/dump 1e 1c neigh show dev mv1
