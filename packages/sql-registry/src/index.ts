/**
 * `@feast-ts/sql-registry`: Feast's SQL registry (`registry_type: sql`) for feast-ts. Feast's own
 * tables, one row per object with its protobuf bytes, on SQLite (better-sqlite3), PostgreSQL
 * (`pg`) or MySQL / MariaDB (`mysql2`), chosen by the SQLAlchemy URL in `registry.path`.
 *
 * @packageDocumentation
 */
export { SqlRegistryUrlError, SqlRegistryDriverMissingError, SqlRegistryDatabaseError, type SqlRegistryErrorKind } from './errors.js';
export { parseSqlAlchemyUrl, redactUrl, sqliteFile, type SqlAlchemyUrl, type SqlDialectName } from './url.js';
export { REGISTRY_TABLES, OBJECT_TABLES, OBJECT_KINDS, INFRA_ROW_NAME, type ObjectKind, type TableDef, type ColumnDef, type ColumnType } from './tables.js';
export { createTableSql, createIndexSql, columnTypeSql } from './ddl.js';
export { ensureSchema, type SchemaMode } from './schema.js';
export { SqlRegistry } from './sql-registry.js';
export {
  readProject,
  listProjectNames,
  listProjects,
  applyRows,
  epochSeconds,
  type StoredRow,
  type ProjectSnapshot,
  type RowWrite,
  type RowDelete,
  type ApplyPlan,
  type ApplyResult,
} from './row-store.js';
export { openDriver, engineOptions, type EngineOptions } from './drivers/open.js';
export type { SqlDriver, SqlSession, SqlParam, SqlRow, TransactionMode, DriverErrorClass } from './drivers/driver.js';
