import { createHash } from 'node:crypto';
import {
  EntityKeySerializationError,
  OnlineStore,
  OnlineStoreError,
  serializeEntityKey,
  type Entity,
  type EntityKeyProto,
  type FeatureView,
  type OnlineReadResult,
  type OnlineWriteRow,
  type ProgressCallback,
  type RepoConfig,
} from '@feast-ts/core';
import type pg from 'pg';
import { byteaArray, textArray } from './binary-array.js';
import { parseStoreConfig, schemaOf, type PostgreSQLOnlineStoreConfig } from './config.js';
import { errorKind, isRetryableTransactionError, toStoreError, type ErrorContext } from './errors.js';
import { connectionSettings, describeTarget, PgPools, type ConnectionSettings } from './pool.js';
import { collectRows, RAW_TEXT_TYPES, type EntityRows, type SelectRow } from './read-rows.js';
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
import { WritePlan, type WriteChunk } from './write-plan.js';

/** Times a write transaction runs when PostgreSQL rolls it back as a deadlock or serialization victim. */
export const WRITE_ATTEMPTS = 4;

/** What a call needs from the config, worked out once per config object. */
interface Resolved {
  settings: ConnectionSettings;
  target: string;
  schema: string;
  user: string;
}

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
 * Feast's PostgreSQL online store for TypeScript: one table `<project>_<view>`
 * per feature view in `db_schema`, one row per (entity, feature), the same
 * columns and bytes as Feast's `PostgreSQLOnlineStore`, so Feast (Python) and
 * feast-ts read and write the same tables.
 *
 * Connections come from pg pools (one per distinct connection settings),
 * created lazily and ended by {@link close}. Writes are upserts of binary
 * arrays in one transaction per call; reads are one SELECT per call with
 * `entity_key = ANY($1)`.
 */
export class PostgreSQLOnlineStore extends OnlineStore<PostgreSQLOnlineStoreConfig> {
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

  #context(r: Resolved, action: string, table?: string): ErrorContext {
    return {
      action,
      target: r.target,
      table,
      connectTimeoutSeconds: r.settings.connectTimeoutSeconds,
      queryTimeoutSeconds: r.settings.queryTimeoutSeconds,
    };
  }

  /**
   * Creates the schema when missing (`AUTHORIZATION <user>`, as Feast), drops
   * the tables of `tablesToDelete`, and creates the table, `<table>_ek` index
   * and (for views with string features) `<table>_fts_idx` full-text index of
   * every view in `tablesToKeep` where missing, all in one transaction.
   * Tables that exist are left as they are. Safe to run again.
   */
  override async update(
    config: RepoConfig<PostgreSQLOnlineStoreConfig>,
    tablesToDelete: readonly FeatureView[],
    tablesToKeep: readonly FeatureView[],
    _entitiesToDelete: readonly Entity[],
    _entitiesToKeep: readonly Entity[],
    _partial: boolean,
  ): Promise<void> {
    const r = this.#resolve(config);
    const drop = tablesToDelete.map((v) => tableNames(r.schema, config.project, v));
    const keep = tablesToKeep.map((v) => tableNames(r.schema, config.project, v));
    if (keep.length === 0 && drop.length === 0) return;
    this.#shapes.clear();
    const steps: Array<[string | undefined, string]> = [];
    for (const t of drop) for (const sql of dropSql(t)) steps.push([t.display, sql]);
    for (const t of keep) {
      steps.push([t.display, createTableSql(t)], [t.display, createIndexSql(t)]);
      const fts = createFtsIndexSql(t);
      if (fts) steps.push([t.display, fts]);
    }
    let current: string | undefined;
    try {
      await this.#pools.run(
        r.settings,
        async (client) => {
          for (let attempt = 1; ; attempt++) {
            current = undefined;
            await client.query('BEGIN');
            try {
              if (keep.length > 0) {
                const exists = await client.query(SCHEMA_EXISTS_SQL, [r.schema]);
                if (exists.rowCount === 0) await client.query(createSchemaSql(r.schema, r.user));
              }
              for (const [table, sql] of steps) {
                current = table;
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
    } catch (err) {
      throw toStoreError(err, current ? this.#context(r, 'create or drop', current) : this.#context(r, `check or create schema "${r.schema}" in`));
    }
  }

  /** Drops the tables of `tables` (and their indexes), in one transaction. */
  override async teardown(
    config: RepoConfig<PostgreSQLOnlineStoreConfig>,
    tables: readonly FeatureView[],
    _entities: readonly Entity[],
  ): Promise<void> {
    const r = this.#resolve(config);
    const drop = tables.map((v) => tableNames(r.schema, config.project, v));
    if (drop.length === 0) return;
    this.#shapes.clear();
    let current: string | undefined;
    try {
      await this.#pools.run(
        r.settings,
        async (client) => {
          await client.query('BEGIN');
          try {
            for (const t of drop) {
              current = t.display;
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
    } catch (err) {
      throw toStoreError(err, this.#context(r, 'drop', current));
    }
  }

  /**
   * Upserts every (entity, feature) row in one transaction: either the whole
   * call is visible or none of it. Rows go in key order; a key given twice is
   * written once, each feature from the last row that has it. `progress` is
   * called after each statement with the input rows it completed (the counts
   * add up to `data.length`).
   */
  override async onlineWriteBatch(
    config: RepoConfig<PostgreSQLOnlineStoreConfig>,
    table: FeatureView,
    data: readonly OnlineWriteRow[],
    progress?: ProgressCallback,
  ): Promise<void> {
    const r = this.#resolve(config);
    const t = tableNames(r.schema, config.project, table);
    if (data.length === 0) return;
    const plan = new WritePlan(data, config.entityKeySerializationVersion);
    if (plan.chunkAt(0) === undefined) {
      // Only rows without features: nothing to send.
      progress?.(plan.trailingEntities);
      return;
    }
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
      const ctx = this.#context(r, 'write to', t.display);
      if (kind === 'value_too_large' && plan.largest) {
        ctx.tooLargeDetail = `The largest value of this call, feature "${plan.largest.feature}" of row #${plan.largest.row}, encodes to ${plan.largest.bytes} bytes.`;
      }
      throw toStoreError(err, ctx);
    }
  }

  /**
   * Reads the features of `entityKeys` with one SELECT
   * (`entity_key = ANY($1)`, plus `feature_name = ANY($2)` when
   * `requestedFeatures` is given), keys and names sent as binary arrays.
   * Results are aligned with the input, duplicates included; `[null, null]`
   * for a key with no rows. The event timestamp of an entity is the latest of
   * its rows (to the millisecond; PostgreSQL keeps microseconds).
   */
  override async onlineRead(
    config: RepoConfig<PostgreSQLOnlineStoreConfig>,
    table: FeatureView,
    entityKeys: readonly EntityKeyProto[],
    requestedFeatures?: readonly string[],
  ): Promise<OnlineReadResult[]> {
    const r = this.#resolve(config);
    const t = tableNames(r.schema, config.project, table);
    const n = entityKeys.length;
    if (n === 0) return [];
    const version = config.entityKeySerializationVersion;
    const ids = new Array<string>(n);
    const byKey = new Map<string, EntityRows>();
    const distinct: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      let bytes: Uint8Array;
      try {
        bytes = serializeEntityKey(entityKeys[i]!, version);
      } catch (err) {
        if (err instanceof EntityKeySerializationError) throw new EntityKeySerializationError(`entity key #${i}: ${err.message}`, err);
        throw err;
      }
      const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const id = `\\x${key.toString('hex')}`;
      ids[i] = id;
      if (!byKey.has(id)) {
        byKey.set(id, { eventMs: Number.NaN, features: null, handedOut: false });
        distinct.push(key);
      }
    }
    const wanted = requestedFeatures === undefined ? undefined : [...new Set(requestedFeatures)];
    if (wanted === undefined || wanted.length > 0) {
      const text = selectSql(t, wanted !== undefined);
      const values = wanted === undefined ? [byteaArray(distinct)] : [byteaArray(distinct), textArray(wanted)];
      try {
        const result = await this.#pools.run(
          r.settings,
          (client) => client.query<SelectRow>({ name: statementName(text), text, values, rowMode: 'array', types: RAW_TEXT_TYPES }),
          { idempotent: true },
        );
        collectRows(result.rows, byKey);
      } catch (err) {
        throw toStoreError(err, this.#context(r, 'read from', t.display));
      }
    }
    const results = new Array<OnlineReadResult>(n);
    for (let i = 0; i < n; i++) {
      const acc = byKey.get(ids[i]!)!;
      if (acc.features === null) {
        results[i] = [null, null];
        continue;
      }
      // A key given twice gets its own copy, so callers may change one result without the other.
      results[i] = [Number.isNaN(acc.eventMs) ? null : new Date(acc.eventMs), acc.handedOut ? { ...acc.features } : acc.features];
      acc.handedOut = true;
    }
    return results;
  }

  /** Ends every pool this store opened. The store stays usable: the next call reconnects. */
  override async close(): Promise<void> {
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

async function runWrite(client: pg.PoolClient, text: string, plan: WritePlan, markStarted: () => void, progress?: ProgressCallback): Promise<void> {
  const name = statementName(text);
  // Progress already reported survives a retry: only rows beyond it are reported again.
  let reported = 0;
  for (let attempt = 1; ; attempt++) {
    await client.query('BEGIN');
    markStarted();
    let done = 0;
    try {
      let chunk = plan.chunkAt(0);
      for (let i = 0; chunk !== undefined; i++) {
        const running = client.query({ name, text, values: chunk.params });
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
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        // The connection is gone; the server rolls the transaction back on its own.
      });
      if (isRetryableTransactionError(err) && attempt < WRITE_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, attempt * (5 + Math.random() * 20)));
        continue;
      }
      throw err;
    }
    if (progress && plan.trailingEntities > 0) progress(plan.trailingEntities);
    return;
  }
}
