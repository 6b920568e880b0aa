import { serializeEntityKey, ValueProto } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { driverKey, driverStats, setup } from './helpers.js';

const TABLE = 'test_project_driver_hourly_stats';
const at = (s: number): Date => new Date(s * 1000);

// Reads come back as one row per entity (group_concat); these are the cases that read must get
// right or hand over to the row-by-row read.
describe('reads, one result row per entity', () => {
  it('splits each entity back into its features: empty and NULL values, several event times', async () => {
    const { store, config, raw } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [
      [driverKey(1n), { conv_rate: { doubleVal: 0.5 }, avg_daily_trips: {}, name: { stringVal: 'é,中' } }, at(100), null],
      [driverKey(2n), { conv_rate: { doubleVal: 2 } }, at(50), null],
    ]);
    await store.onlineWriteBatch(config, view, [[driverKey(1n), { late: { int64Val: -1n } }, at(300), null]]);
    raw().prepare(`UPDATE ${TABLE} SET value = NULL WHERE feature_name = 'name' AND entity_key = ?`).run(Buffer.from(serializeKey(1n)));
    const out = await store.onlineRead(config, view, [driverKey(2n), driverKey(1n), driverKey(3n)]);
    expect(out).toEqual([
      [at(50), { conv_rate: { doubleVal: 2 } }],
      [at(300), { conv_rate: { doubleVal: 0.5 }, avg_daily_trips: {}, name: {}, late: { int64Val: -1n } }],
      [null, null],
    ]);
  });

  it('a feature name holding the separator is read row by row instead, with the same result', async () => {
    const { store, config } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[driverKey(1n), { 'a\x1fb': { int32Val: 7 }, c: { boolVal: true } }, at(10), null]]);
    expect(await store.onlineRead(config, view, [driverKey(1n)])).toEqual([[at(10), { 'a\x1fb': { int32Val: 7 }, c: { boolVal: true } }]]);
  });

  it('event times stored as text by old Feast releases are read row by row, the latest winning', async () => {
    const { store, config, raw } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [[driverKey(1n), { conv_rate: { doubleVal: 1 }, avg_daily_trips: { int64Val: 3n } }, at(10), null]]);
    raw().exec(`UPDATE ${TABLE} SET event_ts = '2024-05-01 12:00:00' WHERE feature_name = 'conv_rate'`);
    const [ts, features] = (await store.onlineRead(config, view, [driverKey(1n)]))[0]!;
    expect(ts).toEqual(new Date('2024-05-01T12:00:00Z'));
    expect(features).toEqual({ conv_rate: { doubleVal: 1 }, avg_daily_trips: { int64Val: 3n } });
  });

  it('the bytes read back are the bytes written', async () => {
    const { store, config } = setup();
    const view = driverStats();
    await store.update(config, [], [view], [], [], false);
    const values = { a: { bytesVal: new Uint8Array([0, 0xff, 0, 0x80]) }, b: { stringVal: '\u0000x' }, c: { doubleListVal: { val: [1, -0, 2.5] } } };
    await store.onlineWriteBatch(config, view, [[driverKey(9n), values, at(1), null]]);
    const [, features] = (await store.onlineRead(config, view, [driverKey(9n)]))[0]!;
    for (const [name, value] of Object.entries(values)) expect(Buffer.from(ValueProto.encode(features![name]!))).toEqual(Buffer.from(ValueProto.encode(value)));
  });
});

function serializeKey(id: bigint): Uint8Array {
  return serializeEntityKey(driverKey(id), 3);
}
