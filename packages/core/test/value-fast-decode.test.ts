import { describe, expect, it } from 'vitest';
import { ValueProto } from '../src/index.js';
import { decodeScalarValue } from '../src/proto/value-fast-decode.js';
import { decodeValueGeneric } from '../src/proto/value.js';

// The scalar fast path must give exactly what the generic protobuf decoder gives.
const decodeValue = (buf: Uint8Array): ValueProto => decodeScalarValue(buf) ?? decodeValueGeneric(buf);

const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 37) & 0xff);

const SAMPLES: ValueProto[] = [
  {},
  { int64Val: 0n },
  { int64Val: 1001n },
  { int64Val: -1n },
  { int64Val: 2n ** 49n - 1n },
  { int64Val: 2n ** 49n },
  { int64Val: 9007199254740993n },
  { int64Val: 2n ** 63n - 1n },
  { int64Val: -(2n ** 63n) },
  { unixTimestampVal: 1_700_000_000n },
  { unixTimestampVal: -5n },
  { int32Val: 0 },
  { int32Val: 42 },
  { int32Val: -1 },
  { int32Val: 2 ** 31 - 1 },
  { int32Val: -(2 ** 31) },
  { doubleVal: 0.5 },
  { doubleVal: -0 },
  { doubleVal: Number.NaN },
  { doubleVal: Number.POSITIVE_INFINITY },
  { doubleVal: Number.MIN_VALUE },
  { doubleVal: 1e308 },
  { floatVal: 1.5 },
  { floatVal: -0 },
  { floatVal: 3.4028234663852886e38 },
  { floatVal: 0.1 },
  { boolVal: true },
  { boolVal: false },
  { stringVal: '' },
  { stringVal: 'hello' },
  { stringVal: 'ünï \u{1F600} \0 end' },
  { stringVal: 'x'.repeat(200) },
  { stringVal: 'y'.repeat(70_000) },
  { bytesVal: new Uint8Array() },
  { bytesVal: bytes(3) },
  { bytesVal: bytes(300) },
  // not on the fast path: must fall back and still agree
  { nullVal: 0 },
  { int64ListVal: { val: [1n, 2n, 3n] } },
  { floatListVal: { val: [1.5, -2] } },
  { stringListVal: { val: ['a', 'b'] } },
  { mapVal: { val: { a: { int32Val: 1 } } } },
  { zonedTimestampVal: { unixTimestamp: 5n, zone: 'UTC' } },
];

describe('ValueProto.decode fast path for scalar values', () => {
  it.each(SAMPLES.map((v) => [JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)).slice(0, 60), v] as const))(
    'decodes %s exactly as the generic decoder does',
    (_name, value) => {
      const buf = Buffer.from(ValueProto.encode(value));
      const fast = decodeValue(buf);
      expect(fast).toStrictEqual(decodeValueGeneric(buf));
      expect(Object.is((fast as { doubleVal?: number }).doubleVal, (value as { doubleVal?: number }).doubleVal)).toBe(true);
    },
  );

  it.each(SAMPLES.map((v) => [JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)).slice(0, 60), v] as const))(
    'ValueProto.decodeIn reads %s inside a larger buffer exactly as decode reads it alone',
    (_name, value) => {
      const alone = ValueProto.encode(value);
      // Bytes before and after that would change the value if they were read; in a Buffer and in a plain Uint8Array view at an offset.
      const around = Buffer.from([0x0a, 0xff, ...alone, 0x08, 0x01, 0xff]);
      const view = new Uint8Array(new Uint8Array([0, 0, 0, ...around]).buffer, 3);
      for (const packed of [around, view]) {
        const inside = ValueProto.decodeIn(packed, 2, 2 + alone.length);
        expect(inside).toStrictEqual(ValueProto.decode(alone));
        expect(Object.is((inside as { doubleVal?: number }).doubleVal, (value as { doubleVal?: number }).doubleVal)).toBe(true);
      }
    },
  );

  it('ValueProto.decodeIn refuses a range outside its bytes, and bytes that are no Value', () => {
    const buf = Buffer.from(ValueProto.encode({ doubleVal: 1 }));
    for (const [start, end] of [[-1, 3], [0, 10], [4, 3], [0.5, 2], [Number.NaN, 2]] as const) {
      expect(() => ValueProto.decodeIn(buf, start, end)).toThrow(RangeError);
    }
    expect(() => ValueProto.decodeIn(Buffer.from([1, 0xff, 0xff, 1]), 1, 3)).toThrow(/Cannot decode 2 bytes as feast.types.Value/);
  });

  it('takes the fast path for scalars (so this test exercises it)', () => {
    expect(decodeScalarValue(ValueProto.encode({ int64Val: 5n }))).toEqual({ int64Val: 5n });
    expect(decodeScalarValue(ValueProto.encode({ int64ListVal: { val: [1n] } }))).toBeUndefined();
  });

  it('agrees with the generic decoder on random scalars', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      const big = BigInt.asIntN(64, BigInt(Math.floor(rnd() * 2 ** 32)) * BigInt(Math.floor(rnd() * 2 ** 32)) * (rnd() < 0.5 ? -1n : 1n));
      const values: ValueProto[] = [
        { int64Val: big },
        { unixTimestampVal: big },
        { int32Val: (Math.floor(rnd() * 2 ** 32) | 0) },
        { doubleVal: (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40) },
        { floatVal: Math.fround((rnd() - 0.5) * 1000) },
        { stringVal: String.fromCodePoint(...Array.from({ length: Math.floor(rnd() * 20) }, () => Math.floor(rnd() * 0x10ffff) & ~0x800)) },
      ];
      for (const v of values) {
        const buf = Buffer.from(ValueProto.encode(v));
        expect(decodeValue(buf)).toStrictEqual(decodeValueGeneric(buf));
      }
    }
  });

  it('falls back on bytes it does not recognise (trailing fields, truncation) with the same result or error', () => {
    const two = Buffer.concat([Buffer.from(ValueProto.encode({ int64Val: 1n })), Buffer.from(ValueProto.encode({ stringVal: 'a' }))]);
    expect(decodeValue(two)).toStrictEqual(decodeValueGeneric(two));
    const truncated = Buffer.from(ValueProto.encode({ stringVal: 'hello' })).subarray(0, 4);
    expect(() => decodeValue(truncated)).toThrow();
    expect(() => decodeValueGeneric(truncated)).toThrow();
  });
});
