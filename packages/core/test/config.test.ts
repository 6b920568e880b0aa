import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeastConfigError, loadRepoConfig, loadRepo, FeatureRepoNotFoundError } from '../src/index.js';
import { makeRepo, MEMORY } from './helpers.js';

describe('loadRepoConfig', () => {
  it('reads Feast keys, applies defaults and resolves paths against the repo', async () => {
    const repo = await makeRepo(`project: my_project\nonline_store:\n  type: ${MEMORY}\n  label: x\n`);
    const config = await loadRepoConfig(repo);
    expect(config).toMatchObject({
      project: 'my_project',
      provider: 'local',
      entityKeySerializationVersion: 3,
      registry: path.join(repo, 'data/registry.db'),
      repoPath: repo,
      onlineStore: { type: MEMORY, label: 'x' },
    });
  });

  it('accepts the yaml file path itself and a registry object', async () => {
    const repo = await makeRepo(`project: p\nregistry:\n  path: reg.json\n  cache_ttl_seconds: 60\nentity_key_serialization_version: 2\nonline_store:\n  type: ${MEMORY}\n`);
    const config = await loadRepoConfig(path.join(repo, 'feature_store.yaml'));
    expect(config.registry).toBe(path.join(repo, 'reg.json'));
    expect(config.entityKeySerializationVersion).toBe(2);
  });

  it('expands ${VAR} and ${VAR:-default} from the environment', async () => {
    const repo = await makeRepo(`project: \${PROJ}\nonline_store:\n  type: ${MEMORY}\n  label: \${LABEL:-fallback}\n`);
    const config = await loadRepoConfig(repo, { env: { PROJ: 'from_env' } });
    expect(config.project).toBe('from_env');
    expect(config.onlineStore).toMatchObject({ label: 'fallback' });
  });

  it('passes store keys through the store schema (defaults applied)', async () => {
    const repo = await makeRepo(`project: p\nonline_store:\n  type: ${MEMORY}\n`);
    const { store, config } = await loadRepo(repo);
    expect(store.exportName).toBe('MemoryOnlineStore');
    expect(config.onlineStore.type).toBe(MEMORY);
  });

  it("applies the store's project name rule", async () => {
    const repo = await makeRepo(`project: Upper\nonline_store:\n  type: ${MEMORY}\n`);
    await expect(loadRepoConfig(repo)).rejects.toThrow(/project: "Upper" is not allowed with MemoryOnlineStore: lowercase/);
  });

  it('reports a missing repo with a typed error', async () => {
    await expect(loadRepoConfig('/nonexistent/repo')).rejects.toBeInstanceOf(FeatureRepoNotFoundError);
  });

  it('reports errors with file and key path', async () => {
    const repo = await makeRepo(`project: p\nonline_store:\n  type: ${MEMORY}\n  lable: typo\n`);
    const err = await loadRepoConfig(repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeastConfigError);
    expect((err as FeastConfigError).keyPath).toBe('online_store.lable');
    expect((err as FeastConfigError).file).toBe(path.join(repo, 'feature_store.yaml'));
    expect((err as FeastConfigError).code).toBe('CONFIG_INVALID');
  });
});
