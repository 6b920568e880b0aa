import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FeastType, FeatureView, Field, onlineTableName, serializeEntityKey, ValueProto, type EntityKeyProto } from '@feast-ts/core';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { describeWithServer, driver, driverStats, setup, tableRows } from './helpers.js';

// Bytes produced by Feast's own Python code (the project's shared vectors, as copied into core's fixtures).
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('../../core/test/fixtures/feast-golden-public.json', import.meta.url)), 'utf8')) as {
  entity_keys: Array<{ name: string; version: 2 | 3; join_keys: string[]; entity_values: Array<{ kind: string; value: unknown }>; hex: string }>;
  values: Array<{ name: string; value: Record<string, unknown>; hex: string }>;
};
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function member(kind: string, value: unknown): unknown {
  if (kind === 'bytes_val') return new Uint8Array(Buffer.from(value as string, 'hex'));
  if (['int64_val', 'unix_timestamp_val'].includes(kind)) return BigInt(value as string);
  if (['int64_list_val', 'unix_timestamp_list_val'].includes(kind)) return { val: (value as string[]).map(BigInt) };
  if (kind.endsWith('_list_val')) return { val: value };
  return value;
}
const toValue = (obj: Record<string, unknown>): ValueProto => {
  const [[kind, value]] = Object.entries(obj) as [[string, unknown]];
  return { [camel(kind)]: member(kind, value) } as ValueProto;
};
const goldenKeys = vectors.entity_keys
  .filter((k) => k.version === 3)
  .map((k): [string, EntityKeyProto, string] => [k.name, { joinKeys: k.join_keys, entityValues: k.entity_values.map((ev) => toValue({ [ev.kind]: ev.value })) }, k.hex]);
/** Feature names of the golden values: "int64 list" -> "int64_list". */
const goldenValues = vectors.values.map((v): [string, ValueProto, string] => [v.name.replace(/ /g, '_'), toValue(v.value), v.hex]);

const view = driverStats('golden_view');

/**
 * Feast's `PostgreSQLOnlineStore.update()` as psycopg sends it: unqualified
 * names resolved through `search_path = <db_schema>` (its connection option),
 * the schema created `AUTHORIZATION <user>` when missing.
 */
async function feastUpdate(raw: pg.Client, schema: string, table: string, withStrings: boolean): Promise<void> {
  const q = (s: string) => `"${s}"`;
  await raw.query(`CREATE SCHEMA IF NOT EXISTS ${q(schema)} AUTHORIZATION ${q('postgres')}`);
  await raw.query(`SET search_path = ${q(schema)}`);
  await raw.query(`
    CREATE TABLE IF NOT EXISTS ${q(table)}
    (
        entity_key BYTEA,
        feature_name TEXT,
        value BYTEA,
        value_text TEXT NULL, -- Added for FTS
        vector_value BYTEA NULL,
        event_ts TIMESTAMPTZ,
        created_ts TIMESTAMPTZ,
        PRIMARY KEY(entity_key, feature_name)
    );
    CREATE INDEX IF NOT EXISTS ${q(`${table}_ek`)} ON ${q(table)} (entity_key);`);
  if (withStrings) await raw.query(`CREATE INDEX IF NOT EXISTS ${q(`${table}_fts_idx`)} ON ${q(table)} USING GIN (to_tsvector('english', value_text));`);
  await raw.query('RESET search_path');
}

async function describeTable(raw: pg.Client, schema: string, table: string): Promise<unknown> {
  const columns = await raw.query(
    'SELECT column_name, ordinal_position, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [schema, table],
  );
  const indexes = await raw.query('SELECT indexname, replace(indexdef, $1, \'<schema>.\') AS indexdef FROM pg_indexes WHERE schemaname = $2 AND tablename = $3 ORDER BY indexname', [
    `${schema}.`,
    schema,
    table,
  ]);
  const constraints = await raw.query(
    `SELECT c.contype, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
     WHERE n.nspname = $1 AND r.relname = $2 ORDER BY c.contype`,
    [schema, table],
  );
  const owner = await raw.query('SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1', [schema]);
  return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows, schemaOwner: owner.rows[0]?.owner };
}

describeWithServer('PostgreSQLOnlineStore: compatibility with Feast (Python)', () => {
  it('creates exactly the schema, table, indexes and constraints Feast creates', async () => {
    const f = await setup('compat_ddl', { db_schema: 'ours' });
    const table = onlineTableName(f.project, view);
    await feastUpdate(f.raw, 'feasts', table, true);
    await f.store.update(f.config, [], [view], [], [], false);
    const theirs = await describeTable(f.raw, 'feasts', table);
    const ours = await describeTable(f.raw, 'ours', table);
    expect((theirs as { columns: unknown[] }).columns).toHaveLength(7);
    expect((theirs as { indexes: unknown[] }).indexes).toHaveLength(3);
    expect(ours).toEqual(theirs);

    // Without string features Feast makes no full-text index; neither do we.
    const plain = new FeatureView({ name: 'numeric_view', entities: [driver], schema: [new Field({ name: 'conv_rate', dtype: FeastType.Float64 })] });
    const plainTable = onlineTableName(f.project, plain);
    await feastUpdate(f.raw, 'feasts', plainTable, false);
    await f.store.update(f.config, [], [plain], [], [], false);
    const plainOurs = (await describeTable(f.raw, 'ours', plainTable)) as { indexes: unknown[] };
    expect(plainOurs.indexes).toHaveLength(2);
    expect(plainOurs).toEqual(await describeTable(f.raw, 'feasts', plainTable));
  });

  it('reads rows written with Feast bytes into a Feast-created table, and update() leaves that table alone', async () => {
    const f = await setup('compat_read');
    const table = onlineTableName(f.project, view);
    await feastUpdate(f.raw, f.schema, table, true);
    // Feast's online_write_batch: raw key bytes, SerializeToString() bytes, naive UTC datetimes with microseconds.
    await f.raw.query("SET TimeZone = 'UTC'");
    for (const [, , keyHex] of goldenKeys) {
      for (const [feature, value, valueHex] of goldenValues) {
        await f.raw.query(
          `INSERT INTO "${f.schema}"."${table}" (entity_key, feature_name, value, value_text, vector_value, event_ts, created_ts) VALUES ($1, $2, $3, $4, NULL, $5::timestamp, NULL)`,
          [Buffer.from(keyHex, 'hex'), feature, Buffer.from(valueHex, 'hex'), value.stringVal ?? null, '2024-05-01 12:00:00.123456'],
        );
      }
    }
    await f.store.update(f.config, [], [view], [], [], false);
    const results = await f.store.onlineRead(f.config, view, goldenKeys.map(([, key]) => key));
    const expected = Object.fromEntries(goldenValues.map(([feature, value]) => [feature, value]));
    for (const [i, [name]] of goldenKeys.entries()) {
      // microseconds below the millisecond do not fit a Date: rounded down
      expect(results[i], name).toEqual([new Date('2024-05-01T12:00:00.123Z'), expected]);
    }
  });

  it('writes the bytes Feast writes: raw serialized keys and Value bytes', async () => {
    const f = await setup('compat_write');
    await f.store.update(f.config, [], [view], [], [], false);
    const features = Object.fromEntries(goldenValues.map(([feature, value]) => [feature, value]));
    await f.store.onlineWriteBatch(
      f.config,
      view,
      goldenKeys.map(([, key]) => [key, features, new Date('2024-05-01T12:00:00Z'), null]),
    );
    const rows = await tableRows(f.raw, `"${f.schema}"."${onlineTableName(f.project, view)}"`);
    const expected = goldenKeys
      .flatMap(([, , keyHex]) => goldenValues.map(([feature, , valueHex]) => ({ entity_key: keyHex, feature_name: feature, value: valueHex })))
      .sort((a, b) => (a.entity_key < b.entity_key ? -1 : a.entity_key > b.entity_key ? 1 : a.feature_name < b.feature_name ? -1 : 1));
    expect(rows.map(({ entity_key, feature_name, value }) => ({ entity_key, feature_name, value }))).toEqual(expected);
    // and the serialized keys are the golden ones
    for (const [name, key, keyHex] of goldenKeys) expect(Buffer.from(serializeEntityKey(key, 3)).toString('hex'), name).toBe(keyHex);
  });

  it('reads and writes a table of an older Feast release (no value_text, no vector_value) as it is', async () => {
    const f = await setup('compat_old');
    const table = onlineTableName(f.project, view);
    await f.raw.query(`CREATE SCHEMA "${f.schema}"`);
    await f.raw.query(
      `CREATE TABLE "${f.schema}"."${table}" (entity_key BYTEA, feature_name TEXT, value BYTEA, event_ts TIMESTAMPTZ, created_ts TIMESTAMPTZ, PRIMARY KEY(entity_key, feature_name))`,
    );
    const [, key] = goldenKeys[0]!;
    await f.store.onlineWriteBatch(f.config, view, [[key, { name: { stringVal: 'x' } }, new Date('2024-01-01T00:00:00Z'), null]]);
    await f.store.onlineWriteBatch(f.config, view, [[key, { name: { stringVal: 'y' } }, new Date('2024-01-02T00:00:00Z'), null]]);
    expect(await f.store.onlineRead(f.config, view, [key])).toEqual([[new Date('2024-01-02T00:00:00Z'), { name: { stringVal: 'y' } }]]);
    const { rows } = await f.raw.query('SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', [f.schema, table]);
    expect(rows[0].n).toBe(5);
  });
});
