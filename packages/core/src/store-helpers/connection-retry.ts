/** Options of {@link withConnection}. */
export interface ConnectionRunOptions {
  /**
   * True when the whole unit of work may run again after a lost connection
   * (reads, DDL). False for writes: they run again only when the connection was
   * lost before the work called `markStarted()` (before its transaction began).
   */
  readonly idempotent: boolean;
}

/** How {@link withConnection} gets, prepares and gives back one pooled connection of a driver. */
export interface ConnectionOps<C> {
  /** A connection from the pool. */
  acquire(): Promise<C>;
  /** Per-connection setup before the work (session settings); its failure counts as the work's. */
  prepare?(conn: C): Promise<void>;
  /** Gives the connection back; `failure` is the error of the work, if any (a driver destroys a lost connection). */
  release(conn: C, failure: unknown): void;
  /** True when `err` means the connection died under the call (server restart, killed session, reset socket). */
  isLost(err: unknown): boolean;
}

/**
 * Runs `work` on a pooled connection and gives it back. When the connection
 * turns out to be dead, the work runs once more on a fresh one, provided that
 * is safe (see {@link ConnectionRunOptions.idempotent}). Driver-free: a SQL
 * store hands in its pool's operations.
 */
export async function withConnection<C, T>(
  ops: ConnectionOps<C>,
  work: (conn: C, markStarted: () => void) => Promise<T>,
  options: ConnectionRunOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let conn: C | undefined;
    let acquired = false;
    let started = false;
    try {
      conn = await ops.acquire();
      acquired = true;
      await ops.prepare?.(conn);
      const result = await work(conn, () => {
        started = true;
      });
      ops.release(conn, undefined);
      return result;
    } catch (err) {
      if (acquired) ops.release(conn as C, err);
      if (attempt === 0 && ops.isLost(err) && (options.idempotent || !started)) continue;
      throw err;
    }
  }
}
