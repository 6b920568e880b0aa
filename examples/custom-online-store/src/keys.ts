import { serializeEntityKey, type EntityKeyProto, type EntityKeySerializationVersion } from '@feast-ts/core';

// #region keys
/**
 * The bucket of a project: `<bucket_prefix><project>`. Feast's project names
 * (letters, digits, `_`, `-`) are legal NATS bucket names as they are.
 */
export function bucketName(bucketPrefix: string, project: string): string {
  return `${bucketPrefix}${project}`;
}

/**
 * A feature view's name as one token of a KV key. Letters, digits, `_` and
 * `-` stay; every other character becomes `=` and its UTF-8 bytes in hex,
 * so two view names never share a token (`=` itself is escaped too).
 */
export function viewToken(view: string): string {
  return view.replace(/[^A-Za-z0-9_-]/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `=${b.toString(16).padStart(2, '0')}`).join(''));
}

/**
 * The KV key of one entity in one view: `<view token>.<entity key>`, the
 * entity key serialized as Feast does and written in unpadded base64url,
 * whose alphabet (letters, digits, `-`, `_`) is legal in a NATS key.
 */
export function entityKvKey(view: string, entityKey: EntityKeyProto, version: EntityKeySerializationVersion): string {
  return `${viewToken(view)}.${Buffer.from(serializeEntityKey(entityKey, version)).toString('base64url')}`;
}

/** The subject filter of every key of a view, for purging it: `<view token>.>`. */
export function viewKeysFilter(view: string): string {
  return `${viewToken(view)}.>`;
}
// #endregion keys

/** The JetStream stream behind a KV bucket, and the subject of a key in it. */
export const streamOf = (bucket: string): string => `KV_${bucket}`;
export const subjectOf = (bucket: string, key: string): string => `$KV.${bucket}.${key}`;
