import {
  FeastType,
  FeatureView,
  Field,
  toValueProto,
  valueToJson,
  type FeastType as FeastTypeT,
  type OnlineResponse,
} from '@feast-ts/core';
import { assertDeepEqual, assertReadResults, check, fail, show } from '../assert.js';
import { customerEntity, driverEntity } from '../fixtures/definitions.js';
import { int64Key } from '../fixtures/keys.js';
import { BEYOND_SAFE_INTEGER } from '../fixtures/values.js';
import { defineCheck } from './define.js';
import type { UniversalCheck } from './types.js';

/** A whole second (stores keep seconds): 2024-05-01T12:00:00Z. */
const T0 = new Date(Date.UTC(2024, 4, 1, 12, 0, 0));
const secondsBefore = (now: Date, s: number): Date => new Date(now.getTime() - s * 1000);
const UUID = '6f1c9a9e-1f7f-4a3c-9d5e-0d1c2b3a4f5e';
const TIME_UUID = 'a8098c1a-f86e-11da-bd1a-00112444be1e';

/** One feature of every FeastType, with a value of it (as written, and as toDict gives it back when that differs). */
const EVERY_TYPE: Array<[string, FeastTypeT, unknown, unknown?]> = [
  ['f_bytes', FeastType.Bytes, new Uint8Array([0, 1, 255])],
  ['f_pdf', FeastType.PdfBytes, new Uint8Array([37, 80, 68, 70])],
  ['f_image', FeastType.ImageBytes, new Uint8Array([137, 80])],
  ['f_string', FeastType.String, 'héllo 😀'],
  ['f_int32', FeastType.Int32, -(2 ** 31)],
  ['f_int64', FeastType.Int64, BEYOND_SAFE_INTEGER],
  ['f_float32', FeastType.Float32, -0.25],
  ['f_float64', FeastType.Float64, 0.1],
  ['f_bool', FeastType.Bool, false],
  ['f_ts', FeastType.UnixTimestamp, T0],
  ['f_uuid', FeastType.Uuid, UUID],
  ['f_time_uuid', FeastType.TimeUuid, TIME_UUID],
  ['f_decimal', FeastType.Decimal, '-12345678901234567890.000000000000000001'],
  ['f_json', FeastType.Json, { a: [1, 2, { b: null }], s: 'x' }],
  ['f_map', FeastType.Map, { n: 1n, s: 'two', deep: { ok: true }, none: null }],
  ['f_zoned', FeastType.ZonedTimestamp, { date: T0, zone: 'Europe/Paris' }],
  ['f_struct', FeastType.Struct({ name: FeastType.String, age: FeastType.Int32, tags: FeastType.Array(FeastType.String) }), { name: 'Ann', age: 40, tags: ['x'] }],
  ['f_bytes_list', FeastType.Array(FeastType.Bytes), [new Uint8Array([1]), new Uint8Array([])]],
  ['f_string_list', FeastType.Array(FeastType.String), ['a', '', '😀']],
  ['f_int32_list', FeastType.Array(FeastType.Int32), [1, -2]],
  ['f_int64_list', FeastType.Array(FeastType.Int64), [BEYOND_SAFE_INTEGER, -1n]],
  ['f_float32_list', FeastType.Array(FeastType.Float32), [0.5, -4]],
  ['f_float64_list', FeastType.Array(FeastType.Float64), [0.1, 1e300]],
  ['f_bool_list', FeastType.Array(FeastType.Bool), [true, false]],
  ['f_ts_list', FeastType.Array(FeastType.UnixTimestamp), [T0, new Date(0)]],
  ['f_uuid_list', FeastType.Array(FeastType.Uuid), [UUID]],
  ['f_time_uuid_list', FeastType.Array(FeastType.TimeUuid), [TIME_UUID]],
  ['f_decimal_list', FeastType.Array(FeastType.Decimal), ['1.10', '0']],
  ['f_json_list', FeastType.Array(FeastType.Json), [{}, [1]]],
  ['f_map_list', FeastType.Array(FeastType.Map), [{ k: 1.5 }, {}]],
  ['f_struct_list', FeastType.Array(FeastType.Struct({ f: FeastType.Int32 })), [{ f: 7 }]],
  ['f_nested_list', FeastType.Array(FeastType.Array(FeastType.Int64)), [[1n, 2n], []]],
  ['f_bytes_set', FeastType.Set(FeastType.Bytes), new Set([new Uint8Array([1]), new Uint8Array([2, 3])])],
  ['f_string_set', FeastType.Set(FeastType.String), new Set(['x', 'y'])],
  ['f_int32_set', FeastType.Set(FeastType.Int32), new Set([3, 1])],
  ['f_int64_set', FeastType.Set(FeastType.Int64), new Set([BEYOND_SAFE_INTEGER, -5n])],
  ['f_float32_set', FeastType.Set(FeastType.Float32), new Set([0.5, 2])],
  ['f_float64_set', FeastType.Set(FeastType.Float64), new Set([1.25, -8])],
  ['f_bool_set', FeastType.Set(FeastType.Bool), new Set([true])],
  ['f_ts_set', FeastType.Set(FeastType.UnixTimestamp), new Set([T0])],
  ['f_uuid_set', FeastType.Set(FeastType.Uuid), new Set([UUID])],
  ['f_time_uuid_set', FeastType.Set(FeastType.TimeUuid), new Set([TIME_UUID])],
  ['f_decimal_set', FeastType.Set(FeastType.Decimal), new Set(['2.5'])],
  ['f_nested_set', FeastType.Set(FeastType.Array(FeastType.String)), new Set([['a']])],
];

const columnsOf = (response: OnlineResponse): Record<string, unknown[]> => response.toDict() as Record<string, unknown[]>;

/** Every FeastType, through FeatureStore and through the store: written as JS, stored as Feast's Value, read back as JS and as Feast's JSON. */
export const servingEveryType: UniversalCheck = defineCheck(
  'serving-every-type',
  'every FeastType both ways: FeatureStore write, store read (Value protos), getOnlineFeatures toDict and JSON',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const fs = await env.openFeatureStore();
    const driver = driverEntity();
    const view = new FeatureView({ name: 'all_types', entities: [driver], schema: EVERY_TYPE.map(([name, dtype]) => new Field({ name, dtype })) });
    await fs.apply([driver, view]);
    const values = Object.fromEntries(EVERY_TYPE.map(([name, , v]) => [name, v]));
    const nulls = Object.fromEntries(EVERY_TYPE.map(([name]) => [name, null]));
    await fs.writeToOnlineStore('all_types', [
      { driver_id: 1n, ...values, event_timestamp: T0 },
      { driver_id: 2n, ...nulls, event_timestamp: T0 },
    ]);

    // The store holds exactly the Value protos FeatureStore made from the registered types. (The
    // registry keeps every type but the element types of nested lists and sets, VALUE_LIST /
    // VALUE_SET, and PdfBytes / ImageBytes, which it registers as BYTES.)
    const registered = new Map((await fs.getFeatureView('all_types')).features.map((f) => [f.name, f.dtype] as const));
    for (const [name, dtype] of EVERY_TYPE) {
      if (dtype.valueType === 42 || dtype.valueType === 43) continue;
      const expectedName = dtype.name === 'PdfBytes' || dtype.name === 'ImageBytes' ? 'Bytes' : dtype.name;
      assertDeepEqual(registered.get(name)?.name, expectedName, `registered type of "${name}"`);
    }
    const protos = Object.fromEntries(EVERY_TYPE.map(([name, , v]) => [name, toValueProto(v, registered.get(name)!, name)]));
    const nullProtos = Object.fromEntries(EVERY_TYPE.map(([name]) => [name, {}]));
    assertReadResults(await env.read(view, [int64Key('driver_id', 1), int64Key('driver_id', 2), int64Key('driver_id', 3)]), [
      { eventTs: T0, features: protos },
      { eventTs: T0, features: nullProtos },
      null,
    ], 'store read of every type');

    const names = EVERY_TYPE.map(([name]) => name);
    const response = await fs.getOnlineFeatures({ features: names.map((n) => `all_types:${n}`), entityRows: { driver_id: [1n, 2n, 3n] }, now: T0 });
    const dict = columnsOf(response);
    assertDeepEqual(Object.keys(dict), ['driver_id', ...names], 'toDict columns');
    for (const [name, , written, readBack] of EVERY_TYPE) {
      assertDeepEqual(dict[name], [readBack === undefined ? written : readBack, null, null], `toDict "${name}" (driver 1 written, 2 written as null, 3 missing)`);
    }
    const json = JSON.parse(JSON.stringify(response)) as { results: Array<{ values: unknown[]; statuses: string[] }> };
    EVERY_TYPE.forEach(([name], i) => {
      const result = json.results[i + 1];
      assertDeepEqual(result?.values, [JSON.parse(JSON.stringify(valueToJson(protos[name]))), null, null], `JSON values of "${name}"`);
      assertDeepEqual(result?.statuses, ['PRESENT', 'NOT_FOUND', 'NOT_FOUND'], `JSON statuses of "${name}"`);
    });
  },
);

/** Statuses and ttl edges, judged at a fixed clock: Feast's Go server rule. */
export const servingStatusesTtl: UniversalCheck = defineCheck(
  'serving-statuses-ttl',
  'statuses PRESENT / NOT_FOUND / OUTSIDE_MAX_AGE: exactly at ttl is fresh, one second past is not, ttl 0 never expires, values kept unless dropped',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const fs = await env.openFeatureStore();
    const driver = driverEntity();
    const schema = [new Field({ name: 'rate', dtype: FeastType.Float64 }), new Field({ name: 'note', dtype: FeastType.String })];
    const hourly = new FeatureView({ name: 'hourly', entities: [driver], schema, ttl: 3600 });
    const forever = new FeatureView({ name: 'forever', entities: [driver], schema: [new Field({ name: 'total', dtype: FeastType.Int64 })], ttl: 0 });
    await fs.apply([driver, hourly, forever]);
    const now = new Date(T0.getTime() + 86_400_000);
    await fs.writeToOnlineStore('hourly', [
      { driver_id: 1n, rate: 0.5, note: 'fresh', event_timestamp: secondsBefore(now, 10) },
      { driver_id: 2n, rate: 1.5, note: 'at ttl', event_timestamp: secondsBefore(now, 3600) },
      { driver_id: 3n, rate: 2.5, note: 'past ttl', event_timestamp: secondsBefore(now, 3601) },
      { driver_id: 4n, rate: null, note: 'null rate', event_timestamp: secondsBefore(now, 5) },
    ]);
    // Years older than any ttl (within every store's timestamp range: MySQL's TIMESTAMP starts in 1970).
    await fs.writeToOnlineStore('forever', [{ driver_id: 1n, total: 7n, event_timestamp: new Date(Date.UTC(2001, 0, 1)) }]);
    const request = { features: ['hourly:rate', 'hourly:note', 'forever:total'], entityRows: [1n, 2n, 3n, 4n, 5n].map((driver_id) => ({ driver_id })), now };
    const response = await fs.getOnlineFeatures(request);
    assertDeepEqual(response.statuses(), {
      driver_id: Array(5).fill('PRESENT'),
      rate: ['PRESENT', 'PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND', 'NOT_FOUND'],
      note: ['PRESENT', 'PRESENT', 'OUTSIDE_MAX_AGE', 'PRESENT', 'NOT_FOUND'],
      total: ['PRESENT', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND'],
    }, 'statuses');
    const s = Math.floor(now.getTime() / 1000);
    assertDeepEqual(response.toDict({ includeEventTimestamps: true }), {
      driver_id: [1n, 2n, 3n, 4n, 5n],
      driver_id__ts: [0, 0, 0, 0, 0],
      rate: [0.5, 1.5, 2.5, null, null],
      rate__ts: [s - 10, s - 3600, s - 3601, s - 5, 0],
      note: ['fresh', 'at ttl', 'past ttl', 'null rate', null],
      note__ts: [s - 10, s - 3600, s - 3601, s - 5, 0],
      total: [7n, null, null, null, null],
      total__ts: [Date.UTC(2001, 0, 1) / 1000, 0, 0, 0, 0],
    }, 'toDict with event timestamps (stale values kept)');
    const dropped = await fs.getOnlineFeatures({ ...request, dropOutsideMaxAge: true });
    assertDeepEqual(dropped.toDict()['rate'], [0.5, 1.5, null, null, null], 'dropOutsideMaxAge: the value past ttl is null');
    assertDeepEqual(dropped.statuses()['rate'], ['PRESENT', 'PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND', 'NOT_FOUND'], 'dropOutsideMaxAge keeps the status');
    const later = await fs.getOnlineFeatures({ ...request, now: new Date(now.getTime() + 1000) });
    assertDeepEqual(later.statuses()['rate']!.slice(0, 2), ['PRESENT', 'OUTSIDE_MAX_AGE'], 'one second later, the row written exactly ttl ago is outside max age');
  },
);

/** Feast's HTTP response body, exactly. */
export const servingJson: UniversalCheck = defineCheck(
  'serving-json',
  "JSON.stringify(response) is Feast's /get-online-features body: metadata, then one result per column with values, statuses, event_timestamps",
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const fs = await env.openFeatureStore();
    const driver = driverEntity();
    const view = new FeatureView({
      name: 'driver_json',
      entities: [driver],
      schema: [new Field({ name: 'trips', dtype: FeastType.Int64 }), new Field({ name: 'avatar', dtype: FeastType.Bytes }), new Field({ name: 'seen', dtype: FeastType.UnixTimestamp })],
    });
    await fs.apply([driver, view]);
    await fs.writeToOnlineStore('driver_json', [{ driver_id: BEYOND_SAFE_INTEGER, trips: 12n, avatar: new Uint8Array([0, 255]), seen: T0, event_timestamp: T0 }]);
    const response = await fs.getOnlineFeatures({ features: ['driver_json:trips', 'driver_json:avatar', 'driver_json:seen'], entityRows: [{ driver_id: BEYOND_SAFE_INTEGER }, { driver_id: 5 }], now: T0 });
    const text = JSON.stringify(response);
    const epoch = '1970-01-01T00:00:00Z';
    const t0 = '2024-05-01T12:00:00Z';
    const expected = {
      metadata: { feature_names: ['driver_id', 'trips', 'avatar', 'seen'] },
      results: [
        { values: ['9007199254740993', 5], statuses: ['PRESENT', 'PRESENT'], event_timestamps: [epoch, epoch] },
        { values: [12, null], statuses: ['PRESENT', 'NOT_FOUND'], event_timestamps: [t0, epoch] },
        { values: ['AP8=', null], statuses: ['PRESENT', 'NOT_FOUND'], event_timestamps: [t0, epoch] },
        { values: [Math.floor(T0.getTime() / 1000), null], statuses: ['PRESENT', 'NOT_FOUND'], event_timestamps: [t0, epoch] },
      ],
    };
    if (text !== JSON.stringify(expected)) fail(`JSON.stringify(response): expected ${JSON.stringify(expected)}, got ${text}`, text, JSON.stringify(expected));
  },
);

function errorName(run: () => Promise<unknown>): Promise<string> {
  return run().then(
    (v) => fail(`expected the request to be refused, got ${show(v)}`),
    (e: unknown) => (e instanceof Error ? e.name : String(e)),
  );
}

/** Entity rows as Feast accepts them: rows or columns, values coerced to the entity's type. */
export const servingEntityRows: UniversalCheck = defineCheck(
  'serving-entity-rows',
  'entity rows as a list or as columns give the same response; join keys coerced as Feast; bad shapes and missing keys refused',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const fs = await env.openFeatureStore();
    const driver = driverEntity();
    const customer = customerEntity();
    const pairs = new FeatureView({ name: 'pairs', entities: [customer, driver], schema: [new Field({ name: 'rides', dtype: FeastType.Int32 })] });
    await fs.apply([driver, customer, pairs]);
    await fs.writeToOnlineStore('pairs', [
      { customer_id: '1001', driver_id: 7n, rides: 3, event_timestamp: T0 },
      { customer_id: 'abc', driver_id: BEYOND_SAFE_INTEGER, rides: 4, event_timestamp: T0 },
    ]);
    const features = ['pairs:rides'];
    // A number for the STRING key becomes its decimal string; a numeric string for the INT64 key is exact.
    const rows = await fs.getOnlineFeatures({ features, entityRows: [{ customer_id: 1001, driver_id: 7 }, { customer_id: 'abc', driver_id: '9007199254740993' }, { customer_id: 'x', driver_id: 1n }], now: T0 });
    const cols = await fs.getOnlineFeatures({ features, entityRows: { customer_id: [1001, 'abc', 'x'], driver_id: [7, '9007199254740993', 1n] }, now: T0 });
    const expected = { customer_id: ['1001', 'abc', 'x'], driver_id: [7n, BEYOND_SAFE_INTEGER, 1n], rides: [3, 4, null] };
    assertDeepEqual(columnsOf(rows), expected, 'entity rows as a list');
    assertDeepEqual(columnsOf(cols), expected, 'entity rows as columns');
    check(JSON.stringify(rows) === JSON.stringify(cols), 'the JSON of both shapes must be the same');

    assertDeepEqual(
      await errorName(() => fs.getOnlineFeatures({ features, entityRows: { customer_id: ['a', 'b'], driver_id: [1] } })),
      'EntityRowsError',
      'columns of different lengths',
    );
    assertDeepEqual(await errorName(() => fs.getOnlineFeatures({ features, entityRows: [{ customer_id: 'a' }] })), 'MissingJoinKeyError', 'a missing join key');
    assertDeepEqual(
      await errorName(() => fs.getOnlineFeatures({ features, entityRows: [{ customer_id: 1.5, driver_id: 1 }] })),
      'ValueConversionError',
      'a fractional number for a STRING key',
    );
    assertDeepEqual(
      await errorName(() => fs.getOnlineFeatures({ features, entityRows: [{ customer_id: 'a', driver_id: 2 ** 53 + 2 }] })),
      'ValueConversionError',
      'an unsafe number for an INT64 key',
    );
  },
);
