import { isFeastError, OnlineStoreError, type OnlineStoreErrorKind } from '@feast-ts/core';

/** Maps what the redis client threw to the kind core's OnlineStoreError uses. */
function kindOf(err: unknown): OnlineStoreErrorKind {
  const code = (err as { code?: unknown } | null)?.code;
  const name = (err as { name?: unknown } | null)?.name;
  const message = err instanceof Error ? err.message : String(err);
  const network = typeof code === 'string' ? code : /\b(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|ECONNRESET)\b/.exec(message)?.[1];
  if (network === 'ECONNREFUSED' || network === 'ENOTFOUND' || network === 'EHOSTUNREACH' || network === 'EAI_AGAIN') return 'unreachable';
  if (name === 'ConnectionTimeoutError' || name === 'SocketTimeoutError' || name === 'TimeoutError') return 'timeout';
  if (/^(NOAUTH|WRONGPASS|NOPERM)\b/.test(message)) return 'auth_failed';
  if (name === 'SocketClosedUnexpectedlyError' || name === 'ClientClosedError' || network === 'ECONNRESET') return 'connection_lost';
  if (/^OOM\b/.test(message)) return 'value_too_large';
  return 'query_failed';
}

// #region to-store-error
/**
 * Wraps a failure of a Redis call in an OnlineStoreError that says what was
 * being done and where; feast-ts errors (a bad entity key, a bad value) pass
 * through unchanged.
 */
export function toStoreError(err: unknown, action: string, url: string): Error {
  if (isFeastError(err)) return err;
  const kind = kindOf(err);
  const reason = err instanceof Error ? err.message || err.name : String(err);
  const hint =
    kind === 'unreachable' || kind === 'timeout'
      ? ' Is Redis running there? Check online_store.url in feature_store.yaml.'
      : kind === 'auth_failed'
        ? ' Put the user and password in online_store.url (redis://user:password@host:port).'
        : '';
  return new OnlineStoreError(kind, `Redis at ${redactUrl(url)}: could not ${action}: ${reason}.${hint}`, { cause: err });
}
// #endregion to-store-error

/** The url without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
