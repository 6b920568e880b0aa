import { Entity } from '../definitions/entity.js';
import { FeastType } from '../definitions/feast-type.js';
import { FeatureService, FeatureViewProjection } from '../definitions/feature-service.js';
import { FeatureView, type FeatureViewKind } from '../definitions/feature-view.js';
import { Field, fieldTypeFromRegistry } from '../definitions/field.js';
import type {
  DataSourceProto,
  DurationProto,
  EntityProto,
  FeatureServiceProto,
  FeatureSpecV2Proto,
  FeatureViewProto,
  OnDemandFeatureViewProto,
  StreamFeatureViewProto,
} from '../proto/registry-types.js';
import { valueTypeName } from '../proto/value-type.js';
import type { RegistrySnapshot } from './registry.js';

/** Feast's name of the entity of entityless views. */
export const DUMMY_ENTITY_NAME = '__dummy';

/** Entities whose value type feast-ts took from `entity_columns` (Feast stored none): written back unset. */
export const inferredValueType = new WeakSet<Entity>();

/** A project's decoded registry messages, as a registry stores them. */
export interface ProjectProtos {
  entities: EntityProto[];
  featureViews: FeatureViewProto[];
  streamFeatureViews: StreamFeatureViewProto[];
  featureServices: FeatureServiceProto[];
  onDemandFeatureViews: OnDemandFeatureViewProto[];
}

/** Seconds of a `google.protobuf.Duration` (0 when unset). */
export function durationSeconds(d: DurationProto | undefined): number {
  return d ? Number(d.seconds ?? 0n) + (d.nanos ?? 0) / 1e9 : 0;
}

/** The RegistrySnapshot of one project from its decoded messages (a file registry and a SQL one share this). */
export function snapshotFromProtos(project: string, protos: ProjectProtos): RegistrySnapshot {
  const unreadable = new Map<string, string>();
  const rawEntities = new Map<string, Entity>();
  for (const p of protos.entities) {
    const spec = p.spec ?? {};
    if (!spec.name) continue;
    try {
      rawEntities.set(
        spec.name,
        new Entity({
          name: spec.name,
          joinKeys: [spec.joinKey || spec.name],
          valueType: spec.valueType ? (spec.valueType as Entity['valueType']) : undefined,
          description: spec.description,
          tags: spec.tags,
          owner: spec.owner,
        }),
      );
    } catch (err) {
      unreadable.set(spec.name, (err as Error).message);
    }
  }

  // A join key type Feast left unset on the entity: from any view's entity_columns.
  const columnTypes = new Map<string, number>();
  for (const v of [...protos.featureViews, ...protos.streamFeatureViews]) {
    for (const c of v.spec?.entityColumns ?? []) if (c.name && c.valueType && !columnTypes.has(c.name)) columnTypes.set(c.name, c.valueType);
  }
  const entities = new Map<string, Entity>();
  for (const [name, e] of rawEntities) {
    const t = columnTypes.get(e.joinKey);
    if (e.valueType === undefined && t !== undefined && name !== DUMMY_ENTITY_NAME) {
      try {
        const inferred = new Entity({ ...entityOptions(e), valueType: t as Entity['valueType'] });
        inferredValueType.add(inferred);
        entities.set(name, inferred);
        continue;
      } catch {
        // a type no entity key can have: keep the entity without one
      }
    }
    entities.set(name, e);
  }

  const featureViews = new Map<string, FeatureView>();
  const streamFeatureViews = new Map<string, FeatureView>();
  const viewsByPushSource = new Map<string, string[]>();
  const build = (kind: FeatureViewKind, p: FeatureViewProto | StreamFeatureViewProto): void => {
    const spec = p.spec ?? {};
    if (!spec.name) return;
    try {
      const view = viewFromSpec(kind, p, rawEntities);
      (kind === 'stream' ? streamFeatureViews : featureViews).set(view.name, view);
      const push = pushSourceName(spec.streamSource);
      if (push !== undefined) {
        const names = viewsByPushSource.get(push);
        if (names) names.push(view.name);
        else viewsByPushSource.set(push, [view.name]);
      }
    } catch (err) {
      unreadable.set(spec.name, (err as Error).message);
    }
  };
  for (const p of protos.featureViews) build('batch', p);
  for (const p of protos.streamFeatureViews) build('stream', p);

  const featureServices = new Map<string, FeatureService>();
  for (const p of protos.featureServices) {
    const spec = p.spec ?? {};
    if (!spec.name) continue;
    featureServices.set(
      spec.name,
      new FeatureService({
        name: spec.name,
        description: spec.description,
        tags: spec.tags,
        owner: spec.owner,
        features: (spec.features ?? []).map(
          (fp) =>
            new FeatureViewProjection({
              featureViewName: fp.featureViewName ?? '',
              alias: fp.featureViewNameAlias || undefined,
              features: (fp.featureColumns ?? []).map((c) => ({ name: c.name ?? '', valueType: c.valueType ?? 0 })),
              joinKeyMap: fp.joinKeyMap,
            }),
        ),
      }),
    );
  }

  const onDemandFeatureViewNames = new Set<string>();
  for (const p of protos.onDemandFeatureViews) if (p.spec?.name) onDemandFeatureViewNames.add(p.spec.name);

  return { project, entities, featureViews, streamFeatureViews, featureServices, onDemandFeatureViewNames, unreadableViews: unreadable, viewsByPushSource };
}

/** `feast.core.DataSource.SourceType.PUSH_SOURCE`. */
const PUSH_SOURCE_TYPE = 9;

/**
 * The name of a view's stream source when it is a Feast `PushSource` (by `data_source_class_type`
 * when Feast recorded one, else by `type`), else undefined.
 */
export function pushSourceName(source: DataSourceProto | undefined): string | undefined {
  if (!source?.name) return undefined;
  const cls = source.dataSourceClassType;
  const isPush = cls ? cls === 'feast.data_source.PushSource' || cls.endsWith('.PushSource') : source.type === PUSH_SOURCE_TYPE;
  return isPush ? source.name : undefined;
}

function entityOptions(e: Entity): ConstructorParameters<typeof Entity>[0] {
  return { name: e.name, joinKeys: [...e.joinKeys], valueType: e.valueType, description: e.description, tags: { ...e.tags }, owner: e.owner };
}

function fieldOf(view: string, spec: FeatureSpecV2Proto, what: string): Field {
  const typed = fieldTypeFromRegistry(spec.valueType ?? 0, spec.tags ?? {});
  if (!typed) {
    const t = valueTypeName(spec.valueType ?? 0) ?? String(spec.valueType);
    throw new Error(`${what} "${spec.name}" of view "${view}" has type ${t}, which feast-ts cannot serve yet`);
  }
  return new Field({ name: spec.name ?? '', dtype: typed.dtype, description: spec.description, tags: typed.tags });
}

function viewFromSpec(kind: FeatureViewKind, p: FeatureViewProto | StreamFeatureViewProto, entitiesByName: ReadonlyMap<string, Entity>): FeatureView {
  const spec = p.spec!;
  const name = spec.name!;
  const entityNames = (spec.entities ?? []).filter((n) => n !== DUMMY_ENTITY_NAME);
  const columns = spec.entityColumns ?? [];
  const entities = entityNames.map((en) => {
    const e = entitiesByName.get(en);
    if (!e) throw new Error(`view "${name}" uses entity "${en}", which is not in the registry`);
    if (e.valueType !== undefined) return e;
    const col = columns.find((c) => c.name === e.joinKey);
    if (!col?.valueType) return e;
    return new Entity({ ...entityOptions(e), valueType: col.valueType as Entity['valueType'] });
  });
  const joinKeys = new Set(entities.map((e) => e.joinKey));
  const schema = (spec.features ?? []).map((f) => fieldOf(name, f, 'feature'));
  for (const c of columns) {
    if (c.name && joinKeys.has(c.name) && FeastType.fromValueType(c.valueType ?? 0)) schema.push(fieldOf(name, c, 'entity column'));
  }
  const batch = spec.batchSource;
  const stream = spec.streamSource;
  const ownTs = kind === 'stream' ? (spec as StreamFeatureViewProto['spec'] & object).timestampField : undefined;
  return new FeatureView({
    name,
    entities,
    schema,
    ttl: durationSeconds(spec.ttl),
    timestampField: ownTs || batch?.timestampField || stream?.timestampField || 'event_timestamp',
    online: spec.online ?? false,
    description: spec.description,
    tags: spec.tags,
    owner: spec.owner,
    kind,
    currentVersionNumber: p.meta?.currentVersionNumber ?? 0,
  });
}
