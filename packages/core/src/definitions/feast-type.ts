import { ValueType } from '../proto/value-type.js';

/** The scalar feature types of Feast's `feast.types` (Python). */
export type PrimitiveFeastTypeName = 'Bytes' | 'String' | 'Int32' | 'Int64' | 'Float32' | 'Float64' | 'Bool' | 'UnixTimestamp';

/** A scalar feature type, such as `FeastType.Int64`. */
export interface PrimitiveFeastType {
  readonly kind: 'primitive';
  readonly name: PrimitiveFeastTypeName;
  /** The {@link ValueType} Feast stores values of this type as. */
  readonly valueType: ValueType;
}

/** A list feature type, such as `FeastType.Array(FeastType.Float32)`. */
export interface ArrayFeastType {
  readonly kind: 'array';
  readonly name: `Array(${PrimitiveFeastTypeName})`;
  readonly base: PrimitiveFeastType;
  readonly valueType: ValueType;
}

/** Any feature type. */
export type FeastType = PrimitiveFeastType | ArrayFeastType;

const primitive = (name: PrimitiveFeastTypeName, valueType: ValueType): PrimitiveFeastType =>
  Object.freeze({ kind: 'primitive', name, valueType });

const listTypes: Record<PrimitiveFeastTypeName, ValueType> = {
  Bytes: ValueType.BYTES_LIST,
  String: ValueType.STRING_LIST,
  Int32: ValueType.INT32_LIST,
  Int64: ValueType.INT64_LIST,
  Float32: ValueType.FLOAT_LIST,
  Float64: ValueType.DOUBLE_LIST,
  Bool: ValueType.BOOL_LIST,
  UnixTimestamp: ValueType.UNIX_TIMESTAMP_LIST,
};

const primitives = {
  Bytes: primitive('Bytes', ValueType.BYTES),
  String: primitive('String', ValueType.STRING),
  Int32: primitive('Int32', ValueType.INT32),
  Int64: primitive('Int64', ValueType.INT64),
  Float32: primitive('Float32', ValueType.FLOAT),
  Float64: primitive('Float64', ValueType.DOUBLE),
  Bool: primitive('Bool', ValueType.BOOL),
  UnixTimestamp: primitive('UnixTimestamp', ValueType.UNIX_TIMESTAMP),
} as const;

/**
 * Feast's feature types, as a namespace object (so no global such as `String`
 * or `Array` is shadowed): `FeastType.Int64`, `FeastType.Array(FeastType.String)`.
 */
export const FeastType = {
  ...primitives,
  /** A list of a scalar type. */
  Array(base: PrimitiveFeastType): ArrayFeastType {
    return Object.freeze({ kind: 'array', name: `Array(${base.name})`, base, valueType: listTypes[base.name] });
  },
  /** The type Feast stores as `valueType` (a `feast.types.ValueType.Enum` number); `undefined` if none here matches. */
  fromValueType(valueType: number): FeastType | undefined {
    for (const p of Object.values(primitives)) if (p.valueType === valueType) return p;
    for (const [base, list] of Object.entries(listTypes)) {
      if (list === valueType) return FeastType.Array(primitives[base as PrimitiveFeastTypeName]);
    }
    return undefined;
  },
  /** Parses a type name as written by `FeastType.X.name` (`"Int64"`, `"Array(Float32)"`); `undefined` if unknown. */
  fromName(name: string): FeastType | undefined {
    const m = /^Array\((\w+)\)$/.exec(name);
    if (m) {
      const base = primitives[m[1] as PrimitiveFeastTypeName];
      return base ? FeastType.Array(base) : undefined;
    }
    return primitives[name as PrimitiveFeastTypeName];
  },
} as const;
