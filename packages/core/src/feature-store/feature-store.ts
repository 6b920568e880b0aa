import { loadRepo, type LoadRepoConfigOptions } from '../config/load-repo-config.js';
import type { RepoConfig } from '../config/repo-config.js';
import { Entity } from '../definitions/entity.js';
import { FeatureService } from '../definitions/feature-service.js';
import { DUMMY_ENTITY_ID, FeatureView } from '../definitions/feature-view.js';
import { DefinitionError, NotFoundError, ValueConversionError } from '../errors.js';
import type { OnlineStore, ProgressCallback } from '../online-store.js';
import { describe } from '../proto/value.js';
import { DUMMY_ENTITY_NAME } from '../registry/from-proto.js';
import { openRegistry } from '../registry/open-registry.js';
import type { Registry, RegistryChange, RegistrySnapshot } from '../registry/registry.js';
import type { EntityRows } from './entity-rows.js';
import { readOnlineFeatures } from './online-read.js';
import { FeatureServiceNotFoundError, PushSourceNotFoundError } from './request-errors.js';
import type { OnlineResponse } from './online-response.js';
import { resolveFeatureRequest, servableView } from './feature-refs.js';
import { toWriteRows } from './write-rows.js';

export { entityKeyFor } from './entity-key-for.js';

/** Options of {@link FeatureStore.apply}. */
export interface ApplyOptions {
  /** Entities, views and feature services to remove (views with their online tables). */
  objectsToDelete?: Array<Entity | FeatureView | FeatureService>;
  /**
   * true (default): only the given objects change. false: the given objects are the whole
   * project, and registered entities, views and feature services not among them are deleted
   * (on-demand views, data sources and other objects feast-ts does not model are kept).
   */
  partial?: boolean;
}

/** A request to {@link FeatureStore.getOnlineFeatures}. */
export interface GetOnlineFeaturesRequest {
  /** A feature service (from {@link FeatureStore.getFeatureService} or applied), or references `"<view>:<feature>"`. */
  features: string[] | FeatureService;
  /** The entities: one object per entity (`[{ driver_id: 1001 }]`) or columns (`{ driver_id: [1001, 1002] }`). */
  entityRows: EntityRows;
  /** Name result columns `<view or alias>__<feature>` instead of `<feature>`. Default false. */
  fullFeatureNames?: boolean;
  /** The time each view's ttl is judged at (default: when the reads return); for tests and replays. */
  now?: Date;
  /** Null out values older than their view's ttl; their status stays OUTSIDE_MAX_AGE. Default false (kept, as Feast's Go server). */
  dropOutsideMaxAge?: boolean;
}

/** Options of {@link FeatureStore.writeToOnlineStore}. */
export interface WriteToOnlineStoreOptions {
  /** Called as the store writes, with the number of rows just written. */
  progress?: ProgressCallback;
}

/** Feast's entity of entityless views, registered with them as `feast apply` does. */
const DUMMY_ENTITY = new Entity({ name: DUMMY_ENTITY_NAME, joinKeys: [DUMMY_ENTITY_ID] });

/**
 * The entry point for applications: Feast's `FeatureStore`, for the online path.
 *
 * ```ts
 * const store = await FeatureStore.open('./feature_repo');
 * await store.apply([driver, driverStats]);
 * await store.writeToOnlineStore('driver_hourly_stats', rows);
 * const response = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entityRows: [{ driver_id: 1001n }] });
 * response.toDict(); // { driver_id: [1001n], conv_rate: [0.5] }
 * await store.close();
 * ```
 */
export class FeatureStore {
  #registry: Promise<Registry> | undefined;
  /** What #registry resolved to (set on first use; cleared with it). */
  #openedRegistry: Registry | undefined;

  /**
   * Use {@link FeatureStore.open}, or this with a config and store you built yourself. The
   * registry defaults to the one the config names (Feast's registry.db, or a SQL registry).
   */
  constructor(
    /** The loaded repo config. */
    readonly config: RepoConfig,
    /** The online store instance this FeatureStore reads and writes through. */
    readonly onlineStore: OnlineStore,
    registry?: Registry,
  ) {
    if (registry) {
      this.#registry = Promise.resolve(registry);
      this.#openedRegistry = registry;
    }
  }

  /** Opens the feature repo at `repoPath` (a directory with feature_store.yaml, or the file itself). */
  static async open(repoPath: string, options: LoadRepoConfigOptions = {}): Promise<FeatureStore> {
    const { config, store } = await loadRepo(repoPath, options);
    const fs = new FeatureStore(config, new store.storeClass());
    await fs.getRegistry();
    return fs;
  }

  /** The registry this store reads and applies to (resolved from the config on first use). */
  getRegistry(): Promise<Registry> {
    if (!this.#registry) {
      const opening = openRegistry(this.config);
      opening.catch(() => {
        if (this.#registry === opening) this.#registry = undefined;
      });
      this.#registry = opening;
    }
    return this.#registry;
  }

  private snapshot(): Promise<RegistrySnapshot> {
    // Once the registry is open, load from it without waiting on the opening promise again.
    const open = this.#openedRegistry;
    if (open) return open.load(this.config.project);
    return this.getRegistry().then((registry) => {
      this.#openedRegistry = registry;
      return registry.load(this.config.project);
    });
  }

  /** Re-reads the registry now (otherwise it is re-read after `registry.cache_ttl_seconds`). */
  async refreshRegistry(): Promise<void> {
    await (await this.getRegistry()).refresh();
  }

  /** The project's feature views (Feast `FeatureView`s; stream views are in {@link listStreamFeatureViews}). */
  async listFeatureViews(): Promise<FeatureView[]> {
    return [...(await this.snapshot()).featureViews.values()];
  }

  /** The project's stream feature views (kind `stream`), served and written like feature views. */
  async listStreamFeatureViews(): Promise<FeatureView[]> {
    return [...(await this.snapshot()).streamFeatureViews.values()];
  }

  /** The project's entities (including Feast's `__dummy` entity of entityless views, when registered). */
  async listEntities(): Promise<Entity[]> {
    return [...(await this.snapshot()).entities.values()];
  }

  /** The project's feature services. */
  async listFeatureServices(): Promise<FeatureService[]> {
    return [...(await this.snapshot()).featureServices.values()];
  }

  /** A registered feature service by name. @throws NotFoundError */
  async getFeatureService(name: string): Promise<FeatureService> {
    const snap = await this.snapshot();
    const svc = snap.featureServices.get(name);
    if (svc) return svc;
    throw new FeatureServiceNotFoundError(name, [...snap.featureServices.keys()], this.config.project);
  }

  /** A registered feature view (or stream feature view) by name. @throws NotFoundError */
  async getFeatureView(name: string): Promise<FeatureView> {
    return this.requireView(await this.snapshot(), name);
  }

  /**
   * The views (batch and stream) whose stream source is the push source `pushSourceName`: the views
   * Feast's `push()` writes to.
   * @throws PushSourceNotFoundError when no view is fed by it (Feast's `PushSourceNotFoundException`)
   */
  async getFeatureViewsByPushSource(pushSourceName: string): Promise<FeatureView[]> {
    const snap = await this.snapshot();
    const byPush = snap.viewsByPushSource ?? new Map<string, readonly string[]>();
    const names = byPush.get(pushSourceName);
    if (!names || names.length === 0) throw new PushSourceNotFoundError(pushSourceName, [...byPush.keys()], this.config.project);
    return names.map((n) => this.requireView(snap, n));
  }

  private requireView(snap: RegistrySnapshot, name: string): FeatureView {
    const view = snap.featureViews.get(name) ?? snap.streamFeatureViews.get(name);
    if (view) return view;
    return servableView(snap, name, `getFeatureView("${name}")`);
  }

  /**
   * Registers entities, feature views and feature services, and creates the views' online tables
   * (`OnlineStore.update`). Entities used by a view are registered with it. Applying the same
   * objects again changes nothing. Everything else in the registry (other projects, data sources,
   * on-demand views, ...) is kept as it was.
   */
  async apply(objects: Array<Entity | FeatureView | FeatureService>, options: ApplyOptions = {}): Promise<void> {
    const partial = options.partial ?? true;
    const views = new Map<string, FeatureView>();
    const entities = new Map<string, Entity>();
    const services = new Map<string, FeatureService>();
    for (const obj of objects) {
      if (obj instanceof FeatureView) {
        if (views.has(obj.name)) throw new DefinitionError(`apply got two feature views named "${obj.name}".`);
        views.set(obj.name, obj);
        for (const e of obj.entities) if (!entities.has(e.name)) entities.set(e.name, e);
        if (obj.isEntityless && !entities.has(DUMMY_ENTITY_NAME)) entities.set(DUMMY_ENTITY_NAME, DUMMY_ENTITY);
      } else if (obj instanceof Entity) {
        entities.set(obj.name, obj);
      } else if (obj instanceof FeatureService) {
        if (services.has(obj.name)) throw new DefinitionError(`apply got two feature services named "${obj.name}".`);
        services.set(obj.name, obj);
      } else {
        throw new DefinitionError(`apply takes Entity, FeatureView and FeatureService objects, got ${describe(obj)}.`);
      }
    }
    const registry = await this.getRegistry();
    await registry.refresh();
    const current = await registry.load(this.config.project);
    const registeredView = (name: string): FeatureView | undefined => current.featureViews.get(name) ?? current.streamFeatureViews.get(name);
    for (const svc of services.values()) {
      for (const p of svc.projections) {
        if (!views.has(p.featureViewName) && !registeredView(p.featureViewName) && !current.onDemandFeatureViewNames.has(p.featureViewName)) {
          throw new DefinitionError(
            `Feature service "${svc.name}" uses feature view "${p.featureViewName}", which is neither applied with it nor in the registry.`,
          );
        }
      }
    }
    const deleteViews = new Map<string, FeatureView>();
    const deleteEntities = new Map<string, Entity>();
    const deleteServices = new Set<string>();
    for (const obj of options.objectsToDelete ?? []) {
      if (obj instanceof FeatureView && registeredView(obj.name)) deleteViews.set(obj.name, registeredView(obj.name)!);
      if (obj instanceof Entity && current.entities.has(obj.name)) deleteEntities.set(obj.name, current.entities.get(obj.name)!);
      if (obj instanceof FeatureService && current.featureServices.has(obj.name)) deleteServices.add(obj.name);
    }
    if (!partial) {
      for (const [name, v] of [...current.featureViews, ...current.streamFeatureViews]) if (!views.has(name)) deleteViews.set(name, v);
      for (const [name, e] of current.entities) if (!entities.has(name)) deleteEntities.set(name, e);
      for (const name of current.featureServices.keys()) if (!services.has(name)) deleteServices.add(name);
    }
    await this.onlineStore.update(
      this.config,
      [...deleteViews.values()],
      [...views.values()],
      [...deleteEntities.values()],
      [...entities.values()],
      partial,
    );
    const changes: RegistryChange[] = [
      ...[...deleteServices].map((name) => ({ op: 'delete', kind: 'featureService', name }) as const),
      ...[...deleteViews.keys()].map((name) => ({ op: 'delete', kind: 'featureView', name }) as const),
      ...[...deleteEntities.keys()].map((name) => ({ op: 'delete', kind: 'entity', name }) as const),
      ...[...entities.values(), ...views.values(), ...services.values()].map((object) => ({ op: 'put', object }) as const),
    ];
    await registry.apply(this.config.project, changes);
  }

  /**
   * Removes every online table of the project (`OnlineStore.teardown`) and the project's entities,
   * feature views and feature services from the registry; what feast-ts does not model (data
   * sources, on-demand views, other projects, ...) stays.
   */
  async teardown(): Promise<void> {
    const registry = await this.getRegistry();
    await registry.refresh();
    const current = await registry.load(this.config.project);
    const views = [...current.featureViews.values(), ...current.streamFeatureViews.values()];
    await this.onlineStore.teardown(this.config, views, [...current.entities.values()]);
    await registry.apply(this.config.project, [
      ...[...current.featureServices.keys()].map((name) => ({ op: 'delete', kind: 'featureService', name }) as const),
      ...views.map((v) => ({ op: 'delete', kind: 'featureView', name: v.name }) as const),
      ...[...current.entities.keys()].map((name) => ({ op: 'delete', kind: 'entity', name }) as const),
    ]);
  }

  /**
   * Writes rows to a view's online table in one `onlineWriteBatch` call. Each
   * row holds the view's join keys, its features, the view's timestamp field
   * (a Date) and optionally `created` (a Date). Every row is converted before
   * anything is written: a value of the wrong type throws a ValueConversionError
   * naming the view, feature and row, and nothing of the call is written.
   */
  async writeToOnlineStore(
    featureViewName: string,
    rows: Array<Record<string, unknown>>,
    options: WriteToOnlineStoreOptions = {},
  ): Promise<void> {
    const view = await this.getFeatureView(featureViewName);
    if (!Array.isArray(rows)) throw new ValueConversionError(`writeToOnlineStore("${featureViewName}") takes an array of rows.`);
    const data = toWriteRows(view, rows);
    if (data.length === 0) return;
    await this.onlineStore.onlineWriteBatch(this.config, view, data, options.progress);
  }

  /**
   * Reads the latest features for each entity row: one `onlineRead` per view (or projection).
   * `features` is a feature service or `view:feature` references. Returns an {@link OnlineResponse}:
   * `toDict()` is Feast's `to_dict()` (a column per join key and per feature, aligned with
   * `entityRows`), `JSON.stringify(response)` is Feast's HTTP response with statuses and event
   * timestamps. Full feature names are `<alias or view>__<feature>`; a projection's
   * `join_key_map` names the entity-row column each join key is read from.
   * @throws EntityRowsError, MissingJoinKeyError, ValueConversionError for bad entity rows (before any read)
   * @throws FeatureViewNotServableError for an on-demand view (it needs Python) or an `online: false` view
   */
  getOnlineFeatures(request: GetOnlineFeaturesRequest): Promise<OnlineResponse> {
    // The serving path: with the registry's snapshot at hand (a fresh cache), nothing waits
    // before the store's read; errors still arrive as a rejected promise, never thrown.
    const cached = this.#openedRegistry?.loadCached?.(this.config.project);
    if (cached === undefined) return this.snapshot().then((snapshot) => this.#read(request, snapshot));
    try {
      return this.#read(request, cached);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  #read(request: GetOnlineFeaturesRequest, snapshot: RegistrySnapshot): Promise<OnlineResponse> {
    return readOnlineFeatures(this.onlineStore, this.config, {
      groups: resolveFeatureRequest(request.features, snapshot),
      entityRows: request.entityRows,
      fullFeatureNames: request.fullFeatureNames,
      now: request.now,
      dropOutsideMaxAge: request.dropOutsideMaxAge,
    });
  }

  /** Releases the online store's connections. */
  async close(): Promise<void> {
    await this.onlineStore.close();
  }
}
