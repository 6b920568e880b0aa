import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, parsePostgresUrl, startPostgresServer, type PostgresTestServer } from '../src/postgres.js';
import { startedOrSkip } from '../src/policy.js';
import { checkRestartKeepsData, type SqlProbe } from './restart-check.js';

const postgresProbe: SqlProbe = {
  async query(url, sql, params) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query({ text: sql, values: params, rowMode: 'array' })).rows as unknown[][];
    } finally {
      await c.end();
    }
  },
  createDatabase: createTestDatabase,
  tableSql: 'SELECT 1 FROM pg_tables WHERE tablename = $1',
  databaseSql: 'SELECT 1 FROM pg_database WHERE datname = $1',
};

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
    server = startedOrSkip(await startPostgresServer(), 'startPostgresServer');
    if (!server) return; // cannot run without the binaries (in CI that throws)
    expect(server.host).toBe('127.0.0.1');
    await checkRestartKeepsData(server, postgresProbe);
  });
});
