/**
 * Finds a Redis for the tests, in the order the project's guide gives:
 * a url from the environment, the local server on the default port, then a
 * throwaway `redis-server` started from a local binary on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createClient } from 'redis';

/** Set this to test against a Redis of your own: `FEAST_REDIS_URL=redis://host:6379/2`. */
export const REDIS_URL_ENV = 'FEAST_REDIS_URL';
/** Where a locally installed Redis listens. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A Redis the tests may use, and how to let go of it. */
export interface RedisTarget {
  url: string;
  /** What it is, for messages: `FEAST_REDIS_URL`, `local server`, `redis-server on port N`. */
  source: string;
  stop(): Promise<void>;
}

/** True when a Redis answers PING at `url` within `timeoutMs`. */
export async function ping(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/** The `redis-server` binary on PATH, if there is one. */
export function redisServerBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'redis-server'))) return path.join(dir, 'redis-server');
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startThrowawayServer(binary: string): Promise<RedisTarget> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; i < 50; i++) {
    if (await ping(url, 200)) return { url, source: `redis-server on port ${port}`, stop };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`${binary} did not answer on port ${port} within 5 s.`);
}

/** How a Redis will be found, decided without starting anything; `undefined` when none is available. */
export async function redisAvailability(): Promise<string | undefined> {
  const fromEnv = process.env[REDIS_URL_ENV];
  if (fromEnv) return `${REDIS_URL_ENV}=${fromEnv}`; // given explicitly: used (and failing) as is
  if (await ping(DEFAULT_REDIS_URL)) return `the local server at ${DEFAULT_REDIS_URL}`;
  const binary = redisServerBinary();
  return binary ? `a throwaway ${binary}` : undefined;
}

// #region acquire
/**
 * A Redis to test against: `FEAST_REDIS_URL` when set (an error if it does
 * not answer), else the local server, else a throwaway `redis-server`.
 *
 * @throws Error saying what was tried when none is available
 */
export async function acquireRedis(): Promise<RedisTarget> {
  const fromEnv = process.env[REDIS_URL_ENV];
  if (fromEnv) {
    if (await ping(fromEnv)) return { url: fromEnv, source: REDIS_URL_ENV, stop: async () => undefined };
    throw new Error(`${REDIS_URL_ENV}=${fromEnv} does not answer PING. Start that server, or unset ${REDIS_URL_ENV} to use a local one.`);
  }
  if (await ping(DEFAULT_REDIS_URL)) return { url: DEFAULT_REDIS_URL, source: 'local server', stop: async () => undefined };
  const binary = redisServerBinary();
  if (binary) return startThrowawayServer(binary);
  throw new Error(unavailableMessage());
}
// #endregion acquire

/** What to do when no Redis can be found. */
export function unavailableMessage(): string {
  return (
    `No Redis for the tests: ${REDIS_URL_ENV} is not set, nothing answers at ${DEFAULT_REDIS_URL}, and there is no redis-server on PATH. ` +
    `Set ${REDIS_URL_ENV}, start Redis (e.g. redis-server --save '' --appendonly no), or install it (apt-get install redis-server).`
  );
}
