#!/usr/bin/env bash
# npm run mutate: StrykerJS over the kernel-free code (codecs/, the client with its fake
# transport, the CNI spec module), then, with --kernel, over src/client.ts and src/socket/
# against the real kernel inside a throwaway network and mount namespace, as the test command
# runs. Long (tens of minutes): not part of npm test. Reports in reports/mutation/.
set -euo pipefail
cd "$(dirname "$0")/.."
npx stryker run stryker.config.json
if [ "${1:-}" = "--kernel" ]; then
  [ "$(id -u)" = 0 ] || { echo "--kernel needs root (network namespaces)" >&2; exit 1; }
  unshare --net --mount --propagation private -- bash -c \
    'mount -t tmpfs rtnl-mutate /run && mkdir -p /run/netns && ip link set lo up && npx stryker run stryker.kernel.config.mjs'
fi
