import { ValueConversionError } from '../errors.js';
import type { MapKeyProto, MapProto, ScalarMapEntryProto, ValueProto } from '../proto/value.js';
import { setOwnProperty } from '../own-property.js';

/** A ZonedTimestamp as JavaScript holds it: the instant and the zone it was recorded in. */
export interface ZonedTimestampValue {
  /** The instant (whole seconds, as Feast stores it). */
  date: Date;
  /** IANA name (`Europe/Paris`), fixed offset (`+05:45`), or `""`/`UTC`. */
  zone: string;
}

/**
 * A JavaScript value as {@link OnlineResponse.toDict} gives it: Int64 as
 * bigint, Int32/Float32/Float64 as number, String/Uuid/TimeUuid/Decimal as
 * string, Bytes as Uint8Array, Bool, UnixTimestamp as Date, ZonedTimestamp as
 * {@link ZonedTimestampValue}, Json as its parsed value, Array as an array,
 * Set as a `Set`, Map and Struct as plain objects, a scalar map as a `Map`,
 * null for null.
 */
export type FeatureValue =
  | null
  | string
  | number
  | bigint
  | boolean
  | Date
  | Uint8Array
  | ZonedTimestampValue
  | FeatureValue[]
  | Set<FeatureValue>
  | Map<FeatureValue, FeatureValue>
  | { [key: string]: FeatureValue };

/** Feast's NaT sentinel for a null timestamp inside lists (`NULL_TIMESTAMP_INT_VALUE`). */
const NULL_TIMESTAMP = -(2n ** 63n);

const secondsToDate = (s: bigint): Date | null => (s === NULL_TIMESTAMP ? null : new Date(Number(s) * 1000));

function parseJson(text: string): FeatureValue {
  try {
    return JSON.parse(text) as FeatureValue;
  } catch (cause) {
    throw new ValueConversionError(`A stored Json value is not valid JSON (${(cause as Error).message}); it was not written by Feast or feast-ts.`, cause);
  }
}

function mapToJs(map: MapProto | undefined): { [key: string]: FeatureValue } {
  const out: { [key: string]: FeatureValue } = {};
  const val = map?.val;
  if (val) {
    for (const k of Object.keys(val)) {
      const v = fromValueProto(val[k]);
      setOwnProperty(out, k, v);
    }
  }
  return out;
}

function mapKeyToJs(key: MapKeyProto | undefined): FeatureValue {
  if (!key) return null;
  for (const k in key) {
    const v = key[k as keyof MapKeyProto];
    if (v === undefined || v === null) continue;
    return k === 'unixTimestampKey' ? secondsToDate(v as bigint) : (v as FeatureValue);
  }
  return null;
}

/**
 * Converts a ValueProto to its JavaScript value (see {@link FeatureValue}),
 * by the member that is set, so a value reads back the same whatever the
 * feature's declared type.
 *
 * @throws ValueConversionError for a stored Json value that is not JSON
 */
export function fromValueProto(v: ValueProto | null | undefined): FeatureValue {
  if (!v) return null;
  for (const key in v) {
    const member = (v as Record<string, unknown>)[key];
    if (member === undefined || member === null) continue;
    // Scalars first (the common case): every member that is not a message is a number, bigint, string or boolean.
    if (typeof member !== 'object') {
      if (key === 'unixTimestampVal') return secondsToDate(member as bigint);
      if (key === 'jsonVal') return parseJson(member as string);
      if (key === 'nullVal') return null;
      return member as FeatureValue;
    }
    switch (key as keyof ValueProto) {
      case 'unixTimestampListVal':
        return (member as { val: bigint[] }).val.map(secondsToDate);
      case 'unixTimestampSetVal':
        return new Set((member as { val: bigint[] }).val.map(secondsToDate));
      case 'jsonListVal':
        return (member as { val: string[] }).val.map(parseJson);
      case 'mapVal':
      case 'structVal':
        return mapToJs(member as MapProto);
      case 'mapListVal':
      case 'structListVal':
        return (member as { val: MapProto[] }).val.map(mapToJs);
      case 'listVal':
        return (member as { val: ValueProto[] }).val.map(fromValueProto);
      case 'setVal':
        return new Set((member as { val: ValueProto[] }).val.map(fromValueProto));
      case 'scalarMapVal':
        return new Map((member as { val: ScalarMapEntryProto[] }).val.map((e) => [mapKeyToJs(e.key), fromValueProto(e.value)]));
      case 'zonedTimestampVal': {
        const z = member as { unixTimestamp: bigint; zone: string };
        const date = secondsToDate(z.unixTimestamp);
        return date ? { date, zone: z.zone } : null;
      }
      case 'bytesSetVal':
      case 'stringSetVal':
      case 'int32SetVal':
      case 'int64SetVal':
      case 'doubleSetVal':
      case 'floatSetVal':
      case 'boolSetVal':
      case 'uuidSetVal':
      case 'timeUuidSetVal':
      case 'decimalSetVal':
        return new Set((member as { val: FeatureValue[] }).val);
      default:
        if (typeof member === 'object' && !(member instanceof Uint8Array) && 'val' in member) {
          return (member as { val: FeatureValue[] }).val;
        }
        return member as FeatureValue;
    }
  }
  return null;
}
