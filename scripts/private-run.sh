#!/usr/bin/env bash
# Runs a command in the network and mount namespace `unshare --net --mount --propagation private`
# made (the test command, npm run mutate): lo up, and a private /run, so that /run/netns starts
# empty and dies with the namespace. Under that /run lies an empty read-only one: code under test
# that unmounts the private /run (NetNS.delete('..') with a broken name check unmounts
# /run/netns/.. = /run) then finds nothing to write to, instead of the host's /run/netns.
set -euo pipefail
mount -t tmpfs -o ro,size=4k rtnl-guard /run
mount -t tmpfs rtnl-run /run
mkdir /run/netns
ip link set lo up
exec "$@"
