import type { Writable } from 'node:stream';

/** Log levels of the server's pino logger. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Options of {@link createFeatureServer}. Every one has a default. */
export interface FeatureServerOptions {
  /** Largest request body accepted, in bytes; a larger one is answered 413. Default 4 MiB. */
  bodyLimitBytes?: number;
  /**
   * Longest a request may take, in milliseconds, from its first byte to its answer; a request
   * still running then is answered 503 (`reason: "timeout"`). Default 30000.
   */
  requestTimeoutMs?: number;
  /**
   * Seconds between background re-reads of the registry. Default: the repo's
   * `registry.cache_ttl_seconds` (Feast's 600 when unset); 0 reads it once.
   */
  registryTtlSeconds?: number;
  /** Structured (pino, JSON lines) logs: false for none (the default), true for `info` to stdout, or a level and a stream. */
  logger?: boolean | { level?: LogLevel; stream?: Writable };
  /** Log one line per request (with its id, method, URL, status and time). Default true when logging. */
  accessLog?: boolean;
  /** TLS: PEM key and certificate (contents, not paths). Without them the server speaks plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Close the FeatureStore (its online store connections) when the server closes. Default true. */
  closeStore?: boolean;
  /** How long {@link FeatureServer.close} lets in-flight requests finish before it drops connections, in ms. Default 10000. */
  shutdownTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open, in ms. Default 5000 (Node's and gunicorn's). */
  keepAliveTimeoutMs?: number;
  /**
   * What `GET /metrics` answers: Prometheus text and its content type. Default: this server's own
   * metrics. `runFeatureServerProcess` sets it in `--workers` processes to the sum over all workers.
   */
  metricsText?: () => Promise<MetricsText>;
}

/** A Prometheus exposition: the text and its content type. */
export interface MetricsText {
  text: string;
  contentType: string;
}

/** {@link FeatureServerOptions} with the defaults filled in. */
export interface ResolvedServerOptions {
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  registryTtlSeconds: number;
  logger: false | { level: LogLevel; stream?: Writable };
  accessLog: boolean;
  tls: { key: string | Buffer; cert: string | Buffer } | undefined;
  closeStore: boolean;
  shutdownTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** Default body limit: 4 MiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

function positive(name: string, v: number | undefined, fallback: number, allowZero = false): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) throw new RangeError(`FeatureServerOptions.${name} must be a ${allowZero ? 'number >= 0' : 'positive number'}, got ${v}.`);
  return v;
}

/** Fills in the defaults; `registryTtlDefault` is the repo's `cache_ttl_seconds`. @throws RangeError for a bad number */
export function resolveOptions(o: FeatureServerOptions, registryTtlDefault: number): ResolvedServerOptions {
  const logger = o.logger === true ? { level: 'info' as const } : o.logger ? { level: o.logger.level ?? 'info', stream: o.logger.stream } : false;
  return {
    bodyLimitBytes: positive('bodyLimitBytes', o.bodyLimitBytes, DEFAULT_BODY_LIMIT_BYTES),
    requestTimeoutMs: positive('requestTimeoutMs', o.requestTimeoutMs, 30_000),
    registryTtlSeconds: positive('registryTtlSeconds', o.registryTtlSeconds, registryTtlDefault, true),
    logger,
    accessLog: o.accessLog ?? true,
    tls: o.tls,
    closeStore: o.closeStore ?? true,
    shutdownTimeoutMs: positive('shutdownTimeoutMs', o.shutdownTimeoutMs, 10_000),
    keepAliveTimeoutMs: positive('keepAliveTimeoutMs', o.keepAliveTimeoutMs, 5000),
  };
}
