import {
  DataSourceProto,
  Entity,
  FeastType,
  FeatureService,
  FeatureView,
  FeatureViewProto,
  Field,
  PermissionProto,
  SavedDatasetProto,
  ValueType,
} from '@feast-ts/core';
import { expect, it } from 'vitest';
import { ensureSchema, SqlRegistryDatabaseError } from '../src/index.js';
import { allRows, loadRegistryLikeFeast, vectorBytes } from './feast-writer.js';
import type { TestDatabase } from './servers.js';
import { driverFor, eachTarget, freshDatabase, registryFor } from './targets.js';

/** A field number no Feast schema has: a newer Feast's field, which must survive a rewrite. */
const UNKNOWN_FIELD = Buffer.from([0xc0, 0x3e, 0x2a]); // field 1000, varint 42
const P = 'driver_ranking';

/** The vector plus what a real Feast registry also holds: sources, permissions, datasets, infra, history. */
async function feastRegistry(db: TestDatabase): Promise<void> {
  await ensureSchema(await driverFor(db), 'auto');
  await loadRegistryLikeFeast(db, vectorBytes());
  const put = (table: string, nameCol: string, protoCol: string, name: string, proto: Uint8Array, project = P) =>
    db.sql(`INSERT INTO ${table} (${nameCol}, project_id, last_updated_timestamp, ${protoCol}) VALUES (?, ?, ?, ?)`, [name, project, 1_600_000_000, Buffer.from(proto)]);
  await put('data_sources', 'data_source_name', 'data_source_proto', 'trips', DataSourceProto.encode({ name: 'trips', project: P, type: 1 }));
  await put('permissions', 'permission_name', 'permission_proto', 'readers', PermissionProto.encode({ spec: { name: 'readers', project: P, types: [0] } }));
  await put('saved_datasets', 'saved_dataset_name', 'saved_dataset_proto', 'train', SavedDatasetProto.encode({ spec: { name: 'train', project: P, features: ['a:b'] } }));
  await put('managed_infra', 'infra_name', 'infra_proto', 'infra_obj', Buffer.from([0x0a, 0x00]));
  await put('label_views', 'feature_view_name', 'feature_view_proto', 'labels', Buffer.from([0x0a, 0x03, 0x0a, 0x01, 0x6c]));
  await db.sql(
    'INSERT INTO feature_view_version_history (feature_view_name, project_id, version_number, feature_view_type, feature_view_proto, created_timestamp, description, version_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ['driver_hourly_stats', P, 0, 'feature_view', Buffer.from([0x0a, 0x00]), 1_600_000_000, 'v0', '00000000-0000-4000-8000-000000000000'],
  );
  // A newer Feast's field on a view feast-ts will rewrite, and on one it will not.
  for (const name of ['driver_hourly_stats', 'customer_driver_pairs']) {
    const [row] = await db.sql('SELECT feature_view_proto FROM feature_views WHERE feature_view_name = ? AND project_id = ?', [name, P]);
    const grown = Buffer.concat([Buffer.from(row!['feature_view_proto'] as Uint8Array), UNKNOWN_FIELD]);
    await db.sql('UPDATE feature_views SET feature_view_proto = ? WHERE feature_view_name = ? AND project_id = ?', [grown, name, P]);
  }
}

eachTarget('read-modify-write', (target) => {
  it('an apply changes only what it applies; every other row keeps every byte and timestamp', async () => {
    const db = await freshDatabase(target);
    await feastRegistry(db);
    const before = await allRows(db);
    const history = await db.sql('SELECT * FROM feature_view_version_history');
    const registry = registryFor(db);
    const snap = await registry.load(P);
    const old = snap.featureViews.get('driver_hourly_stats')!;
    const changed = new FeatureView({
      name: old.name,
      entities: [...old.entities],
      schema: [...old.schema, new Field({ name: 'rating', dtype: FeastType.Float64 })],
      ttl: old.ttl,
      online: old.online,
      tags: { ...old.tags },
      description: old.description,
      owner: old.owner,
      timestampField: old.timestampField,
    });
    const rider = new Entity({ name: 'rider', joinKeys: ['rider_id'], valueType: ValueType.STRING });
    const changes = [
      { op: 'put' as const, object: changed },
      { op: 'put' as const, object: rider },
      // Applied again as read: must leave its row exactly as Feast wrote it.
      { op: 'put' as const, object: snap.entities.get('driver')! },
      { op: 'put' as const, object: snap.featureServices.get('driver_activity_v1')! },
    ];
    expect(await registry.apply(P, changes)).toBe(true);
    const after = await allRows(db);

    const touched = new Set([`feature_views/${P}/driver_hourly_stats`, `entities/${P}/rider`]);
    for (const [key, row] of before) if (!touched.has(key)) expect(after.get(key), key).toEqual(row);
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([`entities/${P}/rider`]);
    expect(await db.sql('SELECT * FROM feature_view_version_history')).toEqual(history);

    // The rewritten view: the new feature, Feast's fields kept, the unknown field kept byte for byte.
    const row = after.get(`feature_views/${P}/driver_hourly_stats`)!;
    const bytes = Buffer.from(row.proto, 'hex');
    expect(bytes.includes(UNKNOWN_FIELD)).toBe(true);
    const fv = FeatureViewProto.decode(bytes);
    expect(fv.spec?.features?.map((f) => f.name)).toEqual(['conv_rate', 'acc_rate', 'avg_daily_trips', 'name', 'recent_trips', 'active', 'rating']);
    expect(fv.spec?.batchSource).toEqual(FeatureViewProto.decode(Buffer.from(before.get(`feature_views/${P}/driver_hourly_stats`)!.proto, 'hex')).spec?.batchSource);
    expect(fv.meta?.lastUpdatedTimestamp?.seconds).toBeGreaterThan(1_700_000_000n);
    expect(BigInt(row.ts)).toBeGreaterThan(1_700_000_000n);

    const fresh = registryFor(db);
    const again = await fresh.load(P);
    expect(again.featureViews.get('driver_hourly_stats')!.features.map((f) => f.name)).toContain('rating');
    expect(again.entities.get('rider')!.valueType).toBe(ValueType.STRING);
    expect((await fresh.load('other_project')).featureViews.get('driver_hourly_stats')!.features.map((f) => f.name)).not.toContain('rating');
  });

  it('applying what is stored writes nothing, not even feast_metadata', async () => {
    const db = await freshDatabase(target);
    await feastRegistry(db);
    const registry = registryFor(db);
    const snap = await registry.load(P);
    const before = await allRows(db);
    const metaBefore = await db.sql('SELECT * FROM feast_metadata ORDER BY project_id, metadata_key');
    // Every kind feast-ts models, including the stream view Feast stored without `meta`.
    const all = [...snap.entities.values(), ...snap.featureViews.values(), ...snap.streamFeatureViews.values(), ...snap.featureServices.values()];
    expect(all.length).toBe(11);
    expect(await registry.apply(P, all.map((object) => ({ op: 'put' as const, object })))).toBe(false);
    expect(await allRows(db)).toEqual(before);
    expect(await db.sql('SELECT * FROM feast_metadata ORDER BY project_id, metadata_key')).toEqual(metaBefore);
  });

  it('deletes remove only the named objects (a view with its history); other projects keep theirs', async () => {
    const db = await freshDatabase(target);
    await feastRegistry(db);
    const registry = registryFor(db);
    const before = await allRows(db);
    expect(await registry.apply(P, [{ op: 'delete', kind: 'featureView', name: 'driver_hourly_stats' }, { op: 'delete', kind: 'featureService', name: 'needs_python' }])).toBe(true);
    const after = await allRows(db);
    const gone = [...before.keys()].filter((k) => !after.has(k)).sort();
    expect(gone).toEqual([`feature_services/${P}/needs_python`, `feature_views/${P}/driver_hourly_stats`]);
    expect(after.get('feature_views/other_project/driver_hourly_stats')).toEqual(before.get('feature_views/other_project/driver_hourly_stats'));
    expect(await db.sql('SELECT * FROM feature_view_version_history')).toEqual([]);
    expect((await registry.load(P)).featureViews.has('driver_hourly_stats')).toBe(false);
  });

  it('a view name taken by a view of another kind is refused, and nothing is written', async () => {
    const db = await freshDatabase(target);
    await feastRegistry(db);
    const registry = registryFor(db);
    const before = await allRows(db);
    const driver = (await registry.load(P)).entities.get('driver')!;
    const clash = new FeatureView({ name: 'driver_stream', entities: [driver], schema: [new Field({ name: 'x', dtype: FeastType.Int64 })] });
    const extra = new Entity({ name: 'extra', joinKeys: ['extra_id'], valueType: ValueType.INT64 });
    await expect(registry.apply(P, [{ op: 'put', object: extra }, { op: 'put', object: clash }])).rejects.toThrow(/already has a stream feature view of that name/);
    expect(await allRows(db)).toEqual(before);
  });

  it('a new project gets its projects row and feast_metadata as Feast writes them', async () => {
    const db = await freshDatabase(target);
    await feastRegistry(db);
    const registry = registryFor(db);
    const e = new Entity({ name: 'user', joinKeys: ['user_id'], valueType: ValueType.INT64 });
    expect(await registry.apply('fresh_project', [{ op: 'put', object: e }])).toBe(true);
    expect(await registry.listProjects()).toEqual(['driver_ranking', 'fresh_project', 'other_project']);
    const meta = await db.sql("SELECT metadata_key FROM feast_metadata WHERE project_id = 'fresh_project' ORDER BY metadata_key");
    expect(meta.map((r) => r['metadata_key'])).toEqual(['last_updated_timestamp', 'project_uuid']);
    const dump = await registry.dump('fresh_project');
    expect(dump.objects['projects']).toEqual([expect.objectContaining({ spec: expect.objectContaining({ name: 'fresh_project' }) })]);
    expect(dump.objects['entities']).toEqual([expect.objectContaining({ spec: expect.objectContaining({ name: 'user', project: 'fresh_project', joinKey: 'user_id' }) })]);
  });

  it('a corrupt row is a typed error naming the table, project and row', async () => {
    const db = await freshDatabase(target);
    await feastRegistry(db);
    await db.sql('UPDATE entities SET entity_proto = ? WHERE entity_name = ? AND project_id = ?', [Buffer.from([0xff, 0xff, 0xff]), 'driver', P]);
    const err = await registryFor(db).load(P).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'REGISTRY_INVALID' });
    expect((err as Error).message).toMatch(/row "driver" of project "driver_ranking" in table entities \(entity_proto\) is not a feast\.core\.Entity/);
    expect((err as Error).message).not.toMatch(/\ufffd|\\xff/);
  });

  it('an unreachable or missing database is a typed error that says what to do', async () => {
    const db = await freshDatabase(target);
    if (target === 'sqlite') {
      const err = await registryFor({ ...db, url: 'sqlite:////etc/passwd/registry.db' }).load(P).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SqlRegistryDatabaseError);
      expect((err as SqlRegistryDatabaseError).kind).toBe('unreachable');
      expect((err as Error).message).toMatch(/^Cannot open the SQL registry sqlite:\/\/\/\/etc\/passwd\/registry.db: .*in a directory that exists or can be created/);
      return;
    }
    const url = db.url.replace(/\/([^/]+)$/, '/feast_ts_no_such_database');
    const err = await registryFor({ ...db, url }).load(P).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlRegistryDatabaseError);
    expect((err as SqlRegistryDatabaseError).kind).toBe('database_missing');
    expect((err as Error).message).toMatch(/Create the database, or fix its name in registry.path/);
    const refused = db.url.replace(/@([^/:]+):(\d+)\//, '@127.0.0.1:1/');
    const err2 = await registryFor({ ...db, url: refused }).load(P).catch((e: unknown) => e);
    expect((err2 as SqlRegistryDatabaseError).kind).toBe('unreachable');
  });
});
