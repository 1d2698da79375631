# Shared by the capture scripts (test/vectors/*/capture.sh): run iproute2 under strace and keep
# the netlink datagrams as hex. Source it; run the scripts as root in a throwaway namespace.

# Prints strace's hexdumps of the command's netlink traffic, one datagram per block.
trace() { strace -f -e trace=sendmsg,sendto,recvmsg -e write=all -e read=all -xx -s 65535 "$@" 2>&1 >/dev/null; }

# Reads trace output; prints, one per line as hex, the datagrams of the calls matching $1
# (sendmsg|sendto or recvmsg) whose first message has type $2 (one hex byte, e.g. 10 for RTM_NEWLINK).
dumps() {
  awk -v call="$1" -v t="$2" '
    /^(\[pid +[0-9]+\] )?(sendmsg|sendto|recvmsg)\(/ { flush(); cur = ($0 ~ "(" call ")\\(") ; next }
    /^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / { if (cur) { line = substr($0, 11, 49); gsub(/ +/, "", line); buf = buf line } ; next }
    function flush() { if (buf != "" && substr(buf, 9, 2) == t) print buf; buf = "" }
    END { flush() }'
}
