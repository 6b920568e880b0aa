import { afterEach, describe, inject } from 'vitest';
import type { RegistryConfig, RepoConfig } from '@feast-ts/core';
import { engineOptions, openDriver, parseSqlAlchemyUrl, SqlRegistry, type SqlDriver } from '../src/index.js';
import { createTestDatabase, type TargetName, type TestDatabase } from './servers.js';

const ALL: TargetName[] = ['sqlite', 'postgresql', 'mysql'];
const available = new Set(inject('sqlRegistryTargets'));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch((err: unknown) => console.error('cleanup failed:', err));
});

/** Registers something to undo after the current test. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

/** A fresh database of the target for the current test, dropped after it. */
export async function freshDatabase(target: TargetName): Promise<TestDatabase> {
  const db = await createTestDatabase(target);
  onCleanup(() => db.drop());
  return db;
}

/** A driver on a database, closed after the test. */
export async function driverFor(db: TestDatabase): Promise<SqlDriver> {
  const driver = await openDriver(parseSqlAlchemyUrl(db.url), engineOptions(undefined), db.repoPath);
  onCleanup(() => driver.close());
  return driver;
}

/**
 * The same tests on SQLite, PostgreSQL and MySQL / MariaDB. A dialect whose server did not answer
 * is skipped (the global setup said so loudly; with CI set it already failed the run).
 */
export function eachTarget(name: string, fn: (target: TargetName) => void): void {
  for (const target of ALL) {
    (available.has(target) ? describe : describe.skip)(`${name} [${target}]`, () => fn(target));
  }
}

/** A SqlRegistry on a test database (closed after the test). */
export function registryFor(db: TestDatabase, options: Record<string, unknown> = {}, cacheTtlSeconds = 0): SqlRegistry {
  const registryConfig: RegistryConfig = {
    registryType: 'sql',
    path: db.url,
    cacheTtlSeconds,
    enableOnlineFeatureViewVersioning: false,
    options: { registry_type: 'sql', path: db.url, ...options },
  };
  const repoConfig = { project: 'unused', registry: db.url, registryConfig, provider: 'local', repoPath: db.repoPath, entityKeySerializationVersion: 3, onlineStore: { type: 'sqlite' } } as unknown as RepoConfig;
  const registry = new SqlRegistry(registryConfig, repoConfig);
  onCleanup(() => registry.close());
  return registry;
}
