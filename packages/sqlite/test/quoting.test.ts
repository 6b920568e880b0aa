import { OnlineStoreError } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { quoteIdentifier } from '../src/sql.js';
import { driverKey, driverStats, setup } from './helpers.js';

describe('identifier quoting', () => {
  it('doubles embedded double quotes', () => {
    expect(quoteIdentifier('plain')).toBe('"plain"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier('"')).toBe('""""');
  });

  it('stores, reads and drops a view whose name tries to inject SQL', async () => {
    const { store, config, raw } = setup();
    const db = raw();
    db.exec('CREATE TABLE victim (x INTEGER); INSERT INTO victim VALUES (1)');
    const nasty = driverStats(`x"; DROP TABLE victim; -- ' [weird] name ✓`);
    const table = `test_project_${nasty.name}`;

    await store.update(config, [], [nasty], [], [], false);
    await store.onlineWriteBatch(config, nasty, [[driverKey(1n), { 'feature"name': { stringVal: 'ok' } }, new Date(0), null]]);
    expect(await store.onlineRead(config, nasty, [driverKey(1n)], ['feature"name'])).toEqual([
      [new Date(0), { 'feature"name': { stringVal: 'ok' } }],
    ]);

    const names = () => db.prepare("SELECT name FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").pluck().all();
    expect(names()).toEqual([table, `${table}_ek`, 'victim']);
    await store.teardown(config, [nasty], []);
    expect(names()).toEqual(['victim']);
    expect(db.prepare('SELECT x FROM victim').pluck().all()).toEqual([1]);
  });

  it('rejects names SQLite cannot hold with kind invalid_identifier', async () => {
    const { store, config } = setup('sqlite');
    await expect(store.update(config, [], [driverStats()], [], [], false)).rejects.toMatchObject({
      kind: 'invalid_identifier',
      message: expect.stringContaining('sqlite_driver_hourly_stats'),
    });
    const other = setup();
    const withNul = driverStats('bad\0name');
    await expect(other.store.update(other.config, [], [withNul], [], [], false)).rejects.toBeInstanceOf(OnlineStoreError);
    await expect(other.store.onlineRead(other.config, withNul, [driverKey(1n)])).rejects.toMatchObject({ kind: 'invalid_identifier' });
  });
});
