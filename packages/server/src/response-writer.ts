import { FieldStatus, valueToJson, type MapProto, type OnlineResponse, type ValueProto } from '@feast-ts/core';

/**
 * Writes the body of `/get-online-features` as Feast's server does, straight from the response's
 * ValueProtos (no intermediate JSON objects): `{"metadata":{"feature_names":[...]},"results":
 * [{"values":[...],"statuses":[...],"event_timestamps":[...]}, ...]}`, one result per column.
 *
 * Values as core's `valueToJson` gives them, except that every int64 (Int64, UnixTimestamp, their
 * lists, and int64s nested in lists, maps and structs) is a bare JSON number, exact however large,
 * as Feast's server (Python ints) writes it. Non-finite floats are `null`, as `JSON.stringify`
 * writes them. Statuses are constant strings; event timestamps are formatted once per distinct
 * event time and, since every feature of a view shares its rows' times, written once per view.
 */

const STATUS_JSON: readonly string[] = ['"INVALID"', '"PRESENT"', '"NULL_VALUE"', '"NOT_FOUND"', '"OUTSIDE_MAX_AGE"'];
const EPOCH_JSON = '"1970-01-01T00:00:00Z"';

/** `n` copies of `item`, comma-separated. */
const repeatJoined = (item: string, n: number): string => (n === 0 ? '' : `${item},`.repeat(n - 1) + item);

/** RFC 3339 UTC as Feast's server writes event timestamps (core's `formatUtc`): no fraction when the milliseconds are 0. */
function utcJson(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `"${iso.slice(0, 19)}Z"` : `"${iso}"`;
}

/** Event-time texts by epoch ms, kept across answers: the same rows, and often the same times, are served again and again. */
const utcTexts = new Map<number, string>();
const MAX_UTC_TEXTS = 4096;

function cachedUtcJson(ms: number): string {
  let text = utcTexts.get(ms);
  if (text === undefined) {
    if (utcTexts.size >= MAX_UTC_TEXTS) utcTexts.clear();
    utcTexts.set(ms, (text = utcJson(ms)));
  }
  return text;
}

const base64Json = (b: Uint8Array): string => `"${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')}"`;

/** A JSON number as `JSON.stringify` writes one: non-finite values are null. */
const numberJson = (n: number): string => (Number.isFinite(n) ? `${n}` : 'null');

function mapJson(map: MapProto | undefined): string {
  const val = map?.val;
  if (!val) return '{}';
  let out = '';
  for (const k of Object.keys(val)) out += `${out === '' ? '' : ','}${JSON.stringify(k)}:${valueJson(val[k])}`;
  return `{${out}}`;
}

function listJson<T>(items: readonly T[], write: (item: T) => string): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += i === 0 ? write(items[i]!) : `,${write(items[i]!)}`;
  return `[${out}]`;
}

const int64Json = (n: bigint): string => `${n}`;

/**
 * One ValueProto as JSON text: what `JSON.stringify(valueToJson(v))` gives, with int64s as bare
 * numbers. A value with no member set (Feast's null) is `null`.
 */
export function valueJson(v: ValueProto | null | undefined): string {
  if (!v) return 'null';
  for (const key in v) {
    const member = (v as Record<string, unknown>)[key];
    if (member === undefined || member === null) continue;
    switch (key as keyof ValueProto) {
      case 'doubleVal':
      case 'floatVal':
      case 'int32Val':
        return numberJson(member as number);
      case 'int64Val':
      case 'unixTimestampVal':
        return `${member as bigint}`;
      case 'boolVal':
        return member === true ? 'true' : 'false';
      case 'stringVal':
      case 'jsonVal':
      case 'uuidVal':
      case 'timeUuidVal':
      case 'decimalVal':
        return JSON.stringify(member as string);
      case 'bytesVal':
        return base64Json(member as Uint8Array);
      case 'nullVal':
      case 'scalarMapVal':
        return 'null';
      case 'int64ListVal':
      case 'int64SetVal':
      case 'unixTimestampListVal':
      case 'unixTimestampSetVal':
        return listJson((member as { val: bigint[] }).val, int64Json);
      case 'bytesListVal':
      case 'bytesSetVal':
        return listJson((member as { val: Uint8Array[] }).val, base64Json);
      case 'mapVal':
      case 'structVal':
        return mapJson(member as MapProto);
      case 'mapListVal':
      case 'structListVal':
        return listJson((member as { val: MapProto[] }).val, mapJson);
      case 'listVal':
      case 'setVal':
        return listJson((member as { val: ValueProto[] }).val, valueJson);
      case 'zonedTimestampVal':
        return JSON.stringify(valueToJson(v)); // ISO 8601 in its zone, or null
      default:
        // The other lists and sets (numbers, strings, booleans): JSON.stringify writes them as Feast does.
        if (typeof member === 'object' && 'val' in member) return JSON.stringify((member as { val: unknown[] }).val);
        return JSON.stringify(valueToJson(v));
    }
  }
  return 'null';
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;
/** Returned by {@link plainValue} for a value `JSON.stringify` cannot write as Feast does. */
const RAW: unique symbol = Symbol('raw');
type Plain = null | number | string | boolean | readonly (number | string | boolean)[];

function safeInts(items: readonly bigint[]): number[] | typeof RAW {
  const out = new Array<number>(items.length);
  for (let i = 0; i < items.length; i++) {
    const n = items[i]!;
    if (n < MIN_SAFE || n > MAX_SAFE) return RAW;
    out[i] = Number(n);
  }
  return out;
}

/**
 * The common values as JavaScript values that `JSON.stringify` writes exactly as Feast's server
 * does (numbers, booleans, strings, base64 bytes, int64s within 2^53 as numbers, and lists of
 * those); {@link RAW} for the rest (int64s beyond 2^53, maps, structs, nested lists, zoned
 * timestamps), which {@link valueJson} writes. One `JSON.stringify` of a column of these is much
 * cheaper than formatting each number apart.
 */
function plainValue(v: ValueProto | undefined): Plain | typeof RAW {
  if (!v) return null;
  for (const key in v) {
    const member = (v as Record<string, unknown>)[key];
    if (member === undefined || member === null) continue;
    switch (key as keyof ValueProto) {
      case 'doubleVal':
      case 'floatVal':
      case 'int32Val':
      case 'boolVal':
      case 'stringVal':
      case 'jsonVal':
      case 'uuidVal':
      case 'timeUuidVal':
      case 'decimalVal':
        return member as number | string | boolean;
      case 'int64Val':
      case 'unixTimestampVal': {
        const n = member as bigint;
        return n < MIN_SAFE || n > MAX_SAFE ? RAW : Number(n);
      }
      case 'nullVal':
      case 'scalarMapVal':
        return null;
      case 'bytesVal':
        return Buffer.from((member as Uint8Array).buffer, (member as Uint8Array).byteOffset, (member as Uint8Array).byteLength).toString('base64');
      case 'int64ListVal':
      case 'int64SetVal':
      case 'unixTimestampListVal':
      case 'unixTimestampSetVal':
        return safeInts((member as { val: bigint[] }).val);
      case 'doubleListVal':
      case 'doubleSetVal':
      case 'floatListVal':
      case 'floatSetVal':
      case 'int32ListVal':
      case 'int32SetVal':
      case 'boolListVal':
      case 'boolSetVal':
      case 'stringListVal':
      case 'stringSetVal':
      case 'jsonListVal':
      case 'uuidListVal':
      case 'uuidSetVal':
      case 'timeUuidListVal':
      case 'timeUuidSetVal':
      case 'decimalListVal':
      case 'decimalSetVal':
        return (member as { val: (number | string | boolean)[] }).val;
      default:
        return RAW;
    }
  }
  return null;
}

/**
 * One plain value as `JSON.stringify` writes it: for a one-row column, writing the cell directly
 * saves a `JSON.stringify` call per feature, the larger part of a one-entity answer's cost.
 */
function plainJson(p: Plain): string {
  switch (typeof p) {
    case 'number':
      return numberJson(p);
    case 'boolean':
      return p ? 'true' : 'false';
    default:
      return p === null ? 'null' : JSON.stringify(p);
  }
}

/** A join-key column's values as JSON text (`plain` and `cells`: scratch arrays of the row count). */
function keyValuesJson(values: readonly ValueProto[], plain: Plain[], cells: string[]): string {
  const n = plain.length;
  let i = 0;
  for (; i < n; i++) {
    const p = plainValue(values[i]);
    if (p === RAW) break;
    plain[i] = p;
  }
  if (i === n) return JSON.stringify(plain);
  for (i = 0; i < n; i++) cells[i] = valueJson(values[i]);
  return `[${cells.join(',')}]`;
}

/** The JSON text of a view's event-timestamp list: one per row, the epoch where there is no row; each distinct time formatted once. */
function timestampsJson(rowStates: readonly number[], eventMs: readonly number[], cells: string[]): string {
  let lastMs = NaN;
  let lastIso = EPOCH_JSON;
  for (let i = 0; i < cells.length; i++) {
    if (rowStates[i] === 0) {
      cells[i] = EPOCH_JSON;
      continue;
    }
    const ms = eventMs[i]!;
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = cachedUtcJson(ms);
    }
    cells[i] = lastIso;
  }
  return cells.join(',');
}

/** The last answer's `feature_names` text, and the names it was made from (column-name lists by identity: they are frozen). */
let lastNames: { keys: readonly string[]; columns: ReadonlyArray<readonly string[]>; json: string } | undefined;

/** The JSON text of `feature_names`: the join keys, then every view's column names; reused while answers name the same columns. */
function featureNamesJson(keyColumns: readonly { name: string }[], views: readonly { columnNames: readonly string[] }[]): string {
  const last = lastNames;
  if (last !== undefined && last.keys.length === keyColumns.length && last.columns.length === views.length) {
    let same = true;
    for (let i = 0; same && i < keyColumns.length; i++) same = last.keys[i] === keyColumns[i]!.name;
    for (let i = 0; same && i < views.length; i++) same = last.columns[i] === views[i]!.columnNames;
    if (same) return last.json;
  }
  const names: string[] = [];
  for (const c of keyColumns) names.push(c.name);
  for (const v of views) for (const name of v.columnNames) names.push(name);
  const json = JSON.stringify(names);
  // Only frozen lists are remembered: one a caller may change in place is read again each time.
  if (views.every((v) => Object.isFrozen(v.columnNames))) {
    lastNames = { keys: keyColumns.map((c) => c.name), columns: views.map((v) => v.columnNames), json };
  }
  return json;
}

/**
 * `response` as the JSON text of Feast's `/get-online-features` answer. The pieces go into one
 * array joined once at the end, which gives a flat string with little garbage: concatenating them
 * would build a rope that the write has to flatten again.
 */
export function onlineResponseJson(response: OnlineResponse): string {
  const { rowCount: n, keyColumns, views, dropOutsideMaxAge: drop, statusOf } = response.columns();
  const allPresent = repeatJoined(STATUS_JSON[FieldStatus.PRESENT]!, n);

  const parts: string[] = ['{"metadata":{"feature_names":', featureNamesJson(keyColumns, views), '},"results":['];
  let sep = '{"values":';
  const cells = new Array<string>(n);
  const plain = new Array<Plain>(n);
  if (keyColumns.length > 0) {
    const keyTail = `,"statuses":[${allPresent}],"event_timestamps":[${repeatJoined(EPOCH_JSON, n)}]}`;
    for (const c of keyColumns) {
      parts.push(sep, keyValuesJson(c.values, plain, cells), keyTail);
      sep = ',{"values":';
    }
  }

  const statuses = new Uint8Array(n);
  for (const v of views) {
    const { rowStates, results: rows, features } = v;
    // Every feature of a view has its rows' event times; a column whose statuses are all PRESENT
    // ends with the same text as every other such column of the view.
    const tail = `],"event_timestamps":[${timestampsJson(rowStates, v.eventMs, cells)}]}`;
    const uniformTail = `,"statuses":[${allPresent}${tail}`;
    for (let fi = 0; fi < features.length; fi++) {
      const feature = features[fi]!;
      let uniform = true;
      let raw = false;
      for (let i = 0; i < n; i++) {
        const value = rows[i]![1]?.[feature];
        const status = statusOf(rowStates[i]!, value);
        statuses[i] = status;
        if (status !== FieldStatus.PRESENT) uniform = false;
        if (status === FieldStatus.NOT_FOUND || (drop && status === FieldStatus.OUTSIDE_MAX_AGE)) plain[i] = null;
        else if (!raw) {
          const p = plainValue(value);
          if (p === RAW) raw = true;
          else plain[i] = p;
        }
      }
      let values: string;
      if (!raw) {
        values = n === 1 ? `[${plainJson(plain[0]!)}]` : JSON.stringify(plain);
      } else {
        // Some value needs writing by hand: the column as text, cell by cell.
        for (let i = 0; i < n; i++) {
          const status = statuses[i]!;
          cells[i] = status === FieldStatus.NOT_FOUND || (drop && status === FieldStatus.OUTSIDE_MAX_AGE) ? 'null' : valueJson(rows[i]![1]?.[feature]);
        }
        values = `[${cells.join(',')}]`;
      }
      if (uniform) {
        parts.push(sep, values, uniformTail);
      } else {
        for (let i = 0; i < n; i++) cells[i] = STATUS_JSON[statuses[i]!]!;
        parts.push(sep, values, ',"statuses":[', cells.join(','), tail);
      }
      sep = ',{"values":';
    }
  }
  parts.push(']}');
  return parts.join('');
}
