import type { RepoConfig, OnlineStoreConfig } from './config/repo-config.js';
import type { Entity } from './definitions/entity.js';
import type { FeatureView } from './definitions/feature-view.js';
import type { EntityKeyProto, ValueProto } from './proto/value.js';

/**
 * One row handed to {@link OnlineStore.onlineWriteBatch}:
 * `[entityKey, features by name, event timestamp, created timestamp or null]`.
 */
export type OnlineWriteRow = [EntityKeyProto, Record<string, ValueProto>, Date, Date | null];

/**
 * One result of {@link OnlineStore.onlineRead}, aligned with the input keys:
 * `[event timestamp, features by name]`, or `[null, null]` when the entity has no row.
 */
export type OnlineReadResult = [Date | null, Record<string, ValueProto> | null];

/** Called by a store as rows are written, with the number of rows just written. */
export type ProgressCallback = (rows: number) => void;

/**
 * The contract every online store implements: the TypeScript form of Feast's
 * `OnlineStore` class. Stores are constructed with no arguments (`new
 * MyOnlineStore()`) and receive the repo config on every call, as in Feast;
 * connections should be created lazily, reused, and released by {@link close}.
 *
 * A store's class name must end in `OnlineStore`, and its module must export
 * the config schema as `<ClassName>Config` (see {@link FeastConfigBaseModel}).
 */
export abstract class OnlineStore<C extends OnlineStoreConfig = OnlineStoreConfig> {
  /**
   * Optional rule for project names beyond Feast's own (for example SQLite
   * forbids hyphens, since project names become table names). Checked when
   * feature_store.yaml is loaded.
   */
  static readonly projectNamePattern?: { pattern: RegExp; description: string };

  /**
   * Creates what reads and writes need (tables, indexes) for `tablesToKeep`
   * and removes what belongs to `tablesToDelete`. Called by `apply`. Must be
   * idempotent: applying the same views twice never fails or changes data.
   *
   * @param partial - true when only the given views changed; false when `tablesToKeep` is the complete set
   */
  abstract update(
    config: RepoConfig<C>,
    tablesToDelete: readonly FeatureView[],
    tablesToKeep: readonly FeatureView[],
    entitiesToDelete: readonly Entity[],
    entitiesToKeep: readonly Entity[],
    partial: boolean,
  ): Promise<void>;

  /** Removes everything the store created for these views (tables and their data). Called by `teardown`. */
  abstract teardown(config: RepoConfig<C>, tables: readonly FeatureView[], entities: readonly Entity[]): Promise<void>;

  /**
   * Upserts rows: a later write of the same (entity, feature) replaces the
   * value and timestamps. Should be atomic per call (all rows or none) and
   * report progress as rows are written; the counts must add up to `data.length`.
   */
  abstract onlineWriteBatch(
    config: RepoConfig<C>,
    table: FeatureView,
    data: readonly OnlineWriteRow[],
    progress?: ProgressCallback,
  ): Promise<void>;

  /**
   * Reads the latest features of each entity key. The result has one entry per
   * input key, in the same order (duplicates included), `[null, null]` for a
   * key with no row. When `requestedFeatures` is given only those are returned.
   */
  abstract onlineRead(
    config: RepoConfig<C>,
    table: FeatureView,
    entityKeys: readonly EntityKeyProto[],
    requestedFeatures?: readonly string[],
  ): Promise<OnlineReadResult[]>;

  /** Releases pools and handles. After close the store may be used again (it reconnects lazily). */
  async close(): Promise<void> {}
}

/** A class that builds an {@link OnlineStore}: what `online_store.type` resolves to. */
export interface OnlineStoreClass {
  new (): OnlineStore;
  readonly name: string;
  readonly projectNamePattern?: { pattern: RegExp; description: string };
}

/**
 * What names an online table: the project name, or the repo config (its project, and whether
 * `registry.enable_online_feature_view_versioning` is on).
 */
export type TableNaming = string | Pick<RepoConfig, 'project' | 'registryConfig'>;

/**
 * Feast's online table name for a view: `<project>_<view name>`; with the repo config and
 * `registry.enable_online_feature_view_versioning`, `<project>_<view name>_v<N>` for a view whose
 * current version number N is above 0 (as Feast names versioned tables). The one place table
 * names are made: stores pass their `config` so that versioning applies. Quote it before use in SQL.
 */
export function onlineTableName(naming: TableNaming, table: FeatureView | string): string {
  const project = typeof naming === 'string' ? naming : naming.project;
  const name = typeof table === 'string' ? table : table.name;
  const versioned = typeof naming !== 'string' && naming.registryConfig?.enableOnlineFeatureViewVersioning === true;
  const version = versioned && typeof table !== 'string' ? table.currentVersionNumber : 0;
  return version > 0 ? `${project}_${name}_v${version}` : `${project}_${name}`;
}
