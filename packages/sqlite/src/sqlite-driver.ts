import { existsSync } from 'node:fs';
import { epochSeconds, type CellProgress, type DriverSite, type EncodedWrite, type FeatureView, type FetchRequest, type FetchSink, type RepoConfig, type StoreDriver } from '@feast-ts/core';
import { IN_MEMORY_PATH, resolveSqliteSettings, type SqliteOnlineStoreConfig, type SqliteSettings } from './config.js';
import { SqliteConnections, type SqliteHandle } from './connections.js';
import { toStoreError } from './errors.js';
import { readGrouped, readRows } from './read-rows.js';
import { createIndexSql, createTableSql, dropTableSql, tableInfoSql, upsertRowsSql } from './sql.js';
import { sqliteTableName } from './table-name.js';

/** Progress is reported after this many (entity, feature) cells, and once more before the commit. */
const PROGRESS_EVERY_CELLS = 2048;

/**
 * Cells per upsert statement: 512 x 6 = 3,072 parameters, well under SQLite's 32,766, and a
 * divisor of {@link PROGRESS_EVERY_CELLS} so progress comes at the same counts.
 */
const UPSERT_ROWS = 512;

/** What `classify` calls each action in messages ("SQLite could not <action> ..."). */
const ACTIONS: Record<DriverSite['action'], string> = { update: 'create or drop', drop: 'drop', 'write to': 'write to', 'read from': 'read from' };

/**
 * The SQLite driver of {@link SqliteOnlineStore}: Feast's table layout on
 * better-sqlite3, one connection per database file (WAL), prepared statements
 * cached per connection.
 */
export class SqliteDriver implements StoreDriver<SqliteOnlineStoreConfig> {
  readonly writeOptions = { order: 'input', valueText: true } as const;
  readonly #connections = new SqliteConnections();
  readonly #upserts = new Map<string, string>();

  ensureTables(config: RepoConfig<SqliteOnlineStoreConfig>, keep: readonly FeatureView[], drop: readonly FeatureView[], site: DriverSite): void {
    const steps = keep.flatMap((view): Array<[string, string]> => {
      const table = sqliteTableName(config, view);
      return [[table, createTableSql(table)], [table, createIndexSql(table)]];
    });
    for (const view of drop) {
      const table = sqliteTableName(config, view);
      steps.push([table, dropTableSql(table)]);
    }
    this.#runDdl(resolveSqliteSettings(config), steps, site);
  }

  /** Drops the tables; a database file that does not exist is not created. */
  dropTables(config: RepoConfig<SqliteOnlineStoreConfig>, views: readonly FeatureView[], site: DriverSite): void {
    const tables = views.map((view) => sqliteTableName(config, view));
    const settings = resolveSqliteSettings(config);
    const file = settings.file;
    if (file !== IN_MEMORY_PATH && !this.#connections.peek(file) && !existsSync(file)) return;
    this.#runDdl(settings, tables.map((table): [string, string] => [table, dropTableSql(table)]), site);
  }

  /**
   * Every cell in one IMMEDIATE transaction: all rows or none, in multi-row
   * upserts of {@link UPSERT_ROWS} cells and then power-of-two chunks of the
   * rest (one statement per chunk instead of one per cell). Timestamps as
   * integer epoch seconds (Feast's).
   */
  upsert(config: RepoConfig<SqliteOnlineStoreConfig>, view: FeatureView, write: EncodedWrite, progress: CellProgress, site: DriverSite): void {
    const settings = resolveSqliteSettings(config);
    const table = (site.table = sqliteTableName(config, view));
    const handle = this.#connections.get(settings.file, settings.busyTimeoutMs);
    const withText = this.#hasValueText(handle, table);
    const { rowKey, rowEventMs, rowCreatedMs, cellRow, cellFeature, cellValue, cellText, cellCount } = write;
    // Bigints, so SQLite stores INTEGERs whatever the column's affinity.
    const event = new Array<bigint>(write.rowCount);
    const created = new Array<bigint | null>(write.rowCount);
    for (let i = 0; i < write.rowCount; i++) {
      event[i] = BigInt(epochSeconds(rowEventMs[i]!));
      const c = rowCreatedMs[i]!;
      created[i] = Number.isNaN(c) ? null : BigInt(epochSeconds(c));
    }
    const width = withText ? 6 : 5;
    handle.db.transaction(() => {
      const params: unknown[] = [];
      for (let start = 0; start < cellCount; ) {
        // 512 cells at a time, the rest in power-of-two chunks: at most 10 statement shapes per table.
        const left = cellCount - start;
        const end = start + (left >= UPSERT_ROWS ? UPSERT_ROWS : 2 ** Math.floor(Math.log2(left)));
        params.length = (end - start) * width;
        let p = 0;
        for (let c = start; c < end; c++) {
          const i = cellRow[c]!;
          params[p++] = rowKey[i];
          params[p++] = cellFeature[c];
          params[p++] = cellValue[c];
          if (withText) params[p++] = cellText![c];
          params[p++] = event[i];
          params[p++] = created[i];
        }
        this.#connections.statement(handle, this.#upsertSql(table, end - start, withText)).run(params);
        if (end % PROGRESS_EVERY_CELLS === 0 && end < cellCount) progress(end);
        start = end;
      }
      // Inside the transaction: a progress callback that throws rolls the write back.
      progress(cellCount);
    }).immediate();
  }

  /** The multi-row upsert's SQL, built once per (table, rows, text column). */
  #upsertSql(table: string, rows: number, withText: boolean): string {
    const key = `${withText ? 't' : 'n'}${rows}\0${table}`;
    let sql = this.#upserts.get(key);
    if (sql === undefined) {
      if (this.#upserts.size >= 256) this.#upserts.clear();
      this.#upserts.set(key, (sql = upsertRowsSql(table, rows, withText)));
    }
    return sql;
  }

  /**
   * Reads with one prepared SELECT per 256 distinct keys, one result row per
   * entity; several SELECTs run in one read transaction, so they see one
   * snapshot of the database.
   */
  fetch(config: RepoConfig<SqliteOnlineStoreConfig>, view: FeatureView, request: FetchRequest, sink: FetchSink, site: DriverSite): void {
    const settings = resolveSqliteSettings(config);
    const table = (site.table = sqliteTableName(config, view));
    const handle = this.#connections.get(settings.file, settings.busyTimeoutMs);
    const read = (): void => {
      if (!readGrouped(this.#connections, handle, table, request, sink)) readRows(this.#connections, handle, table, request, sink);
    };
    // One SELECT is a snapshot on its own; several share one in a (deferred) read transaction.
    if (request.keys.length > 256 && !handle.db.inTransaction) handle.db.transaction(read).deferred();
    else read();
  }

  classify(err: unknown, site: DriverSite, config: RepoConfig<SqliteOnlineStoreConfig>): unknown {
    let file: string;
    try {
      file = resolveSqliteSettings(config).file;
    } catch {
      return err;
    }
    return toStoreError(err, { action: ACTIONS[site.action], file, table: site.table });
  }

  close(): void {
    this.#connections.closeAll();
  }

  /** Whether `table` has Feast's `value_text` column (tables of old Feast releases do not), remembered per connection. */
  #hasValueText(handle: SqliteHandle, table: string): boolean {
    let known = handle.valueTextColumn.get(table);
    if (known === undefined) {
      const columns = handle.db.prepare(tableInfoSql(table)).all() as Array<{ name: string }>;
      known = columns.some((c) => c.name === 'value_text');
      // An unknown table stays unknown: the upsert reports it as missing.
      if (columns.length > 0) handle.valueTextColumn.set(table, known);
    }
    return known;
  }

  /** Runs `[table, sql]` DDL steps in one transaction; prepared statements are dropped after a schema change. */
  #runDdl(settings: SqliteSettings, steps: ReadonlyArray<[string, string]>, site: DriverSite): void {
    const handle = this.#connections.get(settings.file, settings.busyTimeoutMs);
    try {
      handle.db.transaction(() => {
        for (const [table, sql] of steps) {
          site.table = table;
          handle.db.prepare(sql).run(); // prepare() takes one statement only: a name can never smuggle in a second
        }
      })();
    } finally {
      handle.statements.clear();
      handle.valueTextColumn.clear();
    }
  }
}
