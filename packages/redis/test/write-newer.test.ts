/**
 * Feast's newest-wins rule as the write script applies it on the server:
 * the stored `_ts:<view>` in every form protobuf can write (negative seconds
 * as 10-byte varints, nanos only, unknown fields, zero), compared with the
 * row's event time, and a stored field that is no Timestamp at all.
 */
import { randomBytes } from 'node:crypto';
import { FeastType, serializeEntityKey, type RepoConfig } from '@feast-ts/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOnlineStore, type RedisOnlineStoreConfig } from '../src/index.js';
import { driverKey, rawClient, repoConfig, standaloneServer, statsView, TEST_DB } from './helpers.js';

/** protobuf's varint of a 64-bit two's complement integer, by hand. */
function varint(v: bigint): number[] {
  let u = BigInt.asUintN(64, v);
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return out;
}
const ts = (seconds: bigint, nanos = 0n, extra: number[] = []) =>
  Buffer.from([...(seconds ? [0x08, ...varint(seconds)] : []), ...(nanos ? [0x10, ...varint(nanos)] : []), ...extra]);

const server = await standaloneServer();

describe.skipIf(!server)('newest-wins writes on Redis (the write script)', () => {
  let raw: Redis;
  const store = new RedisOnlineStore();
  const project = `wn_${randomBytes(3).toString('hex')}`;
  const view = statsView('wn_view');
  const config: RepoConfig<RedisOnlineStoreConfig> = repoConfig(project, { connection_string: `${server!.connectionString},db=${TEST_DB}` });
  const hashKey = (id: number) => Buffer.concat([Buffer.from(serializeEntityKey(driverKey(id), 3)), Buffer.from(project)]);
  let nextId = 1;

  beforeAll(async () => {
    raw = rawClient(server!);
    await raw.connect();
  });
  afterAll(async () => {
    await store.teardown(config, [view], []);
    await store.close();
    for (let id = 1; id < nextId; id++) await raw.del(hashKey(id));
    raw.disconnect();
    await server!.stop();
  });

  /** Stores `stored` as the hash's `_ts:<view>`, writes a row at `eventTs`, and says whether it was written. */
  async function written(stored: Buffer, eventTs: Date): Promise<boolean> {
    const id = nextId++;
    await raw.hset(hashKey(id), `_ts:${view.name}`, stored);
    await store.onlineWriteBatch(config, view, [[driverKey(id), { trips: { int64Val: 7n } }, eventTs, null]]);
    const after = await raw.hgetBuffer(hashKey(id), `_ts:${view.name}`);
    return !after!.equals(stored);
  }

  it.each([
    ['an older stored time', ts(1_700_000_000n), new Date(1_700_000_001_000), true],
    ['the same time', ts(1_700_000_000n, 250_000_000n), new Date(1_700_000_000_250), false],
    ['a newer stored time', ts(1_700_000_000n), new Date(1_699_999_999_999), false],
    ['the same second, fewer nanos stored', ts(1_700_000_000n, 249_999_999n), new Date(1_700_000_000_250), true],
    ['the same second, more nanos stored', ts(1_700_000_000n, 250_000_001n), new Date(1_700_000_000_250), false],
    ['a negative stored time (10-byte varint), row after it', ts(-86_400n), new Date(-86_399_000), true],
    ['a negative stored time, row before it', ts(-86_400n), new Date(-86_401_000), false],
    ['a negative stored time, row at it', ts(-1n, 500_000_000n), new Date(-500), false],
    ['nanos only stored', ts(0n, 5_000_000n), new Date(4), false],
    ['unknown fields after the Timestamp', ts(1_700_000_000n, 0n, [0x1a, 0x02, 0x41, 0x42, 0x20, 0x05]), new Date(1_699_999_000_000), false],
    ['a zero Timestamp (empty bytes): any row wins', Buffer.alloc(0), new Date(-5_000_000_000), true],
    ['a zero Timestamp (explicit zeros): any row wins', Buffer.from([0x08, 0x00, 0x10, 0x00]), new Date(-5_000_000_000), true],
  ])('%s', async (_what, stored, eventTs, expected) => {
    expect(await written(stored, eventTs)).toBe(expected);
  });

  it('writes every feature of a row that wins, and the TTL with key_ttl_seconds', async () => {
    const id = nextId++;
    const ttlConfig = repoConfig(project, { connection_string: `${server!.connectionString},db=${TEST_DB}`, key_ttl_seconds: 600 });
    await store.onlineWriteBatch(ttlConfig, view, [[driverKey(id), { trips: { int64Val: 3n }, label: { stringVal: 'x' } }, new Date(1_000), null]]);
    const [read] = await store.onlineRead(ttlConfig, view, [driverKey(id)]);
    expect(read).toEqual([new Date(1_000), { trips: { int64Val: 3n }, label: { stringVal: 'x' } }]);
    const ttl = await raw.ttl(hashKey(id));
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('writes rows wider than one Lua unpack, and batches split over several script calls, with the same rule', async () => {
    const wide = statsView('wn_wide', Array.from({ length: 2500 }, (_, i): [string, typeof FeastType.Int64] => [`f${i}`, FeastType.Int64]));
    const row = (id: number, n: bigint, at: number) => [driverKey(id), Object.fromEntries(wide.features.map((f) => [f.name, { int64Val: n }])), new Date(at), null] as const;
    const ids = Array.from({ length: 45 }, () => nextId++); // 45 x (4 + 5000) arguments: two script calls
    await store.onlineWriteBatch(config, wide, ids.map((id) => [...row(id, 1n, 2_000)]));
    // A second batch: older rows for the first half (skipped), newer ones for the rest (written).
    await store.onlineWriteBatch(config, wide, ids.map((id, i) => [...row(id, 2n, i < 20 ? 1_000 : 3_000)]));
    const read = await store.onlineRead(config, wide, ids.map(driverKey), ['f0', 'f2499']);
    read.forEach(([at, values], i) => {
      const n = i < 20 ? 1n : 2n;
      expect([at, values]).toEqual([new Date(i < 20 ? 2_000 : 3_000), { f0: { int64Val: n }, f2499: { int64Val: n } }]);
    });
    await store.teardown(config, [wide], []);
  });

  it('fails with ValueConversionError on a stored _ts that is not a Timestamp, leaving that hash as it is', async () => {
    const id = nextId++;
    const garbage = Buffer.from([0x08, 0xff]); // a varint cut short
    await raw.hset(hashKey(id), `_ts:${view.name}`, garbage);
    await expect(store.onlineWriteBatch(config, view, [[driverKey(id), { trips: { int64Val: 1n } }, new Date(), null]])).rejects.toMatchObject({
      code: 'VALUE_INVALID',
      message: expect.stringMatching(/wn_view.*google\.protobuf\.Timestamp.*truncated varint/),
    });
    expect(await raw.hgetallBuffer(hashKey(id))).toEqual({ [`_ts:${view.name}`]: garbage });
  });
});
