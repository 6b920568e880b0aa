import { OnlineStoreError, onlineTableName } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { describeWithServer, driverKey, driverRow, driverStats, setup } from './helpers.js';

const t0 = new Date('2024-05-01T12:00:00Z');

async function tablesOf(raw: import('mysql2/promise').Connection): Promise<string[]> {
  const [rows] = await raw.query({ sql: 'SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1', rowsAsArray: true });
  return (rows as Array<[string]>).map((r) => r[0]);
}

async function indexesOf(raw: import('mysql2/promise').Connection, table: string): Promise<string[]> {
  const [rows] = await raw.query({
    sql: 'SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? ORDER BY 1',
    values: [table],
    rowsAsArray: true,
  });
  return (rows as Array<[string]>).map((r) => r[0]);
}

describeWithServer('MySQLOnlineStore: update and teardown', () => {
  it('is idempotent: applying again never fails ("Duplicate key name") and keeps the data', async () => {
    const f = await setup('upd_idem');
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, t0)]);
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.update(f.config, [], [view], [], [], true);
    // a second store instance (another process, in effect) too
    const { MySQLOnlineStore } = await import('../src/index.js');
    const other = new MySQLOnlineStore();
    try {
      await other.update(f.config, [], [view], [], [], false);
    } finally {
      await other.close();
    }
    expect(await indexesOf(f.raw, table)).toEqual(['PRIMARY', `${table}_ek`]);
    expect((await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]![1]).not.toBeNull();
  });

  it('adds the index to a table that lacks it, and leaves alone a table that has it', async () => {
    const f = await setup('upd_index');
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    await f.raw.query(`ALTER TABLE \`${table}\` DROP INDEX \`${table}_ek\``);
    expect(await indexesOf(f.raw, table)).toEqual(['PRIMARY']);
    await f.store.update(f.config, [], [view], [], [], false);
    expect(await indexesOf(f.raw, table)).toEqual(['PRIMARY', `${table}_ek`]);
  });

  it('creates many views at once, drops deleted views, and teardown drops the rest', async () => {
    const f = await setup('upd_many');
    const a = driverStats('view_a');
    const b = driverStats('view_b');
    const c = driverStats('view_c');
    const name = (v: typeof a) => onlineTableName(f.project, v);
    await f.store.update(f.config, [], [a, b, c], [], [], false);
    expect(await tablesOf(f.raw)).toEqual([name(a), name(b), name(c)].sort());
    await f.store.update(f.config, [b], [a, c], [], [], false);
    expect(await tablesOf(f.raw)).toEqual([name(a), name(c)].sort());
    await f.store.update(f.config, [b], [a, c], [], [], false); // dropping what is gone is fine
    await f.store.teardown(f.config, [a, b, c], []);
    expect(await tablesOf(f.raw)).toEqual([]);
    await f.store.teardown(f.config, [a, b, c], []);
  });

  it('rejects table names MySQL cannot hold (invalid_identifier) before touching the server, and quotes the rest', async () => {
    const f = await setup('upd_ident');
    for (const bad of ['bad`name', 'nul\0name', 'x'.repeat(60)]) {
      const err = await f.store.update(f.config, [], [driverStats(bad)], [], [], false).catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(OnlineStoreError);
      expect((err as OnlineStoreError).kind).toBe('invalid_identifier');
      const readErr = await f.store.onlineRead(f.config, driverStats(bad), [driverKey(1)]).catch((e: unknown) => e);
      expect((readErr as OnlineStoreError).kind).toBe('invalid_identifier');
    }
    expect(await tablesOf(f.raw)).toEqual([]);
    // names that need quoting work end to end
    const odd = driverStats("odd-name with 'quotes', spaces; and DROP");
    await f.store.update(f.config, [], [odd], [], [], false);
    await f.store.onlineWriteBatch(f.config, odd, [driverRow(1, t0)]);
    expect((await f.store.onlineRead(f.config, odd, [driverKey(1)]))[0]![0]).toEqual(t0);
    expect(await tablesOf(f.raw)).toEqual([onlineTableName(f.project, odd)]);
  });
});
