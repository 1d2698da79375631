#!/usr/bin/env bash
# npm run mutate: StrykerJS over the kernel-free code (codecs/, the client with its fake
# transport, the CNI spec module, the CLI's parsers and formatters); with --kernel instead, over
# src/client.ts, src/socket/ and src/api/link*.ts against the real kernel; with --cni, over the
# CNI plugin against the reference plugin; with --cli, over the CLI's command files (all of
# them, or N drawn at random). Each runs inside a throwaway network and mount
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
root() { [ "$(id -u)" = 0 ] || { echo "$1 needs root (network namespaces)" >&2; exit 1; }; }

# --cli N [SEED]: N of the command files' mutants drawn at random (seed: today's date).
cli_sample() {
  local n=$1 seed=${2:-$(date +%Y%m%d)} dir=reports/mutation/cli-sample
  mkdir -p "$dir"
  RTNL_MUTATE_CLI_LIST=$dir/frame.json npx stryker run stryker.cli.config.mjs
  node scripts/mutate-cli/sample.mjs draw "$dir/frame.json" "$n" "$seed" "$dir"
  RTNL_MUTATE_CLI_LIST=$dir/listed.json RTNL_MUTATE_CLI_PATTERNS=$dir/patterns.json npx stryker run stryker.cli.config.mjs
  node scripts/mutate-cli/sample.mjs ids "$dir/drawn.json" "$dir/listed.json" > "$dir/ids"
  RTNL_MUTATE_CLI_PATTERNS=$dir/patterns.json RTNL_MUTATE_CLI_IDS=$dir/ids isolated npx stryker run stryker.cli.config.mjs
  node scripts/mutate-cli/score.mjs reports/mutation/cli.json "$dir/ids"
}

case "${1:-}" in
  '') isolated npx stryker run stryker.config.json ;;
  --kernel | --cni) root "$1"; isolated npx stryker run "stryker.${1#--}.config.mjs" ;;
  --cli)
    root "$1"
    if [ -n "${2:-}" ]; then cli_sample "${@:2}"; else
      isolated npx stryker run stryker.cli.config.mjs
      node scripts/mutate-cli/score.mjs reports/mutation/cli.json
    fi ;;
  *) echo "usage: npm run mutate [-- --kernel | --cni | --cli [N [SEED]]]" >&2; exit 2 ;;
esac
