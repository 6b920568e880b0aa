import type { EntityKeySerializationVersion } from '../entity-key/serialize.js';

/** The parsed `online_store` section: at least its `type`; each store adds its own keys. */
export interface OnlineStoreConfig {
  type: string;
}

/**
 * A loaded feature_store.yaml. Top-level keys are camelCase here; the
 * `onlineStore` object is what the store's config schema produced from the
 * `online_store` section (keys as written in YAML, like Feast).
 */
export interface RepoConfig<C extends OnlineStoreConfig = OnlineStoreConfig> {
  /** Feast project name: namespaces tables so projects do not collide. */
  project: string;
  /** Absolute path of the registry file. */
  registry: string;
  /** Feast provider (`local`); kept for compatibility. */
  provider: string;
  /** The online store's config, parsed by its schema. */
  onlineStore: C;
  /** Entity key serialization version: 3 (default) or 2. */
  entityKeySerializationVersion: EntityKeySerializationVersion;
  /** Absolute path of the feature repository directory; relative paths in configs resolve against it. */
  repoPath: string;
  /** Absolute path of the feature_store.yaml this came from, when it came from a file. */
  configFile?: string;
}
