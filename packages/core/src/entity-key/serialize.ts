import { EntityKeySerializationError } from '../errors.js';
import { ValueType } from '../proto/value-type.js';
import { describe, type EntityKeyProto, type ValueProto } from '../proto/value.js';
import { compareCodePoints } from './python-sort.js';

/** Entity key serialization versions Feast supports; 3 is the default. */
export type EntityKeySerializationVersion = 2 | 3;

const utf8 = new TextEncoder();
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** One entity value as its Feast type tag and little-endian bytes. */
function encodeEntityValue(value: ValueProto, joinKey: string): [number, Uint8Array] {
  if (value === null || typeof value !== 'object') {
    throw new EntityKeySerializationError(`Entity value for "${joinKey}" must be a ValueProto, got ${describe(value)}`);
  }
  if (typeof value.stringVal === 'string') return [ValueType.STRING, utf8.encode(value.stringVal)];
  if (value.bytesVal instanceof Uint8Array) return [ValueType.BYTES, value.bytesVal];
  if (value.int32Val !== undefined && value.int32Val !== null) {
    if (!Number.isInteger(value.int32Val) || value.int32Val < -(2 ** 31) || value.int32Val > 2 ** 31 - 1) {
      throw new EntityKeySerializationError(`Entity value for "${joinKey}": int32Val must be an integer within int32, got ${describe(value.int32Val)}`);
    }
    const out = new Uint8Array(4);
    new DataView(out.buffer).setInt32(0, value.int32Val, true);
    return [ValueType.INT32, out];
  }
  for (const [member, type] of [['int64Val', ValueType.INT64], ['unixTimestampVal', ValueType.UNIX_TIMESTAMP]] as const) {
    const v = value[member];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) {
      throw new EntityKeySerializationError(
        `Entity value for "${joinKey}": ${member} must be a bigint within int64 (use 123n, not 123), got ${describe(v)}`,
      );
    }
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigInt64(0, v, true);
    return [type, out];
  }
  const kind = Object.keys(value).find((k) => (value as Record<string, unknown>)[k] != null);
  throw new EntityKeySerializationError(
    `Entity value for "${joinKey}" has type ${kind ?? 'null'}, which Feast cannot use in an entity key. ` +
      'Entity keys take string, bytes, int32, int64 or unix timestamp values.',
  );
}

/**
 * Serializes an entity key exactly as Feast's `serialize_entity_key` does:
 * the bytes used as the row key by every online store.
 *
 * Join keys are sorted by Unicode code point (as Python sorts `str`), so the
 * same key gives the same bytes whatever order its join keys come in.
 *
 * @param key - join keys and their values (string, bytes, int32, int64 or unix timestamp)
 * @param version - 3 (default, Feast's current format) or 2 (legacy)
 * @throws EntityKeySerializationError on unsupported value types, mismatched lengths or duplicates
 */
export function serializeEntityKey(key: EntityKeyProto, version: EntityKeySerializationVersion = 3): Uint8Array {
  if (version !== 2 && version !== 3) {
    throw new EntityKeySerializationError(`Entity key serialization version ${String(version)} is not supported; use 3 (default) or 2.`);
  }
  if (key === null || typeof key !== 'object' || !Array.isArray(key.joinKeys) || !Array.isArray(key.entityValues)) {
    throw new EntityKeySerializationError('An entity key must be { joinKeys: string[], entityValues: ValueProto[] }');
  }
  const { joinKeys, entityValues } = key;
  if (joinKeys.length !== entityValues.length) {
    throw new EntityKeySerializationError(
      `Entity key has ${joinKeys.length} join keys but ${entityValues.length} values; give one value per join key.`,
    );
  }
  if (joinKeys.length === 0) throw new EntityKeySerializationError('An entity key needs at least one join key.');

  let order = joinKeys.map((_, i) => i);
  if (joinKeys.length > 1) order = order.sort((a, b) => compareCodePoints(joinKeys[a]!, joinKeys[b]!));

  const keyBytes: Uint8Array[] = [];
  const values: Array<[number, Uint8Array]> = [];
  let size = version === 3 ? 4 : 0;
  for (let i = 0; i < order.length; i++) {
    const idx = order[i]!;
    const name = joinKeys[idx];
    if (typeof name !== 'string' || name.length === 0) {
      throw new EntityKeySerializationError(`Join key #${idx} must be a non-empty string, got ${describe(name)}`);
    }
    if (i > 0 && joinKeys[order[i - 1]!] === name) throw new EntityKeySerializationError(`Join key "${name}" appears twice in one entity key.`);
    const kb = utf8.encode(name);
    keyBytes.push(kb);
    size += (version === 3 ? 8 : 4) + kb.length;
    const encoded = encodeEntityValue(entityValues[idx]!, name);
    values.push(encoded);
    size += 8 + encoded[1].length;
  }

  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  if (version === 3) {
    view.setUint32(pos, keyBytes.length, true);
    pos += 4;
  }
  for (const kb of keyBytes) {
    view.setUint32(pos, ValueType.STRING, true);
    pos += 4;
    if (version === 3) {
      view.setUint32(pos, kb.length, true);
      pos += 4;
    }
    out.set(kb, pos);
    pos += kb.length;
  }
  for (const [type, bytes] of values) {
    view.setUint32(pos, type, true);
    view.setUint32(pos + 4, bytes.length, true);
    pos += 8;
    out.set(bytes, pos);
    pos += bytes.length;
  }
  return out;
}
