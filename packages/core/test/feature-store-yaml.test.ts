import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_WARNING_TYPE,
  FeastConfigError,
  FeatureStore,
  FeatureView,
  Entity,
  Field,
  FeastType,
  ValueType,
  loadRepo,
  loadRepoConfig,
  NoOnlineStore,
  NoOnlineStoreError,
  type LoadRepoConfigOptions,
} from '../src/index.js';
import { fixture, makeRepo, MEMORY } from './helpers.js';

const TYPED = `${fixture('typed-online-store.ts')}#TypedOnlineStore`;

interface Captured {
  code: string | undefined;
  message: string;
}

/** Runs `fn` and returns the config warnings it emitted (process.emitWarning delivers them on a later tick). */
async function warningsOf(fn: () => Promise<unknown>): Promise<Captured[]> {
  const seen: Captured[] = [];
  const listener = (w: Error & { code?: string }): void => {
    if (w.name === CONFIG_WARNING_TYPE) seen.push({ code: w.code, message: w.message });
  };
  process.on('warning', listener);
  try {
    await fn();
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

const configError = async (yaml: string, options: LoadRepoConfigOptions = {}): Promise<FeastConfigError> => {
  const repo = await makeRepo(yaml);
  const err = await loadRepoConfig(repo, options).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(FeastConfigError);
  return err as FeastConfigError;
};

describe('environment expansion over the text, before YAML parsing', () => {
  it('replaces $VAR and ${VAR}; a port becomes a number, a password stays a string', async () => {
    const repo = await makeRepo(`project: $PROJ\nonline_store:\n  type: ${TYPED}\n  host: \${DB_HOST}\n  port: \${DB_PORT}\n  password: \${DB_PW}\n`);
    const config = await loadRepoConfig(repo, { env: { PROJ: 'env_proj', DB_HOST: 'db.internal', DB_PORT: '3306', DB_PW: 's3cret' } });
    expect(config.project).toBe('env_proj');
    expect(config.onlineStore).toMatchObject({ host: 'db.internal', port: 3306, password: 's3cret' });
    // YAML 1.1 (as PyYAML) reads 0123 as an octal number; the schema then refuses it for a string key, so quote it
    const quoted = await makeRepo(`project: p\nonline_store:\n  type: ${TYPED}\n  password: "\${DB_PW}"\n`);
    expect((await loadRepoConfig(quoted, { env: { DB_PW: '0123' } })).onlineStore).toMatchObject({ password: '0123' });
  });

  it('keeps ${VAR:-default}', async () => {
    const repo = await makeRepo(`project: p\nonline_store:\n  type: ${TYPED}\n  port: \${DB_PORT:-5432}\n  host: \${DB_HOST:-localhost}\n`);
    expect((await loadRepoConfig(repo, { env: {} })).onlineStore).toMatchObject({ port: 5432, host: 'localhost' });
    expect((await loadRepoConfig(repo, { env: { DB_PORT: '1' } })).onlineStore).toMatchObject({ port: 1 });
  });

  it('reads YAML 1.1 booleans, as Feast (PyYAML) does', async () => {
    const repo = await makeRepo(`project: p\nonline_store:\n  type: ${TYPED}\n  flag: \${FLAG}\n`);
    expect((await loadRepoConfig(repo, { env: { FLAG: 'yes' } })).onlineStore).toMatchObject({ flag: true });
  });

  it('an unset variable in a section feast-ts uses is an error naming the variable, the file and the key', async () => {
    const err = await configError(`project: p\nonline_store:\n  type: ${TYPED}\n  password: pre-$MISSING_PW\n`, { env: {} });
    expect(err.keyPath).toBe('online_store.password');
    expect(err.file).toMatch(/feature_store\.yaml$/);
    expect(err.message).toBe(
      `${err.file}: online_store.password uses $MISSING_PW, but the environment variable MISSING_PW is not set. Set it, or write \${MISSING_PW:-default} to give a default.`,
    );
    const reg = await configError(`project: p\nregistry:\n  path: \${REG_PATH}\nonline_store:\n  type: ${MEMORY}\n`, { env: {} });
    expect(reg.keyPath).toBe('registry.path');
  });

  it('an unset variable in a section feast-ts ignores, or in a comment, is left as written', async () => {
    const repo = await makeRepo(
      `project: p # owned by $TEAM\nonline_store:\n  type: ${MEMORY}  # see \${DOCS}\noffline_store:\n  type: postgres\n  password: \${PG_PASSWORD}\nbatch_engine:\n  token: $TOKEN\n`,
    );
    const config = await loadRepoConfig(repo, { env: {} });
    expect(config.extras).toEqual({ offline_store: { type: 'postgres', password: '${PG_PASSWORD}' }, batch_engine: { token: '$TOKEN' } });
  });

  it.each([
    ['a line break that would add a key', 'x\nonline_store: evil', /online_store\.password: the value of \$\{PW\} \(environment variable PW\) does not fit in one YAML value/],
    ['" #" that would cut the value short', 'ab #cd', /does not fit in one YAML value/],
    ['a value that starts a comment', '#abc', /does not fit in one YAML value/],
    ['a flow mapping', '{a: 1}', /does not fit in one YAML value/],
  ])('a value with %s cannot change the structure of a section feast-ts uses', async (_what, value, message) => {
    const err = await configError(`project: p\nonline_store:\n  type: ${TYPED}\n  password: \${PW}\n`, { env: { PW: value } });
    expect(err.message).toMatch(message);
  });

  it('a value with ": " is reported as invalid YAML caused by the expansion', async () => {
    const err = await configError(`project: p\nonline_store:\n  type: ${TYPED}\n  password: \${PW}\n`, { env: { PW: 'a: b' } });
    expect(err.message).toMatch(/not valid YAML: .*The file is valid YAML before \$\{PW\} is replaced from the environment/s);
  });

  it('in an ignored section a value still cannot add lines', async () => {
    const err = await configError(`project: p\noffline_store:\n  password: \${PW}\nonline_store:\n  type: ${MEMORY}\n`, {
      env: { PW: 'x\nonline_store: ./evil.js#EvilOnlineStore' },
    });
    expect(err.message).toMatch(/offline_store.*\$\{PW\}.*contains a line break/);
    const ok = await makeRepo(`project: p\noffline_store:\n  password: \${PW}\nonline_store:\n  type: ${MEMORY}\n`);
    // without a line break, an ignored section reads the value as Feast would (here the comment cuts it short)
    expect((await loadRepoConfig(ok, { env: { PW: 'ab #cd' } })).extras).toEqual({ offline_store: { password: 'ab' } });
  });

  it('a line break inside a quoted value is refused (YAML would fold it into a space)', async () => {
    const err = await configError(`project: p\nonline_store:\n  type: ${TYPED}\n  password: "\${PW}"\n`, { env: { PW: 'line1\n    line2' } });
    expect(err.keyPath).toBe('online_store.password');
    expect(err.message).toMatch(/contains a line break, which YAML folds or splits/);
  });

  it('a backslash inside a double-quoted value is refused (YAML would read an escape)', async () => {
    const err = await configError(`project: p\nonline_store:\n  type: ${TYPED}\n  password: "\${PW}"\n`, { env: { PW: 'a\\tb' } });
    expect(err.message).toMatch(/backslash inside a double-quoted value/);
    const repo = await makeRepo(`project: p\nonline_store:\n  type: ${TYPED}\n  password: '\${PW}'\n`);
    expect((await loadRepoConfig(repo, { env: { PW: 'a\\tb' } })).onlineStore).toMatchObject({ password: 'a\\tb' });
  });
});

describe('top-level keys', () => {
  it("accepts every key of Feast's RepoConfig without a warning and keeps the ones feast-ts does not use", async () => {
    const yaml = [
      'project: all_keys',
      'project_description: Every key',
      'provider: local',
      'registry: data/registry.db',
      `online_store:\n  type: ${MEMORY}`,
      'offline_store:\n  type: dask',
      'batch_engine: local',
      'batch_engine_config: local',
      'feature_server:\n  type: local\n  enabled: true',
      'auth:\n  type: no_auth',
      'flags:\n  alpha_features: true',
      'coerce_tz_aware: true',
      'materialization:\n  pull_latest_features: false',
      'openlineage:\n  enabled: false',
      'mlflow:\n  enabled: false',
      'repo_path: .',
      'entity_key_serialization_version: 3',
    ].join('\n');
    const repo = await makeRepo(`${yaml}\n`);
    let config: Awaited<ReturnType<typeof loadRepoConfig>> | undefined;
    const warnings = await warningsOf(async () => {
      config = await loadRepoConfig(repo, { env: {} });
    });
    expect(warnings).toEqual([]);
    expect(config!.projectDescription).toBe('Every key');
    expect(Object.keys(config!.extras!).sort()).toEqual(
      ['auth', 'batch_engine', 'batch_engine_config', 'coerce_tz_aware', 'feature_server', 'flags', 'materialization', 'mlflow', 'offline_store', 'openlineage', 'repo_path'],
    );
  });

  it('an unknown key is a warning (once per key per process) with a did-you-mean, and is kept', async () => {
    const repo = await makeRepo(`project: p\nonline_store:\n  type: ${MEMORY}\nentity_key_serialisation_versoin: 3\nzz_custom_key_9: 1\n`);
    let extras: unknown;
    const first = await warningsOf(async () => {
      extras = (await loadRepoConfig(repo)).extras;
    });
    expect(first).toEqual([
      {
        code: 'FEAST_TS_UNKNOWN_CONFIG_KEY',
        message: `${path.join(repo, 'feature_store.yaml')}: "entity_key_serialisation_versoin" is not a key of Feast's feature_store.yaml; it is kept (RepoConfig.extras) and ignored. Did you mean "entity_key_serialization_version"?`,
      },
      {
        code: 'FEAST_TS_UNKNOWN_CONFIG_KEY',
        message: `${path.join(repo, 'feature_store.yaml')}: "zz_custom_key_9" is not a key of Feast's feature_store.yaml; it is kept (RepoConfig.extras) and ignored.`,
      },
    ]);
    expect(extras).toEqual({ entity_key_serialisation_versoin: 3, zz_custom_key_9: 1 });
    expect(await warningsOf(() => loadRepoConfig(repo))).toEqual([]);
  });

  it('suggests online_store for a near miss', async () => {
    const repo = await makeRepo(`project: p\nonline_stor:\n  type: x\n`);
    const warnings = await warningsOf(() => loadRepo(repo).catch(() => undefined));
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/"online_stor" is not a key .* Did you mean "online_store"\?$/)]);
  });

  it('a repeated key is a warning and the last one wins, as in PyYAML', async () => {
    const repo = await makeRepo(`project: first\nproject: dup_last_wins\nonline_store:\n  type: ${MEMORY}\n`);
    let project = '';
    const warnings = await warningsOf(async () => {
      project = (await loadRepoConfig(repo)).project;
    });
    expect(project).toBe('dup_last_wins');
    expect(warnings).toEqual([{ code: 'FEAST_TS_DUPLICATE_CONFIG_KEY', message: expect.stringMatching(/project is given more than once; the last one is used/) }]);
  });

  it('validates the keys feast-ts uses strictly', async () => {
    expect((await configError(`project: 12\nonline_store:\n  type: ${MEMORY}\n`)).keyPath).toBe('project');
    expect((await configError(`project: p\nproject_description: [a]\nonline_store:\n  type: ${MEMORY}\n`)).keyPath).toBe('project_description');
    expect((await configError(`project: p\nprovider: 3\nonline_store:\n  type: ${MEMORY}\n`)).keyPath).toBe('provider');
    expect((await configError(`project: p\nonline_store: [sqlite]\n`)).keyPath).toBe('online_store');
  });
});

describe('the registry section', () => {
  it("defaults to Feast's data/registry.db with Feast's defaults", async () => {
    const repo = await makeRepo(`project: p\nonline_store:\n  type: ${MEMORY}\n`);
    const config = await loadRepoConfig(repo);
    expect(config.registry).toBe(path.join(repo, 'data/registry.db'));
    expect(config.registryConfig).toEqual({
      registryType: 'file',
      path: path.join(repo, 'data/registry.db'),
      cacheTtlSeconds: 600,
      enableOnlineFeatureViewVersioning: false,
      options: { path: 'data/registry.db' },
    });
  });

  it("accepts every key of Feast's registry configs and keeps them as written", async () => {
    const section = {
      registry_type: 'sql',
      registry_store_type: 'some.Store',
      path: 'postgresql://u@h/db',
      cache_ttl_seconds: 0,
      cache_mode: 'thread',
      s3_additional_kwargs: { ServerSideEncryption: 'AES256' },
      purge_feast_metadata: false,
      enable_online_feature_view_versioning: true,
      read_path: 'postgresql://u@replica/db',
      sqlalchemy_config_kwargs: { echo: false },
      cert: '/certs/ca.pem',
      is_tls: true,
    };
    const repo = await makeRepo(`project: p\nregistry: ${JSON.stringify(section)}\nonline_store:\n  type: ${MEMORY}\n`);
    let config: Awaited<ReturnType<typeof loadRepoConfig>> | undefined;
    const warnings = await warningsOf(async () => {
      config = await loadRepoConfig(repo);
    });
    expect(warnings).toEqual([]);
    expect(config!.registryConfig).toEqual({
      registryType: 'sql',
      path: 'postgresql://u@h/db',
      cacheTtlSeconds: 0,
      enableOnlineFeatureViewVersioning: true,
      options: section,
    });
  });

  it('types each key and warns about one Feast does not have', async () => {
    expect((await configError(`project: p\nregistry:\n  path: r.db\n  cache_mode: lazy\nonline_store:\n  type: ${MEMORY}\n`)).message).toMatch(
      /registry\.cache_mode: cache_mode is "sync" \(the default\) or "thread"/,
    );
    expect((await configError(`project: p\nregistry:\n  path: r.db\n  enable_online_feature_view_versioning: maybe\nonline_store:\n  type: ${MEMORY}\n`)).keyPath).toBe(
      'registry.enable_online_feature_view_versioning',
    );
    expect((await configError(`project: p\nregistry:\n  path: r.db\n  cache_ttl_seconds: 1.5\nonline_store:\n  type: ${MEMORY}\n`)).keyPath).toBe(
      'registry.cache_ttl_seconds',
    );
    expect((await configError(`project: p\nregistry:\n  cache_ttl_seconds: 5\nonline_store:\n  type: ${MEMORY}\n`)).keyPath).toBe('registry.path');
    const repo = await makeRepo(`project: p\nregistry:\n  path: r.db\n  cache_ttl_secnds: 5\nonline_store:\n  type: ${MEMORY}\n`);
    const warnings = await warningsOf(() => loadRepoConfig(repo));
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/registry\.cache_ttl_secnds is not a key .* Did you mean "cache_ttl_seconds"\?$/)]);
  });

  it('keeps a remote path as written', async () => {
    const repo = await makeRepo(`project: p\nregistry: s3://bucket/registry.db\nonline_store:\n  type: ${MEMORY}\n`);
    expect((await loadRepoConfig(repo)).registry).toBe('s3://bucket/registry.db');
  });
});

describe('online_store: null / none', () => {
  const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
  const view = new FeatureView({ name: 'stats', entities: [driver], schema: [new Field({ name: 'rate', dtype: FeastType.Float64 })] });

  it.each(['online_store: null', 'online_store:', 'online_store: ~', 'online_store: none', 'online_store: None', 'online_store: "NULL"'])(
    '%s means no online store',
    async (line) => {
      const { config, store } = await loadRepo(await makeRepo(`project: p\n${line}\n`));
      expect(store.storeClass).toBe(NoOnlineStore);
      expect(config.onlineStore).toEqual({ type: 'none' });
    },
  );

  it('the FeatureStore opens, apply and listing work on the registry, online calls give a typed error', async () => {
    const repo = await makeRepo('project: no_store\nonline_store: null\n');
    const fs = await FeatureStore.open(repo);
    await fs.apply([view]);
    expect((await fs.listFeatureViews()).map((v) => v.name)).toEqual(['stats']);
    const read = await fs.getOnlineFeatures({ features: ['stats:rate'], entityRows: [{ driver_id: 1n }] }).catch((e: unknown) => e);
    expect(read).toBeInstanceOf(NoOnlineStoreError);
    expect((read as NoOnlineStoreError).code).toBe('NO_ONLINE_STORE');
    expect((read as Error).message).toBe(
      `${path.join(repo, 'feature_store.yaml')} has no online store (online_store: null), so reading feature view "stats" cannot run. ` +
        'Configure one in feature_store.yaml, for example "online_store: {type: sqlite, path: data/online.db}".',
    );
    await expect(fs.writeToOnlineStore('stats', [{ driver_id: 1n, rate: 0.5, event_timestamp: new Date(0) }])).rejects.toBeInstanceOf(NoOnlineStoreError);
    await fs.teardown();
    expect(await fs.listFeatureViews()).toEqual([]);
    await fs.close();
  });
});
