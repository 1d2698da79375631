// Seed: mode vepa (the default). Like private without hairpin; with hairpin on the switch port
// the children reach each other (and the parent's host reaches them), through the switch.
import t from 'tap';
import { kernel } from '../helpers/kernel.js';
import { seedMatrix } from './matrix.js';

t.test('vepa: children reach each other only through a hairpin switch port', kernel, (t) => seedMatrix(t, 'vepa', {
  off: { 'outside -> child': true, 'child -> outside': true, 'child -> child': false, 'host -> child': false },
  on: { 'outside -> child': true, 'child -> outside': true, 'child -> child': true, 'host -> child': true },
}));
