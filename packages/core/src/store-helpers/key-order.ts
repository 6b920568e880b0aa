/**
 * The order in which a store should write the rows of one batch: indices of
 * `keys` sorted by key (plain `<` on the strings: byte order when the keys are
 * hex or latin1 renderings of serialized entity keys), stable, so rows of the
 * same key stay in input order and the later one can win. Writers that all
 * take row locks in this order never deadlock one another.
 */
export function keyOrder(keys: readonly string[]): number[] {
  const order = Array.from({ length: keys.length }, (_, i) => i);
  order.sort((a, b) => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
  return order;
}
