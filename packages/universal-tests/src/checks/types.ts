import type { Entity, EntityKeyProto, FeatureStore, FeatureView, OnlineReadResult, OnlineStore, OnlineWriteRow, ProgressCallback, RepoConfig, WriteSemantics } from '@feast-ts/core';

/**
 * A fresh feature repository for one check: a temporary directory with a
 * feature_store.yaml (unique project), the loaded {@link RepoConfig}, and an
 * instance of the store it names. Everything is closed and removed when the
 * check ends.
 */
export interface TestEnvironment {
  /** Unique project name (`ut_` and hex digits). */
  readonly project: string;
  /** The temporary feature repo directory. */
  readonly repoDir: string;
  /** The loaded feature_store.yaml. */
  readonly config: RepoConfig;
  /** The store instance under test. */
  readonly store: OnlineStore;
  /**
   * What the store declares for writes not newer than the stored row
   * (`store.writeSemantics(config)`), `last-write-wins` when it declares nothing.
   */
  readonly writeSemantics: WriteSemantics;
  /**
   * `store.update(config, [], views, [], <their entities>, true)`; the views
   * are torn down when the environment is disposed.
   */
  apply(views: readonly FeatureView[]): Promise<void>;
  /** Marks views to tear down at dispose time (for views created by calling `store.update` directly). */
  track(views: readonly FeatureView[]): void;
  /** `store.onlineWriteBatch(config, view, rows, progress)`. */
  write(view: FeatureView, rows: readonly OnlineWriteRow[], progress?: ProgressCallback): Promise<void>;
  /** `store.onlineRead(config, view, keys, requestedFeatures)`. */
  read(view: FeatureView, keys: readonly EntityKeyProto[], requestedFeatures?: readonly string[]): Promise<OnlineReadResult[]>;
  /** A second instance of the same store class (closed at dispose), to check state shared through the database. */
  newStoreInstance(): OnlineStore;
  /** Opens core's FeatureStore on this repo (closed at dispose). */
  openFeatureStore(): Promise<FeatureStore>;
}

/** What a check receives: the config's name and a factory of fresh environments. */
export interface UniversalCheckContext {
  /** The name of the {@link IntegrationTestRepoConfig} under test. */
  readonly configName: string;
  /**
   * A fresh environment with its own project, on the same database as every
   * other environment of this config (so project isolation can be checked).
   */
  newEnvironment(): Promise<TestEnvironment>;
}

/** One check of the suite: an id for skip lists, a title, and the check itself (rejects on failure). */
export interface UniversalCheck {
  /** Stable kebab-case identifier, such as `round-trip-scalars`. */
  readonly id: string;
  /** Human title, used as the test name. */
  readonly name: string;
  /** Runs the check; throws (a CheckFailure, or the store's own error) when the store misbehaves. */
  run(ctx: UniversalCheckContext): Promise<void>;
}

/** Entities of the given views, once each (by name). */
export function entitiesOf(views: readonly FeatureView[]): Entity[] {
  const byName = new Map<string, Entity>();
  for (const v of views) for (const e of v.entities) byName.set(e.name, e);
  return [...byName.values()];
}
