import { describe, expect, it } from 'vitest';
import { Entity, FeastType, FeatureStore, FeatureView, Field, NotAnOnlineStoreError, OnlineStorePackageMissingError, ValueType } from '../src/index.js';
import * as memoryModule from './fixtures/memory-online-store.js';
import { makeRepo } from './helpers.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({ name: 'stats', entities: [driver], schema: [new Field({ name: 'rate', dtype: FeastType.Float64 })] });

describe('FeatureStore.open with storeModules (bundled applications)', () => {
  it('uses the module handed in for a package that is not on disk, and serves from it', async () => {
    const repo = await makeRepo('project: bundled\nonline_store:\n  type: "not-installed-store#MemoryOnlineStore"\n  label: from-the-bundle\n');
    // Without the module the package is looked for on disk, as before.
    await expect(FeatureStore.open(repo)).rejects.toBeInstanceOf(OnlineStorePackageMissingError);
    const fs = await FeatureStore.open(repo, { storeModules: { 'not-installed-store': memoryModule } });
    expect(fs.onlineStore).toBeInstanceOf(memoryModule.MemoryOnlineStore);
    expect(fs.config.onlineStore).toMatchObject({ type: 'not-installed-store#MemoryOnlineStore', label: 'from-the-bundle' }); // parsed by the module's schema
    await fs.apply([driver, stats]);
    await fs.writeToOnlineStore('stats', [{ driver_id: 1n, rate: 0.5, event_timestamp: new Date() }]);
    expect((await fs.getOnlineFeatures({ features: ['stats:rate'], entityRows: [{ driver_id: 1n }] })).toDict()).toEqual({ driver_id: [1n], rate: [0.5] });
  });

  it('checks a handed-in module as it checks an imported one', async () => {
    const repo = await makeRepo('project: bundled\nonline_store:\n  type: "my-store#NoConfigOnlineStore"\n');
    const noSchema = await FeatureStore.open(repo, { storeModules: { 'my-store': memoryModule } }).catch((e: unknown) => e);
    expect(noSchema).toBeInstanceOf(NotAnOnlineStoreError);
    expect((noSchema as Error).message).toContain('NoConfigOnlineStoreConfig');
    const notAModule = await FeatureStore.open(repo, { storeModules: { 'my-store': 42 as unknown as object } }).catch((e: unknown) => e);
    expect(notAModule).toBeInstanceOf(NotAnOnlineStoreError);
    expect((notAModule as Error).message).toMatch(/storeModules\["my-store"\] must be the module's namespace object/);
  });

  it('a module given under another name does not stand in', async () => {
    const repo = await makeRepo('project: bundled\nonline_store:\n  type: "wanted-store#MemoryOnlineStore"\n');
    await expect(FeatureStore.open(repo, { storeModules: { 'other-store': memoryModule } })).rejects.toBeInstanceOf(OnlineStorePackageMissingError);
  });
});
