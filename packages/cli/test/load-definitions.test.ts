import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Entity, FeastType, FeatureService, FeatureView, Field, ValueType } from '@feast-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectDefinitions, findDefinitionsFile, loadDefinitions } from '../src/load-definitions.js';
import { tempProject } from './helpers.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({ name: 'stats', entities: [driver], schema: [new Field({ name: 'x', dtype: FeastType.Float32 })] });

/** What an object from another copy of @feast-ts/core looks like: the same shape, another class. */
function foreign(obj: Entity | FeatureView): unknown {
  const json = obj.toJSON();
  const copy: Record<string, unknown> = { name: obj.name };
  if (obj instanceof FeatureView) Object.assign(copy, { entities: [...obj.entities], schema: [...obj.schema], timestampField: obj.timestampField });
  else copy.joinKeys = [...obj.joinKeys];
  return Object.assign(Object.create({ toJSON: () => json }), copy);
}

describe('collectDefinitions', () => {
  it('collects entities and views from exports and arrays, ignoring other exports', () => {
    const objs = collectDefinitions({ driver, views: [stats, [stats]], other: 42, fn: () => 1, obj: { stats } }, 'defs.ts');
    expect(objs).toEqual([driver, stats]);
  });

  it('rebuilds objects from another copy of core with this copy\'s classes', () => {
    const objs = collectDefinitions({ d: foreign(driver), v: foreign(stats) }, 'defs.ts');
    expect(objs[0]).toBeInstanceOf(Entity);
    expect(objs[1]).toBeInstanceOf(FeatureView);
    expect((objs[1] as FeatureView).toJSON()).toEqual(stats.toJSON());
  });

  it('collects feature services, also from another copy of core', () => {
    const svc = new FeatureService({ name: 'svc', features: [{ view: stats, features: ['x'], alias: 's' }] });
    const json = svc.toJSON();
    const copy = Object.assign(Object.create({ toJSON: () => json }), { name: 'svc', projections: [...svc.projections] });
    const objs = collectDefinitions({ driver, stats, svc: copy }, 'defs.ts');
    expect(objs[2]).toBeInstanceOf(FeatureService);
    expect((objs[2] as FeatureService).toJSON()).toEqual(json);
    expect((objs[2] as FeatureService).projections[0]!.nameToUse).toBe('s');
  });

  it('rejects two different definitions with one name', () => {
    const other = new FeatureView({ name: 'stats', schema: [new Field({ name: 'y', dtype: FeastType.Int64 })] });
    expect(() => collectDefinitions({ a: stats, b: other }, 'defs.ts')).toThrow(/defs\.ts exports two different feature views named "stats"/);
  });
});

describe('findDefinitionsFile and loadDefinitions', () => {
  let project: ReturnType<typeof tempProject>;
  beforeAll(() => {
    project = tempProject();
  });
  afterAll(() => project.cleanup());

  it('finds definitions.ts, .mts, .js or .mjs, or says what it looked for', () => {
    const dir = path.join(project.dir, 'find');
    mkdirSync(dir);
    expect(() => findDefinitionsFile(dir)).toThrow(/expected one of definitions\.ts, definitions\.mts, definitions\.js, definitions\.mjs/);
    writeFileSync(path.join(dir, 'definitions.mjs'), '');
    expect(findDefinitionsFile(dir)).toBe(path.join(dir, 'definitions.mjs'));
    writeFileSync(path.join(dir, 'definitions.ts'), '');
    expect(findDefinitionsFile(dir)).toBe(path.join(dir, 'definitions.ts'));
  });

  it('loads TypeScript and JavaScript modules, afresh on each call', async () => {
    const dir = project.dir;
    writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
    const ts = path.join(dir, 'defs.ts');
    writeFileSync(ts, "import { Entity, ValueType } from '@feast-ts/core';\nconst n: string = 'driver';\nexport default [new Entity({ name: n, valueType: ValueType.STRING })];\n");
    const [e1] = await loadDefinitions(ts);
    expect(e1).toBeInstanceOf(Entity);
    expect(e1!.name).toBe('driver');
    writeFileSync(ts, "import { Entity } from '@feast-ts/core';\nexport const e = new Entity({ name: 'rider' });\n");
    expect((await loadDefinitions(ts)).map((o) => o.name)).toEqual(['rider']);

    const mjs = path.join(dir, 'defs.mjs');
    writeFileSync(mjs, "import { Entity } from '@feast-ts/core';\nexport const e = new Entity({ name: 'customer' });\n");
    expect((await loadDefinitions(mjs)).map((o) => o.name)).toEqual(['customer']);
  });

  it('says which package to install when core is missing', async () => {
    const dir = path.join(project.dir, 'elsewhere');
    mkdirSync(dir);
    const file = path.join(dir, 'defs.mjs');
    writeFileSync(file, "import { Entity } from '@feast-ts/not-installed';\nexport const e = new Entity({ name: 'x' });\n");
    await expect(loadDefinitions(file)).rejects.toThrow(/imports "@feast-ts\/not-installed", which is not installed .* npm install @feast-ts\/not-installed/);
  });
});
