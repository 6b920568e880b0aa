import type { FeatureView } from '../definitions/feature-view.js';
import { serializeEntityKey, type EntityKeySerializationVersion } from '../entity-key/serialize.js';
import type { EntityKeyProto } from '../proto/value.js';
import { withContext } from './encoded-write.js';

/** The entity keys of a read: the distinct serialized keys, and for each input key the index of its distinct key. */
export interface ReadKeys {
  readonly distinct: Buffer[];
  readonly positions: Int32Array;
}

/**
 * Serializes the keys of a read and numbers the distinct ones in first-seen order.
 *
 * @throws EntityKeySerializationError naming the key's index and the view
 */
export function readKeys(view: FeatureView, entityKeys: readonly EntityKeyProto[], version: EntityKeySerializationVersion): ReadKeys {
  const seen = new Map<string, number>();
  const distinct: Buffer[] = [];
  const positions = new Int32Array(entityKeys.length);
  for (let i = 0; i < entityKeys.length; i++) {
    let bytes: Uint8Array;
    try {
      bytes = serializeEntityKey(entityKeys[i]!, version);
    } catch (err) {
      throw withContext(err, `Entity key ${i} read from feature view "${view.name}"`);
    }
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const id = key.toString('latin1');
    let index = seen.get(id);
    if (index === undefined) {
      index = distinct.length;
      seen.set(id, index);
      distinct.push(key);
    }
    positions[i] = index;
  }
  return { distinct, positions };
}

/**
 * The feature filter to hand a driver: `undefined` (no filter) when `wanted`
 * names every feature of the view, since a filter then only costs time (core
 * still drops rows of features not asked for).
 */
export function driverFeatureFilter(view: FeatureView, wanted: readonly string[]): readonly string[] | undefined {
  const asked = new Set(wanted);
  for (const f of view.features) if (!asked.has(f.name)) return wanted;
  return view.features.length > 0 ? undefined : wanted;
}
