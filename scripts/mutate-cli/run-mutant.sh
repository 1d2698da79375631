#!/usr/bin/env bash
# StrykerJS's command runner for the CLI's command files (stryker.cli.config.mjs), run in the
# sandbox. Running every CLI test file for every mutant takes minutes a mutant; this runs only
# the files that reach it, one by one, and stops at the first that fails:
# - the dry run (no active mutant) runs each file once, unmutated, and records which mutant ids
#   it reaches (coverage.cjs), in $RTNL_MUTATE_CLI_COVERAGE/FILE;
# - a mutant then runs the files that reached it, each in a throwaway network, mount and PID
#   namespace of its own (what the mutant leaves running dies with the file: --bail skips the
#   tests' teardowns); a mutant no file reaches survives at once. With $RTNL_MUTATE_CLI_IDS
#   (a sample), a mutant not listed there exits 0 at once: score.mjs counts only the listed ones.
# Each mutant's outcome is appended to $RTNL_MUTATE_CLI_LOG as it ends ("ID killed FILE" or "ID
# survived"), so that survivors can be studied while a run of hours goes on.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
coverage=${RTNL_MUTATE_CLI_COVERAGE:?set by stryker.cli.config.mjs}
log=${RTNL_MUTATE_CLI_LOG:?set by stryker.cli.config.mjs}
id=${__STRYKER_ACTIVE_MUTANT__:-}
export TAP_TIMEOUT=600
tap=(npx tap --disable-coverage --allow-empty-coverage --reporter=terse --bail --timeout=600)
files=(cli-words.test cli.test link-group.test cli-synopsis.test cli-filters.test route-edges.test route-encap.test route.test
  cli-monitor.test cli-options.test cli-kernel.test cli-flush.test cli-netconf.test cli-rule.test cli-nexthop.test cli-ntable.test)

if [ -z "$id" ]; then
  mkdir -p "$coverage"
  : > "$log"
  for f in "${files[@]}"; do
    rm -f "$coverage/$f"
    RTNL_MUTATE_COVERAGE_OUT="$coverage/$f" NODE_OPTIONS="--require $here/coverage.cjs" "${tap[@]}" "dist/test/$f.js" || exit 1
  done
  # Nothing recorded would make every mutant survive untried. No pipe here: under pipefail, `cat |
  # grep -q` fails when grep's early exit kills cat (SIGPIPE), as it did on a larger record.
  grep -qs . "$coverage"/* || { echo "run-mutant.sh: no mutant id recorded in $coverage" >&2; exit 1; }
  exit 0
fi

if [ -n "${RTNL_MUTATE_CLI_IDS:-}" ] && ! grep -qx "$id" "$RTNL_MUTATE_CLI_IDS"; then exit 0; fi
for f in "${files[@]}"; do
  grep -qx "$id" "$coverage/$f" 2>/dev/null || continue
  unshare --net --mount --pid --fork --mount-proc --propagation private -- bash scripts/private-run.sh "${tap[@]}" "dist/test/$f.js" ||
    { echo "$id killed $f" >> "$log"; exit 1; }
done
echo "$id survived" >> "$log"
exit 0
