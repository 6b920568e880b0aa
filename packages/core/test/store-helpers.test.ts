import { describe, expect, it } from 'vitest';
import { keyOrder, pythonFloatStr, valueText } from '../src/index.js';

describe('pythonFloatStr', () => {
  // Expected strings are CPython 3's repr() of the same doubles.
  it.each([
    [1, '1.0'],
    [0.1, '0.1'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [123456789012345.6, '123456789012345.6'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [-2.5, '-2.5'],
    [1e22, '1e+22'],
    [3.14159, '3.14159'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [Number.NaN, 'nan'],
    [-0, '-0.0'],
    [0, '0.0'],
    [1e-320, '1e-320'],
    [100, '100.0'],
    [12345678, '12345678.0'],
  ])('%s -> %s', (x, expected) => {
    expect(pythonFloatStr(x)).toBe(expected);
  });
});

describe('valueText (Feast extract_text_and_num)', () => {
  it('renders strings, numbers and booleans as Python str() does', () => {
    expect(valueText({ stringVal: 'hello' })).toBe('hello');
    expect(valueText({ stringVal: '' })).toBe('');
    expect(valueText({ int64Val: -(2n ** 63n) })).toBe('-9223372036854775808');
    expect(valueText({ int32Val: 7 })).toBe('7');
    expect(valueText({ doubleVal: 2 })).toBe('2.0');
    // A float32 is widened to double before str(), as Python's protobuf does.
    expect(valueText({ floatVal: 0.1 })).toBe('0.10000000149011612');
    expect(valueText({ boolVal: true })).toBe('True');
    expect(valueText({ boolVal: false })).toBe('False');
  });

  it('is null for every other kind and for an empty value', () => {
    expect(valueText({})).toBeNull();
    expect(valueText({ bytesVal: new Uint8Array([1]) })).toBeNull();
    expect(valueText({ int64ListVal: { val: [1n] } })).toBeNull();
    expect(valueText({ unixTimestampVal: 5n })).toBeNull();
    expect(valueText({ nullVal: 0 })).toBeNull();
  });
});

describe('keyOrder', () => {
  it('sorts by key and keeps rows of one key in input order', () => {
    expect(keyOrder(['b', 'a', 'b', 'a', 'c'])).toEqual([1, 3, 0, 2, 4]);
    expect(keyOrder([])).toEqual([]);
  });

  it('orders latin1 renderings of bytes as the bytes compare', () => {
    const keys = [Buffer.from([0xff, 0x00]), Buffer.from([0x01]), Buffer.from([0x7f, 0x80]), Buffer.from([0x01, 0x00])];
    const order = keyOrder(keys.map((k) => k.toString('latin1')));
    const sorted = [...keys].sort(Buffer.compare);
    expect(order.map((i) => keys[i])).toEqual(sorted);
  });
});
