/**
 * The database servers the SQL registry tests run on: SQLite (a temporary file), PostgreSQL and
 * MariaDB / MySQL. Server URLs come from the environment (FEAST_POSTGRES_URL, FEAST_MYSQL_URL), which
 * the global setup fills in with throwaway servers (@feast-ts/test-servers) when they are unset.
 * Every test gets a database of its own, created here and dropped after it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** True when the CI environment variable is set to something other than false/0/empty. */
export { isCI } from '@feast-ts/test-servers';

/** One dialect the tests run on. */
export type TargetName = 'sqlite' | 'postgresql' | 'mysql';

/** The admin URL of the PostgreSQL server (a database it may connect to while creating others). */
export function postgresAdminUrl(): string {
  return process.env.FEAST_POSTGRES_URL ?? process.env.FEAST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** The admin URL of the MySQL / MariaDB server. */
export function mysqlAdminUrl(): string {
  return process.env.FEAST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
}

function parts(url: string): { host: string; port: number | undefined; user: string; password: string; database: string } {
  const u = new URL(url.replace(/^[\w]+(\+\w+)?:/, 'x:'));
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: u.port ? Number(u.port) : undefined,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

/** An admin client of the PostgreSQL server (on its admin database). */
export async function postgresAdmin(database?: string): Promise<pg.Client> {
  const p = parts(postgresAdminUrl());
  const client = new pg.Client({
    host: p.host,
    port: p.port ?? 5432,
    user: p.user || 'postgres',
    password: p.password || undefined,
    database: database ?? (p.database || 'postgres'),
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  return client;
}

/** An admin connection to the MySQL / MariaDB server. */
export async function mysqlAdmin(database?: string): Promise<mysql.Connection> {
  const p = parts(mysqlAdminUrl());
  return mysql.createConnection({
    host: p.host,
    port: p.port ?? 3306,
    user: p.user || 'root',
    password: p.password,
    connectTimeout: 5000,
    supportBigNumbers: true,
    bigNumberStrings: true,
    ...(database === undefined ? {} : { database }),
  });
}

/** Whether the server of a dialect answers: `true`, or why not. */
export async function probe(target: TargetName): Promise<true | string> {
  try {
    if (target === 'postgresql') {
      const c = await postgresAdmin();
      await c.end();
    } else if (target === 'mysql') {
      const c = await mysqlAdmin();
      await c.end();
    }
    return true;
  } catch (err) {
    return `${(err as Error).message || String(err)}`;
  }
}

/** A database of a test's own. */
export interface TestDatabase {
  readonly target: TargetName;
  /** The SQLAlchemy URL of the database, as a feature_store.yaml would name it. */
  readonly url: string;
  /** The repo directory relative SQLite paths resolve from (a temporary directory). */
  readonly repoPath: string;
  /** Runs SQL on the database through an independent connection (rows as the driver gives them). */
  sql(text: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Drops the database (and removes the temporary directory). */
  drop(): Promise<void>;
}

/** Prefix of every database the tests create; the global teardown drops leftovers of this run. */
export const DB_PREFIX = `feast_ts_sqlreg_${process.env['FEAST_SQLREG_RUN'] ?? process.pid}_`;

/** Creates a fresh, empty database on the target. */
export async function createTestDatabase(target: TargetName): Promise<TestDatabase> {
  const repoPath = mkdtempSync(path.join(tmpdir(), 'feast-ts-sqlreg-'));
  const name = `${DB_PREFIX}${randomBytes(4).toString('hex')}`;
  if (target === 'sqlite') {
    const Database = (await import('better-sqlite3')).default;
    const file = path.join(repoPath, 'data', 'registry.db');
    return {
      target,
      url: 'sqlite:///data/registry.db',
      repoPath,
      async sql(text, params = []) {
        const { mkdirSync } = await import('node:fs');
        mkdirSync(path.dirname(file), { recursive: true });
        const db = new Database(file);
        try {
          const stmt = db.prepare(text);
          stmt.safeIntegers(true);
          return stmt.reader ? (stmt.all(...params) as Array<Record<string, unknown>>) : (stmt.run(...params), []);
        } finally {
          db.close();
        }
      },
      async drop() {
        rmSync(repoPath, { recursive: true, force: true });
      },
    };
  }
  if (target === 'postgresql') {
    const admin = await postgresAdmin();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const p = parts(postgresAdminUrl());
    const auth = encodeURIComponent(p.user || 'postgres') + (p.password ? `:${encodeURIComponent(p.password)}` : '');
    return {
      target,
      url: `postgresql+psycopg://${auth}@${p.host}:${p.port ?? 5432}/${name}`,
      repoPath,
      async sql(text, params = []) {
        const c = await postgresAdmin(name);
        try {
          let i = 0;
          return (await c.query(text.replace(/\?/g, () => `$${++i}`), params)).rows;
        } finally {
          await c.end();
        }
      },
      async drop() {
        const a = await postgresAdmin();
        try {
          await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await a.end();
        }
        rmSync(repoPath, { recursive: true, force: true });
      },
    };
  }
  const admin = await mysqlAdmin();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const p = parts(mysqlAdminUrl());
  const auth = encodeURIComponent(p.user || 'root') + (p.password ? `:${encodeURIComponent(p.password)}` : '');
  return {
    target,
    url: `mysql+pymysql://${auth}@${p.host}:${p.port ?? 3306}/${name}`,
    repoPath,
    async sql(text, params = []) {
      const c = await mysqlAdmin(name);
      try {
        const [rows] = await c.query(text, params);
        return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
      } finally {
        await c.end();
      }
    },
    async drop() {
      const a = await mysqlAdmin();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await a.end();
      }
      rmSync(repoPath, { recursive: true, force: true });
    },
  };
}

/** Drops every database of this process's run still on the servers (a test that died mid-way). */
export async function dropLeftovers(prefix: string): Promise<void> {
  try {
    const a = await postgresAdmin();
    try {
      const { rows } = await a.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
      for (const r of rows as Array<{ datname: string }>) await a.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    } finally {
      await a.end();
    }
  } catch {
    // no server: nothing to clean
  }
  try {
    const a = await mysqlAdmin();
    try {
      const [rows] = await a.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [`${prefix}%`]);
      for (const r of rows as Array<{ name: string }>) await a.query(`DROP DATABASE IF EXISTS ${r.name}`);
    } finally {
      await a.end();
    }
  } catch {
    // no server: nothing to clean
  }
}
