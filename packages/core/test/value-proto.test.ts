import { describe, expect, it } from 'vitest';
import { ValueProto, EntityKeyProto, ValueConversionError } from '../src/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const rt = (v: ValueProto): ValueProto => ValueProto.decode(ValueProto.encode(v));

describe('ValueProto', () => {
  const samples: Record<string, ValueProto> = {
    bytes: { bytesVal: new Uint8Array([0, 255]) },
    string: { stringVal: 'héllo \u{1F600}' },
    int32: { int32Val: -2147483648 },
    int64: { int64Val: -(2n ** 63n) },
    double: { doubleVal: 0.1 },
    float: { floatVal: 1.5 },
    bool: { boolVal: true },
    ts: { unixTimestampVal: 1700000000n },
    bytesList: { bytesListVal: { val: [new Uint8Array([1]), new Uint8Array([])] } },
    stringList: { stringListVal: { val: ['a', ''] } },
    int32List: { int32ListVal: { val: [1, -1] } },
    int64List: { int64ListVal: { val: [2n ** 62n, -5n] } },
    doubleList: { doubleListVal: { val: [0.25, -1e300] } },
    floatList: { floatListVal: { val: [0.5] } },
    boolList: { boolListVal: { val: [true, false] } },
    tsList: { unixTimestampListVal: { val: [1n, 2n] } },
    null: { nullVal: 0 },
    map: { mapVal: { val: { a: { int64Val: 1n }, b: { stringVal: 'x' } } } },
    mapList: { mapListVal: { val: [{ val: { k: { boolVal: false } } }] } },
    bytesSet: { bytesSetVal: { val: [new Uint8Array([9])] } },
    stringSet: { stringSetVal: { val: ['s'] } },
    int32Set: { int32SetVal: { val: [3] } },
    int64Set: { int64SetVal: { val: [4n] } },
    doubleSet: { doubleSetVal: { val: [5.5] } },
    floatSet: { floatSetVal: { val: [6.5] } },
    boolSet: { boolSetVal: { val: [true] } },
    tsSet: { unixTimestampSetVal: { val: [7n] } },
    json: { jsonVal: '{"a":1}' },
    jsonList: { jsonListVal: { val: ['[]'] } },
    struct: { structVal: { val: { f: { doubleVal: 1 } } } },
    structList: { structListVal: { val: [{ val: { g: { int32Val: 1 } } }] } },
    uuid: { uuidVal: '00000000-0000-0000-0000-000000000000' },
    timeUuid: { timeUuidVal: 'x' },
    uuidList: { uuidListVal: { val: ['u'] } },
    timeUuidList: { timeUuidListVal: { val: ['t'] } },
    uuidSet: { uuidSetVal: { val: ['u'] } },
    timeUuidSet: { timeUuidSetVal: { val: ['t'] } },
    list: { listVal: { val: [{ int64Val: 1n }, { stringVal: 'a' }] } },
    set: { setVal: { val: [{ boolVal: true }] } },
    decimal: { decimalVal: '3.14159265358979323846' },
    decimalList: { decimalListVal: { val: ['1.0'] } },
    decimalSet: { decimalSetVal: { val: ['2.0'] } },
    scalarMap: { scalarMapVal: { val: [{ key: { int64Key: 5n }, value: { stringVal: 'five' } }] } },
    zoned: { zonedTimestampVal: { unixTimestamp: 1700000000n, zone: 'Europe/Paris' } },
  };

  for (const [name, value] of Object.entries(samples)) {
    it(`round-trips ${name}`, () => {
      expect(rt(value)).toEqual(value);
    });
  }

  it('encodes oneof members that hold zero values (presence), unlike plain proto3 scalars', () => {
    expect(hex(ValueProto.encode({ int64Val: 0n }))).toBe('2000');
    expect(hex(ValueProto.encode({ boolVal: false }))).toBe('3800');
    expect(hex(ValueProto.encode({ stringVal: '' }))).toBe('1200');
    expect(rt({ int64Val: 0n })).toEqual({ int64Val: 0n });
  });

  it('encodes an empty Value as no bytes (Feast null) and kind() tells null', () => {
    expect(ValueProto.encode({}).length).toBe(0);
    expect(ValueProto.kind({})).toBeNull();
    expect(ValueProto.kind({ nullVal: 0 })).toBeNull();
    expect(ValueProto.kind({ doubleVal: 0 })).toBe('doubleVal');
  });

  it('packs repeated scalars', () => {
    expect(hex(ValueProto.encode({ int64ListVal: { val: [1n, 2n, 3n] } }))).toBe('72050a03010203');
  });

  it('rejects a lossy number for int64 instead of encoding it', () => {
    expect(() => ValueProto.encode({ int64Val: 2 ** 60 } as unknown as ValueProto)).toThrow(ValueConversionError);
    expect(() => ValueProto.encode({ int64Val: 5n, stringVal: 'x' })).toThrow(/one value \(protobuf oneof\)/);
  });

  it('EntityKeyProto encodes with field numbers 1 and 2', () => {
    const bytes = EntityKeyProto.encode({ joinKeys: ['a'], entityValues: [{ int64Val: 1n }] });
    expect(hex(bytes)).toBe('0a016112022001');
    expect(EntityKeyProto.decode(bytes)).toEqual({ joinKeys: ['a'], entityValues: [{ int64Val: 1n }] });
  });
});
