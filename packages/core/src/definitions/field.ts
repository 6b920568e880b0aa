import { DefinitionError } from '../errors.js';
import { ValueType } from '../proto/value-type.js';
import { FeastType, type PrimitiveFeastTypeName } from './feast-type.js';

/** Options of {@link Field}. */
export interface FieldOptions {
  name: string;
  dtype: FeastType;
  description?: string;
  tags?: Record<string, string>;
}

/** Serialized form of a {@link Field}. */
export interface FieldJson {
  name: string;
  dtype: string;
  description?: string;
  tags?: Record<string, string>;
}

/** A named, typed column of a feature view's schema. */
export class Field {
  readonly name: string;
  readonly dtype: FeastType;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;

  constructor(options: FieldOptions) {
    if (!options || typeof options.name !== 'string' || options.name.length === 0) {
      throw new DefinitionError('A Field needs a non-empty name: new Field({ name: "conv_rate", dtype: FeastType.Float32 }).');
    }
    if (!options.dtype || FeastType.fromName(options.dtype.name) === undefined) {
      throw new DefinitionError(`Field "${options.name}" needs a dtype from FeastType, such as FeastType.Float32.`);
    }
    this.name = options.name;
    this.dtype = options.dtype;
    this.description = options.description ?? '';
    this.tags = Object.freeze({ ...(options.tags ?? {}) });
  }

  toJSON(): FieldJson {
    const out: FieldJson = { name: this.name, dtype: this.dtype.name };
    if (this.description) out.description = this.description;
    if (Object.keys(this.tags).length > 0) out.tags = { ...this.tags };
    return out;
  }

  static fromJSON(json: FieldJson): Field {
    const dtype = FeastType.fromName(json.dtype);
    if (!dtype) throw new DefinitionError(`Field "${json.name}" has unknown dtype "${json.dtype}".`);
    return new Field({ ...json, dtype });
  }
}

/** The field tag in which Feast keeps a Struct's field types (the registry stores only STRUCT / STRUCT_LIST). */
export const STRUCT_SCHEMA_TAG = 'feast:struct_schema';

/** Feast's `PrimitiveFeastType` member names, as its struct schema tag spells them. */
const FEAST_ENUM_NAME: Readonly<Record<PrimitiveFeastTypeName, string>> = {
  Invalid: 'INVALID',
  Bytes: 'BYTES',
  String: 'STRING',
  Int32: 'INT32',
  Int64: 'INT64',
  Float32: 'FLOAT32',
  Float64: 'FLOAT64',
  Bool: 'BOOL',
  UnixTimestamp: 'UNIX_TIMESTAMP',
  PdfBytes: 'PDF_BYTES',
  ImageBytes: 'IMAGE_BYTES',
  Uuid: 'UUID',
  TimeUuid: 'TIME_UUID',
  Decimal: 'DECIMAL',
  Json: 'JSON',
  Map: 'MAP',
  ZonedTimestamp: 'ZONED_TIMESTAMP',
};
const BY_ENUM_NAME = new Map(Object.entries(FEAST_ENUM_NAME).map(([k, v]) => [v, k as PrimitiveFeastTypeName]));

type SchemaJson = string | { [key: string]: SchemaJson };

/** JSON as Python's `json.dumps` writes it by default (`", "` and `": "` separators), so tags match Feast's byte for byte. */
function pyDumps(v: SchemaJson): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pyDumps(x)}`).join(', ')}}`;
}

function structSchemaJson(fields: Readonly<Record<string, FeastType>>): { [key: string]: SchemaJson } {
  return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, typeToSchemaText(f)]));
}

function typeToSchemaText(t: FeastType): string {
  switch (t.kind) {
    case 'primitive':
      return FEAST_ENUM_NAME[t.name];
    case 'struct':
      return pyDumps({ __struct__: structSchemaJson(t.fields) });
    case 'array':
      return `Array(${typeToSchemaText(t.base)})`;
    case 'set':
      return `Set(${typeToSchemaText(t.base)})`;
  }
}

function schemaTextToType(text: string): FeastType {
  const inner = /^(Array|Set)\((.*)\)$/s.exec(text);
  if (inner) {
    const base = schemaTextToType(inner[2]!);
    return inner[1] === 'Array' ? FeastType.Array(base) : FeastType.Set(base);
  }
  if (text.startsWith('{')) {
    const parsed = JSON.parse(text) as { __struct__?: Record<string, string> };
    if (parsed && typeof parsed.__struct__ === 'object') {
      return FeastType.Struct(Object.fromEntries(Object.entries(parsed.__struct__).map(([k, v]) => [k, schemaTextToType(String(v))])));
    }
  }
  const name = BY_ENUM_NAME.get(text);
  // Feast falls back to String for a name it does not know; so do we.
  return name ? FeastType[name] : FeastType.String;
}

/**
 * The registry form of a field's type: its ValueType, and its tags plus
 * Feast's `feast:struct_schema` tag for a Struct or Array(Struct) (Feast's
 * `Field.to_proto`).
 */
export function fieldTypeToRegistry(field: Field): { valueType: number; tags: Record<string, string> } {
  const tags: Record<string, string> = { ...field.tags };
  const t = field.dtype;
  const struct = t.kind === 'struct' ? t : t.kind === 'array' && t.base.kind === 'struct' ? t.base : undefined;
  if (struct && Object.keys(struct.fields).length > 0) {
    tags[STRUCT_SCHEMA_TAG] = pyDumps(structSchemaJson(struct.fields));
  }
  return { valueType: t.valueType, tags };
}

/**
 * A field's type and user tags from the registry (Feast's `Field.from_proto`):
 * a STRUCT or STRUCT_LIST with a `feast:struct_schema` tag gets its fields
 * back, and the tag is removed. `undefined` when the ValueType has no FeastType.
 *
 * @throws DefinitionError when the struct schema tag is not what Feast writes
 */
export function fieldTypeFromRegistry(valueType: number, tags: Readonly<Record<string, string>> = {}): { dtype: FeastType; tags: Record<string, string> } | undefined {
  const schema = tags[STRUCT_SCHEMA_TAG];
  if (schema !== undefined && (valueType === ValueType.STRUCT || valueType === ValueType.STRUCT_LIST)) {
    let fields: Record<string, FeastType>;
    try {
      const parsed = JSON.parse(schema) as Record<string, unknown>;
      fields = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, schemaTextToType(String(v))]));
    } catch (cause) {
      throw new DefinitionError(`The ${STRUCT_SCHEMA_TAG} tag ${JSON.stringify(schema.slice(0, 80))} is not a struct schema Feast writes: ${(cause as Error).message}.`);
    }
    const struct = FeastType.Struct(fields);
    const rest = { ...tags };
    delete rest[STRUCT_SCHEMA_TAG];
    return { dtype: valueType === ValueType.STRUCT ? struct : FeastType.Array(struct), tags: rest };
  }
  const dtype = FeastType.fromValueType(valueType);
  return dtype ? { dtype, tags: { ...tags } } : undefined;
}
