import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareTimestamps, dateOfTimestamp, decodeTimestamp, encodeTimestamp, timestampOfDate } from '../src/timestamp.js';

// Bytes from Google's Python protobuf runtime (test/fixtures/make-timestamp-vectors.py).
const vectors = JSON.parse(readFileSync(new URL('./fixtures/timestamp-vectors.json', import.meta.url), 'utf8')) as {
  timestamps: Array<{ seconds: string; nanos: number; hex: string }>;
  from_datetime: Array<{ ms: number; hex: string }>;
};

describe('google.protobuf.Timestamp', () => {
  it.each(vectors.timestamps)('encodes and decodes seconds=$seconds nanos=$nanos as protobuf does', ({ seconds, nanos, hex }) => {
    const ts = { seconds: BigInt(seconds), nanos };
    expect(Buffer.from(encodeTimestamp(ts)).toString('hex')).toBe(hex);
    expect(decodeTimestamp(Buffer.from(hex, 'hex'))).toEqual(ts);
  });

  it.each(vectors.from_datetime)('writes what Timestamp.FromDatetime writes for epoch ms $ms, and reads the same Date back', ({ ms, hex }) => {
    const date = new Date(ms);
    expect(Buffer.from(encodeTimestamp(timestampOfDate(date))).toString('hex')).toBe(hex);
    expect(dateOfTimestamp(decodeTimestamp(Buffer.from(hex, 'hex'))).getTime()).toBe(ms);
  });

  it('skips unknown fields and rejects truncated bytes with a typed error', () => {
    // field 3 (varint 5), then seconds=1
    expect(decodeTimestamp(Buffer.from('18050801', 'hex'))).toEqual({ seconds: 1n, nanos: 0 });
    expect(() => decodeTimestamp(Buffer.from('0880', 'hex'))).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }));
  });

  it('orders by seconds, then nanos', () => {
    expect(compareTimestamps({ seconds: 1n, nanos: 5 }, { seconds: 1n, nanos: 6 })).toBeLessThan(0);
    expect(compareTimestamps({ seconds: 2n, nanos: 0 }, { seconds: 1n, nanos: 999_999_999 })).toBeGreaterThan(0);
    expect(compareTimestamps({ seconds: -1n, nanos: 3 }, { seconds: -1n, nanos: 3 })).toBe(0);
  });
});
