import { describe, expect, it } from 'vitest';
import {
  Entity,
  FeastType,
  FeatureStore,
  FeatureNotFoundError,
  FeatureServiceNotFoundError,
  FeatureViewNotFoundError,
  OnlineResponse,
  FeatureView,
  Field,
  MissingJoinKeyError,
  readOnlineFeatures,
  ValueConversionError,
  ValueType,
} from '../src/index.js';
import type { MemoryOnlineStore } from './fixtures/memory-online-store.js';
import { makeRepo, MEMORY } from './helpers.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const customer = new Entity({ name: 'customer', joinKeys: ['customer_id'], valueType: ValueType.STRING });
const stats = new FeatureView({ name: 'stats', entities: [driver], ttl: 60, schema: [new Field({ name: 'rate', dtype: FeastType.Float64 })] });
const pairs = new FeatureView({ name: 'pairs', entities: [customer, driver], schema: [new Field({ name: 'rides', dtype: FeastType.Int32 })] });
const global = new FeatureView({ name: 'global', schema: [new Field({ name: 'total', dtype: FeastType.Int64 })] });
const NOW = new Date('2026-01-01T00:00:00Z');
const ago = (s: number): Date => new Date(NOW.getTime() - s * 1000);

async function setup(): Promise<{ fs: FeatureStore; mem: MemoryOnlineStore }> {
  const fs = await FeatureStore.open(await makeRepo(`project: read_test\nonline_store:\n  type: ${MEMORY}\n`));
  await fs.apply([driver, customer, stats, pairs, global]);
  await fs.writeToOnlineStore('stats', [
    { driver_id: 1n, rate: 0.5, event_timestamp: ago(10) },
    { driver_id: 2n, rate: 0.25, event_timestamp: ago(61) },
  ]);
  await fs.writeToOnlineStore('pairs', [{ customer_id: '7', driver_id: 1n, rides: 3, event_timestamp: ago(5) }]);
  await fs.writeToOnlineStore('global', [{ total: 100n, event_timestamp: ago(5) }]);
  return { fs, mem: fs.onlineStore as MemoryOnlineStore };
}

const groups = [
  { view: stats, features: ['rate'] },
  { view: pairs, features: ['rides'] },
  { view: global, features: ['total'] },
];

describe('readOnlineFeatures', () => {
  it('coerces join keys once, reads each view once, orders key columns as given', async () => {
    const { fs, mem } = await setup();
    mem.calls.length = 0;
    const res = await readOnlineFeatures(fs.onlineStore, fs.config, { groups, entityRows: { customer_id: [7, 8], driver_id: ['1', 2] }, now: NOW });
    expect(mem.calls.map((c) => c.method)).toEqual(['onlineRead', 'onlineRead', 'onlineRead']);
    expect(res.featureNames).toEqual(['customer_id', 'driver_id', 'rate', 'rides', 'total']);
    expect(res.toDict()).toEqual({ customer_id: ['7', '8'], driver_id: [1n, 2n], rate: [0.5, 0.25], rides: [3, null], total: [100n, 100n] });
    expect(res.statuses()).toEqual({
      customer_id: ['PRESENT', 'PRESENT'],
      driver_id: ['PRESENT', 'PRESENT'],
      rate: ['PRESENT', 'OUTSIDE_MAX_AGE'],
      rides: ['PRESENT', 'NOT_FOUND'],
      total: ['PRESENT', 'PRESENT'],
    });
    const dropped = await readOnlineFeatures(fs.onlineStore, fs.config, { groups, entityRows: [{ driver_id: 2, customer_id: 'x' }], now: NOW, dropOutsideMaxAge: true });
    expect(dropped.toDict()['rate']).toEqual([null]);
  });

  it('reads through a projection: alias in full names, join key read from the mapped column', async () => {
    const { fs } = await setup();
    const res = await readOnlineFeatures(fs.onlineStore, fs.config, {
      groups: [{ view: stats, features: ['rate'], nameToUse: 'dhs', joinKeyMap: { driver_id: 'driver' } }],
      entityRows: [{ driver: 1 }],
      fullFeatureNames: true,
      now: NOW,
    });
    expect(res.toDict()).toEqual({ driver: [1n], dhs__rate: [0.5] });
  });

  it('fails before reading on a missing key, a bad value, a name clash or a bad clock', async () => {
    const { fs, mem } = await setup();
    mem.calls.length = 0;
    await expect(readOnlineFeatures(fs.onlineStore, fs.config, { groups, entityRows: [{ driver_id: 1 }] })).rejects.toThrow(MissingJoinKeyError);
    await expect(readOnlineFeatures(fs.onlineStore, fs.config, { groups, entityRows: [{ driver_id: 1.5, customer_id: 'a' }] })).rejects.toThrow(/entity row 0, join key "driver_id"/);
    await expect(
      readOnlineFeatures(fs.onlineStore, fs.config, { groups: [{ view: global, features: ['total'] }, { view: global, features: ['total'] }], entityRows: [{}] }),
    ).rejects.toThrow(/Two requested columns are named "total"/);
    await expect(readOnlineFeatures(fs.onlineStore, fs.config, { groups, entityRows: [], now: new Date(Number.NaN) })).rejects.toThrow(ValueConversionError);
    expect(mem.calls).toEqual([]);
  });

  it('no rows: no reads, empty columns', async () => {
    const { fs, mem } = await setup();
    mem.calls.length = 0;
    const res = await readOnlineFeatures(fs.onlineStore, fs.config, { groups, entityRows: [] });
    expect(mem.calls).toEqual([]);
    expect(res.toDict()).toEqual({ driver_id: [], customer_id: [], rate: [], rides: [], total: [] });
  });

  it('refuses a store that returns the wrong number of results', async () => {
    const { fs } = await setup();
    const broken = Object.create(fs.onlineStore) as typeof fs.onlineStore;
    broken.onlineRead = async () => [];
    await expect(readOnlineFeatures(broken, fs.config, { groups: [{ view: global, features: ['total'] }], entityRows: [{}] })).rejects.toThrow(/returned 0 results for 1 entity keys/);
  });
});

describe('request errors through FeatureStore', () => {
  it('unknown view, unknown feature, unknown feature service: typed, naming them and the known names', async () => {
    const { fs } = await setup();
    const view = await fs.getOnlineFeatures({ features: ['nope:rate'], entityRows: [{ driver_id: 1 }] }).catch((e: unknown) => e);
    expect(view).toBeInstanceOf(FeatureViewNotFoundError);
    expect(view).toMatchObject({ code: 'NOT_FOUND', featureView: 'nope' });
    expect((view as Error).message).toBe('Feature view "nope" is not in the registry of project "read_test" (asked for by "nope:rate"). Known views: stats, pairs, global.');
    const feature = await fs.getOnlineFeatures({ features: ['stats:nope'], entityRows: [{ driver_id: 1 }] }).catch((e: unknown) => e);
    expect(feature).toBeInstanceOf(FeatureNotFoundError);
    expect((feature as Error).message).toBe('Feature view "stats" has no feature "nope" (asked for by "stats:nope"). Its features: rate.');
    const svc = await fs.getFeatureService('nope').catch((e: unknown) => e);
    expect(svc).toBeInstanceOf(FeatureServiceNotFoundError);
    expect((svc as Error).message).toBe('Feature service "nope" is not in the registry of project "read_test". The project has no feature services.');
  });

  it('getOnlineFeatures returns an OnlineResponse for columnar rows', async () => {
    const { fs } = await setup();
    const res = await fs.getOnlineFeatures({ features: ['stats:rate'], entityRows: { driver_id: [1, 2, 3] }, now: NOW });
    expect(res).toBeInstanceOf(OnlineResponse);
    expect(res.toDict({ includeEventTimestamps: true })).toEqual({
      driver_id: [1n, 2n, 3n],
      driver_id__ts: [0, 0, 0],
      rate: [0.5, 0.25, null],
      rate__ts: [NOW.getTime() / 1000 - 10, NOW.getTime() / 1000 - 61, 0],
    });
    expect(JSON.parse(JSON.stringify(res)).results[1].statuses).toEqual(['PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND']);
  });
});
