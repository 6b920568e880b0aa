import { afterEach, describe, inject } from 'vitest';
import { engineOptions, openDriver, parseSqlAlchemyUrl, type SqlDriver } from '../src/index.js';
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
