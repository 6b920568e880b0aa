import type { Registry, RegistryChange, RegistryDump, RegistrySnapshot } from '@feast-ts/core';

/**
 * A registry that answers requests from the last snapshot it read, and re-reads the underlying
 * registry in the background every `ttlSeconds` (Feast's feature server refreshes on a timer the
 * same way): a request never waits for a registry read, except the very first one of a project.
 * When a re-read fails the old snapshot keeps serving, and {@link healthy} turns false until a
 * read succeeds again.
 */
export class BackgroundRefreshRegistry implements Registry {
  readonly #inner: Registry;
  readonly #snapshots = new Map<string, RegistrySnapshot>();
  readonly #ttlMs: number;
  #timer: NodeJS.Timeout | undefined;
  #lastError: unknown;
  #refreshing: Promise<void> | undefined;
  #closed = false;

  constructor(
    inner: Registry,
    /** Seconds between background re-reads; 0: never (until {@link refresh}). */
    ttlSeconds: number,
    /** Told of every failed background read. */
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.#inner = inner;
    this.#ttlMs = ttlSeconds * 1000;
  }

  /** Whether the last read of the registry succeeded. */
  get healthy(): boolean {
    return this.#lastError === undefined;
  }

  /** The error of the last failed read, while it is the latest read. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Reads `project` now (so the first request does not wait), then starts the timer. */
  async start(project: string): Promise<void> {
    try {
      await this.load(project);
    } finally {
      this.#schedule();
    }
  }

  #schedule(): void {
    if (this.#closed || this.#ttlMs <= 0) return;
    // After a failure retry sooner than the ttl, so /health recovers quickly.
    const delay = this.#lastError === undefined ? this.#ttlMs : Math.min(this.#ttlMs, 5000);
    this.#timer = setTimeout(() => {
      void this.#reread().finally(() => this.#schedule());
    }, delay);
    this.#timer.unref();
  }

  /** Re-reads every project served so far; keeps the old snapshots when that fails. */
  #reread(): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        await this.#inner.refresh();
        for (const project of [...this.#snapshots.keys()]) this.#snapshots.set(project, await this.#inner.load(project));
        this.#lastError = undefined;
      } catch (err) {
        this.#lastError = err;
        this.onError(err);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** The snapshot requests are served from, once the project has been read (no promise to wait on). */
  loadCached(project: string): RegistrySnapshot | undefined {
    return this.#snapshots.get(project);
  }

  async load(project: string): Promise<RegistrySnapshot> {
    const snap = this.#snapshots.get(project);
    if (snap) return snap;
    try {
      const fresh = await this.#inner.load(project);
      this.#snapshots.set(project, fresh);
      this.#lastError = undefined;
      return fresh;
    } catch (err) {
      this.#lastError = err;
      throw err;
    }
  }

  async apply(project: string, changes: readonly RegistryChange[]): Promise<boolean> {
    const changed = await this.#inner.apply(project, changes);
    this.#snapshots.delete(project);
    return changed;
  }

  /** Re-reads the registry now (requests keep the old snapshot until the read finishes). */
  async refresh(): Promise<void> {
    await this.#reread();
  }

  listProjects(): Promise<string[]> {
    return this.#inner.listProjects();
  }

  dump(project: string): Promise<RegistryDump> {
    return this.#inner.dump(project);
  }

  /** Stops the timer (the underlying registry is closed by its owner). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#refreshing;
  }
}
