import { Entity, FeastType, FeatureView, Field, ValueType, type ValueProto } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { GOLDEN_KEYS, GOLDEN_VALUES } from './fixtures/feast-golden.js';
import { driverKey, driverStats, hex, setup } from './helpers.js';

const TABLE = 'test_project_driver_hourly_stats';

/**
 * The table exactly as Python Feast's SqliteOnlineStore.update() creates it
 * (releases with vector_value but no value_text column), with its index.
 */
const PYTHON_DDL = `
  CREATE TABLE IF NOT EXISTS ${TABLE} (entity_key BLOB, feature_name TEXT, value BLOB, vector_value BLOB, event_ts timestamp, created_ts timestamp,  PRIMARY KEY(entity_key, feature_name));
  CREATE INDEX IF NOT EXISTS ${TABLE}_ek ON ${TABLE} (entity_key);`;

const EXPECTED_VALUES: Record<keyof typeof GOLDEN_VALUES, ValueProto> = {
  int64_1001: { int64Val: 1001n },
  double_0_5: { doubleVal: 0.5 },
  float_1_5: { floatVal: 1.5 },
  string_hello: { stringVal: 'hello' },
  bool_true: { boolVal: true },
  int64_list_1_2_3: { int64ListVal: { val: [1n, 2n, 3n] } },
  string_list_a_b: { stringListVal: { val: ['a', 'b'] } },
  unix_timestamp_1700000000: { unixTimestampVal: 1700000000n },
};

describe('Feast compatibility: a database written by Python Feast', () => {
  it('reads golden keys and values, with epoch-integer and ISO-string event timestamps', async () => {
    const { store, config, raw } = setup();
    const db = raw();
    db.exec(PYTHON_DDL);
    const insert = db.prepare(`INSERT INTO ${TABLE} (entity_key, feature_name, value, event_ts, created_ts) VALUES (?, ?, ?, ?, ?)`);
    // current Feast registers adapt_datetime_epoch for datetimes: integers
    insert.run(hex(GOLDEN_KEYS.driver1001V3), 'avg_daily_trips', hex(GOLDEN_VALUES.int64_1001), 1700000000, 1700000001);
    // older releases went through sqlite3's default datetime adapter: naive UTC ISO text
    insert.run(hex(GOLDEN_KEYS.driver1001V3), 'conv_rate', hex(GOLDEN_VALUES.double_0_5), '2023-11-14 22:13:21.500000', null);
    insert.run(hex(GOLDEN_KEYS.customerAbc123V3), 'conv_rate', hex(GOLDEN_VALUES.double_0_5), '2023-11-14T22:13:20+00:00', null);
    insert.run(hex(GOLDEN_KEYS.compoundV3), 'conv_rate', hex(GOLDEN_VALUES.double_0_5), '2023-11-15T00:13:20+02:00', null);

    const view = driverStats();
    const customer = { joinKeys: ['customer_id'], entityValues: [{ stringVal: 'abc-123' }] };
    const compound = { joinKeys: ['driver_id', 'customer_id'], entityValues: [{ int64Val: 5n }, { stringVal: 'c9' }] };
    const result = await store.onlineRead(config, view, [driverKey(1001n), customer, compound, driverKey(1002n)]);
    expect(result).toEqual([
      [new Date('2023-11-14T22:13:21.500Z'), { avg_daily_trips: { int64Val: 1001n }, conv_rate: { doubleVal: 0.5 } }],
      [new Date('2023-11-14T22:13:20Z'), { conv_rate: { doubleVal: 0.5 } }],
      [new Date('2023-11-14T22:13:20Z'), { conv_rate: { doubleVal: 0.5 } }],
      [null, null],
    ]);

    // and writes into Python's table (no value_text column) with an upsert
    await store.onlineWriteBatch(config, view, [[driverKey(1001n), { conv_rate: { doubleVal: 0.75 } }, new Date('2024-01-01T00:00:00Z'), null]]);
    expect((await store.onlineRead(config, view, [driverKey(1001n)], ['conv_rate']))[0]).toEqual([
      new Date('2024-01-01T00:00:00Z'),
      { conv_rate: { doubleVal: 0.75 } },
    ]);
  });

  it('reads a version-2 key file when entity_key_serialization_version is 2', async () => {
    const { store, config, raw } = setup();
    const db = raw();
    db.exec(PYTHON_DDL);
    db.prepare(`INSERT INTO ${TABLE} (entity_key, feature_name, value, event_ts) VALUES (?, ?, ?, ?)`).run(
      hex(GOLDEN_KEYS.driver1001V2),
      'avg_daily_trips',
      hex(GOLDEN_VALUES.int64_1001),
      1700000000,
    );
    const v2 = { ...config, entityKeySerializationVersion: 2 as const };
    expect(await store.onlineRead(v2, driverStats(), [driverKey(1001n)])).toEqual([[new Date(1700000000_000), { avg_daily_trips: { int64Val: 1001n } }]]);
  });
});

describe('Feast compatibility: what this store writes is byte-exact', () => {
  it('writes golden entity_key and value bytes', async () => {
    const { store, config, raw } = setup();
    const view = new FeatureView({
      name: 'driver_hourly_stats',
      entities: [new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 })],
      schema: Object.keys(EXPECTED_VALUES).map((name) => new Field({ name, dtype: FeastType.Bytes })),
    });
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[driverKey(1001n), EXPECTED_VALUES, new Date('2023-11-14T22:13:20Z'), null]]);
    await store.onlineWriteBatch(config, view, [
      [{ joinKeys: ['driver_id', 'customer_id'], entityValues: [{ int64Val: 5n }, { stringVal: 'c9' }] }, { double_0_5: { doubleVal: 0.5 } }, new Date(0), null],
      [{ joinKeys: ['customer_id'], entityValues: [{ stringVal: 'abc-123' }] }, { double_0_5: { doubleVal: 0.5 } }, new Date(0), null],
    ]);

    const rows = raw()
      .prepare(`SELECT lower(hex(entity_key)) AS key, feature_name, lower(hex(value)) AS value FROM ${TABLE}`)
      .all() as Array<{ key: string; feature_name: keyof typeof GOLDEN_VALUES; value: string }>;
    const driverRows = rows.filter((r) => r.key === GOLDEN_KEYS.driver1001V3);
    expect(driverRows).toHaveLength(Object.keys(GOLDEN_VALUES).length);
    for (const row of driverRows) expect(row.value).toBe(GOLDEN_VALUES[row.feature_name]);
    expect(rows.map((r) => r.key).sort()).toEqual(
      [...driverRows.map((r) => r.key), GOLDEN_KEYS.compoundV3, GOLDEN_KEYS.customerAbc123V3].sort(),
    );
  });
});
