import { expect } from 'vitest';

/** What {@link checkRestartKeepsData} needs of one kind of SQL server. */
export interface SqlProbe {
  /** Runs one statement on a new connection to `url` and returns its rows as arrays. */
  query(url: string, sql: string, params?: unknown[]): Promise<unknown[][]>;
  createDatabase(url: string, prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }>;
  /** A statement with one row per table of the current database named by its one parameter. */
  tableSql: string;
  /** A statement with one row per database named by its one parameter. */
  databaseSql: string;
}

/**
 * Checks a throwaway server end to end: a database of its own with a table in
 * it, which a restart keeps, and which `drop()` removes. Returns the
 * database's name.
 */
export async function checkRestartKeepsData(server: { url: string; restart?(): Promise<void> }, probe: SqlProbe): Promise<string> {
  const db = await probe.createDatabase(server.url, 'ts_probe');
  await probe.query(db.url, 'CREATE TABLE t (x int)');
  await server.restart!();
  expect(await probe.query(db.url, probe.tableSql, ['t'])).toHaveLength(1);
  await db.drop();
  expect(await probe.query(server.url, probe.databaseSql, [db.name])).toHaveLength(0);
  return db.name;
}
