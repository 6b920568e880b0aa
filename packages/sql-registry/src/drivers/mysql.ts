import type mysql from 'mysql2/promise';
import { errorCode, type DriverErrorClass, type SqlDriver, type SqlParam, type SqlRow, type SqlSession, type TransactionMode } from './driver.js';
import { importDriver } from './import-driver.js';

/** Options of a MySQL / MariaDB registry pool. */
export interface MysqlDriverOptions {
  host: string | undefined;
  port: number | undefined;
  user: string | undefined;
  password: string | undefined;
  database: string;
  /** A Unix socket path instead of host and port (`?unix_socket=`). */
  socketPath: string | undefined;
  /** Connection charset (`?charset=`), default utf8mb4. */
  charset: string | undefined;
  /** `connect_timeout` in seconds. */
  connectTimeoutSeconds: number | undefined;
  /** Connections kept (SQLAlchemy's `pool_size`, default 5). */
  poolSize: number;
  /** The URL with its password hidden, for messages. */
  description: string;
}

function bind(params: readonly SqlParam[]): unknown[] {
  return params.map((p) => {
    if (typeof p === 'bigint') return p.toString();
    if (p instanceof Uint8Array && !Buffer.isBuffer(p)) return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    return p;
  });
}

function errno(err: unknown): number | undefined {
  const n = (err as { errno?: unknown } | null)?.errno;
  return typeof n === 'number' ? n : undefined;
}

class MysqlDriver implements SqlDriver {
  readonly dialect = 'mysql' as const;
  readonly description: string;
  readonly #pool: mysql.Pool;

  constructor(pool: mysql.Pool, description: string) {
    this.#pool = pool;
    this.description = description;
  }

  async transaction<T>(mode: TransactionMode, fn: (session: SqlSession) => Promise<T>): Promise<T> {
    const conn = await this.#pool.getConnection();
    const session: SqlSession = {
      query: async (sql, params = []) => (await conn.query(sql, bind(params)))[0] as SqlRow[],
      execute: async (sql, params = []) => ((await conn.query(sql, bind(params)))[0] as mysql.ResultSetHeader).affectedRows,
    };
    let broken = false;
    try {
      // A read sees one snapshot of every table; writes lock the rows they read (FOR UPDATE).
      await conn.query(mode === 'read' ? 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY' : 'START TRANSACTION');
      try {
        const result = await fn(session);
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw err;
      }
    } finally {
      if (broken) conn.destroy();
      else conn.release();
    }
  }

  classify(err: unknown): DriverErrorClass {
    const n = errno(err);
    // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, ER_DUP_ENTRY (a row the other writer inserted first)
    if (n === 1213 || n === 1205 || n === 1062) return 'retry';
    if (n === 1045 || n === 1044) return 'auth_failed';
    if (n === 1049) return 'database_missing';
    const code = String(errorCode(err) ?? '');
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ECONNRESET' || code === 'PROTOCOL_CONNECTION_LOST') return 'unreachable';
    if (code === 'ETIMEDOUT') return 'timeout';
    return 'other';
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** A pool on a MySQL or MariaDB database (connections open on first use). */
export async function openMysql(options: MysqlDriverOptions): Promise<SqlDriver> {
  const driver = await importDriver<typeof mysql>('mysql2', 'mysql');
  const pool = driver.createPool({
    ...(options.socketPath === undefined
      ? { host: options.host ?? 'localhost', port: options.port ?? 3306 }
      : { socketPath: options.socketPath }),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.password === undefined ? {} : { password: options.password }),
    database: options.database,
    charset: options.charset ?? 'utf8mb4',
    connectionLimit: options.poolSize,
    connectTimeout: (options.connectTimeoutSeconds ?? 10) * 1000,
    // BIGINT as digit strings (read as bigint), never a rounded number.
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  return new MysqlDriver(pool, options.description);
}
