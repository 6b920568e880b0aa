import { EntityKeySerializationError, FeastConfigError, OnlineStoreError, ValueConversionError, ValueProto, type OnlineWriteRow } from '@feast-ts/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { pythonFloatStr as pythonFloatRepr, valueText } from '@feast-ts/core';
import { driverKey, driverStats, setup } from './helpers.js';

const at = new Date('2025-01-01T00:00:00Z');

describe('a read of more than 256 keys', () => {
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { all: (...a: unknown[]) => unknown };
  probe.close();
  const originalAll = statementProto.all;
  afterEach(() => {
    statementProto.all = originalAll;
  });

  it('sees one snapshot: a write committed between its SELECTs is not half seen', async () => {
    const { store, config, raw } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    const n = 600;
    const keys = Array.from({ length: n }, (_, i) => driverKey(BigInt(i + 1)));
    await store.onlineWriteBatch(config, view, keys.map((k) => [k, { avg_daily_trips: { int64Val: 1n } }, at, null]), undefined);

    // After the read's first SELECT, another connection rewrites every row (and commits).
    const other = raw();
    const rewrite = other.prepare('UPDATE test_project_driver_hourly_stats SET value = ?');
    let calls = 0;
    statementProto.all = function (this: unknown, ...args: unknown[]) {
      const rows = originalAll.apply(this, args);
      if (calls++ === 0) rewrite.run(Buffer.from(ValueProto.encode({ int64Val: 2n })));
      return rows;
    };
    const results = await store.onlineRead(config, view, keys, ['avg_daily_trips']);
    statementProto.all = originalAll;
    expect(calls).toBeGreaterThan(1); // several SELECTs ran
    const seen = new Set(results.map(([, f]) => f?.avg_daily_trips?.int64Val));
    expect([...seen]).toEqual([1n]);
    // The rewrite did commit: the next read sees it everywhere.
    const after = await store.onlineRead(config, view, keys, ['avg_daily_trips']);
    expect(new Set(after.map(([, f]) => f?.avg_daily_trips?.int64Val))).toEqual(new Set([2n]));
  });
});

describe('busy_timeout', () => {
  it('is how long a write waits for another connection\'s lock before a timeout error', async () => {
    const { store, config, raw } = setup('test_project', { busy_timeout: 0.2 });
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    const locker = raw();
    locker.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const err = await store.onlineWriteBatch(config, view, [[driverKey(1n), { avg_daily_trips: { int64Val: 1n } }, at, null]]).catch((e: unknown) => e);
    const waited = Date.now() - started;
    locker.exec('ROLLBACK');
    expect(err).toBeInstanceOf(OnlineStoreError);
    expect((err as OnlineStoreError).kind).toBe('timeout');
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(3000); // well under the 5 s default
  });

  it('is validated', async () => {
    const { store, config } = setup('test_project', { busy_timeout: -1 });
    await expect(store.update(config, [], [driverStats()], [], [], false)).rejects.toThrow(FeastConfigError);
    await expect(store.update(config, [], [driverStats()], [], [], false)).rejects.toThrow(/busy_timeout/);
  });
});

describe('value_text', () => {
  it('formats numbers as Python str() does', () => {
    // Expected strings printed by Python 3: [repr(x) for x in xs]
    const cases: Array<[number, string]> = [
      [0.5, '0.5'], [1, '1.0'], [-0, '-0.0'], [0, '0.0'], [1e16, '1e+16'], [1.5e16, '1.5e+16'], [1e15, '1000000000000000.0'],
      [123456789012345.6, '123456789012345.6'], [0.0001, '0.0001'], [0.00001, '1e-05'], [1e-7, '1e-07'], [NaN, 'nan'],
      [Infinity, 'inf'], [-Infinity, '-inf'], [2.5e-300, '2.5e-300'], [1.7976931348623157e308, '1.7976931348623157e+308'],
      [-12.75, '-12.75'], [100, '100.0'], [1e22, '1e+22'],
    ];
    for (const [x, python] of cases) expect(pythonFloatRepr(x), String(x)).toBe(python);
    expect(valueText({ floatVal: 0.1 })).toBe('0.10000000149011612'); // float32 widened, as Python's protobuf returns it
    expect(valueText({ boolVal: false })).toBe('False');
    expect(valueText({ int64Val: -(2n ** 63n) })).toBe('-9223372036854775808');
    expect(valueText({ int64ListVal: { val: [1n] } })).toBeNull();
    expect(valueText({})).toBeNull();
  });

  it('is written as Feast writes it, and updated on upsert', async () => {
    const { store, config, raw } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    const row = (features: Record<string, ValueProto>): OnlineWriteRow => [driverKey(1n), features, at, null];
    await store.onlineWriteBatch(config, view, [row({ conv_rate: { doubleVal: 1 }, avg_daily_trips: { int64Val: 5n }, s: { stringVal: 'héllo' }, b: { boolVal: true }, l: { int64ListVal: { val: [1n] } } })]);
    const text = () =>
      Object.fromEntries(
        (raw().prepare('SELECT feature_name, value_text FROM test_project_driver_hourly_stats').all() as Array<{ feature_name: string; value_text: string | null }>).map((r) => [r.feature_name, r.value_text]),
      );
    expect(text()).toEqual({ conv_rate: '1.0', avg_daily_trips: '5', s: 'héllo', b: 'True', l: null });
    await store.onlineWriteBatch(config, view, [row({ conv_rate: { doubleVal: 1e-5 }, s: {} })]);
    expect(text()).toMatchObject({ conv_rate: '1e-05', s: null });
  });
});

describe('a string with a lone surrogate', () => {
  it('is refused at write with a ValueConversionError, and nothing of the call is written', async () => {
    const { store, config } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    const err = await store
      .onlineWriteBatch(config, view, [
        [driverKey(1n), { name: { stringVal: 'fine' } }, at, null],
        [driverKey(2n), { name: { stringVal: 'x\uD800' } }, at, null],
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValueConversionError);
    expect((err as Error).message).toMatch(/Row 1 written to feature view "driver_hourly_stats".*feature "name".*lone UTF-16 surrogate/);
    expect(await store.onlineRead(config, view, [driverKey(1n), driverKey(2n)])).toEqual([[null, null], [null, null]]);
  });

  it('is refused in an entity key, so "x\\uD800" never reads the row of "x\\uFFFD"', async () => {
    const { store, config } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    const key = (s: string) => ({ joinKeys: ['driver_id'], entityValues: [{ stringVal: s }] });
    await store.onlineWriteBatch(config, view, [[key('x\uFFFD'), { name: { stringVal: 'replacement' } }, at, null]]);
    await expect(store.onlineRead(config, view, [key('x\uD800')])).rejects.toThrow(EntityKeySerializationError);
  });
});
