import type { FeastType, PrimitiveFeastTypeName } from '../definitions/feast-type.js';
import { ValueConversionError } from '../errors.js';
import { describe, type MapProto, type ValueProto } from '../proto/value.js';
import { isValidZone } from './zoned-time.js';
import { setOwnProperty } from '../own-property.js';

export { fromValueProto, type FeatureValue, type ZonedTimestampValue } from './value-to-js.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const LONE_SURROGATE = /\p{Cs}/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Throws the ValueConversionError every write-side check uses. */
export function conversionFailure(where: string, expected: string, value: unknown): never {
  throw new ValueConversionError(`${where}: expected ${expected}, got ${describe(value)}.`);
}

/** A string that UTF-8 can carry: no lone surrogate (which would be replaced by U+FFFD, losing it). */
export function toWellFormedString(value: unknown, where: string, what = 'a String'): string {
  if (typeof value !== 'string') return conversionFailure(where, what, value);
  if (LONE_SURROGATE.test(value)) {
    const at = value.search(LONE_SURROGATE);
    throw new ValueConversionError(
      `${where}: the string has a lone UTF-16 surrogate at index ${at}, which UTF-8 cannot store (it would become U+FFFD). Fix the text before writing it.`,
    );
  }
  return value;
}

/** An int64 from a bigint, a safe integer number, or an exact decimal string. */
export function toInt64(value: unknown, where: string): bigint {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value)) {
    return conversionFailure(where, 'an Int64 as a bigint (this number is beyond 2^53 and already lost precision; pass e.g. 9007199254740993n)', value);
  } else if (typeof value === 'string' && /^-?\d+$/.test(value)) v = BigInt(value);
  else return conversionFailure(where, 'an Int64 (a bigint, a safe integer number, or a decimal string)', value);
  if (v < INT64_MIN || v > INT64_MAX) conversionFailure(where, 'an Int64 within -2^63..2^63-1', value);
  return v;
}

/** An int32 from an integer number or bigint within range. */
export function toInt32(value: unknown, where: string): number {
  const n = typeof value === 'bigint' && value >= -(2n ** 31n) && value < 2n ** 31n ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1) return n;
  return conversionFailure(where, 'an Int32 (an integer within -2^31..2^31-1)', value);
}

/** Epoch seconds of a valid Date (sub-second digits are dropped: Feast's UnixTimestamp has seconds). */
export function toEpochSeconds(value: unknown, where: string): bigint {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return BigInt(Math.floor(value.getTime() / 1000));
  return conversionFailure(where, 'a UnixTimestamp as a valid Date', value);
}

function toFloat32(value: unknown, where: string): number {
  if (typeof value !== 'number') return conversionFailure(where, 'a Float32 number', value);
  if (Number.isFinite(value) && !Number.isFinite(Math.fround(value))) {
    return conversionFailure(where, 'a Float32 within ±3.4028234663852886e38 (this number would overflow to Infinity)', value);
  }
  return value;
}

function toUuid(value: unknown, where: string, timeBased: boolean): string {
  const what = timeBased ? 'a TimeUuid (a version-1 UUID string)' : 'a Uuid (a UUID string such as "6f1c9a9e-1f7f-4a3c-9d5e-0d1c2b3a4f5e")';
  if (typeof value !== 'string' || !UUID.test(value)) return conversionFailure(where, what, value);
  if (timeBased && value[14] !== '1') return conversionFailure(where, what, value);
  return value.toLowerCase();
}

function toDecimal(value: unknown, where: string): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' && DECIMAL.test(value)) return value;
  return conversionFailure(where, 'a Decimal as a decimal string (such as "12.50") or a bigint; a number would already be rounded', value);
}

function toJsonText(value: unknown, where: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new ValueConversionError(`${where}: Json cannot hold ${v} (JSON would turn it into null).`);
      if (typeof v === 'string') toWellFormedString(v, where, 'Json text');
      return v;
    });
  } catch (cause) {
    if (cause instanceof ValueConversionError) throw cause;
    throw new ValueConversionError(`${where}: the value cannot be written as Json: ${(cause as Error).message}.`, cause);
  }
  if (text === undefined) return conversionFailure(where, 'a Json value (anything JSON.stringify can write)', value);
  return text;
}

function toZoned(value: unknown, where: string): ValueProto['zonedTimestampVal'] {
  if (value instanceof Date) return { unixTimestamp: toEpochSeconds(value, where), zone: 'UTC' };
  const v = value as { date?: unknown; zone?: unknown } | null;
  if (v === null || typeof v !== 'object' || !(v.date instanceof Date) || typeof v.zone !== 'string') {
    return conversionFailure(where, 'a ZonedTimestamp { date: Date, zone: "Europe/Paris" } (or a Date, taken as UTC)', value);
  }
  if (!isValidZone(v.zone)) {
    throw new ValueConversionError(`${where}: ${JSON.stringify(v.zone)} is not a time zone: use an IANA name such as "Europe/Paris", an offset such as "+05:45", or "UTC".`);
  }
  return { unixTimestamp: toEpochSeconds(v.date, where), zone: v.zone };
}

function entriesOf(value: unknown, where: string, what: string): Array<[string, unknown]> {
  if (value instanceof Map) {
    const out: Array<[string, unknown]> = [];
    for (const [k, v] of value) out.push([toWellFormedString(k, `${where} key`, 'a string key'), v]);
    return out;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date || value instanceof Set) {
    return conversionFailure(where, what, value);
  }
  return Object.entries(value).map(([k, v]) => [toWellFormedString(k, `${where} key`, 'a string key'), v]);
}

function toMapProto(value: unknown, where: string, valueOf: (k: string, v: unknown) => ValueProto, what: string): MapProto {
  const val: Record<string, ValueProto> = {};
  for (const [k, v] of entriesOf(value, where, what)) {
    const converted = valueOf(k, v);
    setOwnProperty(val, k, converted);
  }
  return { val };
}

/**
 * The Value of a JavaScript value whose type is not declared (a Map's values,
 * an `Array(Invalid)`): string, boolean, bigint (int64), number (double),
 * Date (unix timestamp), Uint8Array, arrays (list_val), Sets (set_val),
 * objects and Maps (map_val).
 */
export function inferValueProto(value: unknown, where: string): ValueProto {
  if (value === null || value === undefined) return {};
  switch (typeof value) {
    case 'string':
      return { stringVal: toWellFormedString(value, where) };
    case 'boolean':
      return { boolVal: value };
    case 'bigint':
      return { int64Val: toInt64(value, where) };
    case 'number':
      return { doubleVal: value };
  }
  if (value instanceof Date) return { unixTimestampVal: toEpochSeconds(value, where) };
  if (value instanceof Uint8Array) return { bytesVal: value };
  if (Array.isArray(value)) return { listVal: { val: value.map((el, i) => inferValueProto(el, `${where}[${i}]`)) } };
  if (value instanceof Set) return { setVal: { val: [...value].map((el, i) => inferValueProto(el, `${where}[${i}]`)) } };
  return { mapVal: toMapProto(value, where, (k, v) => inferValueProto(v, `${where}.${k}`), 'a Map (an object or a Map with string keys)') };
}

type Scalar = string | number | bigint | boolean | Uint8Array;

/** Converters of the scalars that have a `<x>_val`, `<x>_list_val` and usually `<x>_set_val` member. */
const SCALARS: Partial<Record<PrimitiveFeastTypeName, { one: keyof ValueProto; list: keyof ValueProto; set?: keyof ValueProto; to(v: unknown, where: string): Scalar }>> = {
  Bytes: { one: 'bytesVal', list: 'bytesListVal', set: 'bytesSetVal', to: (v, w) => (v instanceof Uint8Array ? v : conversionFailure(w, 'Bytes as a Uint8Array', v)) },
  String: { one: 'stringVal', list: 'stringListVal', set: 'stringSetVal', to: (v, w) => toWellFormedString(v, w) },
  Int32: { one: 'int32Val', list: 'int32ListVal', set: 'int32SetVal', to: toInt32 },
  Int64: { one: 'int64Val', list: 'int64ListVal', set: 'int64SetVal', to: toInt64 },
  Float32: { one: 'floatVal', list: 'floatListVal', set: 'floatSetVal', to: toFloat32 },
  Float64: { one: 'doubleVal', list: 'doubleListVal', set: 'doubleSetVal', to: (v, w) => (typeof v === 'number' ? v : conversionFailure(w, 'a Float64 number', v)) },
  Bool: { one: 'boolVal', list: 'boolListVal', set: 'boolSetVal', to: (v, w) => (typeof v === 'boolean' ? v : conversionFailure(w, 'a Bool (true or false)', v)) },
  UnixTimestamp: { one: 'unixTimestampVal', list: 'unixTimestampListVal', set: 'unixTimestampSetVal', to: toEpochSeconds },
  Uuid: { one: 'uuidVal', list: 'uuidListVal', set: 'uuidSetVal', to: (v, w) => toUuid(v, w, false) },
  TimeUuid: { one: 'timeUuidVal', list: 'timeUuidListVal', set: 'timeUuidSetVal', to: (v, w) => toUuid(v, w, true) },
  Decimal: { one: 'decimalVal', list: 'decimalListVal', set: 'decimalSetVal', to: toDecimal },
  Json: { one: 'jsonVal', list: 'jsonListVal', to: toJsonText },
};
SCALARS.PdfBytes = SCALARS.Bytes;
SCALARS.ImageBytes = SCALARS.Bytes;

function elementsOf(value: unknown, where: string, typeName: string, allowSet: boolean): unknown[] {
  if (Array.isArray(value)) return value;
  if (allowSet && value instanceof Set) return [...value];
  return conversionFailure(where, `an ${typeName} (a JavaScript array${allowSet ? ' or Set' : ''})`, value);
}

const dedupeKey = (v: Scalar): unknown => (v instanceof Uint8Array ? `b:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}` : v);

function toList(value: unknown, base: FeastType, where: string, name: string): ValueProto {
  const items = elementsOf(value, where, name, false);
  if (base.kind === 'primitive') {
    if (base.name === 'Map') return { mapListVal: { val: items.map((el, i) => mapOf(el, `${where}[${i}]`)) } };
    const s = SCALARS[base.name];
    if (s) {
      const val = items.map((el, i) => {
        if (el === null || el === undefined) return conversionFailure(`${where}[${i}]`, `a ${base.name} (Feast lists cannot hold null)`, el);
        return s.to(el, `${where}[${i}]`);
      });
      return { [s.list]: { val } } as ValueProto;
    }
  }
  if (base.kind === 'struct') return { structListVal: { val: items.map((el, i) => structOf(el, base, `${where}[${i}]`)) } };
  return { listVal: { val: items.map((el, i) => toValueProto(el, base, `${where}[${i}]`)) } };
}

function toSet(value: unknown, base: FeastType, where: string, name: string): ValueProto {
  const items = elementsOf(value, where, name, true);
  if (base.kind === 'primitive' && SCALARS[base.name]?.set) {
    const s = SCALARS[base.name]!;
    const seen = new Set<unknown>();
    const val: Scalar[] = [];
    items.forEach((el, i) => {
      if (el === null || el === undefined) conversionFailure(`${where}[${i}]`, `a ${base.name} (Feast sets cannot hold null)`, el);
      const v = s.to(el, `${where}[${i}]`);
      const k = dedupeKey(v);
      if (!seen.has(k)) {
        seen.add(k);
        val.push(v);
      }
    });
    return { [s.set!]: { val } } as ValueProto;
  }
  return { setVal: { val: items.map((el, i) => toValueProto(el, base, `${where}[${i}]`)) } };
}

function mapOf(value: unknown, where: string): MapProto {
  return toMapProto(value, where, (k, v) => inferValueProto(v, `${where}.${k}`), 'a Map (an object or a Map with string keys)');
}

function structOf(value: unknown, type: Extract<FeastType, { kind: 'struct' }>, where: string): MapProto {
  const declared = Object.keys(type.fields);
  if (declared.length === 0) return toMapProto(value, where, (k, v) => inferValueProto(v, `${where}.${k}`), 'a Struct (an object)');
  const entries = new Map(entriesOf(value, where, `a ${type.name} (an object)`));
  for (const k of entries.keys()) {
    if (!Object.hasOwn(type.fields, k)) {
      throw new ValueConversionError(`${where}: ${type.name} has no field "${k}". Its fields: ${declared.join(', ')}.`);
    }
  }
  const val: Record<string, ValueProto> = {};
  for (const k of declared) val[k] = toValueProto(entries.get(k) ?? null, type.fields[k]!, `${where}.${k}`);
  return { val };
}

/**
 * Converts a JavaScript value to a ValueProto for a feature of type `dtype`.
 * `null` and `undefined` become Feast's null (an empty Value). Anything that
 * would lose data is refused: a Float32 that overflows to Infinity, a string
 * with a lone surrogate, an int64 beyond 2^63 or given as an unsafe number,
 * a malformed UUID or decimal, a non-finite number in Json.
 *
 * @param where - names the value in error messages, e.g. `view "stats", feature "x", row 3`
 * @throws ValueConversionError when the value does not fit the type
 */
export function toValueProto(value: unknown, dtype: FeastType, where: string): ValueProto {
  if (value === null || value === undefined) return {};
  switch (dtype.kind) {
    case 'primitive': {
      const s = SCALARS[dtype.name];
      if (s) return { [s.one]: s.to(value, where) } as ValueProto;
      if (dtype.name === 'Map') return { mapVal: mapOf(value, where) };
      if (dtype.name === 'ZonedTimestamp') return { zonedTimestampVal: toZoned(value, where) };
      return inferValueProto(value, where); // Invalid: no declared type
    }
    case 'array':
      return toList(value, dtype.base, where, dtype.name);
    case 'set':
      return toSet(value, dtype.base, where, dtype.name);
    case 'struct':
      return { structVal: structOf(value, dtype, where) };
  }
}
