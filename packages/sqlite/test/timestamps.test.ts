import { ValueConversionError } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { epochMsOf, epochSeconds } from '@feast-ts/core';
import { storedTimestampMs } from '../src/timestamps.js';

// The seconds this store writes come from core's one conversion (Feast's rounding).
describe('epochSeconds (core), as written here', () => {
  it('drops sub-second parts toward zero like int(datetime.timestamp())', () => {
    expect(epochSeconds(epochMsOf(new Date('2023-11-14T22:13:20.999Z'), 'ts'))).toBe(1700000000);
    expect(epochSeconds(-1500)).toBe(-1);
    expect(epochSeconds(0)).toBe(0);
  });

  it('rejects what is not a valid Date', () => {
    expect(() => epochMsOf(new Date(Number.NaN), 'the event timestamp')).toThrow(ValueConversionError);
    expect(() => epochMsOf('2024-01-01', 'the event timestamp')).toThrow(/the event timestamp must be a valid Date, got string/);
  });
});

describe('storedTimestampMs', () => {
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
    expect(storedTimestampMs(cell)).toEqual(expected === null ? null : expected.getTime());
  });

  it.each<unknown>(['', 'yesterday', '2023-13-01', '2023-11-14 25:00:00', '2023-11-14T22:13:20+0x', Number.NaN, Number.POSITIVE_INFINITY, 1e20, {}])('gives undefined for %s', (cell) => {
    expect(storedTimestampMs(cell)).toBeUndefined();
  });
});
