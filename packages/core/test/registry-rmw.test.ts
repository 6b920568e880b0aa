import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  DataSourceProto,
  Entity,
  EntityProto,
  FeastType,
  FeatureService,
  FeatureView,
  FeatureViewProto,
  Field,
  FileRegistry,
  InfraProto,
  PermissionProto,
  RegistryDocument,
  REGISTRY_FIELD,
  SavedDatasetProto,
  splitRecords,
  ValueType,
  type RegistryObjectKind,
} from '../src/index.js';
import { concatBytes, encodeVarint, lengthDelimitedRecord } from '../src/proto/wire.js';
import { copyOfFeastRegistry } from './registry-helpers.js';

const P = 'driver_ranking';
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
/** A field no schema here knows, as a newer Feast could add one. */
const unknownField = (field: number, value: string): Uint8Array => lengthDelimitedRecord(field, text(value));
const varintField = (field: number, value: number): Uint8Array => concatBytes([encodeVarint(field * 8), encodeVarint(value)]);

/** Adds `extra` records inside the `spec` (field 1) of an object's bytes. */
function withUnknownInSpec(objectBytes: Uint8Array, extra: Uint8Array): Uint8Array {
  return concatBytes(
    splitRecords(objectBytes).map((r) => (r.field === 1 ? lengthDelimitedRecord(1, concatBytes([r.payload, extra])) : r.bytes)),
  );
}

const ALL_KINDS: RegistryObjectKind[] = [
  'entities', 'featureViews', 'streamFeatureViews', 'onDemandFeatureViews', 'featureServices', 'dataSources',
  'savedDatasets', 'validationReferences', 'permissions', 'projects', 'projectMetadata', 'labelViews',
];

/**
 * Feast's registry.db plus what a bigger Python repo holds (a data source, a permission, a saved
 * dataset, infra, version history) and fields of a future Feast at three depths.
 */
async function richRegistry(): Promise<string> {
  const file = await copyOfFeastRegistry();
  const doc = RegistryDocument.parse(new Uint8Array(await readFile(file)));
  const driver = doc.get('entities', P, 'driver')!;
  doc.put('entities', P, 'driver', withUnknownInSpec(driver, unknownField(40, 'future entity field')));
  const fv = doc.get('featureViews', P, 'driver_hourly_stats')!;
  doc.put('featureViews', P, 'driver_hourly_stats', concatBytes([withUnknownInSpec(fv, unknownField(60, 'future spec field')), unknownField(30, 'future view field')]));
  doc.put('dataSources', P, 'driver_stats_source', DataSourceProto.encode({ name: 'driver_stats_source', project: P, type: 1, timestampField: 'event_timestamp', fileOptions: { uri: 'data/driver_stats.parquet' } }));
  doc.put('permissions', P, 'readers', PermissionProto.encode({ spec: { name: 'readers', project: P, types: [0, 5], actions: [4], policy: { roleBasedPolicy: { roles: ['reader'] } } } }));
  doc.put('savedDatasets', P, 'training', SavedDatasetProto.encode({ spec: { name: 'training', project: P, features: ['driver_hourly_stats:conv_rate'], joinKeys: ['driver_id'] } }));
  doc.setSingular(REGISTRY_FIELD.infra, InfraProto.encode({ infraObjects: [{ infraObjectClassType: 'feast.infra.online_stores.sqlite.SqliteTable', sqliteTable: { path: 'data/online.db', name: 'driver_ranking_driver_hourly_stats' } }] }));
  const base = doc.toBytes();
  await writeFile(file, concatBytes([base, varintField(99, 7), unknownField(98, 'future registry field')]));
  return file;
}

describe('read-modify-write of a registry Python Feast wrote', () => {
  it('changes only what it applies and keeps every other byte', async () => {
    const file = await richRegistry();
    const before = new Uint8Array(await readFile(file));
    const docBefore = RegistryDocument.parse(before);
    const reg = new FileRegistry(file);
    const snap = await reg.load(P);

    const dhs = snap.featureViews.get('driver_hourly_stats')!;
    const changed = new FeatureView({ ...dhs, entities: [...dhs.entities], schema: [...dhs.schema], tags: { ...dhs.tags, reviewed: 'yes' } });
    const rider = new Entity({ name: 'rider', joinKeys: ['rider_id'], valueType: ValueType.STRING });
    const svc = new FeatureService({ name: 'from_ts', features: [{ view: changed, features: ['acc_rate'] }] });
    const wrote = await reg.apply(P, [
      { op: 'put', object: snap.entities.get('driver')! }, // unchanged: must stay byte for byte
      { op: 'put', object: snap.entities.get('customer')! }, // type inferred from entity_columns: must stay unset
      { op: 'put', object: changed },
      { op: 'put', object: rider },
      { op: 'put', object: svc },
    ]);
    expect(wrote).toBe(true);

    const after = new Uint8Array(await readFile(file));
    const docAfter = RegistryDocument.parse(after);
    const touched = new Set(['featureViews/driver_ranking/driver_hourly_stats']);
    let compared = 0;
    let total = 0;
    for (const kind of ALL_KINDS) {
      total += docBefore.objects(kind).length;
      for (const o of docBefore.objects(kind)) {
        const key = `${kind}/${o.project}/${o.name}`;
        if (touched.has(key)) continue;
        const now = docAfter.get(kind, o.project, o.name);
        expect(now, key).toBeDefined();
        expect(Buffer.from(now!).equals(Buffer.from(o.bytes)), `${key} is byte-identical`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBe(total - touched.size);
    expect(compared).toBeGreaterThanOrEqual(18);
    for (const field of [REGISTRY_FIELD.infra, REGISTRY_FIELD.registrySchemaVersion, 99, 98]) {
      expect(Buffer.from(docAfter.singular(field)!).equals(Buffer.from(docBefore.singular(field)!)), `registry field ${field}`).toBe(true);
    }

    // The changed view: the new tag, its unknown fields (in spec and beside it), its batch source and created time kept.
    const fvBytes = docAfter.get('featureViews', P, 'driver_hourly_stats')!;
    const fv = FeatureViewProto.decode(fvBytes);
    expect(fv.spec!.tags).toEqual({ owner: 'ml', reviewed: 'yes' });
    expect(fv.spec!.batchSource!.name).toBe('driver_stats_source');
    const topFields = splitRecords(fvBytes).map((r) => r.field);
    expect(topFields).toContain(30);
    const spec = splitRecords(fvBytes).find((r) => r.field === 1)!;
    expect(splitRecords(spec.payload).some((r) => r.field === 60 && new TextDecoder().decode(r.payload) === 'future spec field')).toBe(true);
    const old = FeatureViewProto.decode(docBefore.get('featureViews', P, 'driver_hourly_stats')!);
    expect(fv.meta!.createdTimestamp).toEqual(old.meta!.createdTimestamp);
    expect(fv.meta!.lastUpdatedTimestamp!.seconds! > old.meta!.lastUpdatedTimestamp!.seconds!).toBe(true);

    // New objects, with Feast's metadata.
    const riderProto = EntityProto.decode(docAfter.get('entities', P, 'rider')!);
    expect(riderProto.spec).toMatchObject({ name: 'rider', project: P, joinKey: 'rider_id', valueType: ValueType.STRING });
    expect(riderProto.meta!.createdTimestamp!.seconds).toBeGreaterThan(0n);
    expect(docAfter.get('featureServices', P, 'from_ts')).toBeDefined();
    const meta = docAfter.metadata();
    expect(meta.versionId).not.toBe(docBefore.metadata().versionId);
    expect(meta.versionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.lastUpdated!.seconds! > docBefore.metadata().lastUpdated!.seconds!).toBe(true);

    // Read back through a fresh registry: the change is served, the rest is as before.
    const again = await new FileRegistry(file).load(P);
    expect(again.featureViews.get('driver_hourly_stats')!.tags).toEqual({ owner: 'ml', reviewed: 'yes' });
    expect(again.featureServices.get('from_ts')!.projections[0]!.featureNames).toEqual(['acc_rate']);
    expect(again.onDemandFeatureViewNames.has('conv_rate_plus_val')).toBe(true);
  });

  it('re-applying what is stored writes nothing', async () => {
    const file = await richRegistry();
    const before = await readFile(file);
    const reg = new FileRegistry(file);
    const snap = await reg.load(P);
    const objects = [...snap.entities.values(), ...snap.featureViews.values(), ...snap.streamFeatureViews.values()];
    const services = [...snap.featureServices.values()];
    expect(await reg.apply(P, [...objects, ...services].map((object) => ({ op: 'put', object }) as const))).toBe(false);
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('deletes only the named objects of the project', async () => {
    const file = await richRegistry();
    const reg = new FileRegistry(file);
    await reg.apply(P, [{ op: 'delete', kind: 'featureView', name: 'driver_hourly_stats' }, { op: 'delete', kind: 'featureService', name: 'driver_activity_aliased' }]);
    const doc = RegistryDocument.parse(new Uint8Array(await readFile(file)));
    expect(doc.get('featureViews', P, 'driver_hourly_stats')).toBeUndefined();
    expect(doc.get('featureViews', 'other_project', 'driver_hourly_stats')).toBeDefined();
    expect(doc.get('featureServices', P, 'driver_activity_aliased')).toBeUndefined();
    expect(doc.get('featureServices', P, 'driver_activity_v1')).toBeDefined();
  });

  it('writes a new project into a shared file next to the others', async () => {
    const file = await richRegistry();
    const reg = new FileRegistry(file);
    const e = new Entity({ name: 'user', joinKeys: ['user_id'], valueType: ValueType.INT64 });
    const v = new FeatureView({ name: 'user_stats', entities: [e], schema: [new Field({ name: 'clicks', dtype: FeastType.Int64 })] });
    await reg.apply('third', [{ op: 'put', object: e }, { op: 'put', object: v }]);
    expect(await reg.listProjects()).toEqual(['driver_ranking', 'other_project', 'third']);
    const doc = RegistryDocument.parse(new Uint8Array(await readFile(file)));
    expect(doc.get('projects', 'third', 'third')).toBeDefined();
    expect(doc.get('projectMetadata', 'third', 'third')).toBeDefined();
    expect([...(await new FileRegistry(file).load('third')).featureViews.keys()]).toEqual(['user_stats']);
  });
});

describe('a view created from TypeScript', () => {
  it('gets a placeholder file source of a type Python Feast loads, holding its timestamp field', async () => {
    const file = await copyOfFeastRegistry();
    const reg = new FileRegistry(file);
    const e = new Entity({ name: 'user', joinKeys: ['user_id'], valueType: ValueType.INT64 });
    const v = new FeatureView({ name: 'user_stats', entities: [e], schema: [new Field({ name: 'clicks', dtype: FeastType.Int64 })], timestampField: 'ts' });
    await reg.apply(P, [{ op: 'put', object: e }, { op: 'put', object: v }]);
    const stored = FeatureViewProto.decode(RegistryDocument.parse(new Uint8Array(await readFile(file))).get('featureViews', P, 'user_stats')!);
    expect(stored.spec!.batchSource).toMatchObject({ type: 1, dataSourceClassType: 'feast.infra.offline_stores.file_source.FileSource', timestampField: 'ts' });
    expect(stored.spec!.batchSource!.description).toMatch(/Placeholder written by feast-ts/);
    expect((await new FileRegistry(file).load(P)).featureViews.get('user_stats')!.timestampField).toBe('ts');
  });
});
