import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveModuleSpecifier } from '../src/resolve-module.js';

const root = mkdtempSync(path.join(tmpdir(), 'feast-ut-resolve-'));
const write = (rel: string, text = 'export {};') => {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

const project = path.join(root, 'project');
write('project/package.json', JSON.stringify({ name: 'my-store', exports: { '.': './index.js', './repo-configs': { types: './c.d.ts', import: './dist/configs.js' } } }));
write('project/index.js');
write('project/dist/configs.js');
write('project/tests/configs.ts');
write('project/node_modules/plain/package.json', JSON.stringify({ name: 'plain', main: 'lib/main.js' }));
write('project/node_modules/plain/lib/main.js');
write('project/node_modules/@scope/pat/package.json', JSON.stringify({ name: '@scope/pat', exports: { './configs/*': { node: './out/*.mjs' } } }));
write('project/node_modules/@scope/pat/out/mysql.mjs');
const sub = path.join(project, 'packages', 'a');
mkdirSync(sub, { recursive: true });

const fileOf = (spec: string, cwd = project) => {
  const url = resolveModuleSpecifier(spec, cwd);
  return url === undefined ? undefined : fileURLToPath(url);
};

describe('resolveModuleSpecifier', () => {
  it('resolves paths relative to cwd, with or without extension, and absolute paths and file URLs', () => {
    const file = path.join(project, 'tests/configs.ts');
    expect(fileOf('./tests/configs.ts')).toBe(file);
    expect(fileOf('./tests/configs')).toBe(file);
    expect(fileOf('tests/configs.ts')).toBe(file);
    expect(fileOf(file, '/')).toBe(file);
    expect(fileOf(pathToFileURL(file).href)).toBe(file);
    expect(fileOf('./tests/none.ts')).toBeUndefined();
  });

  it('resolves packages from node_modules upwards: main, exports conditions, subpath patterns, self-reference', () => {
    expect(fileOf('plain', sub)).toBe(path.join(project, 'node_modules/plain/lib/main.js'));
    expect(fileOf('@scope/pat/configs/mysql', sub)).toBe(path.join(project, 'node_modules/@scope/pat/out/mysql.mjs'));
    expect(fileOf('my-store/repo-configs')).toBe(path.join(project, 'dist/configs.js'));
    expect(fileOf('my-store')).toBe(path.join(project, 'index.js'));
    expect(fileOf('not-installed')).toBeUndefined();
    expect(fileOf('my-store/not-exported')).toBeUndefined();
  });
});
