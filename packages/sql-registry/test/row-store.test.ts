import { expect, it } from 'vitest';
import { applyRows, ensureSchema, listProjects, readProject, type ApplyPlan, type SqlDriver } from '../src/index.js';
import type { TestDatabase } from './servers.js';
import { driverFor, eachTarget, freshDatabase } from './targets.js';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const hex = (v: unknown): string => Buffer.from(v as Uint8Array).toString('hex');

function plan(project: string, writes: Array<[ApplyPlan['writes'][number]['kind'], string, (old: Uint8Array | null) => Uint8Array | null]>, deletes: ApplyPlan['deletes'] = []): ApplyPlan {
  return {
    project,
    writes: writes.map(([kind, name, build]) => ({ kind, name, build: (old) => build(old) })),
    deletes,
    newProject: () => bytes(0x0a, project.length + 2, 0x0a, project.length, ...Buffer.from(project)),
  };
}

async function setup(target: Parameters<typeof freshDatabase>[0]): Promise<{ db: TestDatabase; driver: SqlDriver }> {
  const db = await freshDatabase(target);
  const driver = await driverFor(db);
  await ensureSchema(driver, 'auto');
  return { db, driver };
}

eachTarget('row store', (target) => {
  it('writes one row per object and reads back only the configured project', async () => {
    const { db, driver } = await setup(target);
    await applyRows(driver, plan('p1', [['entities', 'driver', () => bytes(1, 2, 3)], ['featureViews', 'stats', () => bytes(4, 5)]]));
    await applyRows(driver, plan('p2', [['entities', 'driver', () => bytes(9, 9)]]));
    const p1 = await readProject(driver, 'p1');
    expect(p1.objects.entities.map((r) => [r.name, hex(r.proto)])).toEqual([['driver', '010203']]);
    expect(p1.objects.featureViews.map((r) => [r.name, hex(r.proto)])).toEqual([['stats', '0405']]);
    expect(p1.objects.featureServices).toEqual([]);
    expect(hex(p1.projectRow?.proto)).toBe(hex(bytes(0x0a, 4, 0x0a, 2, ...Buffer.from('p1'))));
    expect(typeof p1.objects.entities[0]!.lastUpdated).toBe('bigint');
    expect((await readProject(driver, 'p2')).objects.entities.map((r) => hex(r.proto))).toEqual(['0909']);
    expect((await listProjects(driver)).map((p) => p.name)).toEqual(['p1', 'p2']);
    // As Feast: project_uuid once, last_updated_timestamp in feast_metadata, a projects row.
    const meta = await db.sql("SELECT metadata_key, metadata_value FROM feast_metadata WHERE project_id = 'p1' ORDER BY metadata_key");
    expect(meta.map((r) => r['metadata_key'])).toEqual(['last_updated_timestamp', 'project_uuid']);
    expect(String(meta[1]!['metadata_value'])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const projects = await db.sql('SELECT project_id, project_name FROM projects ORDER BY project_id');
    expect(projects.map((r) => [r['project_id'], r['project_name']])).toEqual([['p1', 'p1'], ['p2', 'p2']]);
  });

  it('builds each row from its stored bytes and leaves every other row untouched', async () => {
    const { db, driver } = await setup(target);
    await applyRows(driver, plan('p', [['entities', 'a', () => bytes(1)], ['entities', 'b', () => bytes(2)], ['featureServices', 's', () => bytes(3)]]));
    // Rows a Feast of the future wrote in its own way (another timestamp) must keep every byte.
    await db.sql("UPDATE entities SET last_updated_timestamp = 12345 WHERE entity_name = 'b'");
    await db.sql("UPDATE feast_metadata SET metadata_value = '777', last_updated_timestamp = 777 WHERE metadata_key = 'last_updated_timestamp'");
    const seen: Array<string | null> = [];
    const r = await applyRows(driver, plan('p', [['entities', 'a', (old) => (seen.push(old && hex(old)), bytes(...(old ?? []), 7))]]));
    expect(r).toMatchObject({ written: 1, deleted: 0 });
    expect(seen).toEqual(['01']);
    const rows = await db.sql('SELECT entity_name, last_updated_timestamp, entity_proto FROM entities ORDER BY entity_name');
    expect(rows.map((x) => [x['entity_name'], hex(x['entity_proto'])])).toEqual([['a', '0107'], ['b', '02']]);
    expect(String(rows[1]!['last_updated_timestamp'])).toBe('12345');
    expect(String(rows[0]!['last_updated_timestamp'])).not.toBe('12345');
    const meta = await db.sql("SELECT metadata_value FROM feast_metadata WHERE metadata_key = 'last_updated_timestamp'");
    expect(meta[0]!['metadata_value']).not.toBe('777');
  });

  it('writes nothing (not even feast_metadata) when no object changed', async () => {
    const { db, driver } = await setup(target);
    await applyRows(driver, plan('p', [['entities', 'a', () => bytes(1)]]));
    await db.sql('UPDATE entities SET last_updated_timestamp = 1');
    await db.sql("UPDATE feast_metadata SET metadata_value = '1', last_updated_timestamp = 1 WHERE metadata_key = 'last_updated_timestamp'");
    const r = await applyRows(driver, plan('p', [['entities', 'a', () => null]]));
    expect(r).toMatchObject({ written: 0, deleted: 0, attempts: 1 });
    expect(String((await db.sql('SELECT last_updated_timestamp FROM entities'))[0]!['last_updated_timestamp'])).toBe('1');
    expect((await db.sql("SELECT metadata_value FROM feast_metadata WHERE metadata_key = 'last_updated_timestamp'"))[0]!['metadata_value']).toBe('1');
  });

  it('deletes the rows it names, a view with its version history, in its project only', async () => {
    const { db, driver } = await setup(target);
    await applyRows(driver, plan('p', [['featureViews', 'v', () => bytes(1)], ['featureViews', 'w', () => bytes(2)]]));
    await applyRows(driver, plan('q', [['featureViews', 'v', () => bytes(3)]]));
    const history = 'INSERT INTO feature_view_version_history (feature_view_name, project_id, version_number, feature_view_type, feature_view_proto, created_timestamp, version_id) VALUES (?, ?, ?, ?, ?, ?, ?)';
    await db.sql(history, ['v', 'p', 0, 'feature_view', Buffer.from([1]), 1, 'id-1']);
    await db.sql(history, ['w', 'p', 0, 'feature_view', Buffer.from([2]), 1, 'id-2']);
    await db.sql(history, ['v', 'q', 0, 'feature_view', Buffer.from([3]), 1, 'id-3']);
    const r = await applyRows(driver, plan('p', [], [{ kind: 'featureViews', name: 'v' }, { kind: 'featureViews', name: 'gone' }]));
    expect(r).toMatchObject({ written: 0, deleted: 1 });
    expect((await readProject(driver, 'p')).objects.featureViews.map((x) => x.name)).toEqual(['w']);
    expect((await readProject(driver, 'q')).objects.featureViews.map((x) => x.name)).toEqual(['v']);
    const left = await db.sql('SELECT feature_view_name, project_id FROM feature_view_version_history ORDER BY project_id, feature_view_name');
    expect(left.map((x) => `${String(x['project_id'])}/${String(x['feature_view_name'])}`)).toEqual(['p/w', 'q/v']);
  });

  it('an apply that fails half-way writes nothing', async () => {
    const { db, driver } = await setup(target);
    await applyRows(driver, plan('p', [['entities', 'a', () => bytes(1)]]));
    const failing = plan('p', [
      ['entities', 'a', () => bytes(2)],
      ['featureViews', 'v', () => {
        throw new Error('conversion failed');
      }],
    ]);
    await expect(applyRows(driver, failing)).rejects.toThrow('conversion failed');
    expect((await db.sql('SELECT entity_proto FROM entities')).map((x) => hex(x['entity_proto']))).toEqual(['01']);
    expect(await db.sql('SELECT * FROM feature_views')).toEqual([]);
  });

  it('keeps proto bytes of every size exactly (a 1 MB view, every byte value)', async () => {
    const { driver } = await setup(target);
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 7919) & 0xff);
    await applyRows(driver, plan('p', [['featureViews', 'big', () => big], ['entities', 'empty', () => new Uint8Array(0)]]));
    const snap = await readProject(driver, 'p');
    expect(Buffer.compare(Buffer.from(snap.objects.featureViews[0]!.proto), Buffer.from(big))).toBe(0);
    expect(snap.objects.entities[0]!.proto.length).toBe(0);
  });
});
