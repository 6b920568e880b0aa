import { describe, expect, it } from 'vitest';
import { parseMySQLUrl } from '../src/mysql.js';
import { parsePostgresUrl } from '../src/postgres.js';
import { urlServer } from '../src/server-url.js';

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

describe('urlServer', () => {
  it('is the URL and its parts, says where it came from without the password, and stops nothing', async () => {
    const url = 'postgres://u:secret@db.example:6543/x';
    const s = urlServer(url, parsePostgresUrl(url), 'PostgreSQL', 'FEAST_POSTGRES_URL');
    expect(s).toMatchObject({ url, host: 'db.example', port: 6543, user: 'u', password: 'secret', database: 'x' });
    expect(s.description).toBe('PostgreSQL from FEAST_POSTGRES_URL (u@db.example:6543)');
    await expect(s.stop()).resolves.toBeUndefined();
  });
});
