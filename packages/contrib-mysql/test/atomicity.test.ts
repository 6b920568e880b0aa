import { OnlineStoreError, onlineTableName, type OnlineWriteRow } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { feastApply } from './feast-ddl.js';
import { describeWithServer, driverKey, driverRow, driverStats, setup, tableRows } from './helpers.js';

const t0 = new Date('2024-05-01T12:00:00Z');
const t1 = new Date('2024-06-01T00:00:00Z');

describeWithServer('MySQLOnlineStore: a failing write leaves the table as it was', () => {
  it('rolls back every chunk when a value in the last chunk is too large for a Feast table\'s BLOB (value_too_large)', async () => {
    const f = await setup('atom_blob', { write_chunk_size: 4 });
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await feastApply(f.raw, table); // Feast's DDL: value BLOB, at most 65,535 bytes
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, t0), driverRow(2, t0)]);
    const before = await tableRows(f.raw, table);

    // 20 entities x 3 features = 15 chunks; the too-large value is the very last row.
    const data: OnlineWriteRow[] = Array.from({ length: 20 }, (_, i) => driverRow(i + 1, t1));
    data[19] = driverRow(20, t1, { name: { stringVal: 'x'.repeat(70_000) } });
    const progress: number[] = [];
    const err = await f.store.onlineWriteBatch(f.config, view, data, (n) => progress.push(n)).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(OnlineStoreError);
    expect((err as OnlineStoreError).kind).toBe('value_too_large');
    expect((err as Error).message).toMatch(/feature "name" of row #19/);
    expect((err as Error).message).toMatch(/MEDIUMBLOB/);
    expect(progress.reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // earlier chunks did run...
    expect(await tableRows(f.raw, table)).toEqual(before); // ...and were rolled back

    // the pool is still healthy afterwards
    await f.store.onlineWriteBatch(f.config, view, [driverRow(3, t1)]);
    expect((await f.store.onlineRead(f.config, view, [driverKey(3)]))[0]![0]).toEqual(t1);
  });

  it('a value of exactly 65,535 bytes fits in a Feast table', async () => {
    const f = await setup('atom_edge');
    const view = driverStats();
    await feastApply(f.raw, onlineTableName(f.project, view));
    // stringVal: tag (1) + length varint (3) + payload: 65,531 payload bytes make 65,535
    await f.store.onlineWriteBatch(f.config, view, [[driverKey(1), { name: { stringVal: 'y'.repeat(65_531) } }, t0, null]]);
    const [[, features]] = (await f.store.onlineRead(f.config, view, [driverKey(1)])) as [[Date, Record<string, { stringVal?: string }>]];
    expect(features.name!.stringVal).toHaveLength(65_531);
  });

  it('bad input (an out-of-range timestamp, a bad value, an oversized key) fails the call and writes nothing', async () => {
    const f = await setup('atom_input', { write_chunk_size: 2 });
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    const good = Array.from({ length: 10 }, (_, i) => driverRow(i + 1, t0));

    await expect(f.store.onlineWriteBatch(f.config, view, [...good, driverRow(11, new Date('2040-01-01T00:00:00Z'))])).rejects.toThrow(
      /outside what the store can hold, .*2038.*Feast's MySQL layout has TIMESTAMP/,
    );
    await expect(
      f.store.onlineWriteBatch(f.config, view, [...good, [driverKey(12), { conv_rate: { doubleVal: 'x' as unknown as number } }, t0, null]]),
    ).rejects.toThrow(/Row 10 written to feature view "driver_hourly_stats", feature "conv_rate"/);
    const longKey: OnlineWriteRow = [{ joinKeys: ['k'], entityValues: [{ stringVal: 'z'.repeat(300) }] }, { name: { stringVal: 'a' } }, t0, null];
    const err = await f.store.onlineWriteBatch(f.config, view, [...good, longKey]).catch((e: unknown) => e);
    expect((err as OnlineStoreError).kind).toBe('value_too_large');
    expect((err as Error).message).toMatch(/VARCHAR\(512\)/);

    expect(await tableRows(f.raw, table)).toEqual([]);
  });

  it('a feature name longer than the column holds: value_too_large that says to rename it, nothing written', async () => {
    const f = await setup('atom_name');
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [], false);
    const err = await f.store.onlineWriteBatch(f.config, view, [driverRow(1, t0), [driverKey(2), { ['n'.repeat(300)]: { int32Val: 1 } }, t0, null]]).catch((e: unknown) => e);
    expect((err as OnlineStoreError).kind).toBe('value_too_large');
    expect((err as Error).message).toMatch(/feature_name column \(VARCHAR\(256\)\)/);
    expect(await tableRows(f.raw, onlineTableName(f.project, view))).toEqual([]);
  });

  it('a write that fails because the table is missing says to run apply, and writes nothing', async () => {
    const f = await setup('atom_notable');
    const err = await f.store.onlineWriteBatch(f.config, driverStats('never_applied'), [driverRow(1, t0)]).catch((e: unknown) => e);
    expect((err as OnlineStoreError).kind).toBe('table_missing');
    expect((err as Error).message).toMatch(/feast-ts apply/);
  });
});
