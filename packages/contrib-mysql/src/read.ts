import type { FetchSink } from '@feast-ts/core';
import type { Connection } from 'mysql2/promise';
import { FeatureNames, unpackRow, valueEnd, valueStart, type FeatureOffsets } from './packed-row.js';
import { selectGroupedSql, selectSql, type TableNames } from './sql.js';

/**
 * Most distinct entity keys per row-by-row SELECT: a read of more keys runs one SELECT
 * per this many, one after another on the same connection, which keeps each
 * statement and result set moderate in size.
 */
export const READ_CHUNK_KEYS = 1000;

/**
 * Most distinct entity keys per one-row-per-entity SELECT: below the 1,000
 * values at which MariaDB turns `IN (...)` into a join that groups through a
 * temporary table and a sort (measured about twice as slow at 1,000 keys).
 */
export const GROUPED_CHUNK_KEYS = 500;

/** How rows come back: one per (entity, feature), or one per entity ({@link readGrouped}). */
export type ReadShape = 'rows' | 'grouped';

/** What one read needs besides its keys. */
export interface ReadTarget {
  readonly t: TableNames;
  /** The feature-name filter (`featureFilterSql`), `''` for all. */
  readonly filter: string;
  /** The client-side deadline of each statement, ms. */
  readonly timeout: number;
  /** The index of each hex key in the request. */
  readonly index: ReadonlyMap<string, number>;
  readonly sink: FetchSink;
}

type SelectRow = [string, string, Buffer | null, number | string | null];
type GroupedRow = [string, Buffer | string | null, number | string | null, number | string];

/** Seconds of the naive UTC wall clock (see timestamps.ts) as the sink's epoch ms. */
function eventMs(seconds: number | string | null): number | null {
  return seconds === null ? null : Number(seconds) * 1000;
}

/** Reads the rows of `hexes` one (entity, feature) row at a time, {@link READ_CHUNK_KEYS} keys per SELECT. */
export async function readRows(conn: Connection, target: ReadTarget, hexes: readonly string[]): Promise<void> {
  const { t, filter, timeout, index, sink } = target;
  for (let start = 0; start < hexes.length; start += READ_CHUNK_KEYS) {
    const chunk = start === 0 && hexes.length <= READ_CHUNK_KEYS ? hexes : hexes.slice(start, start + READ_CHUNK_KEYS);
    const [rows] = await conn.query({ sql: selectSql(t, chunk, filter), rowsAsArray: true, timeout });
    for (const row of rows as SelectRow[]) {
      const i = index.get(row[0]);
      if (i !== undefined) sink.row(i, row[1], row[2], eventMs(row[3]));
    }
  }
}

/**
 * Reads the rows of `hexes` as one result row per entity, {@link GROUPED_CHUNK_KEYS}
 * keys per SELECT, handing the sink each feature. An entity whose packed row
 * does not unpack (cut by group_concat_max_len) hands over nothing from it and
 * is read again with {@link readRows}, so each entity's features come from one
 * statement.
 */
export async function readGrouped(conn: Connection, target: ReadTarget, hexes: readonly string[]): Promise<void> {
  const { t, filter, timeout, index, sink } = target;
  const at: FeatureOffsets = [];
  const names = new FeatureNames();
  const again: string[] = [];
  for (let start = 0; start < hexes.length; start += GROUPED_CHUNK_KEYS) {
    const chunk = start === 0 && hexes.length <= GROUPED_CHUNK_KEYS ? hexes : hexes.slice(start, start + GROUPED_CHUNK_KEYS);
    const [rows] = await conn.query({ sql: selectGroupedSql(t, chunk, filter), rowsAsArray: true, timeout });
    for (const [hex, packed, seconds, counted] of rows as GroupedRow[]) {
      const i = index.get(hex);
      if (i === undefined) continue;
      const count = Number(counted);
      if (!Buffer.isBuffer(packed) || !unpackRow(packed, count, at)) {
        again.push(hex);
        continue;
      }
      const ms = eventMs(seconds);
      // Each value is decoded where it lies in the packed row: no view per value.
      for (let f = 0; f < count; f++) sink.rowIn(i, names.name(packed, at, f), packed, valueStart(at, f), valueEnd(at, f), ms);
    }
  }
  if (again.length > 0) await readRows(conn, target, again);
}

/** Fewest features per entity for which {@link readGrouped} can be faster. */
export const GROUPED_MIN_FEATURES = 20;
/** Fewest (entity, feature) rows a read asks for before {@link readGrouped} is faster. */
export const GROUPED_MIN_ROWS = 1000;

/**
 * How to read `keyCount` entities of at most `featureCount` features each.
 * One row per entity costs the server more: a fixed part per statement
 * (MariaDB's "Preparing" step for a GROUP_CONCAT over the BLOB column, 0.1 to
 * 0.9 ms in SHOW PROFILE on the bench machine) and GROUP_CONCAT's work per
 * row; it saves the client and the network the per-row overhead. Through the
 * bench's delay proxy (MariaDB 10.11, ~0.6 ms per round trip) it was 1.05x to
 * 1.25x faster from 1,000 rows at 20 or more features per entity, and slower
 * at 5 and 10 features per entity at every size up to 1,000 entities.
 */
export function readShape(keyCount: number, featureCount: number): ReadShape {
  return featureCount >= GROUPED_MIN_FEATURES && keyCount * featureCount >= GROUPED_MIN_ROWS ? 'grouped' : 'rows';
}
