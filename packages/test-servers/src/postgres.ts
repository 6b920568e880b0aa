/**
 * PostgreSQL for tests: the server named by `FEAST_POSTGRES_URL`, else a
 * throwaway cluster from the local binaries (`initdb` + `pg_ctl`, found on
 * the PATH or under /usr/lib/postgresql/<version>/bin), listening on
 * 127.0.0.1 only, on a free port picked at run time, with its data in a temp
 * directory that `stop()` removes. initdb refuses to run as root, so as root
 * the cluster is made and run as the `postgres` user (through `runuser`).
 *
 * Each test takes a database of its own from {@link createTestDatabase}.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findExecutable, freePort, logTail } from './local-process.js';
import type { StoppableServer, TestServerSpec } from './policy.js';
import { parseServerUrl, urlServer, type ServerUrlParts } from './server-url.js';

/** A PostgreSQL server a test may use; `url` may create databases. */
export interface PostgresTestServer extends StoppableServer {
  /** `postgres://user[:password]@host:port/database`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Stops the server and starts it again on the same port with the same data (throwaway servers only). */
  restart?(): Promise<void>;
  /** Stops the server (throwaway only) without removing its data; `start()` brings it back. */
  halt?(): Promise<void>;
  /** Starts a halted throwaway server again. */
  start?(): Promise<void>;
}

/** The parts of a postgres:// URL. */
export type PostgresUrlParts = ServerUrlParts;

/** Splits a `postgres://user:pass@host:port/db` URL (also `postgresql://`). */
export function parsePostgresUrl(url: string): PostgresUrlParts {
  return parseServerUrl(url, ['postgres:', 'postgresql:'], { port: 5432, user: 'postgres' });
}

function serverFromUrl(url: string): PostgresTestServer {
  return urlServer(url, parsePostgresUrl(url), 'PostgreSQL', 'FEAST_POSTGRES_URL');
}

/** The directory with `initdb`, `pg_ctl` and `postgres`: `FEAST_PG_BIN`, the PATH, or the newest /usr/lib/postgresql/<version>/bin. */
export function findPostgresBinDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.FEAST_PG_BIN) candidates.push(process.env.FEAST_PG_BIN);
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {
    // no Debian-style install
  }
  for (const dir of candidates) {
    try {
      accessSync(path.join(dir, 'initdb'), constants.X_OK);
      accessSync(path.join(dir, 'pg_ctl'), constants.X_OK);
      return dir;
    } catch {
      // not here
    }
  }
  return undefined;
}

function run(file: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${(stderr || stdout || err.message).trim()}`, { cause: err }));
      else resolve(stdout);
    });
  });
}

function uidOf(user: string): Promise<{ uid: number; gid: number }> {
  return Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]).then(([u, g]) => ({ uid: Number(u.trim()), gid: Number(g.trim()) }));
}

const liveDirs = new Map<string, () => void>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const kill of liveDirs.values()) kill();
  });
}

/**
 * Starts a throwaway PostgreSQL cluster (trust authentication, superuser
 * `postgres`, database `postgres`) on a free port of 127.0.0.1; a reason
 * string when the binaries are missing.
 */
export async function startPostgresServer(): Promise<PostgresTestServer | string> {
  const bin = findPostgresBinDir();
  if (!bin) return 'no initdb/pg_ctl found (install postgresql, or set FEAST_PG_BIN to the directory that holds them)';
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'feast-ts-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  // As root, every command runs as the postgres user, who must own the directory.
  // runuser lives in an sbin directory, which a user's PATH may not list.
  const runuser = asRoot ? findExecutable(['runuser']) : undefined;
  const exec = async (tool: string, args: readonly string[]) =>
    runuser ? run(runuser, ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);
  if (asRoot && !runuser) {
    rmSync(dir, { recursive: true, force: true });
    return 'running as root and runuser (util-linux) is not found to run initdb as the postgres user';
  }
  if (asRoot) {
    const { uid, gid } = await uidOf('postgres').catch(() => ({ uid: Number.NaN, gid: Number.NaN }));
    if (Number.isNaN(uid)) {
      rmSync(dir, { recursive: true, force: true });
      return 'running as root and there is no postgres user to run initdb as';
    }
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off -c max_connections=100`;
  const start = () => exec('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', log, '-o', serverOptions]);
  const halt = () => exec('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', data]);
  try {
    await exec('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    await start();
  } catch (err) {
    const reason = `starting a throwaway PostgreSQL failed: ${(err as Error).message}\n${logTail(log)}`;
    rmSync(dir, { recursive: true, force: true });
    return reason;
  }
  installExitHook();
  liveDirs.set(dir, () => {
    try {
      // Synchronous best effort at process exit: the server stops on its own once its data directory is gone.
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // ignore
    }
  });
  const version = (await run(path.join(bin, 'postgres'), ['--version']).catch(() => 'postgres')).trim();
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: '',
    description: `throwaway ${version} on 127.0.0.1:${port} (${dir})`,
    async restart() {
      await exec('pg_ctl', ['restart', '-w', '-m', 'fast', '-t', '60', '-D', data, '-l', log, '-o', serverOptions]);
    },
    async halt() {
      await halt();
    },
    async start() {
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await exec('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', data]).catch(() => {});
      liveDirs.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How the PostgreSQL tests find their server (see the policy in ./policy.ts). */
export const postgresServerSpec: TestServerSpec<PostgresTestServer> = {
  what: 'PostgreSQL tests',
  envVar: 'FEAST_POSTGRES_URL',
  fromEnv: serverFromUrl,
  startThrowaway: startPostgresServer,
  hint: 'Set FEAST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test, or install postgresql (initdb and pg_ctl).',
};

/** A database of a test's own. */
export interface PostgresTestDatabase {
  name: string;
  /** The server URL with this database as its path. */
  url: string;
  /** Drops the database (closing any connection still open to it). */
  drop(): Promise<void>;
}

/** A name unique to this process and call: `<prefix>_<random>`, lower case, within 63 bytes. */
export function uniquePgName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase().slice(0, 63);
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Creates a database named `<prefix>_<random>` on the server of `url`. */
export async function createTestDatabase(url: string, prefix = 'feast_ts_test'): Promise<PostgresTestDatabase> {
  const name = uniquePgName(prefix);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(url, name),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
