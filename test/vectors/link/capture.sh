#!/usr/bin/env bash
# Re-captures the link byte vectors from iproute2 talking to this kernel. Run as root:
#   unshare --net --mount --propagation private bash test/vectors/link/capture.sh
# Each case records the request iproute2 sent (RTM_NEWLINK / RTM_SETLINK) and the
# kernel's answer to `ip -d link show dev X` (an RTM_NEWLINK message), as hex.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
mount -t tmpfs vectors /run; mkdir -p /run/netns
ip link set lo up
ip link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02
ip link set p0 up; ip link set p1 up


# case name, device to show afterwards, request type (10: iproute2 sends RTM_NEWLINK for `ip link set` too), the ip command
capture() {
  local name="$1" dev="$2" type="$3"; shift 3
  local req rep
  req="$(trace ip "$@" | dumps sendmsg "$type" | tail -1)"
  rep="$(trace ip -d link show dev "$dev" | dumps recvmsg 10 | head -1 || true)"
  { echo "# ip $*"
    echo "request $req"
    [ -n "$rep" ] && echo "reply $rep"
  } > "$out/$name.txt"
  echo "captured $name (${#req} / ${#rep} hex digits)"
}
request_only() { # for kinds this kernel lacks: the request, and the kernel's refusal is expected
  local name="$1"; shift
  local req
  req="$(trace ip "$@" | dumps sendmsg 10 | tail -1 || true)"
  { echo "# ip $*  (kind not in this kernel: request only)"; echo "request $req"; } > "$out/$name.txt"
  echo "captured $name (request only)"
}

capture macvlan-private mvp 10 link add link p0 name mvp address 02:00:00:00:01:01 type macvlan mode private
capture macvlan-vepa mvv 10 link add link p0 name mvv address 02:00:00:00:01:02 type macvlan mode vepa
capture macvlan-bridge mvb 10 link add link p0 name mvb address 02:00:00:00:01:03 mtu 1400 type macvlan mode bridge bcqueuelen 500
capture macvlan-default mvd 10 link add link p0 name mvd address 02:00:00:00:01:04 type macvlan
capture macvlan-source mvs 10 link add link p0 name mvs address 02:00:00:00:01:05 type macvlan mode source macaddr set 02:00:00:00:aa:01 02:00:00:00:aa:02
capture macvlan-source-nodst mvsn 10 link add link p0 name mvsn address 02:00:00:00:01:06 type macvlan mode source flag nodst
capture macvlan-macaddr-add mvs 10 link set dev mvs type macvlan macaddr add 02:00:00:00:aa:03
capture macvlan-macaddr-del mvs 10 link set dev mvs type macvlan macaddr del 02:00:00:00:aa:01
capture macvlan-macaddr-set mvs 10 link set dev mvs type macvlan macaddr set 02:00:00:00:bb:01
capture macvlan-macaddr-flush mvs 10 link set dev mvs type macvlan macaddr flush
capture macvlan-mode-change mvv 10 link set dev mvv type macvlan mode bridge
ip link del mvp; ip link del mvv; ip link del mvb; ip link del mvd; ip link del mvs; ip link del mvsn
capture macvlan-passthru-nopromisc mvpt 10 link add link p0 name mvpt type macvlan mode passthru flag nopromisc
ip link del mvpt
capture macvtap-bridge mvt 10 link add link p0 name mvt address 02:00:00:00:01:07 type macvtap mode bridge
ip link del mvt
capture veth v0 10 link add v0 address 02:00:00:00:02:01 type veth peer name v1 address 02:00:00:00:02:02
capture bridge br0 10 link add br0 address 02:00:00:00:03:01 type bridge stp_state 0 forward_delay 400
capture set-master v0 10 link set dev v0 master br0
capture bridge-port-hairpin v0 10 link set dev v0 type bridge_slave hairpin on
# The port as the bridge tells it (family AF_BRIDGE, IFLA_PROTINFO): `bridge link set` sends
# RTM_SETLINK (0x13), `bridge link show` dumps RTM_NEWLINK of family AF_BRIDGE (the 07 at hex 33).
{ echo "# bridge link set dev v0 cost 9 hairpin off"
  echo "request $(trace bridge link set dev v0 cost 9 hairpin off | dumps sendmsg 13 | tail -1)"
  echo "reply $(trace bridge link show dev v0 | dumps recvmsg 10 | awk 'substr($0, 33, 2) == "07"' | head -1)"
} > "$out/af-bridge-port.txt"
echo "captured af-bridge-port"
capture set-nomaster v0 10 link set dev v0 nomaster
capture vxlan vx0 10 link add vx0 address 02:00:00:00:04:01 type vxlan id 42 dstport 4789 local 192.0.2.1 remote 192.0.2.2 dev p0 ttl 64
capture set-basic v9 10 link set dev v0 mtu 1400 address 02:00:00:00:02:09 txqlen 500 name v9 up
capture set-alias v9 10 link set dev v9 alias uplink-a
capture set-promisc v9 10 link set dev v9 promisc on allmulticast on
# protodown (with a reason bit), the GSO/GRO limits, the link mode and operstate: a macvlan has protodown, a veth not
ip link add link p0 name mvpd address 02:00:00:00:01:08 type macvlan mode bridge
capture set-protodown mvpd 10 link set dev mvpd protodown on protodown_reason 3 on gso_max_size 32000 gso_max_segs 100 gro_max_size 40000 mode dormant state dormant
ip link del mvpd
# RTM_NEWLINKPROP (0x6c) and RTM_DELLINKPROP (0x6d): alternative names, one short and one past IFNAMSIZ
capture altname-add v9 6c link property add dev v9 altname uplink-b altname v9-an-alternative-name-longer-than-ifnamsiz
capture altname-del v9 6d link property del dev v9 altname uplink-b
request_only vlan link add link p0 name vl0 type vlan id 100
request_only ipvlan link add link p0 name ipv0 type ipvlan mode l2
request_only dummy link add d0 type dummy
