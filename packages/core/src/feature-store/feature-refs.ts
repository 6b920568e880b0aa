import { FeatureService } from '../definitions/feature-service.js';
import type { FeatureView } from '../definitions/feature-view.js';
import { FeatureViewNotServableError, RegistryError, ValueConversionError } from '../errors.js';
import type { RegistrySnapshot } from '../registry/registry.js';
import { FeatureNotFoundError, FeatureViewNotFoundError } from './request-errors.js';

/** Features requested from one view (or one projection of it, in a feature service). */
export interface ViewRequest {
  view: FeatureView;
  features: string[];
  /** The prefix of full feature names: the projection's alias, else the view's name. */
  nameToUse: string;
  /** View join key -> the entity-row column that holds it (Feast's `join_key_map`). */
  joinKeyMap: Readonly<Record<string, string>>;
}

/**
 * A view that can be served: batch or stream, online, and readable.
 * @throws FeatureViewNotServableError for an on-demand view (needs Python) or an `online: false` view
 * @throws NotFoundError for a name the project does not have
 */
export function servableView(snapshot: RegistrySnapshot, name: string, context: string): FeatureView {
  const view = snapshot.featureViews.get(name) ?? snapshot.streamFeatureViews.get(name);
  if (view) {
    if (!view.online) {
      throw new FeatureViewNotServableError(
        name,
        'offline',
        `${context}: feature view "${name}" has online: false, so it has no online table to serve from. ` +
          'Set online=True on it (and materialize it) to serve it online.',
      );
    }
    return view;
  }
  if (snapshot.onDemandFeatureViewNames.has(name)) {
    throw new FeatureViewNotServableError(
      name,
      'on_demand',
      `${context}: "${name}" is an on-demand feature view: its features are computed by Python code at request time, which feast-ts cannot run. ` +
        "Serve it with Python Feast's feature server, or request only the features of regular feature views from feast-ts.",
    );
  }
  const why = snapshot.unreadableViews.get(name);
  if (why) throw new RegistryError(`${context}: feature view "${name}" cannot be served by feast-ts: ${why}.`);
  const known = [...snapshot.featureViews.keys(), ...snapshot.streamFeatureViews.keys()];
  throw new FeatureViewNotFoundError(name, known, snapshot.project, context);
}

/** Feature names of each view, computed once per view object (a request may name hundreds). */
const featureNames = new WeakMap<FeatureView, ReadonlySet<string>>();

function checkFeature(view: FeatureView, feature: string, context: string): void {
  let names = featureNames.get(view);
  if (!names) featureNames.set(view, (names = new Set(view.features.map((f) => f.name))));
  if (!names.has(feature)) {
    throw new FeatureNotFoundError(view.name, feature, view.features.map((f) => f.name), context);
  }
}

/**
 * Parses `view:feature` references, or takes a feature service's projections, and groups the
 * features by view (or projection), in first-seen order.
 * @throws ValueConversionError for a malformed reference; NotFoundError for an unknown view or feature;
 *   FeatureViewNotServableError for an on-demand or offline view
 */
export function resolveFeatureRequest(features: readonly string[] | FeatureService, snapshot: RegistrySnapshot): ViewRequest[] {
  if (features instanceof FeatureService) {
    return features.projections.map((p) => {
      const context = `feature service "${features.name}"`;
      const view = servableView(snapshot, p.featureViewName, context);
      const names = p.features.length > 0 ? p.featureNames : view.features.map((f) => f.name);
      for (const f of names) checkFeature(view, f, context);
      return { view, features: names, nameToUse: p.nameToUse, joinKeyMap: p.joinKeyMap };
    });
  }
  if (!Array.isArray(features) || features.length === 0) {
    throw new ValueConversionError(
      'getOnlineFeatures needs features: a FeatureService, or at least one feature reference like "driver_hourly_stats:conv_rate".',
    );
  }
  const groups = new Map<string, ViewRequest>();
  for (const ref of features) {
    const colon = typeof ref === 'string' ? ref.indexOf(':') : -1;
    if (colon <= 0 || colon === ref.length - 1) {
      throw new ValueConversionError(`Feature reference ${JSON.stringify(ref)} must be "<feature view>:<feature>", like "driver_hourly_stats:conv_rate".`);
    }
    const viewName = ref.slice(0, colon);
    const feature = ref.slice(colon + 1);
    const context = `"${ref}"`;
    const view = servableView(snapshot, viewName, context);
    checkFeature(view, feature, context);
    let group = groups.get(viewName);
    if (!group) groups.set(viewName, (group = { view, features: [], nameToUse: view.name, joinKeyMap: {} }));
    if (!group.features.includes(feature)) group.features.push(feature);
  }
  return [...groups.values()];
}
