/**
 * The universal suite's configs for `@feast-ts/sqlite`: a SQLite file in a
 * fresh temporary directory (`<tmp>/online.db`), removed after the run.
 *
 *   FULL_REPO_CONFIGS_MODULE=./sqlite.ts feast-universal-tests   (from tests-universal/)
 */
import { TempSqliteOnlineStoreCreator, type IntegrationTestRepoConfig } from '@feast-ts/universal-tests';

/** One config: the embedded SQLite store on a temp-dir database file. */
export const FULL_REPO_CONFIGS: IntegrationTestRepoConfig[] = [
  { name: 'sqlite', onlineStore: { type: 'sqlite' }, creator: TempSqliteOnlineStoreCreator },
];
