import { serializeEntityKey, type EntityKeyProto } from '@feast-ts/core';

/**
 * Longest entity key Feast's MySQL layout can hold: `entity_key VARCHAR(512)`
 * of hex, so 256 serialized bytes.
 */
export const MAX_ENTITY_KEY_HEX_LENGTH = 512;

/**
 * The `entity_key` column value: lowercase hex of the key serialized with
 * version 3, exactly what Feast's MySQL store writes and looks up (it uses
 * version 3 whatever `entity_key_serialization_version` says).
 */
export function entityKeyHex(key: EntityKeyProto): string {
  const bytes = serializeEntityKey(key, 3);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
