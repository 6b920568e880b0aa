import type { FetchRequest, FetchSink } from '@feast-ts/core';
import type { SqliteConnections, SqliteHandle } from './connections.js';
import { NAME_SEPARATOR, selectGroupedSql, selectSql } from './sql.js';
import { storedTimestampMs } from './timestamps.js';
import { notATimestamp } from './errors.js';

/**
 * Entity keys per SELECT: two parameters each (number and key), plus up to 256
 * feature names, stays under SQLite's smallest default variable limit (999).
 */
export const KEYS_PER_QUERY = 256;
/** Above this many requested features none is filtered in SQL (core drops the others). */
const MAX_SQL_FEATURE_FILTER = 256;

/** Rounds up to a power of two, so a table needs few distinct prepared SELECTs. */
function bucket(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

/** A key no row has (serialized entity keys are never empty): pads a read's key list. */
const NO_KEY = Buffer.alloc(0);

/** The `(number, key)` parameters of keys `start ..` of `keys` (at most {@link KEYS_PER_QUERY}), padded to a bucket size, then the feature names. */
function parameters(keys: readonly Buffer[], start: number, filter: readonly string[]): { size: number; params: Array<number | Buffer | string> } {
  const count = Math.min(KEYS_PER_QUERY, keys.length - start);
  const size = bucket(count);
  const params = new Array<number | Buffer | string>(size * 2);
  for (let j = 0; j < size; j++) {
    params[2 * j] = j < count ? start + j : -1;
    params[2 * j + 1] = j < count ? keys[start + j]! : NO_KEY;
  }
  // Padded by repeating the last name (harmless inside IN (...)).
  const names = filter.length === 0 ? 0 : bucket(filter.length);
  for (let j = 0; j < names; j++) params.push(filter[Math.min(j, filter.length - 1)]!);
  return { size, params };
}

function sqlFilter(request: FetchRequest): readonly string[] {
  const f = request.features;
  return f !== undefined && f.length <= MAX_SQL_FEATURE_FILTER ? f : [];
}

/** An event_ts cell as epoch ms: numbers take the fast path. */
function eventMs(cell: unknown, table: string, file: string, feature: string): number | null {
  if (typeof cell === 'number' && Number.isFinite(cell)) return cell * 1000;
  const ms = storedTimestampMs(cell);
  if (ms === undefined) throw notATimestamp(table, file, feature, cell);
  return ms;
}

/** Reads the rows of `request` one (entity, feature) row at a time (the layout as it is on disk). */
export function readRows(connections: SqliteConnections, handle: SqliteHandle, table: string, request: FetchRequest, sink: FetchSink): void {
  const filter = sqlFilter(request);
  const nameCount = filter.length === 0 ? 0 : bucket(filter.length);
  for (let start = 0; start < request.keys.length; start += KEYS_PER_QUERY) {
    const { size, params } = parameters(request.keys, start, filter);
    const rows = connections.statement(handle, selectSql(table, size, nameCount)).raw(true).all(...params) as Array<[number, string, Buffer | null, unknown]>;
    for (const [i, name, value, ts] of rows) sink.row(i, name, value, eventMs(ts, table, handle.file, name));
  }
}

/** Parses the comma-separated byte lengths of a grouped row into `out`; returns how many. */
function parseLengths(text: string, out: number[]): number {
  let n = 0;
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[n++] = v;
      v = 0;
    } else v = v * 10 + (c - 48);
  }
  out[n++] = v;
  return n;
}

type GroupedRow = [number, string, Buffer | null, string, unknown, number];

/**
 * Reads the rows of `request` with one result row per entity
 * ({@link selectGroupedSql}), handing the sink each feature of it. Returns
 * false, having handed over nothing, when the rows cannot be read that way
 * (an event_ts stored as text, a feature name holding the separator): the
 * caller then reads row by row.
 */
export function readGrouped(connections: SqliteConnections, handle: SqliteHandle, table: string, request: FetchRequest, sink: FetchSink): boolean {
  const filter = sqlFilter(request);
  const nameCount = filter.length === 0 ? 0 : bucket(filter.length);
  const chunks: GroupedRow[][] = [];
  for (let start = 0; start < request.keys.length; start += KEYS_PER_QUERY) {
    const { size, params } = parameters(request.keys, start, filter);
    const rows = connections.statement(handle, selectGroupedSql(table, size, nameCount)).raw(true).all(...params) as GroupedRow[];
    for (const row of rows) {
      const ts = row[4];
      if (ts !== null && typeof ts !== 'number') return false;
    }
    chunks.push(rows);
  }
  const lengths: number[] = [];
  // Check every row before handing any over, so a fallback never hands a row twice.
  for (const rows of chunks) {
    for (const row of rows) {
      const count = row[5];
      if (parseLengths(row[3], lengths) !== count || row[1].split(NAME_SEPARATOR).length !== count) return false;
    }
  }
  for (const rows of chunks) {
    for (const [i, names, values, lengthText, ts] of rows) {
      const ms = ts === null ? null : eventMs(ts, table, handle.file, '');
      const count = parseLengths(lengthText, lengths);
      const parts = names.split(NAME_SEPARATOR);
      let o = 0;
      for (let f = 0; f < count; f++) {
        const len = lengths[f]!;
        // Decoded where it lies in the row's concatenated values: no view per value.
        if (values === null) sink.row(i, parts[f]!, null, ms);
        else sink.rowIn(i, parts[f]!, values, o, o + len, ms);
        o += len;
      }
    }
  }
  return true;
}
