/**
 * Finds a NATS server with JetStream for the tests, in the order the
 * project's guide gives: a url from the environment, the local server on
 * the default port, then a throwaway `nats-server -js` started from a local
 * binary on a free port.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** Set this to test against a NATS server of your own: `FEAST_NATS_URL=nats://host:4222`. */
export const NATS_URL_ENV = 'FEAST_NATS_URL';
/** Where a locally installed nats-server listens. */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** A NATS server the tests may use, and how to let go of it. */
export interface NatsTarget {
  url: string;
  /** What it is, for messages: `FEAST_NATS_URL`, `local server`, `nats-server on port N`. */
  source: string;
  /** The largest message the server accepts (its max_payload), in bytes. */
  maxPayload: number;
  stop(): Promise<void>;
}

/** The server's max_payload when a NATS server with JetStream answers at `url`, else a reason it does not. */
export async function probe(url: string, timeoutMs = 1500): Promise<{ maxPayload: number } | string> {
  let nc;
  try {
    nc = await connect({ servers: url, timeout: timeoutMs, maxReconnectAttempts: 0 });
  } catch (err) {
    return `nothing answers at ${url} (${(err as Error).message})`;
  }
  try {
    await jetstreamManager(nc, { timeout: timeoutMs }); // asks for the account info: fails without JetStream
    return { maxPayload: nc.info?.max_payload ?? 1024 * 1024 };
  } catch (err) {
    return `the server at ${url} has no JetStream (${(err as Error).message}); start it with nats-server -js`;
  } finally {
    await nc.close();
  }
}

/** The `nats-server` binary on PATH, if there is one. */
export function natsServerBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'nats-server'))) return path.join(dir, 'nats-server');
  }
  for (const dir of ['/usr/sbin', '/usr/local/sbin']) if (existsSync(path.join(dir, 'nats-server'))) return path.join(dir, 'nats-server');
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

/** Starts `nats-server -js` on a free port with a store directory of its own, removed by `stop()`. */
async function startThrowawayServer(binary: string): Promise<NatsTarget> {
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'feast-nats-'));
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '--store_dir', storeDir], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(storeDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    const found = await probe(url, 200);
    if (typeof found !== 'string') return { url, source: `nats-server on port ${port}`, maxPayload: found.maxPayload, stop };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`${binary} -js did not answer on port ${port} within 5 s.`);
}

/**
 * How a server will be found, decided without starting anything: the url and
 * its max_payload when one answers, `'throwaway'` when a binary can be started,
 * `undefined` when none is available.
 */
export async function natsAvailability(): Promise<{ url: string; maxPayload: number } | 'throwaway' | undefined> {
  const fromEnv = process.env[NATS_URL_ENV];
  // Given explicitly: used (and failing, when it does not answer) as is.
  if (fromEnv) {
    const found = await probe(fromEnv);
    return { url: fromEnv, maxPayload: typeof found === 'string' ? 0 : found.maxPayload };
  }
  const local = await probe(DEFAULT_NATS_URL);
  if (typeof local !== 'string') return { url: DEFAULT_NATS_URL, maxPayload: local.maxPayload };
  return natsServerBinary() ? 'throwaway' : undefined;
}

// #region acquire
/**
 * A NATS server with JetStream to test against: `FEAST_NATS_URL` when set
 * (an error if it does not answer), else the local server, else a throwaway
 * `nats-server -js`.
 *
 * @throws Error saying what was tried when none is available
 */
export async function acquireNats(): Promise<NatsTarget> {
  const fromEnv = process.env[NATS_URL_ENV];
  if (fromEnv) {
    const found = await probe(fromEnv);
    if (typeof found === 'string') throw new Error(`${NATS_URL_ENV}=${fromEnv}: ${found}. Start that server, or unset ${NATS_URL_ENV} to use a local one.`);
    return { url: fromEnv, source: NATS_URL_ENV, maxPayload: found.maxPayload, stop: async () => undefined };
  }
  const local = await probe(DEFAULT_NATS_URL);
  if (typeof local !== 'string') return { url: DEFAULT_NATS_URL, source: 'local server', maxPayload: local.maxPayload, stop: async () => undefined };
  const binary = natsServerBinary();
  if (binary) return startThrowawayServer(binary);
  throw new Error(unavailableMessage());
}
// #endregion acquire

/** What to do when no NATS server can be found. */
export function unavailableMessage(): string {
  return (
    `No NATS server with JetStream for the tests: ${NATS_URL_ENV} is not set, nothing answers at ${DEFAULT_NATS_URL}, and there is no nats-server on PATH. ` +
    `Set ${NATS_URL_ENV}, start one (nats-server -js), or install it (apt-get install nats-server).`
  );
}
