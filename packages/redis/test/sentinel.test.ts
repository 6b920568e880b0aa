/**
 * `redis_type: redis_sentinel`: a throwaway master, replica and sentinel. The
 * store finds the master through the sentinel, and after the master dies and
 * the sentinel promotes the replica, it writes and reads on the new master.
 */
import { FeastType, OnlineStoreError, type OnlineWriteRow } from '@feast-ts/core';
import { startRedisSentinel, type RedisTestSentinel } from '@feast-ts/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOnlineStore } from '../src/index.js';
import { driverKey, repoConfig, statsView, throwawayServersAvailable, uniqueProject } from './helpers.js';

const available = throwawayServersAvailable('Redis Sentinel tests');
const view = statsView('sentinel_stats', [['n', FeastType.Int64]]);
const rows = (count: number, n: number, ms: number): OnlineWriteRow[] =>
  Array.from({ length: count }, (_, i) => [driverKey(i), { n: { int64Val: BigInt(n) } }, new Date(ms), null]);
const keys = (count: number) => Array.from({ length: count }, (_, i) => driverKey(i));

/** The replica's DBSIZE once it has caught up with `expected` keys (replication is asynchronous), or what it has after 15 s. */
async function replicaDbsize(sentinel: RedisTestSentinel, expected: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const n = Number(await sentinel.replica.cli('DBSIZE'));
    if (n === expected || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!available)('RedisOnlineStore through Redis Sentinel', () => {
  let sentinel: RedisTestSentinel;
  beforeAll(async () => {
    sentinel = await startRedisSentinel();
  });
  afterAll(() => sentinel?.stop());

  it('writes to the master the sentinel names, and keeps working after a failover', async () => {
    const store = new RedisOnlineStore();
    const cfg = repoConfig(uniqueProject(), { redis_type: 'redis_sentinel', sentinel_master: sentinel.masterName, connection_string: sentinel.connectionString });
    try {
      await store.onlineWriteBatch(cfg, view, rows(100, 1, 1000));
      // The rows are on the master, and replicated.
      expect(Number(await sentinel.master.cli('DBSIZE'))).toBe(100);
      expect(await replicaDbsize(sentinel, 100)).toBe(100);

      const newMaster = await sentinel.killMasterAndWaitForFailover();
      expect(newMaster).toBe(sentinel.replica.port);
      // The client reconnects through the sentinel in the background; a call during the switch may fail, typed.
      let lastError: unknown;
      let read: Awaited<ReturnType<typeof store.onlineRead>> | undefined;
      for (let attempt = 0; attempt < 20 && !read; attempt++) {
        try {
          read = await store.onlineRead(cfg, view, keys(100));
        } catch (err) {
          expect(err).toBeInstanceOf(OnlineStoreError);
          lastError = err;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      expect(read, `no successful read after the failover: ${String(lastError)}`).toBeDefined();
      expect(read!.every(([ts, f]) => ts?.getTime() === 1000 && f?.n?.int64Val === 1n)).toBe(true);
      await store.onlineWriteBatch(cfg, view, rows(100, 2, 2000));
      expect(Number(await sentinel.replica.cli('DBSIZE'))).toBe(100); // the promoted replica is the master now
      expect((await store.onlineRead(cfg, view, keys(100))).every(([, f]) => f?.n?.int64Val === 2n)).toBe(true);
      await store.teardown(cfg, [view], []);
      expect(Number(await sentinel.replica.cli('DBSIZE'))).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('a master name the sentinel does not know is a typed, unreachable error', async () => {
    const store = new RedisOnlineStore();
    const cfg = repoConfig(uniqueProject(), { redis_type: 'redis_sentinel', sentinel_master: 'no-such-master', connection_string: sentinel.connectionString });
    try {
      await expect(store.onlineRead(cfg, view, [driverKey(1)])).rejects.toMatchObject({ code: 'STORE_FAILED', kind: 'unreachable' });
    } finally {
      await store.close();
    }
  });
});
