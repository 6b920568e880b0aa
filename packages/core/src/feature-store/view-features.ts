import type { FeatureView } from '../definitions/feature-view.js';
import type { Field } from '../definitions/field.js';

/** What the read and write paths look up about a view's features, computed once per view object. */
export interface ViewFeatures {
  /** The view's feature fields (not join keys), in schema order. */
  readonly fields: readonly Field[];
  /** Their names, in the same order. */
  readonly names: readonly string[];
  /** Feature name -> its position in {@link names}. */
  readonly index: ReadonlyMap<string, number>;
  /** The view's join keys, in entity order. */
  readonly joinKeys: readonly string[];
}

/** Views are immutable (frozen entities and schema), so what is derived from one is kept with it. */
const cache = new WeakMap<FeatureView, ViewFeatures>();

/** The features of `view` (see {@link ViewFeatures}), computed on first use and kept while the view lives. */
export function viewFeatures(view: FeatureView): ViewFeatures {
  let info = cache.get(view);
  if (!info) {
    const fields = Object.freeze(view.features);
    const names = Object.freeze(fields.map((f) => f.name));
    info = { fields, names, index: new Map(names.map((n, i) => [n, i])), joinKeys: Object.freeze(view.joinKeys) };
    cache.set(view, info);
  }
  return info;
}
