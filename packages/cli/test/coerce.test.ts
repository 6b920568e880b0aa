import { Entity, FeastType, FeatureView, Field, ValueType } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { coerceEntityValue, coerceFeature, rowCoercer, toDate } from '../src/coerce.js';
import { parseJsonl } from '../src/jsonl.js';

const BEYOND_2_53 = '9007199254740993'; // 2^53 + 1: Number() would round it to ...992

describe('coerceFeature', () => {
  it('reads Int64 from CSV text exactly, beyond 2^53, never through Number', () => {
    expect(coerceFeature(BEYOND_2_53, FeastType.Int64, 'x')).toBe(9007199254740993n);
    expect(coerceFeature('-9223372036854775808', FeastType.Int64, 'x')).toBe(-9223372036854775808n);
    expect(coerceFeature(' 42 ', FeastType.Int64, 'x')).toBe(42n);
    expect(coerceFeature('1001.0', FeastType.Int64, 'x')).toBe(1001n);
  });

  it('reads Int64 from JSON lines exactly', () => {
    const [row] = parseJsonl(`{"a": ${BEYOND_2_53}, "b": 12}`);
    expect(coerceFeature(row!.values.a, FeastType.Int64, 'x')).toBe(9007199254740993n);
    expect(coerceFeature(row!.values.b, FeastType.Int64, 'x')).toBe(12n);
  });

  it('rejects non-integers for Int64 and Int32', () => {
    expect(() => coerceFeature('1.5', FeastType.Int64, 'data.csv line 2, column "n"')).toThrow(
      /data\.csv line 2, column "n": expected an Int64 \(an integer\), got "1\.5"/,
    );
    expect(() => coerceFeature(1.5, FeastType.Int64, 'x')).toThrow(/VALUE|Int64/);
    expect(() => coerceFeature('abc', FeastType.Int32, 'x')).toThrow(/Int32/);
    expect(coerceFeature('-7', FeastType.Int32, 'x')).toBe(-7);
  });

  it('reads floats, bools, strings and bytes', () => {
    expect(coerceFeature('0.25', FeastType.Float32, 'x')).toBe(0.25);
    expect(coerceFeature('1e-3', FeastType.Float64, 'x')).toBe(0.001);
    expect(coerceFeature('NaN', FeastType.Float64, 'x')).toBeNaN();
    expect(coerceFeature(12345678901234567890n, FeastType.Float64, 'x')).toBe(12345678901234567890);
    expect(() => coerceFeature('0x10', FeastType.Float32, 'x')).toThrow(/Float32/);
    for (const [s, b] of [['true', true], ['FALSE', false], ['1', true], ['0', false]] as const) {
      expect(coerceFeature(s, FeastType.Bool, 'x')).toBe(b);
    }
    expect(coerceFeature(true, FeastType.Bool, 'x')).toBe(true);
    expect(() => coerceFeature('yes', FeastType.Bool, 'x')).toThrow(/Bool/);
    expect(coerceFeature('hi', FeastType.String, 'x')).toBe('hi');
    expect(coerceFeature('', FeastType.String, 'x')).toBe('');
    expect(() => coerceFeature(5, FeastType.String, 'x')).toThrow(/String/);
    expect(coerceFeature('AP8B', FeastType.Bytes, 'x')).toEqual(new Uint8Array([0, 255, 1]));
  });

  it('turns null and blank values into null', () => {
    expect(coerceFeature(null, FeastType.Int64, 'x')).toBeNull();
    expect(coerceFeature(undefined, FeastType.Float32, 'x')).toBeNull();
    expect(coerceFeature('', FeastType.Bool, 'x')).toBeNull();
    expect(coerceFeature('  ', FeastType.UnixTimestamp, 'x')).toBeNull();
  });

  it('reads timestamps as ISO (UTC without a zone) or epoch seconds', () => {
    expect(coerceFeature('2025-01-01T10:00:00Z', FeastType.UnixTimestamp, 'x')).toEqual(new Date('2025-01-01T10:00:00Z'));
    expect(toDate('2025-01-01 10:00:00', 'x')).toEqual(new Date('2025-01-01T10:00:00Z'));
    expect(toDate('2025-01-01T12:00:00+02:00', 'x')).toEqual(new Date('2025-01-01T10:00:00Z'));
    expect(toDate('1735725600', 'x')).toEqual(new Date('2025-01-01T10:00:00Z'));
    expect(toDate(1735725600, 'x')).toEqual(new Date('2025-01-01T10:00:00Z'));
    expect(() => toDate('yesterday', 'x')).toThrow(/timestamp/);
  });

  it('reads arrays from JSON text (CSV) or JSON arrays, exact for Int64', () => {
    expect(coerceFeature(`[1, ${BEYOND_2_53}]`, FeastType.Array(FeastType.Int64), 'x')).toEqual([1n, 9007199254740993n]);
    expect(coerceFeature(['a', 'b'], FeastType.Array(FeastType.String), 'x')).toEqual(['a', 'b']);
    expect(coerceFeature('[0.5]', FeastType.Array(FeastType.Float32), 'x')).toEqual([0.5]);
    expect(coerceFeature('[]', FeastType.Array(FeastType.Bool), 'x')).toEqual([]);
    expect(() => coerceFeature('1,2', FeastType.Array(FeastType.Int64), 'x')).toThrow(/JSON array/);
    expect(() => coerceFeature('[1, "b"]', FeastType.Array(FeastType.Int64), 'x')).toThrow(/x\[1\]/);
  });
});

describe('coerceEntityValue', () => {
  it('converts join keys by the entity valueType', () => {
    expect(coerceEntityValue(BEYOND_2_53, ValueType.INT64, 'x')).toBe(9007199254740993n);
    expect(coerceEntityValue(1001, ValueType.INT64, 'x')).toBe(1001n);
    expect(coerceEntityValue('7', ValueType.INT32, 'x')).toBe(7);
    expect(coerceEntityValue(1001, ValueType.STRING, 'x')).toBe('1001');
    expect(coerceEntityValue('1001', ValueType.STRING, 'x')).toBe('1001');
    expect(coerceEntityValue('1001', undefined, 'x')).toBe('1001');
    expect(coerceEntityValue(1001, undefined, 'x')).toBe(1001n);
    expect(() => coerceEntityValue('abc', ValueType.INT64, 'x')).toThrow(/Int64/);
    expect(() => coerceEntityValue('', ValueType.INT64, 'x')).toThrow(/join key/);
  });
});

describe('rowCoercer', () => {
  const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
  const view = new FeatureView({
    name: 'stats',
    entities: [driver],
    schema: [
      new Field({ name: 'conv_rate', dtype: FeastType.Float32 }),
      new Field({ name: 'trips', dtype: FeastType.Int64 }),
      new Field({ name: 'tags', dtype: FeastType.Array(FeastType.String) }),
    ],
  });
  const coercer = rowCoercer(view);

  it('converts a CSV row by schema and ignores unknown columns', () => {
    const row = coercer.coerce(
      { driver_id: BEYOND_2_53, conv_rate: '0.5', trips: null, tags: '["a","b"]', event_timestamp: '2025-01-01T00:00:00Z', created: '1735689600', extra: 'x' },
      'data.csv line 2',
      false,
    );
    expect(row).toEqual({
      driver_id: 9007199254740993n,
      conv_rate: 0.5,
      trips: null,
      tags: ['a', 'b'],
      event_timestamp: new Date('2025-01-01T00:00:00Z'),
      created: new Date('2025-01-01T00:00:00Z'),
    });
  });

  it('requires join keys and the timestamp; missing features are null only when allowed', () => {
    const ts = { event_timestamp: '2025-01-01T00:00:00Z' };
    expect(() => coercer.coerce({ ...ts, conv_rate: '1', trips: '1', tags: '[]' }, 'line 2', false)).toThrow(/line 2: join key "driver_id" is missing/);
    expect(() => coercer.coerce({ driver_id: '1', conv_rate: '1', trips: '1', tags: '[]' }, 'line 2', false)).toThrow(/event_timestamp/);
    expect(() => coercer.coerce({ ...ts, driver_id: '1' }, 'line 2', false)).toThrow(/feature "conv_rate" is missing/);
    expect(coercer.coerce({ ...ts, driver_id: 1 }, 'line 2', true)).toMatchObject({ driver_id: 1n, conv_rate: null, trips: null, tags: null });
  });
});
