#!/usr/bin/env bash
# Re-captures the rule vectors from iproute2's `ip rule` and `ip monitor rule` talking to this
# kernel. Run as root:
#   unshare --net --mount --propagation private bash test/vectors/rule/capture.sh
# `add-*` and `del` hold `# the command` and `request <hex>`: the message ip sent; `dump-*` the
# kernel's answer to `ip rule show` / `ip -6 rule show` (`reply <hex>`), with what ip printed
# from it (`text`, and `json` for -j); `monitor` the notifications of a rule added and deleted.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
isolated "$@"
out="$(cd "$(dirname "$0")" && pwd)"
ip link set lo up
ip link add v0 type veth peer name v1

# add NAME ip-rule-words...: the request ip sends (RTM_NEWRULE 0x20).
add() {
  local name="$1"; shift
  { echo "# ip rule add $*"; echo "request $(trace ip rule add "$@" | dumps "sendmsg|sendto" 20 | tail -1)"; } > "$out/$name.txt"
  echo "captured $name"
}
add add-from from 192.0.2.0/24 table 100 pref 100
add add-not not to 198.51.100.0/24 fwmark 0x10/0xff iif lo lookup main pref 200
add add-selectors oif v0 uidrange 1000-2000 ipproto tcp sport 80 dport 1000-2000 table 101 pref 300 proto static
add add-goto from all goto 500 pref 400
add add-nop pref 500 nop
add add-blackhole pref 600 blackhole
add add-unreachable pref 601 unreachable
add add-prohibit pref 602 prohibit
add add-suppress tos 0x10 table 102 suppress_prefixlength 0 suppress_ifgroup 5 pref 700
add add-realms realms 3/5 table 103 pref 800
add add-tun-id tun_id 5 table 104 pref 900
add add-detached iif nosuch table 105 pref 1000
add add-l3mdev l3mdev pref 1100
add add-big-table from 192.0.2.1 to 203.0.113.0/24 fwmark 7 table 200000 pref 1200
ip -6 rule add from 2001:db8::/32 table 100 pref 100
ip -6 rule add to 2001:db8::1 iif v1 oif v0 table 100

for f in 4 6; do
  { echo "# ip -$f rule show"; echo "request $(trace ip -$f rule show | dumps "sendmsg|sendto" 22 | tail -1)"
    trace ip -$f rule show | dumps recvmsg 20 | sed 's/^/reply /'
    ip -$f rule show | sed 's/^/text /'
    echo "json $(ip -$f -j rule show)"; } > "$out/dump-inet$([ $f = 6 ] && echo 6).txt"
  echo "captured dump -$f"
done

{ echo "# ip rule del pref 100"; echo "request $(trace ip rule del pref 100 | dumps "sendmsg|sendto" 21 | tail -1)"; } > "$out/del.txt"
echo "captured del"

# Under timeout, which strace follows: the monitor ends by itself (a killed strace would leave it running).
trace timeout 2 ip monitor rule > "$out/monitor.trace" &
sleep 0.5
ip rule add from 198.51.100.7 table 7 pref 77
ip rule del pref 77
wait
{ echo "# ip monitor rule: ip rule add from 198.51.100.7 table 7 pref 77; ip rule del pref 77"
  echo "request 00000000"
  dumps recvmsg "20|21" < "$out/monitor.trace" | sed 's/^/reply /'
  echo "text 77:	from 198.51.100.7 lookup 7"
  echo "text Deleted 77:	from 198.51.100.7 lookup 7"; } > "$out/monitor.txt"
rm -f "$out/monitor.trace"
echo "captured monitor"
