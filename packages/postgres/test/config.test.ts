import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeastConfigError, type RepoConfig } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { parseStoreConfig, type PostgreSQLOnlineStoreConfig } from '../src/index.js';
import { connectionSettings, tlsOptions } from '../src/pool.js';

const base = { type: 'postgres', host: 'db', database: 'feast', user: 'feast', password: 'pw' };
const config = (onlineStore: Record<string, unknown>, repoPath = '/tmp'): RepoConfig<PostgreSQLOnlineStoreConfig> =>
  ({ project: 'p', registry: 'r', provider: 'local', onlineStore, entityKeySerializationVersion: 3, repoPath }) as unknown as RepoConfig<PostgreSQLOnlineStoreConfig>;

function configError(onlineStore: Record<string, unknown>): FeastConfigError {
  try {
    parseStoreConfig(config(onlineStore));
  } catch (err) {
    expect(err).toBeInstanceOf(FeastConfigError);
    return err as FeastConfigError;
  }
  throw new Error('expected a FeastConfigError');
}

describe('PostgreSQLOnlineStoreConfig', () => {
  it("fills Feast's defaults", () => {
    const parsed = parseStoreConfig(config(base));
    expect(parsed).toMatchObject({ port: 5432, db_schema: 'public', min_conn: 1, max_conn: 10, conn_type: 'singleton', vector_enabled: false, connect_timeout: 10, query_timeout: 60 });
    const s = connectionSettings(parsed, '/tmp');
    // singleton: one connection, as Feast
    expect(s.maxConn).toBe(1);
    expect(connectionSettings(parseStoreConfig(config({ ...base, conn_type: 'pool', max_conn: 4 })), '/tmp').maxConn).toBe(4);
  });

  it("accepts every key of Feast's config, including the vector ones when vector search is off", () => {
    const parsed = parseStoreConfig(
      config({ ...base, port: 6543, db_schema: null, sslmode: 'require', sslkey_path: null, sslcert_path: null, sslrootcert_path: null, min_conn: 2, max_conn: 5, conn_type: 'pool', keepalives_idle: 30, vector_enabled: false, vector_len: 512, similarity: 'cosine' }),
    );
    expect(parsed.db_schema).toBeNull();
  });

  it('requires host, database, user and password, as Feast', () => {
    for (const key of ['host', 'database', 'user', 'password'] as const) {
      const rest: Record<string, unknown> = { ...base };
      delete rest[key];
      expect(configError(rest).message).toContain(`online_store.${key}`);
    }
  });

  it('refuses vector_enabled: true, unknown keys, bad sslmode and min_conn above max_conn', () => {
    expect(configError({ ...base, vector_enabled: true }).message).toMatch(/vector_enabled: true is not supported/);
    expect(configError({ ...base, pool_size: 3 }).message).toContain('pool_size');
    expect(configError({ ...base, sslmode: 'sometimes' }).message).toContain('online_store.sslmode');
    expect(configError({ ...base, conn_type: 'pool', min_conn: 5, max_conn: 2 }).message).toMatch(/min_conn/);
    expect(configError({ ...base, sslkey_path: 'k.pem' }).message).toMatch(/sslcert_path/);
  });
});

describe('sslmode as TLS options', () => {
  const tls = (extra: Record<string, unknown>, repoPath = '/tmp') => tlsOptions(connectionSettings(parseStoreConfig(config({ ...base, ...extra }, repoPath)), repoPath));

  it('no TLS for unset, disable, allow and prefer', () => {
    for (const sslmode of [undefined, 'disable', 'allow', 'prefer']) expect(tls({ sslmode })).toBe(false);
  });

  it('require encrypts without verifying unless a root certificate is given; verify-ca skips the host name; verify-full checks it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feast-ts-pg-tls-'));
    try {
      writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      const require = tls({ sslmode: 'require' }) as { rejectUnauthorized: boolean };
      expect(require.rejectUnauthorized).toBe(false);
      const requireCa = tls({ sslmode: 'require', sslrootcert_path: 'ca.pem' }, dir) as { rejectUnauthorized: boolean; ca: string };
      expect(requireCa.rejectUnauthorized).toBe(true);
      expect(requireCa.ca).toContain('BEGIN CERTIFICATE');
      const verifyCa = tls({ sslmode: 'verify-ca', sslrootcert_path: 'ca.pem' }, dir) as { rejectUnauthorized: boolean; checkServerIdentity?: unknown };
      expect(verifyCa.rejectUnauthorized).toBe(true);
      expect(verifyCa.checkServerIdentity).toBeTypeOf('function');
      const full = tls({ sslmode: 'verify-full' }) as { rejectUnauthorized: boolean; checkServerIdentity?: unknown };
      expect(full.rejectUnauthorized).toBe(true);
      expect(full.checkServerIdentity).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a certificate file that cannot be read is a config error naming the key', () => {
    expect(() => tls({ sslmode: 'verify-full', sslrootcert_path: 'missing.pem' })).toThrow(/online_store\.sslrootcert_path: cannot read/);
  });
});
