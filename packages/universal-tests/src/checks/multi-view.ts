import { FeastType, type OnlineReadRequest, type OnlineWriteRow, type ValueProto } from '@feast-ts/core';
import { assertDeepEqual, assertReadResults, check, type ExpectedRead } from '../assert.js';
import { driverEntity, featureView } from '../fixtures/definitions.js';
import { int64Key } from '../fixtures/keys.js';
import { at, recent } from '../fixtures/time.js';
import { defineCheck } from './define.js';
import type { UniversalCheck } from './types.js';

const key = (i: number) => int64Key('driver_id', i);

/**
 * Two views of the same entity that share a feature name (`n`) and each have one of their own:
 * written for overlapping keys (2 in both, 1 only in the first, 3 only in the second), each view
 * reads back only its own rows, aligned with the keys, through `onlineRead` and, when the store
 * has it, one `onlineReadMany` call.
 */
export const multiViewReads: UniversalCheck = defineCheck(
  'multi-view-reads',
  'views of the same entity keep their own rows (a shared feature name included), read one by one or together',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const driver = driverEntity();
    const first = featureView('mv_first', [driver], { n: FeastType.Int64, label: FeastType.String });
    const second = featureView('mv_second', [driver], { n: FeastType.Int64, score: FeastType.Float64 });
    await env.apply([first, second]);
    const f1 = (i: number): Record<string, ValueProto> => ({ n: { int64Val: BigInt(i) }, label: { stringVal: `first ${i}` } });
    const f2 = (i: number): Record<string, ValueProto> => ({ n: { int64Val: BigInt(-i) }, score: { doubleVal: i / 4 } });
    await env.write(first, [1, 2].map((i): OnlineWriteRow => [key(i), f1(i), at(i), null]));
    await env.write(second, [2, 3].map((i): OnlineWriteRow => [key(i), f2(i), at(100 + i), null]));
    const keys = [3, 2, 4, 1, 2].map(key);
    const expectFirst: ExpectedRead[] = [null, { eventTs: at(2), features: f1(2) }, null, { eventTs: at(1), features: f1(1) }, { eventTs: at(2), features: f1(2) }];
    const expectSecond: ExpectedRead[] = [{ eventTs: at(103), features: f2(3) }, { eventTs: at(102), features: f2(2) }, null, null, { eventTs: at(102), features: f2(2) }];
    assertReadResults(await env.read(first, keys), expectFirst, `view ${first.name} read alone`);
    assertReadResults(await env.read(second, keys), expectSecond, `view ${second.name} read alone`);
    const onlyN = (e: ExpectedRead): ExpectedRead => (e === null ? null : { eventTs: e.eventTs, features: { n: e.features['n']! } });
    assertReadResults(await env.read(second, keys, ['n']), expectSecond.map(onlyN), `view ${second.name}, feature n only`);
    if (typeof env.store.onlineReadMany === 'function') {
      const requests: OnlineReadRequest[] = [
        { table: second, entityKeys: keys, requestedFeatures: ['n'] },
        { table: first, entityKeys: keys },
        { table: second, entityKeys: [key(2)] },
      ];
      const results = await env.store.onlineReadMany(env.config, requests);
      check(Array.isArray(results) && results.length === 3, `onlineReadMany of 3 requests returned ${Array.isArray(results) ? results.length : typeof results} results`);
      assertReadResults(results[0]!, expectSecond.map(onlyN), `onlineReadMany request 0 (${second.name}, n only)`);
      assertReadResults(results[1]!, expectFirst, `onlineReadMany request 1 (${first.name})`);
      assertReadResults(results[2]!, [expectSecond[1]!], `onlineReadMany request 2 (${second.name}, one key)`);
    }
  },
);

/**
 * `FeatureStore.getOnlineFeatures` with features of two views of the same entity (one of them
 * named alike in both): the columns line up with the entity rows, each from its own view.
 */
export const featureStoreMultiView: UniversalCheck = defineCheck(
  'feature-store-multi-view',
  'getOnlineFeatures with features of two views returns aligned columns, each from its own view',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const fs = await env.openFeatureStore();
    const driver = driverEntity();
    const trips = featureView('fs_trips', [driver], { n: FeastType.Int64, city: FeastType.String });
    const ratings = featureView('fs_ratings', [driver], { n: FeastType.Int64, stars: FeastType.Float64 });
    await fs.apply([driver, trips, ratings]);
    await fs.writeToOnlineStore('fs_trips', [
      { driver_id: 1n, n: 10, city: 'Lyon', event_timestamp: recent() },
      { driver_id: 2n, n: 20, city: 'Oslo', event_timestamp: recent() },
    ]);
    await fs.writeToOnlineStore('fs_ratings', [
      { driver_id: 2n, n: -2, stars: 4.5, event_timestamp: recent() },
      { driver_id: 3n, n: -3, stars: 3.25, event_timestamp: recent() },
    ]);
    const response = await fs.getOnlineFeatures({
      features: ['fs_ratings:stars', 'fs_trips:n', 'fs_ratings:n', 'fs_trips:city'],
      entityRows: [{ driver_id: 3n }, { driver_id: 1n }, { driver_id: 4n }, { driver_id: 2n }],
      fullFeatureNames: true,
    });
    assertDeepEqual(
      response.toDict(),
      {
        driver_id: [3n, 1n, 4n, 2n],
        fs_ratings__stars: [3.25, null, null, 4.5],
        fs_trips__n: [null, 10n, null, 20n],
        fs_ratings__n: [-3n, null, null, -2n],
        fs_trips__city: [null, 'Lyon', null, 'Oslo'],
      },
      'getOnlineFeatures of two views (full feature names)',
    );
    const short = await fs.getOnlineFeatures({ features: ['fs_trips:city', 'fs_ratings:stars'], entityRows: [{ driver_id: 2n }, { driver_id: 1n }] });
    assertDeepEqual(short.toDict(), { driver_id: [2n, 1n], city: ['Oslo', 'Lyon'], stars: [4.5, null] }, 'getOnlineFeatures of two views (short names)');
  },
);
