import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Entity,
  FeastType,
  FeatureService,
  FeatureStore,
  FeatureView,
  Field,
  onlineTableName,
  ValueType,
  type RepoConfig,
} from '../src/index.js';
import { fixture, makeRepo, MEMORY } from './helpers.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  schema: [new Field({ name: 'conv_rate', dtype: FeastType.Float32 }), new Field({ name: 'trips', dtype: FeastType.Int64 })],
});
const ts = new Date('2024-01-02T03:04:05Z');

async function openTs(): Promise<FeatureStore> {
  const repo = await makeRepo(`project: fs_test\nregistry: data/registry.db\nonline_store:\n  type: ${MEMORY}\n`);
  return FeatureStore.open(repo);
}

/** A repo whose registry is the registry.db Python Feast wrote (project driver_ranking). */
async function openPython(): Promise<FeatureStore> {
  const repo = await makeRepo(`project: driver_ranking\nregistry: data/registry.db\nonline_store:\n  type: ${MEMORY}\n`);
  await mkdir(path.join(repo, 'data'));
  await copyFile(fixture('feast-registry/registry.db'), path.join(repo, 'data', 'registry.db'));
  const fs = await FeatureStore.open(repo);
  // Python Feast's apply created the online tables.
  await fs.onlineStore.update(fs.config, [], [...(await fs.listFeatureViews()), ...(await fs.listStreamFeatureViews())], [], [], true);
  return fs;
}

describe('FeatureService: apply, list, serve', () => {
  it('is applied, listed and served with Feast column names, alias and join_key_map', async () => {
    const fs = await openTs();
    const svc = new FeatureService({
      name: 'pricing',
      features: [stats, { view: stats, features: ['trips'], alias: 'passenger', joinKeyMap: { driver_id: 'passenger_id' } }],
    });
    await fs.apply([driver, stats, svc]);
    await fs.writeToOnlineStore('driver_hourly_stats', [
      { driver_id: 1n, conv_rate: 0.5, trips: 10n, event_timestamp: ts },
      { driver_id: 2n, conv_rate: 0.25, trips: 20n, event_timestamp: ts },
    ]);
    const fresh = await FeatureStore.open(fs.config.repoPath);
    expect((await fresh.listFeatureServices()).map((s) => s.name)).toEqual(['pricing']);
    const loaded = await fresh.getFeatureService('pricing');
    expect(loaded.projections.map((p) => [p.featureViewName, p.alias ?? null, p.featureNames, { ...p.joinKeyMap }])).toEqual([
      ['driver_hourly_stats', null, ['conv_rate', 'trips'], {}],
      ['driver_hourly_stats', 'passenger', ['trips'], { driver_id: 'passenger_id' }],
    ]);

    const res = await fs.getOnlineFeatures({ features: loaded, entityRows: [{ driver_id: 1, passenger_id: 2 }, { driver_id: 3, passenger_id: 1 }], fullFeatureNames: true });
    expect(res.toDict()).toEqual({
      driver_id: [1n, 3n],
      passenger_id: [2n, 1n],
      driver_hourly_stats__conv_rate: [0.5, null],
      driver_hourly_stats__trips: [10n, null],
      passenger__trips: [20n, 10n],
    });
    // Without full names the two "trips" columns collide, as in Feast.
    await expect(fs.getOnlineFeatures({ features: loaded, entityRows: [{ driver_id: 1, passenger_id: 2 }] })).rejects.toThrow(/Two requested columns are named "trips"/);
  });

  it('refuses a service using a view that is neither applied nor registered', async () => {
    const fs = await openTs();
    const svc = new FeatureService({ name: 's', features: [stats] });
    await expect(fs.apply([svc])).rejects.toMatchObject({ code: 'DEFINITION_INVALID', message: expect.stringMatching(/uses feature view "driver_hourly_stats"/) });
  });
});

describe('serving from the registry Python Feast wrote', () => {
  it('serves a feature service over a regular and an entityless view', async () => {
    const fs = await openPython();
    expect((await fs.listFeatureServices()).map((s) => s.name).sort()).toEqual(['driver_activity_aliased', 'driver_activity_v1', 'needs_python']);
    expect((await fs.listStreamFeatureViews()).map((v) => v.name)).toEqual(['driver_stream']);
    await fs.writeToOnlineStore('driver_hourly_stats', [{ driver_id: 1001n, conv_rate: 0.5, acc_rate: 0.9, avg_daily_trips: 12n, name: 'a', recent_trips: [1n], active: true, event_timestamp: ts }]);
    await fs.writeToOnlineStore('global_stats', [{ total_rides: 99n, event_timestamp: ts }]);
    const svc = await fs.getFeatureService('driver_activity_v1');
    expect((await fs.getOnlineFeatures({ features: svc, entityRows: [{ driver_id: 1001 }, { driver_id: 7 }] })).toDict()).toEqual({
      driver_id: [1001n, 7n],
      conv_rate: [0.5, null],
      avg_daily_trips: [12n, null],
      total_rides: [99n, 99n],
    });
    const aliased = await fs.getFeatureService('driver_activity_aliased');
    expect((await fs.getOnlineFeatures({ features: aliased, entityRows: [{ driver_id: 1001 }], fullFeatureNames: true })).toDict()).toEqual({
      driver_id: [1001n],
      dhs__conv_rate: [0.5],
    });
  });

  it('a service or reference needing an on-demand view: a typed error naming it and saying it needs Python', async () => {
    const fs = await openPython();
    const svc = await fs.getFeatureService('needs_python');
    const err = await fs.getOnlineFeatures({ features: svc, entityRows: [{ driver_id: 1 }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_SERVABLE', name: 'FeatureViewNotServableError', viewName: 'conv_rate_plus_val', reason: 'on_demand' });
    expect((err as Error).message).toMatch(/on-demand feature view.*Python/);
    await expect(fs.getOnlineFeatures({ features: ['conv_rate_plus_val:conv_rate_plus_val1'], entityRows: [] })).rejects.toMatchObject({
      code: 'NOT_SERVABLE',
      viewName: 'conv_rate_plus_val',
    });
  });

  it('refuses a view with online: false the same way', async () => {
    const fs = await openPython();
    const err = await fs.getOnlineFeatures({ features: ['offline_only:x'], entityRows: [{ driver_id: 1 }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_SERVABLE', viewName: 'offline_only', reason: 'offline' });
    expect((err as Error).message).toMatch(/online: false/);
  });

  it('applying a TypeScript feature service next to Python definitions keeps them servable', async () => {
    const fs = await openPython();
    const dhs = await fs.getFeatureView('driver_hourly_stats');
    await fs.apply([new FeatureService({ name: 'ts_svc', features: [{ view: dhs, features: ['acc_rate'] }] })]);
    await fs.writeToOnlineStore('driver_hourly_stats', [{ driver_id: 1001n, conv_rate: 0.5, acc_rate: 0.9, avg_daily_trips: 12n, name: 'a', recent_trips: [1n], active: true, event_timestamp: ts }]);
    const again = await FeatureStore.open(fs.config.repoPath);
    expect((await again.listFeatureServices()).length).toBe(4);
    expect((await fs.getOnlineFeatures({ features: await again.getFeatureService('ts_svc'), entityRows: [{ driver_id: 1001 }] })).toDict()).toEqual({ driver_id: [1001n], acc_rate: [0.9] });
  });
});

describe('registry versioning: online table names', () => {
  const versioned = new FeatureView({ ...stats, entities: [driver], schema: [...stats.schema], currentVersionNumber: 3 });
  const cfg = (on: boolean): Pick<RepoConfig, 'project' | 'registryConfig'> => ({
    project: 'p',
    registryConfig: { registryType: 'file', path: '/x', cacheTtlSeconds: 600, enableOnlineFeatureViewVersioning: on, options: {} },
  });
  it('is <project>_<view>_v<N> with enable_online_feature_view_versioning and a version > 0', () => {
    expect(onlineTableName(cfg(true), versioned)).toBe('p_driver_hourly_stats_v3');
    expect(onlineTableName(cfg(true), stats)).toBe('p_driver_hourly_stats');
    expect(onlineTableName(cfg(false), versioned)).toBe('p_driver_hourly_stats');
    expect(onlineTableName('p', versioned)).toBe('p_driver_hourly_stats');
  });
});
