import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ValueConversionError, ValueProto } from '../src/index.js';
import { decodeScalarValue } from '../src/proto/value-fast-decode.js';
import { decodeValueGeneric } from '../src/proto/value.js';

/** The outcome of decoding: the value, or the error class. */
function outcome(decode: () => ValueProto | undefined): { value?: ValueProto; error?: string } {
  try {
    return { value: decode() };
  } catch (err) {
    return { error: (err as Error).constructor.name };
  }
}

/** Fast path (when it takes the bytes) and generic decoder must agree exactly, value or typed error. */
function expectAgreement(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes);
  const fast = outcome(() => decodeScalarValue(buf));
  const generic = outcome(() => decodeValueGeneric(buf));
  // (expect() only on a mismatch: it is slow enough to matter over thousands of inputs)
  if (generic.error !== undefined && generic.error !== 'ValueConversionError') expect(generic.error).toBe('ValueConversionError');
  if (fast.error === undefined && fast.value === undefined) return; // fast path declined: ValueProto.decode uses generic
  if (!isDeepStrictEqual(fast, generic)) expect(fast, `bytes ${buf.toString('hex')}`).toStrictEqual(generic);
  // And what is decoded encodes again (the read -> write path of a value never fails).
  if (generic.value !== undefined) {
    try {
      ValueProto.encode(generic.value);
    } catch (err) {
      expect.fail(`bytes ${buf.toString('hex')} decode to a value that does not encode: ${(err as Error).message}`);
    }
  }
}

describe('the scalar fast path and the generic decoder agree', () => {
  it('on a string that is not valid UTF-8 (both refuse it, as protobuf does)', () => {
    for (const hex of ['1202c328', '1203eda080', '1201ff', '1202c0af', '1204f4908080']) {
      const buf = Buffer.from(hex, 'hex');
      expect(() => ValueProto.decode(buf), hex).toThrow(ValueConversionError);
      expect(() => decodeValueGeneric(buf), hex).toThrow(ValueConversionError);
    }
  });

  it('on a leading U+FEFF in a string (kept, not taken for a byte-order mark)', () => {
    const buf = Buffer.from(ValueProto.encode({ stringVal: '\uFEFFx' }));
    expect(ValueProto.decode(buf)).toStrictEqual({ stringVal: '\uFEFFx' });
    expect(decodeValueGeneric(buf)).toStrictEqual({ stringVal: '\uFEFFx' });
  });

  it('on non-canonical bool varints (true when any bit is set)', () => {
    const cases: Array<[string, boolean]> = [
      ['3880808080 10'.replace(' ', ''), true], // 2^32: low 32 bits are zero
      ['388000', false], // zero in two bytes
      ['3880808080808080808001', true], // bit 63 only
      ['3802', true],
      ['38ff01', true],
    ];
    for (const [hex, expected] of cases) {
      const buf = Buffer.from(hex, 'hex');
      expect(ValueProto.decode(buf), hex).toStrictEqual({ boolVal: expected });
      expect(decodeValueGeneric(buf), hex).toStrictEqual({ boolVal: expected });
    }
  });

  it('on random bytes after every scalar tag, and on random mutations of valid values', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const tags = [0x0a, 0x12, 0x18, 0x20, 0x29, 0x35, 0x38, 0x40];
    for (let i = 0; i < 5_000; i++) {
      const len = rnd(12);
      const bytes = Uint8Array.from({ length: len + 1 }, (_, j) => (j === 0 ? tags[rnd(tags.length)]! : rnd(4) === 0 ? 0x80 | rnd(128) : rnd(256)));
      expectAgreement(bytes);
    }
    const samples: ValueProto[] = [
      { stringVal: 'héllo \u{1F600}' },
      { stringVal: '' },
      { bytesVal: Uint8Array.of(1, 2, 3) },
      { int64Val: -(2n ** 63n) },
      { int32Val: -1 },
      { boolVal: true },
      { doubleVal: 0.5 },
      { floatVal: 1.5 },
      { unixTimestampVal: 1_700_000_000n },
    ];
    for (let i = 0; i < 5_000; i++) {
      const bytes = Uint8Array.from(ValueProto.encode(samples[rnd(samples.length)]!));
      const flips = 1 + rnd(3);
      for (let f = 0; f < flips && bytes.length > 0; f++) bytes[rnd(bytes.length)] = rnd(256);
      expectAgreement(bytes);
    }
  }, 30_000);
});

describe('ZonedTimestamp survives decode -> encode', () => {
  for (const value of [
    { unixTimestamp: 0n, zone: 'UTC' },
    { unixTimestamp: 1_700_000_000n, zone: '' },
    { unixTimestamp: 0n, zone: '' },
    { unixTimestamp: -5n, zone: 'Asia/Karachi' },
  ]) {
    it(`with unixTimestamp ${value.unixTimestamp} and zone ${JSON.stringify(value.zone)}`, () => {
      const bytes = ValueProto.encode({ zonedTimestampVal: value });
      const decoded = ValueProto.decode(bytes);
      expect(decoded).toStrictEqual({ zonedTimestampVal: value });
      expect(Buffer.from(ValueProto.encode(decoded)).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('inside a list and a map too', () => {
    const value: ValueProto = {
      listVal: { val: [{ zonedTimestampVal: { unixTimestamp: 0n, zone: '' } }, { mapVal: { val: { zonedTimestampVal: { int64Val: 0n } } } }] },
    };
    const decoded = ValueProto.decode(ValueProto.encode(value));
    expect(decoded).toStrictEqual(value);
    expect(() => ValueProto.encode(decoded)).not.toThrow();
  });
});

describe('nesting deeper than protobuf allows', () => {
  const nest = (n: number, wrap: (v: ValueProto) => ValueProto): ValueProto => {
    let v: ValueProto = { int64Val: 1n };
    for (let i = 0; i < n; i++) v = wrap(v);
    return v;
  };
  const shapes: Array<[string, (v: ValueProto) => ValueProto, number]> = [
    ['listVal', (v) => ({ listVal: { val: [v] } }), 50],
    ['mapVal', (v) => ({ mapVal: { val: { a: v } } }), 50],
    ['mapListVal', (v) => ({ mapListVal: { val: [{ val: { a: v } }] } }), 33],
    ['scalarMapVal', (v) => ({ scalarMapVal: { val: [{ key: { int32Key: 1 }, value: v }] } }), 33],
  ];
  for (const [name, wrap, deepest] of shapes) {
    it(`encodes ${name} ${deepest} deep and refuses ${deepest + 1} with a ValueConversionError`, () => {
      const ok = nest(deepest, wrap);
      expect(ValueProto.decode(ValueProto.encode(ok))).toStrictEqual(ok);
      const tooDeep = nest(deepest + 1, wrap);
      expect(() => ValueProto.encode(tooDeep)).toThrow(ValueConversionError);
      expect(() => ValueProto.encode(tooDeep)).toThrow(/nests more than 100 protobuf messages deep/);
    });
  }

  it('refuses a nesting far beyond the limit without overflowing the stack', () => {
    expect(() => ValueProto.encode(nest(100_000, (v) => ({ listVal: { val: [v] } })))).toThrow(ValueConversionError);
  });
});

describe('strings with a lone surrogate', () => {
  for (const [name, value] of [
    ['stringVal', { stringVal: 'x\uD800' }],
    ['a trailing low surrogate', { stringVal: '\uDC00y' }],
    ['stringListVal', { stringListVal: { val: ['ok', 'bad\uDBFF'] } }],
    ['jsonVal', { jsonVal: '"\uD800"' }],
    ['a map key', { mapVal: { val: { 'k\uD800': { int32Val: 1 } } } }],
    ['a nested string', { listVal: { val: [{ stringVal: '\uD83D' }] } }],
    ['a zone', { zonedTimestampVal: { unixTimestamp: 1n, zone: 'U\uDFFF' } }],
  ] as Array<[string, ValueProto]>) {
    it(`are refused at encode: ${name}`, () => {
      expect(() => ValueProto.encode(value)).toThrow(ValueConversionError);
      expect(() => ValueProto.encode(value)).toThrow(/lone UTF-16 surrogate/);
    });
  }

  it('are told apart from U+FFFD, which encodes', () => {
    expect(ValueProto.decode(ValueProto.encode({ stringVal: 'x\uFFFD' }))).toStrictEqual({ stringVal: 'x\uFFFD' });
    expect(ValueProto.decode(ValueProto.encode({ stringVal: 'x\u{1F600}' }))).toStrictEqual({ stringVal: 'x\u{1F600}' });
  });
});
