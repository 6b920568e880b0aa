import type { RepoConfig } from '../config/repo-config.js';
import type { FeatureView } from '../definitions/feature-view.js';
import { DriverOnlineStore } from '../store-driver/driver-online-store.js';
import type { MemoryDatabase, MemoryTable } from './memory-database.js';
import { MemoryDriver, type MemoryOnlineStoreConfig, type MemoryOnlineStoreOptions } from './memory-driver.js';

/**
 * The reference online store: Feast's data model (one table per view, one cell
 * per (entity, feature), keyed by the serialized entity key, values as
 * `feast.types.Value` bytes) in Maps, on core's row pipeline
 * ({@link DriverOnlineStore}). For tests, examples and trying feast-ts out;
 * data lives as long as the process.
 *
 * Use it in feature_store.yaml as `online_store: { type: "@feast-ts/core#MemoryOnlineStore" }`
 * (optionally `database:` to share tables between repos, and
 * `write_semantics: newest-event-wins`). Timestamps keep their milliseconds.
 * Every call waits one event-loop turn, as I/O would, and then applies a write
 * whole: writes are atomic.
 */
export class MemoryOnlineStore extends DriverOnlineStore<MemoryOnlineStoreConfig> {
  readonly #memory: MemoryDriver;

  constructor(options: MemoryOnlineStoreOptions = {}) {
    const driver = new MemoryDriver(options);
    super(driver);
    this.#memory = driver;
  }

  /** The in-memory database `config` names (its tables by name), to look at what was written. */
  database(config: RepoConfig<MemoryOnlineStoreConfig>): MemoryDatabase {
    return this.#memory.database(config);
  }

  /** The name of a view's table in the database. */
  tableName(config: RepoConfig<MemoryOnlineStoreConfig>, view: FeatureView): string {
    return this.#memory.tableName(config, view);
  }

  /** A view's stored table (hex entity key -> feature -> cell), or undefined before `update` created it. */
  storedTable(config: RepoConfig<MemoryOnlineStoreConfig>, view: FeatureView): MemoryTable | undefined {
    return this.database(config).get(this.tableName(config, view));
  }
}
