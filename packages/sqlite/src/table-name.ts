import { onlineTableName, type FeatureView, type TableNaming } from '@feast-ts/core';
import { invalidIdentifier } from './errors.js';

/**
 * Feast's table name for a view (`<project>_<view>`, or `_v<N>` with registry versioning), checked against what
 * SQLite cannot store even when quoted: a NUL character, or a name starting
 * with `sqlite_` (reserved for SQLite's own tables).
 *
 * @throws OnlineStoreError (kind `invalid_identifier`)
 */
export function sqliteTableName(naming: TableNaming, view: FeatureView | string): string {
  const name = onlineTableName(naming, view);
  if (name.includes('\0')) throw invalidIdentifier(name, 'contains a NUL character');
  if (name.toLowerCase().startsWith('sqlite_')) throw invalidIdentifier(name, 'starts with "sqlite_", which SQLite reserves for itself');
  return name;
}
