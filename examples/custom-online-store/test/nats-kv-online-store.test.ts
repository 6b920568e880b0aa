/**
 * The store's own tests, next to the universal suite: its config schema, the
 * ways feature_store.yaml can name it, its KV layout, and its errors.
 */
import { randomBytes } from 'node:crypto';
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
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsKvOnlineStore, NatsKvOnlineStoreConfig } from '../src/index.js';
import { entityKvKey, viewToken } from '../src/keys.js';
import { decodeRow, encodeRow } from '../src/row-codec.js';
import { deleteBuckets } from './full-repo-configs.js';
import { acquireNats, natsAvailability, type NatsTarget } from './nats-server.js';

const repo = (dir: string) => fileURLToPath(new URL(dir, import.meta.url));
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
// Without NATS these tests are skipped (loudly, by full-repo-configs.ts), except in CI where they fail.
const natsMissing = (await natsAvailability()) === undefined && !inCI;

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({
  name: 'driver_stats',
  entities: [driver],
  schema: [new Field({ name: 'conv_rate', dtype: FeastType.Float32 }), new Field({ name: 'trips', dtype: FeastType.Int64 })],
});
const key = (id: number): EntityKeyProto => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: BigInt(id) }] });

function repoConfig(onlineStore: Record<string, unknown>, project = 'layout_test'): RepoConfig<NatsKvOnlineStoreConfig> {
  return {
    project,
    registry: '/dev/null',
    provider: 'local',
    onlineStore: NatsKvOnlineStoreConfig.parse({ type: 'test', ...onlineStore }),
    entityKeySerializationVersion: 3,
    repoPath: process.cwd(),
  };
}

describe('NatsKvOnlineStoreConfig', () => {
  it('fills in the defaults', () => {
    expect(NatsKvOnlineStoreConfig.parse({})).toEqual({
      type: 'feast-ts-nats-kv-online-store-example#NatsKvOnlineStore',
      url: 'nats://127.0.0.1:4222',
      bucket_prefix: 'feast_',
      timeout_ms: 5000,
    });
  });

  it('rejects an unknown key, a url that is not nats://, and a prefix NATS would not take', () => {
    expect(NatsKvOnlineStoreConfig.safeParse({ host: 'localhost' }).success).toBe(false);
    expect(NatsKvOnlineStoreConfig.safeParse({ url: 'redis://localhost' }).success).toBe(false);
    expect(NatsKvOnlineStoreConfig.safeParse({ bucket_prefix: 'feast.' }).success).toBe(false);
    expect(NatsKvOnlineStoreConfig.parse({ url: 'nats://a:4222,nats://b:4222' }).url).toBe('nats://a:4222,nats://b:4222');
  });
});

describe('feature_store.yaml names the store', () => {
  it.each([
    ['package#Export', '../feature_repo'],
    ["Feast's package.Export", './repos/dotted'],
    ['a local file', './repos/local-file'],
  ])('as %s', async (_form, dir) => {
    const { config, store } = await loadRepo(repo(dir), { env: {} });
    expect(store.exportName).toBe('NatsKvOnlineStore');
    expect(store.storeClass.name).toBe('NatsKvOnlineStore');
    expect(config.onlineStore).toMatchObject({ url: 'nats://127.0.0.1:4222' });
  });
});

describe('keys and values', () => {
  it('gives every view name a distinct key token made of legal characters', () => {
    const names = ['driver_stats', 'driver-stats', 'driver.stats', 'driver stats', 'driver=2estats', 'café', '>'];
    const tokens = names.map(viewToken);
    expect(new Set(tokens).size).toBe(names.length);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_=-]+$/);
    expect(viewToken('driver.stats')).toBe('driver=2estats');
  });

  it('keys an entity by its view and its Feast-serialized entity key, in base64url', () => {
    const k = entityKvKey('driver_stats', key(7), 3);
    expect(k).toBe(`driver_stats.${Buffer.from(serializeEntityKey(key(7), 3)).toString('base64url')}`);
    expect(k).toMatch(/^[A-Za-z0-9_=-]+\.[A-Za-z0-9_-]+$/);
  });

  it('round-trips a row, keeping only the wanted features, and refuses bytes it did not write', () => {
    const ts = new Date('1969-07-20T20:17:40.125Z'); // before 1970: a negative timestamp
    const bytes = encodeRow(ts, { a: { int64Val: -(2n ** 63n) }, b: { stringVal: 'ü' } });
    expect(decodeRow(bytes, new Set(['a', 'b', 'missing']))).toEqual([ts, { a: { int64Val: -(2n ** 63n) }, b: { stringVal: 'ü' } }]);
    expect(decodeRow(bytes, new Set(['b']))).toEqual([ts, { b: { stringVal: 'ü' } }]);
    expect(() => decodeRow(bytes.subarray(0, bytes.length - 1), new Set(['a']))).toThrow(/not a row this store wrote/);
    expect(() => decodeRow(new Uint8Array([7, 0, 0, 0, 0, 0, 0, 0, 0]), new Set())).toThrow(/format byte 7/);
  });
});

describe('when NATS is unreachable', () => {
  it('fails with an OnlineStoreError of kind "unreachable" that names the url', async () => {
    const store = new NatsKvOnlineStore();
    const config = repoConfig({ url: 'nats://127.0.0.1:1', timeout_ms: 500 });
    await expect(store.onlineRead(config, stats, [key(1)])).rejects.toMatchObject({
      code: 'STORE_FAILED',
      kind: 'unreachable',
      message: expect.stringContaining('nats://127.0.0.1:1'),
    });
    await store.close();
  });
});

describe.skipIf(natsMissing)('on NATS', () => {
  let nats: NatsTarget;
  let nc: NatsConnection;
  const prefix = `feasttest_${randomBytes(4).toString('hex')}_`;
  const store = new NatsKvOnlineStore();

  beforeAll(async () => {
    nats = await acquireNats();
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await store.close();
    await nc?.close();
    if (nats) await deleteBuckets(nats.url, prefix);
    await nats?.stop();
  });

  it('keeps one bucket per project and one key per (view, entity), whose value holds the row', async () => {
    const config = repoConfig({ url: nats.url, bucket_prefix: prefix });
    await store.update(config, [], [stats], [], [driver], false);
    const eventTs = new Date('2024-05-01T12:00:00.250Z');
    await store.onlineWriteBatch(config, stats, [[key(7), { conv_rate: { floatVal: 0.5 }, trips: { int64Val: 12n } }, eventTs, null]]);

    const kv = await new Kvm(nc).open(`${prefix}layout_test`);
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    expect(keys).toEqual([entityKvKey('driver_stats', key(7), 3)]);
    const entry = await kv.get(keys[0]!);
    expect(decodeRow(entry!.value, new Set(['trips', 'conv_rate']))).toEqual([eventTs, { conv_rate: { floatVal: 0.5 }, trips: { int64Val: 12n } }]);
    expect((await kv.status()).history).toBe(1);
  });

  it('writes nothing when one row of a batch is invalid', async () => {
    const config = repoConfig({ url: nats.url, bucket_prefix: prefix }, 'atomic_test');
    await store.update(config, [], [stats], [], [driver], false);
    const rows: OnlineWriteRow[] = [
      [key(1), { trips: { int64Val: 1n } }, new Date(), null],
      [{ joinKeys: ['driver_id'], entityValues: [{ doubleVal: 1.5 }] }, { trips: { int64Val: 2n } }, new Date(), null],
    ];
    await expect(store.onlineWriteBatch(config, stats, rows)).rejects.toMatchObject({ code: 'ENTITY_KEY_INVALID' });
    expect(await store.onlineRead(config, stats, [key(1)])).toEqual([[null, null]]);
  });

  it('refuses a row larger than the server takes, before writing any row of the call', async () => {
    const config = repoConfig({ url: nats.url, bucket_prefix: prefix }, 'too_large');
    await store.update(config, [], [stats], [], [driver], false);
    const rows: OnlineWriteRow[] = [
      [key(1), { trips: { int64Val: 1n } }, new Date(), null],
      [key(2), { trips: { bytesVal: new Uint8Array(nats.maxPayload) } }, new Date(), null],
    ];
    await expect(store.onlineWriteBatch(config, stats, rows)).rejects.toMatchObject({
      kind: 'value_too_large',
      message: expect.stringMatching(/Row 1 .*max_payload/),
    });
    expect(await store.onlineRead(config, stats, [key(1), key(2)])).toEqual([[null, null], [null, null]]);
  });

  it('says the bucket is missing, and to run apply, when a project was never applied', async () => {
    const config = repoConfig({ url: nats.url, bucket_prefix: prefix, timeout_ms: 1000 }, 'never_applied');
    await expect(store.onlineWriteBatch(config, stats, [[key(1), { trips: { int64Val: 1n } }, new Date(), null]])).rejects.toMatchObject({
      kind: 'table_missing',
      message: expect.stringMatching(/bucket "feasttest_\w+_never_applied" does not exist.*feast-ts apply/),
    });
    await expect(store.onlineRead(config, stats, [key(1)])).rejects.toMatchObject({ kind: 'table_missing' });
    // Tearing down what was never made is not an error.
    await expect(store.teardown(config, [stats], [driver])).resolves.toBeUndefined();
  });
});
