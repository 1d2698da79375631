#!/usr/bin/env bash
# npm run bench: build, then run every bench script (or those named) inside a throwaway
# network and mount namespace, as the tests do. Each script prints its own figures.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p . || echo "(tsc reported errors; running what was emitted)" >&2
node scripts/bundle.mjs
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || mapfile -t scripts < <(find dist/bench -name '*.js' ! -name '*.d.ts' | sort)
exec unshare --net --mount --propagation private -- bash -c '
  mount -t tmpfs rtnl-bench /run; mkdir -p /run/netns; ip link set lo up
  for s in "$@"; do echo "== $s"; node --expose-gc "$s"; done
' bench "${scripts[@]}"
