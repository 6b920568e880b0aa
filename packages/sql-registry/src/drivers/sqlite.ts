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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function isBusy(err: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(String(errorCode(err) ?? ''));
}

/** One open file, shared by every registry of the process that names it (one queue, one lock holder). */
interface SharedFile {
  db: BetterSqlite3.Database;
  queue: Promise<unknown>;
  users: number;
}

const openFiles = new Map<string, SharedFile>();

/**
 * better-sqlite3 on one file. The driver is synchronous, so a queue keeps one transaction at a
 * time on the connection (shared by every driver of the process on that file). Other processes
 * are kept out by SQLite's own locks: `BEGIN IMMEDIATE` for writes; a busy database is waited for
 * without blocking the event loop, up to the busy timeout.
 */
class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly description: string;
  readonly #key: string;
  readonly #shared: SharedFile;
  readonly #busyTimeoutMs: number;
  #closed = false;

  constructor(key: string, shared: SharedFile, description: string, busyTimeoutMs: number) {
    this.#key = key;
    this.#shared = shared;
    this.description = description;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  #session(): SqlSession {
    const db = this.#shared.db;
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

  /** Runs `step` again while another process holds the database, until the busy timeout. */
  async #whileBusy<T>(deadline: number, step: () => T): Promise<T> {
    for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
      try {
        return step();
      } catch (err) {
        if (!isBusy(err) || Date.now() + wait > deadline) throw err;
        await sleep(wait);
      }
    }
  }

  async #run<T>(mode: TransactionMode, fn: (session: SqlSession) => Promise<T>): Promise<T> {
    const db = this.#shared.db;
    const deadline = Date.now() + this.#busyTimeoutMs;
    for (;;) {
      await this.#whileBusy(deadline, () => db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN'));
      try {
        const result = await fn(this.#session());
        await this.#whileBusy(deadline, () => db.exec('COMMIT'));
        return result;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        // A read that met a writer's commit starts over; a write's caller decides (it may retry).
        if (mode === 'read' && isBusy(err) && Date.now() < deadline) {
          await sleep(5);
          continue;
        }
        throw err;
      }
    }
  }

  transaction<T>(mode: TransactionMode, fn: (session: SqlSession) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`the SQL registry ${this.description} is closed`));
    const run = (): Promise<T> => this.#run(mode, fn);
    const next = this.#shared.queue.then(run, run);
    this.#shared.queue = next.catch(() => undefined);
    return next;
  }

  classify(err: unknown): DriverErrorClass {
    const code = String(errorCode(err) ?? '');
    if (isBusy(err) || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'retry';
    if (code.startsWith('SQLITE_CANTOPEN')) return 'unreachable';
    return 'other';
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#shared.queue;
    if (--this.#shared.users === 0) {
      openFiles.delete(this.#key);
      this.#shared.db.close();
    }
  }
}

/** Opens (creating if needed, with its directory) a SQLite registry database. */
export async function openSqlite(options: SqliteDriverOptions): Promise<SqlDriver> {
  const Database = await importDriver<typeof BetterSqlite3>('better-sqlite3', 'sqlite');
  // Every :memory: driver is a database of its own; a file is shared within the process.
  const key = options.file === ':memory:' ? `:memory:${Math.random()}` : options.file;
  let shared = openFiles.get(key);
  if (!shared) {
    if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true });
    // No synchronous busy wait: it would block the event loop; busy databases are waited for above.
    shared = { db: new Database(options.file, { timeout: 0 }), queue: Promise.resolve(), users: 0 };
    openFiles.set(key, shared);
  }
  shared.users++;
  return new SqliteDriver(key, shared, options.description, options.busyTimeoutMs);
}
