/**
 * Plain-object shapes of Feast's `feast.core` registry messages, as {@link ProtoCodec} decodes and
 * encodes them: camelCase field names, int64 as `bigint`, enums as numbers, bytes as `Uint8Array`.
 * Messages feast-ts reads are typed field by field; the rest are {@link ProtoObject}s (kept whole).
 * Each typed message has a codec of the same name: `EntityProto.decode(bytes)`, `EntityProto.encode(entity)`.
 */
import { codecFor, type ProtoCodec } from './registry-codec.js';
import {
  DataSourceMessage,
  EntityMessage,
  FeatureServiceMessage,
  FeatureViewMessage,
  FeatureViewVersionHistoryMessage,
  OnDemandFeatureViewMessage,
  ProjectMessage,
  ProjectMetadataMessage,
  RegistryMessage,
  StreamFeatureViewMessage,
} from './registry-schema.js';

/** A decoded message feast-ts does not model field by field. */
export interface ProtoObject {
  [field: string]: unknown;
}

/** `google.protobuf.Timestamp`. */
export interface TimestampProto {
  seconds?: bigint;
  nanos?: number;
}

/** `google.protobuf.Duration`. */
export interface DurationProto {
  seconds?: bigint;
  nanos?: number;
}

/** `feast.core.FeatureSpecV2`: a feature (or entity column) and its value type. */
export interface FeatureSpecV2Proto {
  name?: string;
  /** A `feast.types.ValueType.Enum` number. */
  valueType?: number;
  tags?: Record<string, string>;
  description?: string;
  vectorIndex?: boolean;
  vectorSearchMetric?: string;
  vectorLength?: number;
}

/** `feast.core.EntitySpecV2`. */
export interface EntitySpecV2Proto {
  name?: string;
  project?: string;
  /** A `feast.types.ValueType.Enum` number; 0 (unset) when Feast inferred nothing. */
  valueType?: number;
  description?: string;
  joinKey?: string;
  tags?: Record<string, string>;
  owner?: string;
}

/** `created_timestamp` / `last_updated_timestamp`, the meta of most registry objects. */
export interface ObjectMetaProto {
  createdTimestamp?: TimestampProto;
  lastUpdatedTimestamp?: TimestampProto;
}

/** `feast.core.Entity`. */
export interface EntityProto {
  spec?: EntitySpecV2Proto;
  meta?: ObjectMetaProto;
}
/** `feast.core.Entity`. */
export const EntityProto: ProtoCodec<EntityProto> = codecFor(EntityMessage);


/** `feast.core.DataSource` (the fields serving reads; the others are kept as decoded). */
export interface DataSourceProto extends ProtoObject {
  name?: string;
  project?: string;
  description?: string;
  tags?: Record<string, string>;
  owner?: string;
  /** A `feast.core.DataSource.SourceType` number. */
  type?: number;
  fieldMapping?: Record<string, string>;
  timestampField?: string;
  datePartitionColumn?: string;
  createdTimestampColumn?: string;
  dataSourceClassType?: string;
  batchSource?: DataSourceProto;
}
/** `feast.core.DataSource`. */
export const DataSourceProto: ProtoCodec<DataSourceProto> = codecFor(DataSourceMessage);


/** `feast.core.FeatureViewSpec`. */
export interface FeatureViewSpecProto extends ProtoObject {
  name?: string;
  project?: string;
  entities?: string[];
  features?: FeatureSpecV2Proto[];
  tags?: Record<string, string>;
  ttl?: DurationProto;
  batchSource?: DataSourceProto;
  online?: boolean;
  streamSource?: DataSourceProto;
  description?: string;
  owner?: string;
  entityColumns?: FeatureSpecV2Proto[];
  offline?: boolean;
  mode?: string;
  version?: string;
  disabled?: boolean;
}

/** `feast.core.FeatureViewMeta`. */
export interface FeatureViewMetaProto extends ObjectMetaProto {
  materializationIntervals?: ProtoObject[];
  currentVersionNumber?: number;
  versionId?: string;
  /** A `feast.core.FeatureViewState` number. */
  state?: number;
}

/** `feast.core.FeatureView`. */
export interface FeatureViewProto {
  spec?: FeatureViewSpecProto;
  meta?: FeatureViewMetaProto;
}
/** `feast.core.FeatureView`. */
export const FeatureViewProto: ProtoCodec<FeatureViewProto> = codecFor(FeatureViewMessage);


/** `feast.core.StreamFeatureViewSpec`. */
export interface StreamFeatureViewSpecProto extends ProtoObject {
  name?: string;
  project?: string;
  entities?: string[];
  features?: FeatureSpecV2Proto[];
  entityColumns?: FeatureSpecV2Proto[];
  description?: string;
  tags?: Record<string, string>;
  owner?: string;
  ttl?: DurationProto;
  batchSource?: DataSourceProto;
  streamSource?: DataSourceProto;
  online?: boolean;
  mode?: string;
  timestampField?: string;
  version?: string;
  disabled?: boolean;
}

/** `feast.core.StreamFeatureView`. */
export interface StreamFeatureViewProto {
  spec?: StreamFeatureViewSpecProto;
  meta?: FeatureViewMetaProto;
}
/** `feast.core.StreamFeatureView`. */
export const StreamFeatureViewProto: ProtoCodec<StreamFeatureViewProto> = codecFor(StreamFeatureViewMessage);


/** `feast.core.OnDemandFeatureViewSpec` (serving only needs its name and features: it runs in Python). */
export interface OnDemandFeatureViewSpecProto extends ProtoObject {
  name?: string;
  project?: string;
  features?: FeatureSpecV2Proto[];
  description?: string;
  tags?: Record<string, string>;
  owner?: string;
  entities?: string[];
}

/** `feast.core.OnDemandFeatureView`. */
export interface OnDemandFeatureViewProto {
  spec?: OnDemandFeatureViewSpecProto;
  meta?: ProtoObject;
}
/** `feast.core.OnDemandFeatureView`. */
export const OnDemandFeatureViewProto: ProtoCodec<OnDemandFeatureViewProto> = codecFor(OnDemandFeatureViewMessage);


/** `feast.core.FeatureViewProjection`: the features a feature service takes from one view. */
export interface FeatureViewProjectionProto extends ProtoObject {
  featureViewName?: string;
  featureViewNameAlias?: string;
  featureColumns?: FeatureSpecV2Proto[];
  joinKeyMap?: Record<string, string>;
  timestampField?: string;
  versionTag?: number;
  viewType?: string;
}

/** `feast.core.FeatureServiceSpec`. */
export interface FeatureServiceSpecProto extends ProtoObject {
  name?: string;
  project?: string;
  features?: FeatureViewProjectionProto[];
  tags?: Record<string, string>;
  description?: string;
  owner?: string;
  loggingConfig?: ProtoObject;
  precomputeOnline?: boolean;
}

/** `feast.core.FeatureService`. */
export interface FeatureServiceProto {
  spec?: FeatureServiceSpecProto;
  meta?: ObjectMetaProto;
}
/** `feast.core.FeatureService`. */
export const FeatureServiceProto: ProtoCodec<FeatureServiceProto> = codecFor(FeatureServiceMessage);


/** `feast.core.ProjectSpec`. */
export interface ProjectSpecProto {
  name?: string;
  description?: string;
  tags?: Record<string, string>;
  owner?: string;
}

/** `feast.core.Project`. */
export interface ProjectProto {
  spec?: ProjectSpecProto;
  meta?: ObjectMetaProto;
}
/** `feast.core.Project`. */
export const ProjectProto: ProtoCodec<ProjectProto> = codecFor(ProjectMessage);


/** `feast.core.ProjectMetadata` (the older per-project record). */
export interface ProjectMetadataProto {
  project?: string;
  projectUuid?: string;
}
/** `feast.core.ProjectMetadata`. */
export const ProjectMetadataProto: ProtoCodec<ProjectMetadataProto> = codecFor(ProjectMetadataMessage);


/** `feast.core.FeatureViewVersionRecord`. */
export interface FeatureViewVersionRecordProto {
  featureViewName?: string;
  projectId?: string;
  versionNumber?: number;
  featureViewType?: string;
  featureViewProto?: Uint8Array;
  createdTimestamp?: TimestampProto;
  description?: string;
  versionId?: string;
}

/** `feast.core.FeatureViewVersionHistory`. */
export interface FeatureViewVersionHistoryProto {
  records?: FeatureViewVersionRecordProto[];
}
/** `feast.core.FeatureViewVersionHistory`. */
export const FeatureViewVersionHistoryProto: ProtoCodec<FeatureViewVersionHistoryProto> = codecFor(FeatureViewVersionHistoryMessage);


/**
 * `feast.core.Registry`, decoded whole. Reading and rewriting a registry goes through
 * {@link RegistryDocument} instead, which keeps what it does not change byte for byte.
 */
export interface RegistryProto {
  entities?: EntityProto[];
  featureTables?: ProtoObject[];
  featureViews?: FeatureViewProto[];
  dataSources?: DataSourceProto[];
  onDemandFeatureViews?: OnDemandFeatureViewProto[];
  streamFeatureViews?: StreamFeatureViewProto[];
  featureServices?: FeatureServiceProto[];
  savedDatasets?: ProtoObject[];
  validationReferences?: ProtoObject[];
  infra?: ProtoObject;
  projectMetadata?: ProjectMetadataProto[];
  registrySchemaVersion?: string;
  versionId?: string;
  lastUpdated?: TimestampProto;
  permissions?: ProtoObject[];
  projects?: ProjectProto[];
  featureViewVersionHistory?: FeatureViewVersionHistoryProto;
  labelViews?: ProtoObject[];
}
/** `feast.core.Registry`: a whole registry.db. */
export const RegistryProto: ProtoCodec<RegistryProto> = codecFor(RegistryMessage);

