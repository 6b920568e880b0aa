/**
 * The store's own tests, next to the universal suite: its config schema, the
 * ways feature_store.yaml can name it, its Redis layout, and its errors.
 */
import { fileURLToPath } from 'node:url';
import {
  Entity,
  FeastType,
  FeatureView,
  Field,
  loadRepo,
  serializeEntityKey,
  ValueProto,
  ValueType,
  type EntityKeyProto,
  type OnlineWriteRow,
  type RepoConfig,
} from '@feast-ts/core';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOnlineStore, RedisOnlineStoreConfig } from '../src/index.js';
import { acquireRedis, redisAvailability, type RedisTarget } from './redis-server.js';

const repo = (dir: string) => fileURLToPath(new URL(dir, import.meta.url));
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
// Without Redis these tests are skipped (loudly, by full-repo-configs.ts), except in CI where they fail.
const redisMissing = (await redisAvailability()) === undefined && !inCI;

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({
  name: 'driver_stats',
  entities: [driver],
  schema: [new Field({ name: 'conv_rate', dtype: FeastType.Float32 }), new Field({ name: 'trips', dtype: FeastType.Int64 })],
});
const key = (id: number): EntityKeyProto => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: BigInt(id) }] });

function repoConfig(onlineStore: Record<string, unknown>, project = 'layout_test'): RepoConfig<RedisOnlineStoreConfig> {
  return {
    project,
    registry: '/dev/null',
    provider: 'local',
    onlineStore: RedisOnlineStoreConfig.parse({ type: 'test', ...onlineStore }),
    entityKeySerializationVersion: 3,
    repoPath: process.cwd(),
  };
}

describe('RedisOnlineStoreConfig', () => {
  it('fills in the defaults', () => {
    expect(RedisOnlineStoreConfig.parse({})).toEqual({
      type: 'feast-ts-redis-online-store-example#RedisOnlineStore',
      url: 'redis://127.0.0.1:6379',
      key_prefix: 'feast:',
      connect_timeout_ms: 5000,
    });
  });

  it('rejects an unknown key and a url that is not redis://', () => {
    expect(RedisOnlineStoreConfig.safeParse({ host: 'localhost' }).success).toBe(false);
    expect(RedisOnlineStoreConfig.safeParse({ url: 'http://localhost' }).success).toBe(false);
  });
});

describe('feature_store.yaml names the store', () => {
  it.each([
    ['package#Export', '../feature_repo'],
    ["Feast's package.Export", './repos/dotted'],
    ['a local file', './repos/local-file'],
  ])('as %s', async (_form, dir) => {
    const { config, store } = await loadRepo(repo(dir), { env: {} });
    expect(store.exportName).toBe('RedisOnlineStore');
    expect(store.storeClass.name).toBe('RedisOnlineStore');
    expect(config.onlineStore).toMatchObject({ url: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:6379/) });
  });
});

describe('when Redis is unreachable', () => {
  it('fails with an OnlineStoreError of kind "unreachable" that names the url', async () => {
    const store = new RedisOnlineStore();
    const config = repoConfig({ url: 'redis://127.0.0.1:1', connect_timeout_ms: 500 });
    await expect(store.onlineRead(config, stats, [key(1)])).rejects.toMatchObject({
      code: 'STORE_FAILED',
      kind: 'unreachable',
      message: expect.stringContaining('redis://127.0.0.1:1'),
    });
    await store.close();
  });
});

describe.skipIf(redisMissing)('on Redis', () => {
  let redis: RedisTarget;
  let raw: ReturnType<typeof rawClient>;
  const prefix = `feast-test:${process.pid}:${Date.now()}:`;
  const store = new RedisOnlineStore();
  const rawClient = (url: string) => createClient({ url, RESP: 2 }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });

  beforeAll(async () => {
    redis = await acquireRedis();
    raw = rawClient(redis.url);
    await raw.connect();
  });
  afterAll(async () => {
    await store.close();
    if (raw?.isOpen) {
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length > 0) await raw.del(keys);
      raw.destroy();
    }
    await redis?.stop();
  });

  it('keeps one hash per entity, with <view>:<feature> and _ts:<view> fields', async () => {
    const config = repoConfig({ url: redis.url, key_prefix: prefix });
    const eventTs = new Date('2024-05-01T12:00:00.250Z');
    await store.onlineWriteBatch(config, stats, [[key(7), { conv_rate: { floatVal: 0.5 }, trips: { int64Val: 12n } }, eventTs, null]]);

    const redisKey = Buffer.concat([Buffer.from(`${prefix}layout_test:`), serializeEntityKey(key(7), 3)]);
    const hash = await raw.hGetAll(redisKey);
    expect(Object.keys(hash).sort()).toEqual(['_ts:driver_stats', 'driver_stats:conv_rate', 'driver_stats:trips']);
    expect(String(hash['_ts:driver_stats'])).toBe(String(eventTs.getTime()));
    expect(ValueProto.decode(hash['driver_stats:trips']!)).toEqual({ int64Val: 12n });
  });

  it('writes nothing when one row of a batch is invalid', async () => {
    const config = repoConfig({ url: redis.url, key_prefix: prefix }, 'atomic_test');
    const rows: OnlineWriteRow[] = [
      [key(1), { trips: { int64Val: 1n } }, new Date(), null],
      [{ joinKeys: ['driver_id'], entityValues: [{ doubleVal: 1.5 }] }, { trips: { int64Val: 2n } }, new Date(), null],
    ];
    await expect(store.onlineWriteBatch(config, stats, rows)).rejects.toMatchObject({ code: 'ENTITY_KEY_INVALID' });
    expect(await store.onlineRead(config, stats, [key(1)])).toEqual([[null, null]]);
  });
});
