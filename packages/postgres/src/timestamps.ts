import { ValueConversionError } from '@feast-ts/core';

/** Milliseconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01 00:00:00 UTC (binary timestamps count from there). */
export const PG_EPOCH_MS = 946_684_800_000;
/** The earliest instant a TIMESTAMPTZ holds: 4714-11-24 00:00:00 UTC BC, as epoch milliseconds. */
export const MIN_TIMESTAMP_MS = -210_866_803_200_000;

/**
 * A Date as epoch milliseconds, checked to fit a TIMESTAMPTZ column (every
 * valid Date after 4714 BC does; PostgreSQL keeps microseconds, so the value
 * is stored exactly).
 *
 * @throws ValueConversionError for an invalid Date or one before 4714-11-24 BC
 */
export function toEpochMs(date: Date, what: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ValueConversionError(`${what} must be a valid Date, got ${date instanceof Date ? 'an invalid Date' : typeof date}. Nothing of this call was written.`);
  }
  if (ms < MIN_TIMESTAMP_MS) {
    throw new ValueConversionError(`${what} ${date.toISOString()} is before the earliest TIMESTAMPTZ (4714-11-24 BC). Nothing of this call was written.`);
  }
  return ms;
}

/** Writes epoch milliseconds as a binary TIMESTAMPTZ (int64 microseconds since 2000-01-01 UTC) at `offset`. */
export function writeTimestamp(buf: Buffer, offset: number, ms: number): void {
  const us = (ms - PG_EPOCH_MS) * 1000;
  if (Number.isSafeInteger(us)) {
    const hi = Math.floor(us / 4294967296);
    buf.writeInt32BE(hi, offset);
    buf.writeUInt32BE(us - hi * 4294967296, offset + 4);
  } else {
    buf.writeBigInt64BE(BigInt(ms - PG_EPOCH_MS) * 1000n, offset);
  }
}

/**
 * Integer microseconds since the Unix epoch, as read (text of an int8), to
 * epoch milliseconds, rounded down as Python's datetime-to-Date would be
 * (the microseconds below a millisecond do not fit a Date).
 */
export function microsToMs(text: string): number {
  const us = Number(text);
  if (Number.isSafeInteger(us)) return Math.floor(us / 1000);
  const big = BigInt(text);
  const q = big / 1000n;
  return Number(big < 0n && q * 1000n !== big ? q - 1n : q);
}
