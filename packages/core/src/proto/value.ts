import { ValueConversionError } from '../errors.js';
import { EntityKeyMessage, ValueMessage } from './schema.js';
import { decodeScalarValue, decodeScalarValueIn } from './value-fast-decode.js';
import { encodeScalarValue } from './value-fast-encode.js';
import { isWellFormedString, loneSurrogateMessage } from './well-formed.js';

/** `{ val: T[] }`: Feast's list and set wrapper messages (Int64List, StringSet, ...). */
export interface RepeatedField<T> {
  val: T[];
}

/** `feast.types.Map`: string keys to nested values. */
export interface MapProto {
  val: Record<string, ValueProto>;
}

/** `feast.types.MapKey`: the key of a {@link ScalarMapEntryProto}; exactly one member is set. */
export interface MapKeyProto {
  int32Key?: number;
  int64Key?: bigint;
  floatKey?: number;
  doubleKey?: number;
  boolKey?: boolean;
  unixTimestampKey?: bigint;
  bytesKey?: Uint8Array;
  uuidKey?: string;
  timeUuidKey?: string;
  decimalKey?: string;
}

/** `feast.types.ScalarMapEntry`. */
export interface ScalarMapEntryProto {
  key?: MapKeyProto;
  value?: ValueProto;
}

/** `feast.types.ZonedTimestamp`. */
export interface ZonedTimestampProto {
  unixTimestamp: bigint;
  zone: string;
}

/**
 * `feast.types.Value`: Feast's tagged value. At most one member is set (the
 * protobuf `oneof val`); none set is Feast's null (`ValueProto()` in Python).
 * Members are the camelCase names of Feast's fields. 64-bit integers are
 * `bigint`, never a lossy `number`.
 */
export interface ValueProto {
  bytesVal?: Uint8Array;
  stringVal?: string;
  int32Val?: number;
  int64Val?: bigint;
  doubleVal?: number;
  floatVal?: number;
  boolVal?: boolean;
  /** Seconds since the Unix epoch. */
  unixTimestampVal?: bigint;
  bytesListVal?: RepeatedField<Uint8Array>;
  stringListVal?: RepeatedField<string>;
  int32ListVal?: RepeatedField<number>;
  int64ListVal?: RepeatedField<bigint>;
  doubleListVal?: RepeatedField<number>;
  floatListVal?: RepeatedField<number>;
  boolListVal?: RepeatedField<boolean>;
  unixTimestampListVal?: RepeatedField<bigint>;
  /** `feast.types.Null.NULL` (0). */
  nullVal?: 0;
  mapVal?: MapProto;
  mapListVal?: RepeatedField<MapProto>;
  bytesSetVal?: RepeatedField<Uint8Array>;
  stringSetVal?: RepeatedField<string>;
  int32SetVal?: RepeatedField<number>;
  int64SetVal?: RepeatedField<bigint>;
  doubleSetVal?: RepeatedField<number>;
  floatSetVal?: RepeatedField<number>;
  boolSetVal?: RepeatedField<boolean>;
  unixTimestampSetVal?: RepeatedField<bigint>;
  jsonVal?: string;
  jsonListVal?: RepeatedField<string>;
  structVal?: MapProto;
  structListVal?: RepeatedField<MapProto>;
  uuidVal?: string;
  timeUuidVal?: string;
  uuidListVal?: RepeatedField<string>;
  timeUuidListVal?: RepeatedField<string>;
  uuidSetVal?: RepeatedField<string>;
  timeUuidSetVal?: RepeatedField<string>;
  listVal?: RepeatedField<ValueProto>;
  setVal?: RepeatedField<ValueProto>;
  decimalVal?: string;
  decimalListVal?: RepeatedField<string>;
  decimalSetVal?: RepeatedField<string>;
  scalarMapVal?: RepeatedField<ScalarMapEntryProto>;
  zonedTimestampVal?: ZonedTimestampProto;
}

/** The name of a member of {@link ValueProto}'s oneof, such as `"int64Val"`. */
export type ValueKind = keyof ValueProto;

/** `feast.types.EntityKey`: join keys and their values, in the same order. */
export interface EntityKeyProto {
  joinKeys: string[];
  entityValues: ValueProto[];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

type ElementCheck = (v: unknown) => boolean;
const isInt64 = (v: unknown): boolean => typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX;
const isInt32 = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX;
const isNumber = (v: unknown): boolean => typeof v === 'number';
const isString = (v: unknown): boolean => typeof v === 'string';
const isBool = (v: unknown): boolean => typeof v === 'boolean';
const isBytes = (v: unknown): boolean => v instanceof Uint8Array;

const scalarChecks: Partial<Record<ValueKind, [ElementCheck, string]>> = {
  bytesVal: [isBytes, 'a Uint8Array'],
  stringVal: [isString, 'a string'],
  int32Val: [isInt32, 'an integer within int32'],
  int64Val: [isInt64, 'a bigint within int64'],
  doubleVal: [isNumber, 'a number'],
  floatVal: [isNumber, 'a number'],
  boolVal: [isBool, 'a boolean'],
  unixTimestampVal: [isInt64, 'a bigint (epoch seconds)'],
  nullVal: [(v) => v === 0, '0 (feast.types.Null.NULL)'],
  jsonVal: [isString, 'a string'],
  uuidVal: [isString, 'a string'],
  timeUuidVal: [isString, 'a string'],
  decimalVal: [isString, 'a decimal string'],
};

const repeatedChecks: Partial<Record<ValueKind, [ElementCheck, string]>> = {
  bytesListVal: [isBytes, 'Uint8Array'],
  bytesSetVal: [isBytes, 'Uint8Array'],
  stringListVal: [isString, 'string'],
  stringSetVal: [isString, 'string'],
  jsonListVal: [isString, 'string'],
  uuidListVal: [isString, 'string'],
  timeUuidListVal: [isString, 'string'],
  uuidSetVal: [isString, 'string'],
  timeUuidSetVal: [isString, 'string'],
  decimalListVal: [isString, 'string'],
  decimalSetVal: [isString, 'string'],
  int32ListVal: [isInt32, 'int32 integer'],
  int32SetVal: [isInt32, 'int32 integer'],
  int64ListVal: [isInt64, 'int64 bigint'],
  int64SetVal: [isInt64, 'int64 bigint'],
  unixTimestampListVal: [isInt64, 'int64 bigint'],
  unixTimestampSetVal: [isInt64, 'int64 bigint'],
  doubleListVal: [isNumber, 'number'],
  doubleSetVal: [isNumber, 'number'],
  floatListVal: [isNumber, 'number'],
  floatSetVal: [isNumber, 'number'],
  boolListVal: [isBool, 'boolean'],
  boolSetVal: [isBool, 'boolean'],
};

/**
 * Deepest nesting of messages protobuf encodes and decodes: protobufjs and
 * Python's protobuf both stop at 100 (protoc's default recursion limit). The
 * top-level Value is depth 0; a list inside it is 1, a Value in a `listVal` 2.
 */
export const MAX_MESSAGE_DEPTH = 100;

function tooDeep(where: string): ValueConversionError {
  const shown = where.length > 100 ? `${where.slice(0, 40)}…${where.slice(-40)}` : where;
  return new ValueConversionError(
    `${shown} nests more than ${MAX_MESSAGE_DEPTH} protobuf messages deep (lists, maps and values inside one another); ` +
      'protobuf (in Feast\'s Python too) cannot encode or decode that. Flatten the value.',
  );
}

function checkString(text: string, where: string): void {
  if (!isWellFormedString(text)) throw new ValueConversionError(loneSurrogateMessage(where, text));
}

/**
 * Throws a {@link ValueConversionError} unless `value` is a well-formed
 * ValueProto: at most one member set, each of the right JavaScript type, no
 * string with a lone UTF-16 surrogate, and no deeper than protobuf allows
 * (100 levels of nested messages).
 */
export function assertValueProto(value: unknown, where = 'value', depth = 0): asserts value is ValueProto {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValueConversionError(`${where} must be a ValueProto object such as { int64Val: 1n }, got ${describe(value)}`);
  }
  if (depth > MAX_MESSAGE_DEPTH) throw tooDeep(where);
  let kind: string | undefined;
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || member === null) continue;
    if (kind !== undefined) {
      throw new ValueConversionError(`${where} sets both ${kind} and ${key}; a ValueProto holds one value (protobuf oneof)`);
    }
    kind = key;
    checkMember(key, member, `${where}.${key}`, depth);
  }
}

function checkMember(kind: string, member: unknown, where: string, depth: number): void {
  const scalar = scalarChecks[kind as ValueKind];
  if (scalar) {
    if (!scalar[0](member)) throw new ValueConversionError(`${where} must be ${scalar[1]}, got ${describe(member)}`);
    if (typeof member === 'string') checkString(member, where);
    return;
  }
  // Every other member is a message of its own, one level down.
  if (depth + 1 > MAX_MESSAGE_DEPTH) throw tooDeep(where);
  const repeated = repeatedChecks[kind as ValueKind];
  const list = (member as { val?: unknown }).val;
  if (repeated) {
    if (!Array.isArray(list)) throw new ValueConversionError(`${where} must be { val: ${repeated[1]}[] }, got ${describe(member)}`);
    list.forEach((el, i) => {
      if (!repeated[0](el)) throw new ValueConversionError(`${where}.val[${i}] must be ${repeated[1]}, got ${describe(el)}`);
      if (typeof el === 'string') checkString(el, `${where}.val[${i}]`);
    });
    return;
  }
  switch (kind) {
    case 'mapVal':
    case 'structVal':
      checkMap(member, where, depth + 1);
      return;
    case 'mapListVal':
    case 'structListVal':
      if (!Array.isArray(list)) throw new ValueConversionError(`${where} must be { val: MapProto[] }`);
      list.forEach((m, i) => checkMap(m, `${where}.val[${i}]`, depth + 2));
      return;
    case 'listVal':
    case 'setVal':
      if (!Array.isArray(list)) throw new ValueConversionError(`${where} must be { val: ValueProto[] }`);
      list.forEach((v, i) => assertValueProto(v, `${where}.val[${i}]`, depth + 2));
      return;
    case 'scalarMapVal':
      if (!Array.isArray(list)) throw new ValueConversionError(`${where} must be { val: ScalarMapEntryProto[] }`);
      list.forEach((entry: ScalarMapEntryProto, i) => {
        if (depth + 2 > MAX_MESSAGE_DEPTH) throw tooDeep(`${where}.val[${i}]`);
        const key = entry?.key as Record<string, unknown> | undefined;
        if (key !== undefined && key !== null) {
          if (depth + 3 > MAX_MESSAGE_DEPTH) throw tooDeep(`${where}.val[${i}].key`);
          for (const [k, v] of Object.entries(key)) if (typeof v === 'string') checkString(v, `${where}.val[${i}].key.${k}`);
        }
        if (entry?.value !== undefined) assertValueProto(entry.value, `${where}.val[${i}].value`, depth + 3);
      });
      return;
    case 'zonedTimestampVal': {
      const z = member as Partial<ZonedTimestampProto>;
      if (!isInt64(z.unixTimestamp) || typeof z.zone !== 'string') {
        throw new ValueConversionError(`${where} must be { unixTimestamp: bigint, zone: string }`);
      }
      checkString(z.zone, `${where}.zone`);
      return;
    }
    default:
      throw new ValueConversionError(`${where}: "${kind}" is not a member of feast.types.Value`);
  }
}

/** Checks a `feast.types.Map` message at message depth `depth` (its values are one level further down). */
function checkMap(member: unknown, where: string, depth: number): void {
  if (depth > MAX_MESSAGE_DEPTH) throw tooDeep(where);
  const val = (member as { val?: unknown } | null)?.val;
  if (val === null || typeof val !== 'object' || Array.isArray(val)) {
    throw new ValueConversionError(`${where} must be { val: Record<string, ValueProto> }`);
  }
  for (const [k, v] of Object.entries(val)) {
    const at = `${where}.val[${JSON.stringify(k)}]`;
    checkString(k, `${at} (the key)`);
    assertValueProto(v, at, depth + 1);
  }
}

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (typeof value === 'string') return `${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)} (string)`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (${typeof value})`;
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}

const toObjectOptions = { longs: BigInt, enums: Number, arrays: true, objects: true } as const;

const asView = (b: Uint8Array): Uint8Array => (Buffer.isBuffer(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : b);

function normalizeMap(map: { val?: Record<string, unknown> } | null | undefined): void {
  const val = map?.val;
  if (val) for (const k of Object.keys(val)) normalizeValue(val[k] as Record<string, unknown>);
}

/**
 * Makes protobufjs's output (in place) the shape {@link ValueProto} promises:
 * plain Uint8Array views instead of Buffers (no copy), and every field of a
 * ZonedTimestamp present (proto3 leaves out a field that holds its default,
 * so `unixTimestamp: 0` and `zone: ""` would otherwise be missing).
 */
function normalizeValue(value: Record<string, unknown> | null | undefined): ValueProto {
  if (value === null || value === undefined) return value as unknown as ValueProto;
  for (const key of Object.keys(value)) {
    const member = value[key] as { val?: unknown } | null;
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'bytesVal':
        value[key] = asView(member as Uint8Array);
        break;
      case 'bytesListVal':
      case 'bytesSetVal':
        (member.val as Uint8Array[]).forEach((b, i, arr) => (arr[i] = asView(b)));
        break;
      case 'listVal':
      case 'setVal':
        for (const v of member.val as Array<Record<string, unknown>>) normalizeValue(v);
        break;
      case 'mapVal':
      case 'structVal':
        normalizeMap(member as { val?: Record<string, unknown> });
        break;
      case 'mapListVal':
      case 'structListVal':
        for (const m of member.val as Array<{ val?: Record<string, unknown> }>) normalizeMap(m);
        break;
      case 'scalarMapVal':
        for (const entry of member.val as Array<{ key?: { bytesKey?: Uint8Array }; value?: Record<string, unknown> }>) {
          if (entry.key?.bytesKey) entry.key.bytesKey = asView(entry.key.bytesKey);
          if (entry.value) normalizeValue(entry.value);
        }
        break;
      case 'zonedTimestampVal': {
        const z = member as Partial<ZonedTimestampProto>;
        value[key] = { unixTimestamp: z.unixTimestamp ?? 0n, zone: z.zone ?? '' };
        break;
      }
      default:
        break;
    }
  }
  return value as ValueProto;
}

/** {@link ValueProto.decodeIn} without its range check, for callers that have checked the range. */
export function decodeValueIn(bytes: Uint8Array, start: number, end: number): ValueProto {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return decodeScalarValueIn(buf, start, end) ?? decodeValueGeneric(buf.subarray(start, end));
}

/** Decodes Value bytes with the generic protobuf decoder (every member). */
export function decodeValueGeneric(bytes: Uint8Array): ValueProto {
  let decoded: Record<string, unknown>;
  try {
    decoded = ValueMessage.toObject(ValueMessage.decode(bytes), toObjectOptions);
  } catch (cause) {
    throw new ValueConversionError(
      `Cannot decode ${bytes.length} bytes as feast.types.Value: ${(cause as Error).message}. The stored value is corrupt or was not written by Feast.`,
      cause,
    );
  }
  return normalizeValue(decoded);
}

/** Encodes a Value with the generic protobuf encoder (every member), after checking it. */
export function encodeValueGeneric(value: ValueProto): Uint8Array {
  assertValueProto(value);
  try {
    return ValueMessage.encode(ValueMessage.fromObject(value)).finish();
  } catch (cause) {
    // assertValueProto catches what protobufjs refuses; this keeps any other refusal typed.
    throw new ValueConversionError(`Cannot encode the value as feast.types.Value: ${(cause as Error).message}`, cause);
  }
}

/**
 * Encoding and decoding of `feast.types.Value`, byte for byte as Feast's
 * Python protobuf does for the same value.
 */
export const ValueProto = {
  /**
   * Serialize to protobuf bytes. Scalars (the common case on the write path)
   * take a direct path several times faster than generic protobuf encoding,
   * with the same bytes. Throws {@link ValueConversionError} on a malformed value.
   */
  encode(value: ValueProto): Uint8Array {
    return encodeScalarValue(value) ?? encodeValueGeneric(value);
  },
  /**
   * Parse protobuf bytes. Scalars (the common case on the read path) take a
   * direct path several times faster than generic protobuf decoding, with the
   * same result. Throws {@link ValueConversionError} on bytes that are not a Value.
   */
  decode(bytes: Uint8Array): ValueProto {
    return decodeScalarValue(bytes) ?? decodeValueGeneric(bytes);
  },
  /**
   * {@link decode} of `bytes[start, end)`, without making a view of them first (the
   * common scalars never do). Throws {@link ValueConversionError} on bytes that are not a
   * Value, and a RangeError when the range is not within `bytes`.
   */
  decodeIn(bytes: Uint8Array, start: number, end: number): ValueProto {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= bytes.byteLength)) {
      throw new RangeError(`ValueProto.decodeIn: [${String(start)}, ${String(end)}) is not a range within ${bytes.byteLength} bytes.`);
    }
    return decodeValueIn(bytes, start, end);
  },
  /** The member that is set, or `null` for Feast's null (no member, or `nullVal`). */
  kind(value: ValueProto): ValueKind | null {
    for (const key in value) {
      const member = value[key as ValueKind];
      if (member !== undefined && member !== null && key !== 'nullVal') return key as ValueKind;
    }
    return null;
  },
} as const;

/** Protobuf encoding of `feast.types.EntityKey` (not the entity-key serialization used as a table key). */
export const EntityKeyProto = {
  /** Serialize to protobuf bytes. */
  encode(key: EntityKeyProto): Uint8Array {
    key.entityValues.forEach((v, i) => assertValueProto(v, `entityValues[${i}]`, 1));
    key.joinKeys.forEach((k, i) => {
      if (typeof k === 'string') checkString(k, `joinKeys[${i}]`);
    });
    try {
      return EntityKeyMessage.encode(EntityKeyMessage.fromObject(key)).finish();
    } catch (cause) {
      throw new ValueConversionError(`Cannot encode the key as feast.types.EntityKey: ${(cause as Error).message}`, cause);
    }
  },
  /** Parse protobuf bytes. */
  decode(bytes: Uint8Array): EntityKeyProto {
    try {
      const obj = EntityKeyMessage.toObject(EntityKeyMessage.decode(bytes), toObjectOptions) as EntityKeyProto;
      obj.entityValues = obj.entityValues.map((v) => normalizeValue(v as unknown as Record<string, unknown>));
      return obj;
    } catch (cause) {
      throw new ValueConversionError(`Cannot decode ${bytes.length} bytes as feast.types.EntityKey: ${(cause as Error).message}`, cause);
    }
  },
} as const;
