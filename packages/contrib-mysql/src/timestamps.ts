import { ValueConversionError } from '@feast-ts/core';

/** The first second a MySQL TIMESTAMP column holds: 1970-01-01 00:00:01 UTC. */
export const MIN_TIMESTAMP_SECONDS = 1;
/** The last second a MySQL TIMESTAMP column holds: 2038-01-19 03:14:07 UTC. */
export const MAX_TIMESTAMP_SECONDS = 2 ** 31 - 1;

/**
 * A Date as whole epoch seconds (fractions dropped, as the column keeps whole
 * seconds), checked to fit a TIMESTAMP column.
 *
 * @throws ValueConversionError for an invalid Date or one outside 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC
 */
export function toEpochSeconds(date: Date, what: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ValueConversionError(`${what} must be a valid Date, got ${date instanceof Date ? 'an invalid Date' : typeof date}.`);
  }
  const seconds = Math.floor(ms / 1000);
  if (seconds < MIN_TIMESTAMP_SECONDS || seconds > MAX_TIMESTAMP_SECONDS) {
    throw new ValueConversionError(
      `${what} ${date.toISOString()} is outside what Feast's MySQL layout can store: its event_ts/created_ts columns are ` +
        'TIMESTAMP, which holds 1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC. Nothing of this call was written.',
    );
  }
  return seconds;
}

/** Epoch seconds as read with UNIX_TIMESTAMP() (a number, or null for a NULL column) to a Date. */
export function fromEpochSeconds(seconds: number | string | null): Date | null {
  if (seconds === null) return null;
  return new Date(Number(seconds) * 1000);
}
