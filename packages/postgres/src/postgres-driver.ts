import { createHash } from 'node:crypto';
import {
  OnlineStoreError,
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
import type pg from 'pg';
import { byteaArray, textArray } from './binary-array.js';
import { parseStoreConfig, schemaOf, type PostgreSQLOnlineStoreConfig } from './config.js';
import { errorKind, isRetryableTransactionError, toStoreError } from './errors.js';
import { connectionSettings, describeTarget, PgPools, type ConnectionSettings } from './pool.js';
import { collectRows, RAW_TEXT_TYPES, type SelectRow } from './read-rows.js';
import {
  createFtsIndexSql,
  createIndexSql,
  createSchemaSql,
  createTableSql,
  dropSql,
  SCHEMA_EXISTS_SQL,
  selectSql,
  TABLE_COLUMNS_SQL,
  tableNames,
  upsertSql,
  type TableNames,
  type TableShape,
} from './sql.js';
import { TIMESTAMP_RANGE } from './timestamps.js';
import { MAX_VALUE_BYTES, WritePlan, type WriteChunk } from './write-plan.js';

/** Times a write transaction runs when PostgreSQL rolls it back as a deadlock or serialization victim. */
export const WRITE_ATTEMPTS = 4;

/** What a call needs from the config, worked out once per config object. */
interface Resolved {
  settings: ConnectionSettings;
  target: string;
  schema: string;
  user: string;
}

/** What Feast's PostgreSQL layout cannot hold, checked by core on every write row. */
const LIMITS: DriverLimits = {
  timestamps: TIMESTAMP_RANGE,
  maxValueBytes: { bytes: MAX_VALUE_BYTES, reason: 'PostgreSQL accepts at most 1 GiB in one field' },
  noNulInFeatureNames: { reason: 'PostgreSQL text (the feature_name column) cannot hold' },
};

/** Name of the prepared statement for `text`: the same on every connection, distinct per text. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `feast_ts_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * The driver of {@link PostgreSQLOnlineStore}: Feast's PostgreSQL layout on pg
 * pools. Writes are upserts of binary arrays (`unnest`) in one transaction,
 * cells merged per (key, feature) in key order; reads are one prepared SELECT
 * with `entity_key = ANY($1)`.
 */
export class PostgreSQLDriver implements StoreDriver<PostgreSQLOnlineStoreConfig> {
  readonly writeOptions = { order: 'merged', valueText: true } as const;
  readonly limits = LIMITS;
  readonly #pools = new PgPools();
  readonly #resolved = new WeakMap<object, Resolved>();
  /** Optional columns of tables written to, by target and table. */
  readonly #shapes = new Map<string, TableShape>();

  #resolve(config: RepoConfig<PostgreSQLOnlineStoreConfig>): Resolved {
    const parsed = parseStoreConfig(config);
    let resolved = this.#resolved.get(parsed);
    if (!resolved || resolved.settings.repoPath !== config.repoPath) {
      const settings = connectionSettings(parsed, config.repoPath);
      resolved = { settings, target: describeTarget(settings), schema: schemaOf(parsed), user: parsed.user };
      this.#resolved.set(parsed, resolved);
    }
    return resolved;
  }

  /**
   * Creates the schema when missing (`AUTHORIZATION <user>`, as Feast), drops
   * the tables of `dropViews`, and creates the table, `<table>_ek` index and
   * (for views with string features) `<table>_fts_idx` full-text index of every
   * view in `keepViews` where missing, all in one transaction.
   */
  async ensureTables(config: RepoConfig<PostgreSQLOnlineStoreConfig>, keepViews: readonly FeatureView[], dropViews: readonly FeatureView[], site: DriverSite): Promise<void> {
    const r = this.#resolve(config);
    const drop = dropViews.map((v) => tableNames(r.schema, config.project, v));
    const keep = keepViews.map((v) => tableNames(r.schema, config.project, v));
    this.#shapes.clear();
    const steps: Array<[string | undefined, string]> = [];
    for (const t of drop) for (const sql of dropSql(t)) steps.push([t.display, sql]);
    for (const t of keep) {
      steps.push([t.display, createTableSql(t)], [t.display, createIndexSql(t)]);
      const fts = createFtsIndexSql(t);
      if (fts) steps.push([t.display, fts]);
    }
    await this.#pools.run(
      r.settings,
      async (client) => {
        for (let attempt = 1; ; attempt++) {
          site.table = undefined;
          await client.query('BEGIN');
          try {
            if (keep.length > 0) {
              const exists = await client.query(SCHEMA_EXISTS_SQL, [r.schema]);
              if (exists.rowCount === 0) await client.query(createSchemaSql(r.schema, r.user));
            }
            for (const [table, sql] of steps) {
              site.table = table;
              await client.query(sql);
            }
            await client.query('COMMIT');
            return;
          } catch (err) {
            await client.query('ROLLBACK').catch(() => {});
            // Two processes creating the same table at once: the loser sees a duplicate; run again.
            const code = (err as { code?: unknown }).code;
            if (attempt < 2 && (code === '23505' || code === '42P07' || code === '42P06')) continue;
            throw err;
          }
        }
      },
      { idempotent: true },
    );
  }

  /** Drops the tables of `views` (and their indexes), in one transaction. */
  async dropTables(config: RepoConfig<PostgreSQLOnlineStoreConfig>, views: readonly FeatureView[], site: DriverSite): Promise<void> {
    const r = this.#resolve(config);
    const drop = views.map((v) => tableNames(r.schema, config.project, v));
    this.#shapes.clear();
    await this.#pools.run(
      r.settings,
      async (client) => {
        await client.query('BEGIN');
        try {
          for (const t of drop) {
            site.table = t.display;
            for (const sql of dropSql(t)) await client.query(sql);
          }
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        }
      },
      { idempotent: true },
    );
  }

  /** Upserts every cell in one transaction (run again after a deadlock or serialization failure); `progress` after each statement. */
  async upsert(config: RepoConfig<PostgreSQLOnlineStoreConfig>, view: FeatureView, write: EncodedWrite, progress: CellProgress, site: DriverSite): Promise<void> {
    const r = this.#resolve(config);
    const t = tableNames(r.schema, config.project, view);
    site.table = t.display;
    const plan = new WritePlan(write);
    const shapeKey = `${r.target}\0${t.qualified}`;
    try {
      await this.#pools.run(
        r.settings,
        async (client, markStarted) => {
          let shape = this.#shapes.get(shapeKey);
          if (shape === undefined) {
            shape = await tableShape(client, t);
            this.#shapes.set(shapeKey, shape);
          }
          await runWrite(client, upsertSql(t, shape), plan, markStarted, progress);
        },
        { idempotent: false },
      );
    } catch (err) {
      const kind = errorKind(err);
      if (kind === 'table_missing' || kind === 'query_failed') this.#shapes.delete(shapeKey);
      throw err;
    }
  }

  /**
   * Reads with one SELECT (`entity_key = ANY($1)`, plus `feature_name = ANY($2)`
   * when features are named), keys and names sent as binary arrays. Event times
   * to the millisecond (PostgreSQL keeps microseconds).
   */
  async fetch(config: RepoConfig<PostgreSQLOnlineStoreConfig>, view: FeatureView, request: FetchRequest, sink: FetchSink, site: DriverSite): Promise<void> {
    const r = this.#resolve(config);
    const t = tableNames(r.schema, config.project, view);
    site.table = t.display;
    const index = new Map<string, number>(request.keys.map((key, i) => [`\\x${key.toString('hex')}`, i]));
    const wanted = request.features;
    const text = selectSql(t, wanted !== undefined);
    const values = wanted === undefined ? [byteaArray(request.keys)] : [byteaArray(request.keys), textArray(wanted)];
    const result = await this.#pools.run(
      r.settings,
      (client) => client.query<SelectRow>({ name: statementName(text), text, values, rowMode: 'array', types: RAW_TEXT_TYPES }),
      { idempotent: true },
    );
    collectRows(result.rows, index, sink);
  }

  classify(err: unknown, site: DriverSite, config: RepoConfig<PostgreSQLOnlineStoreConfig>): unknown {
    let r: Resolved;
    try {
      r = this.#resolve(config);
    } catch {
      return err;
    }
    const action = site.action === 'update' ? (site.table ? 'create or drop' : `check or create schema "${r.schema}" in`) : site.action;
    return toStoreError(err, storeErrorContext(site, r.target, r.settings, action));
  }

  /** Ends every pool this store opened. */
  async close(): Promise<void> {
    await this.#pools.closeAll();
  }
}

async function tableShape(client: pg.PoolClient, t: TableNames): Promise<TableShape> {
  const { rows } = await client.query<{ column_name: string }>(TABLE_COLUMNS_SQL, [t.schema, t.table]);
  if (rows.length === 0) {
    throw new OnlineStoreError(
      'table_missing',
      `PostgreSQLOnlineStore cannot write to ${t.display}: the table does not exist. Run \`feast-ts apply\` (or FeatureStore.apply, or \`feast apply\`) to create it, or check online_store.db_schema.`,
    );
  }
  const columns = new Set(rows.map((row) => row.column_name));
  return { valueText: columns.has('value_text'), vectorValue: columns.has('vector_value') };
}

/** One write transaction: the plan's upserts, run again after a deadlock or serialization failure. */
function runWrite(client: pg.PoolClient, text: string, plan: WritePlan, markStarted: () => void, progress: CellProgress): Promise<void> {
  const name = statementName(text);
  return runChunkedTransaction<WriteChunk>(
    {
      begin: () => client.query('BEGIN'),
      markStarted,
      run: (chunk) => client.query({ name, text, values: chunk.params }),
      commit: () => client.query('COMMIT'),
      rollback: async () => {
        await client.query('ROLLBACK').catch(() => {
          // The connection is gone; the server rolls the transaction back on its own.
        });
      },
      chunkAt: (i) => plan.chunkAt(i),
    },
    progress,
    { attempts: WRITE_ATTEMPTS, isRetryable: isRetryableTransactionError },
  );
}
