import { ValueConversionError } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { parseStoredTimestamp, toEpochSeconds } from '../src/timestamps.js';

describe('toEpochSeconds', () => {
  it('drops sub-second parts toward zero like int(datetime.timestamp())', () => {
    expect(toEpochSeconds(new Date('2023-11-14T22:13:20.999Z'), 'ts')).toBe(1700000000n);
    expect(toEpochSeconds(new Date(-1500), 'ts')).toBe(-1n);
    expect(toEpochSeconds(new Date(0), 'ts')).toBe(0n);
  });

  it('rejects what is not a valid Date', () => {
    expect(() => toEpochSeconds(new Date(Number.NaN), 'the event timestamp')).toThrow(ValueConversionError);
    expect(() => toEpochSeconds('2024-01-01' as unknown as Date, 'the event timestamp')).toThrow(/the event timestamp must be a valid Date, got string/);
  });
});

describe('parseStoredTimestamp', () => {
  const at = (iso: string) => new Date(iso);

  it.each<[unknown, Date | null]>([
    [null, null],
    [1700000000, at('2023-11-14T22:13:20Z')],
    [1700000000n, at('2023-11-14T22:13:20Z')],
    [1700000000.25, at('2023-11-14T22:13:20.250Z')],
    ['1700000000', at('2023-11-14T22:13:20Z')],
    ['2023-11-14 22:13:20', at('2023-11-14T22:13:20Z')],
    ['2023-11-14 22:13:20.123456', at('2023-11-14T22:13:20.123Z')],
    ['2023-11-14T22:13:20', at('2023-11-14T22:13:20Z')],
    ['2023-11-14T22:13:20.5Z', at('2023-11-14T22:13:20.500Z')],
    ['2023-11-14T22:13:20+00:00', at('2023-11-14T22:13:20Z')],
    ['2023-11-15T03:43:20+05:30', at('2023-11-14T22:13:20Z')],
    ['2023-11-14T17:13:20-0500', at('2023-11-14T22:13:20Z')],
    ['2023-11-14 22:13', at('2023-11-14T22:13:00Z')],
    ['2023-11-14', at('2023-11-14T00:00:00Z')],
    [Buffer.from('2023-11-14 22:13:20'), at('2023-11-14T22:13:20Z')],
  ])('reads %s', (cell, expected) => {
    expect(parseStoredTimestamp(cell)).toEqual(expected);
  });

  it.each<unknown>(['', 'yesterday', '2023-13-01', '2023-11-14 25:00:00', '2023-11-14T22:13:20+0x', Number.NaN, Number.POSITIVE_INFINITY, 1e20, {}])('gives undefined for %s', (cell) => {
    expect(parseStoredTimestamp(cell)).toBeUndefined();
  });
});
