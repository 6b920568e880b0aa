import { FeastType, FeatureView, Field } from '@feast-ts/core';
import { assertDeepEqual, assertSameSecond, check, fail, show } from '../assert.js';
import { driverEntity, driverStatsView } from '../fixtures/definitions.js';
import { recent } from '../fixtures/time.js';
import { BEYOND_SAFE_INTEGER } from '../fixtures/values.js';
import { defineCheck } from './define.js';
import type { UniversalCheck } from './types.js';

function assertClose(actual: unknown, expected: number, tolerance: number, what: string): void {
  if (typeof actual !== 'number' || Math.abs(actual - expected) > tolerance) {
    fail(`${what}: expected a number within ${tolerance} of ${expected}, got ${show(actual)}`, actual, expected);
  }
}

function assertColumns(response: Record<string, unknown[]>, expected: string[], rows: number, what: string): void {
  const actual = Object.keys(response).sort();
  assertDeepEqual(actual, [...expected].sort(), `${what}: response columns`);
  for (const name of expected) {
    const column = response[name];
    check(Array.isArray(column) && column.length === rows, `${what}: column "${name}" must be an array of ${rows} values (one per entity row), got ${show(column)}`);
  }
}

/** Feast's `test_write_to_online_store`: write through FeatureStore, read with getOnlineFeatures. */
export const featureStoreWriteRead: UniversalCheck = defineCheck(
  'feature-store-write-read',
  'FeatureStore.writeToOnlineStore then getOnlineFeatures returns the to_dict() shape, null for missing',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const fs = await env.openFeatureStore();
    const driver = driverEntity();
    const view = driverStatsView(driver);
    await fs.apply([view, driver]);
    await fs.writeToOnlineStore('driver_stats', [
      { driver_id: 123n, conv_rate: 0.85, acc_rate: 0.91, avg_daily_trips: 14, event_timestamp: recent(), created: recent() },
    ]);
    const features = ['driver_stats:avg_daily_trips', 'driver_stats:acc_rate', 'driver_stats:conv_rate'];
    const response = (await fs.getOnlineFeatures({ features, entityRows: [{ driver_id: 123n }, { driver_id: 999n }] })).toDict();
    assertColumns(response, ['driver_id', 'avg_daily_trips', 'acc_rate', 'conv_rate'], 2, 'getOnlineFeatures');
    assertDeepEqual(response['driver_id'], [123n, 999n], 'getOnlineFeatures driver_id column');
    assertDeepEqual(response['avg_daily_trips'], [14, null], 'getOnlineFeatures avg_daily_trips column');
    assertClose(response['acc_rate']![0], 0.91, 0.01, 'acc_rate of driver 123');
    assertClose(response['conv_rate']![0], 0.85, 0.01, 'conv_rate of driver 123');
    assertDeepEqual([response['acc_rate']![1], response['conv_rate']![1]], [null, null], 'features of missing driver 999');

    const full = (await fs.getOnlineFeatures({ features: ['driver_stats:avg_daily_trips'], entityRows: [{ driver_id: 123n }], fullFeatureNames: true })).toDict();
    assertColumns(full, ['driver_id', 'driver_stats__avg_daily_trips'], 1, 'getOnlineFeatures with fullFeatureNames');
    assertDeepEqual(full['driver_stats__avg_daily_trips'], [14], 'full feature name column');

    // A later write replaces the values.
    await fs.writeToOnlineStore('driver_stats', [
      { driver_id: 123n, conv_rate: 0.5, acc_rate: 0.25, avg_daily_trips: 15, event_timestamp: recent(30) },
    ]);
    const again = (await fs.getOnlineFeatures({ features, entityRows: [{ driver_id: 123n }] })).toDict();
    assertDeepEqual(again, { driver_id: [123n], avg_daily_trips: [15], acc_rate: [0.25], conv_rate: [0.5] }, 'after a second write');
  },
);

const TYPED_FIELDS = {
  f_bytes: FeastType.Bytes,
  f_string: FeastType.String,
  f_int32: FeastType.Int32,
  f_int64: FeastType.Int64,
  f_float32: FeastType.Float32,
  f_float64: FeastType.Float64,
  f_bool: FeastType.Bool,
  f_ts: FeastType.UnixTimestamp,
  f_bytes_list: FeastType.Array(FeastType.Bytes),
  f_string_list: FeastType.Array(FeastType.String),
  f_int32_list: FeastType.Array(FeastType.Int32),
  f_int64_list: FeastType.Array(FeastType.Int64),
  f_float32_list: FeastType.Array(FeastType.Float32),
  f_float64_list: FeastType.Array(FeastType.Float64),
  f_bool_list: FeastType.Array(FeastType.Bool),
  f_ts_list: FeastType.Array(FeastType.UnixTimestamp),
} as const;

/** Every FeastType through the facade: written as JS values, read back as the documented JS types. */
export const featureStoreTypes: UniversalCheck = defineCheck(
  'feature-store-types',
  'FeatureStore round-trips every FeastType to the documented JavaScript types',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const fs = await env.openFeatureStore();
    const driver = driverEntity();
    const view = new FeatureView({
      name: 'typed',
      entities: [driver],
      schema: Object.entries(TYPED_FIELDS).map(([name, dtype]) => new Field({ name, dtype })),
    });
    await fs.apply([driver, view]);
    const ts = new Date(Date.UTC(2024, 4, 1, 12, 0, 7));
    const values: Record<string, unknown> = {
      f_bytes: new Uint8Array([0, 1, 255]),
      f_string: 'héllo 😀',
      f_int32: -7,
      f_int64: BEYOND_SAFE_INTEGER,
      f_float32: 0.5,
      f_float64: 0.1,
      f_bool: false,
      f_ts: ts,
      f_bytes_list: [new Uint8Array([1]), new Uint8Array([])],
      f_string_list: ['a', '😀'],
      f_int32_list: [1, -2],
      f_int64_list: [BEYOND_SAFE_INTEGER, -1n],
      f_float32_list: [0.25, -4],
      f_float64_list: [0.1, 1e300],
      f_bool_list: [true, false],
      f_ts_list: [ts],
    };
    const nulls = Object.fromEntries(Object.keys(TYPED_FIELDS).map((k) => [k, null]));
    await fs.writeToOnlineStore('typed', [
      { driver_id: 1n, ...values, event_timestamp: recent() },
      { driver_id: 2n, ...nulls, event_timestamp: recent() },
    ]);
    const names = Object.keys(TYPED_FIELDS);
    const response = (await fs.getOnlineFeatures({
      features: names.map((n) => `typed:${n}`),
      entityRows: [{ driver_id: 1n }, { driver_id: 2n }, { driver_id: 3n }],
    })).toDict();
    assertColumns(response, ['driver_id', ...names], 3, 'getOnlineFeatures of every type');
    for (const name of names) {
      const [written, nullRow, missing] = response[name]!;
      if (name === 'f_ts') assertSameSecond(written, ts, `${name} of driver 1`);
      else if (name === 'f_ts_list') {
        check(Array.isArray(written) && written.length === 1, `${name} of driver 1 must be an array of one Date, got ${show(written)}`);
        assertSameSecond((written as unknown[])[0], ts, `${name}[0] of driver 1`);
      } else assertDeepEqual(written, values[name], `${name} of driver 1`);
      assertDeepEqual([nullRow, missing], [null, null], `${name} of driver 2 (written as null) and driver 3 (missing)`);
    }
  },
);

/** apply is idempotent through the facade, and FeatureStore.teardown removes the data. */
export const featureStoreApplyTeardown: UniversalCheck = defineCheck(
  'feature-store-apply-teardown',
  'FeatureStore.apply twice keeps the data; FeatureStore.teardown removes it',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const driver = driverEntity();
    const view = driverStatsView(driver);
    const request = { features: ['driver_stats:avg_daily_trips'], entityRows: [{ driver_id: 5n }] };
    const fs = await env.openFeatureStore();
    await fs.apply([driver, view]);
    await fs.apply([driver, view]);
    await fs.writeToOnlineStore('driver_stats', [{ driver_id: 5n, conv_rate: 0.5, acc_rate: 0.5, avg_daily_trips: 3, event_timestamp: recent() }]);
    await fs.apply([driver, view]);
    assertDeepEqual((await fs.getOnlineFeatures(request)).toDict(), { driver_id: [5n], avg_daily_trips: [3] }, 'after applying the same objects again');
    await fs.teardown();
    const reopened = await env.openFeatureStore();
    await reopened.apply([driver, view]);
    assertDeepEqual((await reopened.getOnlineFeatures(request)).toDict(), { driver_id: [5n], avg_daily_trips: [null] }, 'after teardown and apply again');
  },
);
