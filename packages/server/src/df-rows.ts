import { ValueConversionError, type FeastType, type FeatureView } from '@feast-ts/core';
import type { JsonColumns } from './request-shapes.js';

/**
 * Feast's columnar `df` of `/write-to-online-store` and `/push`, turned into the rows
 * `FeatureStore.writeToOnlineStore` takes: timestamps (ISO 8601 text, UTC when it has no zone, or
 * seconds since the epoch) become Dates, Bytes (base64 text) become Uint8Arrays, and the other
 * values go as they are (core converts and checks them by the view's schema; integers beyond 2^53
 * arrive as bigints from the body parser).
 */

const NAIVE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : typeof v === 'bigint' ? v.toString() : Array.isArray(v) ? 'an array' : v !== null && typeof v === 'object' ? 'an object' : String(v));

/** A timestamp of the body: ISO 8601 text (UTC when it names no zone) or epoch seconds (a number or numeric text). */
export function jsonTimestamp(value: unknown, where: string): Date {
  let d: Date | undefined;
  if (typeof value === 'number') d = new Date(value * 1000);
  else if (typeof value === 'bigint') d = new Date(Number(value) * 1000);
  else if (typeof value === 'string') {
    const s = value.trim();
    if (NUMERIC.test(s)) d = new Date(Number(s) * 1000);
    else {
      const naive = NAIVE.exec(s);
      d = new Date(naive ? `${naive[1]}T${naive[2]}Z` : s);
    }
  }
  if (!d || Number.isNaN(d.getTime())) {
    throw new ValueConversionError(`${where}: expected a timestamp (ISO 8601 text such as "2026-01-01T00:00:00Z", or seconds since the epoch), got ${show(value)}.`);
  }
  return d;
}

/** Bytes of the body: base64 text (standard or URL-safe alphabet), as Feast's servers write them. */
export function jsonBytes(value: unknown, where: string): Uint8Array {
  if (typeof value === 'string' && BASE64.test(value)) {
    const b = Buffer.from(value, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  throw new ValueConversionError(`${where}: expected Bytes as base64 text, got ${show(value)}.`);
}

/** A JSON value as the JavaScript value `toValueProto` takes for `dtype`. */
export function jsonFeatureValue(value: unknown, dtype: FeastType, where: string): unknown {
  if (value === null || value === undefined) return null;
  switch (dtype.kind) {
    case 'primitive':
      switch (dtype.name) {
        case 'UnixTimestamp':
          return jsonTimestamp(value, where);
        case 'Bytes':
        case 'PdfBytes':
        case 'ImageBytes':
          return jsonBytes(value, where);
        case 'ZonedTimestamp': {
          if (typeof value !== 'string') return value;
          const offset = OFFSET.exec(value.trim())?.[1];
          return { date: jsonTimestamp(value, where), zone: offset === undefined || offset.toUpperCase() === 'Z' ? 'UTC' : offset };
        }
        default:
          return value;
      }
    case 'array':
    case 'set': {
      if (!Array.isArray(value)) throw new ValueConversionError(`${where}: expected an ${dtype.name} as a JSON array, got ${show(value)}.`);
      const items = value.map((el, i) => jsonFeatureValue(el, dtype.base, `${where}[${i}]`));
      return dtype.kind === 'set' ? new Set(items) : items;
    }
    default:
      return value;
  }
}

/**
 * The rows of `df` for `view`: its join keys, features (each feature column must be present; null
 * where a value is missing), its timestamp field (or `event_timestamp`, the column Feast's `remote`
 * online store sends) and `created` when given. Columns the view does
 * not have are ignored, as in Feast.
 * @throws ValueConversionError naming the column and row at fault; nothing is written then
 */
export function rowsFromColumns(df: JsonColumns, view: FeatureView): Array<Record<string, unknown>> {
  const names = Object.keys(df);
  let rowCount: number | undefined;
  for (const name of names) {
    const len = df[name]!.length;
    if (rowCount === undefined) rowCount = len;
    else if (len !== rowCount) {
      throw new ValueConversionError(`"df" columns must all have the same length: "${names[0]}" has ${rowCount} values and "${name}" has ${len}.`);
    }
  }
  const n = rowCount ?? 0;
  // Feast's `remote` online store always names the column event_timestamp, whatever the view's timestamp field.
  const tsColumn = !Object.hasOwn(df, view.timestampField) && Object.hasOwn(df, 'event_timestamp') ? 'event_timestamp' : view.timestampField;
  const missing = [...view.joinKeys, ...view.features.map((f) => f.name), tsColumn].filter((c) => !Object.hasOwn(df, c));
  if (missing.length > 0) {
    throw new ValueConversionError(
      `"df" has no column ${missing.map((m) => `"${m}"`).join(', ')}, which feature view "${view.name}" needs ` +
        `(join keys ${view.joinKeys.join(', ') || '(none)'}, every feature, and the timestamp field "${view.timestampField}").`,
    );
  }
  const features = view.features;
  const created = Object.hasOwn(df, 'created') ? df.created! : undefined;
  const rows = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (const k of view.joinKeys) row[k] = df[k]![i];
    for (const f of features) row[f.name] = jsonFeatureValue(df[f.name]![i], f.dtype, `"df.${f.name}"[${i}]`);
    row[view.timestampField] = jsonTimestamp(df[tsColumn]![i], `"df.${tsColumn}"[${i}]`);
    const c = created?.[i];
    if (c !== undefined && c !== null) row.created = jsonTimestamp(c, `"df.created"[${i}]`);
    rows[i] = row;
  }
  return rows;
}
