import {
  runChunkedTransaction,
  storeErrorContext,
  type CellProgress,
  type DriverLimits,
  type DriverSite,
  type EncodedWrite,
  type FeatureView,
  type FetchRequest,
  type FetchSink,
  type RepoConfig,
  type StoreDriver,
} from '@feast-ts/core';
import type { PoolConnection } from 'mysql2/promise';
import { assertDistinctFeatureNames, BINARY_COLLATIONS_SQL, bestBinaryCollation } from './collation.js';
import { parseStoreConfig, type MySQLOnlineStoreConfig } from './config.js';
import { MAX_ENTITY_KEY_HEX_LENGTH } from './entity-key.js';
import { toStoreError } from './errors.js';
import { connectionSettings, describeTarget, isQueryTimeout, MySQLPools, type ConnectionSettings } from './pool.js';
import { readGrouped, readRows, readShape, type ReadTarget } from './read.js';
import { addIndexSql, createTableSql, dropTableSql, existingIndexesSql, featureFilterSql, tableNames, type TableNames } from './sql.js';
import { TIMESTAMP_RANGE } from './timestamps.js';
import { planWrite, type WriteChunk, type WritePlan } from './write-plan.js';

/** Times a write transaction runs when InnoDB picks it as a deadlock victim (it is rolled back whole, so running it again is safe). */
export const DEADLOCK_ATTEMPTS = 5;

/** What a call needs from the config, worked out once per config object. */
interface Resolved {
  settings: ConnectionSettings;
  target: string;
  writeChunkSize: number;
}

/** What Feast's MySQL layout cannot hold, checked by core on every write row. */
const LIMITS: DriverLimits = {
  timestamps: TIMESTAMP_RANGE,
  maxKeyBytes: { bytes: MAX_ENTITY_KEY_HEX_LENGTH / 2, reason: "Feast's MySQL layout stores keys as hex in VARCHAR(512)" },
};

/**
 * The driver of {@link MySQLOnlineStore}: Feast's MySQL table layout on mysql2
 * pools. Writes are multi-row `INSERT ... ON DUPLICATE KEY UPDATE` statements
 * in one transaction, cells in key order; reads are `entity_key IN (...)`
 * SELECTs of hex keys, one result row per (entity, feature) or one per entity
 * (see {@link readShape}).
 */
export class MySQLDriver implements StoreDriver<MySQLOnlineStoreConfig> {
  readonly writeOptions = { order: 'key' } as const;
  readonly limits = LIMITS;
  readonly #pools = new MySQLPools();
  readonly #resolved = new WeakMap<object, Resolved>();

  /** Feast's MySQL store serializes keys with version 3 whatever `entity_key_serialization_version` says. */
  keySerializationVersion(): 3 {
    return 3;
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

  /**
   * Creates the table and its `<table>_ek` index of every view in `keep`
   * where missing (tables Feast created are left as they are), and drops the
   * tables of `drop`.
   */
  async ensureTables(config: RepoConfig<MySQLOnlineStoreConfig>, keepViews: readonly FeatureView[], dropViews: readonly FeatureView[], site: DriverSite): Promise<void> {
    const r = this.#resolve(config);
    const keep = keepViews.map((v) => tableNames(config, v));
    const drop = dropViews.map((v) => tableNames(config, v));
    await this.#pools.run(
      r.settings,
      async (conn) => {
        if (keep.length > 0) {
          const [available] = await conn.query({ sql: BINARY_COLLATIONS_SQL, rowsAsArray: true });
          const collation = bestBinaryCollation((available as Array<[string]>).map((row) => row[0]));
          for (const t of keep) {
            site.table = t.table;
            await conn.query(createTableSql(t, collation));
          }
          site.table = undefined;
          // Tables Feast created keep their collation: refuse feature names it takes for one.
          await assertDistinctFeatureNames(
            conn,
            keep.map((t, i) => ({ t, view: keepViews[i]!.name, features: keepViews[i]!.features.map((f) => f.name) })),
            deadlineMs(r.settings),
          );
          const [rows] = await conn.query({ sql: existingIndexesSql(keep.map((t) => t.table)), rowsAsArray: true });
          const existing = new Set((rows as Array<[string, string]>).map(([table, index]) => `${table}\0${index}`));
          for (const t of keep) {
            if (existing.has(`${t.table}\0${t.index}`)) continue;
            site.table = t.table;
            await addIndex(conn, t);
          }
        }
        for (const t of drop) {
          site.table = t.table;
          await conn.query(dropTableSql(t));
        }
      },
      { idempotent: true },
    );
  }

  /** Drops the tables of `views` (their indexes go with them). */
  async dropTables(config: RepoConfig<MySQLOnlineStoreConfig>, views: readonly FeatureView[], site: DriverSite): Promise<void> {
    const r = this.#resolve(config);
    const drop = views.map((v) => tableNames(config, v));
    await this.#pools.run(
      r.settings,
      async (conn) => {
        for (const t of drop) {
          site.table = t.table;
          await conn.query(dropTableSql(t));
        }
      },
      { idempotent: true },
    );
  }

  /**
   * Upserts every cell with statements of at most `write_chunk_size` rows, all
   * in one transaction (run again on a deadlock); `progress` after each statement.
   */
  async upsert(config: RepoConfig<MySQLOnlineStoreConfig>, view: FeatureView, write: EncodedWrite, progress: CellProgress, site: DriverSite): Promise<void> {
    const r = this.#resolve(config);
    const t = tableNames(config, view);
    site.table = t.table;
    const plan = planWrite(t, write, r.writeChunkSize);
    const timeout = deadlineMs(r.settings);
    await this.#pools.run(r.settings, (conn, markStarted) => runWrite(conn, plan, markStarted, timeout, progress), { idempotent: false });
  }

  /**
   * Reads the keys' rows, filtered to `request.features` in SQL when given:
   * one row per (entity, feature) or one per entity, whichever {@link readShape}
   * measured faster for the request's size.
   */
  async fetch(config: RepoConfig<MySQLOnlineStoreConfig>, view: FeatureView, request: FetchRequest, sink: FetchSink, site: DriverSite): Promise<void> {
    const r = this.#resolve(config);
    const t = tableNames(config, view);
    site.table = t.table;
    const hexes = request.keys.map((k) => k.toString('hex'));
    const target: ReadTarget = {
      t,
      filter: featureFilterSql(request.features),
      timeout: deadlineMs(r.settings),
      index: new Map(hexes.map((hex, i) => [hex, i])),
      sink,
    };
    const shape = readShape(hexes.length, request.features?.length ?? view.features.length);
    await this.#pools.run(
      r.settings,
      (conn) => (shape === 'grouped' && this.#pools.groupedReads(conn) ? readGrouped(conn, target, hexes) : readRows(conn, target, hexes)),
      { idempotent: true },
    );
  }

  classify(err: unknown, site: DriverSite, config: RepoConfig<MySQLOnlineStoreConfig>): unknown {
    let r: Resolved;
    try {
      r = this.#resolve(config);
    } catch {
      return err;
    }
    return toStoreError(err, storeErrorContext(site, r.target, r.settings));
  }

  /** Ends every pool, once the calls in progress have finished. */
  async close(): Promise<void> {
    await this.#pools.closeAll();
  }
}

/** The client-side deadline of one statement: query_timeout, plus a second for the server's own lock-wait timeout to answer first. */
function deadlineMs(settings: ConnectionSettings): number {
  return Math.round(settings.queryTimeoutSeconds * 1000) + 1000;
}

async function addIndex(conn: PoolConnection, t: TableNames): Promise<void> {
  try {
    await conn.query(addIndexSql(t));
  } catch (err) {
    // Another process added it between our check and now: what we wanted.
    if ((err as { errno?: unknown }).errno !== 1061) throw err; // ER_DUP_KEYNAME
  }
}

/** One write transaction: the plan's statements, run again when InnoDB picks it as a deadlock victim. */
function runWrite(conn: PoolConnection, plan: WritePlan, markStarted: () => void, timeout: number, progress: CellProgress): Promise<void> {
  return runChunkedTransaction<WriteChunk>(
    {
      begin: () => conn.query('START TRANSACTION'),
      markStarted,
      run: (chunk) => conn.query({ sql: chunk.sql, timeout }),
      commit: () => conn.query({ sql: 'COMMIT', timeout }),
      rollback: async (err) => {
        // After a missed deadline the connection still waits for the server: it is
        // discarded, and the server rolls the transaction back when it goes.
        if (isQueryTimeout(err)) return;
        await conn.query({ sql: 'ROLLBACK', timeout }).catch(() => {
          // The connection is gone; the server rolls the transaction back on its own.
        });
      },
      chunkAt: (i) => plan.chunkAt(i),
    },
    progress,
    { attempts: DEADLOCK_ATTEMPTS, isRetryable: (err) => (err as { errno?: unknown }).errno === 1213 },
  );
}
