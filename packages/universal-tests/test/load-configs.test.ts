import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeastConfigError, isFeastError } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import {
  FullRepoConfigsError,
  loadFullRepoConfigs,
  parseFullRepoConfigs,
  TempSqliteOnlineStoreCreator,
} from '../src/index.js';
import { InMemoryOnlineStoreCreator } from './stores/creators.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const load = (specifier: string) => loadFullRepoConfigs(specifier, { cwd: packageDir });

async function rejection(promise: Promise<unknown>): Promise<FullRepoConfigsError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FullRepoConfigsError);
  return err as FullRepoConfigsError;
}

function thrown(fn: () => unknown): FullRepoConfigsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FullRepoConfigsError);
    return err as FullRepoConfigsError;
  }
  throw new Error('expected a FullRepoConfigsError');
}

describe('loadFullRepoConfigs', () => {
  it('without a module or env var returns the built-in SQLite config in a temp dir', async () => {
    const configs = await loadFullRepoConfigs(undefined, { env: {} });
    expect(configs).toHaveLength(1);
    expect(configs[0]!.name).toBe('sqlite');
    expect(configs[0]!.creator).toBe(TempSqliteOnlineStoreCreator);
    const creator = new configs[0]!.creator!('ut_x');
    const store = await creator.createOnlineStore();
    expect(store.type).toBe('sqlite');
    expect(path.basename(store['path'] as string)).toBe('online.db');
    const dir = path.dirname(store['path'] as string);
    expect(existsSync(dir)).toBe(true);
    await creator.teardown();
    expect(existsSync(dir)).toBe(false);
  });

  it('loads FULL_REPO_CONFIGS from a path relative to cwd (extension optional)', async () => {
    for (const spec of ['./test/fixtures/memory-configs.ts', 'test/fixtures/memory-configs', path.join(packageDir, 'test/fixtures/memory-configs.ts')]) {
      const configs = await load(spec);
      expect(configs.map((c) => c.name)).toEqual(['in-memory']);
      expect(configs[0]!.creator).toBe(InMemoryOnlineStoreCreator);
    }
  });

  it('reads the module from FULL_REPO_CONFIGS_MODULE', async () => {
    const configs = await loadFullRepoConfigs(undefined, { cwd: packageDir, env: { FULL_REPO_CONFIGS_MODULE: 'test/fixtures/memory-configs.ts' } });
    expect(configs.map((c) => c.name)).toEqual(['in-memory']);
  });

  it("accepts Feast's AVAILABLE_ONLINE_STORES map", async () => {
    const configs = await load('./test/fixtures/available-online-stores.ts');
    expect(configs.map((c) => c.name)).toEqual(['memory', 'memory-with-creator']);
    expect(configs[0]!.onlineStore).toMatchObject({ database: 'available' });
    expect(configs[0]!.creator).toBeUndefined();
    expect(configs[1]!.onlineStore).toBeUndefined();
    expect(configs[1]!.creator).toBe(InMemoryOnlineStoreCreator);
  });

  it('rejects an invalid export with a FeastConfigError naming the module and the entry', async () => {
    const err = await rejection(load('./test/fixtures/invalid-configs.ts'));
    expect(err).toBeInstanceOf(FeastConfigError);
    expect(isFeastError(err)).toBe(true);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.name).toBe('FullRepoConfigsError');
    expect(err.moduleSpecifier).toBe('./test/fixtures/invalid-configs.ts');
    expect(err.message).toContain('./test/fixtures/invalid-configs.ts');
    expect(err.message).toContain('FULL_REPO_CONFIGS[0].onlineStore');
  });

  it('names the exports when neither FULL_REPO_CONFIGS nor AVAILABLE_ONLINE_STORES is there', async () => {
    const err = await rejection(load('./test/fixtures/no-configs-export.ts'));
    expect(err.message).toMatch(/exports neither FULL_REPO_CONFIGS .* nor AVAILABLE_ONLINE_STORES/);
    expect(err.message).toContain('REPO_CONFIGS, somethingElse');
  });

  it('resolves package names from cwd (and reports a package without configs)', async () => {
    const err = await rejection(load('@feast-ts/core'));
    expect(err.message).toContain('"@feast-ts/core"');
    expect(err.message).toContain('exports neither');
  });

  it('reports a module that does not exist', async () => {
    const err = await rejection(load('./test/fixtures/nope.ts'));
    expect(err.message).toContain('was not found');
    expect(err.message).toContain(packageDir.replace(/\/$/, ''));
    const err2 = await rejection(load('@feast-ts/not-a-package'));
    expect(err2.message).toContain('@feast-ts/not-a-package');
  });

  it('reports a module that fails to import', async () => {
    const err = await rejection(
      loadFullRepoConfigs('./test/fixtures/memory-configs.ts', { cwd: packageDir, importModule: () => Promise.reject(new Error('boom')) }),
    );
    expect(err.message).toContain('failed to import: boom');
  });
});

describe('parseFullRepoConfigs', () => {
  const parse = (exports: unknown) => parseFullRepoConfigs(exports, 'my-configs');

  it('accepts string and object online stores, creators, skip lists, and a default export', () => {
    const configs = parse({
      default: {
        FULL_REPO_CONFIGS: [
          { name: 'a', onlineStore: 'sqlite', skip: ['round-trip-large-bytes'] },
          { name: 'b', onlineStore: { type: 'mysql', host: 'h' }, creator: InMemoryOnlineStoreCreator },
        ],
      },
    });
    expect(configs.map((c) => c.name)).toEqual(['a', 'b']);
    expect(configs[0]!.skip).toEqual(['round-trip-large-bytes']);
  });

  it.each([
    ['an empty array', { FULL_REPO_CONFIGS: [] }, 'FULL_REPO_CONFIGS: is empty'],
    ['not an array', { FULL_REPO_CONFIGS: { name: 'x' } }, 'FULL_REPO_CONFIGS:'],
    ['a config with neither store nor creator', { FULL_REPO_CONFIGS: [{ name: 'x' }] }, 'needs an onlineStore'],
    ['a misspelled key', { FULL_REPO_CONFIGS: [{ name: 'x', onlinestore: 'sqlite' }] }, 'unknown key "onlinestore"'],
    ['duplicate names', { FULL_REPO_CONFIGS: [{ name: 'x', onlineStore: 'sqlite' }, { name: 'x', onlineStore: 'sqlite' }] }, 'FULL_REPO_CONFIGS[1].name'],
    ['a creator that is not a class', { FULL_REPO_CONFIGS: [{ name: 'x', creator: {} }] }, 'FULL_REPO_CONFIGS[0].creator'],
    ['skip not a string list', { FULL_REPO_CONFIGS: [{ name: 'x', onlineStore: 'sqlite', skip: 'all' }] }, 'FULL_REPO_CONFIGS[0].skip'],
    ['an AVAILABLE_ONLINE_STORES pair of nulls', { AVAILABLE_ONLINE_STORES: { redis: [null, null] } }, 'AVAILABLE_ONLINE_STORES.redis'],
    ['an empty AVAILABLE_ONLINE_STORES', { AVAILABLE_ONLINE_STORES: {} }, 'AVAILABLE_ONLINE_STORES: is empty'],
    ['an AVAILABLE_ONLINE_STORES entry that is not a pair', { AVAILABLE_ONLINE_STORES: { redis: { type: 'redis' } } }, 'AVAILABLE_ONLINE_STORES.redis'],
  ])('rejects %s', (_label, exports, fragment) => {
    const err = thrown(() => parse(exports));
    expect(err.message).toContain('Configs module "my-configs"');
    expect(err.message).toContain(fragment);
  });
});
