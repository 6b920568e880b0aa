import { FeatureService } from '../definitions/feature-service.js';
import type { FeatureView } from '../definitions/feature-view.js';
import { FeatureViewNotServableError, RegistryError, ValueConversionError } from '../errors.js';
import type { RegistrySnapshot } from '../registry/registry.js';
import { FeatureNotFoundError, FeatureViewNotFoundError } from './request-errors.js';
import { markImmutableGroups } from './online-read.js';
import { viewFeatures } from './view-features.js';
import { sameItems } from '../same-items.js';

/** Features requested from one view (or one projection of it, in a feature service). */
export interface ViewRequest {
  view: FeatureView;
  features: readonly string[];
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

function checkFeature(view: FeatureView, feature: string, context: string): void {
  const { index, names } = viewFeatures(view);
  if (!index.has(feature)) throw new FeatureNotFoundError(view.name, feature, [...names], context);
}

/** A valid `view:feature` reference, resolved: the view, and the view's own string for the feature. */
interface ResolvedRef {
  viewName: string;
  view: FeatureView;
  feature: string;
  /** The feature's position among the view's features. */
  index: number;
}

/**
 * Valid references already resolved against a registry snapshot (snapshots are immutable, and a
 * new one replaces them after a refresh). Only references that resolve are kept, so the cache is
 * bounded by the features the registry has, whatever callers send.
 */
const resolvedRefs = new WeakMap<RegistrySnapshot, Map<string, ResolvedRef>>();

function resolveRef(ref: unknown, snapshot: RegistrySnapshot, known: Map<string, ResolvedRef>): ResolvedRef {
  if (typeof ref === 'string') {
    const hit = known.get(ref);
    if (hit) return hit;
  }
  const colon = typeof ref === 'string' ? ref.indexOf(':') : -1;
  if (typeof ref !== 'string' || colon <= 0 || colon === ref.length - 1) {
    throw new ValueConversionError(`Feature reference ${JSON.stringify(ref)} must be "<feature view>:<feature>", like "driver_hourly_stats:conv_rate".`);
  }
  const viewName = ref.slice(0, colon);
  const feature = ref.slice(colon + 1);
  const context = `"${ref}"`;
  const view = servableView(snapshot, viewName, context);
  checkFeature(view, feature, context);
  const { index, names } = viewFeatures(view);
  const i = index.get(feature)!;
  const resolved: ResolvedRef = { viewName, view, feature: names[i]!, index: i };
  known.set(ref, resolved);
  return resolved;
}

/** Per snapshot, the last request of feature references and the groups it gave. */
const lastRequest = new WeakMap<RegistrySnapshot, { names: readonly string[]; refs: readonly ResolvedRef[]; groups: readonly ViewRequest[] }>();

/** Per view, the number of the last call that took each feature (see resolveFeatureRequest). */
const stamps = new WeakMap<FeatureView, { marks: Uint32Array; generation: number }>();
let callNumber = 0;
/** Bumped when call numbers wrap around, so that no old stamp can equal a new call's number. */
let generation = 0;

function nextCall(): number {
  if (callNumber === 0xffffffff) {
    callNumber = 0;
    generation++;
  }
  return ++callNumber;
}

function stampsOf(view: FeatureView): Uint32Array {
  let s = stamps.get(view);
  if (!s || s.generation !== generation) {
    s = { marks: new Uint32Array(viewFeatures(view).names.length), generation };
    stamps.set(view, s);
  }
  return s.marks;
}

/**
 * Parses `view:feature` references, or takes a feature service's projections, and groups the
 * features by view (or projection), in first-seen order.
 * @throws ValueConversionError for a malformed reference; NotFoundError for an unknown view or feature;
 *   FeatureViewNotServableError for an on-demand or offline view
 */
export function resolveFeatureRequest(features: readonly string[] | FeatureService, snapshot: RegistrySnapshot): readonly ViewRequest[] {
  if (features instanceof FeatureService) {
    return features.projections.map((p) => {
      const context = `feature service "${features.name}"`;
      const view = servableView(snapshot, p.featureViewName, context);
      const names = p.features.length > 0 ? p.featureNames : [...viewFeatures(view).names];
      for (const f of names) checkFeature(view, f, context);
      return { view, features: names, nameToUse: p.nameToUse, joinKeyMap: p.joinKeyMap };
    });
  }
  if (!Array.isArray(features) || features.length === 0) {
    throw new ValueConversionError(
      'getOnlineFeatures needs features: a FeatureService, or at least one feature reference like "driver_hourly_stats:conv_rate".',
    );
  }
  let known = resolvedRefs.get(snapshot);
  if (!known) resolvedRefs.set(snapshot, (known = new Map()));
  // A server asks for the same features again and again: the same resolved references as last
  // time give the same (immutable) groups, which readOnlineFeatures can plan once.
  const last = lastRequest.get(snapshot);
  let same = last !== undefined && last.refs.length === features.length;
  // The same reference texts as last time (they resolved then, against this snapshot): the same groups.
  if (same && sameItems(last!.names, features)) return last!.groups;
  const resolved = new Array<ResolvedRef>(features.length);
  for (let i = 0; i < features.length; i++) {
    const r = resolveRef(features[i], snapshot, known);
    resolved[i] = r;
    if (same && last!.refs[i] !== r) same = false;
  }
  if (same) return last!.groups;
  // Most requests name one view: keep its group at hand, and mark its features seen by position
  // (a stamp per feature of the view, this call's number: nothing to allocate or clear per call).
  const call = nextCall();
  const groups: Array<ViewRequest & { features: string[] }> = [];
  const seen: Uint32Array[] = [];
  let lastView: FeatureView | undefined;
  let current = -1;
  for (const r of resolved) {
    let g = current;
    if (r.view !== lastView) {
      g = groups.findIndex((group) => group.view.name === r.viewName);
      if (g < 0) {
        g = groups.length;
        groups.push({ view: r.view, features: [], nameToUse: r.view.name, joinKeyMap: Object.freeze({}) });
        seen.push(stampsOf(r.view));
      }
      lastView = r.view;
      current = g;
    }
    const marks = seen[g]!;
    if (marks[r.index] !== call) {
      marks[r.index] = call;
      groups[g]!.features.push(r.feature);
    }
  }
  for (const group of groups) Object.freeze(Object.freeze(group).features);
  const frozen: readonly ViewRequest[] = Object.freeze(groups);
  markImmutableGroups(frozen);
  lastRequest.set(snapshot, { names: Object.freeze([...features]), refs: resolved, groups: frozen });
  return frozen;
}
