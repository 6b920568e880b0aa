import { inspect, isDeepStrictEqual } from 'node:util';
import { FeastError, ValueProto, type OnlineReadResult } from '@feast-ts/core';

/** What one read result should be: `null` for a missing entity, else the event time and features. */
export type ExpectedRead = null | { eventTs: Date; features: Record<string, ValueProto> };

const INSPECT = { depth: 8, maxArrayLength: 12, maxStringLength: 120, breakLength: 120 } as const;
/** Above this weight actual/expected are left off the failure, so runners print no giant diff. */
const DIFF_LIMIT = 5_000;

/** Roughly how many lines a diff of `value` would print (stops counting past the limit). */
function weight(value: unknown, budget = DIFF_LIMIT): number {
  if (typeof value === 'string') return 1 + Math.floor(value.length / 80);
  if (ArrayBuffer.isView(value)) return 1 + (value as Uint8Array).length;
  if (value === null || typeof value !== 'object') return 1;
  let total = 1;
  for (const v of Object.values(value)) {
    total += weight(v, budget - total);
    if (total >= budget) break;
  }
  return total;
}

/** `value` formatted for a failure message, truncated. */
export function show(value: unknown): string {
  const text = inspect(value, INSPECT);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

/**
 * A check found the store misbehaving. When the values are small enough it
 * carries `actual` and `expected`, which vitest renders as a diff.
 */
export class CheckFailure extends FeastError {
  /** What the store produced (absent when too large to diff). */
  readonly actual?: unknown;
  /** What the check expected (absent when too large to diff). */
  readonly expected?: unknown;
  /** Whether a runner should print a diff of `actual` and `expected`. */
  readonly showDiff: boolean;

  constructor(message: string, values?: { actual: unknown; expected: unknown }) {
    super('CHECK_FAILED', message);
    this.showDiff = values !== undefined;
    if (values) {
      this.actual = values.actual;
      this.expected = values.expected;
    }
  }
}

/** Throws a {@link CheckFailure}; `actual`/`expected` are attached for a diff unless they are huge. */
export function fail(message: string, actual?: unknown, expected?: unknown): never {
  const small = actual !== undefined && expected !== undefined && weight(actual) + weight(expected) < DIFF_LIMIT;
  throw new CheckFailure(message, small ? { actual, expected } : undefined);
}

/** Throws unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) fail(message);
}

/**
 * Makes results comparable: Buffers become plain Uint8Arrays, `undefined`
 * members are dropped. Deep, through arrays, Sets, Maps and objects.
 */
export function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? new Uint8Array(value) : value;
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Set) return new Set([...value].map(normalize));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [normalize(k), normalize(v)]));
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = normalize(v);
  return out;
}

/** A feature value ready for comparison: Feast's null (`{}` or `{ nullVal: 0 }`) becomes `{}`. */
function normalizeFeature(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && ValueProto.kind(value as ValueProto) === null) return {};
  return normalize(value);
}

/** Throws unless `actual` deep-equals `expected` after {@link normalize}. */
export function assertDeepEqual(actual: unknown, expected: unknown, what: string): void {
  const a = normalize(actual);
  const e = normalize(expected);
  if (!isDeepStrictEqual(a, e)) fail(`${what}: expected ${show(e)}, got ${show(a)}`, a, e);
}

function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** Epoch seconds of a Date (stores keep second precision). */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Throws unless `actual` is a Date in the same second as `expected`. */
export function assertSameSecond(actual: unknown, expected: Date, what: string): void {
  if (!isDate(actual)) fail(`${what}: expected a Date (${expected.toISOString()}), got ${show(actual)}`);
  if (epochSeconds(actual) !== epochSeconds(expected)) {
    fail(`${what}: expected ${expected.toISOString()} (compared to the second), got ${actual.toISOString()}`, actual.toISOString(), expected.toISOString());
  }
}

/**
 * Checks the results of one `onlineRead` against what was written: one entry
 * per key in order, `[null, null]` for missing entities, event timestamps to
 * the second, and exactly the expected features (Feast's null as `{}` or
 * `{ nullVal: 0 }` alike).
 */
export function assertReadResults(actual: readonly OnlineReadResult[], expected: readonly ExpectedRead[], what: string): void {
  if (!Array.isArray(actual)) fail(`${what}: onlineRead must return an array, got ${show(actual)}`);
  if (actual.length !== expected.length) {
    fail(`${what}: onlineRead returned ${actual.length} results for ${expected.length} entity keys; it must return exactly one per key, in order`);
  }
  expected.forEach((exp, i) => {
    const res = actual[i];
    const at = `${what}: result [${i}]`;
    if (!Array.isArray(res) || res.length !== 2) fail(`${at} must be a pair [eventTs, features], got ${show(res)}`);
    const [ts, features] = res;
    if (exp === null) {
      if (ts !== null || features !== null) fail(`${at} is for an entity that has no row and must be [null, null], got ${show(res)}`);
      return;
    }
    if (features === null || typeof features !== 'object') fail(`${at} should have features ${show(exp.features)}, got ${show(res)}`);
    const actualNames = Object.keys(features).filter((k) => features[k] !== undefined).sort();
    const expectedNames = Object.keys(exp.features).sort();
    if (!isDeepStrictEqual(actualNames, expectedNames)) {
      fail(`${at} has features [${actualNames.join(', ')}], expected exactly [${expectedNames.join(', ')}]`, actualNames, expectedNames);
    }
    for (const name of expectedNames) {
      const a = normalizeFeature(features[name]);
      const e = normalizeFeature(exp.features[name]);
      if (!isDeepStrictEqual(a, e)) fail(`${at} feature "${name}": expected ${show(e)}, got ${show(a)}`, a, e);
    }
    assertSameSecond(ts, exp.eventTs, `${at} event timestamp`);
  });
}
