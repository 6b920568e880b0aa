/**
 * MariaDB (or MySQL) for tests: the server named by `FEAST_MYSQL_URL`, else a
 * throwaway server from the local `mariadbd` (or `mysqld`) binary, with a data
 * directory of its own in the temp dir, root without a password, listening on
 * a free port of 127.0.0.1 only; `stop()` kills it and removes the directory
 * (and an exit hook does so when the process ends first).
 *
 * Each test takes a database of its own from {@link createMySQLTestDatabase}.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { findExecutable, forgetDir, freePort, killOnExit, logTail, removeOnExit } from './local-process.js';
import type { StoppableServer, TestServerSpec } from './policy.js';
import { parseServerUrl, urlServer, type ServerUrlParts } from './server-url.js';

/** A MySQL-compatible server a test may use; `url` may create databases. */
export interface MySQLTestServer extends StoppableServer {
  /** `mysql://user[:password]@host:port/[database]`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Stops the server and starts it again on the same port with the same data (throwaway servers only). */
  restart?(): Promise<void>;
}

/** The parts of a mysql:// URL. */
export type MySQLUrlParts = ServerUrlParts;

/** Splits a `mysql://user:pass@host:port/db` URL (also `mariadb://`). */
export function parseMySQLUrl(url: string): MySQLUrlParts {
  return parseServerUrl(url, ['mysql:', 'mariadb:'], { port: 3306, user: 'root' });
}

/** Builds a `mysql://` URL. */
export function formatMySQLUrl(p: MySQLUrlParts): string {
  const auth = encodeURIComponent(p.user) + (p.password ? ':' + encodeURIComponent(p.password) : '');
  const host = p.host.includes(':') ? `[${p.host}]` : p.host;
  return `mysql://${auth}@${host}:${p.port}/${p.database ? encodeURIComponent(p.database) : ''}`;
}

/** Opens one admin connection to `url` (or to `database` on its server), with a short connect timeout. */
export async function mysqlAdminConnection(url: string, database?: string): Promise<mysql.Connection> {
  const p = parseMySQLUrl(url);
  return mysql.createConnection({
    host: p.host,
    port: p.port,
    user: p.user,
    password: p.password,
    database: database ?? p.database,
    connectTimeout: 5000,
  });
}

function serverFromUrl(url: string): MySQLTestServer {
  return urlServer(url, parseMySQLUrl(url), 'MariaDB/MySQL', 'FEAST_MYSQL_URL');
}

// ---------------------------------------------------------------------------
// A throwaway server from the local binary

/** A free TCP port on 127.0.0.1. */
export async function freeMySQLPort(): Promise<number> {
  return freePort();
}

/** A local server binary found by {@link findMySQLBinary}. */
export interface LocalBinary {
  server: string;
  flavor: 'mariadb' | 'mysql';
  version: string;
  installer?: string;
}

/**
 * The local server binary: `FEAST_MYSQLD`, else `mariadbd` or `mysqld` on the PATH or in the usual
 * sbin directories (MariaDB also needs `mariadb-install-db` next to it); a reason string when none is usable.
 */
export function findMySQLBinary(): LocalBinary | string {
  const server = process.env.FEAST_MYSQLD ?? findExecutable(['mariadbd', 'mysqld']);
  if (!server) return 'no mariadbd or mysqld binary found (set FEAST_MYSQLD to its path)';
  const out = spawnSync(server, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = `${out.stdout ?? ''}${out.stderr ?? ''}`.trim();
  if (out.status !== 0) return `${server} --version failed: ${version || out.error?.message}`;
  if (/mariadb/i.test(version)) {
    const installer = findExecutable(['mariadb-install-db', 'mysql_install_db'], [path.dirname(server), path.join(path.dirname(server), '../bin'), path.join(path.dirname(server), '../scripts')]);
    if (!installer) return `${server} is MariaDB but mariadb-install-db was not found next to it`;
    return { server, flavor: 'mariadb', version, installer };
  }
  return { server, flavor: 'mysql', version };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function waitForServer(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) while starting:\n${logTail(logFile)}`);
    }
    try {
      const conn = await mysqlAdminConnection(url);
      await conn.end();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the server did not accept connections within ${timeoutMs} ms (${(lastError as Error)?.message}):\n${logTail(logFile)}`);
}

/**
 * Starts a throwaway server from a local mariadbd/mysqld binary: a new data
 * directory in the temp dir, root without a password, listening on a free
 * port of 127.0.0.1 only. Returns a reason string when no binary is usable.
 * `extraArgs` go to the server's command line (e.g. `--default-time-zone=+05:00`).
 */
export async function startMySQLServer(extraArgs: readonly string[] = []): Promise<MySQLTestServer | string> {
  const bin = findMySQLBinary();
  if (typeof bin === 'string') return bin;
  const dir = mkdtempSync(path.join(tmpdir(), 'feast-ts-mysqld-'));
  removeOnExit(dir);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const userArgs = isRoot() ? ['--user=root'] : [];
  const init =
    bin.flavor === 'mariadb'
      ? spawnSync(
          bin.installer!,
          ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve', ...userArgs],
          { encoding: 'utf8', timeout: 120_000 },
        )
      : spawnSync(bin.server, ['--no-defaults', '--initialize-insecure', `--datadir=${dataDir}`, ...userArgs], { encoding: 'utf8', timeout: 120_000 });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    forgetDir(dir);
    return `initializing a data directory with ${bin.installer ?? bin.server} failed: ${(init.stderr || init.stdout || init.error?.message || '').trim().slice(-800)}`;
  }
  const port = await freeMySQLPort();
  const args = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${path.join(dir, 'mysqld.sock')}`,
    `--pid-file=${path.join(dir, 'mysqld.pid')}`,
    `--log-error=${logFile}`,
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=64M',
    '--max-connections=300',
    ...(bin.flavor === 'mysql' ? ['--mysqlx=OFF'] : []),
    ...userArgs,
    ...extraArgs,
  ];
  const url = formatMySQLUrl({ host: '127.0.0.1', port, user: 'root', password: '', database: undefined });
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const out = openSync(logFile, 'a');
    child = spawn(bin.server, args, { stdio: ['ignore', out, out], detached: false });
    closeSync(out);
    killOnExit(child);
    await waitForServer(url, child, logFile, 60_000);
  };
  const halt = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill('SIGTERM');
    });
  };

  try {
    await start();
  } catch (err) {
    await halt();
    rmSync(dir, { recursive: true, force: true });
    forgetDir(dir);
    return `starting ${bin.server} failed: ${(err as Error).message}`;
  }
  const version = bin.version.replace(/^.*Ver\s+/, '').split(/\s/)[0] ?? bin.version;
  return {
    url,
    host: '127.0.0.1',
    port,
    user: 'root',
    password: '',
    description: `throwaway ${path.basename(bin.server)} ${version} on 127.0.0.1:${port} (data in ${dataDir})`,
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
      forgetDir(dir);
    },
  };
}

/** How the MariaDB/MySQL tests find their server (see the policy in ./policy.ts). */
export const mysqlServerSpec: TestServerSpec<MySQLTestServer> = {
  what: 'MariaDB/MySQL tests',
  envVar: 'FEAST_MYSQL_URL',
  fromEnv: serverFromUrl,
  startThrowaway: () => startMySQLServer(),
  hint: 'Set FEAST_MYSQL_URL=mysql://root@127.0.0.1:3306/test, or install mariadb-server (mariadbd and mariadb-install-db).',
};

/** Whether {@link mysqlServerSpec} can be expected to find a server, decided without starting anything. */
export function mysqlServerExpected(): true | string[] {
  if (process.env.FEAST_MYSQL_URL?.trim()) return true;
  const local = findMySQLBinary();
  return typeof local === 'string' ? ['FEAST_MYSQL_URL is not set', local] : true;
}

/** A database of a test's own. */
export interface MySQLTestDatabase {
  name: string;
  /** The server URL with this database as its path. */
  url: string;
  /** Drops the database (when this module created it). */
  drop(): Promise<void>;
}

/** A unique, valid database or project name: `<prefix>_<random>` (prefix cut to 40 characters). */
export function uniqueMySQLName(prefix: string): string {
  return `${prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}_${randomBytes(5).toString('hex')}`;
}

/**
 * Creates a database named `<prefix>_<random>` on the server of `serverUrl`. When the account may
 * not create databases, the URL's own database is used (tests still use unique project names, so
 * they do not collide) and `drop()` leaves it.
 */
export async function createMySQLTestDatabase(serverUrl: string, prefix = 'feast_ts'): Promise<MySQLTestDatabase> {
  const parts = parseMySQLUrl(serverUrl);
  const name = uniqueMySQLName(prefix);
  const admin = await mysqlAdminConnection(serverUrl);
  try {
    await admin.query(`CREATE DATABASE \`${name}\``);
  } catch (err) {
    const errno = (err as { errno?: number }).errno;
    if ((errno === 1044 || errno === 1227) && parts.database) {
      return { name: parts.database, url: serverUrl, async drop() {} };
    }
    throw err;
  } finally {
    await admin.end();
  }
  return {
    name,
    url: formatMySQLUrl({ ...parts, database: name }),
    async drop() {
      const conn = await mysqlAdminConnection(serverUrl);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
