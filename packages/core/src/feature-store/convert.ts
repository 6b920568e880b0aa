import type { FeastType, PrimitiveFeastType } from '../definitions/feast-type.js';
import type { Entity } from '../definitions/entity.js';
import { ValueConversionError } from '../errors.js';
import { ValueType } from '../proto/value-type.js';
import { describe, type MapProto, type ValueProto } from '../proto/value.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A JavaScript value as Feast's `to_dict()` would give it for a feature or entity. */
export type FeatureValue =
  | null
  | string
  | number
  | bigint
  | boolean
  | Date
  | Uint8Array
  | FeatureValue[]
  | { [key: string]: FeatureValue };

function fail(where: string, expected: string, value: unknown): never {
  throw new ValueConversionError(`${where}: expected ${expected}, got ${describe(value)}.`);
}

function toInt64(value: unknown, where: string): bigint {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value)) {
    return fail(where, 'an Int64 as a bigint (this number is beyond 2^53 and already lost precision; pass e.g. 9007199254740993n)', value);
  } else if (typeof value === 'string' && /^-?\d+$/.test(value)) v = BigInt(value);
  else return fail(where, 'an Int64 (a bigint, a safe integer number, or a decimal string)', value);
  if (v < INT64_MIN || v > INT64_MAX) fail(where, 'an Int64 within -2^63..2^63-1', value);
  return v;
}

function toInt32(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1) return value;
  return fail(where, 'an Int32 (an integer number within -2^31..2^31-1)', value);
}

function toSeconds(value: unknown, where: string): bigint {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return BigInt(Math.floor(value.getTime() / 1000));
  return fail(where, 'a UnixTimestamp as a valid Date', value);
}

function scalarToJs(dtype: PrimitiveFeastType, value: unknown, where: string): string | number | bigint | boolean | Uint8Array {
  switch (dtype.name) {
    case 'String':
      return typeof value === 'string' ? value : fail(where, 'a String', value);
    case 'Bytes':
      return value instanceof Uint8Array ? value : fail(where, 'Bytes as a Uint8Array', value);
    case 'Int32':
      return toInt32(value, where);
    case 'Int64':
      return toInt64(value, where);
    case 'Float32':
    case 'Float64':
      return typeof value === 'number' ? value : fail(where, `a ${dtype.name} number`, value);
    case 'Bool':
      return typeof value === 'boolean' ? value : fail(where, 'a Bool (true or false)', value);
    case 'UnixTimestamp':
      return toSeconds(value, where);
  }
}

const scalarMember: Record<PrimitiveFeastType['name'], keyof ValueProto> = {
  String: 'stringVal',
  Bytes: 'bytesVal',
  Int32: 'int32Val',
  Int64: 'int64Val',
  Float32: 'floatVal',
  Float64: 'doubleVal',
  Bool: 'boolVal',
  UnixTimestamp: 'unixTimestampVal',
};

const listMember: Record<PrimitiveFeastType['name'], keyof ValueProto> = {
  String: 'stringListVal',
  Bytes: 'bytesListVal',
  Int32: 'int32ListVal',
  Int64: 'int64ListVal',
  Float32: 'floatListVal',
  Float64: 'doubleListVal',
  Bool: 'boolListVal',
  UnixTimestamp: 'unixTimestampListVal',
};

/**
 * Converts a JavaScript value to a ValueProto for a feature of type `dtype`.
 * `null` and `undefined` become Feast's null (an empty Value).
 *
 * @param where - names the value in error messages, e.g. `view "stats", feature "x", row 3`
 * @throws ValueConversionError when the value does not fit the type
 */
export function toValueProto(value: unknown, dtype: FeastType, where: string): ValueProto {
  if (value === null || value === undefined) return {};
  if (dtype.kind === 'primitive') return { [scalarMember[dtype.name]]: scalarToJs(dtype, value, where) } as ValueProto;
  if (!Array.isArray(value)) return fail(where, `an ${dtype.name} (a JavaScript array)`, value);
  const val = value.map((el, i) => scalarToJs(dtype.base, el, `${where}[${i}]`));
  return { [listMember[dtype.base.name]]: { val } } as ValueProto;
}

/**
 * Converts an entity's join-key value to a ValueProto, by the entity's
 * declared valueType, or inferred from the JavaScript type when none is declared
 * (bigint or integer number: INT64; string: STRING; Uint8Array: BYTES; Date: UNIX_TIMESTAMP).
 */
export function entityValueToProto(value: unknown, entity: Entity | undefined, where: string): ValueProto {
  const type = entity?.valueType ?? inferEntityType(value, where);
  switch (type) {
    case ValueType.STRING:
      return { stringVal: typeof value === 'string' ? value : fail(where, 'a string entity key', value) };
    case ValueType.BYTES:
      return { bytesVal: value instanceof Uint8Array ? value : fail(where, 'a Uint8Array entity key', value) };
    case ValueType.INT32:
      return { int32Val: toInt32(value, where) };
    case ValueType.INT64:
      return { int64Val: toInt64(value, where) };
    case ValueType.UNIX_TIMESTAMP:
      return { unixTimestampVal: toSeconds(value, where) };
    default:
      return fail(where, 'an entity key of type STRING, BYTES, INT32, INT64 or UNIX_TIMESTAMP', value);
  }
}

function inferEntityType(value: unknown, where: string): ValueType {
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return ValueType.INT64;
  if (typeof value === 'string') return ValueType.STRING;
  if (value instanceof Uint8Array) return ValueType.BYTES;
  if (value instanceof Date) return ValueType.UNIX_TIMESTAMP;
  return fail(where, 'an entity key (bigint, integer, string, Uint8Array or Date)', value);
}

const secondsToDate = (s: bigint): Date => new Date(Number(s) * 1000);

function mapToJs(map: MapProto | undefined): { [key: string]: FeatureValue } {
  const out: { [key: string]: FeatureValue } = {};
  for (const [k, v] of Object.entries(map?.val ?? {})) out[k] = fromValueProto(v);
  return out;
}

/**
 * Converts a ValueProto to the JavaScript value Feast's `to_dict()` gives:
 * Int64 as bigint, Float32/64 as number, String, Bytes as Uint8Array, Bool,
 * UnixTimestamp as Date, lists and sets as arrays, maps as objects, null for null.
 */
export function fromValueProto(v: ValueProto | null | undefined): FeatureValue {
  if (!v) return null;
  for (const key in v) {
    const member = (v as Record<string, unknown>)[key];
    if (member === undefined || member === null) continue;
    switch (key as keyof ValueProto) {
      case 'nullVal':
        return null;
      case 'unixTimestampVal':
        return secondsToDate(member as bigint);
      case 'unixTimestampListVal':
      case 'unixTimestampSetVal':
        return (member as { val: bigint[] }).val.map(secondsToDate);
      case 'mapVal':
      case 'structVal':
        return mapToJs(member as MapProto);
      case 'mapListVal':
      case 'structListVal':
        return (member as { val: MapProto[] }).val.map(mapToJs);
      case 'listVal':
      case 'setVal':
        return (member as { val: ValueProto[] }).val.map(fromValueProto);
      case 'scalarMapVal':
        return (member as { val: Array<{ value?: ValueProto }> }).val.map((e) => fromValueProto(e.value));
      case 'zonedTimestampVal':
        return secondsToDate((member as { unixTimestamp: bigint }).unixTimestamp);
      default:
        if (typeof member === 'object' && !(member instanceof Uint8Array) && 'val' in member) {
          return (member as { val: FeatureValue[] }).val;
        }
        return member as FeatureValue;
    }
  }
  return null;
}
