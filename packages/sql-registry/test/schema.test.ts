import { expect, it } from 'vitest';
import { ensureSchema, SqlRegistryDatabaseError } from '../src/index.js';
import { catalogType, describeTable, FEAST_PRIMARY_KEYS, FEAST_TABLES, indexNames, olderFeastDdl } from './feast-schema.js';
import { driverFor, eachTarget, freshDatabase } from './targets.js';

eachTarget('Feast schema', (target) => {
  it('creates every table of Feast, column for column, with its indexes', async () => {
    const db = await freshDatabase(target);
    await ensureSchema(await driverFor(db), 'auto');
    for (const [table, columns] of Object.entries(FEAST_TABLES)) {
      const described = await describeTable(db.sql, target, table);
      expect(described, table).toEqual(columns.map(([name, kind, nullable]) => [name, catalogType(kind, target), nullable]));
      const expectedIndexes = table === 'feature_view_version_history'
        ? ['idx_fv_version_history_project_id']
        : table === 'saved_datasets'
          ? ['idx_saved_datasets_project_id', 'idx_saved_datasets_project_namespace']
          : [`idx_${table}_project_id`];
      expect(await indexNames(db.sql, target, table), table).toEqual(expectedIndexes);
    }
    // Primary keys: a second row with the same key is refused.
    for (const [table, pk] of Object.entries(FEAST_PRIMARY_KEYS)) {
      const cols = FEAST_TABLES[table]!;
      const values = cols.map(([, kind]) => (kind === 'proto' ? Buffer.from([1]) : kind === 'bigint' || kind === 'int' ? 1 : 'x'));
      const insert = `INSERT INTO ${table} (${cols.map(([c]) => c).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
      await db.sql(insert, values);
      await expect(db.sql(insert, values), `${table} (${pk.join(', ')})`).rejects.toThrow();
    }
  });

  it('creates nothing twice and is safe when two processes start at once', async () => {
    const db = await freshDatabase(target);
    const a = await driverFor(db);
    const b = await driverFor(db);
    await Promise.all([ensureSchema(a, 'auto'), ensureSchema(b, 'auto')]);
    await ensureSchema(a, 'auto');
    expect(await indexNames(db.sql, target, 'entities')).toEqual(['idx_entities_project_id']);
  });

  it('keeps tables an older Feast created exactly as they are and adds only the missing ones', async () => {
    const db = await freshDatabase(target);
    for (const ddl of olderFeastDdl(target)) await db.sql(ddl);
    const before = await describeTable(db.sql, target, 'saved_datasets');
    await ensureSchema(await driverFor(db), 'auto');
    expect(await describeTable(db.sql, target, 'saved_datasets')).toEqual(before);
    expect((await describeTable(db.sql, target, 'entities'))[0]).toEqual(['entity_name', catalogType('str50', target), false]);
    expect(await indexNames(db.sql, target, 'entities')).toEqual([]);
    // Tables that older Feast did not have are created as today's Feast does.
    expect(await describeTable(db.sql, target, 'label_views')).toEqual(
      FEAST_TABLES['label_views']!.map(([n, k, nullable]) => [n, catalogType(k, target), nullable]),
    );
    expect(await indexNames(db.sql, target, 'projects')).toEqual(['idx_projects_project_id']);
  });

  it('schema_mode verify names the missing tables; skip creates nothing', async () => {
    const db = await freshDatabase(target);
    const driver = await driverFor(db);
    await ensureSchema(driver, 'skip');
    expect(await describeTable(db.sql, target, 'entities')).toEqual([]);
    const err = await ensureSchema(driver, 'verify').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlRegistryDatabaseError);
    expect((err as SqlRegistryDatabaseError).kind).toBe('not_a_registry');
    expect((err as Error).message).toMatch(/missing the tables projects, entities, data_sources, .*feast_metadata/);
    await ensureSchema(driver, 'auto');
    await expect(ensureSchema(driver, 'verify')).resolves.toBeUndefined();
  });
});
