import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deserializeEntityKey,
  Entity,
  FeastType,
  FeatureStore,
  FeatureView,
  Field,
  loadRepoConfig,
  serializeEntityKey,
  ValueProto,
  ValueType,
  type EntityKeyProto,
  type FeastErrorCode,
} from '../src/index.js';
import { makeRepo, MEMORY } from './helpers.js';

interface Case {
  name: string;
  run: () => unknown;
  code: FeastErrorCode;
  message: string | RegExp;
}

const yamlCase = (name: string, yaml: string, message: string | ((file: string) => string), env: NodeJS.ProcessEnv = {}): Case => ({
  name,
  code: 'CONFIG_INVALID',
  message: '',
  run: async () => {
    const repo = await makeRepo(yaml);
    const file = path.join(repo, 'feature_store.yaml');
    const expected = typeof message === 'function' ? message(file) : `${file}: ${message}`;
    const err = await loadRepoConfig(repo, { env }).catch((e: unknown) => e);
    return { err, expected };
  },
});

const key = (k: EntityKeyProto): (() => unknown) => () => serializeEntityKey(k);
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const view = new FeatureView({
  name: 'stats',
  entities: [driver],
  schema: [new Field({ name: 'rate', dtype: FeastType.Float64 }), new Field({ name: 'n', dtype: FeastType.Int64 })],
});
const ts = new Date('2024-01-01T00:00:00Z');
const rowCase = (name: string, rows: Array<Record<string, unknown>>, message: string): Case => ({
  name,
  code: 'VALUE_INVALID',
  message,
  run: async () => {
    const repo = await makeRepo(`project: bad_rows\nonline_store:\n  type: ${MEMORY}\n`);
    const fs = await FeatureStore.open(repo);
    await fs.apply([view]);
    await fs.writeToOnlineStore('stats', rows);
  },
});

const cases: Case[] = [
  // configs
  yamlCase('negative registry cache ttl', `project: p\nregistry:\n  path: r.db\n  cache_ttl_seconds: -1\nonline_store:\n  type: ${MEMORY}\n`, 'registry.cache_ttl_seconds: cache_ttl_seconds must be 0 or more (0 caches the registry until it is refreshed)'),
  yamlCase('project with a leading underscore', `project: _p\nonline_store:\n  type: ${MEMORY}\n`, 'project: project names contain only letters, digits, underscores and hyphens, and start with a letter or digit'),
  yamlCase('bad serialization version', `project: p\nentity_key_serialization_version: 4\nonline_store:\n  type: ${MEMORY}\n`, /entity_key_serialization_version: /.source as unknown as string),
  yamlCase('unknown store key', `project: p\nonline_store:\n  type: ${MEMORY}\n  hots: x\n`, 'online_store.hots: unknown key "hots" (check its spelling; allowed keys are in the store\'s docs)'),
  yamlCase('unset environment variable', `project: \${NOPE_VAR}\n`, 'project uses ${NOPE_VAR}, but the environment variable NOPE_VAR is not set. Set it, or write ${NOPE_VAR:-default} to give a default.'),
  yamlCase('unrecognisable store type', 'project: p\nonline_store: rediss\n', 'online_store.type "rediss" is not a known store. Use a short name (sqlite, mysql, redis, postgres), "package#ExportedOnlineStore", "package.ExportedOnlineStore" or "./path/to/file.js#ExportedOnlineStore".'),
  yamlCase('not a mapping', '- a\n- b\n', 'expected a mapping with at least "project", got a list.'),
  // entity keys
  { name: 'float entity value', code: 'ENTITY_KEY_INVALID', run: key({ joinKeys: ['k'], entityValues: [{ doubleVal: 1.5 }] }), message: 'Entity value for "k" has type doubleVal, which Feast cannot use in an entity key. Entity keys take string, bytes, int32, int64 or unix timestamp values.' },
  { name: 'number for int64', code: 'ENTITY_KEY_INVALID', run: key({ joinKeys: ['k'], entityValues: [{ int64Val: 5 as unknown as bigint }] }), message: 'Entity value for "k": int64Val must be a bigint within int64 (use 123n, not 123), got 5 (number)' },
  { name: 'key/value count mismatch', code: 'ENTITY_KEY_INVALID', run: key({ joinKeys: ['a', 'b'], entityValues: [{ stringVal: 'x' }] }), message: 'Entity key has 2 join keys but 1 values; give one value per join key.' },
  { name: 'duplicate join key', code: 'ENTITY_KEY_INVALID', run: key({ joinKeys: ['a', 'a'], entityValues: [{ stringVal: 'x' }, { stringVal: 'y' }] }), message: 'Join key "a" appears twice in one entity key.' },
  { name: 'int64 overflow', code: 'ENTITY_KEY_INVALID', run: key({ joinKeys: ['k'], entityValues: [{ int64Val: 2n ** 63n }] }), message: 'Entity value for "k": int64Val must be a bigint within int64 (use 123n, not 123), got 9223372036854775808n (bigint)' },
  // bytes
  { name: 'truncated key bytes', code: 'ENTITY_KEY_INVALID', run: () => deserializeEntityKey(unhex('0100000002000000090000006472697665725f6964040000000800')), message: 'Truncated entity key: value #0 length needs 4 bytes at offset 25, but only 2 remain (of 27).' },
  { name: 'absurd key count', code: 'ENTITY_KEY_INVALID', run: () => deserializeEntityKey(unhex('ffffffff00000000')), message: 'Malformed entity key: it claims 4294967295 join keys, which 8 bytes cannot hold.' },
  { name: 'unsupported value type in bytes', code: 'ENTITY_KEY_INVALID', run: () => deserializeEntityKey(unhex('01000000020000000100000061050000000800000000000000000000f03f')), message: 'Malformed entity key: value #0 has unsupported type 5.' },
  { name: 'garbage Value bytes', code: 'VALUE_INVALID', run: () => ValueProto.decode(unhex('20ff')), message: /^Cannot decode 2 bytes as feast.types.Value: .*corrupt or was not written by Feast\.$/ },
  { name: 'empty bytes as key', code: 'ENTITY_KEY_INVALID', run: () => deserializeEntityKey(new Uint8Array(0)), message: 'Truncated entity key: the number of join keys needs 4 bytes at offset 0, but only 0 remain (of 0).' },
  // rows
  rowCase('missing join key', [{ rate: 1, n: 1n, event_timestamp: ts }], 'view "stats", row 0: join key "driver_id" is missing; view "stats" is keyed by driver_id.'),
  rowCase('unsafe integer for Int64', [{ driver_id: 1n, rate: 1, n: 2 ** 60, event_timestamp: ts }], 'view "stats", row 0, feature "n": expected an Int64 as a bigint (this number is beyond 2^53 and already lost precision; pass e.g. 9007199254740993n), got 1152921504606847000 (number).'),
  rowCase('missing timestamp', [{ driver_id: 1n, rate: 1, n: 1n }], 'view "stats", row 0: "event_timestamp" (the view\'s timestamp field) must be a valid Date, got undefined.'),
  rowCase('missing feature', [{ driver_id: 1n, rate: 1, event_timestamp: ts }], 'view "stats", row 0: feature "n" is missing. Pass null for a missing value.'),
  rowCase('string entity for INT64 entity', [{ driver_id: 'abc', rate: 1, n: 1n, event_timestamp: ts }], 'view "stats", row 0, join key "driver_id": expected an Int64 (a bigint, a safe integer number, or a decimal string), got "abc" (string).'),
];

describe('bad inputs give typed errors with the message that says what to do', () => {
  it('covers at least 15 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const c of cases) {
    it(c.name, async () => {
      let err: unknown;
      let expected: string | RegExp = c.message;
      try {
        const out = (await c.run()) as { err?: unknown; expected?: string } | undefined;
        if (out && 'err' in out) {
          err = out.err;
          expected = out.expected!;
        }
      } catch (e) {
        err = e;
      }
      expect(err, 'expected an error').toBeInstanceOf(Error);
      expect((err as { code?: string }).code).toBe(c.code);
      const message = (err as Error).message;
      if (c.name === 'bad serialization version') expect(message).toMatch(/feature_store\.yaml: entity_key_serialization_version: /);
      else if (expected instanceof RegExp) expect(message).toMatch(expected);
      else expect(message).toBe(expected);
    });
  }
});
