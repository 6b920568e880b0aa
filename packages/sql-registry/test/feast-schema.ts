/**
 * Feast's SQL registry schema written out by hand from `feast/infra/registry/sql.py` (its
 * SQLAlchemy tables), to check what this package creates against, independently of src/tables.ts.
 * Also the DDL an older Feast wrote (String(50) keys, LargeBinary = BLOB on MySQL, no label_views,
 * no saved_datasets.namespace), to check that tables Feast created are used as they are.
 */
import type { TargetName } from './servers.js';

type Kind = 'str255' | 'str50' | 'str36' | 'bigint' | 'int' | 'text' | 'proto';

/** Table -> [column, kind, nullable] in declaration order. */
export const FEAST_TABLES: Record<string, Array<[string, Kind, boolean]>> = {
  projects: [['project_id', 'str255', false], ['project_name', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['project_proto', 'proto', false]],
  entities: [['entity_name', 'str255', false], ['project_id', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['entity_proto', 'proto', false]],
  data_sources: [['data_source_name', 'str255', false], ['project_id', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['data_source_proto', 'proto', false]],
  feature_views: [
    ['feature_view_name', 'str255', false],
    ['project_id', 'str255', false],
    ['last_updated_timestamp', 'bigint', false],
    ['materialized_intervals', 'proto', true],
    ['feature_view_proto', 'proto', false],
    ['user_metadata', 'proto', true],
  ],
  stream_feature_views: [['feature_view_name', 'str255', false], ['project_id', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['feature_view_proto', 'proto', false], ['user_metadata', 'proto', true]],
  on_demand_feature_views: [['feature_view_name', 'str255', false], ['project_id', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['feature_view_proto', 'proto', false], ['user_metadata', 'proto', true]],
  label_views: [['feature_view_name', 'str255', false], ['project_id', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['feature_view_proto', 'proto', false], ['user_metadata', 'proto', true]],
  feature_services: [['feature_service_name', 'str255', false], ['project_id', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['feature_service_proto', 'proto', false]],
  saved_datasets: [
    ['saved_dataset_name', 'str255', false],
    ['project_id', 'str255', false],
    ['namespace', 'str255', false],
    ['collection', 'str255', false],
    ['last_updated_timestamp', 'bigint', false],
    ['saved_dataset_proto', 'proto', false],
  ],
  validation_references: [['validation_reference_name', 'str255', false], ['project_id', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['validation_reference_proto', 'proto', false]],
  managed_infra: [['infra_name', 'str255', false], ['project_id', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['infra_proto', 'proto', false]],
  permissions: [['permission_name', 'str255', false], ['project_id', 'str255', false], ['last_updated_timestamp', 'bigint', false], ['permission_proto', 'proto', false]],
  feature_view_version_history: [
    ['feature_view_name', 'str255', false],
    ['project_id', 'str255', false],
    ['version_number', 'int', false],
    ['feature_view_type', 'str50', false],
    ['feature_view_proto', 'proto', false],
    ['created_timestamp', 'bigint', false],
    ['description', 'text', true],
    ['version_id', 'str36', false],
  ],
  feast_metadata: [['project_id', 'str255', false], ['metadata_key', 'str50', false], ['metadata_value', 'text', false], ['last_updated_timestamp', 'bigint', false]],
};

/** Primary keys, per table. */
export const FEAST_PRIMARY_KEYS: Record<string, string[]> = {
  projects: ['project_id'],
  feature_view_version_history: ['feature_view_name', 'project_id', 'version_number'],
  feast_metadata: ['project_id', 'metadata_key'],
};

/** How each dialect's catalog names a column kind. */
export function catalogType(kind: Kind, target: TargetName): string {
  const t: Record<Kind, [string, string, RegExp | string]> = {
    str255: ['VARCHAR(255)', 'character varying(255)', 'varchar(255)'],
    str50: ['VARCHAR(50)', 'character varying(50)', 'varchar(50)'],
    str36: ['VARCHAR(36)', 'character varying(36)', 'varchar(36)'],
    bigint: ['BIGINT', 'bigint', 'bigint'],
    int: ['INTEGER', 'integer', 'int'],
    text: ['TEXT', 'text', 'text'],
    proto: ['BLOB', 'bytea', 'longblob'],
  };
  const [sqlite, pg, mysql] = t[kind];
  return String(target === 'sqlite' ? sqlite : target === 'postgresql' ? pg : mysql);
}

/** DDL of an older Feast (0.3x): the tables it had, String(50) keys, BLOB on MySQL, no indexes. */
export function olderFeastDdl(target: TargetName): string[] {
  const blob = target === 'postgresql' ? 'BYTEA' : 'BLOB';
  const obj = (table: string, key: string, proto: string, keyLen = 50, extra = ''): string =>
    `CREATE TABLE ${table} (\n\t${key} VARCHAR(${keyLen}) NOT NULL, \n\tproject_id VARCHAR(50) NOT NULL, \n\tlast_updated_timestamp BIGINT NOT NULL, ${extra}\n\t${proto} ${blob} NOT NULL, \n\tPRIMARY KEY (${key}, project_id)\n)`;
  return [
    obj('entities', 'entity_name', 'entity_proto'),
    obj('data_sources', 'data_source_name', 'data_source_proto', 255),
    obj('feature_views', 'feature_view_name', 'feature_view_proto', 50, `\n\tmaterialized_intervals ${blob}, `),
    obj('stream_feature_views', 'feature_view_name', 'feature_view_proto'),
    obj('on_demand_feature_views', 'feature_view_name', 'feature_view_proto'),
    obj('feature_services', 'feature_service_name', 'feature_service_proto'),
    obj('saved_datasets', 'saved_dataset_name', 'saved_dataset_proto'),
    obj('validation_references', 'validation_reference_name', 'validation_reference_proto'),
    obj('managed_infra', 'infra_name', 'infra_proto'),
    obj('permissions', 'permission_name', 'permission_proto', 255),
    `CREATE TABLE feast_metadata (\n\tproject_id VARCHAR(50) NOT NULL, \n\tmetadata_key VARCHAR(50) NOT NULL, \n\tmetadata_value VARCHAR(50) NOT NULL, \n\tlast_updated_timestamp BIGINT NOT NULL, \n\tPRIMARY KEY (project_id, metadata_key)\n)`,
  ];
}

/** The columns of a table as the database's catalog describes them: [name, type, nullable]. */
export async function describeTable(
  sql: (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>,
  target: TargetName,
  table: string,
): Promise<Array<[string, string, boolean]>> {
  if (target === 'sqlite') {
    const rows = await sql(`PRAGMA table_info(${table})`);
    return rows.map((r) => [String(r['name']), String(r['type']), Number(r['notnull']) === 0]);
  }
  if (target === 'postgresql') {
    const rows = await sql(
      `SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`,
      [table],
    );
    return rows.map((r) => [
      String(r['column_name']),
      r['character_maximum_length'] == null ? String(r['data_type']) : `${String(r['data_type'])}(${String(r['character_maximum_length'])})`,
      r['is_nullable'] === 'YES',
    ]);
  }
  const rows = await sql(
    `SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, IS_NULLABLE AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [table],
  );
  // MariaDB shows display widths (bigint(20), int(11)); MySQL 8 does not.
  return rows.map((r) => [String(r['c']), String(r['t']).replace(/^(bigint|int)\(\d+\)/, '$1'), r['n'] === 'YES']);
}

/** Index names of a table (primary key excluded). */
export async function indexNames(
  sql: (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>,
  target: TargetName,
  table: string,
): Promise<string[]> {
  if (target === 'sqlite') {
    const rows = await sql(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, [table]);
    return rows.map((r) => String(r['name'])).sort();
  }
  if (target === 'postgresql') {
    const rows = await sql(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ? AND indexname NOT LIKE '%_pkey'`, [table]);
    return rows.map((r) => String(r['indexname'])).sort();
  }
  const rows = await sql(`SELECT DISTINCT INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'`, [table]);
  return rows.map((r) => String(r['i'])).sort();
}
