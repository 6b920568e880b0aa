import { isFeastError } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { parseSqlAlchemyUrl, redactUrl, sqliteFile, SqlRegistryUrlError } from '../src/index.js';

describe('parseSqlAlchemyUrl', () => {
  it('reads a relative and an absolute SQLite path (three and four slashes)', () => {
    const rel = parseSqlAlchemyUrl('sqlite:///data/registry.db');
    expect(rel).toMatchObject({ dialect: 'sqlite', scheme: 'sqlite', driver: undefined, database: 'data/registry.db', host: undefined });
    expect(sqliteFile(rel, '/repo')).toBe('/repo/data/registry.db');
    const abs = parseSqlAlchemyUrl('sqlite:////var/feast/registry.db');
    expect(abs.database).toBe('/var/feast/registry.db');
    expect(sqliteFile(abs, '/repo')).toBe('/var/feast/registry.db');
    expect(parseSqlAlchemyUrl('sqlite://').database).toBe(':memory:');
    expect(parseSqlAlchemyUrl('sqlite:///:memory:').database).toBe(':memory:');
    expect(sqliteFile(parseSqlAlchemyUrl('sqlite+pysqlite:///:memory:'), '/repo')).toBe(':memory:');
  });

  it('reads a PostgreSQL URL with a driver, percent-decoded credentials and a query', () => {
    const u = parseSqlAlchemyUrl('postgresql+psycopg://feast%40corp:p%40ss%3Aw%2Frd@db.example:6543/registry?sslmode=require&application_name=my+app');
    expect(u).toMatchObject({
      dialect: 'postgresql',
      scheme: 'postgresql',
      driver: 'psycopg',
      username: 'feast@corp',
      password: 'p@ss:w/rd',
      host: 'db.example',
      port: 6543,
      database: 'registry',
      query: { sslmode: 'require', application_name: 'my app' },
    });
    expect(u.redacted).toBe('postgresql+psycopg://feast%40corp:***@db.example:6543/registry?sslmode=require&application_name=my+app');
    expect(parseSqlAlchemyUrl('postgres://u@h/db').dialect).toBe('postgresql');
    expect(parseSqlAlchemyUrl('postgresql://u@[::1]:5432/db').host).toBe('::1');
  });

  it('reads MySQL and MariaDB URLs, with or without a password or port', () => {
    expect(parseSqlAlchemyUrl('mysql+pymysql://root@127.0.0.1:3306/feast')).toMatchObject({
      dialect: 'mysql',
      driver: 'pymysql',
      username: 'root',
      password: undefined,
      port: 3306,
      database: 'feast',
    });
    expect(parseSqlAlchemyUrl('mariadb+mariadbconnector://u:pw@host/feast?charset=utf8mb4')).toMatchObject({
      dialect: 'mysql',
      scheme: 'mariadb',
      password: 'pw',
      port: undefined,
      query: { charset: 'utf8mb4' },
    });
  });

  it('refuses other databases with a typed error that names the key and hides the password', () => {
    for (const url of ['mssql+pyodbc://u:secret@host/db', 'snowflake://u:secret@acct/db', 'oracle://u:secret@h/db']) {
      let err: unknown;
      try {
        parseSqlAlchemyUrl(url);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SqlRegistryUrlError);
      expect(isFeastError(err)).toBe(true);
      expect((err as SqlRegistryUrlError).code).toBe('CONFIG_INVALID');
      expect((err as SqlRegistryUrlError).keyPath).toBe('registry.path');
      expect((err as Error).message).toMatch(/is not supported by @feast-ts\/sql-registry/);
      expect((err as Error).message).not.toContain('secret');
      expect((err as SqlRegistryUrlError).url).not.toContain('secret');
    }
  });

  it('refuses malformed URLs: no scheme, a bad port, a SQLite host, no database, a bad escape', () => {
    const cases: Array<[string, RegExp]> = [
      ['data/registry.db', /is not a SQLAlchemy database URL/],
      ['postgresql://u:pw@host:54x/db', /the port "54x" is not a number/],
      ['postgresql://u:pw@host:99999/db', /the port "99999"/],
      ['sqlite://somehost/registry.db', /a SQLite URL has no host/],
      ['postgresql://u:pw@host:5432', /names no database/],
      ['mysql://u:p%zz@host/db', /password has a malformed percent escape/],
    ];
    for (const [url, message] of cases) {
      expect(() => parseSqlAlchemyUrl(url, 'registry.read_path')).toThrow(message);
      try {
        parseSqlAlchemyUrl(url, 'registry.read_path');
      } catch (err) {
        expect(err).toBeInstanceOf(SqlRegistryUrlError);
        expect((err as SqlRegistryUrlError).keyPath).toBe('registry.read_path');
        expect((err as Error).message).not.toMatch(/:pw@/);
      }
    }
  });

  it('redacts only the password', () => {
    expect(redactUrl('mysql://root:hunter2@h:3306/db')).toBe('mysql://root:***@h:3306/db');
    expect(redactUrl('mysql://root@h:3306/db')).toBe('mysql://root@h:3306/db');
    expect(redactUrl('sqlite:///x.db')).toBe('sqlite:///x.db');
  });
});
