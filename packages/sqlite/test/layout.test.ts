import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteOnlineStore } from '../src/index.js';
import { driverKey, driverStats, setup } from './helpers.js';

const TABLE = 'test_project_driver_hourly_stats';

describe('table layout (Feast SqliteOnlineStore)', () => {
  it('creates <project>_<view> with Feast columns, primary key and the <table>_ek index', async () => {
    const { store, config, raw } = setup();
    await store.update(config, [], [driverStats()], [], [], false);
    const db = raw();

    const columns = db.prepare(`PRAGMA table_info("${TABLE}")`).all() as Array<{ name: string; type: string; pk: number }>;
    expect(columns.map((c) => [c.name, c.type, c.pk])).toEqual([
      ['entity_key', 'BLOB', 1],
      ['feature_name', 'TEXT', 2],
      ['value', 'BLOB', 0],
      ['value_text', 'TEXT', 0],
      ['vector_value', 'BLOB', 0],
      ['event_ts', 'timestamp', 0],
      ['created_ts', 'timestamp', 0],
    ]);

    const indexes = db
      .prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      .all() as Array<{ name: string; tbl_name: string }>;
    expect(indexes).toEqual([{ name: `${TABLE}_ek`, tbl_name: TABLE }]);
    const indexed = db.prepare(`PRAGMA index_info("${TABLE}_ek")`).all() as Array<{ name: string }>;
    expect(indexed.map((c) => c.name)).toEqual(['entity_key']);
  });

  it('creates the directory of the database file and uses WAL', async () => {
    const { store, config, dbFile, raw } = setup();
    expect(existsSync(path.dirname(dbFile))).toBe(false);
    await store.update(config, [], [driverStats()], [], [], false);
    expect(existsSync(dbFile)).toBe(true);
    expect(raw().pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('is idempotent: a second update changes neither schema nor data', async () => {
    const { store, config, raw } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[driverKey(1n), { conv_rate: { doubleVal: 0.5 } }, new Date(0), null]]);
    const db = raw();
    const schema = () => db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').all();
    const before = schema();
    await store.update(config, [], [view], [], [], false);
    await store.update(config, [], [view], [], [], true);
    expect(schema()).toEqual(before);
    expect(db.prepare(`SELECT count(*) AS n FROM "${TABLE}"`).get()).toEqual({ n: 1 });
  });

  it('drops the tables of views to delete and keeps the others', async () => {
    const { store, config, raw } = setup();
    const a = driverStats('a');
    const b = driverStats('b');
    await store.update(config, [], [a, b], [], [], false);
    await store.update(config, [a], [b], [], [], false);
    const names = raw().prepare("SELECT name FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").pluck().all();
    expect(names).toEqual(['test_project_b', 'test_project_b_ek']);
  });

  it('teardown drops only its own tables and leaves the rest of the file alone', async () => {
    const { store, config, raw } = setup();
    const view = driverStats();
    await store.update(config, [], [view, driverStats('other')], [], [], false);
    const db = raw();
    db.exec('CREATE TABLE user_owned (x INTEGER)');
    await store.teardown(config, [view], []);
    const names = db.prepare("SELECT name FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").pluck().all();
    expect(names).toEqual(['test_project_other', 'test_project_other_ek', 'user_owned']);
    await store.teardown(config, [view], []); // again: nothing left to drop, no error
  });

  it('teardown does not create a database that does not exist', async () => {
    const { store, config, dbFile } = setup();
    await store.teardown(config, [driverStats()], []);
    expect(existsSync(dbFile)).toBe(false);
  });

  it('accepts an absolute path', async () => {
    const { store, config, repoPath } = setup();
    const file = path.join(repoPath, 'elsewhere', 'features.sqlite');
    const absolute = { ...config, onlineStore: { type: 'sqlite', path: file } };
    await store.update(absolute, [], [driverStats()], [], [], false);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT name FROM sqlite_master WHERE type = ?').pluck().get('table')).toBe(TABLE);
    db.close();
  });

  it('keeps a :memory: database per store instance until close()', async () => {
    const { config } = setup();
    const memory = { ...config, onlineStore: { type: 'sqlite', path: ':memory:' } };
    const view = driverStats();
    const one = new SqliteOnlineStore();
    const two = new SqliteOnlineStore();
    try {
      await one.update(memory, [], [view], [], [], false);
      await one.onlineWriteBatch(memory, view, [[driverKey(7n), { conv_rate: { doubleVal: 1 } }, new Date(0), null]]);
      expect((await one.onlineRead(memory, view, [driverKey(7n)]))[0]![1]).toEqual({ conv_rate: { doubleVal: 1 } });
      await expect(two.onlineRead(memory, view, [driverKey(7n)])).rejects.toMatchObject({ kind: 'table_missing' });
      await one.close();
      await expect(one.onlineRead(memory, view, [driverKey(7n)])).rejects.toMatchObject({ kind: 'table_missing' });
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('reopens the database after close()', async () => {
    const { store, config, repoPath } = setup();
    mkdirSync(path.join(repoPath, 'data'));
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[driverKey(1n), { conv_rate: { doubleVal: 2 } }, new Date(0), null]]);
    await store.close();
    expect((await store.onlineRead(config, view, [driverKey(1n)]))[0]![1]).toEqual({ conv_rate: { doubleVal: 2 } });
  });
});
