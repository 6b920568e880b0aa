import { ValueType, type RegistrySnapshot } from '@feast-ts/core';
import { jsonBytes } from './df-rows.js';
import type { JsonColumns } from './request-shapes.js';

/** The join keys of BYTES entities, per registry snapshot (most projects have none). */
const bytesKeysBySnapshot = new WeakMap<RegistrySnapshot, ReadonlySet<string>>();

function bytesJoinKeys(snapshot: RegistrySnapshot): ReadonlySet<string> {
  let keys = bytesKeysBySnapshot.get(snapshot);
  if (keys === undefined) {
    const found = new Set<string>();
    for (const entity of snapshot.entities.values()) if (entity.valueType === ValueType.BYTES) found.add(entity.joinKey);
    bytesKeysBySnapshot.set(snapshot, (keys = found));
  }
  return keys;
}

/**
 * JSON has no bytes: a BYTES join key comes in the request's `entities` as base64 text (as the
 * responses write Bytes). Returns `entities` with those columns decoded to Uint8Arrays, or
 * `entities` itself when the project has no BYTES entity or the columns hold no text.
 *
 * @param snapshot - the registry snapshot the request is served from
 * @throws ValueConversionError naming the column and row of text that is not base64
 */
export function decodeBytesJoinKeys(snapshot: RegistrySnapshot, entities: JsonColumns): JsonColumns {
  const keys = bytesJoinKeys(snapshot);
  if (keys.size === 0) return entities;
  let out: Record<string, unknown[]> | undefined;
  for (const key of keys) {
    const column = Object.hasOwn(entities, key) ? entities[key] : undefined;
    if (!Array.isArray(column) || !column.some((v) => typeof v === 'string')) continue;
    out ??= { ...entities };
    out[key] = column.map((v, i) => (typeof v === 'string' ? jsonBytes(v, `entities.${key}[${i}] (join key "${key}", of type BYTES)`) : v));
  }
  return out ?? entities;
}
