import { describe, expect, it } from 'vitest';
import {
  DriverOnlineStore,
  Entity,
  FeastType,
  FeatureView,
  Field,
  MemoryOnlineStore,
  OnlineStoreError,
  ValueProto,
  ValueType,
  dropMemoryDatabase,
  encodeWrite,
  epochSeconds,
  type EncodedWrite,
  type EntityKeyProto,
  type FetchRequest,
  type FetchSink,
  type MemoryOnlineStoreConfig,
  type OnlineWriteRow,
  type RepoConfig,
  type StoreDriver,
} from '../src/index.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const view = new FeatureView({
  name: 'stats',
  entities: [driver],
  schema: [new Field({ name: 'a', dtype: FeastType.Float64 }), new Field({ name: 'b', dtype: FeastType.Int64 })],
});
const key = (id: number): EntityKeyProto => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: BigInt(id) }] });
const at = (s: number): Date => new Date(s * 1000);
const configOf = (database: string, write_semantics?: 'newest-event-wins'): RepoConfig<MemoryOnlineStoreConfig> => ({
  project: 'p',
  registry: 'r',
  provider: 'local',
  onlineStore: { type: 'memory', database, write_semantics },
  entityKeySerializationVersion: 3,
  repoPath: '/nowhere',
});

describe('the row pipeline, through the reference MemoryOnlineStore', () => {
  it('aligns results with the input keys, duplicates included, each with its own features object', async () => {
    const store = new MemoryOnlineStore();
    const config = configOf('align');
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[key(1), { a: { doubleVal: 1.5 } }, at(10), null], [key(2), { b: { int64Val: 2n } }, at(20), null]]);
    const out = await store.onlineRead(config, view, [key(2), key(9), key(1), key(2)]);
    expect(out).toEqual([[at(20), { b: { int64Val: 2n } }], [null, null], [at(10), { a: { doubleVal: 1.5 } }], [at(20), { b: { int64Val: 2n } }]]);
    expect(out[0]![1]).not.toBe(out[3]![1]);
    dropMemoryDatabase('align');
  });

  it('returns only the requested features, with the latest event time among them', async () => {
    const store = new MemoryOnlineStore();
    const config = configOf('filter');
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[key(1), { a: { doubleVal: 1 } }, at(10), null]]);
    await store.onlineWriteBatch(config, view, [[key(1), { b: { int64Val: 5n } }, at(30), null]]);
    expect(await store.onlineRead(config, view, [key(1)], ['a'])).toEqual([[at(10), { a: { doubleVal: 1 } }]]);
    expect(await store.onlineRead(config, view, [key(1)], ['a', 'b', 'a'])).toEqual([[at(30), { a: { doubleVal: 1 }, b: { int64Val: 5n } }]]);
    expect(await store.onlineRead(config, view, [key(1)], [])).toEqual([[null, null]]);
    dropMemoryDatabase('filter');
  });

  it('writes nothing when a row is bad, and names the row, view and feature', async () => {
    const store = new MemoryOnlineStore();
    const config = configOf('bad');
    await store.update(config, [], [view], [], [], false);
    const good: OnlineWriteRow = [key(1), { a: { doubleVal: 1 } }, at(1), null];
    await expect(store.onlineWriteBatch(config, view, [good, [key(2), { a: { doubleVal: 'x' as unknown as number } }, at(1), null]])).rejects.toThrow(
      /^Row 1 written to feature view "stats", feature "a": /,
    );
    await expect(store.onlineWriteBatch(config, view, [good, good, [key(3), {}, new Date(Number.NaN), null]])).rejects.toThrow(
      /Row 2 written to feature view "stats": the event timestamp must be a valid Date, got an invalid Date/,
    );
    expect(store.storedTable(config, view)!.size).toBe(0);
    dropMemoryDatabase('bad');
  });

  it("holds rows to the driver's limits before the driver sees them", async () => {
    const store = new MemoryOnlineStore({
      limits: { timestamps: { minMs: 1000, maxMs: (2 ** 31 - 1) * 1000 + 999, description: '1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC', reason: 'TIMESTAMP' } },
    });
    const config = configOf('limits');
    await store.update(config, [], [view], [], [], false);
    const write = store.onlineWriteBatch(config, view, [[key(1), { a: { doubleVal: 1 } }, at(1), null], [key(2), { a: { doubleVal: 1 } }, new Date('2040-01-01T00:00:00Z'), null]]);
    await expect(write).rejects.toThrow(/Row 1 written to feature view "stats": the event timestamp 2040-01-01T00:00:00.000Z is outside what the store can hold, .*2038-01-19 03:14:07 UTC \(TIMESTAMP\)\. Nothing of this call was written/);
    expect(store.storedTable(config, view)!.size).toBe(0);
    dropMemoryDatabase('limits');
  });

  it('reports progress in input rows that add up to the rows given', async () => {
    const store = new MemoryOnlineStore();
    const config = configOf('progress');
    await store.update(config, [], [view], [], [], false);
    const counts: number[] = [];
    await store.onlineWriteBatch(config, view, [[key(1), {}, at(1), null], [key(2), { a: { doubleVal: 1 }, b: { int64Val: 1n } }, at(1), null], [key(3), {}, at(1), null]], (n) => counts.push(n));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
    dropMemoryDatabase('progress');
  });

  it('under newest-event-wins skips a row not newer than the stored one, also within a batch', async () => {
    const store = new MemoryOnlineStore();
    const config = configOf('newest', 'newest-event-wins');
    expect(store.writeSemantics(config)).toBe('newest-event-wins');
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[key(1), { a: { doubleVal: 2 } }, at(20), null], [key(1), { a: { doubleVal: 1 } }, at(10), null]]);
    await store.onlineWriteBatch(config, view, [[key(1), { a: { doubleVal: 3 } }, at(20), null]]);
    expect(await store.onlineRead(config, view, [key(1)])).toEqual([[at(20), { a: { doubleVal: 2 } }]]);
    dropMemoryDatabase('newest');
  });

  it('fails a write or read of a table that update never created', async () => {
    const store = new MemoryOnlineStore();
    const config = configOf('missing');
    await expect(store.onlineRead(config, view, [key(1)])).rejects.toMatchObject({ kind: 'table_missing' });
  });
});

describe('encodeWrite', () => {
  const rows: OnlineWriteRow[] = [
    [key(2), { b: { int64Val: 1n }, a: { doubleVal: 1 } }, at(5), null],
    [key(1), { a: { doubleVal: 2 } }, at(6), at(7)],
    [key(2), { a: { doubleVal: 3 } }, at(8), null],
  ];

  it('merged order: by key, one cell per (key, feature) from the last row that has it, features by name', () => {
    const w = encodeWrite(view, rows, 3, { order: 'merged' });
    const cells = Array.from({ length: w.cellCount }, (_, c) => [w.cellRow[c], w.cellFeature[c], ValueProto.decode(w.cellValue[c]!)]);
    // Key 1 (0x..01) sorts before key 2.
    expect(cells).toEqual([[1, 'a', { doubleVal: 2 }], [2, 'a', { doubleVal: 3 }], [0, 'b', { int64Val: 1n }]]);
    expect([...w.rowsDoneAt]).toEqual([1, 1, 3]);
    expect(w.rowCreatedMs[1]).toBe(7000);
    expect(Number.isNaN(w.rowCreatedMs[0]!)).toBe(true);
  });

  it('key order keeps every cell, rows of one key in input order', () => {
    const w = encodeWrite(view, rows, 3, { order: 'key', valueText: true });
    expect([...w.cellRow]).toEqual([1, 0, 0, 2]);
    expect(w.cellText).toEqual(['2.0', '1', '1.0', '3.0']);
  });

  it("seconds are Feast's: the fraction dropped toward zero", () => {
    expect(epochSeconds(1999)).toBe(1);
    expect(epochSeconds(-1500)).toBe(-1);
  });
});

describe('what a driver returns is checked', () => {
  class LyingDriver implements StoreDriver {
    constructor(private readonly answer: (sink: FetchSink) => void) {}
    ensureTables(): void {}
    dropTables(): void {}
    upsert(_c: unknown, _v: unknown, _w: EncodedWrite): void {}
    fetch(_c: unknown, _v: unknown, _r: FetchRequest, sink: FetchSink): void {
      this.answer(sink);
    }
    classify(err: unknown): unknown {
      return err;
    }
    close(): void {}
  }
  class LyingOnlineStore extends DriverOnlineStore {}
  const config = { ...configOf('x'), onlineStore: { type: 'x' } };

  it.each<[string, (sink: FetchSink) => void, RegExp]>([
    ['a key index the read never asked for', (s) => s.row(5, 'a', null, null), /returned a row for feature "a" of entity key #5, but the read asked for keys #0 to #0/],
    ['an event time that is no number', (s) => s.row(0, 'a', null, Number.NaN), /returned the event time NaN for feature "a"/],
    ['bytes that are no Value', (s) => s.row(0, 'a', new Uint8Array([0xff, 0xff]), 1), /Feature "a" of feature view "stats"/],
    ['a range past the end of its buffer', (s) => s.rowIn(0, 'a', Buffer.alloc(9), 2, 11, 1), /handed the value of feature "a" as the range \[2, 11\) of 9 bytes.*bug in the store's driver/],
    ['a range that ends before it starts', (s) => s.rowIn(0, 'a', Buffer.alloc(9), 5, 4, 1), /as the range \[5, 4\) of 9 bytes/],
    ['a range not of whole bytes', (s) => s.rowIn(0, 'a', Buffer.alloc(9), 0.5, 4, 1), /as the range \[0.5, 4\)/],
    ['a range of bytes that are no Value', (s) => s.rowIn(0, 'a', Buffer.from([1, 0xff, 0xff, 2]), 1, 3, 1), /Feature "a" of feature view "stats"/],
    ['a range for a key index the read never asked for', (s) => s.rowIn(3, 'a', Buffer.alloc(9), 0, 0, null), /entity key #3, but the read asked for keys #0 to #0/],
  ])('%s', async (_what, answer, message) => {
    const store = new LyingOnlineStore(new LyingDriver(answer));
    await expect(store.onlineRead(config, view, [key(1)])).rejects.toThrow(message);
  });

  it('values handed as ranges of one buffer read as the same values handed one by one', async () => {
    const a = ValueProto.encode({ doubleVal: 2.5 });
    const b = ValueProto.encode({ int64Val: -(2n ** 63n) });
    // The two values packed between other bytes, in a Uint8Array that is itself a view at an offset.
    const packed = new Uint8Array(new Uint8Array([7, 7, ...a, 9, ...b, 8]).buffer, 1);
    const store = new LyingOnlineStore(
      new LyingDriver((sink) => {
        sink.rowIn(0, 'a', packed, 1, 1 + a.length, 1_000);
        sink.rowIn(0, 'b', packed, 2 + a.length, 2 + a.length + b.length, 2_000);
        // An empty range is Feast's null, as an empty value is.
        sink.rowIn(1, 'a', packed, 3, 3, 500);
      }),
    );
    expect(await store.onlineRead(config, view, [key(1), key(2)])).toEqual([
      [new Date(2_000), { a: { doubleVal: 2.5 }, b: { int64Val: -(2n ** 63n) } }],
      [new Date(500), { a: {} }],
    ]);
  });

  it('a database error goes through the driver\'s classify with the site', async () => {
    const seen: unknown[] = [];
    const store = new LyingOnlineStore(
      Object.assign(new LyingDriver(() => {
        throw new Error('disk on fire');
      }), {
        classify: (err: unknown, site: unknown) => {
          seen.push(site);
          return new OnlineStoreError('query_failed', `wrapped: ${(err as Error).message}`);
        },
      }),
    );
    await expect(store.onlineRead(config, view, [key(1)])).rejects.toThrow('wrapped: disk on fire');
    expect(seen).toMatchObject([{ action: 'read from', view }]);
  });
});
