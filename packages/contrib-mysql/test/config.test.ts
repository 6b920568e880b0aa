import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeastConfigError, loadRepoConfig, type RepoConfig } from '@feast-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MySQLOnlineStoreConfig, parseStoreConfig, type MySQLOnlineStoreConfig as Config } from '../src/index.js';

function parse(section: Record<string, unknown>) {
  return MySQLOnlineStoreConfig.parse({ type: 'mysql', ...section });
}

function errorOf(section: Record<string, unknown>): FeastConfigError {
  const config = { project: 'p', registry: 'r', provider: 'local', onlineStore: { type: 'mysql', ...section }, entityKeySerializationVersion: 3, repoPath: '/tmp', configFile: '/repo/feature_store.yaml' } as RepoConfig<Config>;
  try {
    parseStoreConfig(config);
  } catch (err) {
    expect(err).toBeInstanceOf(FeastConfigError);
    return err as FeastConfigError;
  }
  throw new Error('expected a config error');
}

describe('MySQLOnlineStoreConfig', () => {
  it('fills in the documented defaults', () => {
    expect(MySQLOnlineStoreConfig.parse({})).toEqual({
      type: 'mysql',
      host: 'localhost',
      port: 3306,
      user: 'test',
      password: 'test',
      database: 'feast',
      pool_size: 10,
      connect_timeout: 10,
      query_timeout: 30,
      acquire_timeout: 10,
      write_chunk_size: 1000,
    });
  });

  it('takes host, port, user, password and database from url, percent-decoded', () => {
    const c = parse({ url: 'mysql://fe%40st:p%3Ass%2Fw@db.example:3307/feature%20store' });
    expect(c).toMatchObject({ host: 'db.example', port: 3307, user: 'fe@st', password: 'p:ss/w', database: 'feature store' });
    expect(parse({ url: 'mariadb://[::1]/x' })).toMatchObject({ host: '::1', port: 3306, database: 'x' });
  });

  it('lets keys fill in what the url leaves out, and agree with what it says', () => {
    expect(parse({ url: 'mysql://feast@db:3306/feast', password: 's3cret' })).toMatchObject({ user: 'feast', password: 's3cret' });
    expect(parse({ url: 'mysql://feast@db:3306/feast', host: 'db', user: 'feast' })).toMatchObject({ host: 'db' });
    // parsing the parsed output again is a no-op (the store re-validates what core parsed)
    const once = parse({ url: 'mysql://feast:pw@db:3306/feast' });
    expect(MySQLOnlineStoreConfig.parse(once)).toEqual(once);
  });

  it('rejects url together with a different host, user or database, naming the key', () => {
    expect(errorOf({ url: 'mysql://feast@db:3306/feast', host: 'other' }).keyPath).toBe('online_store.host');
    expect(errorOf({ url: 'mysql://feast@db:3306/feast', user: 'root' }).message).toMatch(/online_store\.user: user "root" conflicts with the user in url "feast"/);
    expect(errorOf({ url: 'mysql://feast@db:3306/feast', port: 3307 }).keyPath).toBe('online_store.port');
    const pw = errorOf({ url: 'mysql://feast:one@db/feast', password: 'two' });
    expect(pw.keyPath).toBe('online_store.password');
    expect(pw.message).not.toMatch(/one|two/); // passwords never appear in messages
  });

  it('rejects a malformed url and says how to write it', () => {
    expect(errorOf({ url: 'postgres://x@y/z' }).message).toMatch(/online_store\.url: url has scheme "postgres:"; use mysql:\/\//);
    expect(errorOf({ url: 'not a url' }).message).toMatch(/mysql:\/\/user:password@host:3306\/database/);
    expect(errorOf({ url: 'mysql://h/db?ssl=true' }).message).toMatch(/query string/);
  });

  it('names an unknown key (for example a misspelling)', () => {
    const err = errorOf({ hostname: 'db' });
    expect(err.keyPath).toBe('online_store.hostname');
    expect(err.message).toMatch(/\/repo\/feature_store\.yaml: online_store\.hostname: unknown key "hostname"/);
    expect(errorOf({ ssl: { ca: 'x', verify: true } }).keyPath).toBe('online_store.ssl.verify');
  });

  it('validates types and ranges', () => {
    expect(errorOf({ port: 70000 }).keyPath).toBe('online_store.port');
    expect(errorOf({ port: '3306' }).keyPath).toBe('online_store.port');
    expect(errorOf({ pool_size: 0 }).keyPath).toBe('online_store.pool_size');
    expect(errorOf({ connect_timeout: 0 }).keyPath).toBe('online_store.connect_timeout');
    expect(errorOf({ write_chunk_size: 20_000 }).keyPath).toBe('online_store.write_chunk_size');
  });

  it('accepts ssl as true or an object, connect_timeout in (fractional) seconds, and Feast\'s batch keys', () => {
    expect(parse({ ssl: true }).ssl).toBe(true);
    expect(parse({ ssl: { ca: 'certs/ca.pem' } }).ssl).toEqual({ ca: 'certs/ca.pem', reject_unauthorized: true });
    expect(parse({ connect_timeout: 0.5 }).connect_timeout).toBe(0.5);
    expect(parse({ batch_write: true, batch_size: 50 })).toMatchObject({ batch_write: true, write_chunk_size: 50 });
    expect(parse({ batch_size: 50, write_chunk_size: 70 }).write_chunk_size).toBe(70);
  });

  describe('through feature_store.yaml', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    function repo(yaml: string): string {
      dir = mkdtempSync(path.join(tmpdir(), 'feast-ts-mysql-cfg-'));
      writeFileSync(path.join(dir, 'feature_store.yaml'), yaml);
      return dir;
    }

    it('`type: mysql` resolves to this package, ${VAR} expands, defaults are filled in', async () => {
      const repoPath = repo('project: p\nonline_store:\n  type: mysql\n  url: mysql://feast@db:3306/feast\n  password: ${MYSQL_PW}\n');
      const config = await loadRepoConfig(repoPath, { env: { MYSQL_PW: 'pw' }, resolveFrom: [import.meta.url] });
      expect(config.onlineStore).toMatchObject({ type: 'mysql', host: 'db', user: 'feast', password: 'pw', database: 'feast', pool_size: 10 });
    });

    it.each([
      'mysql',
      'feast.infra.online_stores.mysql_online_store.mysql.MySQLOnlineStore',
      'feast.infra.online_stores.contrib.mysql_online_store.mysql.MySQLOnlineStore',
    ])("Feast's section as Feast writes it loads with type %s: port from $VAR is a number, null means the default", async (type) => {
      const repoPath = repo(
        `project: p\nonline_store:\n  type: ${type}\n  host: $MYSQL_HOST\n  port: \${MYSQL_PORT}\n  user: feast\n  password: null\n  database:\n  batch_write: false\n  batch_size: 100\n`,
      );
      const config = await loadRepoConfig(repoPath, { env: { MYSQL_HOST: 'db.internal', MYSQL_PORT: '3307' }, resolveFrom: [import.meta.url] });
      expect(config.onlineStore).toMatchObject({ type, host: 'db.internal', port: 3307, user: 'feast', password: 'test', database: 'feast', write_chunk_size: 100 });
    });

    it('an unset variable in the section is an error naming it', async () => {
      const repoPath = repo('project: p\nonline_store:\n  type: mysql\n  port: ${MYSQL_PORT}\n');
      await expect(loadRepoConfig(repoPath, { env: {}, resolveFrom: [import.meta.url] })).rejects.toThrow(
        /feature_store\.yaml: online_store\.port uses \$\{MYSQL_PORT\}, but the environment variable MYSQL_PORT is not set/,
      );
    });

    it('an unknown key is an error that names the file and the key', async () => {
      const repoPath = repo('project: p\nonline_store:\n  type: mysql\n  passwrd: x\n');
      await expect(loadRepoConfig(repoPath, { resolveFrom: [import.meta.url] })).rejects.toThrow(/feature_store\.yaml: online_store\.passwrd: unknown key "passwrd"/);
    });
  });
});
