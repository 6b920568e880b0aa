import { FeastType, FeatureView, Field, onlineTableName } from '@feast-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCI, mysqlAdminConnection, startMySQLServer, type MySQLTestServer } from '@feast-ts/test-servers';
import { entityKeyHex } from '../src/index.js';
import { readShape } from '../src/read.js';
import { describeWithServer, driverKey, driverRow, driverStats, setup } from './helpers.js';

/*
 * Feast's MySQL store writes naive UTC text ('2024-03-10 23:30:00') in a session
 * that keeps the server's time zone, and reads the column back as naive text
 * taken as UTC. On a server at '+05:00' the column's instant is then five hours
 * off, but Feast and feast-ts agree on every row, which is what matters: the
 * tests below play Feast's part with a raw connection in the server's zone.
 */
describe("MySQLOnlineStore on a server whose time zone is '+05:00', as Feast reads and writes it", () => {
  let server: MySQLTestServer | undefined;
  let reason = '';
  beforeAll(async () => {
    const started = await startMySQLServer(['--default-time-zone=+05:00']);
    if (typeof started === 'string') reason = started;
    else server = started;
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  const needServer = (ctx: { skip(): void }): string => {
    if (server) return server.url;
    if (isCI()) throw new Error(`cannot start a throwaway MariaDB/MySQL server at '+05:00' (${reason}); CI is set, so this fails instead of skipping.`);
    console.warn(`[contrib-mysql] '+05:00' time zone tests skipped: cannot start a throwaway server (${reason}).`);
    ctx.skip();
    return '';
  };

  /** A connection as pymysql opens it: no time zone of its own, so the server's. */
  const feastLikeConnection = async (url: string) => {
    const conn = await mysqlAdminConnection(url);
    const [[{ tz }]] = (await conn.query('SELECT @@SESSION.time_zone AS tz')) as unknown as [[{ tz: string }]];
    expect(tz).toBe('+05:00');
    return conn;
  };

  it('reads the rows Feast wrote as the UTC times Feast meant', async (ctx) => {
    const f = await setup('tz_read', {}, needServer(ctx));
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    const feast = await feastLikeConnection(f.url);
    // What Feast's online_write_batch sends for event 2024-03-10T23:30:00Z: to_naive_utc(ts), a naive datetime.
    await feast.query(
      `INSERT INTO \`${table}\` (entity_key, feature_name, value, event_ts, created_ts) VALUES (?, 'name', X'120161', '2024-03-10 23:30:00', '2024-03-11 01:02:03')`,
      [entityKeyHex(driverKey(1))],
    );
    await feast.end();
    const [ts, features] = (await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]!;
    expect(ts?.toISOString()).toBe('2024-03-10T23:30:00.000Z');
    expect(features).toEqual({ name: { stringVal: 'a' } });
  });

  it('one-row-per-entity reads (50 entities x 20 features) give the UTC times Feast meant too', async (ctx) => {
    const f = await setup('tz_grouped', {}, needServer(ctx));
    const view = new FeatureView({ name: 'wide', entities: [driverStats().entities[0]!], schema: Array.from({ length: 20 }, (_, i) => new Field({ name: `f${i}`, dtype: FeastType.String })) });
    expect(readShape(50, 20)).toBe('grouped');
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    const feast = await feastLikeConnection(f.url);
    const rows = Array.from({ length: 50 }, (_, id) => Array.from({ length: 20 }, (_, i) => [entityKeyHex(driverKey(id)), `f${i}`, Buffer.from([0x12, 0x01, 0x61 + (i % 26)]), `2024-03-10 23:${String(id).padStart(2, '0')}:00`]));
    await feast.query(`INSERT INTO \`${table}\` (entity_key, feature_name, value, event_ts) VALUES ?`, [rows.flat()]);
    await feast.end();
    const res = await f.store.onlineRead(f.config, view, Array.from({ length: 50 }, (_, id) => driverKey(id)));
    expect(res.map((r) => r[0]?.toISOString())).toEqual(Array.from({ length: 50 }, (_, id) => `2024-03-10T23:${String(id).padStart(2, '0')}:00.000Z`));
    expect(res[7]![1]!.f3).toEqual({ stringVal: 'd' });
  });

  it('writes rows Feast reads as the UTC times written', async (ctx) => {
    const f = await setup('tz_write', {}, needServer(ctx));
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    const event = new Date('2024-03-10T23:30:00Z'); // the next day in '+05:00'
    const created = new Date('2024-03-11T01:02:03.999Z'); // fractions are dropped, never rounded up
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, event, {}, created)]);
    const feast = await feastLikeConnection(f.url);
    // Feast's online_read: SELECT feature_name, value, event_ts, read back as naive datetimes (UTC to Feast).
    const [rows] = await feast.query(
      `SELECT DATE_FORMAT(event_ts, '%Y-%m-%d %H:%i:%s') AS event_ts, DATE_FORMAT(created_ts, '%Y-%m-%d %H:%i:%s') AS created_ts FROM \`${table}\` WHERE entity_key = ?`,
      [entityKeyHex(driverKey(1))],
    );
    await feast.end();
    expect((rows as Array<{ event_ts: string; created_ts: string }>)[0]).toEqual({ event_ts: '2024-03-10 23:30:00', created_ts: '2024-03-11 01:02:03' });
    expect((await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]![0]!.toISOString()).toBe(event.toISOString());
  });
});

describeWithServer('MySQLOnlineStore timestamps on the run\'s server', () => {
  it('a write in one store and a read in another agree to the second', async () => {
    const f = await setup('tz_roundtrip');
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [], false);
    const when = [new Date('1970-01-01T00:00:01Z'), new Date('2038-01-19T03:14:07Z'), new Date('2021-10-31T01:30:00Z')];
    const [[{ tz }]] = (await f.raw.query('SELECT @@GLOBAL.time_zone AS tz')) as unknown as [[{ tz: string }]];
    // The first and last seconds of TIMESTAMP fit as naive UTC only where the server's zone is UTC.
    const samples = tz === '+00:00' || tz === 'UTC' ? when : when.slice(2);
    await f.store.onlineWriteBatch(f.config, view, samples.map((d, i) => driverRow(i, d)));
    const res = await f.store.onlineRead(f.config, view, samples.map((_, i) => driverKey(i)));
    expect(res.map((r) => r[0]!.toISOString())).toEqual(samples.map((d) => d.toISOString()));
  });
});
