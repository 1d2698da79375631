// Seed: mode bridge. Children reach each other directly, inside the driver; the parent's host
// does not reach them. With hairpin on the switch port it does (measured here: the frame goes
// to the switch and comes back), which the seeds did not try.
import t from 'tap';
import { kernel } from '../helpers/kernel.js';
import { seedMatrix } from './matrix.js';

t.test('bridge: children reach each other directly, the parent\'s host does not without hairpin', kernel, (t) => seedMatrix(t, 'bridge', {
  off: { 'outside -> child': true, 'child -> outside': true, 'child -> child': true, 'host -> child': false },
  on: { 'outside -> child': true, 'child -> outside': true, 'child -> child': true, 'host -> child': true },
}));
