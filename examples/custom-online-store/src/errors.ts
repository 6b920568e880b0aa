import { isFeastError, OnlineStoreError, type OnlineStoreErrorKind } from '@feast-ts/core';

/** Maps what the NATS client threw to the kind core's OnlineStoreError uses (by name: the client's classes). */
function kindOf(err: unknown): OnlineStoreErrorKind {
  const name = (err as { name?: unknown } | null)?.name;
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'AuthorizationError' || name === 'UserAuthenticationExpiredError' || /authorization violation/i.test(message)) return 'auth_failed';
  if (name === 'ConnectionError' || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN/.test(message)) return 'unreachable';
  if (name === 'TimeoutError') return 'timeout';
  if (name === 'ClosedConnectionError' || name === 'DrainingConnectionError' || /ECONNRESET/.test(message)) return 'connection_lost';
  if (name === 'StreamNotFoundError' || name === 'NoRespondersError' || /stream not found/i.test(message)) return 'table_missing';
  if (/max(imum)? payload/i.test(message)) return 'value_too_large';
  return 'query_failed';
}

/** What to do about a failure of each kind. */
const HINTS: Partial<Record<OnlineStoreErrorKind, string>> = {
  unreachable: ' Is nats-server running there? Check online_store.url in feature_store.yaml.',
  timeout: ' Is nats-server running there, with JetStream (nats-server -js)? Check online_store.url and timeout_ms.',
  auth_failed: ' Put the user and password in online_store.url (nats://user:password@host:4222).',
  table_missing: ' Run feast-ts apply (it creates the bucket), and check that nats-server runs with JetStream (-js).',
};

// #region to-store-error
/**
 * Wraps a failure of a NATS call in an OnlineStoreError that says what was
 * being done and where; feast-ts errors (a bad entity key, a bad value) pass
 * through unchanged.
 */
export function toStoreError(err: unknown, action: string, url: string, kind = kindOf(err)): Error {
  if (isFeastError(err)) return err;
  const reason = err instanceof Error ? err.message || err.name : String(err);
  const message = `NATS at ${redactUrl(url)}: could not ${action}: ${reason}.${HINTS[kind] ?? ''}`;
  return new OnlineStoreError(kind, message, { cause: err });
}
// #endregion to-store-error

/** The url without its passwords, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/,]*):[^@/,]*@/g, '//$1:***@');
}
