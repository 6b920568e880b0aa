import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FeastConfigError } from '@feast-ts/core';
import mysql, { type Pool, type PoolConnection, type PoolOptions } from 'mysql2/promise';
import type { MySQLSslConfig, ParsedMySQLOnlineStoreConfig } from './config.js';
import { isConnectionLost } from './errors.js';
import { SESSION_SETUP_SQL, SESSION_TUNING_SQL } from './sql.js';

/** Everything that identifies a pool: two configs with equal settings share one. */
export interface ConnectionSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolSize: number;
  connectTimeoutSeconds: number;
  ssl: false | MySQLSslConfig;
  /** Directory that relative certificate paths resolve against. */
  repoPath: string;
}

/** `user@host:port/database`, for messages (never the password). */
export function describeTarget(s: Pick<ConnectionSettings, 'user' | 'host' | 'port' | 'database'>): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.user}@${host}:${s.port}/${s.database}`;
}

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
    // Timestamps are read as UNIX_TIMESTAMP() numbers and written with FROM_UNIXTIME(),
    // in a '+00:00' session; 'Z' keeps any DATETIME the driver does parse in UTC too.
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

/** Options of {@link MySQLPools.run}. */
export interface RunOptions {
  /**
   * True when the whole unit of work may run again after a lost connection
   * (reads, DDL). False for writes: they are retried only when the connection
   * was lost before the work called `markStarted()` (that is, before its
   * transaction began).
   */
  idempotent: boolean;
}

/** Work to run on one pooled connection. Call `markStarted()` once a retry would no longer be safe. */
export type ConnectionWork<T> = (conn: PoolConnection, markStarted: () => void) => Promise<T>;

/**
 * The mysql2 pools of one store instance: one per distinct connection
 * settings, created on first use and reused across calls until {@link closeAll}.
 * Each new connection is set up once (UTC session, strict mode).
 */
export class MySQLPools {
  readonly #pools = new Map<string, Pool>();
  readonly #keys = new WeakMap<ConnectionSettings, string>();
  readonly #ready = new WeakSet<object>();

  /** The pool for `settings`, created on first use. */
  get(settings: ConnectionSettings): Pool {
    let key = this.#keys.get(settings);
    if (key === undefined) {
      key = JSON.stringify(settings);
      this.#keys.set(settings, key);
    }
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = mysql.createPool(poolOptions(settings));
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /** Number of pools currently open (for tests and diagnostics). */
  get size(): number {
    return this.#pools.size;
  }

  async #setUp(conn: PoolConnection): Promise<void> {
    const core: object = conn.connection;
    if (this.#ready.has(core)) return;
    await conn.query(SESSION_SETUP_SQL);
    await conn.query(SESSION_TUNING_SQL).catch((err: unknown) => {
      // A server (or proxy) without the variable, or that forbids setting it: only slower.
      if (isConnectionLost(err)) throw err;
    });
    this.#ready.add(core);
  }

  /**
   * Runs `work` on a connection from the pool and releases it. When the
   * connection turns out to be dead (server restarted, connection killed),
   * it is discarded and the work runs once more on a fresh connection,
   * provided that is safe (see {@link RunOptions.idempotent}).
   */
  async run<T>(settings: ConnectionSettings, work: ConnectionWork<T>, options: RunOptions): Promise<T> {
    const pool = this.get(settings);
    for (let attempt = 0; ; attempt++) {
      let conn: PoolConnection | undefined;
      let started = false;
      try {
        conn = await pool.getConnection();
        await this.#setUp(conn);
        const result = await work(conn, () => {
          started = true;
        });
        conn.release();
        return result;
      } catch (err) {
        const lost = isConnectionLost(err) || (err as { fatal?: unknown } | null)?.fatal === true;
        if (conn) {
          if (lost) conn.destroy();
          else conn.release();
        }
        if (attempt === 0 && isConnectionLost(err) && (options.idempotent || !started)) continue;
        throw err;
      }
    }
  }

  /** Ends every pool (waiting for connections in use to be released). The next call creates them again. */
  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.allSettled(pools.map((p) => p.end()));
  }
}
