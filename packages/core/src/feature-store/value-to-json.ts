import type { MapProto, ValueProto } from '../proto/value.js';
import { formatZoned } from './zoned-time.js';
import { setOwnProperty } from '../own-property.js';

/** A value of Feast's HTTP response JSON. */
export type JsonFeatureValue = null | string | number | boolean | JsonFeatureValue[] | { [key: string]: JsonFeatureValue };

const NULL_TIMESTAMP = -(2n ** 63n);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** An int64 as a JSON number when it is exact in one (|n| <= 2^53 - 1), else as its decimal string. */
export const int64ToJson = (n: bigint): number | string => (n >= MIN_SAFE && n <= MAX_SAFE ? Number(n) : n.toString());

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

function mapToJson(map: MapProto | undefined): { [key: string]: JsonFeatureValue } {
  const out: { [key: string]: JsonFeatureValue } = {};
  const val = map?.val;
  if (val) {
    for (const k of Object.keys(val)) {
      const v = valueToJson(val[k]);
      setOwnProperty(out, k, v);
    }
  }
  return out;
}

/**
 * A ValueProto as Feast's feature server writes it in `/get-online-features`
 * (`feature_server_utils._value_to_native`): scalars as JSON scalars, int64
 * (and unix timestamps, which are epoch seconds) as numbers when safe else
 * decimal strings, bytes as base64, lists and sets as arrays, maps and structs
 * as objects, Json as its JSON text (a string, as Feast), a zoned timestamp
 * as ISO 8601 in its zone, a scalar map as null (Feast does not serialize it),
 * Feast's null as null.
 */
export function valueToJson(v: ValueProto | null | undefined): JsonFeatureValue {
  if (!v) return null;
  for (const key in v) {
    const member = (v as Record<string, unknown>)[key];
    if (member === undefined || member === null) continue;
    switch (key as keyof ValueProto) {
      case 'nullVal':
      case 'scalarMapVal':
        return null;
      case 'int64Val':
      case 'unixTimestampVal':
        return int64ToJson(member as bigint);
      case 'bytesVal':
        return base64(member as Uint8Array);
      case 'bytesListVal':
      case 'bytesSetVal':
        return (member as { val: Uint8Array[] }).val.map(base64);
      case 'int64ListVal':
      case 'int64SetVal':
      case 'unixTimestampListVal':
      case 'unixTimestampSetVal':
        return (member as { val: bigint[] }).val.map(int64ToJson);
      case 'mapVal':
      case 'structVal':
        return mapToJson(member as MapProto);
      case 'mapListVal':
      case 'structListVal':
        return (member as { val: MapProto[] }).val.map(mapToJson);
      case 'listVal':
      case 'setVal':
        return (member as { val: ValueProto[] }).val.map(valueToJson);
      case 'zonedTimestampVal': {
        const z = member as { unixTimestamp: bigint; zone: string };
        return z.unixTimestamp === NULL_TIMESTAMP ? null : formatZoned(Number(z.unixTimestamp), z.zone);
      }
      default:
        if (typeof member === 'object' && 'val' in member) return (member as { val: JsonFeatureValue[] }).val.slice();
        return member as JsonFeatureValue;
    }
  }
  return null;
}
