#!/usr/bin/env bash
# npm run mutate: StrykerJS over the kernel-free code (codecs/, the client with its fake
# transport, the CNI spec module, the CLI's parsers and formatters), then, with --kernel, over
# src/client.ts, src/socket/ and src/api/link*.ts against the real kernel, or, with --cni, over
# the CNI plugin against the reference plugin. Each runs inside a throwaway network and mount
# namespace when root, as the test command runs: a mutant of the CLI's parser could otherwise
# carry a command the tests expect refused to the host's interfaces.
# Long (hours): not part of npm test. Reports in reports/mutation/.
set -euo pipefail
cd "$(dirname "$0")/.."
isolated() {
  if [ "$(id -u)" = 0 ]; then
    unshare --net --mount --propagation private -- bash scripts/private-run.sh "$@"
  else
    "$@"
  fi
}
isolated npx stryker run stryker.config.json
case "${1:-}" in
  --kernel | --cni)
    [ "$(id -u)" = 0 ] || { echo "$1 needs root (network namespaces)" >&2; exit 1; }
    isolated npx stryker run "stryker.${1#--}.config.mjs" ;;
esac
