#!/usr/bin/env bash
# The test command (npm test): build, then run every test inside a throwaway network and
# mount namespace, so that no test, even a broken one, can reach the host's interfaces
# or leave anything behind. Prints "N passed, N failed[, N skipped]" last.
set -euo pipefail
cd "$(dirname "$0")/.."
# A type error fails the run as one failed test, but the tests still run on what was emitted.
if npx tsc -p .; then export RTNL_TYPECHECK=ok; else export RTNL_TYPECHECK=failed; fi
# The rtnl program as npm installs it (dist/bin/rtnl.cjs); a test that runs it fails without it.
node scripts/bundle.mjs || echo "bundling (the rtnl program, the package entries) failed" >&2
# The package test installs the tarball offline (no network in the test's namespace): cache its packages now.
node test/npm-cache.mjs || echo "could not fill npm's cache: the package test will fail" >&2
if [ "$(id -u)" = 0 ]; then
  exec unshare --net --mount --propagation private -- bash scripts/private-run.sh bash test/inside.sh "$@"
fi
echo "not root: kernel tests will skip, saying why" >&2
exec bash test/inside.sh "$@"
