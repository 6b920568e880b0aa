import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueConversionError, ValueType } from '../src/index.js';
import type { MemoryOnlineStore } from './fixtures/memory-online-store.js';
import { makeRepo, MEMORY } from './helpers.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  schema: [
    new Field({ name: 'conv_rate', dtype: FeastType.Float32 }),
    new Field({ name: 'trips', dtype: FeastType.Int64 }),
    new Field({ name: 'tags', dtype: FeastType.Array(FeastType.String) }),
  ],
});
const global = new FeatureView({ name: 'global_stats', schema: [new Field({ name: 'total', dtype: FeastType.Int64 })] });

async function open(): Promise<{ fs: FeatureStore; mem: MemoryOnlineStore }> {
  const repo = await makeRepo(`project: fs_test\nonline_store:\n  type: ${MEMORY}\n`);
  const fs = await FeatureStore.open(repo);
  return { fs, mem: fs.onlineStore as MemoryOnlineStore };
}

const ts = new Date('2024-01-02T03:04:05Z');

describe('FeatureStore', () => {
  it('apply persists the registry, calls update, and applying twice changes nothing', async () => {
    const { fs, mem } = await open();
    await fs.apply([driver, stats]);
    expect(mem.calls[0]).toMatchObject({ method: 'update', args: [[], ['driver_hourly_stats'], [], [driver], true] });
    const first = await readFile(fs.config.registry, 'utf8');
    const mtime = (await stat(fs.config.registry)).mtimeMs;
    await fs.apply([driver, stats]);
    expect(await readFile(fs.config.registry, 'utf8')).toBe(first);
    expect((await stat(fs.config.registry)).mtimeMs).toBe(mtime);
    expect((await fs.listFeatureViews()).map((v) => v.name)).toEqual(['driver_hourly_stats']);
    expect((await fs.getFeatureView('driver_hourly_stats')).features.map((f) => f.dtype.name)).toEqual(['Float32', 'Int64', 'Array(String)']);
  });

  it('apply with partial: false deletes views that are no longer defined', async () => {
    const { fs, mem } = await open();
    await fs.apply([stats, global]);
    await fs.apply([stats], { partial: false });
    expect(mem.calls[1]!.method).toBe('update');
    expect(mem.calls[1]!.args.slice(0, 2)).toEqual([['global_stats'], ['driver_hourly_stats']]);
    expect(mem.calls[1]!.args[4]).toBe(false);
    expect((await fs.listFeatureViews()).map((v) => v.name)).toEqual(['driver_hourly_stats']);
  });

  it('writes and reads back in Feast to_dict shape, null for missing entities', async () => {
    const { fs, mem } = await open();
    await fs.apply([stats, global]);
    await fs.writeToOnlineStore('driver_hourly_stats', [
      { driver_id: 1001n, conv_rate: 0.5, trips: 9007199254740993n, tags: ['a'], event_timestamp: ts },
      { driver_id: 5, conv_rate: null, trips: 3, tags: [], event_timestamp: ts },
    ]);
    await fs.writeToOnlineStore('global_stats', [{ total: 7n, event_timestamp: ts }]);
    expect(mem.calls.filter((c) => c.method === 'onlineWriteBatch')).toHaveLength(2);
    const out = await fs.getOnlineFeatures({
      features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:trips', 'driver_hourly_stats:tags', 'global_stats:total'],
      entityRows: [{ driver_id: 1001 }, { driver_id: 5n }, { driver_id: 42n }],
    });
    expect(out.toDict()).toEqual({
      driver_id: [1001n, 5n, 42n],
      conv_rate: [0.5, null, null],
      trips: [9007199254740993n, 3n, null],
      tags: [['a'], [], null],
      total: [7n, 7n, 7n],
    });
    const full = await fs.getOnlineFeatures({ features: ['driver_hourly_stats:trips'], entityRows: [{ driver_id: 1001n }], fullFeatureNames: true });
    expect(full.toDict()).toEqual({ driver_id: [1001n], driver_hourly_stats__trips: [9007199254740993n] });
    expect(JSON.parse(JSON.stringify(out))).toMatchObject({
      metadata: { feature_names: ['driver_id', 'conv_rate', 'trips', 'tags', 'total'] },
      results: [
        { values: [1001, 5, 42], statuses: ['PRESENT', 'PRESENT', 'PRESENT'] },
        { values: [0.5, null, null], statuses: ['PRESENT', 'NOT_FOUND', 'NOT_FOUND'], event_timestamps: ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05Z', '1970-01-01T00:00:00Z'] },
        { values: ['9007199254740993', 3, null] },
        { values: [['a'], [], null] },
        { values: [7, 7, 7], statuses: ['PRESENT', 'PRESENT', 'PRESENT'] },
      ],
    });
  });

  it('a bad value fails the whole call, naming view, feature and row, and writes nothing', async () => {
    const { fs, mem } = await open();
    await fs.apply([stats]);
    const rows = [
      { driver_id: 1n, conv_rate: 0.1, trips: 1n, tags: [], event_timestamp: ts },
      { driver_id: 2n, conv_rate: 'fast', trips: 1n, tags: [], event_timestamp: ts },
    ];
    const err = await fs.writeToOnlineStore('driver_hourly_stats', rows).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValueConversionError);
    expect((err as Error).message).toBe('view "driver_hourly_stats", row 1, feature "conv_rate": expected a Float32 number, got "fast" (string).');
    expect(mem.calls.filter((c) => c.method === 'onlineWriteBatch')).toHaveLength(0);
    const out = await fs.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entityRows: [{ driver_id: 1n }] });
    expect(out.toDict()['conv_rate']).toEqual([null]);
  });

  it('teardown removes tables and registry entries', async () => {
    const { fs, mem } = await open();
    await fs.apply([stats]);
    await fs.teardown();
    expect(mem.calls.at(-1)).toMatchObject({ method: 'teardown', args: [['driver_hourly_stats']] });
    expect(await fs.listFeatureViews()).toEqual([]);
  });
});
