import type { EntityKeySerializationVersion } from '../entity-key/serialize.js';

/** The parsed `online_store` section: at least its `type`; each store adds its own keys. */
export interface OnlineStoreConfig {
  type: string;
}

/**
 * The parsed `registry` section of feature_store.yaml (a bare string is a file registry at that path).
 * Keys feast-ts does not use are kept in {@link RegistryConfig.options}.
 */
export interface RegistryConfig {
  /** Feast's `registry_type`: `file` (default), `sql`, `remote`, `snowflake.registry`, or another Feast value. */
  registryType: string;
  /**
   * For a file registry: the absolute path of the file, or the URL as written when it is remote
   * (`s3://`, `gs://`). For `sql`: the SQLAlchemy URL as written. For `remote`: the server address.
   */
  path: string;
  /** Seconds a loaded registry is reused before it is read again; 0 caches it until refreshed. Default 600, as Feast. */
  cacheTtlSeconds: number;
  /** Feast's `enable_online_feature_view_versioning`: online tables named `<project>_<view>_v<N>`. Default false. */
  enableOnlineFeatureViewVersioning: boolean;
  /** The whole section as written (after variable expansion), including keys feast-ts does not use. */
  options: Readonly<Record<string, unknown>>;
}

/**
 * A loaded feature_store.yaml. Top-level keys are camelCase here; the
 * `onlineStore` object is what the store's config schema produced from the
 * `online_store` section (keys as written in YAML, like Feast).
 */
export interface RepoConfig<C extends OnlineStoreConfig = OnlineStoreConfig> {
  /** Feast project name: namespaces tables so projects do not collide. */
  project: string;
  /** Feast's `project_description`, when the file has one. */
  projectDescription?: string;
  /** Absolute path of the registry file (for a file registry; see {@link RepoConfig.registryConfig}). */
  registry: string;
  /**
   * The whole `registry` section. Absent on configs built by hand, which then mean a file registry at
   * {@link RepoConfig.registry} with Feast's defaults.
   */
  registryConfig?: RegistryConfig;
  /** Feast provider (`local`); kept for compatibility. */
  provider: string;
  /**
   * The online store's config, parsed by its schema. A repo without an online store
   * (`online_store: null` or `none`) has `{ type: 'none' }` here and the `NoOnlineStore` store.
   */
  onlineStore: C;
  /** Entity key serialization version: 3 (default) or 2. */
  entityKeySerializationVersion: EntityKeySerializationVersion;
  /** Absolute path of the feature repository directory; relative paths in configs resolve against it. */
  repoPath: string;
  /** Absolute path of the feature_store.yaml this came from, when it came from a file. */
  configFile?: string;
  /**
   * The top-level keys of feature_store.yaml that feast-ts does not use (`offline_store`, `batch_engine`,
   * `auth`, `feature_server`, ..., and unknown keys), as written after variable expansion: kept, not validated.
   * Absent on configs built by hand.
   */
  extras?: Readonly<Record<string, unknown>>;
}
