# Shared by the capture scripts (test/vectors/*/capture.sh): run iproute2 under strace and keep
# the netlink datagrams as hex. Source it first, then call isolated "$@"; run the scripts as root.

# Runs the calling script again in a throwaway network and mount namespace, however it was
# started: the /run it mounts must never hide the host's, and what it makes (links, a named
# namespace) goes with the namespace, whether the script ends well or not.
isolated() {
  [ -n "${CAPTURE_INSIDE:-}" ] || exec env CAPTURE_INSIDE=1 unshare --net --mount --propagation private bash "$0" "$@"
}

# Prints strace's hexdumps of the command's netlink traffic, one datagram per block.
trace() { strace -f -e trace=sendmsg,sendto,recvmsg -e write=all -e read=all -xx -s 65535 "$@" 2>&1 >/dev/null; }

# Reads trace output; prints, one per line as hex, the datagrams of the calls matching $1
# (sendmsg|sendto or recvmsg) whose first message has type $2 (one hex byte, e.g. 10 for RTM_NEWLINK;
# several as 50|51).
dumps() {
  awk -v call="$1" -v t="$2" '
    /^(\[pid +[0-9]+\] )?(sendmsg|sendto|recvmsg)\(/ { flush(); cur = ($0 ~ "(" call ")\\(") ; next }
    /^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / { if (cur) { line = substr($0, 11, 49); gsub(/ +/, "", line); buf = buf line } ; next }
    function flush() { if (buf != "" && substr(buf, 9, 2) ~ ("^(" t ")$")) print buf; buf = "" }
    END { flush() }'
}

# Runs `ip WORDS...` once under strace and writes FILE: `# ip WORDS`, `request` (the last datagram
# ip sent whose first message has type SENT), `reply` lines (the datagrams it read of types READ),
# then what ip printed from those very answers: `text` lines, or one `json` line with -j.
#   captured FILE SENT READ WORDS...
captured() {
  local file="$1" sent="$2" read="$3" kind=text; shift 3
  [[ " $* " == *" -j "* ]] && kind=json
  local tr; tr="$(mktemp)"
  # Not -f: with -o, strace would put each line's pid first, which dumps() does not read.
  strace -e trace=sendmsg,sendto,recvmsg -e write=all -e read=all -xx -s 65535 -o "$tr" ip "$@" > "$tr.out" || true
  { echo "# ip $*"; echo "request $(dumps "sendmsg|sendto" "$sent" < "$tr" | tail -1)"
    dumps recvmsg "$read" < "$tr" | sed 's/^/reply /'
    if [ "$kind" = json ]; then echo "json $(cat "$tr.out")"; else sed 's/^/text /' "$tr.out"; fi; } > "$file"
  rm -f "$tr" "$tr.out"
  echo "captured $(basename "$file" .txt)"
}
