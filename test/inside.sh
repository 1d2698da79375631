#!/usr/bin/env bash
# Runs inside the throwaway namespaces made by test/run.sh and scripts/private-run.sh (or as is,
# when not root).
set -uo pipefail
files=("$@")
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(find dist/test -name '*.test.js' | sort)
npx tap --disable-coverage --allow-empty-coverage --reporter=tap --jobs=2 --timeout=600 "${files[@]}" | tee /tmp/rtnl-tap.$$ | node test/summary.mjs
