// A seeded 20,000-input slice of bench/fuzz.ts (which runs 1,000,000): mutated captured
// vectors through every public decoder, lazy field, JSON.stringify and re-encoding. Only
// DecodeError and EncodeError may come out; no input may hang.
import t from 'tap';
import { fuzz } from '../bench/fuzz.js';

t.test('20,000 hostile inputs: only DecodeError and EncodeError, no hang', async (t) => {
  const r = fuzz(20_000, 20261201);
  t.same(r.failures, [], 'no exception of any other kind');
  t.ok(r.decoded > 1000 && r.refused > 1000, `both taken and refused inputs (${r.decoded} decoded, ${r.refused} refused)`);
  t.comment(`slowest input ${r.slowestMs.toFixed(1)} ms, ${r.seconds.toFixed(1)} s in all`);
});
