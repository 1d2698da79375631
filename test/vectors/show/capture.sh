#!/usr/bin/env bash
# Captures what the CLI's formatters are checked against without a kernel
# (test/cli-format.test.ts): the datagrams of one dump per family, as iproute2 received them
# from this kernel, and what ip printed from that very dump, in several views. Run as root:
#   unshare --net --mount --propagation private bash test/vectors/show/capture.sh
# Each `NAME.txt` holds, for each view, `== ip ARGS`, the `reply <hex>` lines of the dump that
# run of ip read, and the lines it printed, each after `| `.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
mount -t tmpfs vectors /run; mkdir -p /run/netns

ip link set lo up
ip link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02
ip link set p0 up; ip link set p1 up
for mode in private vepa bridge; do ip link add link p0 name mv-$mode type macvlan mode $mode; done
ip link add q0 address 02:00:00:00:00:03 type veth peer name q1 address 02:00:00:00:00:04
ip link add link q0 name mv-passthru type macvlan mode passthru  # a passthru macvlan has its parent to itself
ip link add link p0 name mv-source address 02:00:00:00:01:05 type macvlan mode source macaddr set 02:00:00:00:aa:01
ip link add link p0 name mvt0 address 02:00:00:00:01:07 type macvtap mode vepa
ip link add br0 address 02:00:00:00:03:01 type bridge stp_state 0 forward_delay 400
ip link add v0 address 02:00:00:00:02:01 mtu 1400 txqlen 500 type veth peer name v1 address 02:00:00:00:02:02
ip link set v0 master br0; ip link set v0 alias uplink-a; ip link set v1 promisc on
ip link add v2 address 02:00:00:00:02:03 type veth peer name v3 address 02:00:00:00:02:04
ip link set v2 master br0
ip link set v2 type bridge_slave hairpin on guard on root_block on fastleave on learning off flood off proxy_arp on \
  mcast_flood off bcast_flood off mcast_to_unicast on neigh_suppress on vlan_tunnel on isolated on locked on \
  group_fwd_mask 0x8 mcast_router 2 cost 7 priority 5 backup_port v0
ip link add vx0 address 02:00:00:00:04:01 type vxlan id 42 dstport 4789 local 192.0.2.1 remote 192.0.2.2 dev p0 ttl 64
# Kinds with most of their options: what -d prints of each (format-link-kinds.ts).
ip link add vx1 address 02:00:00:00:04:02 type vxlan id 43 dstport 4789 group 239.1.1.1 dev p0 ttl inherit tos inherit \
  nolearning proxy rsc l2miss l3miss ageing 100 maxaddress 7 srcport 1000 2000 noudpcsum remcsumtx remcsumrx gbp df set
ip link add vx6 address 02:00:00:00:04:03 type vxlan external vnifilter local 2001:db8::1 dstport 4790 udp6zerocsumtx \
  udp6zerocsumrx flowlabel 0x123 df inherit ttl auto
ip link add vx7 address 02:00:00:00:04:04 type vxlan id 44 remote 2001:db8::9 dstport 0 tos 0x10
ip link add vx8 type vxlan external gpe dstport 4791
ip link add br1 address 02:00:00:00:03:02 type bridge mcast_snooping 0 mcast_router 2 mcast_querier 1 mcast_stats_enabled 1 \
  no_linklocal_learn 1 nf_call_iptables 1 group_fwd_mask 0x8 group_address 01:80:c2:00:00:0e ageing_time 1000  # no VLAN filtering here
ip link add link q0 name mvt-pt type macvtap mode passthru nopromisc 2>/dev/null || true
ip link add link p0 name mv-nodst address 02:00:00:00:01:06 type macvlan mode source nodst macaddr set 02:00:00:00:aa:02 02:00:00:00:aa:03 bcqueuelen 200
ip link set mv-vepa group 7
# Peers in other namespaces: one named under /run/netns (link-netns NAME), one not (link-netnsid N).
trap 'ip netns del other 2>/dev/null' EXIT # even when a later step fails
ip netns add other
ip link add w0 address 02:00:00:00:05:01 type veth peer name w1 netns other
mkdir -p /run/keep && touch /run/keep/anon && unshare --net=/run/keep/anon true
ip link add w2 address 02:00:00:00:05:03 type veth peer name w3 netns /run/keep/anon
ip link property add dev p0 altname uplink0
ip tuntap add tap0 mode tap user 0 multi_queue; ip tuntap add tun0 mode tun
sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 net.ipv6.conf.default.addr_gen_mode=1
ip addr add 192.0.2.1/24 dev p0
ip addr add 192.0.2.9/24 dev p0 label p0:sec
ip addr add 198.51.100.1/32 peer 198.51.100.2 dev p0
ip addr add 2001:db8::1/64 dev p0 nodad
ip addr add 2001:db8:1::1/64 dev p0 nodad valid_lft 3000 preferred_lft 2000
ip route add 203.0.113.0/24 via 192.0.2.2 dev p0 metric 10
ip route add 198.51.100.128/25 dev p0 proto static scope link table 100
ip route add blackhole 203.0.113.128/25
ip route add unreachable 198.51.100.64/26 table 200
ip route add 2001:db8:2::/48 via 2001:db8::2 dev p0 metric 5 mtu 1400
ip route add 203.0.113.64/26 nexthop via 192.0.2.2 dev p0 weight 2 nexthop via 192.0.2.3 dev p0
# Metrics of every kind (locked, times in ms and s, features, congctl), tos, onlink, a gateway of
# the other family (RTA_VIA), a route on a link that is down, IPv6 preference and error.
ip route add 203.0.113.32/27 dev p0 metric 20 mtu lock 1300 window 1000 rtt 300ms rttvar 100ms ssthresh 5 cwnd 10 \
  advmss 1000 reordering 3 hoplimit 32 initcwnd 5 initrwnd 6 features ecn rto_min 200ms quickack 1 congctl reno fastopen_no_cookie 1
ip route add 203.0.113.16/28 dev p0 rtt 2500ms rttvar lock 3s rto_min 1s congctl lock reno
ip route add 198.51.100.192/26 dev p0 tos 0x10
ip route add 198.51.100.32/27 via 203.0.113.1 dev p0 onlink
ip route add 203.0.113.0/28 via inet6 2001:db8::2 dev p0
ip link set q0 up  # its peer stays down: no carrier, its routes are linkdown
ip route add 198.51.100.16/28 dev q0
ip -6 route add 2001:db8:3::/48 via 2001:db8::2 dev p0 pref high
ip -6 route add unreachable 2001:db8:6::/48
ip neigh add 192.0.2.2 lladdr 02:00:00:00:00:22 dev p0 nud permanent
ip neigh add 192.0.2.3 lladdr 02:00:00:00:00:23 dev p0 nud stale
ip neigh add 192.0.2.4 lladdr 02:00:00:00:00:24 dev p0 nud noarp
ip neigh add 2001:db8::2 lladdr 02:00:00:00:00:32 dev p0 router nud permanent
ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:25 dev p0 nud reachable
ip neigh add 192.0.2.6 lladdr 02:00:00:00:00:26 dev p0 nud delay
ip neigh add 192.0.2.7 lladdr 02:00:00:00:00:27 dev p0 nud probe
ip neigh add 192.0.2.8 dev p0 nud failed
ip neigh add 192.0.2.10 lladdr 02:00:00:00:00:2a dev p0 extern_learn
ip neigh add proxy 192.0.2.50 dev p0
ip addr add 203.0.113.1/24 brd + dev p1 metric 50
ip addr add 2001:db8:8::1/64 dev p1 nodad noprefixroute home
ip addr add 2001:db8:9::1/64 dev p1 nodad mngtmpaddr
# Deprecated (preferred_lft 0), optimistic, and tentative (DAD under way on a link that is up).
ip addr add 2001:db8:a::1/64 dev p1 nodad preferred_lft 0
ip addr add 2001:db8:b::1/64 dev p1 optimistic
ip addr add 2001:db8:c::1/64 dev p1
ip addr add 192.0.2.77/24 dev p1 label p1:x
ip -6 route add 2001:db8:4::/48 from 2001:db8:5::/48 dev p0  # a source prefix (from X/len)

# capture NAME TYPE VIEW...: for each view (ip's arguments), the datagrams of the dump it read
# (first message of type TYPE) and what it printed from them, from the same run of ip.
capture() {
  local name="$1" type="$2"; shift 2
  local view
  for view in "$@"; do
    echo "== ip $view"
    # shellcheck disable=SC2086
    strace -e trace=recvmsg -e read=all -xx -s 65535 ip $view 2> "$out/.trace" > "$out/.out"
    dumps recvmsg "$type" < "$out/.trace" | sed 's/^/reply /'
    sed 's/^/| /' "$out/.out"
  done > "$out/$name.txt"
  rm -f "$out/.trace" "$out/.out"
  echo "captured $name: $(grep -c '^reply' "$out/$name.txt") datagrams"
}

ping -q -c 300 -i 0 -s 1400 127.0.0.1 > /dev/null  # counters past 1000, for -h
capture links 10 "-d link show" "-d -j link show" "-s link show" "-s -s link show" "-br link show" "-o link show" \
  "-c -d link show" "-h -s link show" "-h -iec -s -s link show"
ip netns list-id | awk '/name: other\)/ { print "# netns other", $2 }' >> "$out/links.txt"  # what names nsid N
capture addresses 14 "-o address show" "-o -4 address show" "-c -o address show" "-j -o address show"
capture routes 18 "-d route show table all" "-d -j route show table all" "-6 route show table all" \
  "-c -d route show table all" "-N -d route show table all" \
  "route get 192.0.2.2 mark 5" "-s route get 192.0.2.2 mark 0x20" "-j route get 192.0.2.2 mark 5" \
  "route get 192.0.2.1" "route get 192.0.2.255" "route get 203.0.113.5 from 192.0.2.1" "-j route get 192.0.2.1"
capture neighbours 1c "neigh show" "-j neigh show" "neigh show nud all" "neigh show proxy" "-c neigh show"
