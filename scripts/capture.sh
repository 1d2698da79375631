#!/usr/bin/env bash
# Captures what iproute2 sends and what the kernel answers, as hex, for codec test vectors.
# Runs in a throwaway network and mount namespace: the host is never touched.
#   scripts/capture.sh 'ip link add v0 type veth peer name v1' 'ip -d link show v0'
# Every argument but the last sets the stage; the last is traced.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 [SETUP_CMD...] TRACED_CMD" >&2; exit 2; }
exec unshare --net --mount --propagation private bash -c '
  mount -t tmpfs capture /run; mkdir -p /run/netns; ip link set lo up
  traced=$1; shift
  for c in "$@"; do eval "$c" >/dev/null; done
  out=$(mktemp)
  eval "strace -f -e trace=sendmsg,recvmsg -e write=all -e read=all -o $out $traced" >/dev/null 2>&1 || true
  awk "/(sendmsg|recvmsg)\\(/ { if (\$0 ~ /sendmsg/) print \"# sent\"; else print \"# received\" }
       / \\| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / { sub(/^.* \\| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  /, \"\"); print substr(\$0, 1, 49) }" "$out"
  rm -f "$out"
' capture "${@: -1}" "${@:1:$#-1}"
