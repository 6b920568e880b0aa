import { valueTypeName, type RegistrySnapshot } from '@feast-ts/core';

const typeName = (t: number | undefined): string | null => (t === undefined || t === 0 ? null : (valueTypeName(t) ?? `#${t}`));

/** A snapshot in the shape of the vector's expected.json (what a reader must recover). */
export function asExpected(projects: string[], snap: RegistrySnapshot): Record<string, unknown> {
  const view = (v: RegistrySnapshot['featureViews'] extends ReadonlyMap<string, infer V> ? V : never, stream: boolean): Record<string, unknown> => {
    if (!v.online && !stream) return { online: false };
    const out: Record<string, unknown> = {
      entities: v.isEntityless ? [] : v.entities.map((e) => e.name),
      ...(v.isEntityless ? { entityless: true } : {}),
      join_keys: Object.fromEntries(v.entities.map((e) => [e.joinKey, typeName(e.valueType)])),
      features: Object.fromEntries(v.features.map((f) => [f.name, typeName(f.dtype.valueType)])),
      ttl: v.ttl,
    };
    if (!stream) out['online'] = v.online;
    if (!stream && Object.keys(v.tags).length > 0) out['tags'] = { ...v.tags };
    return out;
  };
  return {
    projects,
    entities: Object.fromEntries([...snap.entities.values()].map((e) => [e.name, { join_key: e.joinKey, value_type: typeName(e.valueType) }])),
    feature_views: Object.fromEntries([...snap.featureViews.values()].map((v) => [v.name, view(v, false)])),
    stream_feature_views: Object.fromEntries([...snap.streamFeatureViews.values()].map((v) => [v.name, view(v, true)])),
    on_demand_feature_views: [...snap.onDemandFeatureViewNames],
    feature_services: Object.fromEntries(
      [...snap.featureServices.values()].map((s) => [
        s.name,
        s.projections.map((p) => ({
          view: p.featureViewName,
          alias: p.alias ?? null,
          features: p.features.map((f) => f.name),
          ...(snap.onDemandFeatureViewNames.has(p.featureViewName) ? { on_demand: true } : {}),
        })),
      ]),
    ),
  };
}
