import { DataSourceProto } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { ensureSchema } from '../src/index.js';
import { asExpected } from './expected-shape.js';
import { allRows, loadRegistryLikeFeast, vectorBytes, vectorExpected } from './feast-writer.js';
import { driverFor, eachTarget, freshDatabase, registryFor } from './targets.js';

eachTarget("Feast's registry.db in SQL tables", (target) => {
  it('reads back exactly what expected.json says, for the configured project only', async () => {
    const db = await freshDatabase(target);
    await ensureSchema(await driverFor(db), 'auto');
    const written = await loadRegistryLikeFeast(db, vectorBytes());
    expect(written.size).toBeGreaterThan(15);
    const registry = registryFor(db);
    const { note: _note, ...expected } = vectorExpected();
    const snap = await registry.load('driver_ranking');
    expect(asExpected(await registry.listProjects(), snap)).toEqual(expected);
    // The other project's objects are not served under driver_ranking, and are there for their own project.
    const other = await registry.load('other_project');
    expect([[...other.entities.keys()], [...other.featureViews.keys()], other.featureServices.size]).toEqual([['driver'], ['driver_hourly_stats'], 0]);
    expect((await registry.load('no_such_project')).featureViews.size).toBe(0);
    // Reading wrote nothing.
    const rows = await allRows(db);
    for (const [key, bytes] of written) expect(rows.get(key)?.proto, key).toBe(Buffer.from(bytes).toString('hex'));
  });

  it('dumps every stored kind of the project, decoded', async () => {
    const db = await freshDatabase(target);
    await ensureSchema(await driverFor(db), 'auto');
    const written = await loadRegistryLikeFeast(db, vectorBytes());
    const source = DataSourceProto.encode({ name: 'trips_source', project: 'driver_ranking', type: 1, timestampField: 'event_timestamp' });
    await db.sql('INSERT INTO data_sources (data_source_name, project_id, last_updated_timestamp, data_source_proto) VALUES (?, ?, ?, ?)', ['trips_source', 'driver_ranking', 1, Buffer.from(source)]);
    const dump = await registryFor(db).dump('driver_ranking');
    const counted = [...written.keys()].filter((k) => k.split('/')[1] === 'driver_ranking' && !k.startsWith('managed_infra/')).length;
    expect(Object.values(dump.objects).reduce((n, list) => n + list.length, 0)).toBe(counted + 1);
    expect(Object.keys(dump.objects).sort()).toEqual(['dataSources', 'entities', 'featureServices', 'featureViews', 'onDemandFeatureViews', 'projects', 'streamFeatureViews']);
    expect(dump.objects['dataSources']).toEqual([expect.objectContaining({ name: 'trips_source', timestampField: 'event_timestamp' })]);
  });
});
