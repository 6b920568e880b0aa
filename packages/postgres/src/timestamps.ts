/** Milliseconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01 00:00:00 UTC (binary timestamps count from there). */
export const PG_EPOCH_MS = 946_684_800_000;
/** The earliest instant a TIMESTAMPTZ holds: 4714-11-24 00:00:00 UTC BC, as epoch milliseconds. */
export const MIN_TIMESTAMP_MS = -210_866_803_200_000;

/** What a TIMESTAMPTZ column holds, for core's check of every write row. */
export const TIMESTAMP_RANGE = {
  minMs: MIN_TIMESTAMP_MS,
  maxMs: 8.64e15,
  description: '4714-11-24 BC and later',
  reason: 'the event_ts/created_ts columns are TIMESTAMPTZ',
} as const;

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
