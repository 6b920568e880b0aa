import { DefinitionError } from '../errors.js';
import { ValueType, valueTypeName } from '../proto/value-type.js';

/**
 * The scalar feature types of Feast's `feast.types` (Python), including the
 * ones Feast declares beyond the original eight: `PdfBytes` and `ImageBytes`
 * (Bytes under another name), `Uuid`, `TimeUuid`, `Decimal`, `Json`, `Map`
 * and `ZonedTimestamp`. `Invalid` is Feast's "no declared type".
 */
export type PrimitiveFeastTypeName =
  | 'Invalid'
  | 'Bytes'
  | 'String'
  | 'Int32'
  | 'Int64'
  | 'Float32'
  | 'Float64'
  | 'Bool'
  | 'UnixTimestamp'
  | 'PdfBytes'
  | 'ImageBytes'
  | 'Uuid'
  | 'TimeUuid'
  | 'Decimal'
  | 'Json'
  | 'Map'
  | 'ZonedTimestamp';

/** A scalar feature type, such as `FeastType.Int64`. */
export interface PrimitiveFeastType {
  readonly kind: 'primitive';
  readonly name: PrimitiveFeastTypeName;
  /** The {@link ValueType} Feast stores values of this type as (and names it by in the registry). */
  readonly valueType: ValueType;
}

/** A list feature type, such as `FeastType.Array(FeastType.Float32)`. */
export interface ArrayFeastType {
  readonly kind: 'array';
  /** `Array(<base name>)`. */
  readonly name: string;
  /** The element type. */
  readonly base: FeastType;
  readonly valueType: ValueType;
}

/** A set feature type (unique values), such as `FeastType.Set(FeastType.String)`. */
export interface SetFeastType {
  readonly kind: 'set';
  /** `Set(<base name>)`. */
  readonly name: string;
  /** The element type. */
  readonly base: FeastType;
  readonly valueType: ValueType;
}

/**
 * Feast's `Struct`: named, typed fields, stored as a `struct_val` (a Map of
 * Values). A Struct read from a registry has no declared fields (Feast keeps
 * only STRUCT there); its values are then converted by their stored members.
 */
export interface StructFeastType {
  readonly kind: 'struct';
  /** `Struct(<field>: <type>, ...)`, or `Struct` with no declared fields. */
  readonly name: string;
  readonly fields: Readonly<Record<string, FeastType>>;
  readonly valueType: ValueType;
}

/** Any feature type. */
export type FeastType = PrimitiveFeastType | ArrayFeastType | SetFeastType | StructFeastType;

const primitive = (name: PrimitiveFeastTypeName, valueType: ValueType): PrimitiveFeastType =>
  Object.freeze({ kind: 'primitive', name, valueType });

const primitives: Readonly<Record<PrimitiveFeastTypeName, PrimitiveFeastType>> = Object.freeze({
  Invalid: primitive('Invalid', ValueType.INVALID),
  Bytes: primitive('Bytes', ValueType.BYTES),
  String: primitive('String', ValueType.STRING),
  Int32: primitive('Int32', ValueType.INT32),
  Int64: primitive('Int64', ValueType.INT64),
  Float32: primitive('Float32', ValueType.FLOAT),
  Float64: primitive('Float64', ValueType.DOUBLE),
  Bool: primitive('Bool', ValueType.BOOL),
  UnixTimestamp: primitive('UnixTimestamp', ValueType.UNIX_TIMESTAMP),
  PdfBytes: primitive('PdfBytes', ValueType.BYTES),
  ImageBytes: primitive('ImageBytes', ValueType.BYTES),
  Uuid: primitive('Uuid', ValueType.UUID),
  TimeUuid: primitive('TimeUuid', ValueType.TIME_UUID),
  Decimal: primitive('Decimal', ValueType.DECIMAL),
  Json: primitive('Json', ValueType.JSON),
  Map: primitive('Map', ValueType.MAP),
  ZonedTimestamp: primitive('ZonedTimestamp', ValueType.ZONED_TIMESTAMP),
});

/** List ValueType of each scalar that has one; others (Invalid, nested) are VALUE_LIST. */
const LIST_OF: Partial<Record<PrimitiveFeastTypeName, ValueType>> = {
  Invalid: ValueType.VALUE_LIST,
  Bytes: ValueType.BYTES_LIST,
  PdfBytes: ValueType.BYTES_LIST,
  ImageBytes: ValueType.BYTES_LIST,
  String: ValueType.STRING_LIST,
  Int32: ValueType.INT32_LIST,
  Int64: ValueType.INT64_LIST,
  Float32: ValueType.FLOAT_LIST,
  Float64: ValueType.DOUBLE_LIST,
  Bool: ValueType.BOOL_LIST,
  UnixTimestamp: ValueType.UNIX_TIMESTAMP_LIST,
  Uuid: ValueType.UUID_LIST,
  TimeUuid: ValueType.TIME_UUID_LIST,
  Decimal: ValueType.DECIMAL_LIST,
  Json: ValueType.JSON_LIST,
  Map: ValueType.MAP_LIST,
};

/** Set ValueType of each scalar that has one (Feast has no set of Map, Json or ZonedTimestamp). */
const SET_OF: Partial<Record<PrimitiveFeastTypeName, ValueType>> = {
  Invalid: ValueType.VALUE_SET,
  Bytes: ValueType.BYTES_SET,
  PdfBytes: ValueType.BYTES_SET,
  ImageBytes: ValueType.BYTES_SET,
  String: ValueType.STRING_SET,
  Int32: ValueType.INT32_SET,
  Int64: ValueType.INT64_SET,
  Float32: ValueType.FLOAT_SET,
  Float64: ValueType.DOUBLE_SET,
  Bool: ValueType.BOOL_SET,
  UnixTimestamp: ValueType.UNIX_TIMESTAMP_SET,
  Uuid: ValueType.UUID_SET,
  TimeUuid: ValueType.TIME_UUID_SET,
  Decimal: ValueType.DECIMAL_SET,
};

function isFeastType(t: unknown): t is FeastType {
  return typeof t === 'object' && t !== null && typeof (t as { kind?: unknown }).kind === 'string' && typeof (t as { name?: unknown }).name === 'string';
}

function makeArray(base: FeastType): ArrayFeastType {
  if (!isFeastType(base)) throw new DefinitionError('FeastType.Array takes a FeastType, such as FeastType.Array(FeastType.Int64).');
  let valueType: ValueType | undefined;
  if (base.kind === 'primitive') valueType = LIST_OF[base.name];
  else if (base.kind === 'struct') valueType = ValueType.STRUCT_LIST;
  else valueType = ValueType.VALUE_LIST; // a list of lists or sets: Feast's RepeatedValue
  if (valueType === undefined) {
    throw new DefinitionError(`FeastType.Array(${base.name}) is not a Feast type: Feast has no list of ${base.name}.`);
  }
  return Object.freeze({ kind: 'array', name: `Array(${base.name})`, base, valueType });
}

function makeSet(base: FeastType): SetFeastType {
  if (!isFeastType(base)) throw new DefinitionError('FeastType.Set takes a FeastType, such as FeastType.Set(FeastType.String).');
  let valueType: ValueType | undefined;
  if (base.kind === 'primitive') valueType = SET_OF[base.name];
  else if (base.kind === 'array' || base.kind === 'set') valueType = ValueType.VALUE_SET;
  if (valueType === undefined) {
    throw new DefinitionError(`FeastType.Set(${base.name}) is not a Feast type: Feast has no set of ${base.name}.`);
  }
  return Object.freeze({ kind: 'set', name: `Set(${base.name})`, base, valueType });
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function makeStruct(fields: Record<string, FeastType> = {}): StructFeastType {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new DefinitionError('FeastType.Struct takes an object of field types, such as FeastType.Struct({ name: FeastType.String }).');
  }
  const copy: Record<string, FeastType> = {};
  for (const [k, t] of Object.entries(fields)) {
    if (!FIELD_NAME.test(k)) throw new DefinitionError(`FeastType.Struct field name ${JSON.stringify(k)} must be an identifier (letters, digits, _).`);
    if (!isFeastType(t)) throw new DefinitionError(`FeastType.Struct field "${k}" needs a FeastType, such as FeastType.Int32.`);
    copy[k] = t;
  }
  const entries = Object.entries(copy);
  const name = entries.length === 0 ? 'Struct' : `Struct(${entries.map(([k, t]) => `${k}: ${t.name}`).join(', ')})`;
  return Object.freeze({ kind: 'struct', name, fields: Object.freeze(copy), valueType: ValueType.STRUCT });
}

/** Recursive-descent parser of the names FeastType writes. Returns undefined on anything else. */
function parseName(text: string): FeastType | undefined {
  let pos = 0;
  const ws = (): void => {
    while (text[pos] === ' ') pos++;
  };
  const ident = (): string | undefined => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (!m) return undefined;
    pos += m[0].length;
    return m[0];
  };
  const eat = (ch: string): boolean => {
    ws();
    if (text[pos] !== ch) return false;
    pos++;
    return true;
  };
  const type = (): FeastType | undefined => {
    ws();
    const word = ident();
    if (word === undefined) return undefined;
    if (word === 'Array' || word === 'Set') {
      if (!eat('(')) return undefined;
      const base = type();
      if (!base || !eat(')')) return undefined;
      try {
        return word === 'Array' ? makeArray(base) : makeSet(base);
      } catch {
        return undefined;
      }
    }
    if (word === 'Struct') {
      ws();
      if (text[pos] !== '(') return makeStruct();
      pos++;
      const fields: Record<string, FeastType> = {};
      do {
        ws();
        const key = ident();
        if (key === undefined || !eat(':')) return undefined;
        const t = type();
        if (!t || key in fields) return undefined;
        fields[key] = t;
      } while (eat(','));
      return eat(')') ? makeStruct(fields) : undefined;
    }
    return Object.hasOwn(primitives, word) ? primitives[word as PrimitiveFeastTypeName] : undefined;
  };
  const result = type();
  ws();
  return result && pos === text.length ? result : undefined;
}

/**
 * Feast's feature types, as a namespace object (so no global such as `String`
 * or `Array` is shadowed): `FeastType.Int64`, `FeastType.Array(FeastType.String)`,
 * `FeastType.Set(FeastType.Uuid)`, `FeastType.Struct({ name: FeastType.String })`.
 */
export const FeastType = {
  ...primitives,
  /** A list of a type (`Array(Array(T))` and `Array(Set(T))` are Feast's VALUE_LIST). @throws DefinitionError when Feast has no such list */
  Array: makeArray,
  /** A set of a scalar type (unique values; Feast's `<T>_SET`). @throws DefinitionError for Map, Json, ZonedTimestamp, Struct */
  Set: makeSet,
  /** A struct with named, typed fields (Feast's STRUCT). */
  Struct: makeStruct,
  /**
   * The type Feast stores as `valueType` (a `feast.types.ValueType.Enum`
   * number), as {@link feastTypeFromValueType}; `undefined` for INVALID and for
   * numbers no FeastType has.
   */
  fromValueType(valueType: number): FeastType | undefined {
    return valueType === ValueType.INVALID ? undefined : BY_VALUE_TYPE.get(valueType);
  },
  /**
   * Parses a type name as written by `FeastType.X.name` (`"Int64"`,
   * `"Array(Float32)"`, `"Set(Uuid)"`, `"Struct(a: Int32, b: Array(String))"`);
   * `undefined` if it is not one.
   */
  fromName(name: string): FeastType | undefined {
    return typeof name === 'string' ? parseName(name) : undefined;
  },
} as const;

/** The ValueType a feature of this type is registered with in Feast's registry (`Field.dtype.to_value_type()`). */
export function valueTypeOf(type: FeastType): ValueType {
  return type.valueType;
}

const BY_VALUE_TYPE = new Map<number, FeastType>();
for (const name of Object.keys(primitives) as PrimitiveFeastTypeName[]) {
  // PdfBytes and ImageBytes are stored as BYTES: BYTES reads back as Bytes.
  if (name === 'PdfBytes' || name === 'ImageBytes') continue;
  const p = primitives[name];
  BY_VALUE_TYPE.set(p.valueType, p);
  if (LIST_OF[name] !== undefined) BY_VALUE_TYPE.set(LIST_OF[name], makeArray(p));
  if (SET_OF[name] !== undefined) BY_VALUE_TYPE.set(SET_OF[name], makeSet(p));
}
BY_VALUE_TYPE.set(ValueType.STRUCT, makeStruct());
BY_VALUE_TYPE.set(ValueType.STRUCT_LIST, makeArray(makeStruct()));

/**
 * The FeastType of a registry `value_type` (Feast's `from_value_type`): `INT64`
 * -> Int64, `FLOAT_LIST` -> Array(Float32), `STRING_SET` -> Set(String),
 * `STRUCT` -> Struct (no declared fields), `VALUE_LIST` -> Array(Invalid)
 * (a list of values of any type), `INVALID` -> Invalid.
 *
 * @throws DefinitionError for NULL, SCALAR_MAP and numbers that are not a ValueType
 */
export function feastTypeFromValueType(valueType: ValueType | number): FeastType {
  const t = BY_VALUE_TYPE.get(valueType);
  if (t) return t;
  const name = valueTypeName(valueType);
  throw new DefinitionError(
    name
      ? `ValueType ${name} (${valueType}) has no FeastType: a feature cannot be declared with it.`
      : `${valueType} is not a feast.types.ValueType number (known: ${[...BY_VALUE_TYPE.keys()].sort((a, b) => a - b).join(', ')}).`,
  );
}
