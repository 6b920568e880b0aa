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
 * What a store does with a write whose event timestamp is not newer than the
 * row it already holds for that entity and view:
 * - `last-write-wins`: the later write replaces it (an upsert; the default);
 * - `newest-event-wins`: it is skipped, so the newest event time stays
 *   (Feast's Redis rule, also within one batch).
 */
export type WriteSemantics = 'last-write-wins' | 'newest-event-wins';

/** One feature view's part of {@link OnlineStore.onlineReadMany}: the arguments of one `onlineRead`. */
export interface OnlineReadRequest {
  table: FeatureView;
  entityKeys: readonly EntityKeyProto[];
  requestedFeatures?: readonly string[];
}

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

  /**
   * Optional capability: which {@link WriteSemantics} the store has under
   * `config`. A store without it is `last-write-wins`.
   */
  writeSemantics?(config: RepoConfig<C>): WriteSemantics;

  /**
   * Optional capability: several views' reads in one pass (for a store whose
   * views of one entity share a record, such as Feast's Redis hash). Result
   * `i` is what `onlineRead` would return for `requests[i]`. FeatureStore uses
   * it when present, else calls {@link onlineRead} once per view.
   */
  onlineReadMany?(config: RepoConfig<C>, requests: readonly OnlineReadRequest[]): Promise<OnlineReadResult[][]>;

  /** Releases pools and handles. After close the store may be used again (it reconnects lazily). */
  async close(): Promise<void> {}
}

/** A class that builds an {@link OnlineStore}: what `online_store.type` resolves to. */
export interface OnlineStoreClass {
  new (): OnlineStore;
  readonly name: string;
  readonly projectNamePattern?: { pattern: RegExp; description: string };
}

/** Feast's online table name for a view: `<project>_<view name>`. Quote it before use in SQL. */
export function onlineTableName(project: string, table: FeatureView | string): string {
  return `${project}_${typeof table === 'string' ? table : table.name}`;
}
