import { onlineTableName, ValueProto, type OnlineWriteRow } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { entityKeyHex, READ_CHUNK_KEYS } from '../src/index.js';
import { connectionIdsOf, describeWithServer, driverKey, driverRow, driverStats, setup, tableRows } from './helpers.js';

const t0 = new Date('2024-05-01T12:00:00Z');
const t1 = new Date('2024-05-02T08:30:15Z');

describeWithServer('MySQLOnlineStore: writes and reads', () => {
  it('round-trips features, one row per (entity, feature), aligned with the input', async () => {
    const f = await setup('wr_roundtrip');
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [driver()], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1001, t0), driverRow(1002, t1, {}, t0)]);

    const rows = await tableRows(f.raw, onlineTableName(f.project, view));
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({ entity_key: entityKeyHex(driverKey(1001)), feature_name: 'avg_daily_trips', event_ts: '2024-05-01 12:00:00', created_ts: null });
    expect(rows.find((r) => r.entity_key === entityKeyHex(driverKey(1002)))?.created_ts).toBe('2024-05-01 12:00:00');

    const result = await f.store.onlineRead(f.config, view, [driverKey(1002), driverKey(9), driverKey(1001), driverKey(1002)]);
    expect(result).toHaveLength(4);
    expect(result[0]![0]).toEqual(t1);
    expect(result[0]![1]).toEqual({ conv_rate: { doubleVal: 100.2 }, avg_daily_trips: { int64Val: 3006n }, name: { stringVal: 'driver 1002' } });
    expect(result[1]).toEqual([null, null]);
    expect(result[2]![0]).toEqual(t0);
    expect(result[2]![1]!.avg_daily_trips).toEqual({ int64Val: 3003n });
    // a duplicate key gets equal, but separate, results
    expect(result[3]).toEqual(result[0]);
    expect(result[3]![1]).not.toBe(result[0]![1]);
  });

  it('upserts: a later write replaces value and timestamps; other features stay', async () => {
    const f = await setup('wr_upsert');
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(7, t0)]);
    await f.store.onlineWriteBatch(f.config, view, [[driverKey(7), { conv_rate: { doubleVal: 0.99 } }, t1, t1]]);
    const [[ts, features]] = (await f.store.onlineRead(f.config, view, [driverKey(7)])) as [[Date, Record<string, ValueProto>]];
    expect(features.conv_rate).toEqual({ doubleVal: 0.99 });
    expect(features.name).toEqual({ stringVal: 'driver 7' });
    expect(ts).toEqual(t1); // the latest event time of the entity's rows
    const rows = await tableRows(f.raw, onlineTableName(f.project, view));
    expect(rows.find((r) => r.feature_name === 'conv_rate')).toMatchObject({ event_ts: '2024-05-02 08:30:15', created_ts: '2024-05-02 08:30:15' });
    expect(rows.find((r) => r.feature_name === 'name')).toMatchObject({ event_ts: '2024-05-01 12:00:00', created_ts: null });
  });

  it('filters requested features in SQL and returns [null, null] when none of them exist', async () => {
    const f = await setup('wr_filter');
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, t0), driverRow(2, t0)]);
    const res = await f.store.onlineRead(f.config, view, [driverKey(1), driverKey(2)], ['name', 'conv_rate']);
    expect(Object.keys(res[0]![1]!).sort()).toEqual(['conv_rate', 'name']);
    expect(await f.store.onlineRead(f.config, view, [driverKey(1)], ['no_such_feature'])).toEqual([[null, null]]);
    expect(await f.store.onlineRead(f.config, view, [driverKey(1)], [])).toEqual([[null, null]]);
    expect(await f.store.onlineRead(f.config, view, [])).toEqual([]);
  });

  it('stores every kind of value byte for byte, including Feast null and bytes with quotes and backslashes', async () => {
    const f = await setup('wr_kinds');
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [], false);
    const values: Record<string, ValueProto> = {
      null_: {},
      bytes: { bytesVal: new Uint8Array([0, 39, 92, 34, 255, 10, 26]) },
      str: { stringVal: "it's a \\ 'quote' \u{1F600} ünïcode" },
      list: { int64ListVal: { val: [1n, -2n, 9007199254740993n] } },
      floats: { floatListVal: { val: [1.5, -0.25] } },
      bool: { boolVal: false },
      ts: { unixTimestampVal: 1_700_000_000n },
      map: { mapVal: { val: { a: { int32Val: 1 }, b: { stringVal: 'x' } } } },
      "feature 'with' `odd` \\ name": { int32Val: 0 },
    };
    await f.store.onlineWriteBatch(f.config, view, [[driverKey(5), values, t0, null]]);
    const [[, got]] = (await f.store.onlineRead(f.config, view, [driverKey(5)])) as [[Date, Record<string, ValueProto>]];
    expect(Object.keys(got).sort()).toEqual(Object.keys(values).sort());
    for (const [name, value] of Object.entries(values)) {
      expect(Buffer.from(ValueProto.encode(got[name]!)).toString('hex'), name).toBe(Buffer.from(ValueProto.encode(value)).toString('hex'));
    }
    // the raw bytes in the table are the protobuf encoding
    const rows = await tableRows(f.raw, onlineTableName(f.project, view));
    expect(rows.find((r) => r.feature_name === 'bytes')!.value).toBe(Buffer.from(ValueProto.encode(values.bytes!)).toString('hex'));
    expect(rows.find((r) => r.feature_name === 'null_')!.value).toBe('');
  });

  it('writes in chunks inside one call and reports progress that adds up to the number of rows', async () => {
    const f = await setup('wr_chunks', { write_chunk_size: 7 });
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [], false);
    const data: OnlineWriteRow[] = Array.from({ length: 25 }, (_, i) => driverRow(i + 1, t0));
    data.splice(3, 0, [driverKey(999), {}, t0, null]); // an entity with no features
    data.push([driverKey(998), {}, t0, null]); // and one at the end
    const progress: number[] = [];
    await f.store.onlineWriteBatch(f.config, view, data, (n) => progress.push(n));
    expect(progress.reduce((a, b) => a + b, 0)).toBe(data.length);
    expect(progress.length).toBeGreaterThanOrEqual(Math.ceil((25 * 3) / 7));
    expect(progress.every((n) => n > 0)).toBe(true);
    const [[count]] = (await f.raw.query({ sql: `SELECT COUNT(*) FROM \`${onlineTableName(f.project, view)}\``, rowsAsArray: true }))[0] as [[number]];
    expect(Number(count)).toBe(75);
  });

  it(`reads more than ${READ_CHUNK_KEYS} keys in one call`, async () => {
    const f = await setup('wr_many');
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [], false);
    const n = READ_CHUNK_KEYS + 250;
    await f.store.onlineWriteBatch(f.config, view, Array.from({ length: n }, (_, i) => driverRow(i, t0)));
    const keys = Array.from({ length: n + 10 }, (_, i) => driverKey(n + 9 - i)); // 10 missing, reversed order
    const res = await f.store.onlineRead(f.config, view, keys, ['avg_daily_trips']);
    expect(res).toHaveLength(n + 10);
    for (let i = 0; i < n + 10; i++) {
      const id = n + 9 - i;
      if (id >= n) expect(res[i]).toEqual([null, null]);
      else expect(res[i]![1]).toEqual({ avg_daily_trips: { int64Val: BigInt(id * 3) } });
    }
  });

  it('reuses one pool across calls and configs with equal settings; close() ends it and the store reconnects', async () => {
    const f = await setup('wr_pool');
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, t0)]);
    const before = (await connectionIdsOf(f.raw, f.database)).length;
    for (let i = 0; i < 20; i++) await f.store.onlineRead({ ...f.config, onlineStore: { ...f.config.onlineStore } }, view, [driverKey(1)]);
    expect((await connectionIdsOf(f.raw, f.database)).length).toBe(before);
    expect(before).toBeGreaterThanOrEqual(1);
    await f.store.close();
    await waitFor(async () => ((await connectionIdsOf(f.raw, f.database)).length) === 0);
    expect((await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]![1]).not.toBeNull();
  });
});

function driver() {
  return driverStats().entities[0]!;
}

async function waitFor(cond: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
