import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Entity, EntityRowsError, FeastType, FeatureStore, FeatureView, Field, FileRegistry, ValueType } from '../src/index.js';
import { readFeatures } from '../src/store-driver/read-features.js';
import { makeRepo, MEMORY } from './helpers.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({
  name: 'stats',
  entities: [driver],
  schema: [new Field({ name: 'driver_id', dtype: FeastType.Int64 }), new Field({ name: 'a', dtype: FeastType.Float64 }), new Field({ name: 'b', dtype: FeastType.Int64 })],
});

afterEach(() => vi.useRealTimers());

describe('FeatureView.features and joinKeys', () => {
  it('are computed once and frozen: a caller cannot change the view through them', () => {
    expect(stats.features.map((f) => f.name)).toEqual(['a', 'b']);
    expect(stats.features).toBe(stats.features);
    expect(stats.joinKeys).toBe(stats.joinKeys);
    expect(Object.isFrozen(stats.features)).toBe(true);
    expect(() => (stats.joinKeys as string[]).push('x')).toThrow(TypeError);
    expect(stats.joinKeys).toEqual(['driver_id']);
  });
});

describe('readFeatures (the requested features of a driver read)', () => {
  it('dedups, and drops the filter only when every feature of the view is asked for', () => {
    expect(readFeatures(stats, ['a', 'a'])).toMatchObject({ wanted: ['a'], filter: ['a'] });
    expect(readFeatures(stats, ['b', 'a', 'b'])).toMatchObject({ wanted: ['b', 'a'], filter: undefined });
  });

  it('reuses the last result for the same names, even in a new array, and not after the names change', () => {
    const first = readFeatures(stats, ['a', 'b']);
    expect(readFeatures(stats, ['a', 'b'])).toBe(first);
    const asked = ['a', 'b'];
    const again = readFeatures(stats, asked);
    asked[1] = 'a'; // the caller reuses its own array with other names
    const changed = readFeatures(stats, asked);
    expect(changed).not.toBe(again);
    expect(changed).toMatchObject({ wanted: ['a'], filter: ['a'] });
    expect([...changed.wantedSet]).toEqual(['a']);
  });
});

describe('FileRegistry.loadCached', () => {
  it('gives what load gives while the cache is fresh, and nothing once it is stale or forgotten', async () => {
    const repo = await makeRepo(`project: cached\nonline_store:\n  type: ${MEMORY}\n`);
    const fs = await FeatureStore.open(repo);
    await fs.apply([driver, stats]);
    const registry = new FileRegistry(path.join(repo, 'data', 'registry.db'), { cacheTtlSeconds: 60 });
    expect(registry.loadCached('cached')).toBeUndefined(); // nothing read yet
    vi.useFakeTimers({ toFake: ['Date'] });
    const loaded = await registry.load('cached');
    expect(registry.loadCached('cached')).toBe(loaded);
    expect(registry.loadCached('other')).toBeUndefined(); // a project load has not built
    vi.setSystemTime(Date.now() + 61_000);
    expect(registry.loadCached('cached')).toBeUndefined();
    await registry.refresh();
    expect(registry.loadCached('cached')).toBeUndefined();
  });
});

describe('getOnlineFeatures on the serving path', () => {
  async function served(): Promise<{ fs: FeatureStore; repo: string }> {
    const repo = await makeRepo(`project: serving\nregistry:\n  path: data/registry.db\n  cache_ttl_seconds: 1\nonline_store:\n  type: ${MEMORY}\n`);
    const fs = await FeatureStore.open(repo);
    await fs.apply([driver, stats]);
    await fs.writeToOnlineStore('stats', [{ driver_id: 1n, a: 0.5, b: 7n, event_timestamp: new Date('2026-01-01T00:00:00Z') }]);
    return { fs, repo };
  }

  it('rejects bad input (never throws synchronously), with a fresh cache and without one', async () => {
    const { fs } = await served();
    const call = (): Promise<unknown> => fs.getOnlineFeatures({ features: ['stats:a'], entityRows: 5 as never });
    let promise: Promise<unknown> | undefined;
    expect(() => (promise = call())).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(EntityRowsError);
    await fs.refreshRegistry(); // the cache forgotten: the slow path
    expect(() => (promise = call())).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(EntityRowsError);
  });

  it('sees a registry changed by another process once the cache has expired', async () => {
    const { fs, repo } = await served();
    expect((await fs.getOnlineFeatures({ features: ['stats:a'], entityRows: [{ driver_id: 1n }] })).toDict()).toEqual({ driver_id: [1n], a: [0.5] });
    // Another writer applies a view the cached snapshot does not have.
    const other = await FeatureStore.open(repo);
    const extra = new FeatureView({ name: 'extra', entities: [driver], schema: [new Field({ name: 'c', dtype: FeastType.Int64 })] });
    await other.apply([extra]);
    await expect(fs.getOnlineFeatures({ features: ['extra:c'], entityRows: [{ driver_id: 1n }] })).rejects.toThrow(/"extra" is not in the registry/);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 1_500);
    expect((await fs.getOnlineFeatures({ features: ['extra:c'], entityRows: [{ driver_id: 1n }] })).toDict()).toEqual({ driver_id: [1n], c: [null] });
    expect((await readFile(path.join(repo, 'data', 'registry.db'))).length).toBeGreaterThan(0);
  });
});

describe('toDict with a feature named __proto__', () => {
  it('is an own column like any other, not the result object prototype', async () => {
    const repo = await makeRepo(`project: proto_names\nonline_store:\n  type: ${MEMORY}\n`);
    const fs = await FeatureStore.open(repo);
    const odd = new FeatureView({ name: 'odd', entities: [driver], schema: [new Field({ name: '__proto__', dtype: FeastType.Int64 }), new Field({ name: 'constructor', dtype: FeastType.Int64 })] });
    await fs.apply([driver, odd]);
    await fs.writeToOnlineStore('odd', [{ driver_id: 1n, ['__proto__']: 3n, constructor: 4n, event_timestamp: new Date() } as Record<string, unknown>]);
    for (const entityRows of [[{ driver_id: 1n }], [{ driver_id: 1n }, { driver_id: 2n }]]) {
      const dict = (await fs.getOnlineFeatures({ features: ['odd:__proto__', 'odd:constructor'], entityRows })).toDict();
      expect(Object.keys(dict)).toEqual(['driver_id', '__proto__', 'constructor']);
      expect(Object.getPrototypeOf(dict)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(dict, '__proto__')?.value).toEqual(entityRows.length === 1 ? [3n] : [3n, null]);
    }
  });
});
