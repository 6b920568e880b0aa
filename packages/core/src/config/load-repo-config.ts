import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FeastConfigError, FeatureRepoNotFoundError } from '../errors.js';
import { resolveOnlineStore, type ResolvedOnlineStore } from '../plugins/resolve-online-store.js';
import { expandEnvVars } from './env-expand.js';
import type { OnlineStoreConfig, RegistryConfig, RepoConfig } from './repo-config.js';
import { configErrorFromZod } from './zod-issues.js';

/** Feast's rule: letters, digits, underscores and hyphens, not starting with an underscore or hyphen. */
export const PROJECT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const FeatureStoreYaml = z.strictObject({
  project: z.string().regex(PROJECT_NAME_PATTERN, {
    message: 'project names contain only letters, digits, underscores and hyphens, and start with a letter or digit',
  }),
  registry: z.union([z.string().min(1), z.looseObject({ path: z.string().min(1) })]).default('data/registry.json'),
  provider: z.string().default('local'),
  online_store: z.union([z.string().min(1), z.looseObject({ type: z.string().min(1).optional() })]).default('sqlite'),
  entity_key_serialization_version: z.union([z.literal(2), z.literal(3)]).default(3),
  // Feast keys that have no effect on the online layer; accepted so that one file serves both.
  offline_store: z.unknown().optional(),
  batch_engine: z.unknown().optional(),
  feature_server: z.unknown().optional(),
  flags: z.unknown().optional(),
  auth: z.unknown().optional(),
  coerce_tz_aware: z.unknown().optional(),
  materialization: z.unknown().optional(),
  openlineage: z.unknown().optional(),
});

/** Options of {@link loadRepoConfig}. */
export interface LoadRepoConfigOptions {
  /** Environment for `${VAR}` expansion; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** More places to resolve store packages from, after the repo directory. */
  resolveFrom?: Array<string | URL>;
}

/** A loaded repo config together with the store class it names. */
export interface LoadedRepo {
  config: RepoConfig;
  store: ResolvedOnlineStore;
}

async function locateConfigFile(repoPath: string): Promise<{ repoDir: string; file: string }> {
  const abs = path.resolve(repoPath);
  let isFile = false;
  try {
    isFile = (await stat(abs)).isFile();
  } catch {
    // neither a file nor a directory: report the yaml path we expected
  }
  const file = isFile ? abs : path.join(abs, 'feature_store.yaml');
  return { repoDir: path.dirname(file), file };
}

/**
 * Reads feature_store.yaml, expands `${VAR}`, validates every key, resolves
 * the online store named by `online_store.type` and parses its section with
 * the store's own schema. Returns the config and the store class.
 */
export async function loadRepo(repoPath: string, options: LoadRepoConfigOptions = {}): Promise<LoadedRepo> {
  const { repoDir, file } = await locateConfigFile(repoPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FeatureRepoNotFoundError(file, err);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new FeastConfigError(`${file}: not valid YAML: ${(err as Error).message}`, { file, cause: err });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new FeastConfigError(`${file}: expected a mapping with at least "project", got ${doc === null ? 'an empty file' : typeof doc}.`, { file });
  }
  const expanded = expandEnvVars(doc, options.env ?? process.env, file);
  const parsed = FeatureStoreYaml.safeParse(expanded);
  if (!parsed.success) throw configErrorFromZod(parsed.error, file, []);
  const yaml = parsed.data;

  const rawStore: Record<string, unknown> =
    typeof yaml.online_store === 'string' ? { type: yaml.online_store } : { type: 'sqlite', ...yaml.online_store };
  const type = rawStore.type as string;
  let store: ResolvedOnlineStore;
  try {
    store = await resolveOnlineStore(type, { repoPath: repoDir, resolveFrom: options.resolveFrom });
  } catch (err) {
    if (err instanceof FeastConfigError) throw new FeastConfigError(`${file}: ${err.message}`, { file, keyPath: 'online_store.type' });
    throw err;
  }
  const storeConfig = store.configSchema.safeParse(rawStore);
  if (!storeConfig.success) throw configErrorFromZod(storeConfig.error, file, ['online_store']);

  const rule = store.storeClass.projectNamePattern;
  if (rule && !rule.pattern.test(yaml.project)) {
    throw new FeastConfigError(`${file}: project: "${yaml.project}" is not allowed with ${store.exportName}: ${rule.description}.`, {
      file,
      keyPath: 'project',
    });
  }

  const registryConfig = toRegistryConfig(yaml.registry, repoDir);
  const config: RepoConfig = {
    project: yaml.project,
    registry: registryConfig.path,
    registryConfig,
    provider: yaml.provider,
    onlineStore: storeConfig.data as OnlineStoreConfig,
    entityKeySerializationVersion: yaml.entity_key_serialization_version,
    repoPath: repoDir,
    configFile: file,
  };
  return { config, store };
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The `registry` section as a {@link RegistryConfig}; a local file path is made absolute against the repo. */
function toRegistryConfig(section: string | Record<string, unknown>, repoDir: string): RegistryConfig {
  const options: Record<string, unknown> = typeof section === 'string' ? { path: section } : { ...section };
  const registryType = typeof options.registry_type === 'string' ? options.registry_type : 'file';
  const rawPath = String(options.path);
  const isLocalFile = registryType === 'file' && !URL_SCHEME.test(rawPath);
  const ttl = options.cache_ttl_seconds;
  return {
    registryType,
    path: isLocalFile ? path.resolve(repoDir, rawPath) : rawPath,
    cacheTtlSeconds: typeof ttl === 'number' && ttl >= 0 ? ttl : 600,
    enableOnlineFeatureViewVersioning: options.enable_online_feature_view_versioning === true,
    options,
  };
}

/**
 * Loads and validates a feature repo's feature_store.yaml (`repoPath` is the
 * repo directory or the yaml file itself).
 *
 * @throws FeatureRepoNotFoundError, FeastConfigError, or a store resolution error naming what to fix
 */
export async function loadRepoConfig(repoPath: string, options: LoadRepoConfigOptions = {}): Promise<RepoConfig> {
  return (await loadRepo(repoPath, options)).config;
}
