import { FeatureStore } from '@feast-ts/core';

/**
 * Opens the feature repo at `repo`. Store packages resolve from the repo first,
 * then from this CLI's own location, so `online_store: sqlite` works even when
 * the repo does not install `@feast-ts/sqlite` itself.
 */
export function openStore(repo: string, env: NodeJS.ProcessEnv): Promise<FeatureStore> {
  return FeatureStore.open(repo, { env, resolveFrom: [import.meta.url] });
}
