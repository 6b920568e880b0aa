import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RepoConfig } from '@feast-ts/core';
import { CleanupList, createTestDatabase, parsePostgresUrl, uniquePgName } from '@feast-ts/test-servers';
import pg from 'pg';
import { afterEach, describe, inject } from 'vitest';
import { PostgreSQLOnlineStore, type PostgreSQLOnlineStoreConfig } from '../src/index.js';

/** Admin URL of the run's server (see global-setup.ts), or null when there is none. */
export const serverUrl: string | null = inject('postgresServerUrl');

/** `describe` that runs only when a server is available (the global setup already said so loudly otherwise). */
export function describeWithServer(name: string, fn: () => void): void {
  (serverUrl ? describe : describe.skip)(name, fn);
}

export { driver, driverKey, driverRow, driverStats } from '@feast-ts/test-servers';

/** A fresh database on the server, a repo config and a store pointing at it, and a raw client. */
export interface Fixture {
  database: string;
  url: string;
  project: string;
  schema: string;
  config: RepoConfig<PostgreSQLOnlineStoreConfig>;
  store: PostgreSQLOnlineStore;
  /** A raw pg client on the same database (session time zone UTC). */
  raw: pg.Client;
  /** A repo config for the same database with a different online_store section merged in. */
  configWith(extra: Partial<PostgreSQLOnlineStoreConfig>): RepoConfig<PostgreSQLOnlineStoreConfig>;
}

const cleanups = new CleanupList();
afterEach(() => cleanups.run());

/** Registers something to undo after the current test. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.add(fn);
}

/** A repo config for a store on `url`, in a temp feature repo. */
export function repoConfig(url: string, onlineStore: Partial<PostgreSQLOnlineStoreConfig> = {}, project = uniquePgName('proj')): RepoConfig<PostgreSQLOnlineStoreConfig> {
  const p = parsePostgresUrl(url);
  const repoPath = mkdtempSync(path.join(tmpdir(), 'feast-ts-pg-repo-'));
  onCleanup(async () => rmSync(repoPath, { recursive: true, force: true }));
  return {
    project,
    registry: path.join(repoPath, 'data', 'registry.json'),
    provider: 'local',
    onlineStore: { type: 'postgres', host: p.host, port: p.port, user: p.user, password: p.password, database: p.database ?? 'postgres', ...onlineStore },
    entityKeySerializationVersion: 3,
    repoPath,
  };
}

/** A database of the test's own (dropped after the test), with a store and a raw client on it. */
export async function setup(prefix = 'feast_ts_pg', onlineStore: Partial<PostgreSQLOnlineStoreConfig> = {}): Promise<Fixture> {
  if (!serverUrl) throw new Error('no PostgreSQL server (see the global setup message)');
  const db = await createTestDatabase(serverUrl, prefix);
  const project = uniquePgName('proj');
  const schema = 'feast';
  const base = repoConfig(db.url, { db_schema: schema }, project);
  const configWith = (extra: Partial<PostgreSQLOnlineStoreConfig>): RepoConfig<PostgreSQLOnlineStoreConfig> => ({
    ...base,
    onlineStore: { ...base.onlineStore, ...extra },
  });
  const store = new PostgreSQLOnlineStore();
  const raw = new pg.Client({ connectionString: db.url, options: '-c TimeZone=UTC' });
  await raw.connect();
  onCleanup(async () => {
    await store.close();
    await raw.end();
    await db.drop();
  });
  return { database: db.name, url: db.url, project, schema, config: configWith(onlineStore), store, raw, configWith };
}

/** Rows of a table, ordered by key and feature, bytes as hex and timestamps as ISO text with microseconds. */
export async function tableRows(
  raw: pg.Client,
  qualified: string,
): Promise<Array<{ entity_key: string; feature_name: string; value: string; value_text: string | null; event_ts: string | null; created_ts: string | null }>> {
  const { rows } = await raw.query(
    `SELECT encode(entity_key, 'hex') AS entity_key, feature_name, encode(value, 'hex') AS value, value_text, ` +
      `to_char(event_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS event_ts, to_char(created_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created_ts ` +
      `FROM ${qualified} ORDER BY entity_key, feature_name`,
  );
  return rows;
}
