// Reads tap's TAP stream from stdin, echoes it, and ends with "N passed, N failed[, N skipped]".
// A test is a subtest directly inside a file; a file that fails with no failing subtest
// (a crash, a timeout) counts as one failed test, a file skipped whole as one skipped.
// Just above that last line it names each failed test with its failed assertions and their
// diagnostics, so that the tail of a long log (all a CI page may show) says what failed.
import { createInterface } from 'node:readline';

const counts = { passed: 0, failed: 0, skipped: 0 };
const failures = []; // { where, detail: string[] }
const DETAIL_LINES = 40;
let file = '';
let childFailed = false;
let childCount = 0;
let assertions = []; // failed assertions (and diagnostics) of the test being read
let yaml = null; // { indent, into, started }: the YAML diagnostics block after a failed result, being copied

for await (const line of createInterface({ input: process.stdin })) {
  console.log(line);
  if (yaml && copyYaml(line)) continue;
  const subtest = /^# Subtest: (.*)$/.exec(line);
  if (subtest) file = subtest[1];
  const m = /^( *)(not ok|ok) \d+(?: - )?(.*)$/.exec(line);
  if (!m) continue;
  const depth = m[1].length / 4;
  const ok = m[2] === 'ok';
  const skip = /# (SKIP|TODO)\b/i.test(m[3]);
  const name = m[3].replace(/ # time=.*$/, '');
  if (depth >= 2 && !ok) {
    assertions.push(line.trim());
    yaml = { indent: m[1].length + 2, into: assertions, started: false };
  } else if (depth === 1) {
    childCount++;
    if (skip) counts.skipped++;
    else if (ok) counts.passed++;
    else {
      counts.failed++;
      childFailed = true;
      failures.push({ where: `${file}: ${name}`, detail: assertions });
    }
    assertions = [];
  } else if (depth === 0) {
    if (!ok && !childFailed) {
      counts.failed++;
      const failure = { where: `${file}: the file failed outside its tests`, detail: [] };
      failures.push(failure);
      yaml = { indent: 2, into: failure.detail, started: false };
    } else if (skip && childCount === 0) counts.skipped++;
    childFailed = false;
    childCount = 0;
    assertions = [];
  }
}
if (process.env.RTNL_TYPECHECK === 'failed') {
  console.log('not ok - typecheck: tsc reported errors (above)');
  counts.failed++;
  failures.push({ where: 'typecheck: tsc reported errors', detail: [] });
}
if (failures.length > 0) {
  console.log('# failed:');
  for (const { where, detail } of failures) {
    console.log(`# - ${where}`);
    for (const l of detail.slice(0, DETAIL_LINES)) console.log(`#     ${l}`);
    if (detail.length > DETAIL_LINES) console.log(`#     ... ${detail.length - DETAIL_LINES} more lines above`);
  }
}
const total = counts.passed + counts.failed + counts.skipped;
console.log(`${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
process.exit(counts.failed > 0 || total === 0 ? 1 : 0);

/** Copies a line of the YAML block that follows a failed result; false once the block is over. */
function copyYaml(line) {
  const body = line.slice(yaml.indent);
  const inBlock = line.startsWith(' '.repeat(yaml.indent)) && (yaml.started || body === '---');
  if (!inBlock) {
    yaml = null;
    return false;
  }
  yaml.started = true;
  if (body !== '---' && body !== '...') yaml.into.push(body);
  if (body === '...') yaml = null;
  return true;
}
