/**
 * Feast's Redis layout: one hash per (entity key, project), named by the
 * serialized entity key followed by the UTF-8 project name; in it, a field
 * per feature named by the 4-byte little-endian MurmurHash3 of
 * `"<view>:<feature>"`, and `_ts:<view>` holding the event time.
 */
import { compareCodePoints, serializeEntityKey, ValueType, type EntityKeyProto, type EntityKeySerializationVersion } from '@feast-ts/core';
import { murmur3_32 } from './murmur3.js';

const utf8 = new TextEncoder();

/** The hash's key: `serialize_entity_key(key)` + UTF-8 project. */
export function redisKey(projectBytes: Buffer, key: EntityKeyProto, version: EntityKeySerializationVersion): Buffer {
  const ek = serializeEntityKey(key, version);
  const out = Buffer.allocUnsafe(ek.length + projectBytes.length);
  out.set(ek, 0);
  projectBytes.copy(out, ek.length);
  return out;
}

/** Feast's `_mmh3(s)`: the unsigned MurmurHash3 (seed 0) of UTF-8 `s`, as 4 bytes little-endian. */
export function mmh3Field(s: string): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32LE(murmur3_32(utf8.encode(s)), 0);
  return out;
}

/** The field names of one view: a feature's hash field, and the view's `_ts:<view>` field. */
export class ViewFields {
  readonly ts: Buffer;
  readonly #byFeature = new Map<string, Buffer>();

  constructor(readonly view: string) {
    this.ts = Buffer.from(`_ts:${view}`, 'utf8');
  }

  /** `mmh3("<view>:<feature>")`, computed once per feature. */
  field(feature: string): Buffer {
    let f = this.#byFeature.get(feature);
    if (!f) {
      f = mmh3Field(`${this.view}:${feature}`);
      if (this.#byFeature.size < 10_000) this.#byFeature.set(feature, f);
    }
    return f;
  }
}

/**
 * Feast's `serialize_entity_key_prefix(join_keys)`: the bytes every
 * serialized key with these join keys starts with (the count, then each
 * sorted name with its type and, in version 3, its length).
 */
export function entityKeyPrefix(joinKeys: readonly string[], version: EntityKeySerializationVersion): Buffer {
  const sorted = [...joinKeys].sort(compareCodePoints);
  const parts: Buffer[] = [];
  if (version === 3) {
    const n = Buffer.allocUnsafe(4);
    n.writeUInt32LE(sorted.length, 0);
    parts.push(n);
  }
  for (const k of sorted) {
    const name = Buffer.from(k, 'utf8');
    const head = Buffer.allocUnsafe(version === 3 ? 8 : 4);
    head.writeUInt32LE(ValueType.STRING, 0);
    if (version === 3) head.writeUInt32LE(name.length, 4);
    parts.push(head, name);
  }
  return Buffer.concat(parts);
}

/**
 * Whether `key` is a hash of this project for an entity with these join keys:
 * it starts with the prefix, then holds exactly `joinKeyCount` values
 * (type, length, bytes), then exactly the project's bytes. (A SCAN pattern
 * alone would also match a project whose name ends with this one's.)
 */
export function keyBelongsTo(key: Buffer, prefix: Buffer, joinKeyCount: number, projectBytes: Buffer): boolean {
  if (key.length < prefix.length + projectBytes.length || !key.subarray(0, prefix.length).equals(prefix)) return false;
  let pos = prefix.length;
  for (let i = 0; i < joinKeyCount; i++) {
    if (pos + 8 > key.length) return false;
    pos += 8 + key.readUInt32LE(pos + 4);
  }
  return pos + projectBytes.length === key.length && key.subarray(pos).equals(projectBytes);
}

/** Escapes the glob characters of Redis' MATCH (`* ? [ ] \`) in binary bytes. */
export function escapeGlob(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b === 0x2a || b === 0x3f || b === 0x5b || b === 0x5d || b === 0x5c) out.push(0x5c);
    out.push(b);
  }
  return Buffer.from(out);
}

/** The SCAN pattern of Feast's deletes: `<prefix>*<project>`, with both parts escaped. */
export function scanPattern(prefix: Buffer, projectBytes: Buffer): Buffer {
  return Buffer.concat([escapeGlob(prefix), Buffer.from('*'), escapeGlob(projectBytes)]);
}
