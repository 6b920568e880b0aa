/**
 * A correct, Map-based online store for testing the suite itself: state lives
 * in named in-memory "databases" shared by every instance in the process,
 * tables are `<project>_<view>`, rows are keyed by the serialized entity key
 * (Feast's bytes) and hold protobuf-encoded values, as real stores do.
 */
import {
  FeastConfigBaseModel,
  OnlineStore,
  OnlineStoreError,
  ValueProto,
  onlineTableName,
  serializeEntityKey,
  type Entity,
  type EntityKeyProto,
  type FeatureView,
  type OnlineReadRequest,
  type OnlineReadResult,
  type OnlineWriteRow,
  type ProgressCallback,
  type WriteSemantics,
  type RepoConfig,
} from '@feast-ts/core';
import { z } from 'zod';

/** Config schema, found by core as `<ClassName>Config`. */
export const InMemoryOnlineStoreConfig = FeastConfigBaseModel.extend({
  /** Which shared in-memory database to use. */
  database: z.string().min(1).default('default'),
});
export type InMemoryOnlineStoreConfig = z.infer<typeof InMemoryOnlineStoreConfig>;

/** One (entity, feature) row, as Feast's SQL stores keep it. */
export interface StoredFeature {
  value: Uint8Array;
  eventTs: number; // epoch seconds
  createdTs: number | null;
}
/** entity key hex -> feature name -> row */
export type Table = Map<string, Map<string, StoredFeature>>;
type Database = Map<string, Table>;

const STATE = Symbol.for('feast-ts.universal-tests.in-memory-databases');
const registry = ((globalThis as Record<symbol, unknown>)[STATE] ??= new Map<string, Database>()) as Map<string, Database>;

/** The named database (created on first use). */
export function databaseNamed(name: string): Database {
  let db = registry.get(name);
  if (!db) registry.set(name, (db = new Map()));
  return db;
}

/** Drops a named database. */
export function dropDatabase(name: string): void {
  registry.delete(name);
}

/** Lets other calls run, as a real driver's I/O would. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The reference store. Subclasses in broken-stores.ts override one behaviour each. */
export class InMemoryOnlineStore extends OnlineStore<InMemoryOnlineStoreConfig> {
  protected db(config: RepoConfig<InMemoryOnlineStoreConfig>): Database {
    return databaseNamed(config.onlineStore.database);
  }

  protected tableName(config: RepoConfig<InMemoryOnlineStoreConfig>, view: FeatureView): string {
    return onlineTableName(config.project, view);
  }

  protected keyOf(config: RepoConfig<InMemoryOnlineStoreConfig>, key: EntityKeyProto): string {
    return hex(serializeEntityKey(key, config.entityKeySerializationVersion));
  }

  protected table(config: RepoConfig<InMemoryOnlineStoreConfig>, view: FeatureView): Table {
    const table = this.db(config).get(this.tableName(config, view));
    if (!table) throw new OnlineStoreError('table_missing', `no such table: ${this.tableName(config, view)}`);
    return table;
  }

  async update(
    config: RepoConfig<InMemoryOnlineStoreConfig>,
    tablesToDelete: readonly FeatureView[],
    tablesToKeep: readonly FeatureView[],
    _entitiesToDelete: readonly Entity[],
    _entitiesToKeep: readonly Entity[],
    _partial: boolean,
  ): Promise<void> {
    await tick();
    const db = this.db(config);
    for (const view of tablesToDelete) db.delete(this.tableName(config, view));
    for (const view of tablesToKeep) if (!db.has(this.tableName(config, view))) db.set(this.tableName(config, view), new Map());
  }

  async teardown(config: RepoConfig<InMemoryOnlineStoreConfig>, tables: readonly FeatureView[], _entities: readonly Entity[]): Promise<void> {
    await tick();
    for (const view of tables) this.db(config).delete(this.tableName(config, view));
  }

  async onlineWriteBatch(
    config: RepoConfig<InMemoryOnlineStoreConfig>,
    view: FeatureView,
    data: readonly OnlineWriteRow[],
    progress?: ProgressCallback,
  ): Promise<void> {
    await tick();
    const table = this.table(config, view);
    // Encode everything first, then apply: all rows or none.
    const encoded = data.map(([key, features, eventTs, createdTs]) => ({
      key: this.keyOf(config, key),
      features: Object.entries(features).map(([name, value]) => [name, ValueProto.encode(value)] as const),
      eventTs: Math.floor(eventTs.getTime() / 1000),
      createdTs: createdTs ? Math.floor(createdTs.getTime() / 1000) : null,
    }));
    for (const row of encoded) {
      let stored = table.get(row.key);
      if (!stored) table.set(row.key, (stored = new Map()));
      for (const [name, value] of row.features) stored.set(name, { value, eventTs: row.eventTs, createdTs: row.createdTs });
    }
    progress?.(data.length);
  }

  async onlineRead(
    config: RepoConfig<InMemoryOnlineStoreConfig>,
    view: FeatureView,
    entityKeys: readonly EntityKeyProto[],
    requestedFeatures?: readonly string[],
  ): Promise<OnlineReadResult[]> {
    await tick();
    const table = this.table(config, view);
    const wanted = requestedFeatures ? new Set(requestedFeatures) : undefined;
    return entityKeys.map((key): OnlineReadResult => {
      const stored = table.get(this.keyOf(config, key));
      if (!stored || stored.size === 0) return [null, null];
      let ts = 0;
      const features: Record<string, ValueProto> = {};
      for (const [name, row] of stored) {
        ts = Math.max(ts, row.eventTs);
        if (!wanted || wanted.has(name)) features[name] = ValueProto.decode(row.value);
      }
      return [new Date(ts * 1000), features];
    });
  }
}

/**
 * The reference store with Feast's Redis write rule: a row not newer than the
 * stored one (or than an earlier row of its key in the batch) is skipped.
 */
export class NewestEventWinsOnlineStore extends InMemoryOnlineStore {
  override writeSemantics(): WriteSemantics {
    return 'newest-event-wins';
  }

  override async onlineWriteBatch(
    config: RepoConfig<InMemoryOnlineStoreConfig>,
    view: FeatureView,
    data: readonly OnlineWriteRow[],
    progress?: ProgressCallback,
  ): Promise<void> {
    const table = this.table(config, view);
    const newest = new Map<string, number>();
    for (const [key] of data) {
      const k = this.keyOf(config, key);
      const stored = table.get(k);
      if (!newest.has(k)) newest.set(k, stored && stored.size > 0 ? Math.max(...[...stored.values()].map((r) => r.eventTs)) : -Infinity);
    }
    const kept = data.filter(([key, , eventTs]) => {
      const k = this.keyOf(config, key);
      const ts = Math.floor(eventTs.getTime() / 1000);
      if (ts <= newest.get(k)!) return false;
      newest.set(k, ts);
      return true;
    });
    await super.onlineWriteBatch(config, view, kept);
    progress?.(data.length);
  }
}
export const NewestEventWinsOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** The reference store with the optional `onlineReadMany` capability (one pass over several views). */
export class ReadManyOnlineStore extends InMemoryOnlineStore {
  override async onlineReadMany(config: RepoConfig<InMemoryOnlineStoreConfig>, requests: readonly OnlineReadRequest[]): Promise<OnlineReadResult[][]> {
    const results: OnlineReadResult[][] = [];
    for (const r of requests) results.push(await this.onlineRead(config, r.table, r.entityKeys, r.requestedFeatures));
    return results;
  }
}
export const ReadManyOnlineStoreConfig = InMemoryOnlineStoreConfig;
