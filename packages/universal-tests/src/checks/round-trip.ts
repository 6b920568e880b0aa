import type { ValueProto } from '@feast-ts/core';
import { assertReadResults } from '../assert.js';
import { driverEntity, customerEntity, featureView } from '../fixtures/definitions.js';
import { feastTypeOf } from '../fixtures/feast-type-of.js';
import { int64Key, stringKey } from '../fixtures/keys.js';
import { at } from '../fixtures/time.js';
import {
  BEYOND_SAFE_INTEGER,
  INT64_MAX,
  INT64_MIN,
  LIST_VALUES,
  NESTED_VALUES,
  patternBytes,
  SCALAR_VALUES,
  SET_VALUES,
  UNICODE_STRINGS,
} from '../fixtures/values.js';
import { defineCheck } from './define.js';
import type { UniversalCheck, UniversalCheckContext } from './types.js';

/**
 * Writes one entity whose features are `values` (one feature per entry) and
 * reads it back together with a missing entity: values must come back
 * unchanged and the missing entity as [null, null].
 */
async function roundTrip(ctx: UniversalCheckContext, viewName: string, values: Record<string, ValueProto>): Promise<void> {
  const env = await ctx.newEnvironment();
  const driver = driverEntity();
  const view = featureView(viewName, [driver], Object.fromEntries(Object.entries(values).map(([k, v]) => [k, feastTypeOf(v)])));
  await env.apply([view]);
  const created = at(5);
  await env.write(view, [[int64Key('driver_id', 1), values, at(0), created]]);
  const results = await env.read(view, [int64Key('driver_id', 1), int64Key('driver_id', 2)]);
  assertReadResults(results, [{ eventTs: at(0), features: values }, null], `${viewName} round trip`);
}

const prefixed = (prefix: string, values: Record<string, ValueProto>): Record<string, ValueProto> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));

/** Each scalar type, including zero values (int64 0, false, "", empty bytes) that protobuf must keep. */
export const roundTripScalars: UniversalCheck = defineCheck(
  'round-trip-scalars',
  'write then read returns every scalar Value type unchanged (incl. zero values)',
  (ctx) => roundTrip(ctx, 'rt_scalars', prefixed('f_', SCALAR_VALUES)),
);

/** Each list type, including empty lists. */
export const roundTripLists: UniversalCheck = defineCheck(
  'round-trip-lists',
  'write then read returns every list Value type unchanged (incl. empty lists)',
  (ctx) => roundTrip(ctx, 'rt_lists', prefixed('f_', LIST_VALUES)),
);

/** Each set type. */
export const roundTripSets: UniversalCheck = defineCheck(
  'round-trip-sets',
  'write then read returns every set Value type unchanged',
  (ctx) => roundTrip(ctx, 'rt_sets', prefixed('f_', SET_VALUES)),
);

/** Maps, map lists, listVal/setVal, structs, JSON, UUIDs, decimals, scalar maps, zoned timestamps. */
export const roundTripNested: UniversalCheck = defineCheck(
  'round-trip-nested',
  'write then read returns mapVal, listVal, setVal, struct, JSON, UUID, decimal, scalar map and zoned timestamp values unchanged',
  (ctx) => roundTrip(ctx, 'rt_nested', prefixed('f_', NESTED_VALUES)),
);

/** Feast's null, both as `nullVal` and as an empty Value, next to a regular feature. */
export const roundTripNull: UniversalCheck = defineCheck(
  'round-trip-null',
  'null values (nullVal and an empty Value) are kept as null features of an existing row',
  (ctx) => roundTrip(ctx, 'rt_null', { f_null_val: { nullVal: 0 }, f_empty: {}, f_present: { int64Val: 1n } }),
);

/** Unicode strings as feature values and as string entity keys. */
export const roundTripUnicode: UniversalCheck = defineCheck(
  'round-trip-unicode',
  'unicode strings (astral characters, combining marks, NUL, long text) survive as values and as entity keys',
  async (ctx) => {
    await roundTrip(ctx, 'rt_unicode', Object.fromEntries(Object.entries(UNICODE_STRINGS).map(([k, s]) => [`f_${k}`, { stringVal: s }])));
    const env = await ctx.newEnvironment();
    const customer = customerEntity();
    const view = featureView('rt_unicode_keys', [customer], ['n']);
    await env.apply([view]);
    const keys = Object.values(UNICODE_STRINGS).filter((s) => s.length < 1000);
    keys.push('plain', 'PLAIN', 'plain ');
    await env.write(view, keys.map((s, i) => [stringKey('customer_id', s), { n: { int64Val: BigInt(i) } }, at(i), null]));
    const results = await env.read(view, [...keys.map((s) => stringKey('customer_id', s)), stringKey('customer_id', '😀')]);
    assertReadResults(
      results,
      [...keys.map((_, i) => ({ eventTs: at(i), features: { n: { int64Val: BigInt(i) } } })), null],
      'unicode string entity keys',
    );
  },
);

/** A 1 MiB bytes value. */
export const roundTripLargeBytes: UniversalCheck = defineCheck(
  'round-trip-large-bytes',
  'a 1 MB bytes value round-trips intact',
  (ctx) => roundTrip(ctx, 'rt_large', { f_blob: { bytesVal: patternBytes(1024 * 1024) }, f_after: { stringVal: 'after' } }),
);

/** int64 values beyond 2^53 and at the limits, as values and as entity keys (a lossy number would merge keys). */
export const roundTripInt64Extremes: UniversalCheck = defineCheck(
  'round-trip-int64-extremes',
  'int64 beyond 2^53 and int64 min/max survive as values and as distinct entity keys',
  async (ctx) => {
    await roundTrip(ctx, 'rt_int64', {
      f_beyond: { int64Val: BEYOND_SAFE_INTEGER },
      f_neg_beyond: { int64Val: -BEYOND_SAFE_INTEGER },
      f_min: { int64Val: INT64_MIN },
      f_max: { int64Val: INT64_MAX },
      f_ts_max: { unixTimestampVal: INT64_MAX },
    });
    const env = await ctx.newEnvironment();
    const view = featureView('rt_int64_keys', [driverEntity()], ['k']);
    await env.apply([view]);
    const ids = [BEYOND_SAFE_INTEGER, BEYOND_SAFE_INTEGER - 1n, BEYOND_SAFE_INTEGER + 1n, -BEYOND_SAFE_INTEGER, INT64_MIN, INT64_MAX, 0n, -1n];
    await env.write(view, ids.map((id, i) => [int64Key('driver_id', id), { k: { int64Val: id } }, at(i), null]));
    const results = await env.read(view, ids.map((id) => int64Key('driver_id', id)));
    assertReadResults(results, ids.map((id, i) => ({ eventTs: at(i), features: { k: { int64Val: id } } })), 'int64 entity keys');
  },
);
