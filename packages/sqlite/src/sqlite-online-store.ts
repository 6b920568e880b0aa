import { existsSync } from 'node:fs';
import {
  EntityKeySerializationError,
  OnlineStore,
  OnlineStoreError,
  ValueConversionError,
  ValueProto,
  serializeEntityKey,
  type Entity,
  type EntityKeyProto,
  type FeatureView,
  type OnlineReadResult,
  type OnlineWriteRow,
  type ProgressCallback,
  type RepoConfig,
} from '@feast-ts/core';
import { IN_MEMORY_PATH, resolveDbPath, type SqliteOnlineStoreConfig } from './config.js';
import { SqliteConnections, type SqliteHandle } from './connections.js';
import { toStoreError } from './errors.js';
import { createIndexSql, createTableSql, dropTableSql, selectSql, upsertSql } from './sql.js';
import { sqliteTableName } from './table-name.js';
import { parseStoredTimestamp, toEpochSeconds } from './timestamps.js';

/**
 * Entity keys per SELECT: two parameters each (number and key), plus up to 256
 * feature names, stays under SQLite's smallest default variable limit (999).
 */
const KEYS_PER_QUERY = 256;
/** Above this many requested features the filter is applied in JavaScript instead of SQL. */
const MAX_SQL_FEATURE_FILTER = 256;
/** Progress is reported after this many entity rows (and once more for the rest). */
const PROGRESS_EVERY = 1000;

/** Rounds up to a power of two, so a table needs few distinct prepared SELECTs. */
function bucket(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

/** Pads `items` to `size` by repeating its last element (harmless inside `IN (...)`). */
function padded<T>(items: T[], size: number): T[] {
  const out = items.slice();
  while (out.length < size) out.push(items[items.length - 1]!);
  return out;
}

/** A key no row has (serialized entity keys are never empty): pads a read's key list. */
const NO_KEY = Buffer.alloc(0);

/** The `(number, key)` parameters of a read of `keys` (distinct keys numbered from `first`), padded to `size` pairs. */
function numberedKeys(keys: readonly Buffer[], first: number, size: number): Array<number | Buffer> {
  const params = new Array<number | Buffer>(size * 2);
  for (let j = 0; j < size; j++) {
    params[2 * j] = j < keys.length ? first + j : -1;
    params[2 * j + 1] = j < keys.length ? keys[j]! : NO_KEY;
  }
  return params;
}

function withRowContext(err: unknown, context: string): unknown {
  if (err instanceof EntityKeySerializationError) return new EntityKeySerializationError(`${context}: ${err.message}`, err);
  if (err instanceof ValueConversionError) return new ValueConversionError(`${context}: ${err.message}`, err);
  return err;
}

/** What one entity's rows add up to while a read groups them. */
interface EntityRows {
  ts: number | null;
  features: Record<string, ValueProto>;
}

/**
 * Feast's SQLite online store for TypeScript, on better-sqlite3: one table per
 * feature view named `<project>_<view>`, one row per (entity, feature), in
 * exactly the layout Python Feast uses, so either side reads what the other
 * wrote.
 *
 * Each store instance keeps one connection per database file (opened on first
 * use, WAL mode) and caches its prepared statements; {@link close} releases
 * them. Calls run synchronously on the calling thread (better-sqlite3), which
 * is the fastest way to use an embedded database.
 */
export class SqliteOnlineStore extends OnlineStore<SqliteOnlineStoreConfig> {
  /** Project names prefix table names, so they are limited to letters, digits and underscores. */
  static override readonly projectNamePattern = {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_]*$/,
    description: 'SQLite table names are <project>_<view>, so use letters, digits and underscores (no hyphens)',
  };

  readonly #connections = new SqliteConnections();

  /**
   * Creates the table and its `<table>_ek` index for each view to keep (if
   * missing) and drops the tables of views to delete, in one transaction.
   * Running it again changes nothing. Entities need no storage of their own.
   */
  override async update(
    config: RepoConfig<SqliteOnlineStoreConfig>,
    tablesToDelete: readonly FeatureView[],
    tablesToKeep: readonly FeatureView[],
    _entitiesToDelete: readonly Entity[],
    _entitiesToKeep: readonly Entity[],
    _partial: boolean,
  ): Promise<void> {
    const keep = tablesToKeep.map((view) => sqliteTableName(config, view));
    const drop = tablesToDelete.map((view) => sqliteTableName(config, view));
    if (keep.length === 0 && drop.length === 0) return;
    const steps = keep.flatMap((table): Array<[string, string]> => [[table, createTableSql(table)], [table, createIndexSql(table)]]);
    for (const table of drop) steps.push([table, dropTableSql(table)]);
    this.#runDdl(resolveDbPath(config), 'create or drop', steps);
  }

  /**
   * Drops the tables of these views (data and index). Nothing else in the
   * database file is touched, and a file that does not exist is not created.
   */
  override async teardown(
    config: RepoConfig<SqliteOnlineStoreConfig>,
    tables: readonly FeatureView[],
    _entities: readonly Entity[],
  ): Promise<void> {
    const names = tables.map((view) => sqliteTableName(config, view));
    const file = resolveDbPath(config);
    if (names.length === 0) return;
    if (file !== IN_MEMORY_PATH && !this.#connections.peek(file) && !existsSync(file)) return;
    this.#runDdl(file, 'drop', names.map((table): [string, string] => [table, dropTableSql(table)]));
  }

  /**
   * Upserts every (entity, feature) of `data` in one transaction: either all
   * rows are written or, when any row fails (a bad value, a bad key, a SQLite
   * error), none is. Timestamps are stored as integer Unix epoch seconds.
   * `progress` receives entity-row counts that add up to `data.length`.
   */
  override async onlineWriteBatch(
    config: RepoConfig<SqliteOnlineStoreConfig>,
    table: FeatureView,
    data: readonly OnlineWriteRow[],
    progress?: ProgressCallback,
  ): Promise<void> {
    const tableName = sqliteTableName(config, table);
    const file = resolveDbPath(config);
    if (data.length === 0) return;
    const version = config.entityKeySerializationVersion;
    try {
      const handle = this.#connections.get(file);
      const upsert = this.#connections.statement(handle, upsertSql(tableName));
      handle.db.transaction(() => {
        let pending = 0;
        for (let i = 0; i < data.length; i++) {
          const context = `Row ${i} written to feature view "${table.name}"`;
          try {
            const row = data[i];
            if (!Array.isArray(row) || row.length < 3 || row[1] === null || typeof row[1] !== 'object') {
              throw new ValueConversionError('expected [entityKey, features, eventTimestamp, createdTimestamp | null]');
            }
            const [entityKey, features, eventTs, createdTs] = row;
            const key = serializeEntityKey(entityKey, version);
            const event = toEpochSeconds(eventTs, 'the event timestamp');
            const created = createdTs === null || createdTs === undefined ? null : toEpochSeconds(createdTs, 'the created timestamp');
            for (const name of Object.keys(features)) {
              let bytes: Uint8Array;
              try {
                bytes = ValueProto.encode(features[name]!);
              } catch (err) {
                throw withRowContext(err, `feature "${name}"`);
              }
              upsert.run(key, name, bytes, event, created);
            }
          } catch (err) {
            throw withRowContext(err, context);
          }
          if (progress && ++pending === PROGRESS_EVERY) {
            progress(pending);
            pending = 0;
          }
        }
        if (progress && pending > 0) progress(pending);
      }).immediate();
    } catch (err) {
      throw toStoreError(err, { action: 'write to', file, table: tableName });
    }
  }

  /**
   * Reads the features of each entity key with one prepared SELECT per 256
   * distinct keys. Results follow `entityKeys` (duplicates included):
   * `[event timestamp, features]`, or `[null, null]` for a key with no rows.
   * The event timestamp is the latest among the entity's rows.
   */
  override async onlineRead(
    config: RepoConfig<SqliteOnlineStoreConfig>,
    table: FeatureView,
    entityKeys: readonly EntityKeyProto[],
    requestedFeatures?: readonly string[],
  ): Promise<OnlineReadResult[]> {
    const tableName = sqliteTableName(config, table);
    const file = resolveDbPath(config);
    if (entityKeys.length === 0) return [];

    // Distinct serialized keys, and for each input key the index of its distinct key.
    const version = config.entityKeySerializationVersion;
    const keyIndex = new Map<string, number>();
    const distinct: Buffer[] = [];
    const positions = entityKeys.map((entityKey, i) => {
      let bytes: Uint8Array;
      try {
        bytes = serializeEntityKey(entityKey, version);
      } catch (err) {
        throw withRowContext(err, `Entity key ${i} read from feature view "${table.name}"`);
      }
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const id = buffer.toString('hex');
      let index = keyIndex.get(id);
      if (index === undefined) {
        index = distinct.length;
        keyIndex.set(id, index);
        distinct.push(buffer);
      }
      return index;
    });

    const wanted = requestedFeatures === undefined ? undefined : [...new Set(requestedFeatures)];
    if (wanted !== undefined && wanted.length === 0) return entityKeys.map(() => [null, null]);
    const sqlFilter = wanted !== undefined && wanted.length <= MAX_SQL_FEATURE_FILTER ? wanted : undefined;
    const jsFilter = wanted !== undefined && sqlFilter === undefined ? new Set(wanted) : undefined;
    const filterParams = sqlFilter ? padded(sqlFilter, bucket(sqlFilter.length)) : [];

    const found: Array<EntityRows | undefined> = new Array(distinct.length);
    try {
      const handle = this.#connections.get(file);
      for (let start = 0; start < distinct.length; start += KEYS_PER_QUERY) {
        const chunk = distinct.slice(start, start + KEYS_PER_QUERY);
        const size = bucket(chunk.length);
        const rows = this.#select(handle, tableName, size, filterParams.length).all(...numberedKeys(chunk, start, size), ...filterParams) as unknown[][];
        for (const row of rows) this.#collect(row, found, jsFilter, tableName, file);
      }
    } catch (err) {
      throw toStoreError(err, { action: 'read from', file, table: tableName });
    }

    const handedOut = new Array<boolean>(distinct.length).fill(false);
    return positions.map((index): OnlineReadResult => {
      const entity = found[index];
      if (!entity) return [null, null];
      const features = handedOut[index] ? { ...entity.features } : entity.features;
      handedOut[index] = true;
      return [entity.ts === null ? null : new Date(entity.ts), features];
    });
  }

  /** Closes every database this store opened. The store reopens them on its next call. */
  override async close(): Promise<void> {
    this.#connections.closeAll();
  }

  /** Runs `[table, sql]` DDL steps in one transaction; prepared statements are dropped after a schema change. */
  #runDdl(file: string, action: string, steps: ReadonlyArray<[string, string]>): void {
    const handle = this.#connections.get(file);
    let current: string | undefined;
    try {
      handle.db.transaction(() => {
        for (const [table, sql] of steps) {
          current = table;
          handle.db.prepare(sql).run(); // prepare() takes one statement only: a name can never smuggle in a second
        }
      })();
    } catch (err) {
      throw toStoreError(err, { action, file, table: current });
    } finally {
      handle.statements.clear();
    }
  }

  #select(handle: SqliteHandle, table: string, keyCount: number, featureCount: number) {
    return this.#connections.statement(handle, selectSql(table, keyCount, featureCount)).raw(true);
  }

  #collect(
    row: unknown[],
    found: Array<EntityRows | undefined>,
    jsFilter: Set<string> | undefined,
    table: string,
    file: string,
  ): void {
    const [index, name, value, eventTs] = row as [number, string, Buffer | null, unknown];
    if (jsFilter && !jsFilter.has(name)) return;
    let decoded: ValueProto;
    try {
      decoded = value === null ? {} : ValueProto.decode(value);
    } catch (err) {
      throw new ValueConversionError(`Feature "${name}" in table "${table}" of ${file}: ${(err as Error).message}`, err);
    }
    const ts = parseStoredTimestamp(eventTs);
    if (ts === undefined) {
      throw new OnlineStoreError(
        'query_failed',
        `Feature "${name}" in table "${table}" of ${file} has an event_ts SQLite value that is not a timestamp (${String(eventTs)}). ` +
          'Feast stores epoch seconds or ISO 8601 text; rewrite the row with onlineWriteBatch.',
      );
    }
    const entity = (found[index] ??= { ts: null, features: {} });
    entity.features[name] = decoded;
    if (ts !== null && (entity.ts === null || ts.getTime() > entity.ts)) entity.ts = ts.getTime();
  }
}
