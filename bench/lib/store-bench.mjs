// What the SQL store benches (mysql-bench.mjs, postgres-bench.mjs) share: the data they write and
// read, the seeded choice of keys, and interleaved timing with p50 / p99.
import { Entity, FeastType, FeatureView, Field, ValueType } from '@feast-ts/core';

export const QUICK = Boolean(process.env.BENCH_QUICK);
/** Entities of a write batch (x 10 features). */
export const WRITE_ENTITIES = QUICK ? 1000 : 10_000;
/** Entities per read call, and features per view. */
export const READ_SIZES = [1, 10, 100, 1000];
export const FEATURE_COUNTS = [10, 50];
/** Timed calls per read size (after a warm-up of a tenth, at least 3). */
export const ITERATIONS = QUICK ? { 1: 50, 10: 30, 100: 20, 1000: 5 } : { 1: 400, 10: 300, 100: 150, 1000: 25 };
/** Entities in each view's table, of which reads pick. */
export const POPULATION = 5000;

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });

/** `stats_<n>` views of n features f0, f1, ... (Int64 and Float64 alternating), by feature count. */
export function statsViews(featureCounts = FEATURE_COUNTS) {
  return Object.fromEntries(
    featureCounts.map((features) => [
      features,
      new FeatureView({
        name: `stats_${features}`,
        entities: [driver],
        schema: Array.from({ length: features }, (_, i) => new Field({ name: `f${i}`, dtype: i % 2 ? FeastType.Float64 : FeastType.Int64 })),
      }),
    ]),
  );
}

/** `{ driver_id: id }` as an entity key. */
export const key = (id) => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: BigInt(id) }] });

const eventTs = new Date('2024-05-01T12:00:00Z');
/** Write rows of entities offset .. offset + count - 1, `features` features each. */
export function rows(count, features, offset = 0) {
  return Array.from({ length: count }, (_, i) => {
    const id = offset + i;
    const values = {};
    for (let f = 0; f < features; f++) values[`f${f}`] = f % 2 ? { doubleVal: id / 7 + f } : { int64Val: BigInt(id * 100 + f) };
    return [key(id), values, eventTs, null];
  });
}

/** `sample(n, population)`: n distinct ids below population, from a small seeded PRNG, so runs pick the same keys. */
export function sampler(seed = 42) {
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return (n, population) => {
    const picked = new Set();
    while (picked.size < n) picked.add(Math.floor(rand() * population));
    return [...picked];
  };
}

export const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
export const fmt = (ms) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
export const log = (...a) => console.error(...a);
/** Of a list sorted best first; of 2, the slower. */
export const median = (list) => list[Math.floor(list.length / 2)];
export const rps = (n) => Math.round(n).toLocaleString('en');

export async function timeIt(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Every ordering of `items` (for the handful of methods a bench compares). */
function permutations(items) {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((first, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [first, ...rest]));
}

const orders = new Map();

/**
 * The order of round `i` (any integer): the rounds cycle through every ordering of `names`, so
 * each method runs first, last and right after each other method equally often. (A rotation of
 * one order does not: there a method always follows the same one, which a slow or cache-evicting
 * neighbour, such as another process's turn, then penalizes alone.)
 */
export function roundOrder(names, i) {
  const key = names.join('\0');
  let all = orders.get(key);
  if (!all) orders.set(key, (all = permutations(names)));
  return all[((i % all.length) + all.length) % all.length];
}

/**
 * Times each of `methods` (name -> async fn(input)) `iterations` times on the same inputs
 * (`nextInput()` once per round), interleaved call by call in a balanced order ({@link roundOrder})
 * so drift and load hit all alike, after a warm-up. Returns name -> { p50, p99 } in milliseconds.
 */
export async function interleaved(methods, iterations, nextInput) {
  const names = Object.keys(methods);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  const warmup = Math.max(3, Math.floor(iterations / 10));
  for (let i = -warmup; i < iterations; i++) {
    const input = nextInput();
    for (const name of roundOrder(names, i)) {
      const ms = await timeIt(() => methods[name](input));
      if (i >= 0) times[name].push(ms);
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const list = times[name].sort((a, b) => a - b);
      return [name, { p50: quantile(list, 0.5), p99: quantile(list, 0.99) }];
    }),
  );
}
