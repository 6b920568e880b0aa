import { OnlineStoreError, onlineTableName, ValueType, type FeatureView } from '@feast-ts/core';

/** PostgreSQL's limit on identifier length in bytes (NAMEDATALEN - 1); longer names are silently truncated by the server. */
export const MAX_IDENTIFIER_BYTES = 63;

/** `name` as a double-quoted identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Throws an {@link OnlineStoreError} of kind `invalid_identifier` unless
 * `name` can be a PostgreSQL identifier as it is: 1 to 63 bytes of UTF-8, no
 * NUL. (A longer name would be truncated by the server, so two views could
 * land in one table.)
 */
export function assertIdentifier(name: string, what: string, table: string): void {
  let problem: string | undefined;
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0) problem = 'it is empty';
  else if (bytes > MAX_IDENTIFIER_BYTES) problem = `it is ${bytes} bytes long, and PostgreSQL truncates names beyond ${MAX_IDENTIFIER_BYTES} bytes`;
  else if (name.includes('\0')) problem = 'it contains a NUL character';
  if (problem) {
    throw new OnlineStoreError(
      'invalid_identifier',
      `PostgreSQLOnlineStore cannot use the ${what} "${name}" of table "${table}": ${problem}. ` +
        'Use a shorter project or feature view name (the table is <project>_<feature view>, its indexes <table>_ek and <table>_fts_idx).',
    );
  }
}

/** The names (plain and quoted) of a view's table and indexes. */
export interface TableNames {
  schema: string;
  table: string;
  /** `"schema"."table"`. */
  qualified: string;
  /** `schema.table`, for messages. */
  display: string;
  /** `<table>_ek`, quoted and schema-qualified. */
  qualifiedIndex: string;
  /** `<table>_ek`, quoted. */
  quotedIndex: string;
  /** `<table>_fts_idx`, quoted, when the view has string features. */
  quotedFtsIndex: string | undefined;
}

/** True when a view has a feature of Feast type String (Feast then adds the full-text index). */
export function hasStringFeatures(view: FeatureView): boolean {
  return view.features.some((f) => f.dtype.valueType === ValueType.STRING);
}

/** Feast's table `<project>_<view>` in `schema`, with its indexes, validated. */
export function tableNames(schema: string, project: string, view: FeatureView): TableNames {
  const table = onlineTableName(project, view);
  assertIdentifier(schema, 'schema name', table);
  assertIdentifier(table, 'table name', table);
  const index = `${table}_ek`;
  assertIdentifier(index, 'index name', table);
  let quotedFtsIndex: string | undefined;
  if (hasStringFeatures(view)) {
    const fts = `${table}_fts_idx`;
    assertIdentifier(fts, 'index name', table);
    quotedFtsIndex = quoteIdentifier(fts);
  }
  const qs = quoteIdentifier(schema);
  return {
    schema,
    table,
    qualified: `${qs}.${quoteIdentifier(table)}`,
    display: `${schema}.${table}`,
    qualifiedIndex: `${qs}.${quoteIdentifier(index)}`,
    quotedIndex: quoteIdentifier(index),
    quotedFtsIndex,
  };
}

/** Whether the schema exists ($1: schema name). */
export const SCHEMA_EXISTS_SQL = 'SELECT 1 FROM information_schema.schemata WHERE schema_name = $1';

/** Feast's `CREATE SCHEMA IF NOT EXISTS <schema> AUTHORIZATION <user>`. */
export function createSchemaSql(schema: string, user: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)} AUTHORIZATION ${quoteIdentifier(user)}`;
}

/** Feast's table DDL, column for column (vector_value BYTEA: Feast's type without pgvector). */
export function createTableSql(t: TableNames): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${t.qualified} (entity_key BYTEA, feature_name TEXT, value BYTEA, value_text TEXT NULL, ` +
    'vector_value BYTEA NULL, event_ts TIMESTAMPTZ, created_ts TIMESTAMPTZ, PRIMARY KEY(entity_key, feature_name))'
  );
}

/** Feast's entity-key index. */
export function createIndexSql(t: TableNames): string {
  return `CREATE INDEX IF NOT EXISTS ${t.quotedIndex} ON ${t.qualified} (entity_key)`;
}

/** Feast's full-text index, for views with string features. */
export function createFtsIndexSql(t: TableNames): string | undefined {
  if (t.quotedFtsIndex === undefined) return undefined;
  return `CREATE INDEX IF NOT EXISTS ${t.quotedFtsIndex} ON ${t.qualified} USING GIN (to_tsvector('english', value_text))`;
}

/** Feast's `DROP TABLE IF EXISTS` then `DROP INDEX IF EXISTS <table>_ek`. */
export function dropSql(t: TableNames): string[] {
  return [`DROP TABLE IF EXISTS ${t.qualified}`, `DROP INDEX IF EXISTS ${t.qualifiedIndex}`];
}

/** The columns of a table ($1 schema, $2 table); no rows when it does not exist. */
export const TABLE_COLUMNS_SQL = 'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2';

/** Which optional columns a table has: tables made by older Feast releases lack value_text and vector_value. */
export interface TableShape {
  valueText: boolean;
  vectorValue: boolean;
}

/**
 * The upsert of one chunk: the rows arrive as parallel binary arrays ($1 keys,
 * $2 feature names, $3 values, $4 value_text, $5 event_ts, $6 created_ts),
 * unnested in their order (sorted by key, so concurrent writers lock rows in
 * the same order), with Feast's `ON CONFLICT ... DO UPDATE` of every column.
 */
export function upsertSql(t: TableNames, shape: TableShape): string {
  const text = shape.valueText;
  const cols = `entity_key, feature_name, value, ${text ? 'value_text, ' : ''}event_ts, created_ts`;
  const select = `k, f, v, ${text ? 'x, ' : ''}e, c`;
  const set = [
    'value = EXCLUDED.value',
    ...(text ? ['value_text = EXCLUDED.value_text'] : []),
    ...(shape.vectorValue ? ['vector_value = NULL'] : []),
    'event_ts = EXCLUDED.event_ts',
    'created_ts = EXCLUDED.created_ts',
  ].join(', ');
  return (
    `INSERT INTO ${t.qualified} (${cols}) SELECT ${select} ` +
    'FROM unnest($1::bytea[], $2::text[], $3::bytea[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS u(k, f, v, x, e, c) ' +
    `ON CONFLICT (entity_key, feature_name) DO UPDATE SET ${set}`
  );
}

/**
 * One read: every row of the given keys ($1, a binary bytea[]), optionally
 * only the features in $2 (a binary text[]); the event time as integer
 * microseconds since the Unix epoch, so no time zone or date style can change it.
 */
export function selectSql(t: TableNames, filtered: boolean): string {
  return (
    `SELECT entity_key, feature_name, value, (extract(epoch from event_ts) * 1000000)::int8 FROM ${t.qualified} ` +
    `WHERE entity_key = ANY($1::bytea[])${filtered ? ' AND feature_name = ANY($2::text[])' : ''}`
  );
}
