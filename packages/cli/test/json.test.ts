import { describe, expect, it } from 'vitest';
import { parseJsonExact } from '../src/json-exact.js';
import { parseJsonl } from '../src/jsonl.js';
import { stringifyExact } from '../src/output.js';

describe('parseJsonExact', () => {
  it('parses like JSON.parse when every integer is safe', () => {
    const text = '{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"x\\"y\\u00e9"}}';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
  });

  it('keeps integers beyond 2^53 exact as bigints, and safe ones as numbers', () => {
    const v = parseJsonExact('{"big": 9007199254740993, "neg": -9223372036854775808, "safe": 9007199254740991, "f": 12345678901234567.5, "s": "12345678901234567890"}');
    expect(v).toEqual({ big: 9007199254740993n, neg: -9223372036854775808n, safe: 9007199254740991, f: 12345678901234567.5, s: '12345678901234567890' });
  });

  it('parses nested values on the exact path', () => {
    expect(parseJsonExact(' [ {"k": [18446744073709551615, {"x": "a\\\\b"}]}, [] , {} ] ')).toEqual([
      { k: [18446744073709551615n, { x: 'a\\b' }] },
      [],
      {},
    ]);
  });

  it('keeps "__proto__" as a plain key', () => {
    const v = parseJsonExact('{"__proto__": {"polluted": 1}, "n": 12345678901234567890}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects malformed JSON on both paths', () => {
    expect(() => parseJsonExact('{"a":1,}')).toThrow();
    expect(() => parseJsonExact('{"a":12345678901234567890,}')).toThrow(/position/);
    expect(() => parseJsonExact('[12345678901234567890] x')).toThrow(/unexpected text/);
    expect(() => parseJsonExact('["12345678901234567890')).toThrow(/unterminated string/);
  });
});

describe('parseJsonl', () => {
  it('parses one object per line, skipping blank lines, with line numbers', () => {
    const rows = parseJsonl('{"driver_id": 9223372036854775807, "x": 1}\n\n{"driver_id": 1001}\r\n');
    expect(rows).toEqual([
      { line: 1, values: { driver_id: 9223372036854775807n, x: 1 } },
      { line: 3, values: { driver_id: 1001 } },
    ]);
  });

  it('names the line of a bad record', () => {
    expect(() => parseJsonl('{"a":1}\n{"a":\n')).toThrow(/line 2: not valid JSON/);
    expect(() => parseJsonl('{"a":1}\n[1,2]\n')).toThrow(/line 2: expected a JSON object/);
  });
});

describe('stringifyExact', () => {
  it('prints bigints as exact JSON numbers, Dates as ISO and bytes as base64', () => {
    const out = stringifyExact({
      id: [9007199254740993n, -5n],
      at: new Date('2025-01-01T10:00:00Z'),
      raw: new Uint8Array([0, 255, 1]),
      f: [0.5, null, NaN],
      nested: [{ a: 1n }],
    });
    expect(out).toBe('{"id":[9007199254740993,-5],"at":"2025-01-01T10:00:00.000Z","raw":"AP8B","f":[0.5,null,null],"nested":[{"a":1}]}');
    expect(parseJsonExact(out)).toMatchObject({ id: [9007199254740993n, -5] });
  });

  it('indents objects but keeps arrays of scalars on one line', () => {
    expect(stringifyExact({ driver_id: [1001n, 1002n], conv_rate: [0.5, null] }, 2)).toBe(
      '{\n  "driver_id": [1001, 1002],\n  "conv_rate": [0.5, null]\n}',
    );
  });
});
