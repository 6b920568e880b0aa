import { EntityKeySerializationError } from '../errors.js';
import { ValueType } from '../proto/value-type.js';
import { describe, type EntityKeyProto, type ValueProto } from '../proto/value.js';
import { isWellFormedString, loneSurrogateMessage } from '../proto/well-formed.js';
import { compareCodePoints } from './python-sort.js';

/** Entity key serialization versions Feast supports; 3 is the default. */
export type EntityKeySerializationVersion = 2 | 3;

const utf8 = new TextEncoder();
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** UTF-8 bytes of join key names: a handful of names recur in every key, so encode each once. */
const joinKeyBytes = new Map<string, Uint8Array>();
const MAX_CACHED_JOIN_KEYS = 4096;

function surrogateError(what: string, text: string): EntityKeySerializationError {
  return new EntityKeySerializationError(loneSurrogateMessage(what, text));
}

function encodeJoinKey(name: string): Uint8Array {
  let bytes = joinKeyBytes.get(name);
  if (bytes === undefined) {
    if (!isWellFormedString(name)) throw surrogateError(`Join key ${JSON.stringify(name)}`, name);
    bytes = utf8.encode(name);
    if (joinKeyBytes.size < MAX_CACHED_JOIN_KEYS) joinKeyBytes.set(name, bytes);
  }
  return bytes;
}

/** One entity value, checked: its Feast type tag and what to write (bytes, or an integer of 4 or 8 bytes). */
interface EncodedValue {
  type: number;
  bytes: Uint8Array | null;
  int: number | bigint;
  size: number;
}

function encodeEntityValue(value: ValueProto, joinKey: string): EncodedValue {
  if (value === null || typeof value !== 'object') {
    throw new EntityKeySerializationError(`Entity value for "${joinKey}" must be a ValueProto, got ${describe(value)}`);
  }
  const int64 = value.int64Val;
  if (int64 !== undefined && int64 !== null) return encodeInt64(int64, 'int64Val', ValueType.INT64, joinKey);
  if (typeof value.stringVal === 'string') {
    if (!isWellFormedString(value.stringVal)) throw surrogateError(`Entity value for "${joinKey}"`, value.stringVal);
    const bytes = utf8.encode(value.stringVal);
    return { type: ValueType.STRING, bytes, int: 0, size: bytes.length };
  }
  if (value.bytesVal instanceof Uint8Array) return { type: ValueType.BYTES, bytes: value.bytesVal, int: 0, size: value.bytesVal.length };
  if (value.int32Val !== undefined && value.int32Val !== null) {
    if (!Number.isInteger(value.int32Val) || value.int32Val < -(2 ** 31) || value.int32Val > 2 ** 31 - 1) {
      throw new EntityKeySerializationError(`Entity value for "${joinKey}": int32Val must be an integer within int32, got ${describe(value.int32Val)}`);
    }
    return { type: ValueType.INT32, bytes: null, int: value.int32Val, size: 4 };
  }
  const ts = value.unixTimestampVal;
  if (ts !== undefined && ts !== null) return encodeInt64(ts, 'unixTimestampVal', ValueType.UNIX_TIMESTAMP, joinKey);
  const kind = Object.keys(value).find((k) => (value as Record<string, unknown>)[k] != null);
  throw new EntityKeySerializationError(
    `Entity value for "${joinKey}" has type ${kind ?? 'null'}, which Feast cannot use in an entity key. ` +
      'Entity keys take string, bytes, int32, int64 or unix timestamp values.',
  );
}

function encodeInt64(v: unknown, member: string, type: number, joinKey: string): EncodedValue {
  if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) {
    throw new EntityKeySerializationError(
      `Entity value for "${joinKey}": ${member} must be a bigint within int64 (use 123n, not 123), got ${describe(v)}`,
    );
  }
  return { type, bytes: null, int: v, size: 8 };
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

  const n = joinKeys.length;
  let order: number[] | undefined;
  if (n > 1) order = Array.from({ length: n }, (_, i) => i).sort((x, y) => compareCodePoints(joinKeys[x]!, joinKeys[y]!));

  const names: Uint8Array[] = new Array(n);
  const values: EncodedValue[] = new Array(n);
  let size = version === 3 ? 4 : 0;
  for (let i = 0; i < n; i++) {
    const idx = order ? order[i]! : i;
    const name = joinKeys[idx];
    if (typeof name !== 'string' || name.length === 0) {
      throw new EntityKeySerializationError(`Join key #${idx} must be a non-empty string, got ${describe(name)}`);
    }
    if (i > 0 && joinKeys[order![i - 1]!] === name) throw new EntityKeySerializationError(`Join key "${name}" appears twice in one entity key.`);
    const kb = encodeJoinKey(name);
    names[i] = kb;
    const encoded = encodeEntityValue(entityValues[idx]!, name);
    values[i] = encoded;
    size += (version === 3 ? 8 : 4) + kb.length + 8 + encoded.size;
  }

  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  if (version === 3) {
    view.setUint32(pos, n, true);
    pos += 4;
  }
  for (const kb of names) {
    view.setUint32(pos, ValueType.STRING, true);
    pos += 4;
    if (version === 3) {
      view.setUint32(pos, kb.length, true);
      pos += 4;
    }
    out.set(kb, pos);
    pos += kb.length;
  }
  for (const v of values) {
    view.setUint32(pos, v.type, true);
    view.setUint32(pos + 4, v.size, true);
    pos += 8;
    if (v.bytes) out.set(v.bytes, pos);
    else if (v.size === 8) view.setBigInt64(pos, v.int as bigint, true);
    else view.setInt32(pos, v.int as number, true);
    pos += v.size;
  }
  return out;
}
