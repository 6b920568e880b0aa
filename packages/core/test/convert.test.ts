import { describe, expect, it } from 'vitest';
import { FeastType, fromValueProto, toValueProto, ValueConversionError, ValueProto, valueToJson, type FeastType as FeastTypeT } from '../src/index.js';

const at = 'view "v", feature "f", row 0';
const ts = new Date('2026-06-09T16:00:00Z');
const BIG = 9007199254740993n;

/** [type, JS value written, ValueProto expected, JS value read back (default: the same), Feast server JSON]. */
const CASES: Array<[FeastTypeT, unknown, ValueProto, unknown, unknown]> = [
  [FeastType.Bytes, new Uint8Array([0, 1, 255]), { bytesVal: new Uint8Array([0, 1, 255]) }, undefined, 'AAH/'],
  [FeastType.PdfBytes, new Uint8Array([37, 80]), { bytesVal: new Uint8Array([37, 80]) }, undefined, 'JVA='],
  [FeastType.String, 'héllo 😀', { stringVal: 'héllo 😀' }, undefined, 'héllo 😀'],
  [FeastType.String, '', { stringVal: '' }, undefined, ''],
  [FeastType.Int32, -7, { int32Val: -7 }, undefined, -7],
  [FeastType.Int64, BIG, { int64Val: BIG }, undefined, '9007199254740993'],
  [FeastType.Int64, 42, { int64Val: 42n }, 42n, 42],
  [FeastType.Int64, '-9223372036854775808', { int64Val: -(2n ** 63n) }, -(2n ** 63n), '-9223372036854775808'],
  [FeastType.Float32, 0.5, { floatVal: 0.5 }, undefined, 0.5],
  [FeastType.Float64, 0.1, { doubleVal: 0.1 }, undefined, 0.1],
  [FeastType.Bool, false, { boolVal: false }, undefined, false],
  [FeastType.UnixTimestamp, ts, { unixTimestampVal: 1781020800n }, undefined, 1781020800],
  [FeastType.UnixTimestamp, new Date(1781020800999), { unixTimestampVal: 1781020800n }, ts, 1781020800],
  [FeastType.Uuid, '6F1C9A9E-1F7F-4A3C-9D5E-0D1C2B3A4F5E', { uuidVal: '6f1c9a9e-1f7f-4a3c-9d5e-0d1c2b3a4f5e' }, '6f1c9a9e-1f7f-4a3c-9d5e-0d1c2b3a4f5e', '6f1c9a9e-1f7f-4a3c-9d5e-0d1c2b3a4f5e'],
  [FeastType.TimeUuid, 'a8098c1a-f86e-11da-bd1a-00112444be1e', { timeUuidVal: 'a8098c1a-f86e-11da-bd1a-00112444be1e' }, undefined, 'a8098c1a-f86e-11da-bd1a-00112444be1e'],
  [FeastType.Decimal, '-12345678901234567890.000000000000000001', { decimalVal: '-12345678901234567890.000000000000000001' }, undefined, '-12345678901234567890.000000000000000001'],
  [FeastType.Decimal, 10n ** 30n, { decimalVal: '1000000000000000000000000000000' }, '1000000000000000000000000000000', '1000000000000000000000000000000'],
  [FeastType.Json, { a: [1, 2, { b: null }], s: 'x' }, { jsonVal: '{"a":[1,2,{"b":null}],"s":"x"}' }, undefined, '{"a":[1,2,{"b":null}],"s":"x"}'],
  [FeastType.Json, 'text', { jsonVal: '"text"' }, undefined, '"text"'],
  [FeastType.Map, { a: 1n, b: 'two', c: { deep: true }, d: null }, { mapVal: { val: { a: { int64Val: 1n }, b: { stringVal: 'two' }, c: { mapVal: { val: { deep: { boolVal: true } } } }, d: {} } } }, undefined, { a: 1, b: 'two', c: { deep: true }, d: null }],
  [FeastType.Map, new Map([['k', 1.5]]), { mapVal: { val: { k: { doubleVal: 1.5 } } } }, { k: 1.5 }, { k: 1.5 }],
  [FeastType.ZonedTimestamp, { date: ts, zone: 'America/Los_Angeles' }, { zonedTimestampVal: { unixTimestamp: 1781020800n, zone: 'America/Los_Angeles' } }, undefined, '2026-06-09T09:00:00-07:00'],
  [FeastType.ZonedTimestamp, { date: ts, zone: '+05:45' }, { zonedTimestampVal: { unixTimestamp: 1781020800n, zone: '+05:45' } }, undefined, '2026-06-09T21:45:00+05:45'],
  [FeastType.ZonedTimestamp, ts, { zonedTimestampVal: { unixTimestamp: 1781020800n, zone: 'UTC' } }, { date: ts, zone: 'UTC' }, '2026-06-09T16:00:00+00:00'],
  [FeastType.Array(FeastType.Bytes), [new Uint8Array([1]), new Uint8Array([])], { bytesListVal: { val: [new Uint8Array([1]), new Uint8Array([])] } }, undefined, ['AQ==', '']],
  [FeastType.Array(FeastType.String), ['a', ''], { stringListVal: { val: ['a', ''] } }, undefined, ['a', '']],
  [FeastType.Array(FeastType.Int32), [1, -2], { int32ListVal: { val: [1, -2] } }, undefined, [1, -2]],
  [FeastType.Array(FeastType.Int64), [BIG, -1n], { int64ListVal: { val: [BIG, -1n] } }, undefined, ['9007199254740993', -1]],
  [FeastType.Array(FeastType.Float32), [0.25, -4], { floatListVal: { val: [0.25, -4] } }, undefined, [0.25, -4]],
  [FeastType.Array(FeastType.Float64), [0.1, 1e300], { doubleListVal: { val: [0.1, 1e300] } }, undefined, [0.1, 1e300]],
  [FeastType.Array(FeastType.Bool), [true, false], { boolListVal: { val: [true, false] } }, undefined, [true, false]],
  [FeastType.Array(FeastType.UnixTimestamp), [ts], { unixTimestampListVal: { val: [1781020800n] } }, undefined, [1781020800]],
  [FeastType.Array(FeastType.Uuid), ['6f1c9a9e-1f7f-4a3c-9d5e-0d1c2b3a4f5e'], { uuidListVal: { val: ['6f1c9a9e-1f7f-4a3c-9d5e-0d1c2b3a4f5e'] } }, undefined, ['6f1c9a9e-1f7f-4a3c-9d5e-0d1c2b3a4f5e']],
  [FeastType.Array(FeastType.Decimal), ['1.10', '0'], { decimalListVal: { val: ['1.10', '0'] } }, undefined, ['1.10', '0']],
  [FeastType.Array(FeastType.Json), [{}, [1]], { jsonListVal: { val: ['{}', '[1]'] } }, undefined, ['{}', '[1]']],
  [FeastType.Array(FeastType.Map), [{ k: 1.5 }, {}], { mapListVal: { val: [{ val: { k: { doubleVal: 1.5 } } }, { val: {} }] } }, undefined, [{ k: 1.5 }, {}]],
  [FeastType.Array(FeastType.Array(FeastType.Int64)), [[1n], []], { listVal: { val: [{ int64ListVal: { val: [1n] } }, { int64ListVal: { val: [] } }] } }, undefined, [[1], []]],
  [FeastType.Array(FeastType.Invalid), [1n, 'a', null], { listVal: { val: [{ int64Val: 1n }, { stringVal: 'a' }, {}] } }, undefined, [1, 'a', null]],
  [FeastType.Set(FeastType.String), new Set(['x', 'y']), { stringSetVal: { val: ['x', 'y'] } }, undefined, ['x', 'y']],
  [FeastType.Set(FeastType.Int64), [BIG, -5n, BIG], { int64SetVal: { val: [BIG, -5n] } }, new Set([BIG, -5n]), ['9007199254740993', -5]],
  [FeastType.Set(FeastType.Bytes), [new Uint8Array([1]), new Uint8Array([1])], { bytesSetVal: { val: [new Uint8Array([1])] } }, new Set([new Uint8Array([1])]), ['AQ==']],
  [FeastType.Set(FeastType.UnixTimestamp), new Set([ts]), { unixTimestampSetVal: { val: [1781020800n] } }, undefined, [1781020800]],
  [FeastType.Set(FeastType.Bool), new Set([true]), { boolSetVal: { val: [true] } }, undefined, [true]],
  [FeastType.Set(FeastType.Array(FeastType.String)), new Set([['a']]), { setVal: { val: [{ stringListVal: { val: ['a'] } }] } }, undefined, [['a']]],
  [FeastType.Struct({ name: FeastType.String, age: FeastType.Int32 }), { name: 'Ann', age: 40 }, { structVal: { val: { name: { stringVal: 'Ann' }, age: { int32Val: 40 } } } }, undefined, { name: 'Ann', age: 40 }],
  [FeastType.Struct({ name: FeastType.String, age: FeastType.Int32 }), { name: 'Bo' }, { structVal: { val: { name: { stringVal: 'Bo' }, age: {} } } }, { name: 'Bo', age: null }, { name: 'Bo', age: null }],
  [FeastType.Array(FeastType.Struct({ f: FeastType.Int32 })), [{ f: 7 }], { structListVal: { val: [{ val: { f: { int32Val: 7 } } }] } }, undefined, [{ f: 7 }]],
];

describe('toValueProto / fromValueProto / valueToJson', () => {
  it.each(CASES.map((c, i) => [`${i}: ${c[0].name}`, ...c] as const))('%s both ways', (_label, type, js, proto, back, json) => {
    const written = toValueProto(js, type, at);
    expect(written).toEqual(proto);
    const decoded = ValueProto.decode(ValueProto.encode(written));
    expect(fromValueProto(decoded)).toEqual(back === undefined ? js : back);
    expect(valueToJson(decoded)).toEqual(json);
    expect(JSON.parse(JSON.stringify(valueToJson(decoded)))).toEqual(json);
  });

  it('null and undefined are Feast null for every type, and read back as null', () => {
    for (const [type] of CASES) {
      expect(toValueProto(null, type, at)).toEqual({});
      expect(toValueProto(undefined, type, at)).toEqual({});
    }
    expect(fromValueProto({})).toBeNull();
    expect(fromValueProto({ nullVal: 0 })).toBeNull();
    expect(valueToJson({ nullVal: 0 })).toBeNull();
  });

  it('reads a scalar map as a Map with typed keys (JSON: null, as Feast writes it)', () => {
    const v: ValueProto = { scalarMapVal: { val: [{ key: { int64Key: BIG }, value: { stringVal: 'v' } }, { key: { unixTimestampKey: 1781020800n }, value: { boolVal: true } }] } };
    const back = fromValueProto(ValueProto.decode(ValueProto.encode(v)));
    expect(back).toEqual(new Map<unknown, unknown>([[BIG, 'v'], [ts, true]]));
    expect(valueToJson(v)).toBeNull();
  });

  it('keeps a "__proto__" map key as data', () => {
    const written = toValueProto(JSON.parse('{"__proto__": 1}'), FeastType.Map, at);
    const back = fromValueProto(ValueProto.decode(ValueProto.encode(written))) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  const refused: Array<[string, FeastTypeT, unknown, RegExp]> = [
    ['Float32 overflow', FeastType.Float32, 3.5e38, /overflow to Infinity/],
    ['Float32 overflow in a list', FeastType.Array(FeastType.Float32), [1, -1e39], /\[1\].*overflow/],
    ['lone high surrogate', FeastType.String, 'a\uD800b', /lone UTF-16 surrogate at index 1/],
    ['lone low surrogate in a list', FeastType.Array(FeastType.String), ['ok', '\uDC00'], /\[1\].*lone UTF-16 surrogate/],
    ['lone surrogate in a map key', FeastType.Map, { ['\uD800']: 1 }, /key.*lone UTF-16 surrogate/],
    ['lone surrogate in Json', FeastType.Json, { a: '\uD800' }, /lone UTF-16 surrogate/],
    ['int64 past 2^63', FeastType.Int64, 2n ** 63n, /within -2\^63\.\.2\^63-1/],
    ['int64 below -2^63', FeastType.Int64, -(2n ** 63n) - 1n, /within -2\^63/],
    ['int64 as an unsafe number', FeastType.Int64, 2 ** 53 + 2, /beyond 2\^53/],
    ['int64 as a fraction', FeastType.Int64, 1.5, /expected an Int64/],
    ['int64 as a decimal string with a point', FeastType.Int64, '1.0', /expected an Int64/],
    ['int32 out of range', FeastType.Int32, 2 ** 31, /within -2\^31/],
    ['a null inside a list', FeastType.Array(FeastType.Int64), [1n, null], /lists cannot hold null/],
    ['a malformed uuid', FeastType.Uuid, 'not-a-uuid', /expected a Uuid/],
    ['a version-4 uuid as TimeUuid', FeastType.TimeUuid, '6f1c9a9e-1f7f-4a3c-9d5e-0d1c2b3a4f5e', /version-1/],
    ['a number as Decimal', FeastType.Decimal, 0.1, /would already be rounded/],
    ['NaN in Json', FeastType.Json, { x: Number.NaN }, /NaN/],
    ['a bigint in Json', FeastType.Json, { x: 1n }, /cannot be written as Json/],
    ['undefined as Json', FeastType.Json, () => 1, /expected a Json value/],
    ['an unknown zone', FeastType.ZonedTimestamp, { date: ts, zone: 'Mars/Olympus' }, /not a time zone/],
    ['an invalid Date', FeastType.UnixTimestamp, new Date(Number.NaN), /valid Date/],
    ['an unknown struct field', FeastType.Struct({ a: FeastType.Int32 }), { a: 1, b: 2 }, /has no field "b". Its fields: a/],
    ['a string for Bytes', FeastType.Bytes, 'AAE=', /Uint8Array/],
    ['an array for Map', FeastType.Map, [1], /expected a Map/],
    ['a number for Bool', FeastType.Bool, 1, /expected a Bool/],
  ];
  it.each(refused)('refuses %s with a ValueConversionError naming the place', (_label, type, value, message) => {
    let err: unknown;
    try {
      toValueProto(value, type, at);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValueConversionError);
    expect((err as ValueConversionError).code).toBe('VALUE_INVALID');
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain('view "v", feature "f"');
  });

  it('accepts what is only rounded, not lost: Float32 precision, NaN, Infinity, sub-second Dates', () => {
    expect(toValueProto(0.1, FeastType.Float32, at)).toEqual({ floatVal: 0.1 });
    expect(toValueProto(Number.NaN, FeastType.Float32, at)).toEqual({ floatVal: Number.NaN });
    expect(toValueProto(Number.POSITIVE_INFINITY, FeastType.Float32, at)).toEqual({ floatVal: Number.POSITIVE_INFINITY });
    expect(toValueProto(3.4028234663852886e38, FeastType.Float32, at)).toEqual({ floatVal: 3.4028234663852886e38 });
  });

  it('refuses a stored Json value that is not JSON', () => {
    expect(() => fromValueProto({ jsonVal: '{nope' })).toThrow(ValueConversionError);
  });

  it('writes event timestamps of the NaT sentinel as null', () => {
    expect(fromValueProto({ unixTimestampListVal: { val: [-(2n ** 63n), 0n] } })).toEqual([null, new Date(0)]);
  });
});
