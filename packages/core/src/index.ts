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
export { Entity, type EntityOptions, type EntityJson } from './definitions/entity.js';
export { Field, type FieldOptions, type FieldJson } from './definitions/field.js';
export { FeastType, type PrimitiveFeastType, type ArrayFeastType, type PrimitiveFeastTypeName } from './definitions/feast-type.js';
export {
  FeatureView,
  DUMMY_ENTITY_ID,
  DUMMY_ENTITY_VAL,
  type FeatureViewOptions,
  type FeatureViewJson,
} from './definitions/feature-view.js';
export {
  FeatureStore,
  entityKeyFor,
  type ApplyOptions,
  type GetOnlineFeaturesRequest,
  type WriteToOnlineStoreOptions,
  type OnlineFeaturesResponse,
} from './feature-store/feature-store.js';
export { toValueProto, fromValueProto, entityValueToProto, type FeatureValue } from './feature-store/convert.js';
export { FileRegistry, type ProjectRegistry } from './registry/file-registry.js';
export { valueText, pythonFloatStr } from './store-helpers/value-text.js';
export { keyOrder } from './store-helpers/key-order.js';
