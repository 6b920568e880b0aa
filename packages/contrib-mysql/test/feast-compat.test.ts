import { Entity, FeastType, FeatureView, Field, onlineTableName, ValueType, type EntityKeyProto } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { entityKeyHex } from '../src/index.js';
import { feastApply } from './feast-ddl.js';
import { describeWithServer, setup, tableRows } from './helpers.js';

// Bytes produced by Feast's own Python code (shared/vectors/feast-golden-public.json).
const GOLDEN_KEYS: Array<[string, EntityKeyProto, string]> = [
  ['single int64', { joinKeys: ['driver_id'], entityValues: [{ int64Val: 1001n }] }, '0100000002000000090000006472697665725f69640400000008000000e903000000000000'],
  ['single string', { joinKeys: ['customer_id'], entityValues: [{ stringVal: 'abc-123' }] }, '01000000020000000b000000637573746f6d65725f696402000000070000006162632d313233'],
  [
    'compound unsorted',
    { joinKeys: ['driver_id', 'customer_id'], entityValues: [{ int64Val: 5n }, { stringVal: 'c9' }] },
    '02000000020000000b000000637573746f6d65725f696402000000090000006472697665725f69640200000002000000633904000000080000000500000000000000',
  ],
];
const GOLDEN_VALUES = {
  int64: ['20e907', { int64Val: 1001n }],
  double: ['29000000000000e03f', { doubleVal: 0.5 }],
  string: ['120568656c6c6f', { stringVal: 'hello' }],
  int64_list: ['72050a03010203', { int64ListVal: { val: [1n, 2n, 3n] } }],
} as const;

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const view = new FeatureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  schema: [
    new Field({ name: 'int64', dtype: FeastType.Int64 }),
    new Field({ name: 'double', dtype: FeastType.Float64 }),
    new Field({ name: 'string', dtype: FeastType.String }),
    new Field({ name: 'int64_list', dtype: FeastType.Array(FeastType.Int64) }),
  ],
});

describeWithServer('MySQLOnlineStore: compatibility with Feast (Python)', () => {
  it('entity_key is lowercase hex of the version-3 serialization, as Feast computes it', () => {
    for (const [name, key, hex] of GOLDEN_KEYS) expect(entityKeyHex(key), name).toBe(hex);
  });

  it('reads and updates a table created and filled the way Feast does', async () => {
    const f = await setup('compat_feast');
    const table = onlineTableName(f.project, view);
    await feastApply(f.raw, table);
    // Feast's write_to_table: naive UTC datetimes (with microseconds) through PyMySQL, value = SerializeToString()
    const hex = GOLDEN_KEYS[0]![2];
    for (const [feature, [valueHex]] of Object.entries(GOLDEN_VALUES)) {
      await f.raw.query(
        'INSERT INTO ' + table + ' (entity_key, feature_name, value, event_ts, created_ts) values (?, ?, ?, ?, ?) ' +
          'ON DUPLICATE KEY UPDATE value = ?, event_ts = ?, created_ts = ?',
        [hex, feature, Buffer.from(valueHex, 'hex'), '2024-05-01 12:00:00.000000', null, Buffer.from(valueHex, 'hex'), '2024-05-01 12:00:00.000000', null],
      );
    }

    const [[ts, features]] = (await f.store.onlineRead(f.config, view, [GOLDEN_KEYS[0]![1]])) as [[Date, Record<string, unknown>]];
    expect(ts).toEqual(new Date('2024-05-01T12:00:00Z'));
    expect(features).toEqual(Object.fromEntries(Object.entries(GOLDEN_VALUES).map(([k, [, v]]) => [k, v])));

    // update() on Feast's table changes nothing and does not fail on its existing index
    await f.store.update(f.config, [], [view], [], [], false);
    const [indexes] = await f.raw.query({ sql: `SHOW INDEX FROM \`${table}\``, rowsAsArray: false });
    expect((indexes as Array<{ Key_name: string }>).map((i) => i.Key_name).sort()).toEqual(['PRIMARY', 'PRIMARY', `${table}_ek`]);

    // and a write here lands where Feast's SELECT finds it
    await f.store.onlineWriteBatch(f.config, view, [[GOLDEN_KEYS[2]![1], { double: { doubleVal: 0.5 } }, new Date('2024-05-02T00:00:00.900Z'), null]]);
    const [rows] = await f.raw.query({
      sql: `SELECT feature_name, value, event_ts FROM ${table} WHERE entity_key = %s`.replace('%s', '?'),
      values: [GOLDEN_KEYS[2]![2]],
      rowsAsArray: true,
    });
    const [name, value] = (rows as Array<[string, Buffer, Date]>)[0]!;
    expect(name).toBe('double');
    expect(value.toString('hex')).toBe(GOLDEN_VALUES.double[0]);
    expect((await tableRows(f.raw, table)).find((r) => r.entity_key === GOLDEN_KEYS[2]![2])!.event_ts).toBe('2024-05-02 00:00:00');
  });

  it("creates Feast's layout (value widened to MEDIUMBLOB), so Feast reads tables made here", async () => {
    const f = await setup('compat_ours');
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    const [cols] = await f.raw.query({
      sql: `SELECT column_name, column_type, is_nullable, column_default, column_key FROM information_schema.columns
            WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
      values: [table],
      rowsAsArray: true,
    });
    expect((cols as unknown[][]).map((c) => [c[0], c[1], c[2], c[3] === null || c[3] === 'NULL' ? null : c[3], c[4]])).toEqual([
      ['entity_key', 'varchar(512)', 'NO', null, 'PRI'],
      ['feature_name', 'varchar(256)', 'NO', null, 'PRI'],
      ['value', 'mediumblob', 'YES', null, ''], // Feast: BLOB; the one deliberate difference
      ['event_ts', 'timestamp', 'YES', null, ''],
      ['created_ts', 'timestamp', 'YES', null, ''],
    ]);
    const [idx] = await f.raw.query({
      sql: `SELECT index_name, column_name, seq_in_index FROM information_schema.statistics
            WHERE table_schema = DATABASE() AND table_name = ? ORDER BY index_name, seq_in_index`,
      values: [table],
      rowsAsArray: true,
    });
    expect(idx).toEqual([
      ['PRIMARY', 'entity_key', 1],
      ['PRIMARY', 'feature_name', 2],
      [`${table}_ek`, 'entity_key', 1],
    ]);
    // Feast's update on our table: CREATE TABLE IF NOT EXISTS is a no-op and its index check finds the index.
    await f.raw.query(`CREATE TABLE IF NOT EXISTS ${table} (entity_key VARCHAR(512), feature_name VARCHAR(256), value BLOB,
      event_ts timestamp NULL DEFAULT NULL, created_ts timestamp NULL DEFAULT NULL, PRIMARY KEY(entity_key, feature_name))`);
  });

  it('stores values over 64 KiB in a Feast table once its value column is widened to MEDIUMBLOB', async () => {
    const f = await setup('compat_medium');
    const table = onlineTableName(f.project, view);
    await feastApply(f.raw, table);
    const tooBig = await f.store
      .onlineWriteBatch(f.config, view, [[GOLDEN_KEYS[1]![1], { string: { stringVal: 'q'.repeat(70_000) } }, new Date('2024-01-01T00:00:00Z'), null]])
      .catch((e: unknown) => e);
    expect((tooBig as { kind?: string }).kind).toBe('value_too_large');
    await f.raw.query(`ALTER TABLE \`${table}\` MODIFY value MEDIUMBLOB`);
    const big = 'q'.repeat(200_000);
    await f.store.onlineWriteBatch(f.config, view, [[GOLDEN_KEYS[1]![1], { string: { stringVal: big } }, new Date('2024-01-01T00:00:00Z'), null]]);
    const [[, features]] = (await f.store.onlineRead(f.config, view, [GOLDEN_KEYS[1]![1]])) as [[Date, Record<string, { stringVal?: string }>]];
    expect(features.string!.stringVal).toBe(big);
  });
});
