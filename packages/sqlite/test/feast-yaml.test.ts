import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeastConfigError, loadRepo } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { SqliteOnlineStore } from '../src/index.js';

// Feast's own feature_store.yaml files, kept (with their source) in core's fixtures.
const FIXTURES = fileURLToPath(new URL('../../core/test/fixtures/feast-yaml/', import.meta.url));
// Resolves `@feast-ts/sqlite` from this package (its built dist), as a feature repo would.
const resolveFrom = [import.meta.url];

/** What `feast init` puts in place of the aws template's placeholders (its bootstrap.py). */
const AWS_INIT: Record<string, string> = {
  '%AWS_REGION%': 'us-west-2',
  '%REDSHIFT_CLUSTER_ID%': 'c',
  '%REDSHIFT_DATABASE%': 'dev',
  '%REDSHIFT_USER%': 'admin',
  '%REDSHIFT_S3_STAGING_LOCATION%': 's3://b/s',
  '%REDSHIFT_IAM_ROLE%': 'arn:aws:iam::1:role/r',
};

async function repoWith(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'feast-sqlite-yaml-'));
  await writeFile(path.join(dir, 'feature_store.yaml'), text);
  return dir;
}

async function fromFixture(name: string): Promise<string> {
  let text = await readFile(path.join(FIXTURES, name), 'utf8');
  if (name === 'templates-aws.yaml') for (const [k, v] of Object.entries(AWS_INIT)) text = text.replaceAll(k, v);
  return repoWith(text);
}

describe("Feast's SQLite feature_store.yaml files, through the real SqliteOnlineStoreConfig", () => {
  it.each([
    ['templates-local.yaml', 'data/online_store.db'],
    ['templates-minimal.yaml', '/path/to/online_store.db'],
    ['templates-aws.yaml', 'data/online_store.db'],
    ['templates-gcp.yaml', 'data/online_store.db'],
    ['templates-athena.yaml', 'online_store.db'],
    ['templates-mariadb.yaml', 'data/online_store.db'],
    ['templates-pytorch_nlp.yaml', 'data/online_store.db'],
    ['templates-ray.yaml', 'data/online_store.db'],
    ['templates-spark.yaml', 'data/online_store.db'],
    ['examples-openlineage.yaml', 'data/online_store.db'],
  ])('%s loads, with online_store.path %s', async (name, dbPath) => {
    const { store, config } = await loadRepo(await fromFixture(name), { env: {}, resolveFrom });
    expect([store.moduleName, store.exportName, store.storeClass.name]).toEqual(['@feast-ts/sqlite', 'SqliteOnlineStore', SqliteOnlineStore.name]);
    expect(config.onlineStore).toEqual({ type: 'sqlite', path: dbPath });
  });

  it('templates-recommendation.yaml (vector_enabled: true) is refused, saying vector search is not supported yet', async () => {
    const err = await loadRepo(await fromFixture('templates-recommendation.yaml'), { env: {}, resolveFrom }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeastConfigError);
    expect((err as FeastConfigError).keyPath).toBe('online_store.vector_enabled');
    expect((err as Error).message).toMatch(/online_store\.vector_enabled: vector search is not supported by feast-ts yet \(Feast does it with sqlite-vec\)/);
  });
});

describe("Feast's SqliteOnlineStoreConfig keys", () => {
  const yaml = (section: string): string => `project: p\nonline_store:\n  type: sqlite\n${section}`;

  it("accepts Feast's class path as the type", async () => {
    const repo = await repoWith('project: p\nonline_store:\n  type: feast.infra.online_stores.sqlite.SqliteOnlineStore\n  path: data/x.db\n');
    const { store, config } = await loadRepo(repo, { resolveFrom });
    expect([store.moduleName, store.exportName, store.storeClass.name]).toEqual(['@feast-ts/sqlite', 'SqliteOnlineStore', SqliteOnlineStore.name]);
    expect(config.onlineStore).toEqual({ type: 'feast.infra.online_stores.sqlite.SqliteOnlineStore', path: 'data/x.db' });
  });

  it('accepts the vector and search keys Feast added, when they ask for nothing we lack', async () => {
    const repo = await repoWith(
      yaml('  vector_enabled: false\n  vector_len: 384\n  similarity: cosine\n  text_search_enabled: false\n  enable_openai_compatible_store: false\n'),
    );
    const { config } = await loadRepo(repo, { resolveFrom });
    expect(config.onlineStore).toEqual({
      type: 'sqlite',
      path: 'data/online.db',
      vector_enabled: false,
      vector_len: 384,
      similarity: 'cosine',
      text_search_enabled: false,
      enable_openai_compatible_store: false,
    });
  });

  it.each([
    ['vector_enabled', /vector search is not supported by feast-ts yet/],
    ['text_search_enabled', /text search is not supported by feast-ts yet/],
    ['enable_openai_compatible_store', /the OpenAI-compatible store layout is not supported by feast-ts yet/],
  ])('refuses %s: true clearly', async (key, message) => {
    const err = await loadRepo(await repoWith(yaml(`  ${key}: true\n`)), { resolveFrom }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeastConfigError);
    expect((err as FeastConfigError).keyPath).toBe(`online_store.${key}`);
    expect((err as Error).message).toMatch(message);
  });

  it('stays strict about keys Feast does not have', async () => {
    await expect(loadRepo(await repoWith(yaml('  vector_length: 3\n')), { resolveFrom })).rejects.toThrow(/online_store\.vector_length: unknown key/);
  });
});
