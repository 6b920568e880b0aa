import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deserializeEntityKey, serializeEntityKey, ValueProto, type EntityKeyProto } from '../src/index.js';

// Bytes produced by Feast's own Python code (a copy of the project's shared/vectors file).
const vectorsPath = fileURLToPath(new URL('./fixtures/feast-golden-public.json', import.meta.url));
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8')) as {
  entity_keys: Array<{ name: string; version: 2 | 3; join_keys: string[]; entity_values: Array<{ kind: string; value: unknown }>; hex: string }>;
  values: Array<{ name: string; value: Record<string, unknown>; hex: string }>;
};

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The vector's JSON value as a ValueProto member (int64 as bigint, bytes from hex). */
function member(kind: string, value: unknown): unknown {
  if (kind === 'bytes_val') return new Uint8Array(Buffer.from(value as string, 'hex'));
  if (['int64_val', 'unix_timestamp_val'].includes(kind)) return BigInt(value as string);
  if (['int64_list_val', 'unix_timestamp_list_val'].includes(kind)) return { val: (value as string[]).map(BigInt) };
  if (kind.endsWith('_list_val')) return { val: value };
  return value;
}

function toValue(obj: Record<string, unknown>): ValueProto {
  const [[kind, value]] = Object.entries(obj) as [[string, unknown]];
  return { [camel(kind)]: member(kind, value) } as ValueProto;
}

describe('Feast golden vectors', () => {
  it('has vectors to check', () => {
    expect(vectors.entity_keys.length).toBeGreaterThanOrEqual(12);
    expect(vectors.values.length).toBeGreaterThanOrEqual(8);
  });

  for (const v of vectors.entity_keys) {
    const key: EntityKeyProto = {
      joinKeys: v.join_keys,
      entityValues: v.entity_values.map((ev) => toValue({ [ev.kind]: ev.value })),
    };
    it(`serializes entity key "${v.name}" v${v.version} byte-exact`, () => {
      expect(hex(serializeEntityKey(key, v.version))).toBe(v.hex);
    });
    if (v.version === 3) {
      it(`deserializes entity key "${v.name}" v3`, () => {
        const back = deserializeEntityKey(Buffer.from(v.hex, 'hex'));
        // deserialization returns join keys sorted; re-serializing gives the same bytes
        expect(hex(serializeEntityKey(back, 3))).toBe(v.hex);
        const sorted = [...v.join_keys].sort();
        expect(back.joinKeys).toEqual(sorted);
        for (const [i, name] of back.joinKeys.entries()) {
          expect(back.entityValues[i]).toEqual(key.entityValues[v.join_keys.indexOf(name)]);
        }
      });
    }
  }

  for (const v of vectors.values) {
    it(`encodes Value "${v.name}" byte-exact and decodes it back`, () => {
      const value = toValue(v.value);
      expect(hex(ValueProto.encode(value))).toBe(v.hex);
      expect(ValueProto.decode(Buffer.from(v.hex, 'hex'))).toEqual(value);
    });
  }

  it("decodes every Value vector in place, packed one after another in one buffer as a store's packed row holds them", () => {
    const parts = vectors.values.map((v) => Buffer.from(v.hex, 'hex'));
    const packed = Buffer.concat([Buffer.from([0xff]), ...parts.flatMap((p) => [p, Buffer.from([0xff])])]);
    let at = 1;
    for (const [i, v] of vectors.values.entries()) {
      expect(ValueProto.decodeIn(packed, at, at + parts[i]!.length), v.name).toEqual(toValue(v.value));
      at += parts[i]!.length + 1;
    }
  });
});
