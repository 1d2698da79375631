#!/usr/bin/env bash
# Captures what the CLI reads after `type bridge|vxlan|macvlan|macvtap|vlan|ipvlan|ipvtap|bridge_slave` is checked against
# without a kernel (test/cli-kind-args.test.ts): for each command, the RTM_NEWLINK request iproute2 built
# from those words, or what it printed and its exit status when it refused them. Run as root:
#   unshare --net --mount --propagation private bash test/vectors/args/capture.sh
# Each `KIND.txt` holds, per command, `== add|set WORDS`, the `request <hex>` ip sent (none
# when it refused before sending), `exit N`, and what ip printed on stderr, each line after `! `.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
mount -t tmpfs vectors /run; mkdir -p /run/netns

ip link set lo up
ip link add p0 type veth peer name p1
ip link add br0 type bridge
ip link add vx0 type vxlan id 100000 dstport 4789
ip link add mvs link p0 type macvlan mode source
ip link add mvt link p0 type macvtap
ip link set p1 master br0

# One command: `add` makes a link ($new: its name and words before `type`) and removes it again;
# `set` changes the link $existing.
case_() {
  local verb=$1 new=$2 existing=$3 kind=$4; shift 4
  local tr err st=0 target=$new
  tr=$(mktemp) err=$(mktemp)
  [ "$verb" = set ] && target=$existing
  # shellcheck disable=SC2086
  strace -o "$tr" -e trace=sendmsg,sendto -e write=all -xx -s 65535 ip link "$verb" $target type "$kind" "$@" 2>"$err" || st=$?
  echo "== $verb $*"
  # ip's first RTM_NEWLINK, empty, only asks whether the kernel takes the message at all.
  dumps 'sendmsg|sendto' 10 < "$tr" | grep -v '^2000000010000500' | sed 's/^/request /' || true
  echo "exit $st"
  sed 's/^/! /' "$err"
  ip link del "${new%% *}" 2>/dev/null || true
  rm -f "$tr" "$err"
}

# cases KIND NEW EXISTING < lines of `add|set WORDS`: one file, KIND.txt.
cases() {
  local kind=$1 new=$2 existing=$3 verb words
  {
    echo "# p0 $(ip -o link show p0 | cut -d: -f1)"
    while read -r verb words; do
      [ -n "$verb" ] || continue
      # shellcheck disable=SC2086
      case_ "$verb" "$new" "$existing" "$kind" $words
    done
  } > "$out/$kind.txt"
}

cases bridge br9 br0 <<'WORDS'
add forward_delay 400 hello_time 300 max_age 2500 ageing_time 30000 stp_state 1 priority 100
add forward_delay 0x190 priority 0177 group_fwd_mask 0x8 group_address 01:80:C2:00:00:0E
add vlan_filtering 1 vlan_protocol 802.1ad vlan_default_pvid 10 vlan_stats_enabled 1 vlan_stats_per_port 1
add vlan_filtering 2 vlan_protocol 802.1q vlan_stats_enabled 0
add vlan_protocol 0x88a8 fdb_flush
add no_linklocal_learn 1 no_linklocal_learn 0
add mcast_snooping 0 mcast_router 2 mcast_query_use_ifaddr 1 mcast_querier 1 mcast_hash_elasticity 16 mcast_hash_max 1024
add mcast_last_member_count 3 mcast_startup_query_count 4 mcast_last_member_interval 200 mcast_membership_interval 26000
add mcast_querier_interval 25500 mcast_query_interval 12000 mcast_query_response_interval 900 mcast_startup_query_interval 3000
add mcast_stats_enabled 1 mcast_igmp_version 3 mcast_mld_version 2 nf_call_iptables 1 nf_call_ip6tables 1 nf_call_arptables 1
add mcast_vlan_snooping 1 no_linklocal_learn 1
add mcast_vlan_snooping 0 no_linklocal_learn 1
add mcast_last_member_interval 18446744073709551615 stp_state 4294967295 priority 65535 mcast_router 255
add forw 1 hello 2 max 3 age 4 stp 5 pri 6 group_f 7 group_a 01:00:5e:00:00:01 vlan_f 1 vlan_p 802.1Q vlan_d 1
add vlan_s 1 mcast_s 1 mcast_r 1 mcast_q 1 mcast_h 1 mcast_l 1 mcast_m 1 mcast_i 2 mcast_st 1 nf 1 no 1
add forward_delay 0x100000000
add priority 65536
add vlan_filtering 256
add mcast_last_member_interval 18446744073709551616
add mcast_vlan_snooping 4294967296
add forward_delay 09
add forward_delay -1
add vlan_protocol 802.1x
add group_address zz
add bogus 1
add forward_delay
add help
set stp_state 0 forward_delay 1500
WORDS

cases vxlan vx9 vx0 <<'WORDS'
add id 42 dstport 4789 remote 192.0.2.2 local 192.0.2.1 dev p0 ttl 64 tos 0x10
add vni 0x10 dstport 0 group 239.1.1.1 dev p0 ttl inherit tos inherit
add id 7 dstport 4789 remote 2001:db8::2 local 2001:db8::1 ttl auto
add id 7 dstport 4789 group ff05::1 dev p0 hoplimit 5 dsfield 8
add id 1 dstport 4789 nolearning proxy rsc l2miss l3miss noudpcsum udp6zerocsumtx udp6zerocsumrx remcsumtx remcsumrx
add id 1 dstport 4789 learning noproxy norsc nol2miss nol3miss udpcsum noudp6zerocsumtx noudp6zerocsumrx noremcsumtx noremcsumrx
add external dstport 4789
add external vnifilter dstport 4789
add id 1 dstport 4789 noexternal
add id 1 dstport 4789 ageing 300 maxaddress 10 srcport 1000 2000 flowlabel 0x12345 remote 2001:db8::2
add id 1 dstport 4789 ageing none maxaddress unlimited port 0 0 label 7 remote 2001:db8::3
add id 1 dstport 4789 gbp df set
add id 1 gpe df inherit
add id 1 dstport 4789 df unset
add id 1
add i 3 dstp 4789 rem 192.0.2.2 loc 192.0.2.1 d p0 tt 9 to 4 l 5 a 6 m 7 p 1 2
add id 16777216 dstport 4789
add id 1 dstport 65536
add id 1 dstport 4789 ttl 256
add id 1 dstport 4789 tos 0x1ff
add id 1 dstport 4789 tos zz
add id 1 dstport 4789 remote 239.1.1.1
add id 1 dstport 4789 group 192.0.2.2 dev p0
add id 1 dstport 4789 group 239.1.1.1
add id 1 dstport 4789 remote 192.0.2.2 group 239.1.1.1
add id 1 dstport 4789 local 239.1.1.1
add id 1 dstport 4789 remote foo
add id 1 id 2 dstport 4789
add external id 1 dstport 4789
add dstport 4789
add id 1 dstport 4789 flowlabel 0x100000
add id 1 dstport 4789 df maybe
add id 1 dstport 4789 bogus
add id 1 dstport
add help
set ttl 10
set nolearning
set id 5
WORDS

cases macvlan "mv9 link p0" mvs <<'WORDS'
add mode private
add mode vepa bcqueuelen 500
add mode bridge bcqueuelen 0x10
add mode passthru nopromisc
add mode passthru flag nopromisc
add mode passthru flag nopromisc nodst
add mode source nodst
add mode source flag nodst macaddr set 02:00:00:00:aa:01 02:00:00:00:AA:02
add mode source macaddr set
add mode source flag null
add m bridge b 7
add
add mode bridge nopromisc
add mode bridge flag nopromisc
add mode hub
add mode
add flag promisc
add bcqueuelen 4294967296
add bcqueuelen -1
add macaddr add 02:00:00:00:aa:03
add macaddr frob
add bogus
add help
set macaddr add 02:00:00:00:aa:03
set macaddr del 02:00:00:00:aa:03
set macaddr add zz
set macaddr set 02:00:00:00:bb:01 zz
set macaddr flush
set mode source macaddr add 02:00:00:00:aa:04 nodst
set macaddr set 02:00:00:00:bb:02 nodst
WORDS

cases macvtap "mvt9 link p0" mvt <<'WORDS'
add mode vepa
add mode passthru nopromisc
add bogus
add help
WORDS

# This kernel has no vlan nor ipvlan driver: ip sends each request and the kernel refuses it.
cases vlan "v9 link p0" p0 <<'WORDS'
add id 5
add id 5 protocol 802.1ad
add protocol 802.1Q id 0x10 reorder_hdr off gvrp on mvrp on loose_binding on bridge_binding on
add id 7 reorder_hdr on reorder_hdr off
add id 7 ingress-qos-map 1:2 3:4 egress-qos-map 0:7 0x10:010
add egress-qos-map id 8
add id 7 egress-qos-map 1:2 gvrp on
add id 7 protocol ip
add p 802.1ad i 9 r on g off m on l off b on in 1:1 e 2:2
add
add id 65535
add id 65536
add id -1
add id x
add protocol bogus
add gvrp yes
add gvrp
add ingress-qos-map 1:x
add ingress-qos-map x:1
add ingress-qos-map 4294967296:1
add egress-qos-map
add bogus
add help
set egress-qos-map 2:3
set reorder_hdr off
WORDS

cases ipvlan "ipv9 link p0" p0 <<'WORDS'
add mode l2
add mode l3 private
add mode l3s vepa
add bridge mode l2
add
add m l3 p
add v
add b
add mode l4
add mode
add private vepa
add bogus
add help
set mode l3
WORDS

cases ipvtap "ipt9 link p0" p0 <<'WORDS'
add mode l2 bridge
add mode l3 private
add bogus
add help
WORDS

ip link set br0 up
cases bridge_slave none p1 <<'WORDS'
set state 3 priority 7 cost 100 hairpin on guard off root_block on fastleave off learning on flood off
set mcast_flood on bcast_flood off mcast_to_unicast on proxy_arp off proxy_arp_wifi on mcast_router 2
set mcast_fast_leave on neigh_suppress off group_fwd_mask 0x8 vlan_tunnel off isolated on locked off
set fdb_flush nobackup_port
set st 0 pri 9 c 5 h off g on r off fa on le off fl on mcast_f off b on mcast_t off prox on mcast_r 1
set pr on
set state 256
set state forwarding
set priority 65536
set cost 4294967296
set mcast_router 256
set group_fwd_mask 0x10000
set hairpin yes
set hairpin
set bogus on
set help
WORDS
