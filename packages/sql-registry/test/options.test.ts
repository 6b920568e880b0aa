import { Entity, ValueType, isFeastError } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { importDriver } from '../src/drivers/import-driver.js';
import { ensureSchema, SqlRegistryDatabaseError, SqlRegistryDriverMissingError } from '../src/index.js';
import { loadRegistryLikeFeast, vectorBytes } from './feast-writer.js';
import { driverFor, eachTarget, freshDatabase, registryFor } from './targets.js';

describe('driver loading', () => {
  it('a driver that is not installed is a typed error naming the package to install', async () => {
    const err = await importDriver('pg', 'postgresql', 'pg-not-installed-here').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlRegistryDriverMissingError);
    expect(isFeastError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'REGISTRY_PACKAGE_MISSING', packageName: 'pg', dialect: 'postgresql' });
    expect((err as Error).message).toMatch(/needs the package "pg".*pnpm add pg/);
  });
});

eachTarget('registry options', (target) => {
  it('read_path serves reads, path takes the writes', async () => {
    const primary = await freshDatabase(target);
    const replica = await freshDatabase(target);
    await ensureSchema(await driverFor(replica), 'auto');
    await loadRegistryLikeFeast(replica, vectorBytes());
    // The replica's SQLite file by its absolute path (four slashes): relative paths are the primary repo's.
    const readPath = target === 'sqlite' ? `sqlite:///${replica.repoPath}/data/registry.db` : replica.url;
    const registry = registryFor(primary, { read_path: readPath });
    expect([...(await registry.load('driver_ranking')).featureViews.keys()]).toContain('driver_hourly_stats');
    await registry.apply('p', [{ op: 'put', object: new Entity({ name: 'u', joinKeys: ['u_id'], valueType: ValueType.INT64 }) }]);
    expect((await primary.sql("SELECT entity_name FROM entities WHERE project_id = 'p'")).map((r) => r['entity_name'])).toEqual(['u']);
    expect(await replica.sql("SELECT entity_name FROM entities WHERE project_id = 'p'")).toEqual([]);
  });

  it('cache_ttl_seconds: 0 keeps a read until refresh(); an apply through the registry drops it', async () => {
    const db = await freshDatabase(target);
    await ensureSchema(await driverFor(db), 'auto');
    await loadRegistryLikeFeast(db, vectorBytes());
    const registry = registryFor(db, {}, 0);
    const first = await registry.load('driver_ranking');
    await db.sql("DELETE FROM feature_services WHERE feature_service_name = 'needs_python'");
    expect(await registry.load('driver_ranking')).toBe(first);
    await registry.refresh();
    const second = await registry.load('driver_ranking');
    expect(second.featureServices.has('needs_python')).toBe(false);
    await registry.apply('driver_ranking', [{ op: 'put', object: new Entity({ name: 'u', joinKeys: ['u_id'], valueType: ValueType.INT64 }) }]);
    expect((await registry.load('driver_ranking')).entities.has('u')).toBe(true);
  });

  it('schema_mode verify refuses a database without the tables; bad option values are config errors', async () => {
    const db = await freshDatabase(target);
    const err = await registryFor(db, { schema_mode: 'verify' }).load('p').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlRegistryDatabaseError);
    expect((err as SqlRegistryDatabaseError).kind).toBe('not_a_registry');
    expect(() => registryFor(db, { schema_mode: 'sometimes' })).toThrow(/registry.schema_mode must be one of auto, verify, skip/);
    expect(() => registryFor(db, { sqlalchemy_config_kwargs: { pool_size: 0 } })).toThrow(/pool_size must be a whole number of 1 or more/);
    expect(() => registryFor(db, { read_path: 'redis://localhost' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', keyPath: 'registry.read_path' }));
  });
});
