/**
 * Redis Cluster: a throwaway 3-master cluster from the local redis-server.
 * Keys spread over every node, newest-wins writes across slots, deletion scans every master, a resharding
 * (MOVED) under a store with a stale slot map, a restarted node, and a
 * cluster that is down.
 */
import { execFile } from 'node:child_process';
import { Socket } from 'node:net';
import { FeastType, OnlineStoreError, type OnlineWriteRow, type RepoConfig } from '@feast-ts/core';
import { findRedisBinaries, startRedisCluster, type RedisTestCluster } from '@feast-ts/test-servers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisOnlineStore, type RedisOnlineStoreConfig } from '../src/index.js';
import { driverKey, repoConfig, statsView, throwawayServersAvailable, uniqueProject } from './helpers.js';

const available = throwawayServersAvailable('Redis Cluster tests');
const view = statsView('cluster_stats', [['n', FeastType.Int64], ['s', FeastType.String]]);
const rows = (count: number, n: number, ms: number): OnlineWriteRow[] =>
  Array.from({ length: count }, (_, i) => [driverKey(i), { n: { int64Val: BigInt(n) }, s: { stringVal: `row-${i}` } }, new Date(ms), null]);
const keys = (count: number) => Array.from({ length: count }, (_, i) => driverKey(i));

async function projectKeysPerNode(cluster: RedisTestCluster, project: string): Promise<number[]> {
  return Promise.all(cluster.nodes.map(async (n) => (await n.cli('--scan', '--pattern', `*${project}`)).split('\n').filter(Boolean).length));
}

describe.skipIf(!available)('RedisOnlineStore on a Redis Cluster', () => {
  let cluster: RedisTestCluster;
  const store = new RedisOnlineStore();
  let cfg: (p: string) => RepoConfig<RedisOnlineStoreConfig>;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    cfg = (p) => repoConfig(p, { redis_type: 'redis_cluster', connection_string: cluster.connectionString });
  });
  afterAll(async () => {
    await store.close();
    await cluster?.stop();
  });

  it('spreads keys over every master, reads them in one call, and teardown scans every master', async () => {
    const p = uniqueProject();
    await store.onlineWriteBatch(cfg(p), view, rows(300, 1, 1000));
    const perNode = await projectKeysPerNode(cluster, p);
    expect(perNode.every((c) => c > 0)).toBe(true);
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(300);
    const read = await store.onlineRead(cfg(p), view, [...keys(300), driverKey(999)]);
    expect(read.slice(0, 300).map(([, f]) => f?.s?.stringVal)).toEqual(Array.from({ length: 300 }, (_, i) => `row-${i}`));
    expect(read[300]).toEqual([null, null]);
    await store.teardown(cfg(p), [view], []);
    expect(await projectKeysPerNode(cluster, p)).toEqual([0, 0, 0]);
  });

  it('sends the one-entity reads of concurrent calls in one socket write per node', async () => {
    const p = uniqueProject();
    await store.onlineWriteBatch(cfg(p), view, rows(30, 1, 1000));
    await store.onlineRead(cfg(p), view, keys(30)); // connected to every node
    const socketWrites = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
    const write = vi.spyOn(socketWrites, '_write');
    const writev = vi.spyOn(socketWrites, '_writev');
    try {
      const read = await Promise.all(keys(30).map((k) => store.onlineRead(cfg(p), view, [k])));
      expect(read.map((r) => r[0]![1]?.s?.stringVal)).toEqual(Array.from({ length: 30 }, (_, i) => `row-${i}`));
      expect(write.mock.calls.length + writev.mock.calls.length).toBeLessThanOrEqual(3);
    } finally {
      write.mockRestore();
      writev.mockRestore();
    }
    await store.teardown(cfg(p), [view], []);
  });

  it('applies newest-wins to keys of every node and slot in one call (one script call per node)', async () => {
    const p = uniqueProject();
    await store.onlineWriteBatch(cfg(p), view, rows(300, 1, 5000));
    // Even rows older than what is stored (skipped), odd rows newer (written), in one batch.
    const mixed = rows(300, 2, 0).map(([k, f], i): OnlineWriteRow => [k, f, new Date(i % 2 ? 6000 : 4000), null]);
    await store.onlineWriteBatch(cfg(p), view, mixed);
    const read = await store.onlineRead(cfg(p), view, keys(300));
    expect(read.map(([ts, f]) => [ts?.getTime(), f?.n?.int64Val])).toEqual(Array.from({ length: 300 }, (_, i) => (i % 2 ? [6000, 2n] : [5000, 1n])));
    await store.teardown(cfg(p), [view], []);
  });

  it('follows MOVED after a resharding, with the slot map it cached before', async () => {
    const p = uniqueProject();
    await store.onlineWriteBatch(cfg(p), view, rows(300, 2, 2000));
    const [from, to] = await Promise.all(cluster.nodes.slice(0, 2).map((n) => n.cli('CLUSTER', 'MYID')));
    const bins = findRedisBinaries();
    if (typeof bins === 'string') throw new Error(bins);
    await new Promise<void>((resolve, reject) =>
      execFile(
        bins.cli,
        ['--cluster', 'reshard', cluster.nodes[0]!.connectionString, '--cluster-from', from!, '--cluster-to', to!, '--cluster-slots', '3000', '--cluster-yes'],
        { timeout: 60_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`reshard failed: ${stderr || stdout}`)) : resolve()),
      ),
    );
    await cluster.waitHealthy();
    // The same store instance: its slot map predates the move.
    const read = await store.onlineRead(cfg(p), view, keys(300));
    expect(read.map(([ts, f]) => [ts?.getTime(), f?.n?.int64Val])).toEqual(Array.from({ length: 300 }, () => [2000, 2n]));
    await store.onlineWriteBatch(cfg(p), view, rows(300, 3, 3000));
    expect((await store.onlineRead(cfg(p), view, keys(300))).every(([, f]) => f?.n?.int64Val === 3n)).toBe(true);
    await store.teardown(cfg(p), [view], []);
    expect(await projectKeysPerNode(cluster, p)).toEqual([0, 0, 0]);
  });

  it('fails typed while a node is restarting, and the next calls after it is back succeed with the data', async () => {
    const p = uniqueProject();
    await store.onlineWriteBatch(cfg(p), view, rows(200, 4, 4000));
    const node = cluster.nodes[2]!;
    await node.shutdown(); // SHUTDOWN SAVE: its keys come back with it
    const err = await store.onlineRead(cfg(p), view, keys(200)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OnlineStoreError);
    expect(['unreachable', 'connection_lost']).toContain((err as OnlineStoreError).kind);
    expect((err as Error).message).toContain('Redis Cluster');
    await node.start();
    await cluster.waitHealthy();
    const read = await store.onlineRead(cfg(p), view, keys(200));
    expect(read.every(([ts, f]) => ts?.getTime() === 4000 && f?.n?.int64Val === 4n)).toBe(true);
    await store.teardown(cfg(p), [view], []);
  });

  it('reports a cluster that is down (a master gone past the node timeout) as unreachable, and recovers', async () => {
    const p = uniqueProject();
    const node = cluster.nodes[1]!;
    await node.kill();
    // The other masters mark it failed after cluster-node-timeout, and the cluster stops serving.
    const others = cluster.nodes.filter((n) => n !== node);
    const deadline = Date.now() + 20_000;
    while (!(await others[0]!.cli('CLUSTER', 'INFO')).includes('cluster_state:fail')) {
      if (Date.now() > deadline) throw new Error('the cluster never reported cluster_state:fail');
      await new Promise((r) => setTimeout(r, 200));
    }
    const fresh = new RedisOnlineStore();
    try {
      await expect(fresh.onlineWriteBatch(cfg(p), view, rows(50, 5, 5000))).rejects.toMatchObject({ code: 'STORE_FAILED', kind: 'unreachable' });
      await node.start();
      await cluster.waitHealthy();
      await fresh.onlineWriteBatch(cfg(p), view, rows(50, 5, 5000));
      expect((await fresh.onlineRead(cfg(p), view, keys(50))).every(([, f]) => f?.n?.int64Val === 5n)).toBe(true);
      await fresh.teardown(cfg(p), [view], []);
    } finally {
      await fresh.close();
    }
  });
});
