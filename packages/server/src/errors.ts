import { FeastError, isFeastError } from '@feast-ts/core';

/** Why the server refused a request, in the error body's `reason`. */
export type RequestFaultReason =
  | 'malformed_json'
  | 'invalid_request'
  | 'body_too_large'
  | 'unsupported_push_mode'
  | 'route_not_found'
  | 'timeout'
  | 'registry_unavailable'
  | 'shutting_down';

/**
 * A request the feature server refuses (or could not finish): the HTTP status it answers with and
 * a stable `reason`. Its FeastError `code` is `INPUT_INVALID` for faults of the request and
 * `STORE_FAILED` for a timeout or an unreadable registry.
 */
export class FeatureServerRequestError extends FeastError {
  constructor(
    /** The HTTP status of the answer. */
    readonly status: number,
    /** What was wrong, stable for clients to test. */
    readonly reason: RequestFaultReason,
    message: string,
    cause?: unknown,
  ) {
    super(status >= 500 ? 'STORE_FAILED' : 'INPUT_INVALID', message, { cause });
  }
}

/** The JSON body of every error answer of the feature server. */
export interface ErrorBody {
  /** The FeastError code (`INPUT_INVALID`, `NOT_FOUND`, `VALUE_INVALID`, `STORE_FAILED`, ...), or `INTERNAL` for an unexpected failure. */
  code: string;
  /** A finer, stable reason for faults the server itself finds (`malformed_json`, `body_too_large`, ...). */
  reason?: RequestFaultReason;
  /** The error's class, such as `FeatureViewNotFoundError` (Feast's error bodies name the class too). */
  error: string;
  /** What went wrong and what to do. */
  message: string;
  /** The HTTP status, repeated for clients that only keep the body. */
  status: number;
  /** The request id (the `x-request-id` response header), to find the request in the logs. */
  request_id: string;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  NOT_FOUND: 404,
  VALUE_INVALID: 422,
  ENTITY_KEY_INVALID: 422,
  INPUT_INVALID: 422,
  NOT_SERVABLE: 422,
  DEFINITION_INVALID: 422,
  REGISTRY_INVALID: 503,
  REGISTRY_LOCKED: 503,
  STORE_FAILED: 503,
  NO_ONLINE_STORE: 503,
};

/** Fastify's own client errors (body too large, bad content length, ...) carry a 4xx `statusCode`. */
function frameworkStatus(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 500 ? s : undefined;
}

/** The HTTP status an error answers with. */
export function statusOf(err: unknown): number {
  if (err instanceof FeatureServerRequestError) return err.status;
  if (isFeastError(err)) {
    // Feast answers PushSourceNotFoundException with 422, other missing objects with 404.
    if (err.name === 'PushSourceNotFoundError') return 422;
    return STATUS_BY_CODE[err.code] ?? 500;
  }
  return frameworkStatus(err) ?? 500;
}

/** The error body of `err` (never a stack, never binary data). */
export function errorBody(err: unknown, requestId: string): ErrorBody {
  const status = statusOf(err);
  if (err instanceof FeatureServerRequestError) {
    return { code: err.code, reason: err.reason, error: err.name, message: err.message, status, request_id: requestId };
  }
  if (isFeastError(err)) return { code: err.code, error: err.name, message: err.message, status, request_id: requestId };
  const e = err as { name?: unknown; message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (status < 500) {
    const reason: RequestFaultReason = status === 413 ? 'body_too_large' : 'invalid_request';
    return { code: 'INPUT_INVALID', reason, error: typeof e?.code === 'string' ? e.code : 'BadRequest', message, status, request_id: requestId };
  }
  return { code: 'INTERNAL', error: typeof e?.name === 'string' ? e.name : 'Error', message: `The feature server failed: ${message}`, status, request_id: requestId };
}

/** A 422 for a body of the wrong shape, naming the field and what it should be. */
export function invalidRequest(message: string): FeatureServerRequestError {
  return new FeatureServerRequestError(422, 'invalid_request', message);
}
