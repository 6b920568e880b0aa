import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileRegistry, valueTypeName, type FeatureView, type RegistrySnapshot } from '../src/index.js';
import { fixture } from './helpers.js';
import { copyOfFeastRegistry } from './registry-helpers.js';

const expected = JSON.parse(readFileSync(fixture('feast-registry/expected.json'), 'utf8')) as Record<string, unknown>;

/** The snapshot in expected.json's shape: what a reader must recover, built from what feast-ts read. */
function asExpected(snap: RegistrySnapshot, projects: string[]): Record<string, unknown> {
  const typeName = (t: number | undefined): string | null => (t === undefined ? null : (valueTypeName(t) ?? null));
  const viewJson = (v: FeatureView, withOnline: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      entities: v.entities.map((e) => e.name),
      ...(v.isEntityless ? { entityless: true } : {}),
      join_keys: Object.fromEntries(v.entities.map((e) => [e.joinKey, typeName(e.valueType)])),
      features: Object.fromEntries(v.features.map((f) => [f.name, typeName(f.dtype.valueType)])),
      ttl: v.ttl,
    };
    if (withOnline) out.online = v.online;
    if (Object.keys(v.tags).length > 0) out.tags = { ...v.tags };
    return out;
  };
  const featureViews: Record<string, unknown> = {};
  for (const v of snap.featureViews.values()) featureViews[v.name] = v.online ? viewJson(v, true) : { online: false };
  return {
    projects,
    entities: Object.fromEntries([...snap.entities.values()].map((e) => [e.name, { join_key: e.joinKey, value_type: typeName(e.valueType) }])),
    feature_views: featureViews,
    stream_feature_views: Object.fromEntries([...snap.streamFeatureViews.values()].map((v) => [v.name, viewJson(v, false)])),
    on_demand_feature_views: [...snap.onDemandFeatureViewNames],
    feature_services: Object.fromEntries(
      [...snap.featureServices.values()].map((s) => [
        s.name,
        s.projections.map((p) => ({
          view: p.featureViewName,
          alias: p.alias ?? null,
          features: p.featureNames,
          ...(snap.onDemandFeatureViewNames.has(p.featureViewName) ? { on_demand: true } : {}),
        })),
      ]),
    ),
  };
}

describe('the file registry reading the registry.db Python Feast wrote', () => {
  it('recovers exactly expected.json for project driver_ranking', async () => {
    const reg = new FileRegistry(await copyOfFeastRegistry());
    const snap = await reg.load('driver_ranking');
    const { note: _note, ...want } = expected;
    expect(asExpected(snap, await reg.listProjects())).toEqual(want);
    expect(snap.unreadableViews.size).toBe(0);
  });

  it('reads only the configured project: the other project has its own driver entity', async () => {
    const reg = new FileRegistry(await copyOfFeastRegistry());
    const other = await reg.load('other_project');
    expect([...other.entities.keys()]).toEqual(['driver']);
    expect(other.entities.get('driver')!.joinKey).toBe('driver_ref');
    expect([...other.featureViews.keys()]).toEqual(['driver_hourly_stats']);
    expect(other.featureServices.size).toBe(0);
    const mine = await reg.load('driver_ranking');
    expect(mine.entities.get('driver')!.joinKey).toBe('driver_id');
  });

  it('takes the timestamp field from the batch source and keeps descriptions and tags', async () => {
    const snap = await new FileRegistry(await copyOfFeastRegistry()).load('driver_ranking');
    const v = snap.featureViews.get('driver_hourly_stats')!;
    expect(v.timestampField).toBe('event_timestamp');
    expect(snap.entities.get('driver')!.description).toBe('A driver');
    expect(snap.entities.get('driver')!.tags).toEqual({ team: 'rides' });
    expect(snap.streamFeatureViews.get('driver_stream')!.kind).toBe('stream');
  });
});

describe('a view with a feature type feast-ts does not know', () => {
  it('is left out of the lists, and requesting it names the type; the rest is served', async () => {
    const { readFile: rf, writeFile: wf } = await import('node:fs/promises');
    const { FeatureViewProto, RegistryDocument, FeatureStore } = await import('../src/index.js');
    const file = await copyOfFeastRegistry();
    const doc = RegistryDocument.parse(new Uint8Array(await rf(file)));
    const fv = FeatureViewProto.decode(doc.get('featureViews', 'driver_ranking', 'global_stats')!);
    fv.spec!.features!.push({ name: 'future_col', valueType: 999 });
    doc.put('featureViews', 'driver_ranking', 'global_stats', FeatureViewProto.encode(fv));
    await wf(file, doc.toBytes());
    const snap = await new FileRegistry(file).load('driver_ranking');
    expect(snap.featureViews.has('global_stats')).toBe(false);
    expect(snap.featureViews.has('driver_hourly_stats')).toBe(true);
    expect(snap.unreadableViews.get('global_stats')).toMatch(/"future_col" of view "global_stats" has type 999/);
    const { makeRepo, MEMORY } = await import('./helpers.js');
    const path = await import('node:path');
    const repo = await makeRepo(`project: driver_ranking\nregistry: ${file}\nonline_store:\n  type: ${MEMORY}\n`);
    const store = await FeatureStore.open(path.join(repo, 'feature_store.yaml'));
    await expect(store.getOnlineFeatures({ features: ['global_stats:total_rides'], entityRows: [] })).rejects.toMatchObject({
      code: 'REGISTRY_INVALID',
      message: expect.stringMatching(/feature view "global_stats" cannot be served by feast-ts: feature "future_col" .* type 999/),
    });
  });
});
