import type { SqlDialectName } from '../url.js';

/** A value bound to a `?` placeholder. */
export type SqlParam = string | bigint | number | Uint8Array | null;

/** One row as the driver returned it (column name to value). */
export type SqlRow = Record<string, unknown>;

/** One connection inside a transaction. SQL uses `?` placeholders on every dialect. */
export interface SqlSession {
  /** Runs a query and returns its rows. */
  query(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

/** How a transaction is opened. */
export type TransactionMode =
  /** One consistent snapshot of every table, no writes. */
  | 'read'
  /** Writes; on SQLite the database write lock is taken at BEGIN. */
  | 'write';

/** What a driver says about an error it raised. */
export type DriverErrorClass =
  /** Two writers met (deadlock, serialization failure, a key inserted by the other, database busy): retry the transaction. */
  | 'retry'
  | 'unreachable'
  | 'auth_failed'
  | 'database_missing'
  | 'timeout'
  | 'other';

/** A database connection (or pool) for one SQLAlchemy URL. */
export interface SqlDriver {
  /** The dialect of the URL. */
  readonly dialect: SqlDialectName;
  /** The URL with its password hidden, for messages. */
  readonly description: string;
  /** Runs `fn` in one transaction on one connection: commit when it resolves, roll back when it throws. */
  transaction<T>(mode: TransactionMode, fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Classifies an error thrown by this driver. */
  classify(err: unknown): DriverErrorClass;
  /** Closes the connection or pool. */
  close(): Promise<void>;
}

/** Reads an integer column value (a bigint, a number, or digits as a string) as a bigint. */
export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`expected an integer column value, got ${typeof value}`);
}

/** Reads a binary column value as a Uint8Array. */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`expected a binary column value, got ${value === null ? 'NULL' : typeof value}`);
}

/** Reads a text column value as a string (MySQL may hand TEXT back as a Buffer). */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  throw new TypeError(`expected a text column value, got ${value === null ? 'NULL' : typeof value}`);
}

/** The error's `code` property, when it has one. */
export function errorCode(err: unknown): string | number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}
