// Seed: mode private. The outside host reaches both children; the children never reach each
// other, not even with hairpin on the switch port; the parent's host reaches them only with hairpin.
import t from 'tap';
import { kernel } from '../helpers/kernel.js';
import { seedMatrix } from './matrix.js';

t.test('private: children isolated from each other, hairpin or not', kernel, (t) => seedMatrix(t, 'private', {
  off: { 'outside -> child': true, 'child -> outside': true, 'child -> child': false, 'host -> child': false },
  on: { 'outside -> child': true, 'child -> outside': true, 'child -> child': false, 'host -> child': true },
}));
