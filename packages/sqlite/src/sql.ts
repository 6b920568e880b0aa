/**
 * The SQL this store runs, built from quoted identifiers. Every table and
 * index name goes through {@link quoteIdentifier}, so no project or view name
 * can change the meaning of a statement.
 */

/**
 * Quotes a SQLite identifier: wraps it in double quotes and doubles any
 * double quote inside, so `a"b` becomes `"a""b"`.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Name of the index Feast creates on a table's `entity_key` column: `<table>_ek`. */
export function entityKeyIndexName(table: string): string {
  return `${table}_ek`;
}

/** The columns of Feast's SQLite table, in Feast's order. */
export const TABLE_COLUMNS =
  'entity_key BLOB, feature_name TEXT, value BLOB, value_text TEXT, vector_value BLOB, ' +
  'event_ts timestamp, created_ts timestamp, PRIMARY KEY(entity_key, feature_name)';

/** `CREATE TABLE IF NOT EXISTS` in Feast's layout. */
export function createTableSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (${TABLE_COLUMNS})`;
}

/** `CREATE INDEX IF NOT EXISTS <table>_ek ON <table> (entity_key)`. */
export function createIndexSql(table: string): string {
  return `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(entityKeyIndexName(table))} ON ${quoteIdentifier(table)} (entity_key)`;
}

/** `DROP TABLE IF EXISTS` (its index goes with it). */
export function dropTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdentifier(table)}`;
}

/**
 * The upsert of `rows` (entity, feature) rows in one statement, with Feast's
 * `value_text` column (the text or number of the value, see `valueText`) or,
 * for tables of older Feast releases (without `value_text` or `vector_value`),
 * without it. Parameters per row: entity_key, feature_name, value,
 * [value_text,] event_ts, created_ts. SQLite applies the rows in order, so a
 * later row of the same (entity, feature) overwrites an earlier one, as
 * separate statements would.
 */
export function upsertRowsSql(table: string, rows: number, withText: boolean): string {
  const columns = withText ? 'entity_key, feature_name, value, value_text, event_ts, created_ts' : 'entity_key, feature_name, value, event_ts, created_ts';
  const row = withText ? '(?, ?, ?, ?, ?, ?)' : '(?, ?, ?, ?, ?)';
  return (
    `INSERT INTO ${quoteIdentifier(table)} (${columns}) VALUES ${new Array<string>(rows).fill(row).join(', ')} ` +
    'ON CONFLICT(entity_key, feature_name) DO UPDATE SET ' +
    `value = excluded.value, ${withText ? 'value_text = excluded.value_text, ' : ''}event_ts = excluded.event_ts, created_ts = excluded.created_ts`
  );
}

/** `PRAGMA table_info` of a table: one row per column (`name` among them). */
export function tableInfoSql(table: string): string {
  return `PRAGMA table_info(${quoteIdentifier(table)})`;
}

function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}

/**
 * The read of `keyCount` entity keys, optionally limited to `featureCount`
 * feature names. The keys come in a `VALUES` list that numbers them, so each
 * row names its key by that number instead of sending the key bytes back (one
 * Buffer less per row, and no hex lookup). Parameters: `(number, key)` pairs,
 * then the feature names. Columns: key number, feature_name, value, event_ts.
 * `CROSS JOIN` makes SQLite loop over the requested keys and look each up in
 * the table's index, never scan the table (its planner may otherwise pick a scan).
 */
export function selectSql(table: string, keyCount: number, featureCount = 0): string {
  const pairs = new Array<string>(keyCount).fill('(?, ?)').join(', ');
  let sql =
    `WITH requested(i, entity_key) AS (VALUES ${pairs}) ` +
    `SELECT requested.i, t.feature_name, t.value, t.event_ts FROM requested CROSS JOIN ${quoteIdentifier(table)} AS t ON t.entity_key = requested.entity_key`;
  if (featureCount > 0) sql += ` WHERE t.feature_name IN (${placeholders(featureCount)})`;
  return sql;
}


/** Separates feature names in {@link selectGroupedSql}'s name list (a name holding it makes that read fall back to {@link selectSql}). */
export const NAME_SEPARATOR = '\x1f';

/**
 * The read of `keyCount` entity keys as one row per entity, in Feast's table
 * layout (one row per (entity, feature) on disk): SQLite concatenates each
 * entity's rows, so the driver gets one result row per entity instead of one
 * per feature. Parameters as {@link selectSql}. Columns: key number; the
 * feature names joined by {@link NAME_SEPARATOR}; the values' bytes end to end
 * (a BLOB); their byte lengths, comma-separated (0 for NULL); the greatest
 * event_ts (a number unless some row holds text, which the driver reads row
 * by row instead); the number of rows.
 */
export function selectGroupedSql(table: string, keyCount: number, featureCount = 0): string {
  const pairs = new Array<string>(keyCount).fill('(?, ?)').join(', ');
  let sql =
    `WITH requested(i, entity_key) AS (VALUES ${pairs}) ` +
    "SELECT requested.i, group_concat(t.feature_name, char(31)), CAST(group_concat(t.value, '') AS BLOB), " +
    'group_concat(coalesce(octet_length(t.value), 0)), max(t.event_ts), count(*) ' +
    `FROM requested CROSS JOIN ${quoteIdentifier(table)} AS t ON t.entity_key = requested.entity_key`;
  if (featureCount > 0) sql += ` WHERE t.feature_name IN (${placeholders(featureCount)})`;
  return `${sql} GROUP BY requested.i`;
}
