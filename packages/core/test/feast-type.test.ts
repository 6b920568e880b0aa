import { describe, expect, it } from 'vitest';
import { DefinitionError, FeastType, feastTypeFromValueType, Field, fieldTypeFromRegistry, fieldTypeToRegistry, STRUCT_SCHEMA_TAG, ValueType, valueTypeName, valueTypeOf } from '../src/index.js';

/** Every FeastType and the ValueType name Feast registers it as. */
const EXPECTED: Array<[string, string]> = [
  ['Invalid', 'INVALID'],
  ['Bytes', 'BYTES'],
  ['String', 'STRING'],
  ['Int32', 'INT32'],
  ['Int64', 'INT64'],
  ['Float32', 'FLOAT'],
  ['Float64', 'DOUBLE'],
  ['Bool', 'BOOL'],
  ['UnixTimestamp', 'UNIX_TIMESTAMP'],
  ['PdfBytes', 'BYTES'],
  ['ImageBytes', 'BYTES'],
  ['Uuid', 'UUID'],
  ['TimeUuid', 'TIME_UUID'],
  ['Decimal', 'DECIMAL'],
  ['Json', 'JSON'],
  ['Map', 'MAP'],
  ['ZonedTimestamp', 'ZONED_TIMESTAMP'],
  ['Array(Bytes)', 'BYTES_LIST'],
  ['Array(String)', 'STRING_LIST'],
  ['Array(Int32)', 'INT32_LIST'],
  ['Array(Int64)', 'INT64_LIST'],
  ['Array(Float32)', 'FLOAT_LIST'],
  ['Array(Float64)', 'DOUBLE_LIST'],
  ['Array(Bool)', 'BOOL_LIST'],
  ['Array(UnixTimestamp)', 'UNIX_TIMESTAMP_LIST'],
  ['Array(Uuid)', 'UUID_LIST'],
  ['Array(TimeUuid)', 'TIME_UUID_LIST'],
  ['Array(Decimal)', 'DECIMAL_LIST'],
  ['Array(Json)', 'JSON_LIST'],
  ['Array(Map)', 'MAP_LIST'],
  ['Array(Struct)', 'STRUCT_LIST'],
  ['Array(Array(Int64))', 'VALUE_LIST'],
  ['Array(Invalid)', 'VALUE_LIST'],
  ['Set(Bytes)', 'BYTES_SET'],
  ['Set(String)', 'STRING_SET'],
  ['Set(Int32)', 'INT32_SET'],
  ['Set(Int64)', 'INT64_SET'],
  ['Set(Float32)', 'FLOAT_SET'],
  ['Set(Float64)', 'DOUBLE_SET'],
  ['Set(Bool)', 'BOOL_SET'],
  ['Set(UnixTimestamp)', 'UNIX_TIMESTAMP_SET'],
  ['Set(Uuid)', 'UUID_SET'],
  ['Set(TimeUuid)', 'TIME_UUID_SET'],
  ['Set(Decimal)', 'DECIMAL_SET'],
  ['Set(Array(String))', 'VALUE_SET'],
  ['Struct', 'STRUCT'],
  ['Struct(name: String, age: Int32)', 'STRUCT'],
];

describe('FeastType', () => {
  it.each(EXPECTED)('%s is registered as ValueType %s and its name parses back', (name, valueType) => {
    const t = FeastType.fromName(name);
    expect(t, name).toBeDefined();
    expect(t!.name).toBe(name);
    expect(valueTypeName(valueTypeOf(t!))).toBe(valueType);
  });

  it('maps every ValueType with a FeastType back to it (from_value_type), Bytes for BYTES', () => {
    for (const [name, valueType] of EXPECTED) {
      if (name === 'PdfBytes' || name === 'ImageBytes' || name.includes('Array(Array') || name.startsWith('Set(Array') || name.startsWith('Struct(')) continue;
      const vt = ValueType[valueType as keyof typeof ValueType];
      expect(feastTypeFromValueType(vt).name, valueType).toBe(name);
    }
    expect(feastTypeFromValueType(ValueType.BYTES)).toBe(FeastType.Bytes);
    expect(feastTypeFromValueType(ValueType.VALUE_LIST).name).toBe('Array(Invalid)');
    expect(feastTypeFromValueType(ValueType.VALUE_SET).name).toBe('Set(Invalid)');
    expect(feastTypeFromValueType(ValueType.STRUCT_LIST).name).toBe('Array(Struct)');
  });

  it('refuses NULL, SCALAR_MAP and numbers that are no ValueType, naming them', () => {
    expect(() => feastTypeFromValueType(ValueType.NULL)).toThrow(/NULL \(19\) has no FeastType/);
    expect(() => feastTypeFromValueType(ValueType.SCALAR_MAP)).toThrow(DefinitionError);
    expect(() => feastTypeFromValueType(9)).toThrow(/9 is not a feast.types.ValueType number/);
  });

  it('refuses types Feast does not have', () => {
    expect(() => FeastType.Set(FeastType.Map)).toThrow(/no set of Map/);
    expect(() => FeastType.Set(FeastType.Json)).toThrow(DefinitionError);
    expect(() => FeastType.Set(FeastType.Struct({ a: FeastType.Int32 }))).toThrow(DefinitionError);
    expect(() => FeastType.Array(FeastType.ZonedTimestamp)).toThrow(/no list of ZonedTimestamp/);
    expect(() => FeastType.Struct({ 'bad key': FeastType.Int32 })).toThrow(/identifier/);
    expect(FeastType.fromName('Set(Map)')).toBeUndefined();
    expect(FeastType.fromName('Array(Nope)')).toBeUndefined();
    expect(FeastType.fromName('Array(Int64')).toBeUndefined();
    expect(FeastType.fromName('toString')).toBeUndefined();
    expect(FeastType.fromName('Struct(a: Int32, a: String)')).toBeUndefined();
  });

  it('keeps nested struct field types through the name', () => {
    const t = FeastType.Struct({ id: FeastType.Int64, tags: FeastType.Array(FeastType.String), loc: FeastType.Struct({ lat: FeastType.Float64 }) });
    const back = FeastType.fromName(t.name);
    expect(back).toEqual(t);
  });

  it('Field JSON round-trips every type, and the old names still parse', () => {
    for (const [name] of EXPECTED) {
      const f = new Field({ name: 'f', dtype: FeastType.fromName(name)! });
      expect(Field.fromJSON(JSON.parse(JSON.stringify(f.toJSON())))).toEqual(f);
    }
    expect(Field.fromJSON({ name: 'x', dtype: 'Array(Float32)' }).dtype).toEqual(FeastType.Array(FeastType.Float32));
    expect(() => Field.fromJSON({ name: 'x', dtype: 'Array(Nope)' })).toThrow(/unknown dtype/);
  });
});

describe('struct schema tag (Feast Field.to_proto / from_proto)', () => {
  it('writes the tag as Feast does and reads the Struct back, without the tag in user tags', () => {
    const loc = FeastType.Struct({ lat: FeastType.Float64 });
    const dtype = FeastType.Struct({ name: FeastType.String, age: FeastType.Int32, tags: FeastType.Array(FeastType.String), loc });
    const field = new Field({ name: 'person', dtype, tags: { owner: 'ml' } });
    const reg = fieldTypeToRegistry(field);
    expect(reg.valueType).toBe(ValueType.STRUCT);
    expect(reg.tags).toEqual({
      owner: 'ml',
      [STRUCT_SCHEMA_TAG]: '{"name": "STRING", "age": "INT32", "tags": "Array(STRING)", "loc": "{\\"__struct__\\": {\\"lat\\": \\"FLOAT64\\"}}"}',
    });
    expect(fieldTypeFromRegistry(reg.valueType, reg.tags)).toEqual({ dtype, tags: { owner: 'ml' } });
    const list = fieldTypeToRegistry(new Field({ name: 'people', dtype: FeastType.Array(loc) }));
    expect(list.valueType).toBe(ValueType.STRUCT_LIST);
    expect(fieldTypeFromRegistry(list.valueType, list.tags)!.dtype).toEqual(FeastType.Array(loc));
  });

  it('reads a Struct without the tag as a Struct with no declared fields, unknown names as String (as Feast)', () => {
    expect(fieldTypeFromRegistry(ValueType.STRUCT, {})!.dtype.name).toBe('Struct');
    expect(fieldTypeFromRegistry(ValueType.STRUCT, { [STRUCT_SCHEMA_TAG]: '{"a": "WHAT"}' })!.dtype).toEqual(FeastType.Struct({ a: FeastType.String }));
    expect(() => fieldTypeFromRegistry(ValueType.STRUCT, { [STRUCT_SCHEMA_TAG]: '{nope' })).toThrow(DefinitionError);
    expect(fieldTypeFromRegistry(ValueType.NULL, {})).toBeUndefined();
    expect(fieldTypeFromRegistry(ValueType.INT64, { [STRUCT_SCHEMA_TAG]: '{}' })).toEqual({ dtype: FeastType.Int64, tags: { [STRUCT_SCHEMA_TAG]: '{}' } });
  });
});
