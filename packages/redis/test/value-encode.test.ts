import { ValueProto } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { encodeValue } from '../src/value-encode.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe("encodeValue (the write path's direct scalar encoder)", () => {
  const ints = [0n, 1n, 127n, 128n, 300n, 2n ** 31n, 2n ** 53n + 1n, 2n ** 63n - 1n, -1n, -128n, -(2n ** 63n)];
  const numbers = [0, -0, 0.5, -1.25, 1 / 3, 1e308, 5e-324, Number.MAX_SAFE_INTEGER, Infinity, -Infinity, NaN];
  const int32s = [0, 1, 127, 128, 16384, 2 ** 31 - 1, -1, -(2 ** 31)];
  const strings = ['', 'a', 'hello', 'x'.repeat(127), 'x'.repeat(128), 'y'.repeat(70_000), 'ü€', '\u{1F600}', 'a\uD800b', '\uDC00'];
  const bytes = [new Uint8Array(0), Uint8Array.from([0, 255, 16]), new Uint8Array(200).fill(7)];
  const cases: ValueProto[] = [
    ...ints.flatMap((v) => [{ int64Val: v }, { unixTimestampVal: v }]),
    ...numbers.flatMap((v) => [{ doubleVal: v }, { floatVal: v }]),
    ...int32s.map((v) => ({ int32Val: v })),
    { boolVal: true },
    { boolVal: false },
    ...strings.map((v) => ({ stringVal: v })),
    ...bytes.map((v) => ({ bytesVal: v })),
    {},
    { nullVal: 0 } as ValueProto,
    { int64ListVal: { val: [1n, 2n, 3n] } },
    { stringListVal: { val: ['a', 'b'] } },
    { doubleVal: 1, int64Val: undefined } as ValueProto,
  ];

  it.each(cases.map((c, i) => [i, c] as const))('case %i: the same bytes (or the same error) as core ValueProto.encode', (_, value) => {
    let expected: string;
    try {
      expected = hex(ValueProto.encode(value));
    } catch (err) {
      // Core refuses it (a lone surrogate): the direct encoder must refuse it the same way.
      expect(() => encodeValue(value)).toThrow((err as Error).message);
      return;
    }
    expect(hex(encodeValue(value))).toBe(expected);
  });

  it('refuses a lone surrogate as core does, so nothing unreadable reaches Redis', () => {
    expect(() => encodeValue({ stringVal: 'a\uD800b' })).toThrow(/lone UTF-16 surrogate/);
  });

  it('matches the bytes Feast made (golden vectors)', () => {
    expect(hex(encodeValue({ int64Val: 1001n }))).toBe('20e907');
    expect(hex(encodeValue({ doubleVal: 0.5 }))).toBe('29000000000000e03f');
    expect(hex(encodeValue({ floatVal: 1.5 }))).toBe('350000c03f');
    expect(hex(encodeValue({ stringVal: 'hello' }))).toBe('120568656c6c6f');
    expect(hex(encodeValue({ boolVal: true }))).toBe('3801');
    expect(hex(encodeValue({ unixTimestampVal: 1700000000n }))).toBe('4080e2cfaa06');
  });

  it('throws core\'s typed error for what core rejects', () => {
    for (const bad of [{ int64Val: 5 }, { int64Val: 2n ** 63n }, { int32Val: 1.5 }, { doubleVal: '1' }, { int64Val: 1n, doubleVal: 2 }]) {
      expect(() => encodeValue(bad as unknown as ValueProto)).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }));
    }
  });
});
