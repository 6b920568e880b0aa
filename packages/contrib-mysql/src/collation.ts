import { OnlineStoreError } from '@feast-ts/core';
import type { PoolConnection } from 'mysql2/promise';
import { utf8Literal, type TableNames } from './sql.js';

/*
 * `feature_name` is part of the primary key, so two names its collation calls
 * equal share one row: under Feast's default (the database's utf8mb4_general_ci
 * or similar) "Rate", "rate", "ráte" and "rate " are one name, and two such
 * features would silently read each other's values. Tables this store creates
 * compare feature names by their bytes (a binary, NO PAD collation where the
 * server has one); on a table Feast created, names equal under its collation
 * are refused at apply.
 */

/** Binary utf8mb4 collations, best first: NO PAD (trailing spaces count) on MariaDB and MySQL 8, then utf8mb4_bin. */
export const BINARY_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin', 'utf8mb4_bin'] as const;

/** Lists which of {@link BINARY_COLLATIONS} the server has. */
export const BINARY_COLLATIONS_SQL =
  `SELECT COLLATION_NAME FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN (${BINARY_COLLATIONS.map((c) => `'${c}'`).join(',')})`;

/** The best binary collation the server has (rows from {@link BINARY_COLLATIONS_SQL}). */
export function bestBinaryCollation(available: readonly string[]): string {
  return BINARY_COLLATIONS.find((c) => available.includes(c)) ?? 'utf8mb4_bin';
}

/** The character set and collation of `feature_name` in the given tables of the current database, as rows `[table, charset, collation]`. */
export function featureNameColumnsSql(tables: readonly string[]): string {
  return (
    'SELECT TABLE_NAME, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS ' +
    `WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'feature_name' AND TABLE_NAME IN (${tables.map(utf8Literal).join(',')})`
  );
}

const NAME = /^[A-Za-z0-9_]+$/;

/**
 * One query that groups every table's feature names by equality under the
 * collation (`GROUP BY` compares as the primary key does) and returns the
 * groups of more than one name: rows `[table number, 'i,j,...']`.
 */
export function collisionsSql(charset: string, collation: string, tables: ReadonlyArray<readonly string[]>): string {
  const rows: string[] = [];
  tables.forEach((names, t) =>
    names.forEach((name, i) => rows.push(`SELECT ${t} AS t, ${i} AS i, CONVERT(${utf8Literal(name)} USING ${charset}) COLLATE ${collation} AS n`)),
  );
  return `SELECT t, GROUP_CONCAT(i ORDER BY i) FROM (${rows.join(' UNION ALL ')}) AS names GROUP BY t, n HAVING COUNT(*) > 1`;
}

/** A table to check and the feature names of its view. */
export interface FeatureNames {
  t: TableNames;
  view: string;
  features: readonly string[];
}

/**
 * Refuses feature names that the `feature_name` column of their table takes
 * for one name.
 *
 * @throws OnlineStoreError (`invalid_identifier`) naming the view, the names, the collation and the fix
 */
export async function assertDistinctFeatureNames(conn: PoolConnection, tables: readonly FeatureNames[], timeout: number): Promise<void> {
  const candidates = tables.filter((x) => x.features.length > 1);
  if (candidates.length === 0) return;
  const [columns] = await conn.query({ sql: featureNameColumnsSql(candidates.map((x) => x.t.table)), rowsAsArray: true, timeout });
  const groups = new Map<string, { charset: string; collation: string; members: FeatureNames[] }>();
  for (const [table, charset, collation] of columns as Array<[string, string | null, string | null]>) {
    if (charset === null || collation === null || !NAME.test(charset) || !NAME.test(collation)) continue; // a binary column
    const member = candidates.find((x) => x.t.table === table);
    if (!member) continue;
    const key = `${charset} ${collation}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { charset, collation, members: [] }));
    group.members.push(member);
  }
  for (const { charset, collation, members } of groups.values()) {
    const [rows] = await conn.query({ sql: collisionsSql(charset, collation, members.map((m) => m.features)), rowsAsArray: true, timeout });
    const first = (rows as Array<[number | string, string]>)[0];
    if (!first) continue;
    const m = members[Number(first[0])]!;
    const names = String(first[1]).split(',').map((i) => JSON.stringify(m.features[Number(i)]));
    throw new OnlineStoreError(
      'invalid_identifier',
      `Feature view "${m.view}": the features ${names.join(' and ')} are one name to MySQL in \`${m.t.table}\`.feature_name, ` +
        `whose collation ${collation} ignores differences such as case, accents or trailing spaces: they would share rows and read each other's values. ` +
        `Rename all but one of them, or make the column compare bytes (Feast reads it the same way): ` +
        `ALTER TABLE \`${m.t.table}\` MODIFY feature_name VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin. Apply stopped at this view.`,
    );
  }
}
