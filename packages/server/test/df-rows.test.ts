import { FeastType, ValueConversionError } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { jsonFeatureValue, jsonTimestamp, rowsFromColumns } from '../src/index.js';
import { driver, driverStats } from './repo.js';

describe('df columns to rows', () => {
  it('reads timestamps as ISO 8601 (UTC without a zone) or epoch seconds', () => {
    expect(jsonTimestamp('2026-01-01T01:00:00+01:00', 'x').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(jsonTimestamp('2026-01-01 00:00:00', 'x').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(jsonTimestamp(1767225600.5, 'x').toISOString()).toBe('2026-01-01T00:00:00.500Z');
    expect(jsonTimestamp('1767225600', 'x').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(() => jsonTimestamp(true, '"df.ts"[3]')).toThrow(/"df.ts"\[3\]: expected a timestamp/);
  });

  it('turns base64 into bytes and timestamps into Dates, inside lists too', () => {
    expect(jsonFeatureValue('AQI=', FeastType.Bytes, 'x')).toEqual(new Uint8Array([1, 2]));
    expect(jsonFeatureValue([0, 60], FeastType.Array(FeastType.UnixTimestamp), 'x')).toEqual([new Date(0), new Date(60_000)]);
    expect(jsonFeatureValue(null, FeastType.Int64, 'x')).toBeNull();
    expect(() => jsonFeatureValue('%%', FeastType.Bytes, 'x')).toThrow(ValueConversionError);
  });

  it('builds one row per index, with created when given', () => {
    const rows = rowsFromColumns(
      {
        driver_id: [1, 2],
        conv_rate: [0.5, null],
        acc_rate: [1, 2],
        avg_daily_trips: [3, 9007199254740993n],
        name: ['a', 'b'],
        tags: [[], ['x']],
        event_timestamp: [0, '2026-01-01T00:00:00Z'],
        created: [null, 60],
        ignored: [1, 2],
      },
      driverStats,
    );
    expect(rows).toEqual([
      { driver_id: 1, conv_rate: 0.5, acc_rate: 1, avg_daily_trips: 3, name: 'a', tags: [], event_timestamp: new Date(0) },
      { driver_id: 2, conv_rate: null, acc_rate: 2, avg_daily_trips: 9007199254740993n, name: 'b', tags: ['x'], event_timestamp: new Date('2026-01-01T00:00:00Z'), created: new Date(60_000) },
    ]);
  });
});

describe('the timestamp column of Feast\'s remote online store', () => {
  it('reads event_timestamp when the view names its timestamp field otherwise', async () => {
    const { FeatureView, Field } = await import('@feast-ts/core');
    const v = new FeatureView({ name: 'v', entities: [driver], schema: [new Field({ name: 'x', dtype: FeastType.Float64 })], timestampField: 'ts' });
    expect(rowsFromColumns({ driver_id: [1], x: [1.5], event_timestamp: ['2026-01-01T00:00:00'], created: [null] }, v)).toEqual([
      { driver_id: 1, x: 1.5, ts: new Date('2026-01-01T00:00:00Z') },
    ]);
    expect(() => rowsFromColumns({ driver_id: [1], x: [1.5] }, v)).toThrow(/no column "ts"/);
  });
});
