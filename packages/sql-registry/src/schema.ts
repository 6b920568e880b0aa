import { createIndexSql, createTableSql } from './ddl.js';
import { errorCode, toText, type SqlDriver, type SqlSession } from './drivers/driver.js';
import { SqlRegistryDatabaseError } from './errors.js';
import { REGISTRY_TABLES } from './tables.js';

/**
 * Feast's `schema_mode`: `auto` creates the tables that are missing (as Feast's `create_all`),
 * `verify` only checks that they all exist, `skip` does neither.
 */
export type SchemaMode = 'auto' | 'verify' | 'skip';

function listTablesSql(driver: SqlDriver): string {
  switch (driver.dialect) {
    case 'sqlite':
      return "SELECT name AS table_name FROM sqlite_master WHERE type = 'table'";
    case 'postgresql':
      return 'SELECT table_name AS table_name FROM information_schema.tables WHERE table_schema = current_schema()';
    case 'mysql':
      return 'SELECT TABLE_NAME AS table_name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()';
  }
}

/** The tables of the database (of the current schema on PostgreSQL). */
export async function listTables(driver: SqlDriver, session: SqlSession): Promise<Set<string>> {
  const rows = await session.query(listTablesSql(driver));
  return new Set(rows.map((r) => toText(r['table_name']).toLowerCase()));
}

async function mysqlIndexes(session: SqlSession, table: string): Promise<Set<string>> {
  const rows = await session.query(
    'SELECT DISTINCT INDEX_NAME AS index_name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [table],
  );
  return new Set(rows.map((r) => toText(r['index_name'])));
}

/** An error saying the table or index is there already (another process created it a moment before). */
function alreadyExists(driver: SqlDriver, err: unknown): boolean {
  const code = String(errorCode(err) ?? '');
  const errno = (err as { errno?: unknown } | null)?.errno;
  if (driver.dialect === 'mysql') return errno === 1050 || errno === 1061;
  // 42P07 duplicate table, 42710 duplicate object ("type ... already exists": the table's row type), 23505 a catalog unique index.
  if (driver.dialect === 'postgresql') return code === '42P07' || code === '42710' || code === '23505';
  return /already exists/.test(String((err as Error)?.message));
}

/** One DDL statement in a transaction of its own (PostgreSQL aborts a transaction on any error). */
async function runDdl(driver: SqlDriver, sql: string): Promise<void> {
  try {
    await driver.transaction('write', async (s) => {
      // PostgreSQL's IF NOT EXISTS is not safe against a concurrent CREATE: serialize the DDL of
      // every process on one advisory lock, released with the transaction.
      if (driver.dialect === 'postgresql') await s.query("SELECT pg_advisory_xact_lock(hashtext('feast_sql_registry_schema'))");
      await s.execute(sql);
    });
  } catch (err) {
    if (!alreadyExists(driver, err)) throw err;
  }
}

/**
 * Makes sure Feast's registry tables exist. Tables that exist are left exactly as they are (a
 * registry Feast created keeps its schema); missing ones are created with Feast's DDL and
 * indexes. Safe when several processes start at once.
 *
 * @throws {@link SqlRegistryDatabaseError} (`not_a_registry`) in `verify` mode when tables are missing
 */
export async function ensureSchema(driver: SqlDriver, mode: SchemaMode): Promise<void> {
  if (mode === 'skip') return;
  const existing = await driver.transaction('read', (s) => listTables(driver, s));
  const missing = REGISTRY_TABLES.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return;
  if (mode === 'verify') {
    throw new SqlRegistryDatabaseError(
      'not_a_registry',
      `The SQL registry ${driver.description} is missing the tables ${missing.map((t) => t.name).join(', ')} ` +
        `(registry.schema_mode is verify). Create them with Feast (feast registry create-schema), or set schema_mode: auto.`,
    );
  }
  for (const table of missing) {
    await runDdl(driver, createTableSql(table, driver.dialect));
    const have = driver.dialect === 'mysql' ? await driver.transaction('read', (s) => mysqlIndexes(s, table.name)) : new Set<string>();
    for (const ix of createIndexSql(table, driver.dialect)) {
      if (!have.has(ix.name)) await runDdl(driver, ix.sql);
    }
  }
}
