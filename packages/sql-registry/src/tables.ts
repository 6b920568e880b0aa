/**
 * Feast's SQL registry tables, column for column as `feast/infra/registry/sql.py` declares them
 * (SQLAlchemy `MetaData`): names, types, nullability, primary keys and indexes. The DDL of each
 * dialect is generated from this in ddl.ts.
 */

/** A column type, as SQLAlchemy names it. */
export type ColumnType =
  | { kind: 'string'; length: number }
  | { kind: 'bigint' }
  | { kind: 'integer' }
  | { kind: 'text' }
  /** `ProtoBytes`: LargeBinary (BLOB / BYTEA), LONGBLOB on MySQL and MariaDB. */
  | { kind: 'proto' };

/** One column. */
export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /** A server default, as SQL text (`''`). */
  readonly serverDefault?: string;
}

/** One table, with its primary key and the indexes Feast creates with it. */
export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly primaryKey: readonly string[];
  readonly indexes: ReadonlyArray<{ readonly name: string; readonly columns: readonly string[] }>;
}

const S255: ColumnType = { kind: 'string', length: 255 };
const BIGINT: ColumnType = { kind: 'bigint' };
const PROTO: ColumnType = { kind: 'proto' };

const col = (name: string, type: ColumnType, nullable = false, serverDefault?: string): ColumnDef =>
  serverDefault === undefined ? { name, type, nullable } : { name, type, nullable, serverDefault };

/** A table of one kind of object: `<key>`, `project_id`, `last_updated_timestamp`, `<proto>` (+ extras). */
function objectTable(name: string, key: string, proto: string, extra: { before?: ColumnDef[]; after?: ColumnDef[] } = {}): TableDef {
  return {
    name,
    columns: [
      col(key, S255),
      col('project_id', S255),
      ...(extra.before ?? []),
      col('last_updated_timestamp', BIGINT),
      ...(extra.after ?? []),
      col(proto, PROTO),
      ...(proto === 'feature_view_proto' ? [col('user_metadata', PROTO, true)] : []),
    ],
    primaryKey: [key, 'project_id'],
    indexes: [{ name: `idx_${name}_project_id`, columns: ['project_id'] }],
  };
}

/** Every table Feast's SQL registry creates, in the order of its `MetaData`. */
export const REGISTRY_TABLES: readonly TableDef[] = [
  {
    name: 'projects',
    columns: [col('project_id', S255), col('project_name', S255), col('last_updated_timestamp', BIGINT), col('project_proto', PROTO)],
    primaryKey: ['project_id'],
    indexes: [{ name: 'idx_projects_project_id', columns: ['project_id'] }],
  },
  objectTable('entities', 'entity_name', 'entity_proto'),
  objectTable('data_sources', 'data_source_name', 'data_source_proto'),
  objectTable('feature_views', 'feature_view_name', 'feature_view_proto', { after: [col('materialized_intervals', PROTO, true)] }),
  objectTable('stream_feature_views', 'feature_view_name', 'feature_view_proto'),
  objectTable('on_demand_feature_views', 'feature_view_name', 'feature_view_proto'),
  objectTable('label_views', 'feature_view_name', 'feature_view_proto'),
  objectTable('feature_services', 'feature_service_name', 'feature_service_proto'),
  {
    ...objectTable('saved_datasets', 'saved_dataset_name', 'saved_dataset_proto', {
      before: [col('namespace', S255, false, "''"), col('collection', S255, false, "''")],
    }),
    indexes: [
      { name: 'idx_saved_datasets_project_id', columns: ['project_id'] },
      { name: 'idx_saved_datasets_project_namespace', columns: ['project_id', 'namespace'] },
    ],
  },
  objectTable('validation_references', 'validation_reference_name', 'validation_reference_proto'),
  objectTable('managed_infra', 'infra_name', 'infra_proto'),
  objectTable('permissions', 'permission_name', 'permission_proto'),
  {
    name: 'feature_view_version_history',
    columns: [
      col('feature_view_name', S255),
      col('project_id', S255),
      col('version_number', { kind: 'integer' }),
      col('feature_view_type', { kind: 'string', length: 50 }),
      col('feature_view_proto', PROTO),
      col('created_timestamp', BIGINT),
      col('description', { kind: 'text' }, true),
      col('version_id', { kind: 'string', length: 36 }),
    ],
    primaryKey: ['feature_view_name', 'project_id', 'version_number'],
    indexes: [{ name: 'idx_fv_version_history_project_id', columns: ['project_id'] }],
  },
  {
    name: 'feast_metadata',
    columns: [col('project_id', S255), col('metadata_key', { kind: 'string', length: 50 }), col('metadata_value', { kind: 'text' }), col('last_updated_timestamp', BIGINT)],
    primaryKey: ['project_id', 'metadata_key'],
    indexes: [{ name: 'idx_feast_metadata_project_id', columns: ['project_id'] }],
  },
];

/**
 * The kinds of registry object stored one per row, with their table, name column and proto column.
 * The keys are the `feast.core.Registry` fields that list them.
 */
export const OBJECT_TABLES = {
  entities: { table: 'entities', nameColumn: 'entity_name', protoColumn: 'entity_proto' },
  dataSources: { table: 'data_sources', nameColumn: 'data_source_name', protoColumn: 'data_source_proto' },
  featureViews: { table: 'feature_views', nameColumn: 'feature_view_name', protoColumn: 'feature_view_proto' },
  streamFeatureViews: { table: 'stream_feature_views', nameColumn: 'feature_view_name', protoColumn: 'feature_view_proto' },
  onDemandFeatureViews: { table: 'on_demand_feature_views', nameColumn: 'feature_view_name', protoColumn: 'feature_view_proto' },
  labelViews: { table: 'label_views', nameColumn: 'feature_view_name', protoColumn: 'feature_view_proto' },
  featureServices: { table: 'feature_services', nameColumn: 'feature_service_name', protoColumn: 'feature_service_proto' },
  savedDatasets: { table: 'saved_datasets', nameColumn: 'saved_dataset_name', protoColumn: 'saved_dataset_proto' },
  validationReferences: { table: 'validation_references', nameColumn: 'validation_reference_name', protoColumn: 'validation_reference_proto' },
  permissions: { table: 'permissions', nameColumn: 'permission_name', protoColumn: 'permission_proto' },
  infra: { table: 'managed_infra', nameColumn: 'infra_name', protoColumn: 'infra_proto' },
} as const;

/** A kind of object stored one per row (a key of {@link OBJECT_TABLES}). */
export type ObjectKind = keyof typeof OBJECT_TABLES;

/** Every {@link ObjectKind}, in a fixed order (also the order an apply locks rows in). */
export const OBJECT_KINDS = Object.keys(OBJECT_TABLES) as ObjectKind[];

/** The name Feast gives the one `managed_infra` row of a project. */
export const INFRA_ROW_NAME = 'infra_obj';

/** The kinds whose rows are feature views of some type (Feast's `delete_feature_view` looks in all four). */
export const VIEW_KINDS: readonly ObjectKind[] = ['featureViews', 'streamFeatureViews', 'onDemandFeatureViews', 'labelViews'];

/** Keys of `feast_metadata` rows. */
export const METADATA_KEYS = { lastUpdatedTimestamp: 'last_updated_timestamp', projectUuid: 'project_uuid' } as const;
