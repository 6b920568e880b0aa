import type { FeatureView } from '../definitions/feature-view.js';
import { sameItems } from '../same-items.js';
import { driverFeatureFilter } from './read-keys.js';

/** What a read's `requestedFeatures` come to: the distinct names, as a list and a set, and the driver's filter. */
export interface ReadFeatures {
  /** The distinct requested names, in first-seen order. */
  readonly wanted: readonly string[];
  readonly wantedSet: ReadonlySet<string>;
  /** What the driver is handed: `undefined` (no filter) when every feature of the view is asked for. */
  readonly filter: readonly string[] | undefined;
}

/** Per view, the last request's names and what they came to: a server asks for the same features again and again. */
const last = new WeakMap<FeatureView, { names: readonly string[]; features: ReadFeatures }>();

/**
 * The distinct features of a read of `view` and the driver's filter for them.
 * A request naming the same features as the view's previous one (compared name
 * by name, so a caller's own array may change between calls) reuses its result.
 */
export function readFeatures(view: FeatureView, requested: readonly string[]): ReadFeatures {
  const prev = last.get(view);
  if (prev !== undefined && sameItems(prev.names, requested)) return prev.features;
  const wantedSet = new Set(requested);
  const wanted = Object.freeze([...wantedSet]);
  const features: ReadFeatures = { wanted, wantedSet, filter: wanted.length === 0 ? wanted : driverFeatureFilter(view, wanted) };
  last.set(view, { names: Object.freeze([...requested]), features });
  return features;
}
