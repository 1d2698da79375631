// Preloaded (NODE_OPTIONS=--require) while a CLI test file runs unmutated: every mutant id the
// instrumented code reaches, in the test's process and in each `rtnl` process it starts, is
// appended to $RTNL_MUTATE_COVERAGE_OUT the first time that process sees it. Appended at once:
// a process killed by a signal loses nothing. The instrumented code finds this object and counts
// into it (StrykerJS's `__stryker__.mutantCoverage.static`).
const fs = require('node:fs');

const out = process.env.RTNL_MUTATE_COVERAGE_OUT;
if (out) {
  const seen = new Set();
  const record = new Proxy({}, {
    set(target, id, count) {
      if (!seen.has(id)) { seen.add(id); fs.appendFileSync(out, `${String(id)}\n`); }
      target[id] = count;
      return true;
    },
  });
  globalThis.__stryker__ = { mutantCoverage: { static: record, perTest: {} } };
}
