import { OnlineStoreError, isFeastError, type OnlineStoreErrorKind } from '@feast-ts/core';

/** Where a failure happened, for the error message. */
export interface FailureSite {
  /** What the store was doing, such as "write to" or "read from". */
  action: string;
  /** The database file (or `:memory:`). */
  file: string;
  /** The table, when the failure concerns one. */
  table?: string;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const FS_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOENT', 'ENOSPC', 'EIO']);

/** A failure of SQLite or of the file system, as opposed to a bug or a user callback's error. */
function isDriverError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = codeOf(err);
  return err.name === 'SqliteError' || code.startsWith('SQLITE_') || FS_CODES.has(code);
}

/** Picks the kind and the advice for a better-sqlite3 (or file system) error. */
function classify(err: unknown, site: FailureSite): [OnlineStoreErrorKind, string] {
  const code = codeOf(err);
  const message = messageOf(err);
  const table = site.table === undefined ? 'the table' : `table "${site.table}"`;
  if (/no such table/i.test(message)) {
    return ['table_missing', `${table} does not exist in ${site.file}. Run \`feast-ts apply\` (FeatureStore.apply) to create the online tables first.`];
  }
  if (/reserved for internal use/i.test(message)) {
    return ['invalid_identifier', `SQLite reserves names starting with "sqlite_", so ${table} cannot be created. Rename the project or the feature view.`];
  }
  if (code.startsWith('SQLITE_CANTOPEN') || ['ENOTDIR', 'EISDIR', 'EEXIST', 'ENOENT'].includes(code)) {
    return ['unreachable', `Cannot open the SQLite database ${site.file}. Check that online_store.path names a file (not a directory) whose directory can be created and written.`];
  }
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return ['unreachable', `${site.file} is not a usable SQLite database (corrupt, or another kind of file). Point online_store.path at a SQLite file, or move this file away and run \`feast-ts apply\`.`];
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH') ||
      code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return ['auth_failed', `No permission to write ${site.file} (or its directory). Check the file and directory permissions, or set online_store.path to a writable place.`];
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return ['timeout', `${site.file} stayed locked by another connection or process. Retry, or make sure no long transaction holds the database.`];
  }
  if (code.startsWith('SQLITE_TOOBIG')) {
    return ['value_too_large', `A value is larger than SQLite allows for ${table} in ${site.file}. Store smaller values.`];
  }
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') {
    return ['query_failed', `The disk holding ${site.file} is full. Free space and retry.`];
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return ['connection_lost', `An I/O error interrupted access to ${site.file}. Check the disk and retry.`];
  }
  return ['query_failed', `Check ${table} in ${site.file}; it may not be in Feast's SQLite layout.`];
}

/**
 * Turns a driver failure into core's {@link OnlineStoreError}, with a kind and
 * a message naming the file, the table and what to do. Anything else (a
 * feast-ts error such as a bad value, or an error thrown by a progress
 * callback) is returned unchanged.
 */
export function toStoreError(err: unknown, site: FailureSite): unknown {
  if (isFeastError(err) || !isDriverError(err)) return err;
  const [kind, advice] = classify(err, site);
  const code = codeOf(err);
  const reason = `${messageOf(err)}${code ? ` [${code}]` : ''}`;
  const what = site.table === undefined ? site.file : `"${site.table}" in ${site.file}`;
  return new OnlineStoreError(kind, `SQLite could not ${site.action} ${what}: ${reason}. ${advice}`, { cause: err });
}

/** An {@link OnlineStoreError} for a table or index name SQLite cannot hold. */
export function invalidIdentifier(name: string, reason: string): OnlineStoreError {
  return new OnlineStoreError('invalid_identifier', `SQLite table name ${JSON.stringify(name)} ${reason}. Rename the project or the feature view.`);
}

/** The error for an event_ts cell that is no timestamp. */
export function notATimestamp(table: string, file: string, feature: string, cell: unknown): OnlineStoreError {
  return new OnlineStoreError(
    'query_failed',
    `Feature "${feature}" in table "${table}" of ${file} has an event_ts SQLite value that is not a timestamp (${String(cell)}). ` +
      'Feast stores epoch seconds or ISO 8601 text; rewrite the row with onlineWriteBatch.',
  );
}
