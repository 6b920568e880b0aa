import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FeastConfigError, loadRepo } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { driverKey, driverStats, setup } from './helpers.js';

// Resolves `@feast-ts/sqlite` from this package (its built dist), as a feature repo would.
const resolveFrom = [import.meta.url];

describe('loaded through feature_store.yaml', () => {
  it('online_store: sqlite resolves to this store and its config', async () => {
    const { repoPath } = setup();
    writeFileSync(path.join(repoPath, 'feature_store.yaml'), 'project: driver_ranking\nonline_store:\n  type: sqlite\n  path: data/features.db\n');
    const { config, store } = await loadRepo(repoPath, { resolveFrom });
    expect(store.exportName).toBe('SqliteOnlineStore');
    expect(config.onlineStore).toEqual({ type: 'sqlite', path: 'data/features.db' });

    const instance = new store.storeClass();
    try {
      const view = driverStats();
      await instance.update(config, [], [view], [], [], false);
      await instance.onlineWriteBatch(config, view, [[driverKey(1n), { conv_rate: { doubleVal: 0.5 } }, new Date(0), null]]);
      expect(await instance.onlineRead(config, view, [driverKey(1n)])).toEqual([[new Date(0), { conv_rate: { doubleVal: 0.5 } }]]);
    } finally {
      await instance.close();
    }
  });

  it('rejects a project name with a hyphen, saying why', async () => {
    const { repoPath } = setup();
    writeFileSync(path.join(repoPath, 'feature_store.yaml'), 'project: driver-ranking\nonline_store: sqlite\n');
    const load = loadRepo(repoPath, { resolveFrom });
    await expect(load).rejects.toBeInstanceOf(FeastConfigError);
    await expect(load).rejects.toThrow(/no hyphens/);
  });

  it('rejects an unknown key in the online_store section', async () => {
    const { repoPath } = setup();
    writeFileSync(path.join(repoPath, 'feature_store.yaml'), 'project: p\nonline_store:\n  type: sqlite\n  pth: x.db\n');
    await expect(loadRepo(repoPath, { resolveFrom })).rejects.toThrow(/online_store\.pth/);
  });
});
