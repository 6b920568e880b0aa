import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RepoConfig } from '@feast-ts/core';
import type mysql from 'mysql2/promise';
import { afterEach, describe, inject } from 'vitest';
import { CleanupList, createMySQLTestDatabase, mysqlAdminConnection, parseMySQLUrl, uniqueMySQLName } from '@feast-ts/test-servers';
import { MySQLOnlineStore, type MySQLOnlineStoreConfig } from '../src/index.js';

/** Admin URL of the run's server (see global-setup.ts), or null when there is none. */
export const serverUrl: string | null = inject('mysqlServerUrl');
/** Where the server came from. */
export const serverSource: string | null = inject('mysqlServerSource');

/** `describe` that runs only when a server is available (the global setup already said so loudly otherwise). */
export function describeWithServer(name: string, fn: () => void): void {
  (serverUrl ? describe : describe.skip)(name, fn);
}

export { driver, driverKey, driverRow, driverStats } from '@feast-ts/test-servers';

/** A fresh database on the server, a repo config and a store pointing at it, and a raw connection. */
export interface Fixture {
  database: string;
  url: string;
  project: string;
  config: RepoConfig<MySQLOnlineStoreConfig>;
  store: MySQLOnlineStore;
  /** A raw mysql2 connection to the same database (session time zone '+00:00'). */
  raw: mysql.Connection;
  /** A repo config for the same database with a different online_store section merged in. */
  configWith(extra: Partial<MySQLOnlineStoreConfig>): RepoConfig<MySQLOnlineStoreConfig>;
}

const cleanups = new CleanupList();
afterEach(() => cleanups.run());

/** Registers something to undo after the current test. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.add(fn);
}

/** A database of the test's own (dropped after the test), with a store and a raw connection on it. */
export async function setup(prefix = 'feast_ts_mysql', onlineStore: Partial<MySQLOnlineStoreConfig> = {}, url: string | null = serverUrl): Promise<Fixture> {
  if (!url) throw new Error('no MySQL server (see the global setup message)');
  const db = await createMySQLTestDatabase(url, prefix);
  const repoPath = mkdtempSync(path.join(tmpdir(), 'feast-ts-mysql-repo-'));
  const project = uniqueMySQLName('proj');
  const p = parseMySQLUrl(db.url);
  const base: MySQLOnlineStoreConfig = { type: 'mysql', host: p.host, port: p.port, user: p.user, password: p.password, database: p.database ?? db.name };
  const configWith = (extra: Partial<MySQLOnlineStoreConfig>): RepoConfig<MySQLOnlineStoreConfig> => ({
    project,
    registry: path.join(repoPath, 'data', 'registry.db'),
    provider: 'local',
    onlineStore: { ...base, ...extra },
    entityKeySerializationVersion: 3,
    repoPath,
  });
  const store = new MySQLOnlineStore();
  const raw = await mysqlAdminConnection(db.url);
  await raw.query("SET time_zone = '+00:00'");
  cleanups.add(async () => {
    await store.close();
    await raw.end();
    await db.drop();
    rmSync(repoPath, { recursive: true, force: true });
  });
  return { database: db.name, url: db.url, project, config: configWith(onlineStore), store, raw, configWith };
}

/** Rows of a table as plain objects, ordered by key, timestamps as 'YYYY-MM-DD HH:MM:SS' strings of the raw session. */
export async function tableRows(
  raw: mysql.Connection,
  table: string,
): Promise<Array<{ entity_key: string; feature_name: string; value: string; event_ts: string | null; created_ts: string | null }>> {
  const [rows] = await raw.query(
    `SELECT entity_key, feature_name, HEX(value) AS value, DATE_FORMAT(event_ts, '%Y-%m-%d %H:%i:%s') AS event_ts, ` +
      `DATE_FORMAT(created_ts, '%Y-%m-%d %H:%i:%s') AS created_ts FROM \`${table}\` ORDER BY entity_key, feature_name`,
  );
  return (rows as Array<{ entity_key: string; feature_name: string; value: string; event_ts: string | null; created_ts: string | null }>).map(
    (r) => ({ ...r, value: r.value.toLowerCase() }),
  );
}

/** Ids of the server connections to `database`, other than `raw`'s own. */
export async function connectionIdsOf(raw: mysql.Connection, database: string): Promise<number[]> {
  const [rows] = await raw.query({
    sql: 'SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()',
    values: [database],
    rowsAsArray: true,
  });
  return (rows as Array<[number]>).map((r) => Number(r[0]));
}
