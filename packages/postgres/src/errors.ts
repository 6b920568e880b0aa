import { isFeastError, OnlineStoreError, type OnlineStoreErrorKind, type StoreErrorContext } from '@feast-ts/core';

/** The fields of a pg (or Node socket) error this module reads. */
interface DriverError {
  message?: string;
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
}

/** SQLSTATE classes and codes by the kind they map to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const KIND_BY_SQLSTATE: ReadonlyMap<string, OnlineStoreErrorKind> = new Map<string, OnlineStoreErrorKind>([
  ['28000', 'auth_failed'], // invalid_authorization_specification (pg_hba.conf rejects, unknown role)
  ['28P01', 'auth_failed'], // invalid_password
  ['42501', 'auth_failed'], // insufficient_privilege
  ['3D000', 'database_missing'], // invalid_catalog_name: no such database
  ['42P01', 'table_missing'], // undefined_table
  ['3F000', 'table_missing'], // invalid_schema_name
  ['53300', 'unreachable'], // too_many_connections
  ['57P03', 'unreachable'], // cannot_connect_now (starting up, shutting down)
  ['08001', 'unreachable'], // sqlclient_unable_to_establish_sqlconnection
  ['08004', 'unreachable'], // sqlserver_rejected_establishment_of_sqlconnection
  ['57P01', 'connection_lost'], // admin_shutdown: the server is stopping or the backend was terminated
  ['57P02', 'connection_lost'], // crash_shutdown
  ['08000', 'connection_lost'], // connection_exception
  ['08003', 'connection_lost'], // connection_does_not_exist
  ['08006', 'connection_lost'], // connection_failure
  ['54000', 'value_too_large'], // program_limit_exceeded (index row size, value size)
  ['22001', 'value_too_large'], // string_data_right_truncation
  ['57014', 'timeout'], // query_canceled (statement_timeout)
  ['55P03', 'timeout'], // lock_not_available (lock_timeout)
  ['25P03', 'timeout'], // idle_in_transaction_session_timeout
]);

/** Client-side (socket) error codes by kind. */
const KIND_BY_CODE: ReadonlyMap<string, OnlineStoreErrorKind> = new Map<string, OnlineStoreErrorKind>([
  ['ECONNREFUSED', 'unreachable'],
  ['ENOTFOUND', 'unreachable'],
  ['EAI_AGAIN', 'unreachable'],
  ['EHOSTUNREACH', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  ['ETIMEDOUT', 'unreachable'],
  ['ECONNRESET', 'connection_lost'],
  ['EPIPE', 'connection_lost'],
]);

/** pg's own messages (it sets no code on these). */
const KIND_BY_MESSAGE: ReadonlyArray<[RegExp, OnlineStoreErrorKind]> = [
  [/^Connection terminated due to connection timeout/, 'unreachable'],
  [/^timeout exceeded when trying to connect/, 'timeout'],
  [/^Query read timeout/, 'timeout'],
  [/^Connection terminated/, 'connection_lost'],
  [/not queryable/, 'connection_lost'],
  [/^The server does not support SSL connections/, 'unreachable'],
  [/self[- ]signed certificate|unable to verify|certificate|Hostname\/IP does not match/i, 'unreachable'],
];

function asDriverError(err: unknown): DriverError {
  return err !== null && typeof err === 'object' ? (err as DriverError) : { message: String(err) };
}

/** The {@link OnlineStoreErrorKind} of a driver error (`query_failed` when nothing more specific fits). */
export function errorKind(err: unknown): OnlineStoreErrorKind {
  if (err instanceof OnlineStoreError) return err.kind;
  const e = asDriverError(err);
  if (typeof e.code === 'string') {
    const kind = KIND_BY_SQLSTATE.get(e.code) ?? KIND_BY_CODE.get(e.code);
    if (kind) return kind;
  }
  const message = e.message ?? '';
  for (const [pattern, kind] of KIND_BY_MESSAGE) if (pattern.test(message)) return kind;
  return 'query_failed';
}

/**
 * True when the connection died under the call (server restart, backend
 * terminated, reset socket): the case where one retry on a fresh connection
 * is safe when no transaction had started, or the work is idempotent.
 */
export function isConnectionLost(err: unknown): boolean {
  return errorKind(err) === 'connection_lost';
}

/** SQLSTATEs after which a rolled-back write transaction may simply run again. */
export function isRetryableTransactionError(err: unknown): boolean {
  const code = asDriverError(err).code;
  return code === '40P01' || code === '40001'; // deadlock_detected, serialization_failure
}

/** What the store was doing, for the error message (core's shared shape). */
export type ErrorContext = StoreErrorContext;

function advice(kind: OnlineStoreErrorKind, e: DriverError, ctx: ErrorContext): string {
  switch (kind) {
    case 'auth_failed':
      return e.code === '42501'
        ? 'The user lacks a privilege it needs: grant it USAGE and CREATE on the schema (and the database), and SELECT, INSERT, UPDATE on the tables.'
        : 'Check online_store.user and online_store.password, and that pg_hba.conf lets this user connect from here.';
    case 'database_missing':
      return 'Create the database first (CREATE DATABASE ...), or fix online_store.database.';
    case 'table_missing':
      return 'The table (or its schema) does not exist: run `feast-ts apply` (or FeatureStore.apply, or `feast apply`) to create it, or check online_store.db_schema.';
    case 'unreachable':
      if (e.code === '53300') return "The server has too many connections: lower online_store.max_conn or raise the server's max_connections.";
      if (/SSL|certificate|Hostname/i.test(e.message ?? '')) {
        return 'TLS failed: check online_store.sslmode, and sslrootcert_path (the CA of the server certificate); the server must have ssl = on for sslmode require or stricter.';
      }
      if (/timeout/i.test(e.message ?? '') || e.code === 'ETIMEDOUT') {
        return `No answer within online_store.connect_timeout (${ctx.connectTimeoutSeconds ?? '?'} s): check that host and port name a running PostgreSQL server and that no firewall drops the traffic.`;
      }
      return 'Check that the server is running and that online_store.host and online_store.port point at it.';
    case 'connection_lost':
      return 'The server closed the connection (restart, pg_terminate_backend, or a network failure). The call was retried once where that was safe; try again.';
    case 'value_too_large': {
      const detail = ctx.tooLargeDetail ? `${ctx.tooLargeDetail} ` : '';
      if (/index row/i.test(e.message ?? '')) {
        return `${detail}An entity key is too long for the table's primary key index (PostgreSQL's B-tree limit is about 2,700 bytes per key): use shorter join key values. Nothing of this call was written.`;
      }
      return `${detail}Nothing of this call was written.`;
    }
    case 'timeout':
      if (/trying to connect/.test(e.message ?? '')) {
        return `No connection came free within online_store.connect_timeout (${ctx.connectTimeoutSeconds ?? '?'} s): every pooled connection was busy. Raise max_conn (with conn_type: pool) or connect_timeout.`;
      }
      return `A statement ran longer than online_store.query_timeout (${ctx.queryTimeoutSeconds ?? '?'} s) or waited on a lock: retry, raise query_timeout, or look for long transactions holding locks on the table.`;
    default:
      if (e.code === '42703') return "The table does not have Feast's PostgreSQL layout (entity_key, feature_name, value, event_ts, created_ts).";
      return "See the cause for the server's message.";
  }
}

/**
 * Turns a driver error into an {@link OnlineStoreError} whose `kind` says what
 * went wrong and whose message says what to do. feast-ts errors pass through.
 */
export function toStoreError(err: unknown, ctx: ErrorContext): Error {
  if (isFeastError(err)) return err;
  const e = asDriverError(err);
  const kind = errorKind(err);
  const where = ctx.table ? `${ctx.action} ${ctx.table} on ${ctx.target}` : `${ctx.action} ${ctx.target}`;
  const detail = e.message ?? String(err);
  const code = e.code ? ` [${e.code}]` : '';
  return new OnlineStoreError(kind, `PostgreSQLOnlineStore could not ${where}: ${detail}${code}. ${advice(kind, e, ctx)}`, { cause: err });
}
