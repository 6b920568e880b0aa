import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeatureStore, loadRepo, type FeatureView, type OnlineStore, type OnlineStoreClass, type RepoConfig } from '@feast-ts/core';
import { entitiesOf, type TestEnvironment } from './checks/types.js';
import type { OnlineStoreConfigInput } from './types.js';

/** A project name unique to this run: `ut_` and 12 hex digits (no hyphens, valid for every store). */
export function uniqueProjectName(prefix = 'ut'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Options of {@link createTestEnvironment}. */
export interface CreateTestEnvironmentOptions {
  /** Project name; default {@link uniqueProjectName}. */
  project?: string;
  /** `provider` in feature_store.yaml; default `local`. */
  provider?: string;
  /** More places to resolve store packages from (see core's `loadRepo`). */
  resolveFrom?: Array<string | URL>;
}

/** A {@link TestEnvironment} plus the function that closes and removes it. */
export interface DisposableTestEnvironment extends TestEnvironment {
  /** Tears down the tracked views (best effort), closes every store and FeatureStore, removes the directory. */
  dispose(): Promise<void>;
}

/**
 * Writes a temporary feature repo whose feature_store.yaml has
 * `online_store: <onlineStore>`, loads it with core's `loadRepo` (which
 * resolves and validates the store) and instantiates the store.
 */
export async function createTestEnvironment(
  onlineStore: OnlineStoreConfigInput,
  options: CreateTestEnvironmentOptions = {},
): Promise<DisposableTestEnvironment> {
  const project = options.project ?? uniqueProjectName();
  const repoDir = await mkdtemp(path.join(tmpdir(), 'feast-ut-repo-'));
  let loaded: { config: RepoConfig; storeClass: OnlineStoreClass };
  try {
    // JSON is YAML: no YAML writer needed, and every string is quoted safely.
    const yaml = {
      project,
      registry: 'data/registry.json',
      provider: options.provider ?? 'local',
      online_store: onlineStore,
      entity_key_serialization_version: 3,
    };
    await writeFile(path.join(repoDir, 'feature_store.yaml'), `${JSON.stringify(yaml, null, 2)}\n`);
    const repo = await loadRepo(repoDir, options.resolveFrom ? { resolveFrom: options.resolveFrom } : {});
    loaded = { config: repo.config, storeClass: repo.store.storeClass };
  } catch (err) {
    await rm(repoDir, { recursive: true, force: true });
    throw err;
  }
  const { config, storeClass } = loaded;
  const store = new storeClass();
  const extraStores: OnlineStore[] = [];
  const featureStores: FeatureStore[] = [];
  const tracked = new Map<string, FeatureView>();
  const track = (views: readonly FeatureView[]): void => {
    for (const v of views) tracked.set(v.name, v);
  };

  const writeSemantics = store.writeSemantics?.(config) ?? 'last-write-wins';
  if (writeSemantics !== 'last-write-wins' && writeSemantics !== 'newest-event-wins') {
    await rm(repoDir, { recursive: true, force: true });
    throw new Error(`${storeClass.name}.writeSemantics() returned ${JSON.stringify(writeSemantics)}; it must be 'last-write-wins' or 'newest-event-wins'.`);
  }

  return {
    project,
    repoDir,
    config,
    store,
    writeSemantics,
    track,
    async apply(views) {
      track(views);
      await store.update(config, [], views, [], entitiesOf(views), true);
    },
    write: (view, rows, progress) => store.onlineWriteBatch(config, view, rows, progress),
    read: (view, keys, requestedFeatures) => store.onlineRead(config, view, keys, requestedFeatures),
    newStoreInstance() {
      const extra = new storeClass();
      extraStores.push(extra);
      return extra;
    },
    async openFeatureStore() {
      const fs = await FeatureStore.open(repoDir, options.resolveFrom ? { resolveFrom: options.resolveFrom } : {});
      featureStores.push(fs);
      return fs;
    },
    async dispose() {
      const errors: unknown[] = [];
      for (const fs of featureStores) await fs.close().catch((e: unknown) => errors.push(e));
      if (tracked.size > 0) {
        const views = [...tracked.values()];
        // Best effort: the store under test may be the broken part; its own checks report that.
        await store.teardown(config, views, entitiesOf(views)).catch(() => undefined);
      }
      for (const s of [store, ...extraStores]) await s.close().catch((e: unknown) => errors.push(e));
      await rm(repoDir, { recursive: true, force: true }).catch(() => undefined);
      if (errors.length > 0) throw errors[0];
    },
  };
}
