/**
 * A real MySQL-compatible server for tests, found in this order:
 *
 * 1. `FEAST_MYSQL_URL` from the environment (e.g. `mysql://root@127.0.0.1:3306/test`);
 * 2. a MySQL 8 container through testcontainers, when a Docker engine answers;
 * 3. a throwaway server from a local `mariadbd`/`mysqld` binary, on a free
 *    port with its own temporary data directory, removed afterwards.
 *
 * When none is available the caller is told loudly; with `CI` set that is an
 * error, never a silent skip. Each test then gets its own database from
 * {@link createTestDatabase}, so runs never collide.
 *
 * Used by the MySQL package's tests (through its vitest global setup) and by
 * the universal-suite configs module `tests-universal/mysql.ts`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

/** Where the server came from. */
export type MySQLServerSource = 'env' | 'testcontainers' | 'local-binary';

/** A server the tests may use. `url` has admin rights (it can create databases). */
export interface MySQLTestServer {
  /** `mysql://user:password@host:port/database` (database may be empty). */
  url: string;
  source: MySQLServerSource;
  /** Human-readable description for logs, such as `local mariadbd 10.11 on 127.0.0.1:40123`. */
  description: string;
  /** Stops the server and starts it again on the same port with the same data (local binary only). */
  restart?: () => Promise<void>;
  /** Stops a server this module started (and removes its data); does nothing for `env`. */
  stop(): Promise<void>;
}

/** The parts of a mysql:// URL, for mysql2. */
export interface MySQLUrlParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string | undefined;
}

/** True when the CI environment variable is set to something other than false/0/empty. */
export function isCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Splits a `mysql://user:pass@host:port/db` URL. */
export function parseMySQLUrl(url: string): MySQLUrlParts {
  const u = new URL(url);
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') throw new Error(`Not a mysql:// URL: ${url}`);
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    database: db || undefined,
  };
}

/** Builds a `mysql://` URL. */
export function formatMySQLUrl(p: MySQLUrlParts): string {
  const auth = encodeURIComponent(p.user) + (p.password ? ':' + encodeURIComponent(p.password) : '');
  const host = p.host.includes(':') ? `[${p.host}]` : p.host;
  return `mysql://${auth}@${host}:${p.port}/${p.database ? encodeURIComponent(p.database) : ''}`;
}

/** Opens one admin connection to `url` (short connect timeout). */
export async function adminConnection(url: string, database?: string): Promise<mysql.Connection> {
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

// ---------------------------------------------------------------------------
// 2. testcontainers

function dockerSocketCandidates(): string[] {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const home = homedir();
  return [
    '/var/run/docker.sock',
    path.join(home, '.docker/run/docker.sock'),
    path.join(home, '.docker/desktop/docker.sock'),
    path.join(home, '.colima/default/docker.sock'),
    path.join(home, '.rd/docker.sock'),
    ...(uid === undefined ? [] : [`/run/user/${uid}/docker.sock`, `/run/user/${uid}/podman/podman.sock`]),
  ];
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Whether a Docker engine answers, decided quickly: no socket and no DOCKER_HOST means no. */
async function dockerAnswers(): Promise<string | true> {
  if (process.env.FEAST_MYSQL_NO_DOCKER) return 'FEAST_MYSQL_NO_DOCKER is set';
  if (!process.env.DOCKER_HOST && !dockerSocketCandidates().some((s) => existsSync(s))) {
    return 'no Docker socket and DOCKER_HOST is unset';
  }
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await withTimeout(getContainerRuntimeClient(), 5000, 'the Docker engine');
    return true;
  } catch (err) {
    return `Docker engine not usable: ${(err as Error).message}`;
  }
}

async function startContainer(): Promise<MySQLTestServer> {
  const { MySqlContainer } = await import('@testcontainers/mysql');
  const image = process.env.FEAST_MYSQL_IMAGE ?? 'mysql:8.4';
  const container = await new MySqlContainer(image).withRootPassword('feast-ts').withDatabase('test').start();
  const url = formatMySQLUrl({
    host: container.getHost(),
    port: container.getPort(),
    user: 'root',
    password: container.getRootPassword(),
    database: 'test',
  });
  return {
    url,
    source: 'testcontainers',
    description: `testcontainers ${image} on ${container.getHost()}:${container.getPort()}`,
    async stop() {
      await container.stop();
    },
  };
}

// ---------------------------------------------------------------------------
// 3. a local binary

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/local/mysql/bin', '/opt/homebrew/bin', '/usr/libexec', '/usr/bin'];

function findExecutable(names: readonly string[], extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...extraDirs, ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const name of names) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface LocalBinary {
  server: string;
  flavor: 'mariadb' | 'mysql';
  version: string;
  installer?: string;
}

function findLocalBinary(): LocalBinary | string {
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

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

async function waitForServer(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) while starting:\n${tail(logFile)}`);
    }
    try {
      const conn = await adminConnection(url);
      await conn.end();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the server did not accept connections within ${timeoutMs} ms (${(lastError as Error)?.message}):\n${tail(logFile)}`);
}

/**
 * Starts a throwaway server from a local mariadbd/mysqld binary: a new data
 * directory in the temp dir, root without a password, listening on a free
 * port of 127.0.0.1 only. Returns a reason string when no binary is usable.
 * `extraArgs` go to the server's command line (e.g. `--default-time-zone=+05:00`).
 */
export async function startLocalMySQLServer(extraArgs: readonly string[] = []): Promise<MySQLTestServer | string> {
  const bin = findLocalBinary();
  if (typeof bin === 'string') return bin;
  const dir = mkdtempSync(path.join(tmpdir(), 'feast-ts-mysqld-'));
  liveDirs.add(dir);
  installExitHook();
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
    liveDirs.delete(dir);
    return `initializing a data directory with ${bin.installer ?? bin.server} failed: ${(init.stderr || init.stdout || init.error?.message || '').trim().slice(-800)}`;
  }
  const port = await freePort();
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
    liveChildren.add(child);
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
    liveChildren.delete(c);
  };

  try {
    await start();
  } catch (err) {
    await halt();
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
    return `starting ${bin.server} failed: ${(err as Error).message}`;
  }
  const version = bin.version.replace(/^.*Ver\s+/, '').split(/\s/)[0] ?? bin.version;
  return {
    url,
    source: 'local-binary',
    description: `local ${path.basename(bin.server)} ${version} on 127.0.0.1:${port} (data in ${dataDir})`,
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    },
  };
}

// ---------------------------------------------------------------------------
// The order, and what happens when nothing is there

/** The result of {@link acquireMySQLServer}: a server, or why there is none. */
export type AcquiredServer = { server: MySQLTestServer; reasons: string[] } | { server: undefined; reasons: string[] };

/**
 * Finds a server in the documented order. Never hangs on a missing Docker
 * engine. Returns the reasons each source was passed over.
 */
export async function acquireMySQLServer(): Promise<AcquiredServer> {
  const reasons: string[] = [];
  const envUrl = process.env.FEAST_MYSQL_URL;
  if (envUrl) {
    parseMySQLUrl(envUrl);
    return { server: { url: envUrl, source: 'env', description: `FEAST_MYSQL_URL (${envUrl.replace(/:[^:@/]*@/, ':***@')})`, async stop() {} }, reasons };
  }
  reasons.push('FEAST_MYSQL_URL is not set');
  const docker = await dockerAnswers();
  if (docker === true) {
    try {
      return { server: await startContainer(), reasons };
    } catch (err) {
      reasons.push(`starting a MySQL container failed: ${(err as Error).message}`);
    }
  } else {
    reasons.push(docker);
  }
  const local = await startLocalMySQLServer();
  if (typeof local !== 'string') return { server: local, reasons };
  reasons.push(local);
  return { server: undefined, reasons };
}

/**
 * Says loudly that the MySQL tests cannot run. With CI set this throws: a CI
 * run must never pass by skipping them.
 */
export function reportNoServer(reasons: readonly string[], what = 'MySQL tests'): void {
  const message =
    `${what}: no MySQL/MariaDB server available (${reasons.join('; ')}). ` +
    'Set FEAST_MYSQL_URL=mysql://root@127.0.0.1:3306/test, start a Docker engine, or install mariadb-server/mysql-server.';
  if (isCI()) throw new Error(`${message} CI is set, so this is a failure, not a skip.`);
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! SKIPPED ${message}\n${bar}\n`);
}

/**
 * Whether {@link acquireMySQLServer} can be expected to find a server,
 * decided without starting anything: `true`, or the reasons it cannot.
 */
export function mysqlServerExpected(): true | string[] {
  if (process.env.FEAST_MYSQL_URL) return true;
  if (!process.env.FEAST_MYSQL_NO_DOCKER && (process.env.DOCKER_HOST || dockerSocketCandidates().some((s) => existsSync(s)))) return true;
  const local = findLocalBinary();
  if (typeof local !== 'string') return true;
  return ['FEAST_MYSQL_URL is not set', 'no Docker socket and DOCKER_HOST is unset', local];
}

let shared: Promise<AcquiredServer> | undefined;
let sharedUsers = 0;

/**
 * One server per process, shared by every caller: acquired on first use and
 * stopped when the last caller releases it with {@link releaseSharedMySQLServer}
 * (and, failing that, when the process exits: a container through
 * testcontainers' reaper, a local server through an exit hook).
 */
export function sharedMySQLServer(): Promise<AcquiredServer> {
  sharedUsers++;
  shared ??= acquireMySQLServer();
  return shared;
}

/** Gives back what {@link sharedMySQLServer} handed out; the last release stops a server this module started. */
export async function releaseSharedMySQLServer(): Promise<void> {
  if (sharedUsers === 0 || !shared) return;
  sharedUsers--;
  if (sharedUsers > 0) return;
  const acquired = await shared;
  shared = undefined;
  await acquired.server?.stop();
}

// ---------------------------------------------------------------------------
// A database per test

/** A database made for one test, and how to reach it. */
export interface TestDatabase {
  name: string;
  /** `url` with this database as its path. */
  url: string;
  /** Drops the database (when this module created it). */
  drop(): Promise<void>;
}

/** A unique, valid database or project name: `<prefix>_<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}_${randomBytes(5).toString('hex')}`;
}

/**
 * Creates a database of its own for a test. When the account may not create
 * databases, the URL's own database is used (tests still use unique project
 * names, so they do not collide).
 */
export async function createTestDatabase(serverUrl: string, prefix = 'feast_ts'): Promise<TestDatabase> {
  const parts = parseMySQLUrl(serverUrl);
  const name = uniqueName(prefix);
  const admin = await adminConnection(serverUrl);
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
      const conn = await adminConnection(serverUrl);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
