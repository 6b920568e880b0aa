import { serializeEntityKey, type EntityKeyProto, type EntityKeySerializationVersion } from '@feast-ts/core';

// #region keys
/**
 * The Redis key of one entity in one project:
 * `<key_prefix><project>:` followed by the entity key serialized as Feast does
 * (binary-safe). All views of the entity share this one hash.
 */
export function entityRedisKey(
  keyPrefix: string,
  project: string,
  entityKey: EntityKeyProto,
  version: EntityKeySerializationVersion,
): Buffer {
  const bytes = serializeEntityKey(entityKey, version);
  return Buffer.concat([Buffer.from(`${keyPrefix}${project}:`, 'utf8'), bytes]);
}

/** The hash field that holds one feature's serialized `feast.types.Value`: `<view>:<feature>`. */
export function featureField(view: string, feature: string): string {
  return `${view}:${feature}`;
}

/** The hash field that holds a view's event timestamp (epoch milliseconds, as text): `_ts:<view>`. */
export function timestampField(view: string): string {
  return `_ts:${view}`;
}
// #endregion keys

/** A SCAN pattern that matches every key of `project` under `keyPrefix` (glob characters escaped). */
export function projectKeyPattern(keyPrefix: string, project: string): string {
  return `${escapeGlob(`${keyPrefix}${project}:`)}*`;
}

/** A SCAN pattern that matches every key under `keyPrefix`. */
export function prefixKeyPattern(keyPrefix: string): string {
  return `${escapeGlob(keyPrefix)}*`;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
