import type { RegistryConfig, RepoConfig } from '../config/repo-config.js';
import type { Entity } from '../definitions/entity.js';
import type { FeatureService } from '../definitions/feature-service.js';
import type { FeatureView } from '../definitions/feature-view.js';

/** What one project holds in a registry, as feast-ts serves it. Read-only: copy before changing. */
export interface RegistrySnapshot {
  /** The project these objects belong to. */
  readonly project: string;
  /** Entities by name; a join key type Feast left unset is taken from the views' `entity_columns`. */
  readonly entities: ReadonlyMap<string, Entity>;
  /** Feast `FeatureView`s by name (online or not: see {@link FeatureView.online}). */
  readonly featureViews: ReadonlyMap<string, FeatureView>;
  /** Feast `StreamFeatureView`s by name, as FeatureViews of kind `stream` (served like the others). */
  readonly streamFeatureViews: ReadonlyMap<string, FeatureView>;
  /** Feature services by name. */
  readonly featureServices: ReadonlyMap<string, FeatureService>;
  /** Names of on-demand feature views: they run Python, so feast-ts lists but does not serve them. */
  readonly onDemandFeatureViewNames: ReadonlySet<string>;
  /** Views (of any kind) feast-ts cannot represent, by name, with the reason (e.g. a feature type it does not know yet). */
  readonly unreadableViews: ReadonlyMap<string, string>;
  /**
   * Push sources by name -> the names of the views (batch and stream) whose `stream_source` is that
   * Feast `PushSource`, as Feast's `push()` finds them. Absent on snapshots built by hand.
   */
  readonly viewsByPushSource?: ReadonlyMap<string, readonly string[]>;
}

/** One change of {@link Registry.apply}: store an object (insert or replace by name), or delete one. */
export type RegistryChange =
  | { op: 'put'; object: Entity | FeatureView | FeatureService }
  | { op: 'delete'; kind: 'entity' | 'featureView' | 'featureService'; name: string };

/** The project's stored objects, decoded whole (for `feast-ts registry-dump`). */
export interface RegistryDump {
  project: string;
  /** Each kind of object (`entities`, `featureViews`, `dataSources`, ...) -> its decoded messages. */
  objects: Record<string, unknown[]>;
}

/**
 * A Feast registry: where a project's entities, views and feature services are recorded.
 * Implemented by the file registry (Feast's `registry.db`) in core and by `@feast-ts/sql-registry`
 * (`registry_type: sql`). Implementations keep everything of Feast's they do not change.
 */
export interface Registry {
  /**
   * The project's objects. Served from a cache for `cache_ttl_seconds` (0: until {@link refresh}),
   * and after an apply through this instance.
   */
  load(project: string): Promise<RegistrySnapshot>;
  /**
   * What {@link load} would return now, when the cache holds it and it is still fresh: no I/O and
   * no promise, for the serving path. `undefined` when `load` has work to do. Optional: a registry
   * without it is always read through `load`.
   */
  loadCached?(project: string): RegistrySnapshot | undefined;
  /**
   * Applies the changes in one write (all or nothing), stamping what changed as Feast does
   * (objects' `last_updated_timestamp`, the registry's version and time). Objects whose stored form
   * already says the same are left byte for byte. Returns whether anything was written.
   */
  apply(project: string, changes: readonly RegistryChange[]): Promise<boolean>;
  /** Forgets the cache: the next {@link load} reads the registry again. */
  refresh(): Promise<void>;
  /** Every project the registry holds objects of. */
  listProjects(): Promise<string[]>;
  /** The project's stored objects of every kind, decoded (unknown fields are not shown). */
  dump(project: string): Promise<RegistryDump>;
  /** Releases connections or handles; the default file registry has none. */
  close(): Promise<void>;
}

/** A class implementing {@link Registry}, as `@feast-ts/sql-registry` exports `SqlRegistry`. */
export type RegistryClass = new (config: RegistryConfig, repoConfig: RepoConfig) => Registry;
