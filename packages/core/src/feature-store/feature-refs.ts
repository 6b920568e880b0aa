import { NotFoundError, ValueConversionError } from '../errors.js';
import type { FeatureView } from '../definitions/feature-view.js';

/** Features requested from one view. */
export interface ViewRequest {
  view: FeatureView;
  features: string[];
}

/**
 * Parses `view:feature` references and groups them by view, in first-seen order.
 * @throws ValueConversionError for a malformed reference; NotFoundError for an unknown view or feature
 */
export function groupFeatureRefs(refs: readonly string[], views: ReadonlyMap<string, FeatureView>): ViewRequest[] {
  if (!Array.isArray(refs) || refs.length === 0) {
    throw new ValueConversionError('getOnlineFeatures needs at least one feature reference, like "driver_hourly_stats:conv_rate".');
  }
  const groups = new Map<string, ViewRequest>();
  for (const ref of refs) {
    const colon = typeof ref === 'string' ? ref.indexOf(':') : -1;
    if (colon <= 0 || colon === ref.length - 1) {
      throw new ValueConversionError(`Feature reference ${JSON.stringify(ref)} must be "<feature view>:<feature>", like "driver_hourly_stats:conv_rate".`);
    }
    const viewName = ref.slice(0, colon);
    const feature = ref.slice(colon + 1);
    const view = views.get(viewName);
    if (!view) {
      const known = [...views.keys()];
      throw new NotFoundError(
        `Feature view "${viewName}" (in "${ref}") is not in the registry. ` +
          (known.length ? `Known views: ${known.join(', ')}.` : 'Nothing has been applied yet: run apply first.'),
      );
    }
    if (!view.features.some((f) => f.name === feature)) {
      throw new NotFoundError(
        `Feature view "${viewName}" has no feature "${feature}". Its features: ${view.features.map((f) => f.name).join(', ')}.`,
      );
    }
    let group = groups.get(viewName);
    if (!group) groups.set(viewName, (group = { view, features: [] }));
    if (!group.features.includes(feature)) group.features.push(feature);
  }
  return [...groups.values()];
}
