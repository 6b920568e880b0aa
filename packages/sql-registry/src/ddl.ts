import type { ColumnDef, ColumnType, TableDef } from './tables.js';
import type { SqlDialectName } from './url.js';

/** The SQL type SQLAlchemy renders for a column type on a dialect. */
export function columnTypeSql(type: ColumnType, dialect: SqlDialectName): string {
  switch (type.kind) {
    case 'string':
      return `VARCHAR(${type.length})`;
    case 'bigint':
      return 'BIGINT';
    case 'integer':
      return 'INTEGER';
    case 'text':
      return 'TEXT';
    case 'proto':
      return dialect === 'postgresql' ? 'BYTEA' : dialect === 'mysql' ? 'LONGBLOB' : 'BLOB';
  }
}

function columnSql(c: ColumnDef, dialect: SqlDialectName): string {
  const type = columnTypeSql(c.type, dialect);
  const notNull = c.nullable ? '' : ' NOT NULL';
  if (c.serverDefault === undefined) return `${c.name} ${type}${notNull}`;
  // SQLAlchemy's MySQL dialect writes NOT NULL before DEFAULT; the others after.
  return dialect === 'mysql' ? `${c.name} ${type}${notNull} DEFAULT ${c.serverDefault}` : `${c.name} ${type} DEFAULT ${c.serverDefault}${notNull}`;
}

/** `CREATE TABLE IF NOT EXISTS ...` for a table, as SQLAlchemy's `create_all` writes it on the dialect. */
export function createTableSql(table: TableDef, dialect: SqlDialectName): string {
  const lines = table.columns.map((c) => `\t${columnSql(c, dialect)}`);
  lines.push(`\tPRIMARY KEY (${table.primaryKey.join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${table.name} (\n${lines.join(', \n')}\n)`;
}

/**
 * `CREATE INDEX ...` statements of a table. SQLite and PostgreSQL get `IF NOT EXISTS`; MySQL has
 * no such clause, so the caller creates only the indexes it found missing.
 */
export function createIndexSql(table: TableDef, dialect: SqlDialectName): Array<{ name: string; sql: string }> {
  const ifNotExists = dialect === 'mysql' ? '' : 'IF NOT EXISTS ';
  return table.indexes.map((ix) => ({ name: ix.name, sql: `CREATE INDEX ${ifNotExists}${ix.name} ON ${table.name} (${ix.columns.join(', ')})` }));
}
