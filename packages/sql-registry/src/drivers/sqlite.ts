import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { errorCode, type DriverErrorClass, type SqlDriver, type SqlParam, type SqlRow, type SqlSession, type TransactionMode } from './driver.js';
import { importDriver } from './import-driver.js';

/** Options of a SQLite registry connection. */
export interface SqliteDriverOptions {
  /** Absolute path of the database file, or `:memory:`. */
  file: string;
  /** The URL with its password hidden, for messages. */
  description: string;
  /** How long a writer waits for another process's lock, in milliseconds (pysqlite's `timeout`, default 5 s). */
  busyTimeoutMs: number;
}

function bind(params: readonly SqlParam[]): unknown[] {
  return params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
}

/**
 * better-sqlite3 on one file. The driver is synchronous, so a queue keeps one transaction at a
 * time on the connection; other processes are kept out by SQLite's own locks (`BEGIN IMMEDIATE`
 * for writes, waiting up to the busy timeout).
 */
class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly description: string;
  readonly #db: BetterSqlite3.Database;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(db: BetterSqlite3.Database, description: string) {
    this.#db = db;
    this.description = description;
  }

  #session(): SqlSession {
    const db = this.#db;
    return {
      query: async (sql, params = []) => {
        const stmt = db.prepare(sql);
        stmt.safeIntegers(true);
        return stmt.all(...bind(params)) as SqlRow[];
      },
      execute: async (sql, params = []) => {
        const stmt = db.prepare(sql);
        stmt.safeIntegers(true);
        return stmt.run(...bind(params)).changes;
      },
    };
  }

  transaction<T>(mode: TransactionMode, fn: (session: SqlSession) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.#db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
      try {
        const result = await fn(this.#session());
        this.#db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw err;
      }
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  classify(err: unknown): DriverErrorClass {
    const code = String(errorCode(err) ?? '');
    if (/^SQLITE_(BUSY|LOCKED)/.test(code) || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'retry';
    if (code.startsWith('SQLITE_CANTOPEN')) return 'unreachable';
    return 'other';
  }

  async close(): Promise<void> {
    await this.#queue;
    this.#db.close();
  }
}

/** Opens (creating if needed, with its directory) a SQLite registry database. */
export async function openSqlite(options: SqliteDriverOptions): Promise<SqlDriver> {
  const Database = await importDriver<typeof BetterSqlite3>('better-sqlite3', 'sqlite');
  if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true });
  const db = new Database(options.file, { timeout: options.busyTimeoutMs });
  return new SqliteDriver(db, options.description);
}
