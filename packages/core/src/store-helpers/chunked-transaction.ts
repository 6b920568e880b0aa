import type { CellProgress } from '../store-driver/driver.js';

/** The statements of a write transaction, for {@link runChunkedTransaction}. */
export interface ChunkedTransaction<Chunk extends { readonly cellsEnd: number }> {
  /** Starts the transaction. */
  begin(): Promise<unknown>;
  /** Called once the transaction has begun: from here a lost connection must not re-run the work. */
  markStarted?(): void;
  /** Runs one chunk's statement. */
  run(chunk: Chunk): Promise<unknown>;
  /** Commits. */
  commit(): Promise<unknown>;
  /** Rolls back after `err` (never throws: a dead connection is rolled back by the server). */
  rollback(err: unknown): Promise<void>;
  /** The `index`-th chunk, `undefined` past the last: built while the previous one runs. */
  chunkAt(index: number): Chunk | undefined;
}

/** How often and when {@link runChunkedTransaction} runs a rolled-back transaction again. */
export interface TransactionRetry {
  /** Most times the transaction runs. */
  readonly attempts: number;
  /** True for an error after which the rolled-back transaction may simply run again (deadlock victim). */
  isRetryable(err: unknown): boolean;
}

/**
 * Runs the chunks of one write in one transaction, building the next chunk
 * while the database runs the current one and reporting `progress` (cells
 * written) after each; on a retryable failure (a deadlock victim, rolled back
 * whole) waits a little and runs the whole transaction again. Driver-free:
 * the MySQL and PostgreSQL drivers hand in their statements.
 */
export async function runChunkedTransaction<Chunk extends { readonly cellsEnd: number }>(
  tx: ChunkedTransaction<Chunk>,
  progress: CellProgress,
  retry: TransactionRetry,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await tx.begin();
    tx.markStarted?.();
    try {
      let chunk = tx.chunkAt(0);
      for (let i = 0; chunk !== undefined; i++) {
        const running = tx.run(chunk);
        let next: Chunk | undefined;
        let buildError: unknown;
        try {
          next = tx.chunkAt(i + 1);
        } catch (err) {
          buildError = err;
        }
        await running;
        if (buildError !== undefined) throw buildError;
        progress(chunk.cellsEnd);
        chunk = next;
      }
      await tx.commit();
      return;
    } catch (err) {
      await tx.rollback(err);
      if (attempt < retry.attempts && retry.isRetryable(err)) {
        await new Promise((resolve) => setTimeout(resolve, attempt * (5 + Math.random() * 20)));
        continue;
      }
      throw err;
    }
  }
}
