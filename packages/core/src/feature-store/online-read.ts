import type { RepoConfig } from '../config/repo-config.js';
import type { Entity } from '../definitions/entity.js';
import type { FeatureView } from '../definitions/feature-view.js';
import { ValueConversionError } from '../errors.js';
import type { OnlineStore } from '../online-store.js';
import { describe, type ValueProto } from '../proto/value.js';
import { entityKeysFor, joinKeyValues, toEntityColumns, type EntityRows } from './entity-rows.js';
import { readViews } from './read-views.js';
import { OnlineResponse, type OnlineResponseKeyColumn, type OnlineResponseViewResult } from './online-response.js';

/** Features requested from one view (see `groupFeatureRefs`). */
export interface OnlineReadGroup {
  view: FeatureView;
  features: readonly string[];
  /** The name full feature names use (a feature service's alias), default the view's name. */
  nameToUse?: string;
  /** A projection's join-key map: view join key -> the entity-row column holding it. */
  joinKeyMap?: Readonly<Record<string, string>>;
}

/** What {@link readOnlineFeatures} needs besides the store. */
export interface ReadOnlineFeaturesRequest {
  /** The requested features, grouped by view, in response order. */
  groups: readonly OnlineReadGroup[];
  /** A list of rows or columns of join-key values. */
  entityRows: EntityRows;
  /** Name feature columns `<view>__<feature>`. */
  fullFeatureNames?: boolean;
  /** The time ttl is judged at (default: when the reads return). */
  now?: Date;
  /** Null out values older than their view's ttl (status stays OUTSIDE_MAX_AGE). */
  dropOutsideMaxAge?: boolean;
}

/** What a read needs from its groups alone: the entity-row columns to coerce, and the response column names. */
interface ReadPlan {
  /** Entity-row columns the views need, each with the entity that types it and the first view that needs it. */
  needed: ReadonlyMap<string, { entity: Entity; view: FeatureView }>;
  /** Per group, the response names of its features. */
  viewColumns: ReadonlyArray<readonly string[]>;
}

/** Groups known never to change (see {@link markImmutableGroups}), and their plans (without, with full feature names). */
const plans = new WeakMap<readonly OnlineReadGroup[], [ReadPlan | undefined, ReadPlan | undefined]>();

/**
 * Marks `groups` (frozen, with frozen groups and feature lists) as immutable, so that reads of
 * them compute their plan once. For the groups `resolveFeatureRequest` hands out.
 */
export function markImmutableGroups(groups: readonly OnlineReadGroup[]): void {
  if (!plans.has(groups)) plans.set(groups, [undefined, undefined]);
}

function planOf(groups: readonly OnlineReadGroup[], fullFeatureNames: boolean): ReadPlan {
  const cached = plans.get(groups);
  const slot = fullFeatureNames ? 1 : 0;
  const hit = cached?.[slot];
  if (hit) return hit;
  const needed = new Map<string, { entity: Entity; view: FeatureView }>();
  for (const { view, joinKeyMap } of groups) {
    if (view.isEntityless) continue;
    for (const entity of view.entities) {
      const column = joinKeyMap?.[entity.joinKey] ?? entity.joinKey;
      if (!needed.has(column)) needed.set(column, { entity, view });
    }
  }
  const names = new Set<string>(needed.keys());
  // Frozen, so that a writer may cache what it derives from them (see the server's response writer).
  const viewColumns = groups.map(({ view, features, nameToUse }) =>
    Object.freeze(
      features.map((f) => {
        const name = fullFeatureNames ? `${nameToUse ?? view.name}__${f}` : f;
        if (names.has(name)) {
          throw new ValueConversionError(`Two requested columns are named "${name}". Pass fullFeatureNames: true to name them <view>__<feature>.`);
        }
        names.add(name);
        return name;
      }),
    ),
  );
  const plan: ReadPlan = { needed, viewColumns };
  if (cached) cached[slot] = plan;
  return plan;
}

/**
 * The online read behind `FeatureStore.getOnlineFeatures`: coerces the join
 * keys once (shared by the views that use them), issues one `onlineRead` per
 * view, all at once, and wraps the results in an {@link OnlineResponse}
 * (nothing is converted until the response is read).
 *
 * @throws EntityRowsError, MissingJoinKeyError, ValueConversionError before any read
 */
export async function readOnlineFeatures(store: OnlineStore, config: RepoConfig, request: ReadOnlineFeaturesRequest): Promise<OnlineResponse> {
  const { groups, fullFeatureNames = false } = request;
  if (request.now !== undefined && (!(request.now instanceof Date) || Number.isNaN(request.now.getTime()))) {
    throw new ValueConversionError(`getOnlineFeatures: now must be a valid Date, got ${describe(request.now)}.`);
  }
  const columns = toEntityColumns(request.entityRows);
  const n = columns.rowCount;

  const { needed, viewColumns } = planOf(groups, fullFeatureNames);

  const valuesByKey = new Map<string, ValueProto[]>();
  for (const [key, { entity, view }] of needed) valuesByKey.set(key, joinKeyValues(columns, key, entity, view));
  // Join-key columns in the order the caller gave them (as Feast), then any the rows did not name (no rows).
  const keyColumns: OnlineResponseKeyColumn[] = [];
  for (const name of columns.keys) if (needed.has(name)) keyColumns.push({ name, values: valuesByKey.get(name)! });
  if (keyColumns.length < needed.size) {
    for (const name of needed.keys()) if (!columns.keys.includes(name)) keyColumns.push({ name, values: valuesByKey.get(name)! });
  }

  // One read per view, or one onlineReadMany for all of them when the store has that capability;
  // the common case, one view, calls the store directly (no extra promise to wait on).
  const single = groups.length === 1 && typeof store.onlineReadMany !== 'function' ? groups[0]! : undefined;
  const reads =
    n === 0
      ? groups.map(() => [])
      : single
        ? [await store.onlineRead(config, single.view, entityKeysFor(single.view, n, valuesByKey, single.joinKeyMap), single.features)]
        : await readViews(
            store,
            config,
            groups.map(({ view, features, joinKeyMap }) => ({
              table: view,
              entityKeys: entityKeysFor(view, n, valuesByKey, joinKeyMap),
              // Frozen and reused while requests name the same features, so a store may cache by it.
              requestedFeatures: features,
            })),
          );
  const views = new Array<OnlineResponseViewResult>(groups.length);
  for (let gi = 0; gi < groups.length; gi++) {
    const { view, features } = groups[gi]!;
    const results = reads[gi];
    if (!Array.isArray(results) || results.length !== n) {
      throw new ValueConversionError(
        `The online store returned ${Array.isArray(results) ? results.length : 'no'} results for ${n} entity keys of view "${view.name}"; a store must return one per key.`,
      );
    }
    views[gi] = { viewName: view.name, ttlSeconds: view.ttl, features, columnNames: viewColumns[gi]!, results };
  }
  return new OnlineResponse({
    rowCount: n,
    keyColumns,
    views,
    now: request.now?.getTime() ?? Date.now(),
    dropOutsideMaxAge: request.dropOutsideMaxAge ?? false,
  });
}
