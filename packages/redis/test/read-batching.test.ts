/**
 * How many commands a read costs, counted by the server (INFO commandstats on
 * a throwaway redis-server of this file's own): one HMGET per distinct
 * entity key, even across several views of that entity read through
 * FeatureStore.getOnlineFeatures.
 */
import { mkdtempSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeastType, FeatureStore } from '@feast-ts/core';
import { startRedisServer, type RedisTestServer } from '@feast-ts/test-servers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisOnlineStore } from '../src/index.js';
import { driverKey, repoConfig, statsView, throwawayServersAvailable, uniqueProject } from './helpers.js';

const available = throwawayServersAvailable('Redis read batching tests');

async function calls(server: RedisTestServer, command: string): Promise<number> {
  const line = (await server.cli('INFO', 'commandstats')).split(/\r?\n/).find((l) => l.startsWith(`cmdstat_${command}:`));
  return Number(/calls=(\d+)/.exec(line ?? '')?.[1] ?? 0);
}

describe.skipIf(!available)('read batching', () => {
  let server: RedisTestServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  it('reads several views of the same entities with one HMGET per entity, through FeatureStore', async () => {
    const a = statsView('view_a', [['x', FeastType.Int64]]);
    const b = statsView('view_b', [['y', FeastType.String], ['z', FeastType.Float64]]);
    const config = { ...repoConfig(uniqueProject(), { connection_string: server.connectionString }), registry: path.join(mkdtempSync(path.join(tmpdir(), 'feast-redis-fs-')), 'registry.db') };
    const fs = new FeatureStore(config, new RedisOnlineStore());
    try {
      await fs.apply([a, b]);
      const ts = new Date(Date.UTC(2024, 0, 1));
      await fs.writeToOnlineStore('view_a', [1, 2, 3].map((i) => ({ driver_id: BigInt(i), x: BigInt(i * 10), event_timestamp: ts })));
      await fs.writeToOnlineStore('view_b', [1, 2].map((i) => ({ driver_id: BigInt(i), y: `y${i}`, z: i / 2, event_timestamp: ts })));
      const before = await calls(server, 'hmget');
      const out = await fs.getOnlineFeatures({
        features: ['view_a:x', 'view_b:y', 'view_b:z'],
        entityRows: [{ driver_id: 1n }, { driver_id: 2n }, { driver_id: 3n }, { driver_id: 1n }],
      }).then((r) => r.toDict());
      expect(out).toEqual({ driver_id: [1n, 2n, 3n, 1n], x: [10n, 20n, 30n, 10n], y: ['y1', 'y2', null, 'y1'], z: [0.5, 1, null, 0.5] });
      expect((await calls(server, 'hmget')) - before).toBe(3); // three distinct entities, two views each
    } finally {
      await fs.teardown();
      await fs.close();
    }
    expect(Number(await server.cli('DBSIZE'))).toBe(0);
  });

  it('sends the reads of concurrent requests in one socket write', async () => {
    const a = statsView('burst_a', [['x', FeastType.Int64]]);
    const config = { ...repoConfig(uniqueProject(), { connection_string: server.connectionString }), registry: path.join(mkdtempSync(path.join(tmpdir(), 'feast-redis-fs-')), 'registry.db') };
    const fs = new FeatureStore(config, new RedisOnlineStore());
    try {
      await fs.apply([a]);
      const ts = new Date(Date.UTC(2024, 0, 1));
      await fs.writeToOnlineStore('burst_a', Array.from({ length: 20 }, (_, i) => ({ driver_id: BigInt(i), x: BigInt(i * 10), event_timestamp: ts })));
      await fs.getOnlineFeatures({ features: ['burst_a:x'], entityRows: [{ driver_id: 0n }] }); // connected, plan warm
      // Every write this process makes to a socket from here on (this file's only client is the store's).
      const socketWrites = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
      const write = vi.spyOn(socketWrites, '_write');
      const writev = vi.spyOn(socketWrites, '_writev');
      const before = await calls(server, 'hmget');
      try {
        const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => fs.getOnlineFeatures({ features: ['burst_a:x'], entityRows: [{ driver_id: BigInt(i) }] })));
        expect(outs.map((o) => o.toDict().x)).toEqual(Array.from({ length: 20 }, (_, i) => [BigInt(i * 10)]));
        expect(write.mock.calls.length + writev.mock.calls.length).toBe(1);
        // Reads of several entities (a pipeline each) as well.
        const pairs = await Promise.all(Array.from({ length: 10 }, (_, i) => fs.getOnlineFeatures({ features: ['burst_a:x'], entityRows: [{ driver_id: BigInt(2 * i) }, { driver_id: BigInt(2 * i + 1) }] })));
        expect(pairs.map((o) => o.toDict().x)).toEqual(Array.from({ length: 10 }, (_, i) => [BigInt(20 * i), BigInt(20 * i + 10)]));
        expect(write.mock.calls.length + writev.mock.calls.length).toBe(2);
      } finally {
        write.mockRestore();
        writev.mockRestore();
      }
      expect((await calls(server, 'hmget')) - before).toBe(40);
    } finally {
      await fs.teardown();
      await fs.close();
    }
  });

  it('reads afresh a feature list its caller changed in place between two reads', async () => {
    const a = statsView('mut_a', [['x', FeastType.Int64], ['y', FeastType.String]]);
    const config = repoConfig(uniqueProject(), { connection_string: server.connectionString });
    const store = new RedisOnlineStore();
    try {
      await store.update(config, [], [a], [], [], false);
      const ts = new Date(Date.UTC(2024, 0, 1));
      await store.onlineWriteBatch(config, a, [[driverKey(1n), { x: { int64Val: 10n }, y: { stringVal: 'why' } }, ts, null]]);
      const features = ['x'];
      expect((await store.onlineRead(config, a, [driverKey(1n)], features))[0]![1]).toEqual({ x: { int64Val: 10n } });
      features[0] = 'y';
      expect((await store.onlineRead(config, a, [driverKey(1n)], features))[0]![1]).toEqual({ y: { stringVal: 'why' } });
      await store.teardown(config, [a], []);
    } finally {
      await store.close();
    }
  });

  it('reads one entity (several views, a key given twice) with one HMGET, and a feature named __proto__ as an own field', async () => {
    const a = statsView('one_a', [['__proto__', FeastType.Int64], ['constructor', FeastType.String]]);
    const b = statsView('one_b', [['w', FeastType.Float64]]);
    const config = { ...repoConfig(uniqueProject(), { connection_string: server.connectionString }), registry: path.join(mkdtempSync(path.join(tmpdir(), 'feast-redis-fs-')), 'registry.db') };
    const fs = new FeatureStore(config, new RedisOnlineStore());
    try {
      await fs.apply([a, b]);
      const ts = new Date(Date.UTC(2024, 0, 1));
      await fs.writeToOnlineStore('one_a', [{ driver_id: 7n, ['__proto__']: 70n, constructor: 'c', event_timestamp: ts } as Record<string, unknown>]);
      await fs.writeToOnlineStore('one_b', [{ driver_id: 7n, w: 0.25, event_timestamp: ts }]);
      const before = await calls(server, 'hmget');
      const out = (await fs.getOnlineFeatures({ features: ['one_a:__proto__', 'one_a:constructor', 'one_b:w'], entityRows: [{ driver_id: 7n }, { driver_id: 7n }] })).toDict();
      expect(Object.keys(out)).toEqual(['driver_id', '__proto__', 'constructor', 'w']);
      expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual([70n, 70n]);
      expect(out.constructor).toEqual(['c', 'c']);
      expect(out.w).toEqual([0.25, 0.25]);
      expect((await calls(server, 'hmget')) - before).toBe(1);
      // The store's own record: __proto__ an own field, the record's prototype untouched.
      const record = (await fs.onlineStore.onlineRead(config, a, [driverKey(7n)]))[0]?.[1];
      expect(Object.keys(record!)).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      const missing = await fs.getOnlineFeatures({ features: ['one_b:w'], entityRows: [{ driver_id: 8n }] });
      expect(missing.toDict()).toEqual({ driver_id: [8n], w: [null] });
    } finally {
      await fs.teardown();
      await fs.close();
    }
  });

  it('writes with one HGET per distinct key and one HSET per newer row', async () => {
    const view = statsView('v', [['n', FeastType.Int64]]);
    const cfg = repoConfig(uniqueProject(), { connection_string: server.connectionString });
    const store = new RedisOnlineStore();
    try {
      const [hget0, hset0] = [await calls(server, 'hget'), await calls(server, 'hset')];
      await store.onlineWriteBatch(cfg, view, [1, 2, 3, 1].map((i, j) => [driverKey(i), { n: { int64Val: BigInt(j) } }, new Date(1000 + j), null]));
      expect((await calls(server, 'hget')) - hget0).toBe(3);
      expect((await calls(server, 'hset')) - hset0).toBe(3);
      expect((await store.onlineRead(cfg, view, [driverKey(1)]))[0]).toEqual([new Date(1003), { n: { int64Val: 3n } }]);
      await store.teardown(cfg, [view], []);
    } finally {
      await store.close();
    }
  });
});
