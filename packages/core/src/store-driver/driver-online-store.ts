import type { OnlineStoreConfig, RepoConfig } from '../config/repo-config.js';
import type { Entity } from '../definitions/entity.js';
import type { FeatureView } from '../definitions/feature-view.js';
import type { EntityKeySerializationVersion } from '../entity-key/serialize.js';
import { isFeastError } from '../errors.js';
import { OnlineStore, type OnlineReadResult, type OnlineWriteRow, type ProgressCallback, type WriteSemantics } from '../online-store.js';
import type { EntityKeyProto } from '../proto/value.js';
import type { DriverSite, StoreDriver } from './driver.js';
import { encodeWrite, type EncodedWrite } from './encoded-write.js';
import { ReadCollector } from './read-collector.js';
import { readFeatures } from './read-features.js';
import { readKeys } from './read-keys.js';

/** Turns a driver's cumulative cell counts into input-row progress whose counts add up to the rows written. */
function rowProgress(write: EncodedWrite, progress: ProgressCallback | undefined): { cells: (n: number) => void; finish: () => void } {
  let reported = 0;
  const report = (rows: number): void => {
    if (progress && rows > reported) {
      const delta = rows - reported;
      reported = rows;
      progress(delta);
    }
  };
  return {
    cells: (n) => {
      if (n > 0) report(write.rowsDoneAt[Math.min(n, write.cellCount) - 1]!);
    },
    finish: () => report(write.rowCount),
  };
}

/**
 * An {@link OnlineStore} built on a {@link StoreDriver}: the row pipeline every
 * such store shares, done once here. A store subclasses it and hands its driver
 * to the constructor:
 *
 * ```ts
 * export class MyOnlineStore extends DriverOnlineStore<MyOnlineStoreConfig> {
 *   constructor() { super(new MyDriver()); }
 * }
 * ```
 *
 * What it does for the driver: serializes entity keys (with the driver's
 * serialization version) and deduplicates them for reads, aligning results with
 * the input keys (duplicates included, each with its own features object);
 * checks every write row (shape, valid Dates, the driver's {@link DriverLimits})
 * and encodes its values before the driver sees any, so a bad row writes nothing;
 * decodes and checks what the driver returns; names the view, row and feature
 * in input errors and hands database errors to the driver's `classify`; reports
 * progress in input rows that add up to the rows written.
 */
export class DriverOnlineStore<C extends OnlineStoreConfig = OnlineStoreConfig> extends OnlineStore<C> {
  /** The driver this store runs on. */
  protected readonly driver: StoreDriver<C>;

  constructor(driver: StoreDriver<C>) {
    super();
    this.driver = driver;
  }

  /** The store's name in messages: its class name. */
  protected get storeName(): string {
    return this.constructor.name;
  }

  #version(config: RepoConfig<C>): EntityKeySerializationVersion {
    return this.driver.keySerializationVersion?.(config) ?? config.entityKeySerializationVersion;
  }

  #fail(err: unknown, site: DriverSite, config: RepoConfig<C>): unknown {
    return isFeastError(err) ? err : this.driver.classify(err, site, config);
  }

  /** Calls the driver's `ensureTables` for the views to keep and to drop (nothing when both are empty). */
  override async update(
    config: RepoConfig<C>,
    tablesToDelete: readonly FeatureView[],
    tablesToKeep: readonly FeatureView[],
    _entitiesToDelete: readonly Entity[],
    _entitiesToKeep: readonly Entity[],
    _partial: boolean,
  ): Promise<void> {
    if (tablesToKeep.length === 0 && tablesToDelete.length === 0) return;
    const site: DriverSite = { action: 'update' };
    try {
      await this.driver.ensureTables(config, tablesToKeep, tablesToDelete, site);
    } catch (err) {
      throw this.#fail(err, site, config);
    }
  }

  /** Calls the driver's `dropTables` (nothing when `tables` is empty). */
  override async teardown(config: RepoConfig<C>, tables: readonly FeatureView[], _entities: readonly Entity[]): Promise<void> {
    if (tables.length === 0) return;
    const site: DriverSite = { action: 'drop' };
    try {
      await this.driver.dropTables(config, tables, site);
    } catch (err) {
      throw this.#fail(err, site, config);
    }
  }

  /**
   * Checks and encodes every row, then has the driver upsert them in one atomic
   * call. Rows without features write nothing; `progress` receives input-row
   * counts that add up to `data.length`.
   */
  override async onlineWriteBatch(config: RepoConfig<C>, table: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    if (data.length === 0) return;
    const write = encodeWrite(table, data, this.#version(config), this.driver.writeOptions, this.driver.limits);
    const rows = rowProgress(write, progress);
    if (write.cellCount > 0) {
      const site: DriverSite = { action: 'write to', view: table, largest: write.largest };
      try {
        await this.driver.upsert(config, table, write, rows.cells, site);
      } catch (err) {
        throw this.#fail(err, site, config);
      }
    }
    rows.finish();
  }

  /**
   * Has the driver fetch the rows of the distinct keys, then returns one result
   * per input key, in order: `[latest event time, features]`, or `[null, null]`
   * for a key with no rows. Only `requestedFeatures` are returned when given.
   */
  override async onlineRead(
    config: RepoConfig<C>,
    table: FeatureView,
    entityKeys: readonly EntityKeyProto[],
    requestedFeatures?: readonly string[],
  ): Promise<OnlineReadResult[]> {
    if (entityKeys.length === 0) return [];
    const keys = readKeys(table, entityKeys, this.#version(config));
    const wanted = requestedFeatures === undefined ? undefined : readFeatures(table, requestedFeatures);
    if (wanted !== undefined && wanted.wanted.length === 0) return entityKeys.map((): OnlineReadResult => [null, null]);
    const site: DriverSite = { action: 'read from', view: table };
    const sink = new ReadCollector(keys.distinct.length, wanted?.wantedSet, table, site, this.storeName);
    try {
      await this.driver.fetch(config, table, { keys: keys.distinct, features: wanted?.filter }, sink, site);
    } catch (err) {
      throw this.#fail(err, site, config);
    }
    return sink.results(keys.positions);
  }

  /** The driver's write semantics, `last-write-wins` unless it says otherwise. */
  override writeSemantics(config: RepoConfig<C>): WriteSemantics {
    return this.driver.writeSemantics?.(config) ?? 'last-write-wins';
  }

  /** Closes the driver's connections (it reconnects on its next call). */
  override async close(): Promise<void> {
    await this.driver.close();
  }
}
