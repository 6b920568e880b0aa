import type { FeastType } from '../definitions/feast-type.js';
import type { FeatureView } from '../definitions/feature-view.js';
import { ValueConversionError } from '../errors.js';
import type { OnlineWriteRow } from '../online-store.js';
import { ValueType } from '../proto/value-type.js';
import { describe, type EntityKeyProto, type ValueProto } from '../proto/value.js';
import { isWellFormedString } from '../proto/well-formed.js';
import { toValueProto } from './convert.js';
import { entityKeyFor } from './entity-key-for.js';
import { viewFeatures } from './view-features.js';
import { setOwnProperty } from '../own-property.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A conversion that takes only the unambiguous common inputs of a type, or returns undefined. */
type FastConvert = (v: unknown) => ValueProto | undefined;

const isInt64 = (v: unknown): v is bigint => typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX;

/**
 * The fast conversions: each gives exactly what {@link toValueProto} gives for
 * the inputs it takes, and leaves every other input (other JavaScript types,
 * out of range, strings with a lone surrogate) to it.
 */
const FAST: Partial<Record<string, FastConvert>> = {
  Int64: (v) => (isInt64(v) ? { int64Val: v } : undefined),
  Float64: (v) => (typeof v === 'number' ? { doubleVal: v } : undefined),
  String: (v) => (typeof v === 'string' && isWellFormedString(v) ? { stringVal: v } : undefined),
  Int32: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v <= 2 ** 31 - 1 ? { int32Val: v } : undefined),
  Bool: (v) => (typeof v === 'boolean' ? { boolVal: v } : undefined),
};

function fastConvert(dtype: FeastType): FastConvert | undefined {
  return dtype.kind === 'primitive' ? FAST[dtype.name] : undefined;
}

/** A join key's value when it takes the common path (INT64 bigint, STRING string), else undefined. */
function fastEntityValue(v: unknown, type: ValueType | undefined): ValueProto | undefined {
  if (type === ValueType.INT64) return isInt64(v) ? { int64Val: v } : undefined;
  if (type === ValueType.STRING) return typeof v === 'string' && isWellFormedString(v) ? { stringVal: v } : undefined;
  return undefined;
}

const isValidDate = (v: unknown): v is Date => v instanceof Date && !Number.isNaN(v.getTime());

/** One row, checked and converted, every problem reported with the view, row and column. */
function convertRowChecked(view: FeatureView, row: unknown, i: number): OnlineWriteRow {
  const at = `view "${view.name}", row ${i}`;
  if (row === null || typeof row !== 'object') throw new ValueConversionError(`${at}: a row must be an object, got ${describe(row)}.`);
  const record = row as Record<string, unknown>;
  const key = entityKeyFor(view, record, at);
  const values: Record<string, ValueProto> = {};
  for (const f of viewFeatures(view).fields) {
    if (!(f.name in record)) {
      throw new ValueConversionError(`${at}: feature "${f.name}" is missing. Pass null for a missing value.`);
    }
    setOwnProperty(values, f.name, toValueProto(record[f.name], f.dtype, `${at}, feature "${f.name}"`));
  }
  const ts = record[view.timestampField];
  if (!isValidDate(ts)) {
    throw new ValueConversionError(`${at}: "${view.timestampField}" (the view's timestamp field) must be a valid Date, got ${describe(ts)}.`);
  }
  const created = record.created;
  if (created !== undefined && created !== null && !isValidDate(created)) {
    throw new ValueConversionError(`${at}: "created" must be a valid Date when given, got ${describe(created)}.`);
  }
  return [key, values, ts, (created as Date | null | undefined) ?? null];
}

/**
 * Converts JavaScript rows to the rows `onlineWriteBatch` takes. Every row is
 * converted before anything is written; a value of the wrong type throws a
 * ValueConversionError naming the view, feature and row.
 *
 * Rows whose values are all of the common kinds (bigint Int64, number Float64,
 * well-formed strings, ...) take a fast path that builds no message text; any
 * other row goes through the checked conversion, which gives the same result
 * or the error.
 */
export function toWriteRows(view: FeatureView, rows: ReadonlyArray<unknown>): OnlineWriteRow[] {
  const { fields } = viewFeatures(view);
  const names = fields.map((f) => f.name);
  const converters = fields.map((f) => fastConvert(f.dtype));
  const entities = view.entities;
  const joinKeys = viewFeatures(view).joinKeys as string[];
  const entityTypes = entities.map((e) => e.valueType);
  const tsField = view.timestampField;
  const out: OnlineWriteRow[] = new Array<OnlineWriteRow>(rows.length);
  rowLoop: for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown> | null;
    fast: {
      if (row === null || typeof row !== 'object' || entities.length === 0) break fast;
      const entityValues = new Array<ValueProto>(entities.length);
      for (let k = 0; k < entities.length; k++) {
        const v = fastEntityValue(row[joinKeys[k]!], entityTypes[k]);
        if (v === undefined) break fast;
        entityValues[k] = v;
      }
      const values: Record<string, ValueProto> = {};
      for (let f = 0; f < names.length; f++) {
        const name = names[f]!;
        const raw = row[name];
        let v: ValueProto | undefined;
        if (raw === null) v = {};
        else if (raw === undefined) {
          if (!(name in row)) break fast;
          v = {};
        } else {
          const convert = converters[f];
          v = convert === undefined ? undefined : convert(raw);
          if (v === undefined) break fast;
        }
        setOwnProperty(values, name, v);
      }
      const ts = row[tsField];
      const created = row.created;
      if (!isValidDate(ts) || (created !== undefined && created !== null && !isValidDate(created))) break fast;
      const key: EntityKeyProto = { joinKeys: joinKeys.slice(), entityValues };
      out[i] = [key, values, ts, (created as Date | null | undefined) ?? null];
      continue rowLoop;
    }
    out[i] = convertRowChecked(view, row, i);
  }
  return out;
}
