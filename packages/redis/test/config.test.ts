import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeastConfigError, loadRepoConfig, type RepoConfig } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { connectionParams } from '../src/client-options.js';
import { resolveRedisConfig, redactConnectionString, RedisOnlineStoreConfig } from '../src/config.js';
import { parseConnectionString } from '../src/connection-string.js';

const repo = (onlineStore: Record<string, unknown>): RepoConfig => ({
  project: 'p',
  registry: '/tmp/r',
  provider: 'local',
  onlineStore: onlineStore as unknown as RepoConfig['onlineStore'],
  entityKeySerializationVersion: 3,
  repoPath: '/tmp',
});

describe('parseConnectionString (Feast: nodes first, then key=value read as JSON when it parses)', () => {
  it('splits nodes and parameters', () => {
    expect(parseConnectionString('redis1:6379,redis2:7000,db=3,ssl=true,password=s3cr=t,client_name="x"')).toEqual({
      nodes: [
        { host: 'redis1', port: 6379 },
        { host: 'redis2', port: 7000 },
      ],
      params: { db: 3, ssl: true, password: 's3cr=t', client_name: 'x' },
    });
    expect(parseConnectionString('localhost').nodes).toEqual([{ host: 'localhost', port: 6379 }]);
    expect(parseConnectionString('[::1]:6380').nodes).toEqual([{ host: '::1', port: 6380 }]);
  });

  it('rejects a string without a node, or with a bad port', () => {
    expect(() => parseConnectionString('db=0')).toThrow(/names no host:port/);
    expect(() => parseConnectionString('localhost:63a9')).toThrow(/not a port number/);
    expect(() => parseConnectionString('localhost:70000')).toThrow(/not a port number/);
  });
});

describe('connection parameters', () => {
  it('maps redis-py keywords to client options', () => {
    const p = connectionParams({ db: 2, username: 'u', password: 'pw', socket_timeout: 1.5, socket_connect_timeout: 2, client_name: 'feast', skip_full_coverage_check: true });
    expect(p).toMatchObject({ db: 2, username: 'u', password: 'pw', commandTimeout: 1500, connectTimeout: 2000, connectionName: 'feast', tls: undefined });
    expect(connectionParams({ ssl: true, ssl_cert_reqs: 'none' }).tls).toEqual({ rejectUnauthorized: false });
    expect(connectionParams({}).connectTimeout).toBe(5000);
  });

  it('names an unknown or bad parameter', () => {
    expect(() => connectionParams({ dbb: 1 })).toThrow(/unknown parameter "dbb"/);
    expect(() => connectionParams({ db: -1 })).toThrow(/db=-1 must be a database index/);
    expect(() => connectionParams({ ssl: 'maybe' })).toThrow(/ssl=maybe must be true or false/);
    expect(() => connectionParams({ ssl_ca_certs: 'ca.pem' })).toThrow(/ssl_ca_certs needs ssl=true/);
  });
});

describe('RedisOnlineStoreConfig', () => {
  it("has Feast's defaults", () => {
    expect(RedisOnlineStoreConfig.parse({ type: 'redis' })).toEqual({
      type: 'redis',
      redis_type: 'redis',
      sentinel_master: 'mymaster',
      connection_string: 'localhost:6379',
      full_scan_for_deletion: true,
      skip_dedup: false,
    });
  });

  it('fails on a bad connection string with a FeastConfigError naming the key, without the password', () => {
    let err: unknown;
    try {
      resolveRedisConfig(repo({ type: 'redis', connection_string: 'localhost:6379,password=hunter2,dbb=1' }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FeastConfigError);
    expect((err as FeastConfigError).keyPath).toBe('online_store.connection_string');
    expect((err as Error).message).toMatch(/unknown parameter "dbb"/);
    expect((err as Error).message).not.toContain('hunter2');
    expect(() => resolveRedisConfig(repo({ type: 'redis', redis_type: 'redis_cluster', connection_string: 'a:1,db=2' }))).toThrow(/a Redis Cluster has only database 0/);
    expect(() => resolveRedisConfig(repo({ type: 'redis', redis_type: 'cluster' }))).toThrow(expect.objectContaining({ keyPath: 'online_store.redis_type' }));
    expect(() => resolveRedisConfig(repo({ type: 'redis', key_ttl: 5 }))).toThrow(/unknown key "key_ttl"/);
  });

  it('reads ssl_ca_certs relative to the feature repo, and says which file is missing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feast-redis-cfg-'));
    writeFileSync(path.join(dir, 'ca.pem'), 'PEM');
    const ok = resolveRedisConfig({ ...repo({ type: 'redis', connection_string: 'h:1,ssl=true,ssl_ca_certs=ca.pem' }), repoPath: dir });
    expect(String(ok.params.tls?.ca)).toBe('PEM');
    expect(() => resolveRedisConfig({ ...repo({ type: 'redis', connection_string: 'h:1,ssl=true,ssl_ca_certs=nope.pem' }), repoPath: dir })).toThrow(/cannot read .*nope\.pem \(ENOENT\)/);
  });

  it('loads from feature_store.yaml with ${VAR} expansion', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feast-redis-yaml-'));
    process.env.FEAST_TS_REDIS_TEST_PW = 'pw1';
    writeFileSync(
      path.join(dir, 'feature_store.yaml'),
      `project: p\nregistry: data/registry.db\nprovider: local\nonline_store:\n  type: ${new URL('../src/index.ts', import.meta.url).pathname}#RedisOnlineStore\n  redis_type: redis_sentinel\n  sentinel_master: m1\n  connection_string: "s1:26379,s2:26379,password=\${FEAST_TS_REDIS_TEST_PW}"\n  key_ttl_seconds: 60\n`,
    );
    const config = await loadRepoConfig(dir);
    const resolved = resolveRedisConfig(config);
    expect(resolved.config).toMatchObject({ redis_type: 'redis_sentinel', sentinel_master: 'm1', key_ttl_seconds: 60 });
    expect(resolved.nodes).toHaveLength(2);
    expect(resolved.params.password).toBe('pw1');
  });

  it('hides passwords in messages', () => {
    expect(redactConnectionString('h:1,password=x,db=0,sentinel_kwargs={"password":"y"}')).toBe('h:1,password=***,db=0,sentinel_kwargs=***');
  });
});
