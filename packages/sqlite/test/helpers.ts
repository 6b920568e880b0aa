import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Entity, FeastType, FeatureView, Field, ValueType, type EntityKeyProto, type RepoConfig } from '@feast-ts/core';
import { afterEach } from 'vitest';
import { SqliteOnlineStore, type SqliteOnlineStoreConfig } from '../src/index.js';

/** The driver entity of Feast's quickstart. */
export const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });

/** A view like Feast's quickstart `driver_hourly_stats`. */
export function driverStats(name = 'driver_hourly_stats'): FeatureView {
  return new FeatureView({
    name,
    entities: [driver],
    schema: [
      new Field({ name: 'conv_rate', dtype: FeastType.Float64 }),
      new Field({ name: 'avg_daily_trips', dtype: FeastType.Int64 }),
    ],
  });
}

/** `{ driver_id: id }` as an entity key. */
export function driverKey(id: bigint): EntityKeyProto {
  return { joinKeys: ['driver_id'], entityValues: [{ int64Val: id }] };
}

/** Bytes from a hex string. */
export function hex(text: string): Buffer {
  return Buffer.from(text, 'hex');
}

interface Fixture {
  repoPath: string;
  dbFile: string;
  config: RepoConfig<SqliteOnlineStoreConfig>;
  store: SqliteOnlineStore;
  /** A second, raw connection to the same file, for checking what the store wrote. */
  raw(): Database.Database;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A temp feature repo with a store whose db is `data/online.db`; everything is removed after the test. */
export function setup(project = 'test_project', onlineStore: Partial<SqliteOnlineStoreConfig> = {}): Fixture {
  const repoPath = mkdtempSync(path.join(tmpdir(), 'feast-ts-sqlite-'));
  const config: RepoConfig<SqliteOnlineStoreConfig> = {
    project,
    registry: path.join(repoPath, 'data', 'registry.db'),
    provider: 'local',
    onlineStore: { type: 'sqlite', path: 'data/online.db', ...onlineStore },
    entityKeySerializationVersion: 3,
    repoPath,
  };
  const store = new SqliteOnlineStore();
  const raws: Database.Database[] = [];
  cleanups.push(async () => {
    for (const db of raws) db.close();
    await store.close();
    rmSync(repoPath, { recursive: true, force: true });
  });
  return {
    repoPath,
    dbFile: path.join(repoPath, 'data', 'online.db'),
    config,
    store,
    raw() {
      mkdirSync(path.join(repoPath, 'data'), { recursive: true });
      const db = new Database(path.join(repoPath, 'data', 'online.db'));
      raws.push(db);
      return db;
    },
  };
}
