// checkObject() with a key list (optionKeys()): what every options object of the API goes
// through, without a kernel. The API's own lists are held to their types by the compiler; the
// catalogue (bad-input-catalogue.test.ts) calls each entry point with a misspelt key.
import t from 'tap';
import { InvalidArgumentError, checkObject, optionKeys } from '../src/errors.js';

interface Spec { dev: string; mtu?: number; label?: string }
const KEYS = optionKeys<Spec>()('dev', 'mtu', 'label');

const refusal = (v: unknown): unknown => {
  try {
    checkObject('thing', v, KEYS);
    return undefined;
  } catch (e) {
    return e;
  }
};

t.test('the keys the type has pass, in any number, whatever their values', async (t) => {
  t.same([...KEYS], ['dev', 'mtu', 'label']);
  for (const v of [{}, { dev: 'x' }, { dev: 'x', mtu: 1, label: 'l' }, { mtu: undefined }]) t.equal(refusal(v), undefined, JSON.stringify(v));
});

t.test('a key it lacks is an InvalidArgumentError naming the object and the key, with the closest known one', async (t) => {
  const e = refusal({ dev: 'x', mtuu: 1400 });
  t.type(e, InvalidArgumentError);
  t.equal((e as InvalidArgumentError).errno, 22);
  t.equal((e as Error).message, 'thing: unknown option "mtuu" (did you mean mtu?)');
  t.equal((refusal({ colour: 'red' }) as Error).message, 'thing: unknown option "colour" (known: dev, mtu, label)');
  t.equal((refusal({ dev: 'x', stray: undefined }) as Error).message, 'thing: unknown option "stray" (known: dev, mtu, label)', 'undefined or not: the key is wrong');
  t.equal((refusal({ dev: 'x', mtu: 1, lable: 'l', zz: 1 }) as Error).message, 'thing: unknown option "lable" (did you mean label?)', 'the first one it lacks');
});

t.test('without a key list, any object passes; what is no object is refused either way', async (t) => {
  t.doesNotThrow(() => checkObject('thing', { anything: 1 }));
  for (const [v, said] of [[null, 'null'], [[], 'an array'], ['x', 'string'], [undefined, 'undefined']] as const) {
    t.throws(() => checkObject('thing', v), { name: 'InvalidArgumentError', message: `thing: expected an object, not ${said}` });
    t.throws(() => checkObject('thing', v, KEYS), { name: 'InvalidArgumentError', message: `thing: expected an object, not ${said}` });
  }
});

t.test('own keys only: what an object inherits is not its to give', async (t) => {
  const proto = { inherited: 1 };
  t.equal(refusal(Object.assign(Object.create(proto) as object, { dev: 'x' })), undefined);
});
