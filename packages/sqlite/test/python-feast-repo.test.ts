import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { FeatureStore, serializeEntityKey } from '@feast-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { GOLDEN_KEYS, GOLDEN_VALUES } from './fixtures/feast-golden.js';
import { hex } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/python-repo/', import.meta.url));
const resolveFrom = [import.meta.url];

/** Python Feast's SqliteOnlineStore table, as its update() creates it. */
const ddl = (table: string): string => `
  CREATE TABLE IF NOT EXISTS ${table} (entity_key BLOB, feature_name TEXT, value BLOB, vector_value BLOB, event_ts timestamp, created_ts timestamp,  PRIMARY KEY(entity_key, feature_name));
  CREATE INDEX IF NOT EXISTS ${table}_ek ON ${table} (entity_key);`;

/** Feast's key of entityless views, `{ __dummy_id: "" }`, serialization version 3, written out by hand. */
const DUMMY_KEY_V3 = Buffer.concat([
  Buffer.from('01000000', 'hex'), // one join key
  Buffer.from('02000000', 'hex'), Buffer.from('0a000000', 'hex'), Buffer.from('__dummy_id'),
  Buffer.from('02000000', 'hex'), Buffer.from('00000000', 'hex'), // STRING, empty
]);

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A copy of the Python repo with an online.db in Feast's layout, holding Feast's bytes. */
function pythonRepo(): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'feast-python-repo-'));
  dirs.push(repo);
  cpSync(FIXTURE, repo, { recursive: true });
  const db = new Database(path.join(repo, 'data', 'online.db'));
  try {
    db.exec(ddl('driver_ranking_driver_hourly_stats') + ddl('driver_ranking_global_stats'));
    const insert = (table: string) => db.prepare(`INSERT INTO ${table} (entity_key, feature_name, value, event_ts, created_ts) VALUES (?, ?, ?, ?, ?)`);
    const dhs = insert('driver_ranking_driver_hourly_stats');
    dhs.run(hex(GOLDEN_KEYS.driver1001V3), 'conv_rate', hex(GOLDEN_VALUES.float_1_5), 1700000000, 1700000001);
    dhs.run(hex(GOLDEN_KEYS.driver1001V3), 'avg_daily_trips', hex(GOLDEN_VALUES.int64_1001), 1700000000, 1700000001);
    dhs.run(hex(GOLDEN_KEYS.driver1001V3), 'acc_rate', hex(GOLDEN_VALUES.double_0_5), 1700000000, 1700000001);
    insert('driver_ranking_global_stats').run(DUMMY_KEY_V3, 'total_rides', hex(GOLDEN_VALUES.int64_1001), 1700000000, null);
  } finally {
    db.close();
  }
  return repo;
}

describe('a Python Feast repo (Feast registry.db + SQLite online store) served by feast-ts', () => {
  it('the dummy key written by hand is the one feast-ts serializes', () => {
    expect(Buffer.from(serializeEntityKey({ joinKeys: ['__dummy_id'], entityValues: [{ stringVal: '' }] }, 3)).equals(DUMMY_KEY_V3)).toBe(true);
  });

  it('serves a feature service through the API, and leaves the registry untouched', async () => {
    const repo = pythonRepo();
    const registryBefore = readFileSync(path.join(repo, 'data', 'registry.db'));
    // #region serve-feature-service
    const store = await FeatureStore.open(repo, { resolveFrom });
    try {
      const svc = await store.getFeatureService('driver_activity_v1');
      const res = await store.getOnlineFeatures({ features: svc, entityRows: [{ driver_id: 1001 }, { driver_id: 5 }] });
      const columns = res.toDict(); // Feast's to_dict(); JSON.stringify(res) is Feast's HTTP response
      // #endregion serve-feature-service
      expect(columns).toEqual({
        driver_id: [1001n, 5n],
        conv_rate: [1.5, null],
        avg_daily_trips: [1001n, null],
        total_rides: [1001n, 1001n],
      });
      const full = await store.getOnlineFeatures({ features: await store.getFeatureService('driver_activity_aliased'), entityRows: [{ driver_id: 1001 }], fullFeatureNames: true });
      expect(full.toDict()).toEqual({ driver_id: [1001n], dhs__conv_rate: [1.5] });
      expect((await store.getOnlineFeatures({ features: ['driver_hourly_stats:acc_rate'], entityRows: [{ driver_id: 1001 }] })).toDict()).toEqual({ driver_id: [1001n], acc_rate: [0.5] });
      await expect(store.getOnlineFeatures({ features: await store.getFeatureService('needs_python'), entityRows: [{ driver_id: 1001 }] })).rejects.toMatchObject({
        code: 'NOT_SERVABLE',
        viewName: 'conv_rate_plus_val',
      });
    } finally {
      await store.close();
    }
    expect(readFileSync(path.join(repo, 'data', 'registry.db')).equals(registryBefore)).toBe(true);
  });
});

describe('registry.enable_online_feature_view_versioning', () => {
  it('names the online table <project>_<view>_v<N> for a view at version N', async () => {
    const { FeatureView, Field, FeastType, Entity, ValueType } = await import('@feast-ts/core');
    const { SqliteOnlineStore } = await import('../src/index.js');
    const repo = mkdtempSync(path.join(tmpdir(), 'feast-versioned-'));
    dirs.push(repo);
    const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
    const view = new FeatureView({ name: 'stats', entities: [driver], schema: [new Field({ name: 'x', dtype: FeastType.Int64 })], currentVersionNumber: 2 });
    const config = {
      project: 'p',
      registry: path.join(repo, 'data', 'registry.db'),
      registryConfig: { registryType: 'file', path: path.join(repo, 'data', 'registry.db'), cacheTtlSeconds: 600, enableOnlineFeatureViewVersioning: true, options: {} },
      provider: 'local',
      onlineStore: { type: 'sqlite' as const, path: 'data/online.db' },
      entityKeySerializationVersion: 3 as const,
      repoPath: repo,
    };
    const store = new SqliteOnlineStore();
    try {
      await store.update(config, [], [view], [], [driver], true);
      await store.onlineWriteBatch(config, view, [[{ joinKeys: ['driver_id'], entityValues: [{ int64Val: 1n }] }, { x: { int64Val: 7n } }, new Date(0), null]]);
    } finally {
      await store.close();
    }
    const db = new Database(path.join(repo, 'data', 'online.db'), { readonly: true });
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
      expect(tables).toEqual(['p_stats_v2']);
    } finally {
      db.close();
    }
  });
});
