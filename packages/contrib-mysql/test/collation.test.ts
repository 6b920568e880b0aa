import { Entity, FeastType, FeatureView, Field, OnlineStoreError, onlineTableName, ValueType } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { feastApply } from './feast-ddl.js';
import { describeWithServer, driverKey, setup } from './helpers.js';

const t0 = new Date('2024-05-01T12:00:00Z');
const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const view = (names: string[]): FeatureView =>
  new FeatureView({ name: 'rates', entities: [driver], schema: names.map((name) => new Field({ name, dtype: FeastType.Int64 })) });

describeWithServer('MySQLOnlineStore: feature names that a collation would take for one', () => {
  const lookalikes = ['rate', 'Rate', 'ráte', 'rate '];

  it('are distinct features in the tables it creates (binary feature_name)', async () => {
    const f = await setup('collation_ours');
    const v = view(lookalikes);
    await f.store.update(f.config, [], [v], [], [], false);
    const [[[collation]]] = (await f.raw.query({
      sql: "SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = 'feature_name'",
      values: [onlineTableName(f.project, v)],
      rowsAsArray: true,
    })) as unknown as [[[string]]];
    expect(collation).toMatch(/^utf8mb4_(nopad_bin|0900_bin|bin)$/);
    const features = Object.fromEntries(lookalikes.map((name, i) => [name, { int64Val: BigInt(i + 1) }]));
    await f.store.onlineWriteBatch(f.config, v, [[driverKey(1), features, t0, null]]);
    for (const [i, name] of lookalikes.entries()) {
      const got = (await f.store.onlineRead(f.config, v, [driverKey(1)], [name]))[0]![1];
      expect(got, JSON.stringify(name)).toEqual({ [name]: { int64Val: BigInt(i + 1) } });
    }
    expect((await f.store.onlineRead(f.config, v, [driverKey(1)]))[0]![1]).toEqual(features);
  });

  it("are refused at apply on a table Feast created (the database's case- and accent-insensitive collation), naming them", async () => {
    const f = await setup('collation_feast');
    const v = view(['conv_rate', 'Conv_Rate', 'trips']);
    const table = onlineTableName(f.project, v);
    await feastApply(f.raw, table);
    await f.raw.query(`ALTER TABLE \`${table}\` MODIFY feature_name VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
    const err = await f.store.update(f.config, [], [v], [], [], false).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(OnlineStoreError);
    expect((err as OnlineStoreError).kind).toBe('invalid_identifier');
    expect((err as Error).message).toMatch(/Feature view "rates": the features "conv_rate" and "Conv_Rate" are one name to MySQL in `[^`]+`\.feature_name, whose collation utf8mb4_general_ci/);
    expect((err as Error).message).toMatch(/COLLATE utf8mb4_bin/);

    // Distinct names under that collation are fine, and so is the fix the message gives.
    await f.store.update(f.config, [], [view(['conv_rate', 'trips'])], [], [], false);
    await f.raw.query(`ALTER TABLE \`${table}\` MODIFY feature_name VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await f.store.update(f.config, [], [v], [], [], false);
  });

  it('are refused for trailing spaces on a Feast table whose collation pads', async () => {
    const f = await setup('collation_pad');
    const v = view(['rate', 'rate ']);
    const table = onlineTableName(f.project, v);
    await feastApply(f.raw, table);
    await f.raw.query(`ALTER TABLE \`${table}\` MODIFY feature_name VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await expect(f.store.update(f.config, [], [v], [], [], false)).rejects.toThrow(/the features "rate" and "rate " are one name/);
  });
});
