import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Entity, FeastType, FeatureView, Field, FileRegistry, RegistryError } from '../src/index.js';

const view = (name: string): FeatureView => new FeatureView({ name, schema: [new Field({ name: 'x', dtype: FeastType.Int64 })] });
const content = (...views: FeatureView[]) => ({ entities: new Map<string, Entity>(), featureViews: new Map(views.map((v) => [v.name, v])) });

async function registry(): Promise<FileRegistry> {
  return new FileRegistry(path.join(await mkdtemp(path.join(os.tmpdir(), 'feast-reg-')), 'data', 'registry.json'));
}

describe('FileRegistry', () => {
  it('parses the file once while it is unchanged (no read per request)', async () => {
    const reg = await registry();
    await reg.save('p', content(view('a')));
    const first = await reg.load('p');
    expect(await reg.load('p')).toBe(first);
  });

  it('sees changes made by another process', async () => {
    const reg = await registry();
    const other = new FileRegistry(reg.file);
    await reg.save('p', content(view('a')));
    expect([...(await reg.load('p')).featureViews.keys()]).toEqual(['a']);
    await other.save('p', content(view('a'), view('bigger_name')));
    expect([...(await reg.load('p')).featureViews.keys()]).toEqual(['a', 'bigger_name']);
  });

  it('keeps projects apart and drops a project on null', async () => {
    const reg = await registry();
    await reg.save('p1', content(view('a')));
    await reg.save('p2', content(view('b')));
    await reg.save('p1', null);
    expect((await reg.load('p1')).featureViews.size).toBe(0);
    expect([...(await reg.load('p2')).featureViews.keys()]).toEqual(['b']);
    expect(JSON.parse(await readFile(reg.file, 'utf8')).projects).toHaveProperty('p2');
  });

  it('reports a corrupt file with what to do', async () => {
    const reg = await registry();
    await reg.save('p', content(view('a')));
    await writeFile(reg.file, '{ not json');
    const err = await reg.load('p').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as Error).message).toMatch(/is not valid: .*Delete it and run apply again/);
  });
});
