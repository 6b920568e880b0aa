import { onlineTableName, serializeEntityKey, type OnlineWriteRow } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { describeWithServer, driverKey, driverRow, driverStats, setup, tableRows } from './helpers.js';

const view = driverStats();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describeWithServer('PostgreSQLOnlineStore: writes and reads', () => {
  it('round-trips values and timestamps, aligned with the input keys (duplicates and misses included)', async () => {
    const f = await setup();
    await f.store.update(f.config, [], [view], [], [], false);
    const t1 = new Date('2024-05-01T12:00:00.123Z');
    const t2 = new Date('1969-07-20T20:17:40.001Z');
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, t1), driverRow(2, t2, {}, new Date('2024-05-02T00:00:00Z'))]);
    const res = await f.store.onlineRead(f.config, view, [driverKey(2), driverKey(3), driverKey(1), driverKey(2)]);
    expect(res[0]).toEqual([t2, { conv_rate: { doubleVal: 0.2 }, avg_daily_trips: { int64Val: 6n }, name: { stringVal: 'driver 2' } }]);
    expect(res[1]).toEqual([null, null]);
    expect(res[2]![0]).toEqual(t1);
    expect(res[3]).toEqual(res[0]);
    // a key given twice gets its own object
    expect(res[3]![1]).not.toBe(res[0]![1]);
    // requested features are filtered in SQL; an unknown one is simply absent
    const only = await f.store.onlineRead(f.config, view, [driverKey(1)], ['name', 'nope']);
    expect(only).toEqual([[t1, { name: { stringVal: 'driver 1' } }]]);
    expect(await f.store.onlineRead(f.config, view, [driverKey(1)], [])).toEqual([[null, null]]);
    expect(await f.store.onlineRead(f.config, view, [])).toEqual([]);
  });

  it('stores the exact instant (microsecond columns, UTC) and Feast value_text', async () => {
    const f = await setup();
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [
      driverRow(7, new Date('2030-01-02T03:04:05.678Z'), { conv_rate: { floatVal: 0.1 }, flag: { boolVal: true }, blob: { bytesVal: new Uint8Array([0, 1]) } }, new Date('2030-01-02T03:04:06.001Z')),
      // text cannot hold NUL: the value is kept, value_text is left NULL
      driverRow(8, new Date('2030-01-02T03:04:05.678Z'), { name: { stringVal: 'a\0b' } }),
    ]);
    expect((await f.store.onlineRead(f.config, view, [driverKey(8)], ['name']))[0]![1]).toEqual({ name: { stringVal: 'a\0b' } });
    // Another session time zone must not shift what is stored.
    await f.raw.query("SET TimeZone = 'America/Los_Angeles'");
    const rows = await tableRows(f.raw, `"${f.schema}"."${onlineTableName(f.project, view)}"`);
    const key = hex(serializeEntityKey(driverKey(7), 3));
    const key8 = hex(serializeEntityKey(driverKey(8), 3));
    expect(rows.find((r) => r.entity_key === key8 && r.feature_name === 'name')!.value_text).toBeNull();
    expect(rows.filter((r) => r.entity_key === key).map((r) => [r.entity_key, r.feature_name, r.value_text, r.event_ts, r.created_ts])).toEqual([
      [key, 'avg_daily_trips', '21', '2030-01-02T03:04:05.678000', '2030-01-02T03:04:06.001000'],
      [key, 'blob', null, '2030-01-02T03:04:05.678000', '2030-01-02T03:04:06.001000'],
      [key, 'conv_rate', '0.10000000149011612', '2030-01-02T03:04:05.678000', '2030-01-02T03:04:06.001000'],
      [key, 'flag', 'True', '2030-01-02T03:04:05.678000', '2030-01-02T03:04:06.001000'],
      [key, 'name', 'driver 7', '2030-01-02T03:04:05.678000', '2030-01-02T03:04:06.001000'],
    ]);
  });

  it('a key repeated in one call is written once per feature, the last row winning', async () => {
    const f = await setup();
    await f.store.update(f.config, [], [view], [], [], false);
    const early = new Date('2024-01-01T00:00:00Z');
    const late = new Date('2024-01-02T00:00:00Z');
    const rows: OnlineWriteRow[] = [
      [driverKey(5), { conv_rate: { doubleVal: 1 }, name: { stringVal: 'first' } }, early, null],
      driverRow(6, early),
      [driverKey(5), { conv_rate: { doubleVal: 2 } }, late, null],
    ];
    const progress: number[] = [];
    await f.store.onlineWriteBatch(f.config, view, rows, (n) => progress.push(n));
    expect(progress.reduce((a, b) => a + b, 0)).toBe(3);
    const [[ts, features]] = (await f.store.onlineRead(f.config, view, [driverKey(5)])) as [[Date, unknown]];
    expect(features).toEqual({ conv_rate: { doubleVal: 2 }, name: { stringVal: 'first' } });
    // the entity's event time is the latest of its rows
    expect(ts).toEqual(late);
    const stored = await tableRows(f.raw, `"${f.schema}"."${onlineTableName(f.project, view)}"`);
    const k5 = hex(serializeEntityKey(driverKey(5), 3));
    expect(stored.filter((r) => r.entity_key === k5).map((r) => [r.feature_name, r.event_ts])).toEqual([
      ['conv_rate', '2024-01-02T00:00:00.000000'],
      ['name', '2024-01-01T00:00:00.000000'],
    ]);
  });

  it('overwrites on a later write (upsert) and writes large batches in several statements, progress adding up', async () => {
    const f = await setup();
    await f.store.update(f.config, [], [view], [], [], false);
    const n = 4000; // 12,000 (entity, feature) rows: three statements
    const rows = Array.from({ length: n }, (_, i) => driverRow(i, new Date(Date.UTC(2024, 0, 1, 0, 0, i % 60))));
    const progress: number[] = [];
    await f.store.onlineWriteBatch(f.config, view, rows, (c) => progress.push(c));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.reduce((a, b) => a + b, 0)).toBe(n);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(10, new Date('2025-01-01T00:00:00Z'), { conv_rate: { doubleVal: -1 } })]);
    const { rows: count } = await f.raw.query(`SELECT count(*)::int AS n FROM "${f.schema}"."${onlineTableName(f.project, view)}"`);
    expect(count[0].n).toBe(3 * n);
    const [[ts, features]] = (await f.store.onlineRead(f.config, view, [driverKey(10)], ['conv_rate'])) as [[Date, unknown]];
    expect([ts, features]).toEqual([new Date('2025-01-01T00:00:00Z'), { conv_rate: { doubleVal: -1 } }]);
  });

  it('rows without features write nothing and still count as progress', async () => {
    const f = await setup();
    await f.store.update(f.config, [], [view], [], [], false);
    const progress: number[] = [];
    await f.store.onlineWriteBatch(f.config, view, [[driverKey(1), {}, new Date(), null]], (c) => progress.push(c));
    expect(progress).toEqual([1]);
    expect(await f.store.onlineRead(f.config, view, [driverKey(1)])).toEqual([[null, null]]);
  });

  it('concurrent writers of the same keys in different orders do not deadlock', async () => {
    const f = await setup('feast_ts_pg', { conn_type: 'pool', max_conn: 6 });
    await f.store.update(f.config, [], [view], [], [], false);
    const ids = Array.from({ length: 600 }, (_, i) => i);
    const shuffled = (seed: number) => [...ids].sort((a, b) => ((a * 7919 + seed) % 601) - ((b * 7919 + seed) % 601));
    const writes = Array.from({ length: 6 }, (_, w) =>
      f.store.onlineWriteBatch(f.config, view, shuffled(w * 13).map((id) => driverRow(id, new Date(Date.UTC(2024, 0, 1, w))))),
    );
    await expect(Promise.all(writes)).resolves.toBeDefined();
    const res = await f.store.onlineRead(f.config, view, ids.map(driverKey));
    expect(res.every(([ts]) => ts instanceof Date)).toBe(true);
  });
});
