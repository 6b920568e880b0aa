import * as core from '@feast-ts/core';
import type { Entity, FeatureView } from '@feast-ts/core';

/**
 * The part of core's `FeatureStore` the suite drives (see ARCHITECTURE.md):
 * apply, write, read, teardown, close.
 */
export interface FeatureStoreFacade {
  apply(objects: Array<Entity | FeatureView>): Promise<void>;
  teardown(): Promise<void>;
  writeToOnlineStore(featureViewName: string, rows: Array<Record<string, unknown>>): Promise<void>;
  getOnlineFeatures(request: {
    features: string[];
    entityRows: Array<Record<string, unknown>>;
    fullFeatureNames?: boolean;
  }): Promise<Record<string, unknown[]>>;
  close(): Promise<void>;
}

interface FeatureStoreClassLike {
  open(repoPath: string): Promise<FeatureStoreFacade>;
}

/**
 * Opens core's `FeatureStore` on a feature repo directory.
 *
 * @throws FeastError (`NOT_FOUND`) when the installed `@feast-ts/core` has no `FeatureStore`
 */
export async function openFeatureStore(repoDir: string): Promise<FeatureStoreFacade> {
  const FeatureStore = (core as unknown as Record<string, unknown>)['FeatureStore'] as Partial<FeatureStoreClassLike> | undefined;
  if (typeof FeatureStore?.open !== 'function') {
    throw new core.FeastError(
      'NOT_FOUND',
      'The installed @feast-ts/core does not export FeatureStore.open(); upgrade @feast-ts/core to run the FeatureStore checks, or skip them (ids starting with "feature-store-").',
    );
  }
  return FeatureStore.open(repoDir);
}
