import { OnlineStoreError, onlineTableName } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { entityKeyHex } from '../src/index.js';
import { describeWithServer, driverKey, driverRow, driverStats, onCleanup, setup } from './helpers.js';

const t0 = new Date('2024-05-01T12:00:00Z');

/** A second client that holds the row lock of driver `id`'s rows until `release()`. */
async function lockRows(f: Awaited<ReturnType<typeof setup>>, table: string, id: number): Promise<{ release(): Promise<void> }> {
  await f.raw.query('START TRANSACTION');
  await f.raw.query(`SELECT * FROM \`${table}\` WHERE entity_key = ? FOR UPDATE`, [entityKeyHex(driverKey(id))]);
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    await f.raw.query('COMMIT');
  };
  onCleanup(release);
  return { release };
}

async function failure(p: Promise<unknown>): Promise<OnlineStoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OnlineStoreError);
  return err as OnlineStoreError;
}

describeWithServer('MySQLOnlineStore: deadlines and close()', () => {
  it('close() lets a write in progress finish instead of ending its connection', async () => {
    const f = await setup('close_busy');
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, t0)]);
    const lock = await lockRows(f, table, 1);
    const write = f.store.onlineWriteBatch(f.config, view, [driverRow(1, new Date('2024-05-02T00:00:00Z'))]);
    await new Promise((r) => setTimeout(r, 300)); // the write now waits for the lock
    let closed = false;
    const closing = f.store.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(closed).toBe(false); // close waits for the write
    await lock.release();
    await write; // and the write succeeds
    await closing;
    expect(closed).toBe(true);
    expect((await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]![0]).toEqual(new Date('2024-05-02T00:00:00Z'));
  });

  it('query_timeout ends a write stuck on another client\'s lock with a timeout error, and writes nothing', async () => {
    const f = await setup('query_timeout', { query_timeout: 1 });
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, t0)]);
    await lockRows(f, table, 1);
    const started = Date.now();
    const err = await failure(f.store.onlineWriteBatch(f.config, view, [driverRow(0, t0), driverRow(1, new Date('2024-05-02T00:00:00Z'))]));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/query_timeout \(1 s\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await f.store.onlineRead(f.config, view, [driverKey(0)]))[0]).toEqual([null, null]);
  }, 20_000);

  it('a stuck writer holding the only connection does not block a read past acquire_timeout', async () => {
    const f = await setup('acquire_timeout', { pool_size: 1, acquire_timeout: 0.5, query_timeout: 20 });
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, t0)]);
    const lock = await lockRows(f, table, 1);
    const stuck = f.store.onlineWriteBatch(f.config, view, [driverRow(1, new Date('2024-05-02T00:00:00Z'))]);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    const err = await failure(f.store.onlineRead(f.config, view, [driverKey(2)]));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/pool_size or online_store\.acquire_timeout/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await lock.release();
    await stuck;
    // A read after the writer let go takes the free connection (no leaked slot from the timed-out wait).
    expect((await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]![0]).toEqual(new Date('2024-05-02T00:00:00Z'));
  }, 30_000);
});
