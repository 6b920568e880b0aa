import { z } from 'zod';
import { FeastConfigBaseModel } from '../config/base-model.js';
import type { RepoConfig } from '../config/repo-config.js';
import type { Entity } from '../definitions/entity.js';
import type { FeatureView } from '../definitions/feature-view.js';
import { OnlineStore, type OnlineReadResult, type OnlineWriteRow } from '../online-store.js';
import type { EntityKeyProto } from '../proto/value.js';
import { NoOnlineStoreError } from './store-errors.js';

/** `RepoConfig.onlineStore.type` of a repo whose feature_store.yaml says `online_store: null` or `none`. */
export const NO_ONLINE_STORE_TYPE = 'none';

/** The config schema of {@link NoOnlineStore}: nothing but `type: none`. */
export const NoOnlineStoreConfig = FeastConfigBaseModel.extend({
  type: z.literal(NO_ONLINE_STORE_TYPE).default(NO_ONLINE_STORE_TYPE),
});

/**
 * The store of a feature repo without one (`online_store: null` or `none`, as
 * Feast allows): the FeatureStore opens and the registry can be read, `apply`
 * and `teardown` change only the registry (Feast skips the online store the
 * same way), and every online read or write throws {@link NoOnlineStoreError}.
 */
export class NoOnlineStore extends OnlineStore {
  async update(
    _config: RepoConfig,
    _tablesToDelete: readonly FeatureView[],
    _tablesToKeep: readonly FeatureView[],
    _entitiesToDelete: readonly Entity[],
    _entitiesToKeep: readonly Entity[],
    _partial: boolean,
  ): Promise<void> {}

  async teardown(_config: RepoConfig, _tables: readonly FeatureView[], _entities: readonly Entity[]): Promise<void> {}

  async onlineWriteBatch(config: RepoConfig, table: FeatureView, _data: readonly OnlineWriteRow[]): Promise<void> {
    throw new NoOnlineStoreError(`writing to feature view "${table.name}"`, config.configFile);
  }

  async onlineRead(config: RepoConfig, table: FeatureView, _entityKeys: readonly EntityKeyProto[]): Promise<OnlineReadResult[]> {
    throw new NoOnlineStoreError(`reading feature view "${table.name}"`, config.configFile);
  }
}

/** True when `config` has no online store (`online_store: null` or `none` in feature_store.yaml). */
export function hasNoOnlineStore(config: Pick<RepoConfig, 'onlineStore'>): boolean {
  return config.onlineStore.type === NO_ONLINE_STORE_TYPE;
}
