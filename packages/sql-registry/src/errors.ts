import { FeastConfigError, FeastError, RegistryError } from '@feast-ts/core';

/**
 * `registry.path` (or `registry.read_path`) is not a SQLAlchemy URL this package can open: a scheme
 * other than `sqlite`, `postgresql` or `mysql`/`mariadb`, or a malformed URL. The message never
 * shows the password.
 */
export class SqlRegistryUrlError extends FeastConfigError {
  /** The URL as written, with any password replaced by `***`. */
  readonly url: string;

  constructor(message: string, details: { url: string; keyPath: string; file?: string; cause?: unknown }) {
    super(message, { keyPath: details.keyPath, ...(details.file === undefined ? {} : { file: details.file }), cause: details.cause });
    this.url = details.url;
  }
}

/** The database driver a URL needs (`pg` or `mysql2`) is not installed. */
export class SqlRegistryDriverMissingError extends FeastError {
  constructor(
    /** The npm package to install. */
    readonly packageName: 'pg' | 'mysql2' | 'better-sqlite3',
    /** The dialect of the URL (`postgresql`, `mysql`, `sqlite`). */
    readonly dialect: string,
    cause?: unknown,
  ) {
    super(
      'REGISTRY_PACKAGE_MISSING',
      `registry.path is a ${dialect} URL, which needs the package "${packageName}"; it is not installed. ` +
        `Install it next to @feast-ts/sql-registry: pnpm add ${packageName}  (or npm install ${packageName}).`,
      { cause },
    );
  }
}

/** What went wrong in a {@link SqlRegistryDatabaseError}. */
export type SqlRegistryErrorKind =
  | 'unreachable'
  | 'auth_failed'
  | 'database_missing'
  | 'timeout'
  | 'conflict'
  | 'not_a_registry'
  | 'query_failed';

/**
 * A database operation of the SQL registry failed (connect, create the tables, read, apply).
 * `kind` says which way; `cause` holds the driver's error.
 */
export class SqlRegistryDatabaseError extends RegistryError {
  constructor(
    readonly kind: SqlRegistryErrorKind,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}
