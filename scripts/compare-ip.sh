#!/usr/bin/env bash
# Compares rtnl's listings with ip's wholesale: on three namespaces set up with many kinds of
# links, addresses, routes and neighbours, each command line of a list run by ip and by rtnl
# (dist/bin/rtnl.cjs) with each of a list of option sets; prints every line whose exit status or
# output differ, then how many did. Expected differences (docs/cli.md, DIFFERENCES FROM
# IPROUTE2): ip's {} in -j for links it passes over, selectors ip ignores under -o and -6, and
# lifetimes, expiries and timers that move between the two runs. Root; build first:
#   npm run build && bash scripts/compare-ip.sh
# It runs itself in a throwaway network and mount namespace (scripts/private-run.sh: a private
# /run/netns), so that nothing it makes can outlive it, however it ends.
set -u
cd "$(dirname "$0")/.."
if [ -z "${COMPARE_IP_INSIDE:-}" ]; then
  exec env COMPARE_IP_INSIDE=1 unshare --net --mount --propagation private -- bash scripts/private-run.sh bash "$0" "$@"
fi
total=0
differ=0

# compare OBJECTS... -- OPTIONS...: each object line with each option set, by ip and by rtnl.
compare() {
  local objs=() opts=() a b
  while [ "$1" != -- ]; do objs+=("$1"); shift; done
  shift
  opts=("$@")
  for obj in "${objs[@]}"; do
    for opt in "${opts[@]}"; do
      total=$((total + 1))
      # Word splitting on purpose: each is a command line.
      ip $opt $obj > /tmp/compare-ip.a 2>&1; a=$?
      node dist/bin/rtnl.cjs $opt $obj > /tmp/compare-ip.b 2>&1; b=$?
      if [ $a != $b ] || ! cmp -s /tmp/compare-ip.a /tmp/compare-ip.b; then
        differ=$((differ + 1))
        echo "=== $opt $obj (ip $a, rtnl $b)"
        # A JSON line split at its commas, so that the difference shows.
        diff <(tr ',' '\n' < /tmp/compare-ip.a) <(tr ',' '\n' < /tmp/compare-ip.b) | head -6 | cut -c1-200
      fi
    done
  done
}

# Links of several kinds, addresses with flags, routes and neighbours of each family.
state_links() {
  sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.keep_addr_on_down=1 net.ipv6.conf.default.keep_addr_on_down=1
  ip link set lo up
  ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
  ip link add br0 address 02:00:00:00:00:03 type bridge
  ip link set v1 master br0
  for m in private vepa bridge; do ip link add link v0 name mv-$m type macvlan mode $m; done
  ip link add link v0 name mvt0 type macvtap mode bridge
  ip link add vx0 type vxlan id 42 dstport 4789 local 192.0.2.1 remote 192.0.2.2 dev v0
  ip link set v0 alias "uplink one" group 5 mtu 1400
  ip link property add dev v0 altname v0-alt altname a-much-longer-alternative-name-of-v0
  ip addr add 192.0.2.1/24 dev v0 label v0:main
  ip addr add 192.0.2.9/32 dev v0 noprefixroute
  ip addr add 198.51.100.1/24 brd + dev br0
  ip addr add 2001:db8::1/64 dev v0 nodad
  ip addr add 2001:db8:1::1/64 dev br0 nodad preferred_lft 100 valid_lft 200
  ip addr add 203.0.113.1 peer 203.0.113.2 dev mv-vepa
  for l in v0 v1 br0 mv-vepa mv-bridge vx0; do ip link set $l up; done
  ip route add 203.0.113.128/25 via 192.0.2.254 metric 10 proto static
  ip route add blackhole 198.51.100.128/26
  ip route add unreachable 2001:db8:5::/48
  ip route add 2001:db8:6::/48 via 2001:db8::ff dev v0 pref high
  ip route add table 100 default via 192.0.2.254
  ip neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev v0 nud permanent
  ip neigh add 2001:db8::7 lladdr 02:00:00:00:00:08 dev v0 nud stale
  ip neigh add proxy 192.0.2.77 dev v0
  sleep 1
  # Down again: their counters stand still between the two runs.
  for l in v0 v1 br0 mv-vepa mv-bridge vx0; do ip link set $l down; done
  compare "link show up" "link show type bridge_slave" "address show type macvlan" "address show group 5" "link show nomaster" "address show master br0" "address show to 192.0.2.0/24" "address show scope link" "address show permanent" "address show dynamic" "address show primary" "address show secondary" "route show table 100" "route list match 203.0.113.0/24" "route show exact 203.0.113.128/25" "neigh show dev v0" "neigh show nud permanent" "link show dev v0" "route get 2001:db8:6::1" "address show up type veth" "link show type dummy" "address show label v0*" "link show" "address show" "route show" "route show table all" "-6 route show" "neigh show" "neigh show proxy" "link show type macvlan" "address show dev v0" "link show master br0" "address show up" "-4 address show" "-6 address show" "-0 address show" "route show type blackhole" "neigh show nud all" "link show group 5" "address show label v0:*" "route get 203.0.113.200 from 192.0.2.1 iif v0" "route show proto static" "-6 neigh show" -- "" "-d" "-s" "-s -s" "-j" "-j -p" "-d -j" "-o" "-br" "-N" "-c" "-h -s" "-t" "-0" "-4" "-6" "-d -s -j" "-br -j" "-o -d"
}

# Every macvlan mode and its options, vxlan over IPv4 and IPv6, a VLAN-filtering bridge and its port, metrics, multipath.
state_kinds() {
  trap 'ip netns del other 2>/dev/null' EXIT # even when a step fails
  sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  ip link set lo up
  ip netns add other
  ip link add p0 address 02:00:00:00:01:01 type veth peer name p1 address 02:00:00:00:01:02
  ip link add q0 address 02:00:00:00:02:01 type veth peer name q1 netns other
  ip link add link p0 name src0 address 02:00:00:00:01:10 type macvlan mode source macaddr set 02:00:00:00:aa:01 02:00:00:00:aa:02
  ip link add link p0 name srcnd type macvlan mode source nodst
  ip link add link p1 name pt0 address 02:00:00:00:01:20 type macvlan mode passthru nopromisc
  ip link add link p0 name mvb type macvlan mode bridge bcqueuelen 500
  ip link set mvb type macvlan bclim 2 2>/dev/null
  ip link add link p0 name mvt type macvtap mode private
  ip link add vx1 address 02:00:00:00:03:01 type vxlan id 100 group 239.1.1.1 dev p0 dstport 4789 ttl 10 tos inherit learning noproxy l2miss ageing 100 maxaddress 50
  ip link add vx6 address 02:00:00:00:03:02 type vxlan id 101 remote 2001:db8::9 local 2001:db8::1 dstport 8472 udp6zerocsumtx udp6zerocsumrx
  ip link add brv address 02:00:00:00:04:01 type bridge vlan_filtering 1 stp_state 1 forward_delay 500 mcast_snooping 0
  ip link set q0 master brv
  ip link set q0 type bridge_slave hairpin on cost 7 priority 9 learning off
  ip link set p0 promisc on allmulticast on
  ip link set p1 arp off multicast off
  ip link set p0 txqlen 2000 mtu 9000 alias "the uplink"
  ip addr add 192.0.2.10/24 dev mvb
  ip addr add 10.0.0.1/8 dev p0 2>/dev/null
  ip addr add 198.51.100.10/24 dev p0 valid_lft 1000 preferred_lft 500
  ip -6 addr add 2001:db8:a::1/64 dev p0 nodad
  ip route add 203.0.113.0/24 dev p0 metric 100 mtu 1400 advmss 1360 rtt 10 window 65535
  ip route add 198.51.100.64/26 nexthop via 198.51.100.1 dev p0 weight 2 nexthop via 198.51.100.2 dev p0
  ip -6 route add 2001:db8:b::/48 dev p0 metric 1024 hoplimit 10
  ip route add prohibit 192.0.2.128/25
  ip route add local 192.0.2.200/32 dev lo table local
  ip neigh add 198.51.100.5 lladdr 02:00:00:00:09:05 dev p0 nud noarp
  ip neigh add 2001:db8:a::5 lladdr 02:00:00:00:09:06 dev p0 router nud reachable
  compare "link show" "link show dev src0" "link show dev pt0" "link show dev vx1" "link show dev vx6" "link show dev brv" "link show dev q0" "link show type macvlan" "link show type macvtap" "address show" "address show dev p0" "route show" "route show table all" "-6 route show" "route show cache" "neigh show" "-6 neigh show" "route get 198.51.100.70" "route get 203.0.113.9 mark 5" "-6 route get 2001:db8:b::1" "link show master brv" "address show scope global" "route show dev p0" "route show proto kernel" "route show scope link" "neigh show nud noarp" "link show type vxlan" "link show type bridge" -- "" "-d" "-s" "-j" "-j -p" "-d -j" "-d -s -j" "-o" "-br" "-N" "-c" "-h -s" "-o -d" "-d -N" "-c -d" "-s -s -d"
}

# Routes: tables, types, realms, metrics, multipath, IPv6 expiries and preferences; route get.
state_routes() {
  sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  ip link set lo up
  ip link add p0 address 02:00:00:00:01:01 type veth peer name p1 address 02:00:00:00:01:02
  ip link add q0 address 02:00:00:00:02:01 type veth peer name q1 address 02:00:00:00:02:02
  for l in p0 p1 q0 q1; do ip link set $l up; done
  ip addr add 192.0.2.1/24 dev p0; ip addr add 198.51.100.1/24 dev q0
  ip addr add 2001:db8:1::1/64 dev p0 nodad; ip addr add 2001:db8:2::1/64 dev q0 nodad
  ip route add 203.0.113.0/25 via 192.0.2.254 src 192.0.2.1 metric 5 proto static realm 3
  ip route add 203.0.113.128/25 nexthop via 192.0.2.2 dev p0 weight 3 nexthop via 198.51.100.2 dev q0 onlink
  ip route add 10.1.0.0/16 dev p0 scope link tos 0x10 table 200
  ip route add throw 10.2.0.0/16 table 200
  ip route add 10.3.0.0/16 via 192.0.2.9 dev p0 mtu lock 1300 initcwnd 10 quickack 1 features ecn
  ip -6 route add 2001:db8:9::/48 via 2001:db8:1::9 dev p0 expires 1000 pref low metric 77
  ip -6 route add 2001:db8:a::/48 nexthop via 2001:db8:1::9 dev p0 nexthop via 2001:db8:2::9 dev q0
  ip -6 route add anycast 2001:db8:1::77 dev p0 table local 2>/dev/null
  ip route add 192.0.2.128/26 dev p0 src 192.0.2.1 proto 99
  compare "route show" "route show table all" "route show table 200" "-6 route show" "-6 route show table all" "route show root 203.0.113.0/24" "route show match 203.0.113.200" "route show exact 203.0.113.0/25" "route show proto static" "route show proto 99" "route show scope link" "route show type throw table 200" "route show dev q0" "route show via 192.0.2.2" "route show src 192.0.2.1" "route show tos 0x10 table 200" "route get 203.0.113.200" "route get 203.0.113.10 from 192.0.2.1" "route get fibmatch 203.0.113.200" "route get 10.3.1.1 mark 7" "-6 route get 2001:db8:9::1" "-6 route get fibmatch 2001:db8:a::1" "route get 198.51.100.77 oif q0" "route show realm 3" "route list table local" "-6 route show type anycast table local" "route show cached" "-6 route show cache" -- "" "-d" "-j" "-j -p" "-d -j" "-o" "-N" "-c" "-s" "-d -N" "-4" "-6" "-br"
}

for state in links kinds routes; do
  # Each in a network namespace of its own; the counts come back through a file.
  unshare --net bash -c "$(declare -f compare "state_$state"); total=0; differ=0; state_$state; echo \"\$total \$differ\" > /tmp/compare-ip.n"
  read -r n d < /tmp/compare-ip.n
  total=$((total + n))
  differ=$((differ + d))
done
rm -f /tmp/compare-ip.a /tmp/compare-ip.b /tmp/compare-ip.n
echo "$total compared, $differ differ"
