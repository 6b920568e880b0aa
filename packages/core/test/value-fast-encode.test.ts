import { describe, expect, it } from 'vitest';
import type { ValueProto } from '../src/index.js';
import { ValueMessage } from '../src/proto/schema.js';
import { encodeScalarValue } from '../src/proto/value-fast-encode.js';

// The scalar fast path must write exactly the bytes protobufjs writes.
const generic = (v: ValueProto): Buffer => Buffer.from(ValueMessage.encode(ValueMessage.fromObject(v)).finish());

const SAMPLES: ValueProto[] = [
  { int64Val: 0n },
  { int64Val: 1n },
  { int64Val: 127n },
  { int64Val: 128n },
  { int64Val: 2n ** 53n - 1n },
  { int64Val: 2n ** 53n },
  { int64Val: 2n ** 63n - 1n },
  { int64Val: -1n },
  { int64Val: -(2n ** 63n) },
  { int32Val: 0 },
  { int32Val: 300 },
  { int32Val: 2 ** 31 - 1 },
  { doubleVal: 0 },
  { doubleVal: -0 },
  { doubleVal: 0.1 },
  { doubleVal: Number.NaN },
  { doubleVal: Number.NEGATIVE_INFINITY },
  { doubleVal: 1e308 },
  { floatVal: 0.1 },
  { floatVal: -3.5 },
  { boolVal: true },
  { boolVal: false },
  { stringVal: '' },
  { stringVal: 'abc' },
  { stringVal: 'é中😀' },
  { stringVal: 'x'.repeat(200) },
  { stringVal: 'y'.repeat(20_000) },
];

describe('encodeScalarValue', () => {
  it.each(SAMPLES.map((v) => [v] as const))('writes protobufjs bytes for %o', (v) => {
    const fast = encodeScalarValue(v);
    expect(fast).toBeDefined();
    expect(Buffer.from(fast!)).toEqual(generic(v));
  });

  it.each<ValueProto>([{ int32Val: -1 }, { bytesVal: new Uint8Array([1]) }, { int64ListVal: { val: [1n] } }, {}, { nullVal: 0 }])(
    'leaves %o to the generic encoder',
    (v) => {
      expect(encodeScalarValue(v)).toBeUndefined();
    },
  );
});

describe('encodeScalarValue refuses what assertValueProto refuses', () => {
  it.each<unknown>([
    { doubleVal: '1' },
    { int64Val: 1 },
    { int64Val: 2n ** 63n },
    { int32Val: 1.5 },
    { int32Val: 2 ** 31 },
    { boolVal: 1 },
    { stringVal: 'a\uD800' },
    { stringVal: 'a', doubleVal: 1 },
    { doubleVal: 1, extra: 2 },
    null,
    [],
  ])('%o', (v) => {
    expect(encodeScalarValue(v as ValueProto)).toBeUndefined();
  });
});
