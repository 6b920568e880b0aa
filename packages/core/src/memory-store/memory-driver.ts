import { z } from 'zod';
import { FeastConfigBaseModel } from '../config/base-model.js';
import type { RepoConfig } from '../config/repo-config.js';
import type { FeatureView } from '../definitions/feature-view.js';
import { OnlineStoreError } from '../errors.js';
import { onlineTableName, type WriteSemantics } from '../online-store.js';
import type { CellProgress, DriverLimits, DriverSite, FetchRequest, FetchSink, StoreDriver } from '../store-driver/driver.js';
import type { EncodedWrite } from '../store-driver/encoded-write.js';
import { memoryDatabase, type MemoryCell, type MemoryDatabase, type MemoryTable } from './memory-database.js';

/** Config of {@link MemoryOnlineStore} (`online_store:` in feature_store.yaml). */
export const MemoryOnlineStoreConfig = FeastConfigBaseModel.extend({
  /**
   * The in-memory database to use: stores of one process naming the same database share
   * its tables. Without it, each feature repo (its directory) has a database of its own.
   */
  database: z.string().min(1).optional(),
  /** `last-write-wins` (upserts, as Feast's SQL stores; the default) or `newest-event-wins` (Feast's Redis rule). */
  write_semantics: z.enum(['last-write-wins', 'newest-event-wins']).optional(),
});
/** Parsed {@link MemoryOnlineStoreConfig}. */
export type MemoryOnlineStoreConfig = z.infer<typeof MemoryOnlineStoreConfig>;

/** Options of a {@link MemoryOnlineStore} (for subclasses and tests; `new MemoryOnlineStore()` needs none). */
export interface MemoryOnlineStoreOptions {
  /** What the store refuses to hold, checked by core (say, MySQL's TIMESTAMP range, to test a refusal). */
  readonly limits?: DriverLimits;
  /** The write semantics when the config sets none (default `last-write-wins`). */
  readonly writeSemantics?: WriteSemantics;
  /** How a view's table is named (default: Feast's `<project>_<view>`, see `onlineTableName`). */
  readonly tableName?: (config: RepoConfig<MemoryOnlineStoreConfig>, view: FeatureView) => string;
}

/** Lets other calls run, as a real driver's I/O would. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The driver of {@link MemoryOnlineStore}: tables of Maps in named in-memory databases. */
export class MemoryDriver implements StoreDriver<MemoryOnlineStoreConfig> {
  readonly writeOptions = { order: 'input' } as const;
  readonly limits: DriverLimits | undefined;
  readonly #writeSemantics: WriteSemantics;
  readonly #tableName: (config: RepoConfig<MemoryOnlineStoreConfig>, view: FeatureView) => string;

  constructor(options: MemoryOnlineStoreOptions = {}) {
    this.limits = options.limits;
    this.#writeSemantics = options.writeSemantics ?? 'last-write-wins';
    this.#tableName = options.tableName ?? ((config, view) => onlineTableName(config, view));
  }

  /** The database `config` names. */
  database(config: RepoConfig<MemoryOnlineStoreConfig>): MemoryDatabase {
    return memoryDatabase(config.onlineStore.database ?? `repo:${config.repoPath}`);
  }

  /** The name of a view's table. */
  tableName(config: RepoConfig<MemoryOnlineStoreConfig>, view: FeatureView): string {
    return this.#tableName(config, view);
  }

  #table(config: RepoConfig<MemoryOnlineStoreConfig>, view: FeatureView, site: DriverSite): MemoryTable {
    const name = (site.table = this.tableName(config, view));
    const table = this.database(config).get(name);
    if (!table) {
      throw new OnlineStoreError('table_missing', `MemoryOnlineStore has no table "${name}": run \`feast-ts apply\` (FeatureStore.apply) to create it first.`);
    }
    return table;
  }

  writeSemantics(config: RepoConfig<MemoryOnlineStoreConfig>): WriteSemantics {
    return config.onlineStore.write_semantics ?? this.#writeSemantics;
  }

  async ensureTables(config: RepoConfig<MemoryOnlineStoreConfig>, keep: readonly FeatureView[], drop: readonly FeatureView[]): Promise<void> {
    await tick();
    const db = this.database(config);
    for (const view of drop) db.delete(this.tableName(config, view));
    for (const view of keep) {
      const name = this.tableName(config, view);
      if (!db.has(name)) db.set(name, new Map());
    }
  }

  async dropTables(config: RepoConfig<MemoryOnlineStoreConfig>, views: readonly FeatureView[]): Promise<void> {
    await tick();
    const db = this.database(config);
    for (const view of views) db.delete(this.tableName(config, view));
  }

  /** Applies every cell at once after one tick: writes are atomic, as a transaction is. */
  async upsert(config: RepoConfig<MemoryOnlineStoreConfig>, view: FeatureView, write: EncodedWrite, progress: CellProgress, site: DriverSite): Promise<void> {
    await tick();
    const table = this.#table(config, view, site);
    const keys = write.rowKey.map((k) => k.toString('hex'));
    const skip = this.writeSemantics(config) === 'newest-event-wins' ? staleRows(table, keys, write.rowEventMs) : undefined;
    for (let c = 0; c < write.cellCount; c++) {
      const row = write.cellRow[c]!;
      if (skip?.[row]) continue;
      let cells = table.get(keys[row]!);
      if (!cells) table.set(keys[row]!, (cells = new Map()));
      const created = write.rowCreatedMs[row]!;
      cells.set(write.cellFeature[c]!, { value: write.cellValue[c]!, eventMs: write.rowEventMs[row]!, createdMs: Number.isNaN(created) ? null : created });
    }
    progress(write.cellCount);
  }

  async fetch(config: RepoConfig<MemoryOnlineStoreConfig>, view: FeatureView, request: FetchRequest, sink: FetchSink, site: DriverSite): Promise<void> {
    await tick();
    const table = this.#table(config, view, site);
    request.keys.forEach((key, i) => {
      const cells = table.get(key.toString('hex'));
      if (cells) for (const [name, cell] of cells) sink.row(i, name, cell.value, cell.eventMs);
    });
  }

  /** Nothing here fails as a database does: errors pass unchanged. */
  classify(err: unknown): unknown {
    return err;
  }

  close(): void {}
}

/** Under newest-event-wins, which input rows to skip: not newer than what the key holds (or an earlier row of the batch wrote). */
function staleRows(table: MemoryTable, keys: readonly string[], eventMs: Float64Array): boolean[] {
  const newest = new Map<string, number>();
  return keys.map((key, i) => {
    let latest = newest.get(key);
    if (latest === undefined) {
      latest = -Infinity;
      for (const cell of table.get(key)?.values() ?? []) latest = Math.max(latest, (cell as MemoryCell).eventMs);
    }
    const stale = eventMs[i]! <= latest;
    newest.set(key, stale ? latest : eventMs[i]!);
    return stale;
  });
}
