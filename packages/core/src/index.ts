/**
 * `@feast-ts/core`: Feast's online-store contract, wire format, config loading
 * and the FeatureStore facade, for TypeScript.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export { ValueType, valueTypeName } from './proto/value-type.js';
export {
  ValueProto,
  EntityKeyProto,
  assertValueProto,
  type ValueKind,
  type RepeatedField,
  type MapProto,
  type MapKeyProto,
  type ScalarMapEntryProto,
  type ZonedTimestampProto,
} from './proto/value.js';
export { serializeEntityKey, type EntityKeySerializationVersion } from './entity-key/serialize.js';
export { deserializeEntityKey } from './entity-key/deserialize.js';
export { compareCodePoints } from './entity-key/python-sort.js';
export {
  OnlineStore,
  onlineTableName,
  type TableNaming,
  type OnlineStoreClass,
  type OnlineWriteRow,
  type OnlineReadResult,
  type ProgressCallback,
  type WriteSemantics,
  type OnlineReadRequest,
} from './online-store.js';
export { FeastConfigBaseModel, type OnlineStoreConfigSchema } from './config/base-model.js';
export type { RepoConfig, OnlineStoreConfig, RegistryConfig } from './config/repo-config.js';
export { loadRepoConfig, loadRepo, PROJECT_NAME_PATTERN, type LoadRepoConfigOptions, type LoadedRepo } from './config/load-repo-config.js';
export { expandEnvVars } from './config/env-expand.js';
export { parseOnlineStoreConfig } from './config/parse-online-store-config.js';
export { parseOnlineStoreType, ONLINE_STORE_SHORT_NAMES } from './plugins/online-store-type.js';
export { resolveOnlineStore, type ResolvedOnlineStore, type ResolveOnlineStoreOptions } from './plugins/resolve-online-store.js';
export { warnContribStoreOnce } from './contrib-warning.js';
export { expandEnvText, type ExpandedText, type Substitution, type UnsetReference } from './config/env-text.js';
export { CONFIG_WARNING_TYPE, type ConfigWarningCode } from './config/config-warnings.js';
export { DEFAULT_REGISTRY_PATH, DEFAULT_REGISTRY_CACHE_TTL_SECONDS } from './config/registry-section.js';
export { classifyOnlineStoreType, type OnlineStoreTypeForm } from './plugins/online-store-type.js';
export { FEAST_CLASS_PATHS, FEAST_ONLY_STORES, type FeastOnlyStore, type StoreModuleRef } from './plugins/feast-online-stores.js';
export { NoOnlineStore, NoOnlineStoreConfig, NO_ONLINE_STORE_TYPE, hasNoOnlineStore } from './plugins/no-online-store.js';
export { OnlineStoreNotSupportedError, OnlineStoreDependencyMissingError, NoOnlineStoreError } from './plugins/store-errors.js';
export { Entity, type EntityOptions, type EntityJson } from './definitions/entity.js';
export { Field, type FieldOptions, type FieldJson } from './definitions/field.js';
export { STRUCT_SCHEMA_TAG, fieldTypeToRegistry, fieldTypeFromRegistry } from './definitions/field.js';
export { FeastType, type PrimitiveFeastType, type ArrayFeastType, type PrimitiveFeastTypeName } from './definitions/feast-type.js';
export { feastTypeFromValueType, valueTypeOf, type SetFeastType, type StructFeastType } from './definitions/feast-type.js';
export {
  FeatureView,
  DUMMY_ENTITY_ID,
  DUMMY_ENTITY_VAL,
  type FeatureViewOptions,
  type FeatureViewJson,
  type FeatureViewKind,
} from './definitions/feature-view.js';
export {
  FeatureStore,
  entityKeyFor,
  type ApplyOptions,
  type GetOnlineFeaturesRequest,
  type WriteToOnlineStoreOptions,
} from './feature-store/feature-store.js';
export { toValueProto, fromValueProto, type FeatureValue } from './feature-store/convert.js';
export { entityValueToProto } from './feature-store/entity-value.js';
export { inferValueProto, type ZonedTimestampValue } from './feature-store/convert.js';
export { valueToJson, int64ToJson, type JsonFeatureValue } from './feature-store/value-to-json.js';
export { toEntityColumns, joinKeyValues, entityKeysFor, type EntityRows, type EntityColumns } from './feature-store/entity-rows.js';
export { EntityRowsError, MissingJoinKeyError, FeatureViewNotFoundError, FeatureNotFoundError, FeatureServiceNotFoundError } from './feature-store/request-errors.js';
export {
  OnlineResponse,
  FieldStatus,
  type FieldStatusName,
  type OnlineResponseInit,
  type OnlineResponseKeyColumn,
  type OnlineResponseViewResult,
  type ToDictOptions,
  type OnlineResponseJson,
  type OnlineResponseJsonResult,
  type OnlineResponseColumns,
  type OnlineResponseViewColumns,
} from './feature-store/online-response.js';
export { readOnlineFeatures, type OnlineReadGroup, type ReadOnlineFeaturesRequest } from './feature-store/online-read.js';
export { FileRegistry, type FileRegistryOptions } from './registry/file-registry.js';
export type { Registry, RegistryClass, RegistryChange, RegistrySnapshot, RegistryDump } from './registry/registry.js';
export { openRegistry, registryConfigOf, SQL_REGISTRY_PACKAGE } from './registry/open-registry.js';
export { withFileLock, type FileLockOptions } from './registry/file-lock.js';
export { snapshotFromProtos, durationSeconds, DUMMY_ENTITY_NAME, type ProjectProtos } from './registry/from-proto.js';
export { encodeRegistryObject, registryKindOf, timestampOf, newProjectBytes, newProjectMetadataBytes } from './registry/to-proto.js';
export { applyChangesToDocument } from './registry/apply-changes.js';
export {
  FeatureService,
  FeatureViewProjection,
  type FeatureServiceOptions,
  type ProjectionOptions,
  type FeatureColumn,
  type FeatureViewProjectionFields,
  type FeatureServiceJson,
} from './definitions/feature-service.js';
export {
  PermissionProto,
  SavedDatasetProto,
  ValidationReferenceProto,
  LabelViewProto,
  InfraProto,
  PROTO_OBJECT_OPTIONS,
  type ProtoCodec,
} from './proto/registry-codec.js';
export {
  RegistryProto,
  EntityProto,
  FeatureViewProto,
  StreamFeatureViewProto,
  OnDemandFeatureViewProto,
  FeatureServiceProto,
  DataSourceProto,
  ProjectProto,
  ProjectMetadataProto,
  FeatureViewVersionHistoryProto,
} from './proto/registry-types.js';
export type {
  ProtoObject,
  TimestampProto,
  DurationProto,
  FeatureSpecV2Proto,
  EntitySpecV2Proto,
  ObjectMetaProto,
  FeatureViewSpecProto,
  FeatureViewMetaProto,
  StreamFeatureViewSpecProto,
  OnDemandFeatureViewSpecProto,
  FeatureViewProjectionProto,
  FeatureServiceSpecProto,
  ProjectSpecProto,
  FeatureViewVersionRecordProto,
} from './proto/registry-types.js';
export { spliceMessage } from './proto/splice.js';
export { splitRecords, type WireRecord } from './proto/wire.js';
export {
  RegistryDocument,
  REGISTRY_FIELD,
  encodeTimestamp,
  type RegistryObjectKind,
  type ObjectIdentity,
  type StoredObject,
} from './registry/registry-document.js';
export {
  feastCoreRoot,
  RegistryMessage,
  EntityMessage,
  FeatureViewMessage,
  StreamFeatureViewMessage,
  OnDemandFeatureViewMessage,
  FeatureServiceMessage,
  DataSourceMessage,
  ProjectMessage,
} from './proto/registry-schema.js';
export { valueText, pythonFloatStr } from './store-helpers/value-text.js';
export { keyOrder } from './store-helpers/key-order.js';
export { setOwnProperty } from './own-property.js';
// The row pipeline in core and the driver surface of stores (issue 10, driver branch):
export * from './store-driver/index.js';
export * from './memory-store/index.js';
// Push sources (HTTP feature server, issue 14): find the views a push source feeds.
export { PushSourceNotFoundError } from './feature-store/request-errors.js';
export { pushSourceName } from './registry/from-proto.js';
