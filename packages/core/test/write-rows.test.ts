import { describe, expect, it } from 'vitest';
import { Entity, FeastType, FeatureView, Field, ValueConversionError, ValueType } from '../src/index.js';
import { toWriteRows } from '../src/feature-store/write-rows.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const city = new Entity({ name: 'city', joinKeys: ['city'], valueType: ValueType.STRING });
const view = new FeatureView({
  name: 'stats',
  entities: [driver, city],
  schema: [
    new Field({ name: 'trips', dtype: FeastType.Int64 }),
    new Field({ name: 'rate', dtype: FeastType.Float64 }),
    new Field({ name: 'label', dtype: FeastType.String }),
    new Field({ name: 'rank', dtype: FeastType.Int32 }),
    new Field({ name: 'active', dtype: FeastType.Bool }),
    new Field({ name: 'ratio', dtype: FeastType.Float32 }),
    new Field({ name: 'tags', dtype: FeastType.Array(FeastType.String) }),
  ],
});
const ts = new Date('2026-01-01T00:00:00Z');
const created = new Date('2026-01-02T00:00:00Z');

describe('toWriteRows', () => {
  it('converts common and uncommon inputs alike (the fast path gives what the checked conversion gives)', () => {
    // Row 0 takes the fast path for every key and feature but the Float32 and the list;
    // row 1 holds the same values in forms only the checked conversion accepts (numbers for Int64, a bigint for Int32...).
    const rows = [
      { driver_id: 1001n, city: 'Paris', trips: 12n, rate: 0.5, label: 'a', rank: 3, active: true, ratio: 1.5, tags: ['x'], event_timestamp: ts, created },
      { driver_id: 1001, city: 'Paris', trips: 12, rate: 0.5, label: 'a', rank: 3n, active: true, ratio: 1.5, tags: ['x'], event_timestamp: ts, created },
    ];
    const [fast, checked] = toWriteRows(view, rows);
    expect(fast).toEqual(checked);
    expect(fast).toEqual([
      { joinKeys: ['driver_id', 'city'], entityValues: [{ int64Val: 1001n }, { stringVal: 'Paris' }] },
      {
        trips: { int64Val: 12n },
        rate: { doubleVal: 0.5 },
        label: { stringVal: 'a' },
        rank: { int32Val: 3 },
        active: { boolVal: true },
        ratio: { floatVal: 1.5 },
        tags: { stringListVal: { val: ['x'] } },
      },
      ts,
      created,
    ]);
  });

  it('writes null and undefined (present) values as Feast null, and created as null when absent', () => {
    const [row] = toWriteRows(view, [
      { driver_id: 1n, city: 'c', trips: null, rate: undefined, label: null, rank: null, active: null, ratio: null, tags: null, event_timestamp: ts },
    ]);
    expect(Object.values(row![1])).toEqual([{}, {}, {}, {}, {}, {}, {}]);
    expect(row![3]).toBeNull();
  });

  it('names the row and feature of a bad value, whichever path the row started on', () => {
    const base = { driver_id: 1n, city: 'c', trips: 1n, rate: 1, label: 'l', rank: 1, active: false, ratio: 1, tags: [], event_timestamp: ts };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...base, trips: 2n ** 63n }, /row 1, feature "trips": expected an Int64 within/],
      [{ ...base, rate: '1' }, /row 1, feature "rate": expected a Float64 number/],
      [{ ...base, label: 'x\uD800' }, /row 1, feature "label".*lone UTF-16 surrogate/],
      [{ ...base, rank: 2 ** 31 }, /row 1, feature "rank": expected an Int32/],
      [{ ...base, active: 1 }, /row 1, feature "active": expected a Bool/],
      [{ ...base, driver_id: undefined }, /row 1: join key "driver_id" is missing/],
      [{ ...base, city: 5.5 }, /row 1, join key "city"/],
      [{ ...base, event_timestamp: new Date(Number.NaN) }, /row 1: "event_timestamp" \(the view's timestamp field\) must be a valid Date/],
      [{ ...base, created: 'yesterday' }, /row 1: "created" must be a valid Date/],
    ];
    for (const [bad, message] of cases) {
      const err = (() => {
        try {
          toWriteRows(view, [base, bad]);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err, String(message)).toBeInstanceOf(ValueConversionError);
      expect((err as Error).message).toMatch(message);
    }
    const { trips: _omitted, ...missing } = base;
    expect(() => toWriteRows(view, [missing])).toThrow(/row 0: feature "trips" is missing/);
    expect(() => toWriteRows(view, [null])).toThrow(/row 0: a row must be an object/);
  });

  it('keys an entityless view by the dummy key', () => {
    const global = new FeatureView({ name: 'global', schema: [new Field({ name: 'total', dtype: FeastType.Int64 })] });
    const [row] = toWriteRows(global, [{ total: 7n, event_timestamp: ts }]);
    expect(row![0]).toEqual({ joinKeys: ['__dummy_id'], entityValues: [{ stringVal: '' }] });
    expect(row![1]).toEqual({ total: { int64Val: 7n } });
  });
});
