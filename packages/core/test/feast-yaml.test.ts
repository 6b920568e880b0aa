import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRepo, OnlineStoreNotSupportedError, type LoadedRepo } from '../src/index.js';
import { fixture } from './helpers.js';

/**
 * Every feature_store.yaml of Feast's templates (and four of its examples), as
 * copied in test/fixtures/feast-yaml (see SOURCES.md there). Each one either
 * loads, or is refused with the "no adapter yet" error.
 *
 * Our store packages are stood in for by stubs that accept any section, so this
 * test checks what core decides (which store, which keys are kept, what is
 * refused); the sqlite and contrib-mysql packages check their own schemas on
 * the same files.
 */

const STORES = {
  '@feast-ts/sqlite': 'SqliteOnlineStore',
  '@feast-ts/contrib-mysql': 'MySQLOnlineStore',
  '@feast-ts/redis': 'RedisOnlineStore',
  '@feast-ts/postgres': 'PostgreSQLOnlineStore',
} as const;
type StorePackage = keyof typeof STORES;

let stubs: string;

beforeAll(async () => {
  stubs = await mkdtemp(path.join(os.tmpdir(), 'feast-yaml-stubs-'));
  for (const [pkg, cls] of Object.entries(STORES)) {
    const dir = path.join(stubs, 'node_modules', pkg);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: pkg, type: 'module', exports: './index.js' }));
    await writeFile(
      path.join(dir, 'index.js'),
      `export class ${cls} { async update() {} async teardown() {} async onlineWriteBatch() {} async onlineRead() { return []; } async close() {} }\n` +
        `export const ${cls}Config = { safeParse: (v) => ({ success: true, data: { ...v } }) };\n`,
    );
  }
});

/** `feast init` answers: what each template's bootstrap.py puts in place of its placeholders. */
const INIT: Record<string, Record<string, string>> = {
  'templates-postgres.yaml': {
    DB_HOST: 'localhost',
    DB_PORT: '5432',
    DB_NAME: 'postgres',
    DB_SCHEMA: 'public',
    DB_USERNAME: 'feast',
    DB_PASSWORD: 'feast-pw',
  },
  'templates-aws.yaml': {
    '%AWS_REGION%': 'us-west-2',
    '%REDSHIFT_CLUSTER_ID%': 'my-cluster',
    '%REDSHIFT_DATABASE%': 'dev',
    '%REDSHIFT_USER%': 'admin',
    '%REDSHIFT_S3_STAGING_LOCATION%': 's3://bucket/staging',
    '%REDSHIFT_IAM_ROLE%': 'arn:aws:iam::123456789012:role/s3',
  },
};

async function repoFrom(name: string, edit: (text: string) => string = (t) => t): Promise<string> {
  let text = await readFile(fixture(`feast-yaml/${name}`), 'utf8');
  for (const [placeholder, value] of Object.entries(INIT[name] ?? {})) text = text.replaceAll(placeholder, value);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'feast-yaml-'));
  await writeFile(path.join(dir, 'feature_store.yaml'), edit(text));
  return dir;
}

const load = async (dir: string, env: NodeJS.ProcessEnv = {}): Promise<LoadedRepo> => loadRepo(dir, { env, resolveFrom: [stubs] });

type Outcome =
  | { store: StorePackage; check?: (loaded: LoadedRepo, dir: string) => void }
  | { noAdapter: string };

const cases: Record<string, Outcome> = {
  'templates-local.yaml': {
    store: '@feast-ts/sqlite',
    check: ({ config }, dir) => {
      expect(config.registry).toBe(path.join(dir, 'data/registry.db'));
      expect(config.onlineStore).toEqual({ type: 'sqlite', path: 'data/online_store.db' });
      expect(config.extras).toEqual({ auth: { type: 'no_auth' } });
    },
  },
  'templates-minimal.yaml': {
    store: '@feast-ts/sqlite',
    check: ({ config }) => {
      expect(config.registry).toBe('/path/to/registry.db');
      expect(config.onlineStore).toEqual({ type: 'sqlite', path: '/path/to/online_store.db' });
    },
  },
  'templates-postgres.yaml': {
    store: '@feast-ts/postgres',
    check: ({ config }) => {
      // DB_PORT became 5432 before YAML parsing, so it is a number
      expect(config.onlineStore).toMatchObject({ type: 'postgres', host: 'localhost', port: 5432, db_schema: 'public' });
      expect(config.registryConfig).toMatchObject({
        registryType: 'sql',
        path: 'postgresql://postgres:mysecretpassword@127.0.0.1:55001/feast',
        cacheTtlSeconds: 60,
      });
      expect(config.registryConfig?.options.sqlalchemy_config_kwargs).toEqual({ echo: false, pool_pre_ping: true });
      expect(config.extras?.offline_store).toMatchObject({ type: 'postgres', port: 5432 });
    },
  },
  'templates-aws.yaml': {
    store: '@feast-ts/sqlite',
    check: ({ config }) => {
      expect(config.provider).toBe('aws');
      expect(config.extras?.offline_store).toMatchObject({ type: 'redshift', region: 'us-west-2' });
    },
  },
  'templates-gcp.yaml': { store: '@feast-ts/sqlite', check: ({ config }) => expect(config.provider).toBe('gcp') },
  'templates-athena.yaml': {
    store: '@feast-ts/sqlite',
    check: ({ config }, dir) => {
      expect(config.registry).toBe(path.join(dir, 'registry.db'));
      // `region: {AWS region}` is a YAML flow mapping: kept as parsed, never validated
      expect(config.extras?.offline_store).toMatchObject({ type: 'athena', region: { 'AWS region': null } });
    },
  },
  'templates-mariadb.yaml': {
    store: '@feast-ts/sqlite',
    check: ({ config }) => {
      expect(config.onlineStore).toEqual({ type: 'sqlite', path: 'data/online_store.db' });
      expect(config.entityKeySerializationVersion).toBe(2);
    },
  },
  'templates-pytorch_nlp.yaml': { store: '@feast-ts/sqlite' },
  'templates-ray.yaml': {
    store: '@feast-ts/sqlite',
    check: ({ config }) => expect(config.extras?.batch_engine).toMatchObject({ type: 'ray.engine', window_size_for_joins: '1H' }),
  },
  'templates-spark.yaml': {
    store: '@feast-ts/sqlite',
    check: ({ config }) => expect(config.extras?.offline_store).toMatchObject({ spark_conf: { 'spark.master': 'local[*]' } }),
  },
  // vector_enabled: true is refused by the real SQLite schema (see packages/sqlite/test/feast-yaml.test.ts)
  'templates-recommendation.yaml': { store: '@feast-ts/sqlite' },
  'templates-cassandra.yaml': { noAdapter: 'Apache Cassandra' },
  'templates-couchbase.yaml': { noAdapter: 'Couchbase' },
  'templates-hazelcast.yaml': { noAdapter: 'Hazelcast' },
  'templates-hbase.yaml': { noAdapter: 'Apache HBase' },
  'templates-milvus.yaml': { noAdapter: 'Milvus' },
  'templates-rag.yaml': { noAdapter: 'Milvus' },
  'templates-ray_rag.yaml': { noAdapter: 'Milvus' },
  'templates-rockset.yaml': { noAdapter: 'Rockset' },
  'templates-snowflake.yaml': { noAdapter: 'Snowflake' },
  'examples-redis_vector_search.yaml': {
    store: '@feast-ts/redis',
    check: ({ config }) => expect(config.onlineStore).toMatchObject({ type: 'redis', connection_string: 'localhost:6379' }),
  },
  'examples-rbac-remote-oidc-client.yaml': { noAdapter: 'remote' },
  'examples-rbac-remote-k8s-online.yaml': {
    store: '@feast-ts/postgres',
    check: ({ config }) => {
      expect(config.registryConfig?.registryType).toBe('remote');
      expect(config.extras?.auth).toEqual({ type: 'kubernetes' });
    },
  },
  'examples-openlineage.yaml': {
    store: '@feast-ts/sqlite',
    check: ({ config }) => expect(config.extras?.openlineage).toMatchObject({ enabled: true, namespace: 'feast' }),
  },
};

describe("Feast's own feature_store.yaml files", () => {
  it('covers every fixture in the directory', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(fixture('feast-yaml'))).filter((f) => f.endsWith('.yaml')).sort();
    expect(Object.keys(cases).sort()).toEqual(files);
  });

  for (const [name, outcome] of Object.entries(cases)) {
    if ('store' in outcome) {
      it(`${name} loads, with ${outcome.store}`, async () => {
        const dir = await repoFrom(name);
        const loaded = await load(dir);
        expect(loaded.store.moduleName).toBe(outcome.store);
        expect(loaded.store.exportName).toBe(STORES[outcome.store]);
        expect(loaded.config.project).toMatch(/^[a-z_]+$/);
        outcome.check?.(loaded, dir);
      });
    } else {
      it(`${name} is refused: no adapter for ${outcome.noAdapter} yet`, async () => {
        const err = await load(await repoFrom(name)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OnlineStoreNotSupportedError);
        const message = (err as Error).message;
        expect((err as OnlineStoreNotSupportedError).code).toBe('STORE_NOT_SUPPORTED');
        expect(message).toContain(outcome.noAdapter);
        expect(message).toContain('feast-ts has no adapter for it yet');
        expect(message).toContain('docs/how-to/adding-a-new-online-store.md');
        expect(message).not.toMatch(/npm install|pnpm add/);
      });
    }
  }

  it('the aws template without its `feast init` answers is not YAML (for Feast either) and says where', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'feast-yaml-'));
    await writeFile(path.join(dir, 'feature_store.yaml'), await readFile(fixture('feast-yaml/templates-aws.yaml'), 'utf8'));
    await expect(load(dir)).rejects.toThrow(/feature_store\.yaml: not valid YAML: .*% at line 22, column 17/s);
  });

  it('the rag template with a store we have keeps project_description', async () => {
    const dir = await repoFrom('templates-rag.yaml', (t) => t.replace('type: milvus', 'type: sqlite').replace(/  (vector_enabled|embedding_dim|index_type|metric_type):.*\n/g, ''));
    const { config } = await load(dir);
    expect(config.projectDescription).toBe(
      'This project is a smart City Q&A assistant that gives you accurate, detailed answers about any city instantly.\n',
    );
    expect(config.extras).not.toHaveProperty('project_description');
  });

  it('the oidc client with a store we have loads; its unset variables under auth stay as written', async () => {
    const dir = await repoFrom('examples-rbac-remote-oidc-client.yaml', (t) => t.replace(/online_store:\n  type: remote\n  path: .*\n/, 'online_store:\n  type: sqlite\n'));
    const { config } = await load(dir, { FEAST_USERNAME: 'alice' });
    expect(config.extras?.auth).toMatchObject({
      type: 'oidc',
      client_secret: '${KEYCLOAK_CLIENT_SECRET}',
      username: 'alice',
      password: '${FEAST_PASSWORD}',
    });
  });

  it('the hazelcast template as a store we have: the unset ${SSL_PASSWORD} is an error naming it', async () => {
    const dir = await repoFrom('templates-hazelcast.yaml', (t) => t.replace('type: hazelcast', 'type: postgres'));
    await expect(load(dir)).rejects.toThrow(
      /feature_store\.yaml: online_store\.ssl_password uses \$\{SSL_PASSWORD\}, but the environment variable SSL_PASSWORD is not set/,
    );
    const { config } = await load(dir, { SSL_PASSWORD: 's3cret' });
    expect(config.onlineStore).toMatchObject({ ssl_password: 's3cret' });
  });
});
