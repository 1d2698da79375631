// Reads tap's TAP stream from stdin, echoes it, and ends with "N passed, N failed[, N skipped]".
// A test is a subtest directly inside a file; a file that fails with no failing subtest
// (a crash, a timeout) counts as one failed test, a file skipped whole as one skipped.
import { createInterface } from 'node:readline';

const counts = { passed: 0, failed: 0, skipped: 0 };
let childFailed = false;
let childCount = 0;
for await (const line of createInterface({ input: process.stdin })) {
  console.log(line);
  const m = /^( *)(not ok|ok) \d+(.*)$/.exec(line);
  if (!m) continue;
  const depth = m[1].length / 4;
  const ok = m[2] === 'ok';
  const skip = /# (SKIP|TODO)\b/i.test(m[3]);
  if (depth === 1) {
    childCount++;
    if (skip) counts.skipped++;
    else if (ok) counts.passed++;
    else { counts.failed++; childFailed = true; }
  } else if (depth === 0) {
    if (!ok && !childFailed) counts.failed++;
    else if (skip && childCount === 0) counts.skipped++;
    childFailed = false;
    childCount = 0;
  }
}
if (process.env.RTNL_TYPECHECK === 'failed') {
  console.log('not ok - typecheck: tsc reported errors (above)');
  counts.failed++;
}
const total = counts.passed + counts.failed + counts.skipped;
console.log(`${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
process.exit(counts.failed > 0 || total === 0 ? 1 : 0);
