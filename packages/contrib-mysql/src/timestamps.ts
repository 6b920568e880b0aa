import { ValueConversionError } from '@feast-ts/core';

/*
 * Time zones, as Feast's MySQL store has them: it writes a timestamp as naive
 * UTC text ('2024-03-10 23:30:00') in a session that keeps the server's time
 * zone, and reads the column back as naive text in that zone, taken as UTC. So
 * the wall-clock text in the server's zone *is* the UTC time, whatever the zone.
 * This store does exactly that (it never sets the session's time zone), so on
 * a server whose time zone is not UTC both read each other's rows right. The
 * TIMESTAMP column itself then holds an instant shifted by the zone's offset,
 * which only matters to other SQL clients.
 */

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

/** Whole epoch seconds as the SQL literal Feast writes: naive UTC `'YYYY-MM-DD HH:MM:SS'`. */
export function naiveUtcLiteral(seconds: number): string {
  return `'${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}'`;
}

/**
 * The SQL that reads a TIMESTAMP column as Feast reads it: its wall-clock time
 * in the session's (the server's) zone, as seconds since 1970-01-01 00:00:00
 * of that wall clock, which is naive UTC, so epoch seconds.
 */
export function naiveUtcSecondsSql(column: string): string {
  return `TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', ${column})`;
}

/** Epoch seconds as read with {@link naiveUtcSecondsSql} (a number, or null for a NULL column) to a Date. */
export function fromEpochSeconds(seconds: number | string | null): Date | null {
  if (seconds === null) return null;
  return new Date(Number(seconds) * 1000);
}
