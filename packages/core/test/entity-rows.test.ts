import { describe, expect, it } from 'vitest';
import {
  DUMMY_ENTITY_ID,
  Entity,
  entityKeysFor,
  EntityRowsError,
  entityValueToProto,
  FeastType,
  FeatureView,
  Field,
  joinKeyValues,
  MissingJoinKeyError,
  toEntityColumns,
  ValueConversionError,
  ValueType,
} from '../src/index.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const customer = new Entity({ name: 'customer', joinKeys: ['customer_id'], valueType: ValueType.STRING });
const pairs = new FeatureView({ name: 'pairs', entities: [customer, driver], schema: [new Field({ name: 'n', dtype: FeastType.Int32 })] });
const global = new FeatureView({ name: 'global', schema: [new Field({ name: 'n', dtype: FeastType.Int32 })] });

describe('entity value coercion', () => {
  const w = 'entity row 3, join key "k"';
  it.each([
    [ValueType.STRING, 1001, { stringVal: '1001' }],
    [ValueType.STRING, -5n, { stringVal: '-5' }],
    [ValueType.STRING, 'abc', { stringVal: 'abc' }],
    [ValueType.INT64, 1001, { int64Val: 1001n }],
    [ValueType.INT64, 9007199254740993n, { int64Val: 9007199254740993n }],
    [ValueType.INT64, '9007199254740993', { int64Val: 9007199254740993n }],
    [ValueType.INT64, '-12', { int64Val: -12n }],
    [ValueType.INT32, '12', { int32Val: 12 }],
    [ValueType.INT32, 12n, { int32Val: 12 }],
    [ValueType.UNIX_TIMESTAMP, new Date(5000), { unixTimestampVal: 5n }],
    [ValueType.BYTES, new Uint8Array([1]), { bytesVal: new Uint8Array([1]) }],
    [undefined, 7, { int64Val: 7n }],
    [undefined, 'x', { stringVal: 'x' }],
  ] as const)('%s <- %s', (type, value, expected) => {
    expect(entityValueToProto(value, type, w)).toEqual(expected);
  });

  it.each([
    [ValueType.STRING, 1.5, /fractional or unsafe number/],
    [ValueType.STRING, 2 ** 60, /fractional or unsafe number/],
    [ValueType.STRING, 'a\uDC00', /lone UTF-16 surrogate/],
    [ValueType.INT64, 2 ** 53 + 2, /beyond 2\^53/],
    [ValueType.INT64, '1001.0', /or a decimal string/],
    [ValueType.INT64, '1e3', /or a decimal string/],
    [ValueType.INT64, ' 12', /or a decimal string/],
    [ValueType.INT64, '9223372036854775808', /within -2\^63/],
    [ValueType.INT64, 1.5, /expected an Int64/],
    [ValueType.INT32, '2147483648', /within -2\^31/],
    [ValueType.BYTES, 'abc', /Uint8Array/],
    [undefined, 2 ** 53 + 2, /entity key \(bigint, safe integer/],
  ] as const)('%s refuses %s, naming row and key', (type, value, message) => {
    expect(() => entityValueToProto(value, type, w)).toThrow(ValueConversionError);
    expect(() => entityValueToProto(value, type, w)).toThrow(message);
    expect(() => entityValueToProto(value, type, w)).toThrow(/entity row 3, join key "k"/);
  });
});

describe('entity rows', () => {
  it('reads a list of rows and columns the same way', () => {
    const fromRows = toEntityColumns([{ customer_id: 'a', driver_id: 1 }, { driver_id: 2, customer_id: 'b', extra: true }]);
    const fromCols = toEntityColumns({ customer_id: ['a', 'b'], driver_id: [1, 2] });
    for (const c of [fromRows, fromCols]) {
      expect(c.rowCount).toBe(2);
      const byKey = new Map([
        ['customer_id', joinKeyValues(c, 'customer_id', customer, pairs)],
        ['driver_id', joinKeyValues(c, 'driver_id', driver, pairs)],
      ]);
      expect(entityKeysFor(pairs, c.rowCount, byKey)).toEqual([
        { joinKeys: ['customer_id', 'driver_id'], entityValues: [{ stringVal: 'a' }, { int64Val: 1n }] },
        { joinKeys: ['customer_id', 'driver_id'], entityValues: [{ stringVal: 'b' }, { int64Val: 2n }] },
      ]);
    }
    expect(fromRows.keys).toEqual(['customer_id', 'driver_id', 'extra']);
    expect(fromCols.keys).toEqual(['customer_id', 'driver_id']);
  });

  it('gives an entityless view the dummy key on every row', () => {
    const keys = entityKeysFor(global, 2, new Map());
    expect(keys).toHaveLength(2);
    expect(keys[1]!.joinKeys).toEqual([DUMMY_ENTITY_ID]);
  });

  it('refuses columns of different lengths, naming both', () => {
    expect(() => toEntityColumns({ driver_id: [1, 2], customer_id: ['a'] })).toThrow(EntityRowsError);
    expect(() => toEntityColumns({ driver_id: [1, 2], customer_id: ['a'] })).toThrow(/"driver_id" has 2 values and "customer_id" has 1/);
  });

  it('refuses shapes that are neither', () => {
    expect(() => toEntityColumns('driver_id=1')).toThrow(EntityRowsError);
    expect(() => toEntityColumns(null)).toThrow(/list of objects/);
    expect(() => toEntityColumns([{ driver_id: 1 }, 5])).toThrow(/Entity row 1 must be an object/);
    expect(() => toEntityColumns({ driver_id: 1 })).toThrow(/Entity column "driver_id" must be an array/);
  });

  it('names the row, the missing key, the view and what the row has', () => {
    const c = toEntityColumns([{ customer_id: 'a', driver_id: 1 }, { customer_id: 'b' }]);
    let err: unknown;
    try {
      joinKeyValues(c, 'driver_id', driver, pairs);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingJoinKeyError);
    expect(err).toMatchObject({ row: 1, joinKey: 'driver_id', featureView: 'pairs', code: 'VALUE_INVALID' });
    expect((err as Error).message).toBe(
      'Entity row 1 has no value for join key "driver_id", which feature view "pairs" is keyed by (customer_id, driver_id). The row has: customer_id. Add "driver_id" to every entity row.',
    );
    expect(() => joinKeyValues(toEntityColumns({ driver_id: [1, null] }), 'driver_id', driver, pairs)).toThrow(/Entity row 1 has no value/);
  });
});
