import { OnlineStoreError, type EntityKeyProto, type OnlineWriteRow, type ValueProto } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { driverKey, driverStats, setup } from './helpers.js';

const TABLE = 'test_project_driver_hourly_stats';
const T1 = new Date('2023-11-14T22:13:20.789Z'); // epoch 1700000000.789
const T2 = new Date('2024-01-01T00:00:00.000Z');

async function applied(project?: string) {
  const fixture = setup(project);
  const view = driverStats();
  await fixture.store.update(fixture.config, [], [view], [], [], false);
  return { ...fixture, view };
}

describe('onlineWriteBatch + onlineRead', () => {
  it('round-trips values, aligned with the input keys, duplicates included, [null, null] for misses', async () => {
    const { store, config, view } = await applied();
    await store.onlineWriteBatch(config, view, [
      [driverKey(1n), { conv_rate: { doubleVal: 0.5 }, avg_daily_trips: { int64Val: 10n } }, T1, T2],
      [driverKey(2n), { conv_rate: { doubleVal: 0.25 } }, T2, null],
    ]);
    const result = await store.onlineRead(config, view, [driverKey(2n), driverKey(99n), driverKey(1n), driverKey(2n)]);
    expect(result).toEqual([
      [new Date('2024-01-01T00:00:00Z'), { conv_rate: { doubleVal: 0.25 } }],
      [null, null],
      [new Date('2023-11-14T22:13:20Z'), { conv_rate: { doubleVal: 0.5 }, avg_daily_trips: { int64Val: 10n } }],
      [new Date('2024-01-01T00:00:00Z'), { conv_rate: { doubleVal: 0.25 } }],
    ]);
    // duplicates get their own objects
    expect(result[3]![1]).not.toBe(result[0]![1]);
    expect(result[3]![0]).not.toBe(result[0]![0]);
  });

  it('returns only the requested features', async () => {
    const { store, config, view } = await applied();
    await store.onlineWriteBatch(config, view, [
      [driverKey(1n), { conv_rate: { doubleVal: 0.5 }, avg_daily_trips: { int64Val: 10n } }, T1, null],
      [driverKey(2n), { avg_daily_trips: { int64Val: 3n } }, T1, null],
    ]);
    expect(await store.onlineRead(config, view, [driverKey(1n), driverKey(2n)], ['conv_rate'])).toEqual([
      [new Date('2023-11-14T22:13:20Z'), { conv_rate: { doubleVal: 0.5 } }],
      [null, null],
    ]);
    expect(await store.onlineRead(config, view, [driverKey(1n)], [])).toEqual([[null, null]]);
  });

  it('filters many requested features too (more than fit in one SQL filter)', async () => {
    const { store, config, view } = await applied();
    const features: Record<string, ValueProto> = {};
    for (let i = 0; i < 300; i++) features[`f${i}`] = { int32Val: i };
    await store.onlineWriteBatch(config, view, [[driverKey(1n), features, T1, null]]);
    const wanted = Array.from({ length: 300 }, (_, i) => `f${i}`).filter((_, i) => i % 2 === 0);
    const [[, got]] = (await store.onlineRead(config, view, [driverKey(1n)], [...wanted, 'missing'])) as [[Date, Record<string, ValueProto>]];
    expect(Object.keys(got).sort()).toEqual([...wanted].sort());
    expect(got.f298).toEqual({ int32Val: 298 });
  });

  it('reads more keys than fit in one statement, in order', async () => {
    const { store, config, view } = await applied();
    const rows: OnlineWriteRow[] = [];
    for (let i = 0n; i < 1300n; i++) rows.push([driverKey(i), { avg_daily_trips: { int64Val: i * 2n } }, T1, null]);
    await store.onlineWriteBatch(config, view, rows);
    const keys: EntityKeyProto[] = [];
    for (let i = 1400n; i >= 0n; i -= 1n) keys.push(driverKey(i % 1350n));
    const result = await store.onlineRead(config, view, keys);
    expect(result).toHaveLength(keys.length);
    result.forEach(([ts, features], i) => {
      const id = BigInt(keys[i]!.entityValues[0]!.int64Val!);
      if (id < 1300n) expect(features).toEqual({ avg_daily_trips: { int64Val: id * 2n } });
      else expect([ts, features]).toEqual([null, null]);
    });
  });

  it('upserts: a later write replaces value and timestamps, other features stay', async () => {
    const { store, config, view, raw } = await applied();
    await store.onlineWriteBatch(config, view, [
      [driverKey(1n), { conv_rate: { doubleVal: 0.5 }, avg_daily_trips: { int64Val: 10n } }, T1, T1],
    ]);
    await store.onlineWriteBatch(config, view, [[driverKey(1n), { conv_rate: { doubleVal: 0.75 } }, T2, null]]);
    const rows = raw()
      .prepare(`SELECT feature_name, event_ts, created_ts FROM "${TABLE}" ORDER BY feature_name`)
      .all();
    expect(rows).toEqual([
      { feature_name: 'avg_daily_trips', event_ts: 1700000000, created_ts: 1700000000 },
      { feature_name: 'conv_rate', event_ts: 1704067200, created_ts: null },
    ]);
    // the entity's timestamp is the latest of its rows
    expect(await store.onlineRead(config, view, [driverKey(1n)])).toEqual([
      [T2, { conv_rate: { doubleVal: 0.75 }, avg_daily_trips: { int64Val: 10n } }],
    ]);
  });

  it('writes in multi-row statements: every cell of odd-sized writes lands, and a later row of a key wins within one statement and across statements', async () => {
    const { store, config, view, raw } = await applied();
    // 1,001 entities x 2 features = 2,002 cells: 3 chunks of 512, then 256, 128, 64, 32, 16 and 2.
    const rows: OnlineWriteRow[] = [];
    for (let i = 0n; i < 1001n; i++) rows.push([driverKey(i), { conv_rate: { doubleVal: Number(i) / 4 }, avg_daily_trips: { int64Val: i } }, T1, null]);
    // Key 3 again in the same chunk as its first row (cells 6-7 and 10-11), key 0 again in the last chunk.
    rows.splice(5, 0, [driverKey(3n), { conv_rate: { doubleVal: -3 } }, T2, null]);
    rows.push([driverKey(0n), { avg_daily_trips: { int64Val: -1n } }, T2, null]);
    await store.onlineWriteBatch(config, view, rows);
    expect(raw().prepare(`SELECT COUNT(*) AS n FROM "${TABLE}"`).get()).toEqual({ n: 2002 });
    const read = await store.onlineRead(config, view, [driverKey(3n), driverKey(0n), driverKey(1000n), driverKey(777n)]);
    expect(read).toEqual([
      [T2, { conv_rate: { doubleVal: -3 }, avg_daily_trips: { int64Val: 3n } }],
      [T2, { conv_rate: { doubleVal: 0 }, avg_daily_trips: { int64Val: -1n } }],
      [new Date(1700000000 * 1000), { conv_rate: { doubleVal: 250 }, avg_daily_trips: { int64Val: 1000n } }],
      [new Date(1700000000 * 1000), { conv_rate: { doubleVal: 777 / 4 }, avg_daily_trips: { int64Val: 777n } }],
    ]);
    expect(raw().prepare(`SELECT value_text FROM "${TABLE}" WHERE feature_name = 'conv_rate' ORDER BY rowid DESC LIMIT 1`).get()).toEqual({ value_text: '250.0' });
  });

  it('stores timestamps as INTEGER Unix epoch seconds (UTC)', async () => {
    const { store, config, view, raw } = await applied();
    await store.onlineWriteBatch(config, view, [[driverKey(1n), { conv_rate: { doubleVal: 1 } }, T1, T2]]);
    const row = raw()
      .prepare(`SELECT event_ts, typeof(event_ts) AS et, created_ts, typeof(created_ts) AS ct FROM "${TABLE}"`)
      .get();
    expect(row).toEqual({ event_ts: 1700000000, et: 'integer', created_ts: 1704067200, ct: 'integer' });
  });

  it('reports progress in entity rows adding up to data.length', async () => {
    const { store, config, view } = await applied();
    const rows: OnlineWriteRow[] = [];
    for (let i = 0n; i < 2500n; i++) rows.push([driverKey(i), { conv_rate: { doubleVal: 1 }, avg_daily_trips: { int64Val: i } }, T1, null]);
    const calls: number[] = [];
    await store.onlineWriteBatch(config, view, rows, (n) => calls.push(n));
    expect(calls.reduce((a, b) => a + b, 0)).toBe(2500);
    expect(calls.length).toBeGreaterThan(1);
    const small: number[] = [];
    await store.onlineWriteBatch(config, view, rows.slice(0, 3), (n) => small.push(n));
    expect(small.reduce((a, b) => a + b, 0)).toBe(3);
    const none: number[] = [];
    await store.onlineWriteBatch(config, view, [], (n) => none.push(n));
    expect(none).toEqual([]);
  });

  it('returns [] for no keys', async () => {
    const { store, config, view } = await applied();
    expect(await store.onlineRead(config, view, [])).toEqual([]);
  });

  it('says to run apply when the table does not exist', async () => {
    const { store, config, dbFile } = setup();
    const view = driverStats();
    const read = store.onlineRead(config, view, [driverKey(1n)]);
    await expect(read).rejects.toBeInstanceOf(OnlineStoreError);
    await expect(read).rejects.toMatchObject({ kind: 'table_missing', code: 'STORE_FAILED' });
    await expect(read).rejects.toThrow(/"test_project_driver_hourly_stats".*does not exist.*feast-ts apply/);
    await expect(read).rejects.toThrow(dbFile);
    const write = store.onlineWriteBatch(config, view, [[driverKey(1n), { conv_rate: { doubleVal: 1 } }, T1, null]]);
    await expect(write).rejects.toMatchObject({ kind: 'table_missing' });
  });

  it('uses entity key serialization version 2 when the repo says so', async () => {
    const { store, config, view, raw } = await applied();
    const v2 = { ...config, entityKeySerializationVersion: 2 as const };
    await store.onlineWriteBatch(v2, view, [[driverKey(1001n), { conv_rate: { doubleVal: 0.5 } }, T1, null]]);
    const key = raw().prepare(`SELECT hex(entity_key) FROM "${TABLE}"`).pluck().get() as string;
    expect(key.toLowerCase()).toBe('020000006472697665725f69640400000008000000e903000000000000');
    expect((await store.onlineRead(v2, view, [driverKey(1001n)]))[0]![1]).toEqual({ conv_rate: { doubleVal: 0.5 } });
    expect(await store.onlineRead(config, view, [driverKey(1001n)])).toEqual([[null, null]]);
  });
});
