import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IntegrationTestRepoConfig, OnlineStoreConfigObject, OnlineStoreCreator } from './types.js';

/**
 * Creator of the built-in config: a SQLite file in a fresh temporary
 * directory (`<tmp>/online.db`), removed on teardown. Needs `@feast-ts/sqlite`
 * to be installed where the tests run.
 */
export class TempSqliteOnlineStoreCreator implements OnlineStoreCreator {
  private dir: string | undefined;

  /** @param projectName - unused; every instance gets its own directory */
  constructor(readonly projectName: string) {}

  /** Makes the directory; returns `{ type: 'sqlite', path: <dir>/online.db }`. */
  async createOnlineStore(): Promise<OnlineStoreConfigObject> {
    this.dir ??= await mkdtemp(path.join(tmpdir(), 'feast-ut-sqlite-'));
    return { type: 'sqlite', path: path.join(this.dir, 'online.db') };
  }

  /** Removes the directory and the database in it. */
  async teardown(): Promise<void> {
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/**
 * The configs used when no configs module is named: the embedded SQLite
 * store in a temporary directory, `{ name: 'sqlite', onlineStore: { type: 'sqlite', path: <tmp>/online.db } }`.
 */
export function defaultRepoConfigs(): IntegrationTestRepoConfig[] {
  return [{ name: 'sqlite', onlineStore: { type: 'sqlite' }, creator: TempSqliteOnlineStoreCreator }];
}
