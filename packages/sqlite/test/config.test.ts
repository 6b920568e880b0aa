import path from 'node:path';
import { FeastConfigError, OnlineStore, type OnlineStoreClass, type RepoConfig } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { resolveDbPath } from '../src/config.js';
import { SqliteOnlineStore, SqliteOnlineStoreConfig } from '../src/index.js';

function repo(onlineStore: Record<string, unknown>): RepoConfig {
  return {
    project: 'p',
    registry: '/repo/data/registry.db',
    provider: 'local',
    onlineStore: onlineStore as unknown as RepoConfig['onlineStore'],
    entityKeySerializationVersion: 3,
    repoPath: '/repo',
    configFile: '/repo/feature_store.yaml',
  };
}

describe('SqliteOnlineStoreConfig', () => {
  it('defaults like Feast: type sqlite, path data/online.db', () => {
    expect(SqliteOnlineStoreConfig.parse({ type: 'sqlite' })).toEqual({ type: 'sqlite', path: 'data/online.db' });
    expect(SqliteOnlineStoreConfig.parse({})).toEqual({ type: 'sqlite', path: 'data/online.db' });
  });

  it('rejects unknown keys and an empty path', () => {
    expect(SqliteOnlineStoreConfig.safeParse({ type: 'sqlite', pth: 'x.db' }).success).toBe(false);
    expect(SqliteOnlineStoreConfig.safeParse({ type: 'sqlite', path: '' }).success).toBe(false);
  });
});

describe('resolveDbPath', () => {
  it('resolves a relative path against the repo, keeps absolute paths and :memory:', () => {
    expect(resolveDbPath(repo({ type: 'sqlite' }))).toBe(path.resolve('/repo', 'data/online.db'));
    expect(resolveDbPath(repo({ type: 'sqlite', path: '../shared/online.db' }))).toBe(path.resolve('/shared/online.db'));
    expect(resolveDbPath(repo({ type: 'sqlite', path: '/var/feast/online.db' }))).toBe('/var/feast/online.db');
    expect(resolveDbPath(repo({ type: 'sqlite', path: ':memory:' }))).toBe(':memory:');
  });

  it('names the file and key of an invalid section', () => {
    const bad = () => resolveDbPath(repo({ type: 'sqlite', path: 42 }));
    expect(bad).toThrow(FeastConfigError);
    expect(bad).toThrow(/feature_store\.yaml: online_store\.path/);
  });
});

describe('SqliteOnlineStore class', () => {
  it('is an OnlineStore whose class core can load', () => {
    const cls: OnlineStoreClass = SqliteOnlineStore;
    expect(new cls()).toBeInstanceOf(OnlineStore);
    expect(cls.name).toBe('SqliteOnlineStore');
  });

  it('allows project names that make plain table names, and no hyphens', () => {
    const rule = SqliteOnlineStore.projectNamePattern;
    expect(rule.pattern.test('driver_ranking')).toBe(true);
    expect(rule.pattern.test('Project2')).toBe(true);
    expect(rule.pattern.test('driver-ranking')).toBe(false);
    expect(rule.pattern.test('_hidden')).toBe(false);
    expect(rule.description).toMatch(/no hyphens/);
  });
});

describe("Feast's optional SQLite keys", () => {
  it('accepts vector_enabled / text_search_enabled when false, so one feature_store.yaml serves Python Feast too', () => {
    expect(SqliteOnlineStoreConfig.safeParse({ type: 'sqlite', vector_enabled: false, vector_len: 384, text_search_enabled: false }).success).toBe(true);
  });

  it('rejects vector search with a message that says it is unsupported', () => {
    const r = SqliteOnlineStoreConfig.safeParse({ type: 'sqlite', vector_enabled: true });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/vector search is not supported by feast-ts yet/);
  });
});
