import { describe, expect, it } from 'vitest';
import { ValueConversionError, ValueProto } from '../src/index.js';
import { encodeScalarValue } from '../src/proto/value-fast-encode.js';
import { encodeValueGeneric } from '../src/proto/value.js';

// The scalar fast path must write exactly the bytes the generic protobuf encoder writes.
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

const SCALARS: ValueProto[] = [
  {},
  { int64Val: 0n },
  { int64Val: 1n },
  { int64Val: 127n },
  { int64Val: 128n },
  { int64Val: 1001n },
  { int64Val: -1n },
  { int64Val: 2n ** 53n - 1n },
  { int64Val: 2n ** 53n },
  { int64Val: 9007199254740993n },
  { int64Val: 2n ** 63n - 1n },
  { int64Val: -(2n ** 63n) },
  { unixTimestampVal: 0n },
  { unixTimestampVal: 1_700_000_000n },
  { unixTimestampVal: -5n },
  { int32Val: 0 },
  { int32Val: 42 },
  { int32Val: 300 },
  { int32Val: -1 },
  { int32Val: 2 ** 31 - 1 },
  { int32Val: -(2 ** 31) },
  { doubleVal: 0 },
  { doubleVal: 0.5 },
  { doubleVal: -0 },
  { doubleVal: Number.NaN },
  { doubleVal: Number.NEGATIVE_INFINITY },
  { doubleVal: Number.MIN_VALUE },
  { doubleVal: 1e308 },
  { floatVal: 0 },
  { floatVal: 1.5 },
  { floatVal: -0 },
  { floatVal: 0.1 },
  { floatVal: 3.4028234663852886e38 },
  { boolVal: true },
  { boolVal: false },
  { stringVal: '' },
  { stringVal: 'driver' },
  { stringVal: 'é😀\u0000' },
  { stringVal: 'x'.repeat(200) },
  { stringVal: 'y'.repeat(70_000) },
  { bytesVal: new Uint8Array(0) },
  { bytesVal: Uint8Array.from([0, 1, 255]) },
  { bytesVal: new Uint8Array(300).fill(7) },
  { bytesVal: Buffer.from('abc') },
];

describe('encodeScalarValue', () => {
  it.each(SCALARS.map((v) => [JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)).slice(0, 60), v]))(
    'writes the generic encoder bytes for %s',
    (_name, value) => {
      const fast = encodeScalarValue(value);
      expect(fast).toBeInstanceOf(Uint8Array);
      expect(hex(fast!)).toBe(hex(encodeValueGeneric(value)));
      expect(ValueProto.decode(fast!)).toEqual(ValueProto.decode(encodeValueGeneric(value)));
    },
  );

  it('leaves every other shape to the generic encoder', () => {
    const others: unknown[] = [
      { int64ListVal: { val: [1n] } },
      { mapVal: { val: {} } },
      { nullVal: 0 },
      { int64Val: 1n, doubleVal: 2 },
      { int64Val: 1n, stringVal: undefined },
      { int64Val: undefined },
      { int64Val: 5 },
      { int64Val: 2n ** 63n },
      { int32Val: 1.5 },
      { int32Val: 2 ** 31 },
      { doubleVal: 1n },
      { boolVal: 1 },
      { stringVal: 'x\uD800' },
      { bytesVal: [1, 2] },
      Object.assign(Object.create(null) as object, { int64Val: 1n }),
      null,
    ];
    for (const v of others) expect(encodeScalarValue(v as ValueProto)).toBeUndefined();
  });

  it('ValueProto.encode still refuses what the generic encoder refuses', () => {
    expect(() => ValueProto.encode({ int64Val: 5 } as unknown as ValueProto)).toThrow(ValueConversionError);
    expect(() => ValueProto.encode({ stringVal: 'x\uD800' })).toThrow(/lone UTF-16 surrogate/);
    expect(() => ValueProto.encode({ int64Val: 1n, doubleVal: 2 })).toThrow(/sets both/);
    expect(hex(ValueProto.encode({ int64Val: 1n, stringVal: undefined }))).toBe('2001');
  });
});
