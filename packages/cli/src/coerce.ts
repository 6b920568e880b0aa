import { ValueConversionError, ValueType, type FeastType, type FeatureView, type PrimitiveFeastType } from '@feast-ts/core';
import { parseJsonExact } from './json-exact.js';

/**
 * Converting input values (CSV strings, or JSON values from JSON lines or
 * `--entities`) to the JavaScript values `FeatureStore` takes, by declared type.
 * Integers for Int64 never pass through a `number` beyond 2^53.
 */

/** A raw input value: a CSV cell (string) or a JSON value (bigint for unsafe integers). */
export type RawValue = unknown;

const INTEGER = /^[+-]?\d+$/;
// pandas writes integer columns with missing values as floats: accept "1001.0" for an integer.
const INTEGER_WITH_ZERO_FRACTION = /^([+-]?\d+)\.0*$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE: Record<string, number> = { nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };
// A timestamp without a zone is UTC, as in Feast (pandas), not local time as Date.parse would read it.
const NAIVE_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function show(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

function fail(where: string, expected: string, value: unknown): never {
  throw new ValueConversionError(`${where}: expected ${expected}, got ${show(value)}.`);
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function toInt64(value: RawValue, where: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string') {
    const s = value.trim();
    if (INTEGER.test(s)) return BigInt(s);
    const m = INTEGER_WITH_ZERO_FRACTION.exec(s);
    if (m) return BigInt(m[1]!);
  }
  return fail(where, 'an Int64 (an integer)', value);
}

function toInt32(value: RawValue, where: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const s = value.trim();
    const m = INTEGER.test(s) ? [s, s] : INTEGER_WITH_ZERO_FRACTION.exec(s);
    if (m) return Number(m[1]);
  }
  return fail(where, 'an Int32 (an integer)', value);
}

function toFloat(value: RawValue, name: string, where: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const s = value.trim();
    if (DECIMAL.test(s)) return Number(s);
    const special = NON_FINITE[s.toLowerCase()];
    if (special !== undefined) return special;
  }
  return fail(where, `a ${name} (a number)`, value);
}

function toBool(value: RawValue, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
  }
  return fail(where, 'a Bool (true, false, 1 or 0)', value);
}

function toBytes(value: RawValue, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string' && BASE64.test(value.trim())) {
    const buf = Buffer.from(value.trim(), 'base64');
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return fail(where, 'Bytes as a base64 string', value);
}

/**
 * Reads a timestamp: a Date, an ISO 8601 string (UTC when it has no zone), or
 * seconds since the Unix epoch (a number or a numeric string).
 */
export function toDate(value: RawValue, where: string): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'bigint') date = new Date(Number(value) * 1000);
  else if (typeof value === 'string') {
    const s = value.trim();
    if (DECIMAL.test(s)) date = new Date(Number(s) * 1000);
    else {
      const naive = NAIVE_TIMESTAMP.exec(s);
      date = new Date(naive ? `${naive[1]}T${naive[2]}Z` : s);
    }
  }
  if (!date || Number.isNaN(date.getTime())) return fail(where, 'a timestamp (ISO 8601, or seconds since the epoch)', value);
  return date;
}

/** JSON text (a CSV cell) parsed; any other value as it is. */
function parsedJson(value: RawValue, where: string, expected: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return parseJsonExact(value);
  } catch {
    return fail(where, expected, value);
  }
}

const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

/** A ZonedTimestamp: `{ "date": <timestamp>, "zone": "Europe/Paris" }`, or an ISO 8601 string (its offset is the zone). */
function toZoned(value: RawValue, where: string): unknown {
  if (typeof value === 'string' && !value.trim().startsWith('{')) {
    const s = value.trim();
    const offset = OFFSET.exec(s)?.[1];
    return { date: toDate(s, where), zone: offset === undefined || offset === 'Z' ? 'UTC' : offset };
  }
  const v = parsedJson(value, where, 'a ZonedTimestamp as JSON, like {"date": "2026-01-01T00:00:00Z", "zone": "Europe/Paris"}') as { date?: unknown; zone?: unknown } | null;
  if (v === null || typeof v !== 'object' || typeof v.zone !== 'string') {
    return fail(where, 'a ZonedTimestamp ({"date": ..., "zone": "Europe/Paris"} or an ISO 8601 string with an offset)', value);
  }
  return { date: toDate(v.date, `${where}.date`), zone: v.zone };
}

function toScalar(value: RawValue, dtype: PrimitiveFeastType, where: string): unknown {
  switch (dtype.name) {
    case 'String':
    case 'Uuid':
    case 'TimeUuid':
      return typeof value === 'string' ? value : fail(where, `a ${dtype.name}`, value);
    case 'Decimal':
      return typeof value === 'string' || typeof value === 'bigint' ? value : fail(where, 'a Decimal as a string (a JSON number would already be rounded)', value);
    case 'Bytes':
    case 'PdfBytes':
    case 'ImageBytes':
      return toBytes(value, where);
    case 'Int32':
      return toInt32(value, where);
    case 'Int64':
      return toInt64(value, where);
    case 'Float32':
    case 'Float64':
      return toFloat(value, dtype.name, where);
    case 'Bool':
      return toBool(value, where);
    case 'UnixTimestamp':
      return toDate(value, where);
    case 'Json':
      return parsedJson(value, where, 'Json text, like {"a": 1}');
    case 'Map':
      return parsedJson(value, where, 'a Map as a JSON object, like {"a": 1}');
    case 'ZonedTimestamp':
      return toZoned(value, where);
    case 'Invalid':
      return value;
  }
}

/**
 * Converts a raw value to what `FeatureStore.writeToOnlineStore` expects for a
 * feature of type `dtype`. null is null, and so is a blank string for any type
 * but String (CSV readers turn empty cells into null before this). Array types
 * take a JSON array (in CSV, the cell holds the JSON text).
 *
 * @param where - names the value in errors, e.g. `data.csv line 3, column "conv_rate"`
 * @throws ValueConversionError
 */
export function coerceFeature(value: RawValue, dtype: FeastType, where: string): unknown {
  if (value === null || value === undefined) return null;
  if (dtype.name !== 'String' && isBlank(value)) return null;
  if (dtype.kind === 'primitive') return toScalar(value, dtype, where);
  if (dtype.kind === 'struct') {
    const obj = parsedJson(value, where, `a ${dtype.name} as a JSON object, like {"name": "Ann"}`);
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return fail(where, `a ${dtype.name} (a JSON object)`, value);
    if (Object.keys(dtype.fields).length === 0) return obj;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const t = dtype.fields[k];
      out[k] = t ? coerceFeature(v as RawValue, t, `${where}.${k}`) : v;
    }
    return out;
  }
  const list = parsedJson(value, where, `an ${dtype.name} as a JSON array, like [1, 2]`);
  if (!Array.isArray(list)) return fail(where, `an ${dtype.name} (a JSON array)`, value);
  const base = dtype.base;
  const items = list.map((el, i) => (el === null ? fail(`${where}[${i}]`, `a ${base.name} (elements cannot be null)`, el) : coerceFeature(el, base, `${where}[${i}]`)));
  return dtype.kind === 'set' ? new Set(items) : items;
}

/**
 * Converts a raw join-key value by the entity's value type. With no declared
 * type the value is kept as it is (a CSV cell stays a string; a JSON integer
 * becomes a bigint).
 *
 * @throws ValueConversionError
 */
export function coerceEntityValue(value: RawValue, valueType: ValueType | undefined, where: string): unknown {
  if (isBlank(value)) return fail(where, 'a join key value', value);
  switch (valueType) {
    case ValueType.INT64:
      return toInt64(value, where);
    case ValueType.INT32:
      return toInt32(value, where);
    case ValueType.STRING:
      return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : fail(where, 'a string', value);
    case ValueType.BYTES:
      return toBytes(value, where);
    case ValueType.UNIX_TIMESTAMP:
      return toDate(value, where);
    default:
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      return value;
  }
}

/** How each column of a view's input is converted. */
export interface RowCoercer {
  /** Join keys, in the view's order. */
  joinKeys: readonly string[];
  /** Feature names. */
  features: string[];
  /** The view's timestamp column. */
  timestampField: string;
  /** Converts one raw row. `missingAsNull`: a feature absent from the row is null instead of an error. */
  coerce(raw: Record<string, RawValue>, where: string, missingAsNull: boolean): Record<string, unknown>;
}

/** The type an entity's join key is converted by: its valueType, else the view's schema field of that name. */
export function joinKeyType(view: FeatureView, joinKey: string): ValueType | undefined {
  const entity = view.entities.find((e) => e.joinKey === joinKey);
  if (entity?.valueType !== undefined) return entity.valueType;
  const field = view.schema.find((f) => f.name === joinKey);
  return field?.dtype.kind === 'primitive' ? field.dtype.valueType : undefined;
}

/**
 * The type of a join key, which must be known: a CSV cell or `--entity` value
 * is text, and guessing (text, or a number when it looks like one) would store
 * keys under one type and look them up under another, so reads would find
 * nothing without saying why.
 *
 * @throws ValueConversionError naming the entity and how to declare the type
 */
export function requiredJoinKeyType(view: FeatureView, joinKey: string): ValueType {
  const type = joinKeyType(view, joinKey);
  if (type !== undefined) return type;
  const entity = view.entities.find((e) => e.joinKey === joinKey);
  throw new ValueConversionError(
    `Join key "${joinKey}" of view "${view.name}" has no type: entity "${entity?.name ?? joinKey}" declares no valueType and the view's schema has no field "${joinKey}". ` +
      'Declare it, e.g. new Entity({ ..., valueType: ValueType.INT64 }) (or STRING), or add a Field for the join key to the schema, then run apply; ' +
      'feast-ts cannot tell from the input whether 1001 is a number or a string key.',
  );
}

/**
 * Builds the converter of raw input rows for `view`: join keys by entity type,
 * features by schema, the timestamp field and `created` to Dates. Columns the
 * view does not know are ignored.
 */
export function rowCoercer(view: FeatureView): RowCoercer {
  const joinKeys = view.joinKeys;
  const keyTypes = joinKeys.map((k) => requiredJoinKeyType(view, k));
  const features = view.features;
  const ts = view.timestampField;
  return {
    joinKeys,
    features: features.map((f) => f.name),
    timestampField: ts,
    coerce(raw, where, missingAsNull) {
      const out: Record<string, unknown> = {};
      joinKeys.forEach((k, i) => {
        if (!(k in raw) || isBlank(raw[k])) {
          throw new ValueConversionError(`${where}: join key "${k}" is missing; view "${view.name}" is keyed by ${joinKeys.join(', ')}.`);
        }
        out[k] = coerceEntityValue(raw[k], keyTypes[i], `${where}, column "${k}"`);
      });
      for (const f of features) {
        if (!(f.name in raw)) {
          if (missingAsNull) {
            out[f.name] = null;
            continue;
          }
          throw new ValueConversionError(`${where}: feature "${f.name}" is missing.`);
        }
        out[f.name] = coerceFeature(raw[f.name], f.dtype, `${where}, column "${f.name}"`);
      }
      if (!(ts in raw) || isBlank(raw[ts])) {
        throw new ValueConversionError(`${where}: "${ts}" (the view's timestamp field) is missing.`);
      }
      out[ts] = toDate(raw[ts], `${where}, column "${ts}"`);
      if ('created' in raw && !isBlank(raw.created)) out.created = toDate(raw.created, `${where}, column "created"`);
      return out;
    },
  };
}
