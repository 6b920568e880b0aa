import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, parsePostgresUrl, startPostgresServer, type PostgresTestServer } from '../src/postgres.js';
import { isCI } from '../src/policy.js';

describe('parsePostgresUrl', () => {
  it('splits a URL, with defaults', () => {
    expect(parsePostgresUrl('postgres://u:p%40ss@10.0.0.1:6543/db')).toEqual({ host: '10.0.0.1', port: 6543, user: 'u', password: 'p@ss', database: 'db' });
    expect(parsePostgresUrl('postgresql://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 5432, user: 'postgres', password: '', database: undefined });
    expect(() => parsePostgresUrl('mysql://x')).toThrow(/Not a postgres/);
  });
});

describe('startPostgresServer', () => {
  let server: PostgresTestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('starts a throwaway cluster on 127.0.0.1 that survives a restart, with databases of its own', async () => {
    const started = await startPostgresServer();
    if (typeof started === 'string') {
      // Without the binaries this cannot run; in CI that is a failure.
      if (isCI()) throw new Error(started);
      console.warn(`SKIPPED: ${started}`);
      return;
    }
    server = started;
    expect(server.host).toBe('127.0.0.1');
    const db = await createTestDatabase(server.url, 'ts_probe');
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query('CREATE TABLE t (x int)');
    await c.end();
    await server.restart!();
    const c2 = new pg.Client({ connectionString: db.url });
    await c2.connect();
    const { rows } = await c2.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE tablename = 't'");
    await c2.end();
    expect(rows[0]!.n).toBe('1');
    await db.drop();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});
