import { isFeastError, OnlineStoreError, type OnlineStoreErrorKind, type StoreErrorContext } from '@feast-ts/core';

/** The fields of a mysql2 (or Node socket) error this module reads. */
interface DriverError {
  message?: string;
  code?: string;
  errno?: number;
  fatal?: boolean;
  sqlMessage?: string;
}

/** Server error numbers (ER_*) by the kind they map to. */
const KIND_BY_ERRNO: ReadonlyMap<number, OnlineStoreErrorKind> = new Map<number, OnlineStoreErrorKind>([
  [1044, 'auth_failed'], // ER_DBACCESS_DENIED_ERROR: user may not use the database
  [1045, 'auth_failed'], // ER_ACCESS_DENIED_ERROR: wrong user or password
  [1130, 'auth_failed'], // ER_HOST_NOT_PRIVILEGED: this host may not connect
  [1142, 'auth_failed'], // ER_TABLEACCESS_DENIED_ERROR: missing privilege on a table
  [1227, 'auth_failed'], // ER_SPECIFIC_ACCESS_DENIED_ERROR
  [1251, 'auth_failed'], // ER_NOT_SUPPORTED_AUTH_MODE
  [1698, 'auth_failed'], // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  [1049, 'database_missing'], // ER_BAD_DB_ERROR: unknown database
  [1046, 'database_missing'], // ER_NO_DB_ERROR: no database selected
  [1146, 'table_missing'], // ER_NO_SUCH_TABLE: the view's table was never created (apply not run)
  [1040, 'unreachable'], // ER_CON_COUNT_ERROR: too many connections
  [1129, 'unreachable'], // ER_HOST_IS_BLOCKED
  [1053, 'connection_lost'], // ER_SERVER_SHUTDOWN
  [1927, 'connection_lost'], // ER_CONNECTION_KILLED (MariaDB)
  [4031, 'connection_lost'], // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8: idle connection closed by the server)
  [1406, 'value_too_large'], // ER_DATA_TOO_LONG
  [1153, 'value_too_large'], // ER_NET_PACKET_TOO_LARGE
  [1118, 'value_too_large'], // ER_TOO_BIG_ROWSIZE
  [1205, 'timeout'], // ER_LOCK_WAIT_TIMEOUT
  [3024, 'timeout'], // ER_QUERY_TIMEOUT (MySQL max_execution_time)
  [1969, 'timeout'], // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
]);

/** Client-side (socket and protocol) error codes by kind. */
const KIND_BY_CODE: ReadonlyMap<string, OnlineStoreErrorKind> = new Map<string, OnlineStoreErrorKind>([
  ['ECONNREFUSED', 'unreachable'],
  ['ENOTFOUND', 'unreachable'],
  ['EAI_AGAIN', 'unreachable'],
  ['EHOSTUNREACH', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  ['ETIMEDOUT', 'unreachable'],
  ['HANDSHAKE_SSL_ERROR', 'unreachable'],
  ['HANDSHAKE_NO_SSL_SUPPORT', 'unreachable'],
  ['PROTOCOL_CONNECTION_LOST', 'connection_lost'],
  ['ECONNRESET', 'connection_lost'],
  ['EPIPE', 'connection_lost'],
  ['PROTOCOL_SEQUENCE_TIMEOUT', 'timeout'], // a statement past online_store.query_timeout
  ['POOL_ACQUIRE_TIMEOUT', 'timeout'], // no free pooled connection within online_store.acquire_timeout
]);

function asDriverError(err: unknown): DriverError {
  return err !== null && typeof err === 'object' ? (err as DriverError) : { message: String(err) };
}

/** The {@link OnlineStoreErrorKind} of a driver error (`query_failed` when nothing more specific fits). */
export function errorKind(err: unknown): OnlineStoreErrorKind {
  const e = asDriverError(err);
  if (typeof e.errno === 'number') {
    const kind = KIND_BY_ERRNO.get(e.errno);
    if (kind) return kind;
  }
  if (typeof e.code === 'string') {
    const kind = KIND_BY_CODE.get(e.code);
    if (kind) return kind;
  }
  // mysql2 reports use of a connection the server already closed without a code.
  if (e.fatal === true && typeof e.message === 'string' && e.message.includes('closed state')) return 'connection_lost';
  return 'query_failed';
}

/**
 * True when the connection died under the call (server restart, KILL, idle
 * timeout, reset socket): the case where one retry on a fresh pooled
 * connection is safe, as long as no transaction had started.
 */
export function isConnectionLost(err: unknown): boolean {
  return errorKind(err) === 'connection_lost';
}

/** What the store was doing, for the error message (core's shared shape). */
export type ErrorContext = StoreErrorContext;

/** Most characters of the failed statement kept on the driver error (a write's statement can be megabytes of data). */
const MAX_SQL_IN_ERROR = 300;

function shortenSql(e: DriverError & { sql?: unknown }): void {
  if (typeof e.sql === 'string' && e.sql.length > MAX_SQL_IN_ERROR) {
    e.sql = `${e.sql.slice(0, MAX_SQL_IN_ERROR)}… (${e.sql.length} characters)`;
  }
}

function advice(kind: OnlineStoreErrorKind, e: DriverError, ctx: ErrorContext): string {
  const table = ctx.table ? `\`${ctx.table}\`` : 'the table';
  switch (kind) {
    case 'auth_failed':
      return e.errno === 1044 || e.errno === 1142 || e.errno === 1227
        ? 'The user lacks a privilege it needs: grant it SELECT, INSERT, UPDATE, CREATE, ALTER, INDEX and DROP on the database.'
        : 'Check online_store.user and online_store.password (or the credentials in online_store.url).';
    case 'database_missing':
      return 'Create the database first (CREATE DATABASE ...), or fix online_store.database (or the path of online_store.url).';
    case 'unreachable':
      if (e.errno === 1040) return 'The server has too many connections: lower online_store.pool_size or raise the server\'s max_connections.';
      if (e.code === 'ETIMEDOUT') {
        return `No answer within online_store.connect_timeout (${ctx.connectTimeoutSeconds ?? '?'} s): check that host and port name a running MySQL/MariaDB server and that no firewall drops the traffic.`;
      }
      return 'Check that the server is running and that online_store.host and online_store.port (or online_store.url) point at it.';
    case 'connection_lost':
      return 'The server closed the connection (restart, KILL, or idle timeout). The call was retried once where that was safe; try again.';
    case 'value_too_large': {
      const column = /column '([^']+)'/.exec(e.sqlMessage ?? e.message ?? '')?.[1];
      if (column === 'feature_name') {
        return "A feature name is longer than the feature_name column (VARCHAR(256)) holds: rename the feature. Nothing of this call was written.";
      }
      const detail = ctx.tooLargeDetail ? `${ctx.tooLargeDetail} ` : '';
      if (e.errno === 1153) {
        return `${detail}A statement exceeded the server's max_allowed_packet: raise it on the server, or write smaller values. Nothing of this call was written.`;
      }
      return (
        `${detail}The column is too small for it. Tables created by Feast have value BLOB (at most 65,535 bytes); ` +
        `widen it with ALTER TABLE ${table} MODIFY value MEDIUMBLOB (up to 16 MiB, what feast-ts creates; Feast reads it the same way), ` +
        'or store smaller values. Nothing of this call was written.'
      );
    }
    case 'timeout':
      if (e.code === 'POOL_ACQUIRE_TIMEOUT') {
        return 'Every pooled connection stayed busy (slow or stuck calls, such as writes waiting for locks): raise online_store.pool_size or online_store.acquire_timeout, or find what holds the connections.';
      }
      if (e.code === 'PROTOCOL_SEQUENCE_TIMEOUT' || e.errno === 1205) {
        return `The statement did not finish within online_store.query_timeout (${ctx.queryTimeoutSeconds ?? '?'} s)${e.errno === 1205 ? ': it waited for a row lock another client holds' : ''}. ` +
          'Nothing of a write call was written. Retry, raise query_timeout, or look for long transactions holding locks on the table.';
      }
      return 'The server gave up waiting (lock wait or statement timeout); retry, or look for long transactions holding locks on the table.';
    default:
      if (e.errno === 1146) return `The table does not exist: run \`feast-ts apply\` (or FeatureStore.apply) to create it.`;
      if (e.errno === 1054) return `${table} does not have Feast's MySQL layout (entity_key, feature_name, value, event_ts, created_ts).`;
      return 'See the cause for the server\'s message.';
  }
}

/**
 * Turns a driver error into an {@link OnlineStoreError} whose `kind` says what
 * went wrong and whose message says what to do. feast-ts errors pass through.
 */
export function toStoreError(err: unknown, ctx: ErrorContext): Error {
  if (isFeastError(err)) return err;
  const e = asDriverError(err);
  shortenSql(e);
  const kind = errorKind(err);
  const where = ctx.table ? `${ctx.action} \`${ctx.table}\` on ${ctx.target}` : `${ctx.action} ${ctx.target}`;
  const detail = e.sqlMessage ?? e.message ?? String(err);
  const code = e.code ? ` [${e.code}${typeof e.errno === 'number' ? ` ${e.errno}` : ''}]` : '';
  return new OnlineStoreError(kind, `MySQLOnlineStore could not ${where}: ${detail}${code}. ${advice(kind, e, ctx)}`, { cause: err });
}
