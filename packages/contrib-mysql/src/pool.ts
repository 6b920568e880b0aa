import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FeastConfigError, PoolsBySettings, withConnection, type ConnectionRunOptions } from '@feast-ts/core';
import mysql, { type Pool, type PoolConnection, type PoolOptions } from 'mysql2/promise';
import type { MySQLSslConfig, ParsedMySQLOnlineStoreConfig } from './config.js';
import { isConnectionLost } from './errors.js';
import { GROUP_CONCAT_LIMIT_SQL, lockWaitTimeoutSql, SESSION_SETUP_SQL, SESSION_TUNING_SQL } from './sql.js';

/** Everything that identifies a pool: two configs with equal settings share one. */
export interface ConnectionSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolSize: number;
  connectTimeoutSeconds: number;
  /** The deadline of each read or write statement, and of a row-lock wait. */
  queryTimeoutSeconds: number;
  /** How long a call waits for a free connection of a full pool. */
  acquireTimeoutSeconds: number;
  ssl: false | MySQLSslConfig;
  /** Directory that relative certificate paths resolve against. */
  repoPath: string;
}

export { describeTarget } from '@feast-ts/core';

/** The connection settings of a parsed config. */
export function connectionSettings(cfg: ParsedMySQLOnlineStoreConfig, repoPath: string): ConnectionSettings {
  return {
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    password: cfg.password,
    database: cfg.database,
    poolSize: cfg.pool_size,
    connectTimeoutSeconds: cfg.connect_timeout,
    queryTimeoutSeconds: cfg.query_timeout,
    acquireTimeoutSeconds: cfg.acquire_timeout,
    ssl: cfg.ssl === undefined || cfg.ssl === false ? false : cfg.ssl === true ? { reject_unauthorized: true } : cfg.ssl,
    repoPath,
  };
}

function pem(value: string | undefined, key: string, repoPath: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.includes('-----BEGIN')) return value;
  const file = path.resolve(repoPath, value);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new FeastConfigError(
      `online_store.ssl.${key}: cannot read ${file} (${(err as Error).message}). Give a PEM file path relative to the feature repo, or the PEM text itself.`,
      { keyPath: `online_store.ssl.${key}`, cause: err },
    );
  }
}

function poolOptions(s: ConnectionSettings): PoolOptions {
  const options: PoolOptions = {
    host: s.host,
    port: s.port,
    user: s.user,
    password: s.password,
    database: s.database,
    connectionLimit: s.poolSize,
    maxIdle: s.poolSize,
    connectTimeout: Math.max(1, Math.round(s.connectTimeoutSeconds * 1000)),
    // Timestamps are written and read as naive UTC text in the server's own time
    // zone, as Feast does (see timestamps.ts); 'Z' keeps any DATETIME the driver
    // parses itself in UTC too.
    timezone: 'Z',
    charset: 'utf8mb4_general_ci',
    supportBigNumbers: true,
    bigNumberStrings: false,
    multipleStatements: false,
    enableKeepAlive: true,
  };
  if (s.ssl) {
    options.ssl = {
      ca: pem(s.ssl.ca, 'ca', s.repoPath),
      cert: pem(s.ssl.cert, 'cert', s.repoPath),
      key: pem(s.ssl.key, 'key', s.repoPath),
      rejectUnauthorized: s.ssl.reject_unauthorized,
    };
  }
  return options;
}

/** Options of {@link MySQLPools.run}: core's. */
export type RunOptions = ConnectionRunOptions;

/** Work to run on one pooled connection. Call `markStarted()` once a retry would no longer be safe. */
export type ConnectionWork<T> = (conn: PoolConnection, markStarted: () => void) => Promise<T>;

/** The driver-style error of a call that found every connection of the pool busy for `acquire_timeout`. */
export class PoolAcquireTimeout extends Error {
  readonly code = 'POOL_ACQUIRE_TIMEOUT';
  constructor(readonly poolSize: number, readonly seconds: number) {
    super(`all ${poolSize} connections of the pool stayed in use for ${seconds} s (online_store.acquire_timeout)`);
    this.name = 'PoolAcquireTimeout';
  }
}

/** True for mysql2's client-side statement deadline: the connection still waits for the server and must be discarded. */
export function isQueryTimeout(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT';
}

/** One pool and what this store does with it. */
interface PoolState {
  pool: Pool;
  /** Connections handed to calls and not yet given back. */
  inUse: number;
  /** Calls running on this pool; close waits for them. */
  running: Set<Promise<unknown>>;
}

/**
 * The mysql2 pools of one store instance: one per distinct connection
 * settings, created on first use and reused across calls until {@link closeAll}.
 * Each new connection is set up once (strict mode, row-lock wait bounded by query_timeout).
 */
export class MySQLPools {
  readonly #pools = new PoolsBySettings<ConnectionSettings, PoolState>((settings) => ({ pool: mysql.createPool(poolOptions(settings)), inUse: 0, running: new Set() }));
  readonly #ready = new WeakSet<object>();
  readonly #grouped = new WeakSet<object>();

  /** The pool for `settings`, created on first use. */
  get(settings: ConnectionSettings): Pool {
    return this.#pools.get(settings).pool;
  }

  /**
   * A connection of the pool. When every connection is in use and none comes
   * free within `acquire_timeout`, fails with {@link PoolAcquireTimeout}
   * (a connection still being opened is left to `connect_timeout`).
   */
  #acquire(state: PoolState, settings: ConnectionSettings): Promise<PoolConnection> {
    const ms = Math.max(1, Math.round(settings.acquireTimeoutSeconds * 1000));
    return new Promise<PoolConnection>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        timer = setTimeout(() => {
          if (state.inUse < settings.poolSize) {
            arm(); // not a busy pool: a connection is being opened, which connect_timeout bounds
            return;
          }
          settled = true;
          reject(new PoolAcquireTimeout(settings.poolSize, settings.acquireTimeoutSeconds));
        }, ms);
      };
      arm();
      state.pool.getConnection().then(
        (conn) => {
          clearTimeout(timer);
          if (settled) conn.release();
          else {
            settled = true;
            state.inUse++;
            resolve(conn);
          }
        },
        (err: unknown) => {
          clearTimeout(timer);
          if (!settled) {
            settled = true;
            reject(err);
          }
        },
      );
    });
  }

  /** Number of pools currently open (for tests and diagnostics). */
  get size(): number {
    return this.#pools.size;
  }

  /**
   * Whether `conn` (a connection {@link run} handed out) took the session's
   * group_concat_max_len, so that one-row-per-entity reads are worth trying on it.
   */
  groupedReads(conn: PoolConnection): boolean {
    return this.#grouped.has(conn.connection);
  }

  async #setUp(conn: PoolConnection, settings: ConnectionSettings): Promise<void> {
    const core: object = conn.connection;
    if (this.#ready.has(core)) return;
    await conn.query(SESSION_SETUP_SQL);
    for (const sql of [SESSION_TUNING_SQL, lockWaitTimeoutSql(settings.queryTimeoutSeconds), GROUP_CONCAT_LIMIT_SQL]) {
      const ok = await conn.query(sql).then(
        () => true,
        (err: unknown) => {
          // A server (or proxy) without the variable, or that forbids setting it: only slower,
          // or bounded by the client-side deadline alone.
          if (isConnectionLost(err)) throw err;
          return false;
        },
      );
      if (ok && sql === GROUP_CONCAT_LIMIT_SQL) this.#grouped.add(core);
    }
    this.#ready.add(core);
  }

  /**
   * Runs `work` on a connection from the pool and releases it. When the
   * connection turns out to be dead (server restarted, connection killed),
   * it is discarded and the work runs once more on a fresh connection,
   * provided that is safe (see {@link RunOptions.idempotent}).
   */
  run<T>(settings: ConnectionSettings, work: ConnectionWork<T>, options: RunOptions): Promise<T> {
    const state = this.#pools.get(settings);
    const running = this.#run(state, settings, work, options);
    state.running.add(running);
    const forget = (): void => {
      state.running.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  #run<T>(state: PoolState, settings: ConnectionSettings, work: ConnectionWork<T>, options: RunOptions): Promise<T> {
    return withConnection(
      {
        acquire: () => this.#acquire(state, settings),
        prepare: (conn) => this.#setUp(conn, settings),
        release: (conn, failure) => {
          state.inUse--;
          // A statement past its deadline still occupies the connection: never reuse it.
          const lost = failure !== undefined && (isConnectionLost(failure) || isQueryTimeout(failure) || (failure as { fatal?: unknown } | null)?.fatal === true);
          if (lost) conn.destroy();
          else conn.release();
        },
        isLost: isConnectionLost,
      },
      work,
      options,
    );
  }

  /**
   * Ends every pool, after the calls running on it have finished (each
   * statement is bounded by `query_timeout`): a call in progress is never cut
   * off. Calls made after this start new pools.
   */
  async closeAll(): Promise<void> {
    await Promise.allSettled(
      this.#pools.takeAll().map(async (s) => {
        while (s.running.size > 0) await Promise.allSettled([...s.running]);
        await s.pool.end();
      }),
    );
  }
}
