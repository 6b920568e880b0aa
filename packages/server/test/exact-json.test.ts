import { describe, expect, it } from 'vitest';
import { parseJsonExact } from '../src/index.js';

describe('parseJsonExact', () => {
  it('keeps integers beyond 2^53 as bigints, and safe ones as numbers', () => {
    expect(parseJsonExact('{"a": [9007199254740993, -9223372036854775808, 1234567890123456, 5]}')).toEqual({
      a: [9007199254740993n, -9223372036854775808n, 1234567890123456, 5],
    });
  });

  it('leaves long digit runs inside strings, fractions and exponents alone', () => {
    expect(parseJsonExact('{"s": "9007199254740993", "f": 9007199254740993.5, "e": 12345678901234567e2, "q": "a\\"9007199254740993"}')).toEqual({
      s: '9007199254740993',
      f: 9007199254740993.5,
      e: 12345678901234567e2,
      q: 'a"9007199254740993',
    });
  });

  it('rejects what JSON.parse rejects, including a long integer with a leading zero', () => {
    expect(() => parseJsonExact('{"a": 09007199254740993}')).toThrow(SyntaxError);
    expect(() => parseJsonExact('{"a": [9007199254740993,]}')).toThrow(SyntaxError);
    expect(() => parseJsonExact('{"a": ')).toThrow(SyntaxError);
  });

  it('treats a __proto__ key as data, as JSON.parse does', () => {
    const v = parseJsonExact('{"__proto__": 9007199254740993}') as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toBe(9007199254740993n);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
});
