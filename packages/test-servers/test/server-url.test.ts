import { describe, expect, it } from 'vitest';
import { parseMySQLUrl } from '../src/mysql.js';
import { parsePostgresUrl } from '../src/postgres.js';

describe('server URLs', () => {
  it('fills in each server default port and user, and 127.0.0.1 for an empty host', () => {
    expect(parseMySQLUrl('mysql:///test')).toEqual({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' });
    expect(parsePostgresUrl('postgresql://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 5432, user: 'postgres', password: '', database: undefined });
  });

  it('decodes user, password and database, and unwraps an IPv6 host', () => {
    expect(parseMySQLUrl('mariadb://u%40x:p%3Aw@[::1]:3307/d%20b')).toEqual({ host: '::1', port: 3307, user: 'u@x', password: 'p:w', database: 'd b' });
    expect(parsePostgresUrl('postgres://a:b@[::1]:6543/db').host).toBe('::1');
  });

  it('refuses another scheme, naming the URL', () => {
    expect(() => parseMySQLUrl('postgres://x/y')).toThrow('Not a mysql:// URL: postgres://x/y');
    expect(() => parsePostgresUrl('mysql://x/y')).toThrow('Not a postgres:// URL: mysql://x/y');
  });
});
