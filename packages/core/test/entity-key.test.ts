import { describe, expect, it } from 'vitest';
import { compareCodePoints, deserializeEntityKey, EntityKeySerializationError, serializeEntityKey, type EntityKeyProto } from '../src/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('compareCodePoints (Python str order)', () => {
  it('orders an astral character after U+E000..U+FFFF, unlike UTF-16 order', () => {
    const astral = '\u{1F600}'; // surrogate pair d83d de00
    const bmpHigh = '\uFF21'; // FULLWIDTH A, above the surrogates
    expect(astral < bmpHigh).toBe(true); // JavaScript's code-unit order
    expect(compareCodePoints(astral, bmpHigh)).toBeGreaterThan(0); // Python: '\U0001F600' > '\uFF21'
    expect(compareCodePoints(bmpHigh, astral)).toBeLessThan(0);
  });

  it('agrees with UTF-8 byte order on a mixed sample', () => {
    const words = ['b', 'a', 'ab', '', '\u{10000}', '\uE000', '\uFFFF', 'é', 'Z', '\u{1F600}x', '\u{1F600}'];
    const byCodePoint = [...words].sort(compareCodePoints);
    const byUtf8 = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(byCodePoint).toEqual(byUtf8);
  });
});

describe('serializeEntityKey', () => {
  it('sorts join keys by code point, so key order does not matter', () => {
    const a: EntityKeyProto = { joinKeys: ['\uFF21', '\u{1F600}'], entityValues: [{ int64Val: 1n }, { stringVal: 'x' }] };
    const b: EntityKeyProto = { joinKeys: ['\u{1F600}', '\uFF21'], entityValues: [{ stringVal: 'x' }, { int64Val: 1n }] };
    expect(hex(serializeEntityKey(a))).toBe(hex(serializeEntityKey(b)));
    // the fullwidth key comes first (it is the smaller code point)
    expect(deserializeEntityKey(serializeEntityKey(b)).joinKeys).toEqual(['\uFF21', '\u{1F600}']);
  });

  it('keeps all 64 bits of int64 and timestamps', () => {
    for (const v of [2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n, -1n, 0n]) {
      const key: EntityKeyProto = { joinKeys: ['id'], entityValues: [{ int64Val: v }] };
      expect(deserializeEntityKey(serializeEntityKey(key))).toEqual(key);
      const ts: EntityKeyProto = { joinKeys: ['t'], entityValues: [{ unixTimestampVal: v }] };
      expect(deserializeEntityKey(serializeEntityKey(ts))).toEqual(ts);
    }
  });

  it('round-trips every entity value type Feast allows', () => {
    const key: EntityKeyProto = {
      joinKeys: ['a_bytes', 'b_string', 'c_int32', 'd_int64', 'e_ts'],
      entityValues: [{ bytesVal: new Uint8Array([0, 1, 255]) }, { stringVal: 'ünï\u{1F600}' }, { int32Val: -42 }, { int64Val: 7n }, { unixTimestampVal: 1700000000n }],
    };
    expect(deserializeEntityKey(serializeEntityKey(key))).toEqual(key);
  });

  it('encodes int32 as 4 little-endian bytes with type 3', () => {
    const bytes = serializeEntityKey({ joinKeys: ['s'], entityValues: [{ int32Val: -2 }] });
    expect(hex(bytes.subarray(-12))).toBe('0300000004000000feffffff');
  });

  it('version 2 has no key count and no key lengths', () => {
    expect(hex(serializeEntityKey({ joinKeys: ['k'], entityValues: [{ stringVal: 'v' }] }, 2))).toBe('020000006b020000000100000076');
  });
});

describe('entity keys with a leading U+FEFF or a lone surrogate', () => {
  it('deserializeEntityKey keeps a leading U+FEFF in a join key and a string value', () => {
    const key = { joinKeys: ['\uFEFFid'], entityValues: [{ stringVal: '\uFEFFvalue' }] };
    expect(deserializeEntityKey(serializeEntityKey(key))).toEqual(key);
  });

  it('serializeEntityKey refuses a lone surrogate in a value, so "x\\uD800" and "x\\uFFFD" never share bytes', () => {
    const ok = serializeEntityKey({ joinKeys: ['id'], entityValues: [{ stringVal: 'x\uFFFD' }] });
    expect(deserializeEntityKey(ok).entityValues).toEqual([{ stringVal: 'x\uFFFD' }]);
    expect(() => serializeEntityKey({ joinKeys: ['id'], entityValues: [{ stringVal: 'x\uD800' }] })).toThrow(EntityKeySerializationError);
    expect(() => serializeEntityKey({ joinKeys: ['id'], entityValues: [{ stringVal: 'x\uD800' }] })).toThrow(/lone UTF-16 surrogate \(U\+D800 at index 1\)/);
  });

  it('serializeEntityKey refuses a lone surrogate in a join key name', () => {
    expect(() => serializeEntityKey({ joinKeys: ['id\uDC00'], entityValues: [{ int64Val: 1n }] }, 2)).toThrow(EntityKeySerializationError);
  });
});
