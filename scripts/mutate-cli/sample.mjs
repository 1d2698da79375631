// A uniform random sample of the CLI command files' mutants, for `npm run mutate -- --cli N`.
//   node sample.mjs draw LIST.json N SEED DIR  -> DIR/drawn.json (the drawn mutants) and
//                                                DIR/patterns.json (their lines, for `mutate`)
//   node sample.mjs ids DIR/drawn.json LISTED.json -> the drawn mutants' ids in LISTED, one a line
// StrykerJS numbers mutants in the order it instruments them, so a run over the drawn lines only
// gives them new ids: they are found again by file, place, mutator and replacement.
import { readFileSync, writeFileSync } from 'node:fs';

const read = (f) => JSON.parse(readFileSync(f, 'utf8'));
const key = (file, m) => JSON.stringify([file, m.mutatorName, m.replacement, m.location]);
const mutants = (report) => Object.entries(report.files).flatMap(([file, f]) => f.mutants.map((m) => ({ file, ...m })));

/** mulberry32: a seeded generator, so that a sample can be drawn again. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(list, n, seed, dir) {
  const all = mutants(read(list));
  const rnd = random(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const sample = all.slice(0, n);
  const patterns = [...new Set(sample.map((m) => `${m.file}:${m.location.start.line}-${m.location.end.line}`))];
  writeFileSync(`${dir}/drawn.json`, JSON.stringify({ frame: all.length, seed, sample: sample.map((m) => key(m.file, m)) }));
  writeFileSync(`${dir}/patterns.json`, JSON.stringify(patterns));
  console.log(`${sample.length} of ${all.length} mutants drawn (seed ${seed}), on ${patterns.length} line ranges`);
}

function ids(drawn, listed) {
  const byKey = new Map(mutants(read(listed)).map((m) => [key(m.file, m), m.id]));
  const { sample } = read(drawn);
  const found = sample.map((k) => byKey.get(k)).filter((id) => id !== undefined);
  if (found.length !== sample.length) throw new Error(`${sample.length - found.length} drawn mutants not found in ${listed}`);
  console.log(found.join('\n'));
}

const [command, ...args] = process.argv.slice(2);
if (command === 'draw') draw(args[0], Number(args[1]), Number(args[2]), args[3]);
else if (command === 'ids') ids(args[0], args[1]);
else throw new Error('usage: sample.mjs draw LIST N SEED DIR | ids DRAWN LISTED');
