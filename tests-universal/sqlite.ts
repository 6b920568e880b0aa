/**
 * The universal suite's configs for `@feast-ts/sqlite`: a SQLite file in a
 * fresh temporary directory (`<tmp>/online.db`), removed after the run.
 *
 *   FULL_REPO_CONFIGS_MODULE=./sqlite.ts feast-universal-tests   (from tests-universal/)
 */
import { TempSqliteOnlineStoreCreator, type IntegrationTestRepoConfig } from '@feast-ts/universal-tests';

/**
 * Known store bug, skipped until @feast-ts/sqlite is fixed: a view never applied fails with kind
 * 'database_missing' ("no such table" in src/errors.ts), where the contract says 'table_missing'.
 */
export const SQLITE_KNOWN_FAILURES: readonly string[] = ['unapplied-view'];

/** One config: the embedded SQLite store on a temp-dir database file. */
export const FULL_REPO_CONFIGS: IntegrationTestRepoConfig[] = [
  { name: 'sqlite', onlineStore: { type: 'sqlite' }, creator: TempSqliteOnlineStoreCreator, skip: [...SQLITE_KNOWN_FAILURES] },
];
