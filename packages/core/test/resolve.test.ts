import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  classifyOnlineStoreType,
  FEAST_ONLY_STORES,
  FeastConfigError,
  OnlineStoreDependencyMissingError,
  OnlineStoreNotSupportedError,
  NotAnOnlineStoreError,
  OnlineStoreExportMissingError,
  OnlineStorePackageMissingError,
  parseOnlineStoreType,
  resolveOnlineStore,
  isFeastError,
} from '../src/index.js';
import { fixture } from './helpers.js';

const repoPath = fixture('');

describe('parseOnlineStoreType', () => {
  it.each([
    ['sqlite', '@feast-ts/sqlite', 'SqliteOnlineStore'],
    ['mysql', '@feast-ts/contrib-mysql', 'MySQLOnlineStore'],
    ['my-pkg#RedisOnlineStore', 'my-pkg', 'RedisOnlineStore'],
    ['@acme/feast-redis#RedisOnlineStore', '@acme/feast-redis', 'RedisOnlineStore'],
    ['feast_custom.mysql.MySQLOnlineStore', 'feast_custom.mysql', 'MySQLOnlineStore'],
    ['./stores/redis.js#RedisOnlineStore', './stores/redis.js', 'RedisOnlineStore'],
  ])('%s -> %s # %s', (type, moduleName, exportName) => {
    expect(parseOnlineStoreType(type)).toEqual({ moduleName, exportName });
  });

  it.each([
    ['redis', '@feast-ts/redis', 'RedisOnlineStore'],
    ['postgres', '@feast-ts/postgres', 'PostgreSQLOnlineStore'],
  ])('short name %s -> %s # %s', (type, moduleName, exportName) => {
    expect(parseOnlineStoreType(type)).toEqual({ moduleName, exportName });
  });

  it('returns undefined for a bare unknown word', () => {
    expect(parseOnlineStoreType('rediss')).toBeUndefined();
  });
});

describe('resolveOnlineStore', () => {
  it('loads a local file store and its Config schema', async () => {
    const r = await resolveOnlineStore('./memory-online-store.ts#MemoryOnlineStore', { repoPath });
    expect(r.exportName).toBe('MemoryOnlineStore');
    expect(typeof r.storeClass).toBe('function');
    expect(r.configSchema.safeParse({ type: 'memory' }).success).toBe(true);
  });

  it('loads an installed package by the dotted Feast form', async () => {
    // zod is installed for core; its export is not a store, which proves resolution reached it
    const err = await resolveOnlineStore('zod.ZodOnlineStore', { repoPath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnlineStoreExportMissingError);
  });

  it('names the package to install when it is missing', async () => {
    const err = await resolveOnlineStore('mysql', { repoPath: '/tmp' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnlineStorePackageMissingError);
    expect((err as Error).message).toMatch(/pnpm add @feast-ts\/contrib-mysql/);
    expect(isFeastError(err)).toBe(true);
  });

  it('distinguishes a missing export, a non-class, an incomplete class, a bad name and a missing schema', async () => {
    const f = './memory-online-store.ts#';
    await expect(resolveOnlineStore(`${f}NopeOnlineStore`, { repoPath })).rejects.toThrow(/no export named "NopeOnlineStore".*MemoryOnlineStore/);
    await expect(resolveOnlineStore(`${f}NotAClassOnlineStore`, { repoPath })).rejects.toThrow(/not a class/);
    await expect(resolveOnlineStore(`${f}IncompleteOnlineStore`, { repoPath })).rejects.toThrow(/does not implement teardown, onlineWriteBatch, onlineRead/);
    await expect(resolveOnlineStore(`${f}NotSuffixed`, { repoPath })).rejects.toThrow(/must end in "OnlineStore"/);
    await expect(resolveOnlineStore(`${f}NoConfigOnlineStore`, { repoPath })).rejects.toThrow(/export the config schema "NoConfigOnlineStoreConfig"/);
    await expect(resolveOnlineStore(`${f}NoConfigOnlineStore`, { repoPath })).rejects.toBeInstanceOf(NotAnOnlineStoreError);
  });
});

describe('Feast store names', () => {
  it.each([
    ['feast.infra.online_stores.sqlite.SqliteOnlineStore', '@feast-ts/sqlite', 'SqliteOnlineStore'],
    ['feast.infra.online_stores.redis.RedisOnlineStore', '@feast-ts/redis', 'RedisOnlineStore'],
    ['feast.infra.online_stores.mysql_online_store.mysql.MySQLOnlineStore', '@feast-ts/contrib-mysql', 'MySQLOnlineStore'],
    ['feast.infra.online_stores.contrib.mysql_online_store.mysql.MySQLOnlineStore', '@feast-ts/contrib-mysql', 'MySQLOnlineStore'],
    ['feast.infra.online_stores.postgres_online_store.postgres.PostgreSQLOnlineStore', '@feast-ts/postgres', 'PostgreSQLOnlineStore'],
    ['feast.infra.online_stores.contrib.postgres.PostgreSQLOnlineStore', '@feast-ts/postgres', 'PostgreSQLOnlineStore'],
  ])('the Python class %s is our %s', (type, moduleName, exportName) => {
    expect(classifyOnlineStoreType(type)).toEqual({ kind: 'module', via: 'feast-class', moduleName, exportName });
  });

  it('every Feast store without an adapter, by short name or class path, is an honest "no adapter yet"', async () => {
    const names = [...Object.keys(FEAST_ONLY_STORES), ...Object.values(FEAST_ONLY_STORES).flatMap((s) => (s.feastClass ? [s.feastClass] : []))];
    names.push('feast.infra.online_stores.some_future_store.FutureOnlineStore');
    expect(names.length).toBeGreaterThan(30);
    for (const type of names) {
      const err = await resolveOnlineStore(type, { repoPath }).catch((e: unknown) => e);
      expect(err, type).toBeInstanceOf(OnlineStoreNotSupportedError);
      expect((err as OnlineStoreNotSupportedError).code).toBe('STORE_NOT_SUPPORTED');
      expect((err as Error).message).toContain('feast-ts has no adapter for it yet: it serves sqlite, mysql, redis, postgres');
      expect((err as Error).message).toContain('docs/how-to/adding-a-new-online-store.md');
      expect((err as Error).message).not.toMatch(/npm install|pnpm add/);
    }
    expect((await resolveOnlineStore('dynamodb', { repoPath }).catch((e: Error) => e.message))).toBe(
      'online_store.type "dynamodb" names Feast\'s Amazon DynamoDB online store (feast.infra.online_stores.dynamodb.DynamoDBOnlineStore). ' +
        'feast-ts has no adapter for it yet: it serves sqlite, mysql, redis, postgres. Use one of those, or write an adapter ' +
        '(see docs/how-to/adding-a-new-online-store.md) and name it as "your-package#YourOnlineStore".',
    );
  });
});

describe('what online_store.type may import', () => {
  const g = globalThis as { __feastTsPwned?: boolean };

  it.each([
    'data:text/javascript,globalThis.__feastTsPwned=true;export class XOnlineStore{};export const XOnlineStoreConfig={safeParse:()=>({success:true})}#XOnlineStore',
    'data:text/javascript,globalThis.__feastTsPwned=true.XOnlineStore',
    'https://example.com/store.js#XOnlineStore',
    'file:///tmp/store.js#XOnlineStore',
    'node:fs#ReadStreamOnlineStore',
    'javascript:alert(1)#XOnlineStore',
  ])('refuses %s without importing it', async (type) => {
    delete g.__feastTsPwned;
    const err = await resolveOnlineStore(type, { repoPath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeastConfigError);
    expect((err as FeastConfigError).keyPath).toBe('online_store.type');
    expect((err as Error).message).toMatch(/is refused: it starts with the URL scheme "[a-z]+:", and feast-ts imports only packages and files/);
    expect(g.__feastTsPwned).toBeUndefined();
  });

  it('refuses a bare name that resolves to a Node builtin', async () => {
    await expect(resolveOnlineStore('fs#ReadStreamOnlineStore', { repoPath })).rejects.toThrow(/resolves to node:fs, which is not a file module/);
  });

  it.each(['./x.js#X-OnlineStore', 'Has Space#XOnlineStore', 'pkg/../../x#XOnlineStore', '#XOnlineStore', 'UPPER SPACE'])(
    'refuses the malformed %s as an unknown form',
    async (type) => {
      await expect(resolveOnlineStore(type, { repoPath })).rejects.toThrow(/is not a known store/);
    },
  );

  it('refuses a path that is a directory', async () => {
    await expect(resolveOnlineStore(`${os.tmpdir()}#XOnlineStore`, { repoPath })).rejects.toThrow(/is not a file; name the module file/);
  });
});

describe('a store that is there but cannot load', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'feast-resolve-'));
    const pkg = async (name: string, files: Record<string, string>): Promise<void> => {
      const root = path.join(dir, 'node_modules', name);
      await mkdir(root, { recursive: true });
      for (const [file, text] of Object.entries(files)) await writeFile(path.join(root, file), text);
    };
    await pkg('store-with-missing-driver', {
      'package.json': JSON.stringify({ name: 'store-with-missing-driver', type: 'module', exports: './index.js' }),
      'index.js': "export { XOnlineStore } from './store.js';\n",
      'store.js': "import 'feast-ts-driver-that-is-not-installed';\nexport class XOnlineStore {}\n",
    });
    await pkg('store-without-build', {
      'package.json': JSON.stringify({ name: 'store-without-build', type: 'module', main: 'dist/index.js' }),
    });
    await pkg('store-with-missing-file', {
      'package.json': JSON.stringify({ name: 'store-with-missing-file', type: 'module', exports: './dist/index.js' }),
    });
    await writeFile(path.join(dir, 'local-store.mjs'), "import '@acme/not-installed-client';\nexport class XOnlineStore {}\n");
  });

  it('names the missing dependency and who imports it, not "install the store package"', async () => {
    const err = await resolveOnlineStore('store-with-missing-driver#XOnlineStore', { repoPath: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnlineStoreDependencyMissingError);
    expect(err).toMatchObject({
      code: 'STORE_DEPENDENCY_MISSING',
      storeModule: 'store-with-missing-driver',
      missingModule: 'feast-ts-driver-that-is-not-installed',
      importedFrom: path.join(dir, 'node_modules/store-with-missing-driver/store.js'),
    });
    expect((err as Error).message).toBe(
      `The online store "store-with-missing-driver" is installed, but it cannot be loaded: ${path.join(dir, 'node_modules/store-with-missing-driver/store.js')} ` +
        'imports "feast-ts-driver-that-is-not-installed", which is not installed. It is a dependency of the store, not the store itself: ' +
        'reinstall the store package so that its dependencies are installed (pnpm install), or add "feast-ts-driver-that-is-not-installed" to your project.',
    );
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('does the same for a local file store', async () => {
    const err = await resolveOnlineStore('./local-store.mjs#XOnlineStore', { repoPath: dir }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_DEPENDENCY_MISSING', missingModule: '@acme/not-installed-client', importedFrom: path.join(dir, 'local-store.mjs') });
  });

  it('says when the package is there but not built, or a file of it is missing', async () => {
    await expect(resolveOnlineStore('store-without-build#XOnlineStore', { repoPath: dir })).rejects.toThrow(
      /"store-without-build#XOnlineStore" is not a usable online store: the package is installed \(.*store-without-build.*\), but the entry file its package.json names does not exist/,
    );
    const err = await resolveOnlineStore('store-with-missing-file#XOnlineStore', { repoPath: dir }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_DEPENDENCY_MISSING' });
    expect((err as Error).message).toMatch(/A file of the store is missing: rebuild or reinstall the store package\.$/);
  });

  it('still names the package to install when the store package itself is missing', async () => {
    const err = await resolveOnlineStore('not-installed-store-pkg#XOnlineStore', { repoPath: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnlineStorePackageMissingError);
    expect((err as Error).message).toMatch(/needs the package "not-installed-store-pkg", which is not installed/);
  });
});
