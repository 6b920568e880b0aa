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
 * What a TIMESTAMP column holds, for core's check of every write row (a row
 * outside it fails the call before anything is sent).
 */
export const TIMESTAMP_RANGE = {
  minMs: MIN_TIMESTAMP_SECONDS * 1000,
  maxMs: MAX_TIMESTAMP_SECONDS * 1000 + 999,
  description: '1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC',
  reason: "Feast's MySQL layout has TIMESTAMP event_ts/created_ts columns",
} as const;

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
