import { loadRepo, type LoadRepoConfigOptions } from '../config/load-repo-config.js';
import type { RepoConfig } from '../config/repo-config.js';
import { Entity } from '../definitions/entity.js';
import { DUMMY_ENTITY_ID, DUMMY_ENTITY_VAL, FeatureView } from '../definitions/feature-view.js';
import { DefinitionError, NotFoundError, ValueConversionError } from '../errors.js';
import type { OnlineStore, OnlineWriteRow, ProgressCallback } from '../online-store.js';
import type { EntityKeyProto, ValueProto } from '../proto/value.js';
import { describe } from '../proto/value.js';
import { FileRegistry, type ProjectRegistry } from '../registry/file-registry.js';
import { entityValueToProto, fromValueProto, toValueProto, type FeatureValue } from './convert.js';
import { groupFeatureRefs } from './feature-refs.js';
import { readViews } from './read-views.js';

/** Options of {@link FeatureStore.apply}. */
export interface ApplyOptions {
  /** Entities and views to remove (with their online tables). */
  objectsToDelete?: Array<Entity | FeatureView>;
  /**
   * true (default): only the given objects change. false: the given objects are
   * the whole project, and registered views not among them are deleted.
   */
  partial?: boolean;
}

/** A request to {@link FeatureStore.getOnlineFeatures}. */
export interface GetOnlineFeaturesRequest {
  /** Feature references, `"<view>:<feature>"`. */
  features: string[];
  /** One object per entity, holding the join keys the requested views need. */
  entityRows: Array<Record<string, unknown>>;
  /** Name result columns `<view>__<feature>` instead of `<feature>`. Default false. */
  fullFeatureNames?: boolean;
}

/** Options of {@link FeatureStore.writeToOnlineStore}. */
export interface WriteToOnlineStoreOptions {
  /** Called as the store writes, with the number of rows just written. */
  progress?: ProgressCallback;
}

/** Column-oriented result of {@link FeatureStore.getOnlineFeatures}: Feast's `to_dict()` shape. */
export type OnlineFeaturesResponse = Record<string, FeatureValue[]>;

/**
 * The entry point for applications: Feast's `FeatureStore`, for the online path.
 *
 * ```ts
 * const store = await FeatureStore.open('./feature_repo');
 * await store.apply([driver, driverStats]);
 * await store.writeToOnlineStore('driver_hourly_stats', rows);
 * const features = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entityRows: [{ driver_id: 1001n }] });
 * await store.close();
 * ```
 */
export class FeatureStore {
  private readonly registry: FileRegistry;

  /** Use {@link FeatureStore.open}, or this with a config and store you built yourself. */
  constructor(
    /** The loaded repo config. */
    readonly config: RepoConfig,
    /** The online store instance this FeatureStore reads and writes through. */
    readonly onlineStore: OnlineStore,
  ) {
    this.registry = new FileRegistry(config.registry);
  }

  /** Opens the feature repo at `repoPath` (a directory with feature_store.yaml, or the file itself). */
  static async open(repoPath: string, options: LoadRepoConfigOptions = {}): Promise<FeatureStore> {
    const { config, store } = await loadRepo(repoPath, options);
    return new FeatureStore(config, new store.storeClass());
  }

  /** The project's registered feature views. */
  async listFeatureViews(): Promise<FeatureView[]> {
    return [...(await this.registry.load(this.config.project)).featureViews.values()];
  }

  /** The project's registered entities. */
  async listEntities(): Promise<Entity[]> {
    return [...(await this.registry.load(this.config.project)).entities.values()];
  }

  /** A registered feature view by name. @throws NotFoundError */
  async getFeatureView(name: string): Promise<FeatureView> {
    return this.requireView(await this.registry.load(this.config.project), name);
  }

  private requireView(reg: ProjectRegistry, name: string): FeatureView {
    const view = reg.featureViews.get(name);
    if (view) return view;
    const known = [...reg.featureViews.keys()];
    throw new NotFoundError(
      `Feature view "${name}" is not in the registry of project "${this.config.project}". ` +
        (known.length ? `Known views: ${known.join(', ')}.` : 'Nothing has been applied yet: run apply first.'),
    );
  }

  /**
   * Registers entities and feature views and creates their online tables
   * (`OnlineStore.update`). Entities used by a view are registered with it.
   * Applying the same objects again changes nothing.
   */
  async apply(objects: Array<Entity | FeatureView>, options: ApplyOptions = {}): Promise<void> {
    const partial = options.partial ?? true;
    const views = new Map<string, FeatureView>();
    const entities = new Map<string, Entity>();
    for (const obj of objects) {
      if (obj instanceof FeatureView) {
        if (views.has(obj.name)) throw new DefinitionError(`apply got two feature views named "${obj.name}".`);
        views.set(obj.name, obj);
        for (const e of obj.entities) entities.set(e.name, e);
      } else if (obj instanceof Entity) {
        entities.set(obj.name, obj);
      } else {
        throw new DefinitionError(`apply takes Entity and FeatureView objects, got ${describe(obj)}.`);
      }
    }
    const current = await this.registry.load(this.config.project);
    const deleteViews = new Map<string, FeatureView>();
    const deleteEntities = new Map<string, Entity>();
    for (const obj of options.objectsToDelete ?? []) {
      if (obj instanceof FeatureView && current.featureViews.has(obj.name)) deleteViews.set(obj.name, current.featureViews.get(obj.name)!);
      if (obj instanceof Entity && current.entities.has(obj.name)) deleteEntities.set(obj.name, current.entities.get(obj.name)!);
    }
    if (!partial) {
      for (const [name, v] of current.featureViews) if (!views.has(name)) deleteViews.set(name, v);
      for (const [name, e] of current.entities) if (!entities.has(name)) deleteEntities.set(name, e);
    }
    await this.onlineStore.update(
      this.config,
      [...deleteViews.values()],
      [...views.values()],
      [...deleteEntities.values()],
      [...entities.values()],
      partial,
    );
    const next: ProjectRegistry = partial
      ? { entities: new Map(current.entities), featureViews: new Map(current.featureViews) }
      : { entities: new Map(), featureViews: new Map() };
    for (const name of deleteViews.keys()) next.featureViews.delete(name);
    for (const name of deleteEntities.keys()) next.entities.delete(name);
    for (const [name, v] of views) next.featureViews.set(name, v);
    for (const [name, e] of entities) next.entities.set(name, e);
    await this.registry.save(this.config.project, next);
  }

  /** Removes every online table of the project (`OnlineStore.teardown`) and its registry entries. */
  async teardown(): Promise<void> {
    const current = await this.registry.load(this.config.project);
    await this.onlineStore.teardown(this.config, [...current.featureViews.values()], [...current.entities.values()]);
    await this.registry.save(this.config.project, null);
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
    const features = view.features;
    const data: OnlineWriteRow[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const at = `view "${view.name}", row ${i}`;
      if (row === null || typeof row !== 'object') throw new ValueConversionError(`${at}: a row must be an object, got ${describe(row)}.`);
      const key = entityKeyFor(view, row, at);
      const values: Record<string, ValueProto> = {};
      for (const f of features) {
        if (!(f.name in row)) {
          throw new ValueConversionError(`${at}: feature "${f.name}" is missing. Pass null for a missing value.`);
        }
        values[f.name] = toValueProto(row[f.name], f.dtype, `${at}, feature "${f.name}"`);
      }
      const ts = row[view.timestampField];
      if (!(ts instanceof Date) || Number.isNaN(ts.getTime())) {
        throw new ValueConversionError(`${at}: "${view.timestampField}" (the view's timestamp field) must be a valid Date, got ${describe(ts)}.`);
      }
      const created = row.created;
      if (created !== undefined && created !== null && (!(created instanceof Date) || Number.isNaN(created.getTime()))) {
        throw new ValueConversionError(`${at}: "created" must be a valid Date when given, got ${describe(created)}.`);
      }
      data[i] = [key, values, ts, (created as Date | null | undefined) ?? null];
    }
    if (data.length === 0) return;
    await this.onlineStore.onlineWriteBatch(this.config, view, data, options.progress);
  }

  /**
   * Reads the latest features for each entity row: one `onlineRead` per view
   * (or one `onlineReadMany` for all of them, when the store has it).
   * Returns Feast's `to_dict()` shape: a column per join key and per feature,
   * aligned with `entityRows`, null where an entity or feature is missing.
   */
  async getOnlineFeatures(request: GetOnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
    const { entityRows, fullFeatureNames = false } = request;
    if (!Array.isArray(entityRows)) throw new ValueConversionError('getOnlineFeatures: entityRows must be an array of objects.');
    const reg = await this.registry.load(this.config.project);
    const groups = groupFeatureRefs(request.features, reg.featureViews);
    const n = entityRows.length;

    const out: OnlineFeaturesResponse = {};
    // Join-key columns, normalised by the entity's type (Int64 -> bigint), as Feast returns them.
    const entityByKey = new Map<string, Entity>();
    for (const { view } of groups) for (const e of view.entities) entityByKey.set(e.joinKey, e);
    for (const [joinKey, entity] of entityByKey) {
      out[joinKey] = entityRows.map((row, i) =>
        row && joinKey in row ? fromValueProto(entityValueToProto(row[joinKey], entity, `entity row ${i}, join key "${joinKey}"`)) : null,
      );
    }
    const columns = new Set<string>(Object.keys(out));
    for (const { view, features } of groups) {
      for (const f of features) {
        const name = fullFeatureNames ? `${view.name}__${f}` : f;
        if (columns.has(name)) {
          throw new ValueConversionError(
            `Two requested columns are named "${name}". Pass fullFeatureNames: true to name them <view>__<feature>.`,
          );
        }
        columns.add(name);
      }
    }

    const requests = groups.map(({ view, features }) => ({
      table: view,
      requestedFeatures: features,
      entityKeys: entityRows.map((row, i) => {
        if (row === null || typeof row !== 'object') throw new ValueConversionError(`entity row ${i} must be an object, got ${describe(row)}.`);
        return entityKeyFor(view, row, `entity row ${i} (view "${view.name}")`);
      }),
    }));
    const read = n === 0 ? groups.map(() => []) : await readViews(this.onlineStore, this.config, requests);
    await Promise.all(
      groups.map(async ({ view, features }, g) => {
        const results = read[g]!;
        if (results.length !== n) {
          throw new ValueConversionError(
            `The online store returned ${results.length} results for ${n} entity keys of view "${view.name}"; a store must return one per key.`,
          );
        }
        for (const f of features) {
          out[fullFeatureNames ? `${view.name}__${f}` : f] = results.map(([, values]) => fromValueProto(values?.[f]));
        }
      }),
    );
    return out;
  }

  /** Releases the online store's connections. */
  async close(): Promise<void> {
    await this.onlineStore.close();
  }
}

/** The entity key of `row` for `view`: its join keys' values, or Feast's dummy key for an entityless view. */
export function entityKeyFor(view: FeatureView, row: Record<string, unknown>, at: string): EntityKeyProto {
  if (view.isEntityless) return { joinKeys: [DUMMY_ENTITY_ID], entityValues: [{ stringVal: DUMMY_ENTITY_VAL }] };
  const joinKeys: string[] = [];
  const entityValues: ValueProto[] = [];
  for (const entity of view.entities) {
    const k = entity.joinKey;
    const v = row[k];
    if (v === undefined || v === null) {
      throw new ValueConversionError(`${at}: join key "${k}" is missing; view "${view.name}" is keyed by ${view.joinKeys.join(', ')}.`);
    }
    joinKeys.push(k);
    entityValues.push(entityValueToProto(v, entity, `${at}, join key "${k}"`));
  }
  return { joinKeys, entityValues };
}
