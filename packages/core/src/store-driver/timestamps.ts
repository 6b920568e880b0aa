import { ValueConversionError } from '../errors.js';

/**
 * A Date as epoch milliseconds, refusing anything that is not a valid Date
 * (the one Date check of the row pipeline).
 *
 * @param what - what the value is, for the message (`the event timestamp`)
 * @throws ValueConversionError for a non-Date or an invalid Date
 */
export function epochMsOf(date: unknown, what: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) {
    const got = date instanceof Date ? 'an invalid Date' : date === null ? 'null' : typeof date;
    throw new ValueConversionError(`${what} must be a valid Date, got ${got}`);
  }
  return ms;
}

/**
 * Epoch milliseconds as the whole epoch seconds Feast stores: Python's
 * `int(ts.timestamp())`, which drops the fraction toward zero. The one
 * seconds rounding of every store that keeps seconds.
 */
export function epochSeconds(ms: number): number {
  return Math.trunc(ms / 1000);
}
