import { existsSync } from 'node:fs';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Entity, FeastType, FeatureService, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { ensureSchema } from '../src/index.js';
import { loadRegistryLikeFeast, vectorBytes } from './feast-writer.js';
import { isCI, type TestDatabase } from './servers.js';
import { driverFor, eachTarget, freshDatabase, onCleanup } from './targets.js';

const MEMORY_STORE = fileURLToPath(new URL('./fixtures-memory-store.mjs', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const BUILT = existsSync(path.join(PACKAGE_DIR, 'dist', 'index.js'));
if (!BUILT) {
  const message = '@feast-ts/sql-registry: dist/index.js is missing, so the FeatureStore tests (which load the package as a user installs it) cannot run. Build it first: pnpm turbo run build --filter=@feast-ts/sql-registry.';
  if (isCI()) throw new Error(message);
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPED ${message}\n${'!'.repeat(78)}\n`);
}
const ts = new Date('2024-01-02T03:04:05Z');

/**
 * A feature repo whose registry is the SQL database, with @feast-ts/sql-registry (the built
 * package) and @feast-ts/core in its node_modules, as a user's project has them: core finds the
 * registry package by name from the repo and imports it.
 */
async function repoOn(db: TestDatabase, project: string, extra = ''): Promise<string> {
  const scope = path.join(db.repoPath, 'node_modules', '@feast-ts');
  await mkdir(scope, { recursive: true });
  await symlink(PACKAGE_DIR, path.join(scope, 'sql-registry'), 'dir');
  await symlink(fileURLToPath(new URL('../../core', import.meta.url)), path.join(scope, 'core'), 'dir');
  await copyFile(MEMORY_STORE, path.join(db.repoPath, 'memory-store.mjs'));
  const yaml = `project: ${project}\nregistry:\n  registry_type: sql\n  path: ${db.url}\n  cache_ttl_seconds: 0\n${extra}online_store:\n  type: ./memory-store.mjs#MemoryOnlineStore\n`;
  await writeFile(path.join(db.repoPath, 'feature_store.yaml'), yaml);
  return db.repoPath;
}

async function open(repo: string): Promise<FeatureStore> {
  const fs = await FeatureStore.open(repo);
  onCleanup(() => fs.close());
  return fs;
}

eachTarget('FeatureStore with registry_type: sql', (target) => {
  if (!BUILT) return;
  it('applies TypeScript definitions into the SQL tables and serves them, also from a fresh FeatureStore', async () => {
    const db = await freshDatabase(target);
    const repo = await repoOn(db, 'ts_project');
    const fs = await open(repo);
    const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
    const stats = new FeatureView({
      name: 'driver_hourly_stats',
      entities: [driver],
      schema: [new Field({ name: 'conv_rate', dtype: FeastType.Float32 }), new Field({ name: 'trips', dtype: FeastType.Int64 })],
      ttl: 3600,
    });
    const svc = new FeatureService({ name: 'pricing', features: [{ view: stats, features: ['trips'] }] });
    await fs.apply([driver, stats, svc]);
    const rows = await db.sql("SELECT feature_view_name, project_id FROM feature_views WHERE project_id = 'ts_project'");
    expect(rows.map((r) => r['feature_view_name'])).toEqual(['driver_hourly_stats']);
    expect((await db.sql("SELECT entity_name FROM entities WHERE project_id = 'ts_project'")).map((r) => r['entity_name'])).toEqual(['driver']);
    expect((await db.sql("SELECT feature_service_name FROM feature_services WHERE project_id = 'ts_project'")).length).toBe(1);

    await fs.writeToOnlineStore('driver_hourly_stats', [{ driver_id: 1n, conv_rate: 0.5, trips: 10n, event_timestamp: ts }]);
    expect(await fs.getOnlineFeatures({ features: await fs.getFeatureService('pricing'), entityRows: [{ driver_id: 1 }, { driver_id: 2 }] }).then((r) => r.toDict())).toEqual({
      driver_id: [1n, 2n],
      trips: [10n, null],
    });
    const fresh = await open(repo);
    expect((await fresh.listFeatureViews()).map((v) => [v.name, v.ttl, v.features.map((f) => f.name)])).toEqual([['driver_hourly_stats', 3600, ['conv_rate', 'trips']]]);
    expect((await fresh.listFeatureServices()).map((s) => s.name)).toEqual(['pricing']);
  });

  it("serves a feature service of the registry Python Feast wrote into the SQL tables", async () => {
    const db = await freshDatabase(target);
    await ensureSchema(await driverFor(db), 'auto');
    await loadRegistryLikeFeast(db, vectorBytes());
    const fs = await open(await repoOn(db, 'driver_ranking'));
    expect((await fs.listFeatureServices()).map((s) => s.name).sort()).toEqual(['driver_activity_aliased', 'driver_activity_v1', 'needs_python']);
    await fs.onlineStore.update(fs.config, [], [...(await fs.listFeatureViews()), ...(await fs.listStreamFeatureViews())], [], [], true);
    await fs.writeToOnlineStore('driver_hourly_stats', [{ driver_id: 1001n, conv_rate: 0.5, acc_rate: 0.9, avg_daily_trips: 12n, name: 'a', recent_trips: [1n], active: true, event_timestamp: ts }]);
    await fs.writeToOnlineStore('global_stats', [{ total_rides: 99n, event_timestamp: ts }]);
    expect(await fs.getOnlineFeatures({ features: await fs.getFeatureService('driver_activity_v1'), entityRows: [{ driver_id: 1001 }, { driver_id: 7 }] }).then((r) => r.toDict())).toEqual({
      driver_id: [1001n, 7n],
      conv_rate: [0.5, null],
      avg_daily_trips: [12n, null],
      total_rides: [99n, 99n],
    });
  });

  it('a URL of another database is a typed error at open, naming registry.path and the file', async () => {
    const db = await freshDatabase(target);
    const repo = await repoOn({ ...db, url: 'mssql+pyodbc://sa:hunter2@db/feast' }, 'p');
    const err = await FeatureStore.open(repo).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', keyPath: 'registry.path', file: path.join(repo, 'feature_store.yaml') });
    expect((err as Error).message).toMatch(/feature_store\.yaml: registry\.path "mssql\+pyodbc:\/\/sa:\*\*\*@db\/feast": the database "mssql" is not supported/);
    expect((err as Error).message).not.toContain('hunter2');
  });
});
