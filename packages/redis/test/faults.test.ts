/**
 * Failures on a single server, each a typed OnlineStoreError with a kind and
 * a message that says what to do: a wrong or missing password, nothing
 * listening, a server killed in the middle of a write (and the next call
 * after it is back succeeds).
 */
import { FeastType, OnlineStoreError, type OnlineWriteRow } from '@feast-ts/core';
import { freeRedisPort, startRedisServer, type RedisTestServer } from '@feast-ts/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOnlineStore } from '../src/index.js';
import { driverKey, repoConfig, statsView, throwawayServersAvailable, uniqueProject } from './helpers.js';

const available = throwawayServersAvailable('Redis fault tests');
const view = statsView('fault_stats', [['n', FeastType.Int64]]);

async function failure(promise: Promise<unknown>): Promise<OnlineStoreError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OnlineStoreError);
  return err as OnlineStoreError;
}

describe.skipIf(!available)('RedisOnlineStore failures', () => {
  let server: RedisTestServer;
  beforeAll(async () => {
    server = await startRedisServer({ password: 'right-password' });
  });
  afterAll(() => server?.stop());

  it('a wrong or missing password is auth_failed, and the password is never in the message', async () => {
    const store = new RedisOnlineStore();
    try {
      const wrong = await failure(store.onlineRead(repoConfig(uniqueProject(), { connection_string: `${server.connectionString},password=wrong-password` }), view, [driverKey(1)]));
      expect(wrong.kind).toBe('auth_failed');
      expect(wrong.message).toMatch(/WRONGPASS.*Check the username= and password= of online_store.connection_string/);
      expect(wrong.message).not.toContain('wrong-password');
      expect(wrong.cause).toBeDefined();
      const missing = await failure(store.onlineRead(repoConfig(uniqueProject(), { connection_string: server.connectionString }), view, [driverKey(1)]));
      expect(missing.kind).toBe('auth_failed');
      expect(missing.message).toMatch(/NOAUTH/);
    } finally {
      await store.close();
    }
  });

  it('nothing listening is unreachable, quickly', async () => {
    const store = new RedisOnlineStore();
    const port = await freeRedisPort();
    try {
      const started = Date.now();
      const err = await failure(store.onlineWriteBatch(repoConfig(uniqueProject(), { connection_string: `127.0.0.1:${port}` }), view, [[driverKey(1), { n: { int64Val: 1n } }, new Date(0), null]]));
      expect(err.kind).toBe('unreachable');
      expect(err.message).toContain(`Redis 127.0.0.1:${port} db 0`);
      expect(err.message).toMatch(/ECONNREFUSED/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await store.close();
    }
  });

  it('a server killed mid-write fails the call typed; after it is back the next call succeeds', async () => {
    const store = new RedisOnlineStore();
    const cfg = repoConfig(uniqueProject(), { connection_string: `${server.connectionString},password=right-password` });
    const rows: OnlineWriteRow[] = Array.from({ length: 60_000 }, (_, i) => [driverKey(i), { n: { int64Val: BigInt(i) } }, new Date(1000), null]);
    try {
      await store.onlineRead(cfg, view, [driverKey(0)]); // connected before the kill
      // Kill once the first 10,000-row chunk is written: the rest of the call meets a dead server.
      let killed: Promise<void> | undefined;
      let progressed = 0;
      const err = await failure(
        store.onlineWriteBatch(cfg, view, rows, (n) => {
          progressed += n;
          killed ??= server.kill();
        }),
      );
      await killed;
      expect(progressed).toBe(10_000);
      expect(['connection_lost', 'unreachable']).toContain(err.kind);
      expect(err.message).toContain('could not write to feature view "fault_stats"');
      // While it is down, calls fail typed too.
      expect((await failure(store.onlineRead(cfg, view, [driverKey(1)]))).code).toBe('STORE_FAILED');
      await server.start();
      await store.onlineWriteBatch(cfg, view, rows.slice(0, 100));
      const read = await store.onlineRead(cfg, view, [driverKey(0), driverKey(99)]);
      expect(read).toEqual([
        [new Date(1000), { n: { int64Val: 0n } }],
        [new Date(1000), { n: { int64Val: 99n } }],
      ]);
    } finally {
      await store.close();
    }
  });
});
