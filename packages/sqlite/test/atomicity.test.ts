import { EntityKeySerializationError, OnlineStoreError, ValueConversionError, type OnlineWriteRow, type ValueProto } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { driverKey, driverStats, setup } from './helpers.js';

const TABLE = 'test_project_driver_hourly_stats';
const T = new Date('2024-01-01T00:00:00Z');

async function withExistingData() {
  const fixture = setup();
  const view = driverStats();
  await fixture.store.update(fixture.config, [], [view], [], [], false);
  await fixture.store.onlineWriteBatch(fixture.config, view, [
    [driverKey(1n), { conv_rate: { doubleVal: 0.5 }, avg_daily_trips: { int64Val: 1n } }, T, null],
  ]);
  const db = fixture.raw();
  const snapshot = () => db.prepare(`SELECT * FROM "${TABLE}" ORDER BY entity_key, feature_name`).all();
  return { ...fixture, view, db, snapshot, before: snapshot() };
}

function goodRows(n: number): OnlineWriteRow[] {
  const rows: OnlineWriteRow[] = [];
  // includes an update of the existing entity 1, which must be rolled back too
  for (let i = 1n; i <= BigInt(n); i++) rows.push([driverKey(i), { conv_rate: { doubleVal: 9 }, avg_daily_trips: { int64Val: i } }, T, null]);
  return rows;
}

describe('onlineWriteBatch is atomic', () => {
  it('writes nothing when the last row has a value that cannot be encoded', async () => {
    const { store, config, view, snapshot, before } = await withExistingData();
    const bad = { int64Val: 5 } as unknown as ValueProto; // a number, not a bigint
    const rows = [...goodRows(50), [driverKey(1000n), { conv_rate: bad }, T, null] as OnlineWriteRow];
    const write = store.onlineWriteBatch(config, view, rows);
    await expect(write).rejects.toBeInstanceOf(ValueConversionError);
    await expect(write).rejects.toThrow(/Row 50 .*"driver_hourly_stats".*feature "conv_rate".*int64Val/);
    expect(snapshot()).toEqual(before);
  });

  it('writes nothing when an entity key in the middle is invalid', async () => {
    const { store, config, view, snapshot, before } = await withExistingData();
    const rows = goodRows(20);
    rows.splice(10, 0, [{ joinKeys: ['driver_id'], entityValues: [{ doubleVal: 1.5 }] }, { conv_rate: { doubleVal: 1 } }, T, null]);
    await expect(store.onlineWriteBatch(config, view, rows)).rejects.toBeInstanceOf(EntityKeySerializationError);
    expect(snapshot()).toEqual(before);
  });

  it('writes nothing when an event timestamp is not a valid Date', async () => {
    const { store, config, view, snapshot, before } = await withExistingData();
    const rows = [...goodRows(5), [driverKey(77n), { conv_rate: { doubleVal: 1 } }, new Date(Number.NaN), null] as OnlineWriteRow];
    await expect(store.onlineWriteBatch(config, view, rows)).rejects.toThrow(/Row 5 .*event timestamp must be a valid Date/);
    expect(snapshot()).toEqual(before);
  });

  it('rolls back when SQLite fails part-way (forced by a trigger) and wraps the error', async () => {
    const { store, config, view, db, snapshot, before } = await withExistingData();
    db.exec(`CREATE TRIGGER boom BEFORE INSERT ON "${TABLE}" WHEN NEW.feature_name = 'boom'
             BEGIN SELECT RAISE(ABORT, 'forced failure'); END`);
    const rows = [...goodRows(30), [driverKey(500n), { boom: { doubleVal: 1 } }, T, null] as OnlineWriteRow, ...goodRows(3)];
    const write = store.onlineWriteBatch(config, view, rows);
    await expect(write).rejects.toBeInstanceOf(OnlineStoreError);
    await expect(write).rejects.toMatchObject({ kind: 'query_failed', code: 'STORE_FAILED' });
    await expect(write).rejects.toThrow(/forced failure.*test_project_driver_hourly_stats/s);
    expect(snapshot()).toEqual(before);
    // the connection is still usable afterwards
    db.exec('DROP TRIGGER boom');
    await store.onlineWriteBatch(config, view, goodRows(2));
    expect(snapshot()).not.toEqual(before);
  });

  it('rolls back when the progress callback throws, and passes its error through', async () => {
    const { store, config, view, snapshot, before } = await withExistingData();
    const failure = new Error('progress sink closed');
    const write = store.onlineWriteBatch(config, view, goodRows(1500), () => {
      throw failure;
    });
    await expect(write).rejects.toBe(failure);
    expect(snapshot()).toEqual(before);
  });
});
