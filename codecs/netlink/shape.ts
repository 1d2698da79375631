// Objects made with room for their keys, for the decoders that make thousands of one shape.
// Internal: not exported by the codecs' index.

/**
 * A constructor of empty objects with `proto` as their prototype and room in themselves for
 * `keys`, which the caller then stores in the order it likes. V8 sizes the objects a constructor
 * makes by the `this.key =` stores in its body, run or not: with a store per key, every key
 * fits in the object itself. An object literal has room for its own keys and no more: each key
 * added past those regrew a property array (for a link, a fifth of what its decoding allocated).
 * Keys are identifiers (a table's keys are: a store by name is what counts).
 */
export type Maker = new () => Record<string, unknown>;
export function makerFor(keys: readonly string[], proto: object = Object.prototype): Maker {
  const stores = keys.map((k) => `this.${k} = undefined;`).join(' ');
  const make = new Function(`if (false) { ${stores} }`) as Maker;
  make.prototype = proto;
  return make;
}
