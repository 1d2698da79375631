// node score.mjs REPORT.json [IDS]: the score over a StrykerJS report (over the ids listed in IDS
// only, when given: a sample, with its 95% Wilson interval), by file, and every survivor with its
// source line. Mutants that do not compile are left out, as StrykerJS does.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const only = process.argv[3] ? new Set(readFileSync(process.argv[3], 'utf8').split('\n').filter(Boolean)) : undefined;
const detected = new Set(['Killed', 'Timeout']);
const undetected = new Set(['Survived', 'NoCoverage']);

let killed = 0;
let scored = 0;
const survivors = [];
for (const [file, f] of Object.entries(report.files)) {
  const lines = f.source.split('\n');
  let k = 0;
  let n = 0;
  for (const m of f.mutants) {
    if (only && !only.has(m.id)) continue;
    if (detected.has(m.status)) k++;
    else if (undetected.has(m.status)) survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${m.status} ${JSON.stringify(m.replacement ?? '').slice(0, 100)}\n    | ${lines[m.location.start.line - 1].trim().slice(0, 160)}`);
    else continue;
    n++;
  }
  if (n) console.log(`${file}: ${k} / ${n}`);
  killed += k;
  scored += n;
}

/** Wilson's 95% interval for k successes in n. */
function wilson(k, n) {
  const z = 1.96;
  const p = k / n;
  const centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const half = (z / (1 + z * z / n)) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return [centre - half, centre + half];
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const interval = only ? `, 95% interval ${wilson(killed, scored).map(pct).join(' - ')}` : '';
console.log(`score ${pct(killed / scored)}: ${killed} killed or timed out of ${scored}${interval}`);
console.log(survivors.join('\n'));
