#!/usr/bin/env bash
# Re-captures the forwarding-database vectors from iproute2's `bridge fdb` talking to this
# kernel. Run as root:
#   unshare --net --mount --propagation private bash test/vectors/fdb/capture.sh
# Each case records the request `bridge` sent (RTM_NEWNEIGH / RTM_DELNEIGH of family AF_BRIDGE):
# some the kernel refuses here (a VLAN without vlan filtering, which this kernel lacks), which
# changes nothing of the request. `dump` is the kernel's answer to `bridge fdb show`, with what
# bridge printed from it (`bridge -j`) and the links' names.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
ip link set lo up
ip link add br0 address 02:00:00:00:00:10 type bridge
ip link add v0 address 02:00:00:00:00:11 type veth peer name v1 address 02:00:00:00:00:12
ip link set v0 master br0
ip link set v0 type bridge_slave learning off
ip link add vx0 address 02:00:00:00:00:13 type vxlan id 42 dstport 4789
for l in br0 v0 v1 vx0; do ip link set $l addrgenmode none; ip link set $l up; done

# case name, request type (1c: RTM_NEWNEIGH, 1d: RTM_DELNEIGH), the bridge command
capture() {
  local name="$1" type="$2"; shift 2
  local req
  req="$( (trace bridge "$@" || true) | dumps sendmsg "$type" | tail -1)"
  { echo "# bridge $*"; echo "request $req"; } > "$out/$name.txt"
  echo "captured $name (${#req} hex digits)"
}

capture add-master-static 1c fdb add 02:00:00:00:00:01 dev v0 master static
capture add-self 1c fdb add 01:00:5e:00:00:fb dev v0
capture add-vlan 1c fdb add 02:00:00:00:00:02 dev v0 master vlan 5 sticky
capture append-vxlan 1c fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.1 port 4790 vni 7 src_vni 9 via v1
capture replace-dynamic 1c fdb replace 02:00:00:00:00:01 dev v0 master dynamic
capture del-master 1d fdb del 02:00:00:00:00:01 dev v0 master
{ echo "# bridge fdb show"; echo "request $(trace bridge fdb show | dumps "sendmsg|sendto" 1e | tail -1)"
  trace bridge fdb show | dumps recvmsg 1c | sed 's/^/reply /'
  # How bridge prints them, with the names the links had (the test's oracle for decoding them).
  echo "json $(bridge -j fdb show)"
  echo "links $(ip -j link show)"; } > "$out/dump.txt"
echo "captured dump"
