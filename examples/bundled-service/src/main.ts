/**
 * A small feature service: it opens the feature repo in the directory given as argv[2] (its
 * feature_store.yaml names a SQLite online store), applies a driver view, writes two drivers'
 * features and prints what `getOnlineFeatures` returns for three drivers as one JSON line (Feast's
 * HTTP response body).
 *
 * It is bundled into one file (see test/bundle.test.ts). A bundle has no package on disk for
 * `online_store.type` to resolve to, so the store module is imported here and handed to
 * `FeatureStore.open` as `storeModules`: feature_store.yaml still chooses and configures the store.
 */
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';
import * as sqlite from '@feast-ts/sqlite';

const repoPath = process.argv[2];
if (!repoPath) throw new Error('usage: node service.mjs <feature repo directory>');

const store = await FeatureStore.open(repoPath, { storeModules: { '@feast-ts/sqlite': sqlite } });

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({
  name: 'driver_stats',
  entities: [driver],
  schema: [
    new Field({ name: 'conv_rate', dtype: FeastType.Float64 }),
    new Field({ name: 'trips', dtype: FeastType.Int64 }),
    new Field({ name: 'city', dtype: FeastType.String }),
  ],
});

try {
  await store.apply([driver, stats]);
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  await store.writeToOnlineStore('driver_stats', [
    { driver_id: 1001n, conv_rate: 0.5, trips: 9007199254740993n, city: 'Lyon', event_timestamp: now },
    { driver_id: 1002n, conv_rate: 0.25, trips: 7n, city: 'Oslo', event_timestamp: now },
  ]);
  const response = await store.getOnlineFeatures({
    features: ['driver_stats:conv_rate', 'driver_stats:trips', 'driver_stats:city'],
    entityRows: [{ driver_id: 1002n }, { driver_id: 1001n }, { driver_id: 999n }],
  });
  console.log(JSON.stringify(response));
} finally {
  await store.close();
}
