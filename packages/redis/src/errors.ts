/** Driver (ioredis, socket, Redis reply) errors turned into core's typed {@link OnlineStoreError}. */
import { isFeastError, OnlineStoreError, type OnlineStoreErrorKind } from '@feast-ts/core';

interface DriverError {
  name?: string;
  message?: string;
  code?: string;
}

const SOCKET_KIND: ReadonlyMap<string, OnlineStoreErrorKind> = new Map<string, OnlineStoreErrorKind>([
  ['ECONNREFUSED', 'unreachable'],
  ['ENOTFOUND', 'unreachable'],
  ['EAI_AGAIN', 'unreachable'],
  ['EHOSTUNREACH', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  ['ETIMEDOUT', 'unreachable'],
  ['ECONNRESET', 'connection_lost'],
  ['EPIPE', 'connection_lost'],
]);

function asDriverError(err: unknown): DriverError {
  return err !== null && typeof err === 'object' ? (err as DriverError) : { message: String(err) };
}

/** The {@link OnlineStoreErrorKind} of one driver error, or undefined when it says nothing specific. */
export function driverErrorKind(err: unknown): OnlineStoreErrorKind | undefined {
  const e = asDriverError(err);
  const msg = e.message ?? '';
  if (/^(WRONGPASS|NOAUTH|NOPERM)\b/.test(msg) || /invalid (username-)?password|AUTH <password> called without any password|Client sent AUTH, but no password is set/i.test(msg)) {
    return 'auth_failed';
  }
  if (/^CLUSTERDOWN\b/.test(msg) || /Failed to refresh slots cache|None of startup nodes is available/i.test(msg)) return 'unreachable';
  if (/^(LOADING|MASTERDOWN)\b/.test(msg)) return 'unreachable';
  if (/^(READONLY|TRYAGAIN)\b/.test(msg)) return 'connection_lost';
  if (/^ERR DB index is out of range|^ERR invalid DB index|^ERR SELECT is not allowed in cluster mode/i.test(msg)) return 'database_missing';
  if (/^OOM\b/.test(msg)) return 'value_too_large';
  if (e.name === 'ClusterAllFailedError') return 'unreachable';
  if (e.code && SOCKET_KIND.has(e.code)) return SOCKET_KIND.get(e.code);
  if (/Command timed out/i.test(msg)) return 'timeout';
  if (/Connection is closed|Stream isn't writeable|Socket closed unexpectedly/i.test(msg) || e.name === 'MaxRetriesPerRequestError') return 'connection_lost';
  if (/All sentinels are unreachable|No master found|Failed to connect to any sentinel|did not become ready/i.test(msg)) return 'unreachable';
  return undefined;
}

/** What the store was doing, for the message. */
export interface ErrorContext {
  /** `read from`, `write to`, `delete from`. */
  action: string;
  /** `redis 127.0.0.1:6379 db 0` (no password). */
  target: string;
  /** The feature view involved. */
  view?: string;
  /** The last connection error the client reported (socket errors do not reach the command that fails). */
  lastConnectionError?: unknown;
  /** Whether the client ever got a ready connection: decides unreachable versus connection_lost. */
  everReady: boolean;
}

function advice(kind: OnlineStoreErrorKind): string {
  switch (kind) {
    case 'auth_failed':
      return 'Check the username= and password= of online_store.connection_string (the server refused them).';
    case 'unreachable':
      return 'Check that the server (or every cluster node, or the sentinels) is running and that online_store.connection_string and redis_type point at it; a cluster that is down answers again once every slot is served.';
    case 'connection_lost':
      return 'The connection dropped during the call (server restart, failover, resharding); the client reconnects by itself: try again.';
    case 'timeout':
      return 'No answer within socket_timeout; raise it in online_store.connection_string, or look for a slow server.';
    case 'database_missing':
      return 'The db= of online_store.connection_string names a database the server does not have (a cluster has only db 0).';
    case 'value_too_large':
      return "The server is out of memory (maxmemory); free memory or raise maxmemory. Some rows of this call may be written.";
    default:
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
  let kind = driverErrorKind(err);
  const last = ctx.lastConnectionError;
  const lastKind = last === undefined ? undefined : driverErrorKind(last);
  if (lastKind === 'auth_failed') kind = 'auth_failed';
  if (kind === undefined || kind === 'connection_lost') {
    if (!ctx.everReady && (lastKind === 'unreachable' || lastKind === 'connection_lost' || kind === 'connection_lost')) kind = 'unreachable';
  }
  kind ??= 'query_failed';
  const where = `${ctx.action} ${ctx.view ? `feature view "${ctx.view}" on ` : ''}${ctx.target}`;
  const lastText = last !== undefined && last !== err ? ` (last connection error: ${(last as Error).message ?? String(last)})` : '';
  return new OnlineStoreError(kind, `RedisOnlineStore could not ${where}: ${e.message ?? String(err)}${lastText}. ${advice(kind)}`, { cause: err });
}
