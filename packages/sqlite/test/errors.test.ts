import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OnlineStoreError, ValueConversionError } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { toStoreError } from '../src/errors.js';
import { driverKey, driverStats, setup } from './helpers.js';

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'SqliteError', code });
}

const site = { action: 'write to', file: '/repo/data/online.db', table: 'p_view' };

describe('toStoreError', () => {
  it.each([
    ['SQLITE_ERROR', 'no such table: p_view', 'table_missing', /feast-ts apply/],
    ['SQLITE_ERROR', 'object name reserved for internal use: sqlite_x', 'invalid_identifier', /sqlite_/],
    ['SQLITE_CANTOPEN', 'unable to open database file', 'unreachable', /online_store\.path/],
    ['SQLITE_NOTADB', 'file is not a database', 'unreachable', /not a usable SQLite database/],
    ['SQLITE_CORRUPT', 'database disk image is malformed', 'unreachable', /corrupt/],
    ['SQLITE_READONLY', 'attempt to write a readonly database', 'auth_failed', /permission/],
    ['SQLITE_BUSY', 'database is locked', 'timeout', /locked/],
    ['SQLITE_LOCKED_SHAREDCACHE', 'database table is locked', 'timeout', /locked/],
    ['SQLITE_TOOBIG', 'string or blob too big', 'value_too_large', /smaller/],
    ['SQLITE_FULL', 'database or disk is full', 'query_failed', /full/],
    ['SQLITE_IOERR_WRITE', 'disk I/O error', 'connection_lost', /I\/O/],
    ['SQLITE_CONSTRAINT', 'something odd', 'query_failed', /layout/],
  ])('maps %s (%s) to %s', (code, message, kind, advice) => {
    const err = toStoreError(sqliteError(code, message), site) as OnlineStoreError;
    expect(err).toBeInstanceOf(OnlineStoreError);
    expect(err.kind).toBe(kind);
    expect(err.code).toBe('STORE_FAILED');
    expect(err.message).toContain('/repo/data/online.db');
    expect(err.message).toContain(message);
    expect(err.message).toMatch(advice);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('maps file system errors from creating the directory', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(toStoreError(denied, site)).toMatchObject({ kind: 'auth_failed' });
  });

  it('passes feast-ts errors and foreign errors through unchanged', () => {
    const value = new ValueConversionError('bad value');
    expect(toStoreError(value, site)).toBe(value);
    const callback = new Error('progress sink closed');
    expect(toStoreError(callback, site)).toBe(callback);
  });
});

describe('driver failures surface as OnlineStoreError', () => {
  it('a file that is not a SQLite database', async () => {
    const { store, config, dbFile } = setup();
    mkdirSync(path.dirname(dbFile), { recursive: true });
    writeFileSync(dbFile, 'this is not a database, it is a text file that is long enough to have a header'.repeat(20));
    const update = store.update(config, [], [driverStats()], [], [], false);
    await expect(update).rejects.toMatchObject({ kind: 'unreachable', code: 'STORE_FAILED' });
    await expect(update).rejects.toThrow(dbFile);
  });

  it('a path that is a directory', async () => {
    const { store, config, dbFile } = setup();
    mkdirSync(dbFile, { recursive: true });
    const read = store.onlineRead(config, driverStats(), [driverKey(1n)]);
    await expect(read).rejects.toMatchObject({ kind: 'unreachable' });
    await expect(read).rejects.toThrow(/Cannot open the SQLite database/);
  });

  it('a path below a file', async () => {
    const { store, config, repoPath } = setup();
    writeFileSync(path.join(repoPath, 'data'), 'a file where the directory should be');
    const update = store.update(config, [], [driverStats()], [], [], false);
    await expect(update).rejects.toBeInstanceOf(OnlineStoreError);
    await expect(update).rejects.toMatchObject({ kind: 'unreachable' });
    await expect(update).rejects.toThrow(path.join(repoPath, 'data', 'online.db'));
  });

  it('a stored value that is not a feast.types.Value', async () => {
    const { store, config, raw } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[driverKey(1n), { conv_rate: { doubleVal: 1 } }, new Date(0), null]]);
    raw().exec(`UPDATE test_project_driver_hourly_stats SET value = x'ffffffff'`);
    await expect(store.onlineRead(config, view, [driverKey(1n)])).rejects.toThrow(
      /Feature "conv_rate" in table "test_project_driver_hourly_stats".*feast\.types\.Value/,
    );
  });

  it('an event_ts that is not a timestamp', async () => {
    const { store, config, raw } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[driverKey(1n), { conv_rate: { doubleVal: 1 } }, new Date(0), null]]);
    raw().exec(`UPDATE test_project_driver_hourly_stats SET event_ts = 'last tuesday'`);
    await expect(store.onlineRead(config, view, [driverKey(1n)])).rejects.toMatchObject({
      kind: 'query_failed',
      message: expect.stringContaining('last tuesday'),
    });
  });
});
