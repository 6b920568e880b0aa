/**
 * Deliberately broken variants of the reference store, one bug each. The
 * suite must fail for every one of them (see broken-stores.test.ts).
 */
import {
  OnlineStoreError,
  serializeEntityKey,
  type Entity,
  type EntityKeyProto,
  type FeatureView,
  type OnlineReadRequest,
  type OnlineReadResult,
  type OnlineWriteRow,
  type ProgressCallback,
  type RepoConfig,
  type WriteSemantics,
} from '@feast-ts/core';
import { InMemoryOnlineStore, InMemoryOnlineStoreConfig, NewestEventWinsOnlineStore, tick } from './in-memory-online-store.js';

type Config = RepoConfig<InMemoryOnlineStoreConfig>;

/** Returns read results in reverse order. */
export class ReversedResultsOnlineStore extends InMemoryOnlineStore {
  override async onlineRead(config: Config, view: FeatureView, keys: readonly EntityKeyProto[], requested?: readonly string[]): Promise<OnlineReadResult[]> {
    return (await super.onlineRead(config, view, keys, requested)).reverse();
  }
}
export const ReversedResultsOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Silently drops the last row of every batch of two or more rows (but reports it as written). */
export class DroppedRowOnlineStore extends InMemoryOnlineStore {
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    await super.onlineWriteBatch(config, view, data.length > 1 ? data.slice(0, -1) : data);
    progress?.(data.length);
  }
}
export const DroppedRowOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** CREATE TABLE without IF NOT EXISTS: a second update of the same view throws. */
export class NonIdempotentUpdateOnlineStore extends InMemoryOnlineStore {
  override async update(config: Config, del: readonly FeatureView[], keep: readonly FeatureView[], ed: readonly Entity[], ek: readonly Entity[], partial: boolean): Promise<void> {
    for (const view of keep) {
      if (this.database(config).has(this.tableName(config, view))) throw new OnlineStoreError('query_failed', `table ${this.tableName(config, view)} already exists`);
    }
    await super.update(config, del, keep, ed, ek, partial);
  }
}
export const NonIdempotentUpdateOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Re-creates (empties) every kept table on update: a second apply loses the data. */
export class ClearingUpdateOnlineStore extends InMemoryOnlineStore {
  override async update(config: Config, del: readonly FeatureView[], keep: readonly FeatureView[], ed: readonly Entity[], ek: readonly Entity[], partial: boolean): Promise<void> {
    for (const view of keep) this.database(config).delete(this.tableName(config, view));
    await super.update(config, del, keep, ed, ek, partial);
  }
}
export const ClearingUpdateOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Names tables after the view only, so projects share them. */
export class SharedTablesOnlineStore extends InMemoryOnlineStore {
  constructor() {
    super({ tableName: (_config, view) => view.name });
  }
}
export const SharedTablesOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Returns every feature whatever requestedFeatures says. */
export class IgnoresRequestedFeaturesOnlineStore extends InMemoryOnlineStore {
  override async onlineRead(config: Config, view: FeatureView, keys: readonly EntityKeyProto[]): Promise<OnlineReadResult[]> {
    return super.onlineRead(config, view, keys);
  }
}
export const IgnoresRequestedFeaturesOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Writes one (entity, feature) at a time with I/O in between and no transaction: concurrent writes tear rows. */
export class TornWritesOnlineStore extends InMemoryOnlineStore {
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    for (const [key, features, eventTs, createdTs] of data) {
      for (const [name, value] of Object.entries(features)) {
        await tick();
        await super.onlineWriteBatch(config, view, [[key, { [name]: value }, eventTs, createdTs]]);
      }
      progress?.(1);
    }
  }
}
export const TornWritesOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** teardown() does nothing. */
export class LeakyTeardownOnlineStore extends InMemoryOnlineStore {
  override async teardown(): Promise<void> {}
}
export const LeakyTeardownOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Ignores tablesToDelete in update(). */
export class IgnoresDeletesOnlineStore extends InMemoryOnlineStore {
  override async update(config: Config, _del: readonly FeatureView[], keep: readonly FeatureView[], ed: readonly Entity[], ek: readonly Entity[], partial: boolean): Promise<void> {
    await super.update(config, [], keep, ed, ek, partial);
  }
}
export const IgnoresDeletesOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Keys rows by JSON with int64 values turned into (lossy) numbers: keys beyond 2^53 collide. */
export class LossyInt64KeysOnlineStore extends InMemoryOnlineStore {
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    await super.onlineWriteBatch(config, view, data.map(([key, ...rest]): OnlineWriteRow => [lossy(key), ...rest]), progress);
  }

  override async onlineRead(config: Config, view: FeatureView, keys: readonly EntityKeyProto[], requested?: readonly string[]): Promise<OnlineReadResult[]> {
    return super.onlineRead(config, view, keys.map(lossy), requested);
  }
}
/** The key with every int64 value sent through a (lossy) number. */
function lossy(key: EntityKeyProto): EntityKeyProto {
  return { ...key, entityValues: key.entityValues.map((v) => (v.int64Val !== undefined ? { int64Val: BigInt(Number(v.int64Val)) } : v)) };
}
export const LossyInt64KeysOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Reports progress per (entity, feature) instead of per row. */
export class WrongProgressOnlineStore extends InMemoryOnlineStore {
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    await super.onlineWriteBatch(config, view, data);
    for (const [, features] of data) progress?.(Object.keys(features).length);
  }
}
export const WrongProgressOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Keeps the first event timestamp when a row is overwritten. */
export class StaleTimestampOnlineStore extends InMemoryOnlineStore {
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    const table = this.storedTable(config, view);
    const hex = (key: EntityKeyProto): string => Buffer.from(serializeEntityKey(key, config.entityKeySerializationVersion)).toString('hex');
    const firstTs = new Map(data.map(([key]) => [hex(key), table?.get(hex(key)) ? [...table.get(hex(key))!.values()][0]?.eventMs : undefined] as const));
    await super.onlineWriteBatch(config, view, data, progress);
    for (const [k, ts] of firstTs) if (ts !== undefined) for (const cell of table!.get(k)!.values()) cell.eventMs = ts;
  }
}
export const StaleTimestampOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Drops null features (nullVal / empty Value) on write. */
export class DropsNullsOnlineStore extends InMemoryOnlineStore {
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    const filtered = data.map(([key, features, ts, created]): OnlineWriteRow => [
      key,
      Object.fromEntries(Object.entries(features).filter(([, v]) => Object.values(v).some((m) => m !== undefined && m !== null) && v.nullVal === undefined)),
      ts,
      created,
    ]);
    await super.onlineWriteBatch(config, view, filtered, progress);
  }
}
export const DropsNullsOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Truncates string values to 255 UTF-16 code units (like a VARCHAR(255) column), splitting surrogate pairs. */
export class TruncatingOnlineStore extends InMemoryOnlineStore {
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    const truncated = data.map(([key, features, ts, created]): OnlineWriteRow => [
      key,
      Object.fromEntries(Object.entries(features).map(([n, v]) => [n, typeof v.stringVal === 'string' ? { stringVal: v.stringVal.slice(0, 255) } : v])),
      ts,
      created,
    ]);
    await super.onlineWriteBatch(config, view, truncated, progress);
  }
}
export const TruncatingOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Declares Feast's newest-event-wins rule but upserts every row (last write wins). */
export class ClaimsNewestWinsOnlineStore extends InMemoryOnlineStore {
  override writeSemantics(): WriteSemantics {
    return 'newest-event-wins';
  }
}
export const ClaimsNewestWinsOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Skips stale writes (newest event wins) without declaring it, so it claims last-write-wins. */
export class UndeclaredNewestWinsOnlineStore extends NewestEventWinsOnlineStore {
  override writeSemantics(): WriteSemantics {
    return 'last-write-wins';
  }
}
export const UndeclaredNewestWinsOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Writes each row in its own step (no transaction): a row that fails leaves the rows before it written. */
export class NonAtomicWritesOnlineStore extends InMemoryOnlineStore {
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    for (const row of data) {
      await super.onlineWriteBatch(config, view, [row]);
      progress?.(1);
    }
  }
}
export const NonAtomicWritesOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Lets the driver's own error through for a table that update() never created (no typed error). */
export class UntypedMissingTableOnlineStore extends InMemoryOnlineStore {
  override async onlineRead(config: Config, view: FeatureView, keys: readonly EntityKeyProto[], requested?: readonly string[]): Promise<OnlineReadResult[]> {
    if (!this.storedTable(config, view)) throw new Error(`SQLITE_ERROR: no such table: ${this.tableName(config, view)}`);
    return super.onlineRead(config, view, keys, requested);
  }
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    if (!this.storedTable(config, view)) throw new Error(`SQLITE_ERROR: no such table: ${this.tableName(config, view)}`);
    return super.onlineWriteBatch(config, view, data, progress);
  }
}
export const UntypedMissingTableOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Maps a missing table to the wrong kind (`query_failed`), as a driver error mapping may. */
export class MissingTableWrongKindOnlineStore extends InMemoryOnlineStore {
  override async onlineRead(config: Config, view: FeatureView, keys: readonly EntityKeyProto[], requested?: readonly string[]): Promise<OnlineReadResult[]> {
    if (!this.storedTable(config, view)) throw new OnlineStoreError('query_failed', `Table ${this.tableName(config, view)} doesn't exist`);
    return super.onlineRead(config, view, keys, requested);
  }
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    if (!this.storedTable(config, view)) throw new OnlineStoreError('query_failed', `Table ${this.tableName(config, view)} doesn't exist`);
    return super.onlineWriteBatch(config, view, data, progress);
  }
}
export const MissingTableWrongKindOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** While close() runs, calls fail with the driver's untyped "pool is closed". */
export class UntypedClosedPoolOnlineStore extends InMemoryOnlineStore {
  #closing = false;
  override async close(): Promise<void> {
    this.#closing = true;
    await tick();
    await tick();
    this.#closing = false;
  }
  override async onlineRead(config: Config, view: FeatureView, keys: readonly EntityKeyProto[], requested?: readonly string[]): Promise<OnlineReadResult[]> {
    if (this.#closing) throw new Error('Pool is closed.');
    return super.onlineRead(config, view, keys, requested);
  }
  override async onlineWriteBatch(config: Config, view: FeatureView, data: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void> {
    if (this.#closing) throw new Error('Pool is closed.');
    return super.onlineWriteBatch(config, view, data, progress);
  }
}
export const UntypedClosedPoolOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Keeps every view of a project in one table keyed by entity, so views sharing a feature name overwrite each other. */
export class SharedEntityRowsOnlineStore extends InMemoryOnlineStore {
  constructor() {
    super({ tableName: (config) => `${config.project}__all_views` });
  }
}
export const SharedEntityRowsOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** Has onlineReadMany, but answers every request with the first request's view. */
export class FirstViewReadManyOnlineStore extends InMemoryOnlineStore {
  override async onlineReadMany(config: Config, requests: readonly OnlineReadRequest[]): Promise<OnlineReadResult[][]> {
    const first = requests[0];
    return Promise.all(requests.map((r) => this.onlineRead(config, first?.table ?? r.table, r.entityKeys, r.requestedFeatures)));
  }
}
export const FirstViewReadManyOnlineStoreConfig = InMemoryOnlineStoreConfig;
