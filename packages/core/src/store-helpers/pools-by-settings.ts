/**
 * One pool per distinct connection settings, for a SQL store's driver: two
 * settings objects that are equal as JSON share one pool, created on first
 * use and kept until {@link PoolsBySettings.takeAll}. Driver-free: the store
 * hands in how to create its pool (or whatever it keeps per pool).
 */
export class PoolsBySettings<S extends object, P> {
  readonly #pools = new Map<string, P>();
  readonly #keys = new WeakMap<S, string>();
  readonly #create: (settings: S) => P;

  /** @param create - makes the pool for settings seen for the first time */
  constructor(create: (settings: S) => P) {
    this.#create = create;
  }

  /** The pool for `settings`, created on first use. */
  get(settings: S): P {
    let key = this.#keys.get(settings);
    if (key === undefined) {
      key = JSON.stringify(settings);
      this.#keys.set(settings, key);
    }
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      pool = this.#create(settings);
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /** Number of pools currently kept. */
  get size(): number {
    return this.#pools.size;
  }

  /** Every pool, forgotten here (the caller ends them); later calls of {@link get} create new ones. */
  takeAll(): P[] {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    return pools;
  }
}
