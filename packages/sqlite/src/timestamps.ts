/*
 * Writes store whole epoch seconds: core's `epochSeconds` (Feast's rounding).
 * Reads accept what every Feast release wrote.
 */
const NUMERIC = /^[+-]?\d+(\.\d+)?$/;
// Python's datetime.isoformat(), with "T" or " " between date and time (sqlite3's
// default adapter writes the latter), optional fraction and optional UTC offset.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Largest magnitude of a Date's time value, in milliseconds (±8.64e15). */
const MAX_DATE_MS = 8.64e15;

function fromEpochSeconds(seconds: number): number | undefined {
  const ms = seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

function fromIsoString(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    time -= sign * offsetMinutes * 60_000;
  }
  return Number.isNaN(time) || Math.abs(time) > MAX_DATE_MS ? undefined : time;
}

/**
 * Reads an `event_ts` / `created_ts` cell as Python Feast or this store wrote it:
 *
 * - integer (or real) Unix epoch seconds: what this store and Feast releases
 *   that register `adapt_datetime_epoch` write;
 * - an ISO 8601 string such as `2024-05-01 12:00:00.123456` or
 *   `2024-05-01T12:00:00+00:00`: what older Feast releases wrote through
 *   sqlite3's datetime adapter. Strings without an offset are naive UTC;
 * - a numeric string, read as epoch seconds.
 *
 * @returns the instant as epoch milliseconds (no Date is made per row), `null` for SQL NULL, or `undefined` when the cell holds something else
 */
export function storedTimestampMs(cell: unknown): number | null | undefined {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? fromEpochSeconds(cell) : undefined;
  if (typeof cell === 'bigint') return fromEpochSeconds(Number(cell));
  const text = typeof cell === 'string' ? cell.trim() : cell instanceof Uint8Array ? Buffer.from(cell).toString('utf8').trim() : undefined;
  if (text === undefined || text === '') return undefined;
  if (NUMERIC.test(text)) return fromEpochSeconds(Number(text));
  return fromIsoString(text);
}
