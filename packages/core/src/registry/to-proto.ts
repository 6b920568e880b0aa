import { randomUUID } from 'node:crypto';
import type protobuf from 'protobufjs';
import { Entity } from '../definitions/entity.js';
import { FeatureService } from '../definitions/feature-service.js';
import { FeatureView } from '../definitions/feature-view.js';
import { DefinitionError } from '../errors.js';
import {
  type ProtoCodec,
} from '../proto/registry-codec.js';
import {
  EntityProto,
  FeatureServiceProto,
  FeatureViewProto,
  ProjectMetadataProto,
  ProjectProto,
  StreamFeatureViewProto,
} from '../proto/registry-types.js';
import { EntityMessage, FeatureServiceMessage, FeatureViewMessage, StreamFeatureViewMessage } from '../proto/registry-schema.js';
import type { FeatureSpecV2Proto, ObjectMetaProto, TimestampProto } from '../proto/registry-types.js';
import { spliceMessage } from '../proto/splice.js';
import { DUMMY_ENTITY_NAME, inferredValueType } from './from-proto.js';
import type { RegistryObjectKind } from './registry-document.js';

/** The registry list an object is stored in. */
export function registryKindOf(object: Entity | FeatureView | FeatureService): RegistryObjectKind {
  if (object instanceof Entity) return 'entities';
  if (object instanceof FeatureView) return object.kind === 'stream' ? 'streamFeatureViews' : 'featureViews';
  if (object instanceof FeatureService) return 'featureServices';
  throw new DefinitionError('A registry stores Entity, FeatureView and FeatureService objects.');
}

/** A `google.protobuf.Timestamp` object for `date`. */
export function timestampOf(date: Date): TimestampProto {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

type Obj = Record<string, unknown>;

const clone = <T>(v: T): T => structuredClone(v);

/** Merges features by name onto the stored ones, so that fields feast-ts does not model survive. */
function mergeColumns(stored: FeatureSpecV2Proto[] | undefined, next: FeatureSpecV2Proto[]): FeatureSpecV2Proto[] {
  const byName = new Map((stored ?? []).map((f) => [f.name, f] as const));
  return next.map((f) => {
    const base = byName.get(f.name);
    const out: FeatureSpecV2Proto = { ...(base ? clone(base) : {}), name: f.name, valueType: f.valueType };
    if (f.description !== undefined) out.description = f.description;
    if (f.tags !== undefined) out.tags = f.tags;
    return out;
  });
}

function viewColumns(view: FeatureView): { features: FeatureSpecV2Proto[]; entityColumns: FeatureSpecV2Proto[] } {
  const features = view.features.map((f) => ({ name: f.name, valueType: f.dtype.valueType, description: f.description, tags: { ...f.tags } }));
  const entityColumns: FeatureSpecV2Proto[] = [];
  for (const e of view.entities) {
    const field = view.schema.find((f) => f.name === e.joinKey);
    const valueType = field?.dtype.valueType ?? e.valueType;
    if (valueType !== undefined) entityColumns.push({ name: e.joinKey, valueType });
  }
  return { features, entityColumns };
}

function entitySpec(e: Entity, project: string, stored: Obj | undefined): Obj {
  const spec: Obj = { ...(stored ? clone(stored) : {}), name: e.name, project, joinKey: e.joinKey, description: e.description, tags: { ...e.tags }, owner: e.owner };
  // A type read from entity_columns goes back unset, as Feast wrote it.
  spec.valueType = inferredValueType.has(e) ? (stored?.valueType ?? 0) : (e.valueType ?? 0);
  return spec;
}

function featureViewSpec(v: FeatureView, project: string, stored: Obj | undefined): Obj {
  const { features, entityColumns } = viewColumns(v);
  const spec: Obj = stored ? clone(stored) : {};
  Object.assign(spec, {
    name: v.name,
    project,
    entities: v.isEntityless ? [DUMMY_ENTITY_NAME] : v.entities.map((e) => e.name),
    features: mergeColumns(spec.features as FeatureSpecV2Proto[] | undefined, features),
    entityColumns: mergeColumns(spec.entityColumns as FeatureSpecV2Proto[] | undefined, entityColumns),
    tags: { ...v.tags },
    ttl: ttlOf(v.ttl),
    online: v.online,
    description: v.description,
    owner: v.owner,
  });
  if (v.kind === 'stream') {
    const ownTs = (spec.timestampField as string | undefined) ?? '';
    const sourceTs = (spec.batchSource as Obj | undefined)?.timestampField;
    if (ownTs || v.timestampField !== (sourceTs ?? 'event_timestamp')) spec.timestampField = v.timestampField;
  } else {
    setSourceTimestampField(spec, v);
  }
  return spec;
}

/** Says, in the placeholder source of a view feast-ts created, that the view has no offline data. */
export const PLACEHOLDER_SOURCE_DESCRIPTION =
  'Placeholder written by feast-ts: this feature view was applied from TypeScript and has no offline source; only its timestamp field is meaningful.';

/**
 * The event timestamp column lives in the view's batch source, as Feast keeps it. A view feast-ts
 * creates gets a file source with an empty path: Python Feast needs a batch source of a known type
 * to load the view (a source of no type makes it reject the whole registry), and it records the
 * timestamp field. Its description says it is a placeholder.
 */
function setSourceTimestampField(spec: Obj, v: FeatureView): void {
  const source = spec.batchSource as Obj | undefined;
  if (source) {
    if ((source.timestampField ?? '') !== v.timestampField) source.timestampField = v.timestampField;
  } else {
    spec.batchSource = {
      name: `${v.name}_source`,
      type: 1, // BATCH_FILE
      dataSourceClassType: 'feast.infra.offline_stores.file_source.FileSource',
      timestampField: v.timestampField,
      fileOptions: { uri: '' },
      description: PLACEHOLDER_SOURCE_DESCRIPTION,
    };
  }
}

function ttlOf(seconds: number): Obj {
  const whole = Math.floor(seconds);
  const nanos = Math.round((seconds - whole) * 1e9);
  const out: Obj = {};
  if (whole) out.seconds = BigInt(whole);
  if (nanos) out.nanos = nanos;
  return out;
}

function featureServiceSpec(s: FeatureService, project: string, stored: Obj | undefined): Obj {
  const spec: Obj = stored ? clone(stored) : {};
  const storedProjections = (spec.features as Obj[] | undefined) ?? [];
  const projections = s.projections.map((p) => {
    const base = storedProjections.find((x) => x.featureViewName === p.featureViewName && (x.featureViewNameAlias || undefined) === p.alias);
    const out: Obj = base ? clone(base) : {};
    out.featureViewName = p.featureViewName;
    out.featureViewNameAlias = p.alias ?? '';
    out.featureColumns = mergeColumns(out.featureColumns as FeatureSpecV2Proto[] | undefined, p.features.map((f) => ({ name: f.name, valueType: f.valueType })));
    out.joinKeyMap = { ...p.joinKeyMap };
    return out;
  });
  Object.assign(spec, { name: s.name, project, features: projections, tags: { ...s.tags }, description: s.description, owner: s.owner });
  return spec;
}

interface KindCodec {
  codec: ProtoCodec<Obj>;
  type: protobuf.Type;
  spec: (object: never, project: string, stored: Obj | undefined) => Obj;
}

const KINDS: Record<'entities' | 'featureViews' | 'streamFeatureViews' | 'featureServices', KindCodec> = {
  entities: { codec: EntityProto as unknown as ProtoCodec<Obj>, type: EntityMessage, spec: entitySpec as KindCodec['spec'] },
  featureViews: { codec: FeatureViewProto as unknown as ProtoCodec<Obj>, type: FeatureViewMessage, spec: featureViewSpec as KindCodec['spec'] },
  streamFeatureViews: { codec: StreamFeatureViewProto as unknown as ProtoCodec<Obj>, type: StreamFeatureViewMessage, spec: featureViewSpec as KindCodec['spec'] },
  featureServices: { codec: FeatureServiceProto as unknown as ProtoCodec<Obj>, type: FeatureServiceMessage, spec: featureServiceSpec as KindCodec['spec'] },
};

/**
 * The stored bytes of `object` in `project`, as Feast's `apply_*` would record it, given what is
 * stored now (`existing`, or undefined for a new object). Returns `existing` itself when nothing
 * feast-ts models differs; otherwise the stored message with the modelled fields replaced,
 * `last_updated_timestamp` set to `now` (and `created_timestamp` kept, or set for a new object),
 * and every field feast-ts does not model kept byte for byte.
 */
export function encodeRegistryObject(
  object: Entity | FeatureView | FeatureService,
  project: string,
  existing: Uint8Array | undefined,
  now: Date,
): Uint8Array {
  const kind = registryKindOf(object);
  const { codec, type, spec } = KINDS[kind as keyof typeof KINDS];
  const stored = existing ? codec.decode(existing) : undefined;
  const candidate: Obj = { ...(stored ?? {}), spec: spec(object as never, project, stored?.spec as Obj | undefined) };
  if (existing) {
    const same = spliceMessage(type, existing, codec.encode(candidate));
    if (same === existing) return existing;
  }
  const meta: ObjectMetaProto & Obj = stored?.meta ? clone(stored.meta as Obj) : {};
  candidate.meta = meta;
  meta.createdTimestamp ??= timestampOf(now);
  meta.lastUpdatedTimestamp = timestampOf(now);
  const bytes = codec.encode(candidate);
  return existing ? spliceMessage(type, existing, bytes) : bytes;
}

/** A new `feast.core.Project` record, as Feast adds one when a project is first written to. */
export function newProjectBytes(project: string, now: Date): Uint8Array {
  return ProjectProto.encode({ spec: { name: project }, meta: { createdTimestamp: timestampOf(now), lastUpdatedTimestamp: timestampOf(now) } });
}

/** A new `feast.core.ProjectMetadata` record (a project UUID), as Feast's file registry keeps one per project. */
export function newProjectMetadataBytes(project: string): Uint8Array {
  return ProjectMetadataProto.encode({ project, projectUuid: randomUUID() });
}
