import {
  OnlineStore,
  warnContribStoreOnce,
  type Entity,
  type EntityKeyProto,
  type FeatureView,
  type OnlineReadResult,
  type OnlineWriteRow,
  type ProgressCallback,
  type RepoConfig,
  ValueProto,
} from '@feast-ts/core';
import type { PoolConnection } from 'mysql2/promise';
import { parseStoreConfig, type MySQLOnlineStoreConfig } from './config.js';
import { entityKeyHex } from './entity-key.js';
import { errorKind, toStoreError, type ErrorContext } from './errors.js';
import { connectionSettings, describeTarget, MySQLPools, type ConnectionSettings } from './pool.js';
import {
  addIndexSql,
  createTableSql,
  dropTableSql,
  existingIndexesSql,
  featureFilterSql,
  selectSql,
  tableNames,
  type TableNames,
} from './sql.js';
import { fromEpochSeconds } from './timestamps.js';
import { planWrite, type WriteChunk, type WritePlan } from './write-plan.js';

/**
 * Most distinct entity keys per SELECT: a read of more keys runs one SELECT
 * per this many, one after another on the same connection, which keeps each
 * statement and result set moderate in size.
 */
export const READ_CHUNK_KEYS = 1000;

/** What a call needs from the config, worked out once per config object. */
interface Resolved {
  settings: ConnectionSettings;
  target: string;
  writeChunkSize: number;
}

/** The accumulated rows of one distinct entity key during a read. */
interface EntityRows {
  eventSeconds: number | null;
  features: Record<string, ValueProto> | null;
  /** True once `features` went into a result: a key given again gets a copy. */
  handedOut: boolean;
}

type SelectRow = [string, string, Buffer | null, number | string | null];

/**
 * Feast's MySQL online store for TypeScript (contrib, alpha): one table
 * `<project>_<view>` per feature view, one row per (entity, feature), the
 * same layout and bytes as Feast's `MySQLOnlineStore`, so Feast (Python) and
 * feast-ts read and write the same tables. Written for MySQL 5.7+/8.x and
 * MariaDB 10.3+ (tested on MariaDB 10.11).
 *
 * Connections come from mysql2 pools, one per distinct connection settings,
 * created lazily and ended by {@link close}. Writes are multi-row upserts in
 * one transaction per call; reads are one SELECT per call.
 */
export class MySQLOnlineStore extends OnlineStore<MySQLOnlineStoreConfig> {
  readonly #pools = new MySQLPools();
  readonly #resolved = new WeakMap<object, Resolved>();

  constructor() {
    super();
    warnContribStoreOnce('MySQLOnlineStore');
  }

  #resolve(config: RepoConfig<MySQLOnlineStoreConfig>): Resolved {
    const parsed = parseStoreConfig(config);
    let resolved = this.#resolved.get(parsed);
    if (!resolved || resolved.settings.repoPath !== config.repoPath) {
      const settings = connectionSettings(parsed, config.repoPath);
      resolved = { settings, target: describeTarget(settings), writeChunkSize: parsed.write_chunk_size };
      this.#resolved.set(parsed, resolved);
    }
    return resolved;
  }

  #context(r: Resolved, action: string, table?: string): ErrorContext {
    return { action, target: r.target, table, connectTimeoutSeconds: r.settings.connectTimeoutSeconds };
  }

  /**
   * Creates the table and its `<table>_ek` index of every view in
   * `tablesToKeep` where missing (tables Feast created are left as they are),
   * and drops the tables of `tablesToDelete`. Safe to run again.
   */
  override async update(
    config: RepoConfig<MySQLOnlineStoreConfig>,
    tablesToDelete: readonly FeatureView[],
    tablesToKeep: readonly FeatureView[],
    _entitiesToDelete: readonly Entity[],
    _entitiesToKeep: readonly Entity[],
    _partial: boolean,
  ): Promise<void> {
    const r = this.#resolve(config);
    const keep = tablesToKeep.map((v) => tableNames(config, v));
    const drop = tablesToDelete.map((v) => tableNames(config, v));
    if (keep.length === 0 && drop.length === 0) return;
    let current: string | undefined;
    try {
      await this.#pools.run(
        r.settings,
        async (conn) => {
          for (const t of keep) {
            current = t.table;
            await conn.query(createTableSql(t));
          }
          current = undefined;
          if (keep.length > 0) {
            const [rows] = await conn.query({ sql: existingIndexesSql(keep.map((t) => t.table)), rowsAsArray: true });
            const existing = new Set((rows as Array<[string, string]>).map(([table, index]) => `${table}\0${index}`));
            for (const t of keep) {
              if (existing.has(`${t.table}\0${t.index}`)) continue;
              current = t.table;
              await addIndex(conn, t);
            }
          }
          for (const t of drop) {
            current = t.table;
            await conn.query(dropTableSql(t));
          }
        },
        { idempotent: true },
      );
    } catch (err) {
      throw toStoreError(err, this.#context(r, 'update', current));
    }
  }

  /** Drops the tables of `tables` (their indexes go with them). */
  override async teardown(
    config: RepoConfig<MySQLOnlineStoreConfig>,
    tables: readonly FeatureView[],
    _entities: readonly Entity[],
  ): Promise<void> {
    const r = this.#resolve(config);
    const drop = tables.map((v) => tableNames(config, v));
    if (drop.length === 0) return;
    let current: string | undefined;
    try {
      await this.#pools.run(
        r.settings,
        async (conn) => {
          for (const t of drop) {
            current = t.table;
            await conn.query(dropTableSql(t));
          }
        },
        { idempotent: true },
      );
    } catch (err) {
      throw toStoreError(err, this.#context(r, 'drop', current));
    }
  }

  /**
   * Upserts every (entity, feature) row with multi-row
   * `INSERT ... ON DUPLICATE KEY UPDATE` statements of at most
   * `write_chunk_size` rows, all in one transaction: either the whole call is
   * visible or none of it. `progress` is called after each statement with the
   * number of input rows it completed (the counts add up to `data.length`).
   */
  override async onlineWriteBatch(
    config: RepoConfig<MySQLOnlineStoreConfig>,
    table: FeatureView,
    data: readonly OnlineWriteRow[],
    progress?: ProgressCallback,
  ): Promise<void> {
    const r = this.#resolve(config);
    const t = tableNames(config, table);
    if (data.length === 0) return;
    const plan = planWrite(t, data, r.writeChunkSize);
    if (plan.chunkAt(0) === undefined) {
      // Only rows without features: nothing to send.
      progress?.(plan.trailingEntities);
      return;
    }
    try {
      await this.#pools.run(r.settings, (conn, markStarted) => runWrite(conn, plan, markStarted, progress), { idempotent: false });
    } catch (err) {
      const ctx = this.#context(r, 'write to', t.table);
      if (errorKind(err) === 'value_too_large' && plan.largest) {
        ctx.tooLargeDetail = `The largest value of this call, feature "${plan.largest.feature}" of row #${plan.largest.row}, encodes to ${plan.largest.bytes} bytes.`;
      }
      throw toStoreError(err, ctx);
    }
  }

  /**
   * Reads the features of `entityKeys` with one SELECT (one per
   * {@link READ_CHUNK_KEYS} distinct keys), filtered to `requestedFeatures`
   * in SQL when given. Results are aligned with the input, duplicates
   * included; `[null, null]` for a key with no rows. The event timestamp of
   * an entity is the latest of its rows.
   */
  override async onlineRead(
    config: RepoConfig<MySQLOnlineStoreConfig>,
    table: FeatureView,
    entityKeys: readonly EntityKeyProto[],
    requestedFeatures?: readonly string[],
  ): Promise<OnlineReadResult[]> {
    const r = this.#resolve(config);
    const t = tableNames(config, table);
    const n = entityKeys.length;
    const hexes = new Array<string>(n);
    const byKey = new Map<string, EntityRows>();
    for (let i = 0; i < n; i++) {
      const hex = entityKeyHex(entityKeys[i]!);
      hexes[i] = hex;
      if (!byKey.has(hex)) byKey.set(hex, { eventSeconds: null, features: null, handedOut: false });
    }
    if (n > 0 && requestedFeatures?.length !== 0) {
      try {
        await this.#pools.run(r.settings, (conn) => runRead(conn, t, byKey, featureFilterSql(requestedFeatures)), { idempotent: true });
      } catch (err) {
        throw toStoreError(err, this.#context(r, 'read from', t.table));
      }
    }
    const results = new Array<OnlineReadResult>(n);
    for (let i = 0; i < n; i++) {
      const acc = byKey.get(hexes[i]!)!;
      if (acc.features === null) {
        results[i] = [null, null];
        continue;
      }
      // A key given twice gets its own copy, so callers may change one result without the other.
      results[i] = [fromEpochSeconds(acc.eventSeconds), acc.handedOut ? { ...acc.features } : acc.features];
      acc.handedOut = true;
    }
    return results;
  }

  /** Ends every pool this store opened. The store stays usable: the next call reconnects. */
  override async close(): Promise<void> {
    await this.#pools.closeAll();
  }
}

async function addIndex(conn: PoolConnection, t: TableNames): Promise<void> {
  try {
    await conn.query(addIndexSql(t));
  } catch (err) {
    // Another process added it between our check and now: what we wanted.
    if ((err as { errno?: unknown }).errno !== 1061) throw err; // ER_DUP_KEYNAME
  }
}

/** Times a write transaction runs when InnoDB picks it as a deadlock victim (it is rolled back whole, so running it again is safe). */
export const DEADLOCK_ATTEMPTS = 5;

async function runWrite(conn: PoolConnection, plan: WritePlan, markStarted: () => void, progress?: ProgressCallback): Promise<void> {
  // Progress already reported survives a deadlock retry: only rows beyond it are reported again.
  let reported = 0;
  for (let attempt = 1; ; attempt++) {
    await conn.query('START TRANSACTION');
    markStarted();
    let done = 0;
    try {
      let chunk = plan.chunkAt(0);
      for (let i = 0; chunk !== undefined; i++) {
        const running = conn.query(chunk.sql);
        // Encode the next statement while the server runs this one.
        let next: WriteChunk | undefined;
        let encodeError: unknown;
        try {
          next = plan.chunkAt(i + 1);
        } catch (err) {
          encodeError = err;
        }
        await running;
        if (encodeError !== undefined) throw encodeError;
        done += chunk.entities;
        if (progress && done > reported) {
          progress(done - reported);
          reported = done;
        }
        chunk = next;
      }
      await conn.query('COMMIT');
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => {
        // The connection is gone; the server rolls the transaction back on its own.
      });
      if ((err as { errno?: unknown }).errno === 1213 && attempt < DEADLOCK_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, attempt * (5 + Math.random() * 20)));
        continue;
      }
      throw err;
    }
    if (progress && plan.trailingEntities > 0) progress(plan.trailingEntities);
    return;
  }
}

async function runRead(conn: PoolConnection, t: TableNames, byKey: Map<string, EntityRows>, featureFilter: string): Promise<void> {
  const keys = [...byKey.keys()];
  for (let start = 0; start < keys.length; start += READ_CHUNK_KEYS) {
    const chunk = start === 0 && keys.length <= READ_CHUNK_KEYS ? keys : keys.slice(start, start + READ_CHUNK_KEYS);
    const [rows] = await conn.query({ sql: selectSql(t, chunk, featureFilter), rowsAsArray: true });
    for (const row of rows as SelectRow[]) {
      const acc = byKey.get(row[0]);
      if (acc === undefined) continue;
      const features = (acc.features ??= {});
      const value = row[2];
      features[row[1]] = value === null ? {} : ValueProto.decode(value);
      const ts = row[3] === null ? null : Number(row[3]);
      if (ts !== null && (acc.eventSeconds === null || ts > acc.eventSeconds)) acc.eventSeconds = ts;
    }
  }
}
