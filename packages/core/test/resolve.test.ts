import { describe, expect, it } from 'vitest';
import {
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
