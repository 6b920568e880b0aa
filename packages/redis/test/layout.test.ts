/**
 * Feast compatibility, both ways, on a real Redis: hashes written by hand in
 * Feast's layout (keys, fields and bytes computed here from first principles
 * and from bytes Feast's own code made, never by the store's encoders) are
 * read by the store; what the store writes is checked byte for byte.
 */
import { readFileSync } from 'node:fs';
import { FeastType, type OnlineWriteRow, type RepoConfig } from '@feast-ts/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOnlineStore, type RedisOnlineStoreConfig } from '../src/index.js';
import { driverKey, rawClient, repoConfig, standaloneServer, statsView, TEST_DB, uniqueProject } from './helpers.js';
import { feastField } from './reference-murmur3.js';

const golden = JSON.parse(readFileSync(new URL('./fixtures/feast-golden-public.json', import.meta.url), 'utf8')) as {
  entity_keys: Array<{ name: string; version: number; hex: string }>;
  values: Array<{ name: string; hex: string }>;
};
const goldenValue = (name: string) => Buffer.from(golden.values.find((v) => v.name === name)!.hex, 'hex');
const goldenKey = (name: string, version = 3) => Buffer.from(golden.entity_keys.find((k) => k.name === name && k.version === version)!.hex, 'hex');

/** Feast's v3 serialized key of one INT64 join key, built byte by byte. */
function int64KeyBytes(joinKey: string, value: bigint): Buffer {
  const name = Buffer.from(joinKey, 'utf8');
  const out = Buffer.alloc(4 + 4 + 4 + name.length + 4 + 4 + 8);
  let p = out.writeUInt32LE(1, 0); // number of join keys
  p = out.writeUInt32LE(2, p); // ValueType.STRING, the join key's name
  p = out.writeUInt32LE(name.length, p);
  p += name.copy(out, p);
  p = out.writeUInt32LE(4, p); // ValueType.INT64
  p = out.writeUInt32LE(8, p);
  out.writeBigInt64LE(value, p);
  return out;
}

/** A Timestamp (seconds, nanos) as protobuf varints, by hand. */
function timestampBytes(seconds: number, nanos: number): Buffer {
  const varint = (v: number) => {
    const b: number[] = [];
    while (v >= 0x80) {
      b.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    b.push(v);
    return b;
  };
  return Buffer.from([...(seconds ? [0x08, ...varint(seconds)] : []), ...(nanos ? [0x10, ...varint(nanos)] : [])]);
}

/** A Value with string_val (field 2, length-delimited), by hand. */
function stringValueBytes(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([0x12, b.length]), b]);
}

const server = await standaloneServer();

describe.skipIf(!server)('Feast layout on Redis', () => {
  let raw: Redis;
  const store = new RedisOnlineStore();
  const cfg = (project: string, extra: Partial<RedisOnlineStoreConfig> = {}): RepoConfig<RedisOnlineStoreConfig> =>
    repoConfig(project, { connection_string: `${server!.connectionString},db=${TEST_DB}`, ...extra });
  const projects: string[] = [];
  const project = () => {
    const p = uniqueProject();
    projects.push(p);
    return p;
  };

  beforeAll(async () => {
    raw = rawClient(server!);
    await raw.connect();
  });
  afterAll(async () => {
    // Clean up whatever a failed test left behind: every key ending in one of this file's projects.
    for (const p of projects) {
      let cursor = '0';
      do {
        const [next, keys] = (await raw.callBuffer('SCAN', cursor, 'MATCH', `*${p}`, 'COUNT', '1000')) as [Buffer, Buffer[]];
        cursor = next.toString();
        if (keys.length) await raw.del(...keys);
      } while (cursor !== '0');
    }
    await store.close();
    raw.disconnect();
    await server!.stop();
  });

  it('reads a hash written by hand in Feast\'s layout (Feast -> feast-ts)', async () => {
    const p = project();
    const view = statsView('driver_hourly_stats', [['trips', FeastType.Int64], ['conv_rate', FeastType.Float64], ['name', FeastType.String], ['day', FeastType.UnixTimestamp]]);
    const key = Buffer.concat([goldenKey('single int64'), Buffer.from(p, 'utf8')]);
    expect(key.subarray(0, -p.length).equals(int64KeyBytes('driver_id', 1001n))).toBe(true);
    await raw.hset(key, feastField('driver_hourly_stats:trips'), goldenValue('int64'));
    await raw.hset(key, feastField('driver_hourly_stats:conv_rate'), goldenValue('double'));
    await raw.hset(key, feastField('driver_hourly_stats:name'), stringValueBytes('hello'));
    await raw.hset(key, feastField('driver_hourly_stats:day'), goldenValue('unix timestamp'));
    await raw.hset(key, '_ts:driver_hourly_stats', timestampBytes(1714564800, 250_000_000));
    // Another view's data in the same hash must not leak into this view's result.
    await raw.hset(key, feastField('other_view:trips'), goldenValue('int64'), '_ts:other_view', timestampBytes(5, 0));

    const [found, missing] = await store.onlineRead(cfg(p), view, [driverKey(1001), driverKey(1002)]);
    expect(found).toEqual([
      new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 250)),
      { trips: { int64Val: 1001n }, conv_rate: { doubleVal: 0.5 }, name: { stringVal: 'hello' }, day: { unixTimestampVal: 1700000000n } },
    ]);
    expect(missing).toEqual([null, null]);
    expect(await store.onlineRead(cfg(p), view, [driverKey(1001)], ['name'])).toEqual([[found![0], { name: { stringVal: 'hello' } }]]);
  });

  it('reads keys of every entity key type Feast serializes (golden bytes)', async () => {
    const p = project();
    const cases: Array<[string, import('@feast-ts/core').EntityKeyProto]> = [
      ['single string', { joinKeys: ['customer_id'], entityValues: [{ stringVal: 'abc-123' }] }],
      ['single int32', { joinKeys: ['store_id'], entityValues: [{ int32Val: 42 }] }],
      ['compound unsorted', { joinKeys: ['driver_id', 'customer_id'], entityValues: [{ int64Val: 5n }, { stringVal: 'c9' }] }],
      ['bytes', { joinKeys: ['blob_id'], entityValues: [{ bytesVal: Uint8Array.from([0, 255, 16]) }] }],
    ];
    const view = statsView('v', [['n', FeastType.Int64]]);
    for (const [name] of cases) {
      await raw.hset(Buffer.concat([goldenKey(name), Buffer.from(p)]), feastField('v:n'), goldenValue('int64'), '_ts:v', timestampBytes(1, 0));
    }
    const got = await store.onlineRead(cfg(p), view, cases.map(([, k]) => k));
    expect(got).toEqual(cases.map(() => [new Date(1000), { n: { int64Val: 1001n } }]));
  });

  it('writes exactly the bytes Feast writes (feast-ts -> Feast)', async () => {
    const p = project();
    const view = statsView('driver_hourly_stats', [['trips', FeastType.Int64], ['conv_rate', FeastType.Float64], ['name', FeastType.String]]);
    await store.onlineWriteBatch(cfg(p), view, [
      [driverKey(1001), { trips: { int64Val: 1001n }, conv_rate: { doubleVal: 0.5 }, name: { stringVal: 'hello' } }, new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 250)), null],
    ]);
    const key = Buffer.concat([int64KeyBytes('driver_id', 1001n), Buffer.from(p, 'utf8')]);
    const hash = await raw.hgetallBuffer(key);
    const asHex = Object.fromEntries(Object.entries(hash).map(([k, v]) => [Buffer.from(k, 'latin1').toString('hex'), v.toString('hex')]));
    // hgetallBuffer keys come back as strings; compare the raw field bytes through HKEYS too.
    const fields = (await raw.hkeysBuffer(key)).map((f) => f.toString('hex')).sort();
    const expected: Record<string, string> = {
      [feastField('driver_hourly_stats:trips').toString('hex')]: goldenValue('int64').toString('hex'),
      [feastField('driver_hourly_stats:conv_rate').toString('hex')]: goldenValue('double').toString('hex'),
      [feastField('driver_hourly_stats:name').toString('hex')]: goldenValue('string').toString('hex'),
      [Buffer.from('_ts:driver_hourly_stats').toString('hex')]: timestampBytes(1714564800, 250_000_000).toString('hex'),
    };
    expect(fields).toEqual(Object.keys(expected).sort());
    for (const f of fields) expect((await raw.hgetBuffer(key, Buffer.from(f, 'hex')))!.toString('hex')).toBe(expected[f]);
    expect(Object.keys(asHex)).toHaveLength(4);
    expect(await raw.ttl(key)).toBe(-1); // no key_ttl_seconds: no expiry
  });

  it('keeps several views of one entity in one hash, and teardown of one view leaves the other', async () => {
    const p = project();
    const a = statsView('view_a', [['x', FeastType.Int64]]);
    const b = statsView('view_b', [['y', FeastType.String]]);
    const key = Buffer.concat([int64KeyBytes('driver_id', 7n), Buffer.from(p)]);
    await store.onlineWriteBatch(cfg(p), a, [[driverKey(7), { x: { int64Val: 1n } }, new Date(1000), null]]);
    await store.onlineWriteBatch(cfg(p), b, [[driverKey(7), { y: { stringVal: 'b' } }, new Date(2000), null]]);
    expect(await raw.hlen(key)).toBe(4);
    expect(await store.onlineReadMany(cfg(p), [
      { table: a, entityKeys: [driverKey(7)] },
      { table: b, entityKeys: [driverKey(7), driverKey(8)] },
    ])).toEqual([[[new Date(1000), { x: { int64Val: 1n } }]], [[new Date(2000), { y: { stringVal: 'b' } }], [null, null]]]);

    await store.teardown(cfg(p), [a], []);
    const left = (await raw.hkeysBuffer(key)).map((f) => f.toString('hex')).sort();
    expect(left).toEqual([feastField('view_b:y').toString('hex'), Buffer.from('_ts:view_b').toString('hex')].sort());
    await store.teardown(cfg(p), [b], []);
    expect(await raw.exists(key)).toBe(0);
  });

  it('deletes only its own project, even when another project name ends with it', async () => {
    const p = project();
    const other = `x${p}`;
    projects.push(other);
    const view = statsView('v', [['n', FeastType.Int64]]);
    await store.onlineWriteBatch(cfg(p), view, [[driverKey(1), { n: { int64Val: 1n } }, new Date(1000), null]]);
    await store.onlineWriteBatch(cfg(other), view, [[driverKey(1), { n: { int64Val: 2n } }, new Date(1000), null]]);
    await store.teardown(cfg(p), [view], []);
    expect(await store.onlineRead(cfg(p), view, [driverKey(1)])).toEqual([[null, null]]);
    expect(await store.onlineRead(cfg(other), view, [driverKey(1)])).toEqual([[new Date(1000), { n: { int64Val: 2n } }]]);
    await store.teardown(cfg(other), [view], []);
  });

  it("follows Feast's write rule: an event time not newer than the stored one is skipped, unless skip_dedup", async () => {
    const p = project();
    const view = statsView('v', [['n', FeastType.Int64]]);
    const row = (id: number, n: number, ms: number): OnlineWriteRow => [driverKey(id), { n: { int64Val: BigInt(n) } }, new Date(ms), null];
    await store.onlineWriteBatch(cfg(p), view, [row(1, 1, 5000), row(2, 1, 0)]);
    let calls = 0;
    await store.onlineWriteBatch(cfg(p), view, [row(1, 2, 4000), row(1, 3, 5000), row(2, 2, 1), row(3, 9, 9000), row(3, 8, 8000)], (n) => (calls += n));
    expect(calls).toBe(5); // skipped rows count as done
    expect(await store.onlineRead(cfg(p), view, [driverKey(1), driverKey(2), driverKey(3)])).toEqual([
      [new Date(5000), { n: { int64Val: 1n } }], // older and equal rows skipped
      [new Date(1), { n: { int64Val: 2n } }], // a stored time of 0 (the epoch) never blocks, as in Feast
      [new Date(9000), { n: { int64Val: 9n } }], // the newer row of the batch, though it came first
    ]);
    await store.onlineWriteBatch(cfg(p, { skip_dedup: true }), view, [row(1, 4, 10), row(3, 7, 1), row(3, 6, 2)]);
    expect(await store.onlineRead(cfg(p), view, [driverKey(1), driverKey(3)])).toEqual([
      [new Date(10), { n: { int64Val: 4n } }],
      [new Date(2), { n: { int64Val: 6n } }], // last write wins
    ]);
    await store.teardown(cfg(p), [view], []);
  });

  it('sets EXPIRE on every written key with key_ttl_seconds', async () => {
    const p = project();
    const view = statsView('v', [['n', FeastType.Int64]]);
    await store.onlineWriteBatch(cfg(p, { key_ttl_seconds: 300 }), view, [1, 2].map((i): OnlineWriteRow => [driverKey(i), { n: { int64Val: 1n } }, new Date(1000), null]));
    for (const i of [1n, 2n]) {
      const ttl = await raw.ttl(Buffer.concat([int64KeyBytes('driver_id', i), Buffer.from(p)]));
      expect(ttl).toBeGreaterThan(290);
      expect(ttl).toBeLessThanOrEqual(300);
    }
    await store.teardown(cfg(p), [view], []);
  });

  it('update creates nothing, and deletes removed views only with full_scan_for_deletion', async () => {
    const p = project();
    const view = statsView('v', [['n', FeastType.Int64]]);
    await store.update(cfg(p), [], [view], [], [], true);
    expect(await store.onlineRead(cfg(p), view, [driverKey(1)])).toEqual([[null, null]]);
    let cursor = '0';
    let found = 0;
    do {
      const [next, keys] = (await raw.callBuffer('SCAN', cursor, 'MATCH', `*${p}`, 'COUNT', '1000')) as [Buffer, Buffer[]];
      cursor = next.toString();
      found += keys.length;
    } while (cursor !== '0');
    expect(found).toBe(0);
    await store.onlineWriteBatch(cfg(p), view, [[driverKey(1), { n: { int64Val: 1n } }, new Date(1000), null]]);
    await store.update(cfg(p, { full_scan_for_deletion: false }), [view], [], [], [], true);
    expect((await store.onlineRead(cfg(p), view, [driverKey(1)]))[0]![1]).not.toBeNull();
    await store.update(cfg(p), [view], [], [], [], true);
    expect(await store.onlineRead(cfg(p), view, [driverKey(1)])).toEqual([[null, null]]);
  });

  it('rejects a bad value before sending anything', async () => {
    const p = project();
    const view = statsView('v', [['n', FeastType.Int64]]);
    await expect(
      store.onlineWriteBatch(cfg(p), view, [
        [driverKey(1), { n: { int64Val: 1n } }, new Date(1000), null],
        [driverKey(2), { n: { int64Val: 1 as unknown as bigint } }, new Date(1000), null],
      ]),
    ).rejects.toMatchObject({ code: 'VALUE_INVALID', message: expect.stringMatching(/row 1, feature "n".*Nothing of this call was written/) });
    expect(await store.onlineRead(cfg(p), view, [driverKey(1)])).toEqual([[null, null]]);
  });
});
