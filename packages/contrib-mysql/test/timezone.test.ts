import { onlineTableName } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { adminConnection } from '../../../tests-universal/mysql-server.js';
import { entityKeyHex } from '../src/index.js';
import { describeWithServer, driverKey, driverRow, driverStats, onCleanup, serverUrl, setup, tableRows } from './helpers.js';

describeWithServer('MySQLOnlineStore: timestamps are UTC whatever the server time zone', () => {
  it("writes and reads the same instants with the server's default time zone at '+05:00'", async () => {
    const admin = await adminConnection(serverUrl!);
    const [[{ tz }]] = (await admin.query('SELECT @@GLOBAL.time_zone AS tz')) as unknown as [[{ tz: string }]];
    await admin.query("SET GLOBAL time_zone = '+05:00'");
    onCleanup(async () => {
      await admin.query('SET GLOBAL time_zone = ?', [tz]);
      await admin.end();
    });

    const f = await setup('tz_global');
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    const event = new Date('2024-03-10T23:30:00Z'); // the next day in '+05:00'
    const created = new Date('2024-03-11T01:02:03.999Z'); // fractions are dropped, never rounded up
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [driverRow(1, event, {}, created)]);

    const probe = await adminConnection(f.url);
    const [[{ session }]] = (await probe.query('SELECT @@SESSION.time_zone AS session')) as unknown as [[{ session: string }]];
    await probe.end();
    expect(session).toBe('+05:00'); // a fresh connection does get the new default...

    const ts = (await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]![0]!;
    expect(ts.toISOString()).toBe('2024-03-10T23:30:00.000Z'); // ...but the store reads the instant it wrote

    // stored as naive UTC, which is what Feast (with a UTC session) writes and reads
    const rows = await tableRows(f.raw, table); // f.raw runs with time_zone '+00:00'
    expect(rows[0]).toMatchObject({ event_ts: '2024-03-10 23:30:00', created_ts: '2024-03-11 01:02:03' });
  });

  it("reads rows written by another client in a '-08:00' session as the instants that client meant", async () => {
    const f = await setup('tz_session');
    const view = driverStats();
    const table = onlineTableName(f.project, view);
    await f.store.update(f.config, [], [view], [], [], false);
    await f.raw.query("SET time_zone = '-08:00'");
    await f.raw.query(
      `INSERT INTO \`${table}\` (entity_key, feature_name, value, event_ts, created_ts) VALUES (?, 'name', X'120161', '2024-07-01 04:00:00', NULL)`,
      [entityKeyHex(driverKey(1))],
    );
    await f.raw.query("SET time_zone = '+00:00'");
    const ts = (await f.store.onlineRead(f.config, view, [driverKey(1)]))[0]![0]!;
    expect(ts.toISOString()).toBe('2024-07-01T12:00:00.000Z');
  });

  it('a write in one store and a read in another agree to the second', async () => {
    const f = await setup('tz_roundtrip');
    const view = driverStats();
    await f.store.update(f.config, [], [view], [], [], false);
    const when = [new Date('1970-01-01T00:00:01Z'), new Date('2038-01-19T03:14:07Z'), new Date('2021-10-31T01:30:00Z')];
    await f.store.onlineWriteBatch(f.config, view, when.map((d, i) => driverRow(i, d)));
    const res = await f.store.onlineRead(f.config, view, when.map((_, i) => driverKey(i)));
    expect(res.map((r) => r[0]!.toISOString())).toEqual(when.map((d) => d.toISOString()));
  });
});
