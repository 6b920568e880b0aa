import type pg from 'pg';
import { errorCode, type DriverErrorClass, type SqlDriver, type SqlParam, type SqlRow, type SqlSession, type TransactionMode } from './driver.js';
import { importDriver } from './import-driver.js';

/** Options of a PostgreSQL registry pool. */
export interface PostgresDriverOptions {
  host: string | undefined;
  port: number | undefined;
  user: string | undefined;
  password: string | undefined;
  database: string;
  /** libpq's `sslmode`: disable / allow / prefer (plain), require (encrypted, not verified), verify-ca / verify-full. */
  sslmode: string | undefined;
  /** `connect_timeout` in seconds. */
  connectTimeoutSeconds: number | undefined;
  applicationName: string | undefined;
  /** libpq `options`, such as `-c search_path=feast`. */
  options: string | undefined;
  /** Connections kept (SQLAlchemy's `pool_size`, default 5). */
  poolSize: number;
  /** The URL with its password hidden, for messages. */
  description: string;
}

/** `?` placeholders to `$1, $2, ...` (the SQL here never has a `?` inside a literal). */
function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

function bind(params: readonly SqlParam[]): unknown[] {
  return params.map((p) => {
    if (typeof p === 'bigint') return p.toString();
    if (p instanceof Uint8Array && !Buffer.isBuffer(p)) return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    return p;
  });
}

function sslConfig(mode: string | undefined): pg.PoolConfig['ssl'] {
  switch (mode) {
    case undefined:
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    default:
      return { rejectUnauthorized: true };
  }
}

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgresql' as const;
  readonly description: string;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool, description: string) {
    this.#pool = pool;
    this.description = description;
  }

  async transaction<T>(mode: TransactionMode, fn: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    const session: SqlSession = {
      query: async (sql, params = []) => (await client.query(numbered(sql), bind(params))).rows as SqlRow[],
      execute: async (sql, params = []) => (await client.query(numbered(sql), bind(params))).rowCount ?? 0,
    };
    let broken: unknown;
    try {
      // A read sees one snapshot of every table; writes lock the rows they read (FOR UPDATE).
      await client.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      try {
        const result = await fn(session);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
          broken = rollbackErr;
        });
        throw err;
      }
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  classify(err: unknown): DriverErrorClass {
    const code = String(errorCode(err) ?? '');
    // serialization_failure, deadlock_detected, unique_violation (a row the other writer inserted first)
    if (code === '40001' || code === '40P01' || code === '23505') return 'retry';
    if (code === '28P01' || code === '28000') return 'auth_failed';
    if (code === '3D000') return 'database_missing';
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ECONNRESET') return 'unreachable';
    if (code === 'ETIMEDOUT' || /timeout/i.test(String((err as Error)?.message))) return 'timeout';
    return 'other';
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** A pool on a PostgreSQL database (connections open on first use). */
export async function openPostgres(options: PostgresDriverOptions): Promise<SqlDriver> {
  const { Pool } = await importDriver<typeof pg>('pg', 'postgresql');
  const pool = new Pool({
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.password === undefined ? {} : { password: options.password }),
    database: options.database,
    ssl: sslConfig(options.sslmode),
    max: options.poolSize,
    connectionTimeoutMillis: (options.connectTimeoutSeconds ?? 10) * 1000,
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    ...(options.options === undefined ? {} : { options: options.options }),
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return new PostgresDriver(pool, options.description);
}
