import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Entity, FeastType, FeatureService, FeatureView, Field, FileRegistry, ValueType } from '../src/index.js';
import { fixture } from './helpers.js';
import { copyOfFeastRegistry } from './registry-helpers.js';

// Google's own protobuf runtime (python3-protobuf) parsing what feast-ts writes, through classes
// protoc generates from our .proto files. CI installs: apt-get install -y protobuf-compiler python3-protobuf
const protoDir = fileURLToPath(new URL('../proto/', import.meta.url));
const hasProtoc = spawnSync('protoc', ['--version']).status === 0;
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import google.protobuf'], { stdio: 'ignore' }).status === 0);
const available = hasProtoc && python !== undefined;
if (!available) {
  const msg = '[core] protoc and python3-protobuf are needed for the Google-runtime cross-check (apt-get install -y protobuf-compiler python3-protobuf).';
  if (process.env.CI) throw new Error(msg);
  console.warn(msg);
}

function generate(): string {
  const out = mkdtempSync(path.join(os.tmpdir(), 'feast-pb2-'));
  const files = ['feast/types/Value.proto', 'feast/types/EntityKey.proto', ...readdirSync(path.join(protoDir, 'feast/core')).map((f) => `feast/core/${f}`)];
  const includes = ['-I', protoDir, ...(existsSync('/usr/include/google/protobuf') ? ['-I', '/usr/include'] : [])];
  execFileSync('protoc', [...includes, `--python_out=${out}`, ...files]);
  return out;
}

describe.skipIf(!available)("Google's protobuf runtime reads what feast-ts writes", () => {
  it('parses a registry after a feast-ts apply, seeing every object with its fields', async () => {
    const generated = generate();
    const file = await copyOfFeastRegistry();
    const reg = new FileRegistry(file);
    const rider = new Entity({ name: 'rider', joinKeys: ['rider_id'], valueType: ValueType.STRING });
    const riderStats = new FeatureView({
      name: 'rider_stats',
      entities: [rider],
      schema: [new Field({ name: 'rating', dtype: FeastType.Float32 }), new Field({ name: 'trips', dtype: FeastType.Array(FeastType.Int64) })],
      ttl: 7200,
      tags: { team: 'ts' },
    });
    const svc = new FeatureService({ name: 'rider_svc', features: [{ view: riderStats, features: ['rating'], alias: 'r', joinKeyMap: { rider_id: 'passenger_id' } }] });
    const snap = await reg.load('driver_ranking');
    const dhs = snap.featureViews.get('driver_hourly_stats')!;
    const dhsChanged = new FeatureView({ ...dhs, entities: [...dhs.entities], schema: [...dhs.schema], ttl: 43200 });
    await reg.apply('driver_ranking', [rider, riderStats, svc, dhsChanged].map((object) => ({ op: 'put', object }) as const));
    await reg.apply('third', [{ op: 'put', object: rider }]);

    const out = JSON.parse(execFileSync(python!, [fixture('read-registry.py'), generated, file], { encoding: 'utf8' })) as Record<string, Record<string, unknown>>;
    expect(out.schema_version).toBe('1');
    expect(out.version_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.projects).toEqual(['driver_ranking', 'other_project', 'third']);
    expect(out.project_metadata).toEqual(['driver_ranking', 'third']);
    expect(out.entities).toEqual({ driver_ranking: ['driver', 'customer', '__dummy', 'rider'], other_project: ['driver'], third: ['rider'] });
    expect(out.entity_types).toMatchObject({ 'driver_ranking/rider': ValueType.STRING, 'driver_ranking/customer': 0, 'driver_ranking/driver': ValueType.INT64 });
    expect(out.feature_views).toEqual({
      driver_ranking: ['driver_hourly_stats', 'customer_driver_pairs', 'global_stats', 'offline_only', 'rider_stats'],
      other_project: ['driver_hourly_stats'],
    });
    expect(out.view_features!['driver_ranking/rider_stats']).toEqual([['rating', ValueType.FLOAT], ['trips', ValueType.INT64_LIST]]);
    expect(out.view_entity_columns!['driver_ranking/rider_stats']).toEqual([['rider_id', ValueType.STRING]]);
    expect(out.view_ttl).toMatchObject({ 'driver_ranking/rider_stats': 7200, 'driver_ranking/driver_hourly_stats': 43200, 'other_project/driver_hourly_stats': 0 });
    expect(out.view_source!['driver_ranking/rider_stats']).toEqual([1, 'feast.infra.offline_stores.file_source.FileSource', 'event_timestamp', '']);
    expect(out.view_source!['driver_ranking/driver_hourly_stats']).toEqual([1, '', 'event_timestamp', 'data/driver_stats.parquet']);
    expect(out.view_online).toMatchObject({ 'driver_ranking/rider_stats': true, 'driver_ranking/offline_only': false });
    expect(out.stream_feature_views).toEqual({ driver_ranking: ['driver_stream'] });
    expect(out.on_demand_feature_views).toEqual({ driver_ranking: ['conv_rate_plus_val'] });
    expect(out.feature_services!['driver_ranking/rider_svc']).toEqual([['rider_stats', 'r', ['rating'], { rider_id: 'passenger_id' }]]);
    expect(out.feature_services!['driver_ranking/driver_activity_aliased']).toEqual([['driver_hourly_stats', 'dhs', ['conv_rate'], {}]]);
    expect(Number(out.last_updated_of!['driver_ranking/driver_hourly_stats'])).toBeGreaterThan(Number(out.last_updated_of!['driver_ranking/global_stats']));
    const unknownTop = (out as unknown as Record<string, unknown>).unknown_top_level;
    expect(unknownTop === null || unknownTop === 0).toBe(true);
  });
});
