import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { FeastConfigError, PoolsBySettings, withConnection, type ConnectionRunOptions } from '@feast-ts/core';
import pg from 'pg';
import type { ParsedPostgreSQLOnlineStoreConfig } from './config.js';
import { isConnectionLost } from './errors.js';

/** Everything that identifies a pool: two configs with equal settings share one. */
export interface ConnectionSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  minConn: number;
  maxConn: number;
  connectTimeoutSeconds: number;
  queryTimeoutSeconds: number;
  keepalivesIdle: number | null;
  sslmode: string | null;
  sslkeyPath: string | null;
  sslcertPath: string | null;
  sslrootcertPath: string | null;
  /** Directory that relative certificate paths resolve against. */
  repoPath: string;
}

export { describeTarget } from '@feast-ts/core';

/** The connection settings of a parsed config. */
export function connectionSettings(cfg: ParsedPostgreSQLOnlineStoreConfig, repoPath: string): ConnectionSettings {
  return {
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    password: cfg.password,
    database: cfg.database,
    minConn: cfg.conn_type === 'pool' ? cfg.min_conn : Math.min(cfg.min_conn, 1),
    maxConn: cfg.conn_type === 'pool' ? cfg.max_conn : 1,
    connectTimeoutSeconds: cfg.connect_timeout,
    queryTimeoutSeconds: cfg.query_timeout,
    keepalivesIdle: cfg.keepalives_idle ?? null,
    sslmode: cfg.sslmode ?? null,
    sslkeyPath: cfg.sslkey_path ?? null,
    sslcertPath: cfg.sslcert_path ?? null,
    sslrootcertPath: cfg.sslrootcert_path ?? null,
    repoPath,
  };
}

function readPem(file: string | null, key: string, repoPath: string): string | undefined {
  if (file === null) return undefined;
  const resolved = path.resolve(repoPath, file);
  try {
    return readFileSync(resolved, 'utf8');
  } catch (err) {
    throw new FeastConfigError(
      `online_store.${key}: cannot read ${resolved} (${(err as Error).message}). Give the path of a PEM file, relative to the feature repo or absolute.`,
      { keyPath: `online_store.${key}`, cause: err },
    );
  }
}

/** libpq's sslmode as Node TLS options (`false`: no TLS). */
export function tlsOptions(s: ConnectionSettings): false | ConnectionOptions {
  const mode = s.sslmode ?? 'prefer';
  // pg cannot fall back from TLS to plain text as libpq's allow/prefer do: those connect without TLS.
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  const ca = readPem(s.sslrootcertPath, 'sslrootcert_path', s.repoPath);
  const options: ConnectionOptions = {
    ca,
    cert: readPem(s.sslcertPath, 'sslcert_path', s.repoPath),
    key: readPem(s.sslkeyPath, 'sslkey_path', s.repoPath),
    // libpq: require verifies the chain only when a root certificate is given.
    rejectUnauthorized: mode !== 'require' || ca !== undefined,
  };
  if (mode !== 'verify-full') options.checkServerIdentity = () => undefined;
  return options;
}

function poolConfig(s: ConnectionSettings): pg.PoolConfig {
  const queryTimeoutMs = Math.max(1, Math.round(s.queryTimeoutSeconds * 1000));
  return {
    host: s.host,
    port: s.port,
    user: s.user,
    password: s.password,
    database: s.database,
    max: s.maxConn,
    min: s.minConn,
    // Also bounds the wait for a free pooled connection.
    connectionTimeoutMillis: Math.max(1, Math.round(s.connectTimeoutSeconds * 1000)),
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: s.keepalivesIdle === null ? 0 : s.keepalivesIdle * 1000,
    // The server cancels a statement past the deadline; the client gives up a little later
    // (a dead network) and drops the connection.
    statement_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + 5_000,
    application_name: 'feast-ts',
    // Reads parse bytea in hex form whatever the server's default.
    options: '-c bytea_output=hex',
    ssl: tlsOptions(s),
  };
}

function ignoreError(): void {}

/** Options of {@link PgPools.run}: core's. */
export type RunOptions = ConnectionRunOptions;

/** Work to run on one pooled client. Call `markStarted()` once a retry would no longer be safe. */
export type ClientWork<T> = (client: pg.PoolClient, markStarted: () => void) => Promise<T>;

/**
 * The pg pools of one store instance: one per distinct connection settings,
 * created on first use and reused until {@link closeAll}.
 */
export class PgPools {
  readonly #pools = new PoolsBySettings<ConnectionSettings, pg.Pool>((settings) => {
    const pool = new pg.Pool(poolConfig(settings));
    // An idle client whose server went away: the pool drops it; the next call connects anew.
    pool.on('error', () => {});
    return pool;
  });

  /** The pool for `settings`, created on first use. */
  get(settings: ConnectionSettings): pg.Pool {
    return this.#pools.get(settings);
  }

  /** Number of pools currently open (for tests and diagnostics). */
  get size(): number {
    return this.#pools.size;
  }

  /**
   * Runs `work` on a client from the pool and releases it. When the client
   * turns out to be dead (server restarted, backend terminated), it is
   * discarded and the work runs once more on a fresh client, provided that
   * is safe (see {@link RunOptions.idempotent}).
   */
  run<T>(settings: ConnectionSettings, work: ClientWork<T>, options: RunOptions): Promise<T> {
    const pool = this.get(settings);
    return withConnection(
      {
        acquire: async () => {
          const client = await pool.connect();
          // A connection that dies under a query fails the query, and the client emits
          // 'error' too: the query's rejection is what the caller sees.
          client.on('error', ignoreError);
          return client;
        },
        release: (client, failure) => {
          // A lost or timed-out client is destroyed rather than handed to the next call.
          const lost = failure !== undefined && (isConnectionLost(failure) || /timeout/i.test((failure as Error | null)?.message ?? ''));
          if (!lost) client.off('error', ignoreError);
          client.release(lost ? (failure as Error) : undefined);
        },
        isLost: isConnectionLost,
      },
      work,
      options,
    );
  }

  /** Ends every pool (waiting for clients in use to be released). The next call creates them again. */
  async closeAll(): Promise<void> {
    await Promise.allSettled(this.#pools.takeAll().map((p) => p.end()));
  }
}
