import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMySQLTestDatabase,
  formatMySQLUrl,
  mysqlAdminConnection,
  mysqlServerExpected,
  mysqlServerSpec,
  parseMySQLUrl,
  startMySQLServer,
  type MySQLTestServer,
} from '../src/mysql.js';
import { acquireTestServer, startedOrSkip } from '../src/policy.js';
import { checkRestartKeepsData, type SqlProbe } from './restart-check.js';

const mysqlProbe: SqlProbe = {
  async query(url, sql, params) {
    const c = await mysqlAdminConnection(url);
    try {
      return (await c.query({ sql, values: params, rowsAsArray: true }))[0] as unknown[][];
    } finally {
      await c.end();
    }
  },
  createDatabase: createMySQLTestDatabase,
  tableSql: 'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
  databaseSql: 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('parseMySQLUrl / formatMySQLUrl', () => {
  it('split and build a URL, with defaults', () => {
    expect(parseMySQLUrl('mysql://u:p%40ss@10.0.0.1:3307/db')).toEqual({ host: '10.0.0.1', port: 3307, user: 'u', password: 'p@ss', database: 'db' });
    expect(parseMySQLUrl('mariadb://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: undefined });
    expect(formatMySQLUrl({ host: '::1', port: 3306, user: 'r', password: 'a b', database: 'x' })).toBe('mysql://r:a%20b@[::1]:3306/x');
    expect(() => parseMySQLUrl('postgres://x')).toThrow(/Not a mysql/);
  });
});

describe('mysqlServerSpec', () => {
  it('takes FEAST_MYSQL_URL first and starts nothing', async () => {
    vi.stubEnv('FEAST_MYSQL_URL', 'mysql://tester:pw@192.0.2.1:3310/t');
    expect(mysqlServerExpected()).toBe(true);
    const got = await acquireTestServer(mysqlServerSpec);
    expect(got.source).toBe('env');
    expect(got.server).toMatchObject({ host: '192.0.2.1', port: 3310, user: 'tester', password: 'pw' });
    expect(got.server?.description).not.toContain('pw');
  });
});

describe('startMySQLServer', () => {
  let server: MySQLTestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('starts a throwaway server on 127.0.0.1 that survives a restart, with databases of its own', async () => {
    server = startedOrSkip(await startMySQLServer(), 'startMySQLServer');
    if (!server) return; // cannot run without the binary (in CI that throws)
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).not.toBe(3306);
    expect(await checkRestartKeepsData(server, mysqlProbe)).toMatch(/^ts_probe_[0-9a-f]{10}$/);
    await server.stop();
    await expect(mysqlAdminConnection(server.url)).rejects.toThrow();
    server = undefined;
  });
});
