import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { FeatureView, OnlineStoreError, ValueConversionError, onlineTableName, type OnlineWriteRow } from '@feast-ts/core';
import { isCI, startPostgresServer, type PostgresTestServer } from '@feast-ts/test-servers';
import { afterAll, expect, it } from 'vitest';
import { PostgreSQLOnlineStore } from '../src/index.js';
import { TcpCut } from './tcp-cut.js';
import { describeWithServer, driver, driverKey, driverRow, driverStats, onCleanup, repoConfig, serverUrl, setup } from './helpers.js';

const view = driverStats();

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function storeError(p: Promise<unknown>): Promise<OnlineStoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OnlineStoreError);
  return err as OnlineStoreError;
}

function newStore(): PostgreSQLOnlineStore {
  const store = new PostgreSQLOnlineStore();
  onCleanup(() => store.close());
  return store;
}

describeWithServer('PostgreSQLOnlineStore: errors', () => {
  it('unreachable server: kind unreachable, naming the target', async () => {
    const port = await closedPort();
    const config = repoConfig(`postgres://postgres@127.0.0.1:${port}/test`, { connect_timeout: 2 });
    const err = await storeError(newStore().onlineRead(config, view, [driverKey(1)]));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain(`postgres@127.0.0.1:${port}/test`);
    expect(err.code).toBe('STORE_FAILED');
    expect(err.cause).toBeDefined();
  });

  it('unknown role: auth_failed; missing database: database_missing', async () => {
    const auth = await storeError(newStore().onlineRead(repoConfig(serverUrl!, { user: 'feast_ts_no_such_role' }), view, [driverKey(1)]));
    expect(auth.kind).toBe('auth_failed');
    expect(auth.message).toMatch(/online_store\.user/);
    const db = await storeError(newStore().onlineRead(repoConfig(serverUrl!, { database: 'feast_ts_no_such_db' }), view, [driverKey(1)]));
    expect(db.kind).toBe('database_missing');
    expect(db.message).toMatch(/CREATE DATABASE/);
  });

  it('a user who may not create the schema: auth_failed, naming the schema', async () => {
    const f = await setup();
    const role = `feast_ts_nopriv_${f.database.slice(-10)}`;
    await f.raw.query(`CREATE ROLE "${role}" LOGIN`);
    onCleanup(async () => {
      await f.raw.query(`DROP ROLE IF EXISTS "${role}"`);
    });
    const store = newStore();
    const err = await storeError(store.update(f.configWith({ user: role, db_schema: 'not_allowed' }), [], [view], [], [], false));
    // the role must be dropped after its connections are gone
    await store.close();
    expect(err.kind).toBe('auth_failed');
    expect(err.message).toContain('schema "not_allowed"');
    expect(err.message).toMatch(/grant/);
  });

  it('table not applied: table_missing for reads and writes, telling to apply', async () => {
    const f = await setup();
    const read = await storeError(f.store.onlineRead(f.config, view, [driverKey(1)]));
    expect(read.kind).toBe('table_missing');
    expect(read.message).toMatch(/apply/);
    const write = await storeError(f.store.onlineWriteBatch(f.config, view, [driverRow(1, new Date())]));
    expect(write.kind).toBe('table_missing');
    expect(write.message).toContain(onlineTableName(f.project, view));
  });

  it('names PostgreSQL would truncate are refused, naming the table', async () => {
    const f = await setup();
    const long = new FeatureView({ name: 'v'.repeat(60), entities: [driver], schema: [...driverStats().schema] });
    const err = await storeError(f.store.update(f.config, [], [long], [], [], false));
    expect(err.kind).toBe('invalid_identifier');
    expect(err.message).toContain(onlineTableName(f.project, long));
    expect(err.message).toMatch(/63 bytes/);
  });

  it('a key too long for the primary key index: value_too_large, and nothing of the call is written', async () => {
    const f = await setup();
    await f.store.update(f.config, [], [view], [], [], false);
    // Random bytes do not compress, so the key stays larger than a B-tree entry may be.
    const huge: OnlineWriteRow = [{ joinKeys: ['driver_id'], entityValues: [{ bytesVal: randomBytes(8000) }] }, { name: { stringVal: 'x' } }, new Date(), null];
    const err = await storeError(f.store.onlineWriteBatch(f.config, view, [driverRow(1, new Date()), huge]));
    expect(err.kind).toBe('value_too_large');
    expect(err.message).toMatch(/Nothing of this call was written/);
    expect(await f.store.onlineRead(f.config, view, [driverKey(1)])).toEqual([[null, null]]);
  });

  it('a bad value fails before anything is sent, naming row and feature', async () => {
    const f = await setup();
    await f.store.update(f.config, [], [view], [], [], false);
    const bad = driverRow(2, new Date(), { avg_daily_trips: { int32Val: 1.5 } });
    const err = await f.store.onlineWriteBatch(f.config, view, [driverRow(1, new Date()), bad]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValueConversionError);
    expect((err as Error).message).toMatch(/Row 1 written to feature view "driver_hourly_stats", feature "avg_daily_trips"/);
    const nul = await f.store.onlineWriteBatch(f.config, view, [driverRow(3, new Date(), { 'bad\0name': { stringVal: 'x' } })]).catch((e: unknown) => e);
    expect(nul).toBeInstanceOf(ValueConversionError);
    expect((nul as Error).message).toMatch(/NUL character/);
    expect(await f.store.onlineRead(f.config, view, [driverKey(1), driverKey(3)])).toEqual([[null, null], [null, null]]);
  });

  it('a statement past query_timeout: timeout; waiting past connect_timeout for the only connection: timeout', async () => {
    const f = await setup('feast_ts_pg', { query_timeout: 3, connect_timeout: 1 });
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, new Date())]);
    // Hold the row's lock in another session: the store's upsert waits on it.
    await f.raw.query('BEGIN');
    await f.raw.query(`SELECT 1 FROM "${f.schema}"."${onlineTableName(f.project, view)}" FOR UPDATE`);
    try {
      const blocked = storeError(f.store.onlineWriteBatch(f.config, view, [driverRow(1, new Date())]));
      // conn_type singleton: the blocked write holds the one connection, so a read waits for it.
      await new Promise((r) => setTimeout(r, 100));
      const waiting = await storeError(f.store.onlineRead(f.config, view, [driverKey(1)]));
      expect(waiting.kind).toBe('timeout');
      expect(waiting.message).toMatch(/connect_timeout/);
      const write = await blocked;
      expect(write.kind).toBe('timeout');
      expect(write.message).toMatch(/query_timeout \(3 s\)/);
    } finally {
      await f.raw.query('ROLLBACK');
    }
    // the store still works afterwards
    expect((await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]![1]).not.toBeNull();
  });
});

describeWithServer('PostgreSQLOnlineStore: a pooled connection that died unnoticed', () => {
  it('is replaced and the call runs again: reads always, writes before their transaction began', async () => {
    const f = await setup();
    await f.store.update(f.config, [], [view], [], [], false);
    const relay = await TcpCut.start(new URL(f.url).port ? Number(new URL(f.url).port) : 5432);
    onCleanup(() => relay.stop());
    const store = newStore();
    const config = f.configWith({ host: '127.0.0.1', port: relay.port });
    await store.onlineWriteBatch(config, view, [driverRow(1, new Date('2024-01-01T00:00:00Z'))]);
    expect(relay.accepted).toBe(1);

    relay.cutIdle();
    expect((await store.onlineRead(config, view, [driverKey(1)]))[0]![0]).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(relay.accepted).toBe(2);

    relay.cutIdle();
    await store.onlineWriteBatch(config, view, [driverRow(1, new Date('2024-01-02T00:00:00Z'))]);
    expect(relay.accepted).toBe(3);
    expect((await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]![0]).toEqual(new Date('2024-01-02T00:00:00Z'));
  });
});

describeWithServer('PostgreSQLOnlineStore: recovery after a server restart (throwaway cluster)', () => {
  let server: PostgresTestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('reads and writes again after the server restarts between calls; unreachable while it is down', async () => {
    const started = await startPostgresServer();
    if (typeof started === 'string') {
      if (isCI()) throw new Error(`the recovery test needs local PostgreSQL binaries: ${started}`);
      console.warn(`SKIPPED recovery test: ${started}`);
      return;
    }
    server = started;
    const store = newStore();
    const config = repoConfig(server.url, { conn_type: 'pool', max_conn: 3, connect_timeout: 3 });
    await store.update(config, [], [view], [], [], false);
    await store.onlineWriteBatch(config, view, [driverRow(1, new Date('2024-01-01T00:00:00Z'))]);
    expect((await store.onlineRead(config, view, [driverKey(1)]))[0]![0]).toEqual(new Date('2024-01-01T00:00:00Z'));

    await server.restart!();
    expect((await store.onlineRead(config, view, [driverKey(1)]))[0]![0]).toEqual(new Date('2024-01-01T00:00:00Z'));
    await server.restart!();
    await store.onlineWriteBatch(config, view, [driverRow(1, new Date('2024-01-02T00:00:00Z'))]);
    expect((await store.onlineRead(config, view, [driverKey(1)]))[0]![0]).toEqual(new Date('2024-01-02T00:00:00Z'));

    await server.halt!();
    const down = await storeError(store.onlineRead(config, view, [driverKey(1)]));
    expect(['unreachable', 'connection_lost']).toContain(down.kind);
    await server.start!();
    expect((await store.onlineRead(config, view, [driverKey(1)]))[0]![0]).toEqual(new Date('2024-01-02T00:00:00Z'));
  });
});
