import type { Entity } from '../definitions/entity.js';
import { DUMMY_ENTITY_ID, DUMMY_ENTITY_VAL, type FeatureView } from '../definitions/feature-view.js';
import type { ValueType } from '../proto/value-type.js';
import { describe, type EntityKeyProto, type ValueProto } from '../proto/value.js';
import { entityValueToProto } from './entity-value.js';
import { EntityRowsError, MissingJoinKeyError } from './request-errors.js';

/**
 * The entities of a request, as Feast accepts them: a list of rows
 * (`[{ driver_id: 1001 }, { driver_id: 1002 }]`) or columns of equal length
 * (`{ driver_id: [1001, 1002] }`).
 */
export type EntityRows = ReadonlyArray<Readonly<Record<string, unknown>>> | Readonly<Record<string, readonly unknown[]>>;

/** Entity rows read column by column, whichever shape they came in. */
export interface EntityColumns {
  /** Number of entity rows. */
  readonly rowCount: number;
  /** The keys given, in the order first seen. */
  readonly keys: readonly string[];
  /** The values of `key`, one per row (undefined where a row lacks it); undefined when no row has the key. */
  column(key: string): readonly unknown[] | undefined;
}

function fromRows(rows: ReadonlyArray<Readonly<Record<string, unknown>>>): EntityColumns {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new EntityRowsError(`Entity row ${i} must be an object of join keys, like { driver_id: 1001 }, got ${describe(row)}.`);
    }
    for (const k in row) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  const cache = new Map<string, unknown[]>();
  return {
    rowCount: rows.length,
    keys,
    column(key) {
      if (!seen.has(key)) return undefined;
      let col = cache.get(key);
      if (!col) {
        col = new Array<unknown>(rows.length);
        for (let i = 0; i < rows.length; i++) col[i] = rows[i]![key];
        cache.set(key, col);
      }
      return col;
    },
  };
}

function fromColumns(columns: Readonly<Record<string, readonly unknown[]>>): EntityColumns {
  const keys = Object.keys(columns);
  let rowCount: number | undefined;
  let first = '';
  for (const k of keys) {
    const col = columns[k];
    if (!Array.isArray(col)) {
      throw new EntityRowsError(`Entity column "${k}" must be an array of values (columnar entityRows, like { ${k}: [1001, 1002] }), got ${describe(col)}.`);
    }
    if (rowCount === undefined) {
      rowCount = col.length;
      first = k;
    } else if (col.length !== rowCount) {
      throw new EntityRowsError(
        `Entity columns must all have the same length: "${first}" has ${rowCount} values and "${k}" has ${col.length}.`,
      );
    }
  }
  return { rowCount: rowCount ?? 0, keys, column: (key) => (Object.hasOwn(columns, key) ? columns[key] : undefined) };
}

/**
 * Reads `entityRows` in either shape.
 * @throws EntityRowsError for anything else, a row that is not an object, or columns of different lengths
 */
export function toEntityColumns(entityRows: unknown): EntityColumns {
  if (Array.isArray(entityRows)) return fromRows(entityRows as ReadonlyArray<Readonly<Record<string, unknown>>>);
  if (entityRows !== null && typeof entityRows === 'object' && !(entityRows instanceof Map)) {
    return fromColumns(entityRows as Readonly<Record<string, readonly unknown[]>>);
  }
  throw new EntityRowsError(
    `entityRows must be a list of objects ([{ driver_id: 1001 }]) or columns ({ driver_id: [1001] }), got ${describe(entityRows)}.`,
  );
}

/** Keys present (not undefined or null) in row `i`, for error messages. */
function keysOfRow(columns: EntityColumns, i: number): string[] {
  return columns.keys.filter((k) => {
    const v = columns.column(k)?.[i];
    return v !== undefined && v !== null;
  });
}

/**
 * The join-key values of every row for `entity`'s join key, coerced to the
 * entity's type (see {@link entityValueToProto}).
 *
 * @param view - the view that needs the key (for the error message)
 * @throws MissingJoinKeyError when a row lacks the key; ValueConversionError when a value does not fit the type
 */
export function joinKeyValues(
  columns: EntityColumns,
  joinKey: string,
  type: Entity | ValueType | undefined,
  view: FeatureView,
): ValueProto[] {
  const col = columns.column(joinKey);
  const out = new Array<ValueProto>(columns.rowCount);
  for (let i = 0; i < columns.rowCount; i++) {
    const v = col?.[i];
    if (v === undefined || v === null) throw new MissingJoinKeyError(i, joinKey, view.name, view.joinKeys, keysOfRow(columns, i));
    out[i] = entityValueToProto(v, type, `entity row ${i}, join key "${joinKey}"`);
  }
  return out;
}

const DUMMY_KEY: EntityKeyProto = Object.freeze({ joinKeys: [DUMMY_ENTITY_ID], entityValues: [{ stringVal: DUMMY_ENTITY_VAL }] }) as EntityKeyProto;

/**
 * One entity key per row for `view`, from the coerced join-key values by
 * entity-row column (`valuesByColumn` holds every join key of the view, under
 * the column `joinKeyMap` maps it to, if any); Feast's dummy key for an
 * entityless view.
 */
export function entityKeysFor(
  view: FeatureView,
  rowCount: number,
  valuesByColumn: ReadonlyMap<string, readonly ValueProto[]>,
  joinKeyMap: Readonly<Record<string, string>> = {},
): EntityKeyProto[] {
  const keys = new Array<EntityKeyProto>(rowCount);
  if (view.isEntityless) {
    keys.fill(DUMMY_KEY);
    return keys;
  }
  const joinKeys = [...view.joinKeys]; // one array shared by this call's keys (the view's own is frozen)
  const cols = joinKeys.map((k) => {
    const col = valuesByColumn.get(joinKeyMap[k] ?? k);
    if (!col) throw new EntityRowsError(`No values were prepared for join key "${joinKeyMap[k] ?? k}" of view "${view.name}".`);
    return col;
  });
  for (let i = 0; i < rowCount; i++) {
    const entityValues = new Array<ValueProto>(cols.length);
    for (let j = 0; j < cols.length; j++) entityValues[j] = cols[j]![i]!;
    keys[i] = { joinKeys, entityValues };
  }
  return keys;
}
