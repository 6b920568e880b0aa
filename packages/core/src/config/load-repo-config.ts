import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { FeastConfigError, FeatureRepoNotFoundError } from '../errors.js';
import { NO_ONLINE_STORE_TYPE, NoOnlineStore, NoOnlineStoreConfig } from '../plugins/no-online-store.js';
import { resolveOnlineStore, type ResolvedOnlineStore } from '../plugins/resolve-online-store.js';
import { checkSubstitutions, unsetInUsedSections, unsetVariableError } from './check-expansion.js';
import { warnConfigOnce } from './config-warnings.js';
import { didYouMean } from './did-you-mean.js';
import { expandEnvText } from './env-text.js';
import { FEAST_TOP_LEVEL_KEYS, USED_KEYS } from './feast-keys.js';
import { readOnlineStoreSection } from './online-store-section.js';
import { DEFAULT_REGISTRY_PATH, toRegistryConfig } from './registry-section.js';
import type { OnlineStoreConfig, RepoConfig } from './repo-config.js';
import { parseYamlSource } from './yaml-source.js';
import { configErrorFromZod } from './zod-issues.js';

/** Feast's rule: letters, digits, underscores and hyphens, not starting with an underscore or hyphen. */
export const PROJECT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The top-level keys feast-ts uses, validated strictly (`online_store` is read on its own). */
const UsedKeys = z.object({
  project: z.string().regex(PROJECT_NAME_PATTERN, {
    message: 'project names contain only letters, digits, underscores and hyphens, and start with a letter or digit',
  }),
  project_description: z.string().nullish(),
  provider: z.string().min(1).default('local'),
  entity_key_serialization_version: z
    .union([z.literal(2), z.literal(3)], { message: 'feast-ts reads and writes entity keys of versions 2 and 3 (Feast\'s default is 3)' })
    .default(3),
});

/** Options of {@link loadRepoConfig}. */
export interface LoadRepoConfigOptions {
  /** Environment for `$VAR`, `${VAR}` and `${VAR:-default}` expansion; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** More places to resolve store packages from, after the repo directory. */
  resolveFrom?: Array<string | URL>;
  /**
   * Store modules the application has imported itself, by the module name `online_store.type`
   * resolves to (`sqlite` and `@feast-ts/sqlite#SqliteOnlineStore` both name `@feast-ts/sqlite`):
   * used instead of importing it at run time, with the same checks. For bundled applications,
   * which have no package on disk to import:
   *
   * ```ts
   * import * as sqlite from '@feast-ts/sqlite';
   * const store = await FeatureStore.open('./feature_repo', { storeModules: { '@feast-ts/sqlite': sqlite } });
   * ```
   */
  storeModules?: Readonly<Record<string, object>>;
}

/** A loaded repo config together with the store class it names. */
export interface LoadedRepo {
  config: RepoConfig;
  store: ResolvedOnlineStore;
}

/** What `online_store: null` resolves to. */
const NO_STORE: ResolvedOnlineStore = {
  storeClass: NoOnlineStore,
  configSchema: NoOnlineStoreConfig,
  moduleName: '@feast-ts/core',
  exportName: 'NoOnlineStore',
};

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

function warnUnknownKeys(doc: Record<string, unknown>, file: string): void {
  for (const key of Object.keys(doc)) {
    if (FEAST_TOP_LEVEL_KEYS.includes(key)) continue;
    const near = didYouMean(key, FEAST_TOP_LEVEL_KEYS);
    warnConfigOnce(
      'FEAST_TS_UNKNOWN_CONFIG_KEY',
      key,
      `${file}: "${key}" is not a key of Feast's feature_store.yaml; it is kept (RepoConfig.extras) and ignored.` +
        (near ? ` Did you mean "${near}"?` : ''),
    );
  }
}

/**
 * Reads feature_store.yaml as Feast does and validates what feast-ts uses:
 * expands `$VAR` / `${VAR}` / `${VAR:-default}` over the text, parses it as
 * YAML 1.1, checks `project`, `registry`, `provider`,
 * `entity_key_serialization_version`, resolves the online store named by
 * `online_store.type` and parses its section with the store's own schema.
 * Other Feast keys are kept in `extras`; an unknown top-level key is a warning
 * (`FEAST_TS_UNKNOWN_CONFIG_KEY`). `online_store: null` or `none` gives the
 * {@link NoOnlineStore}.
 */
export async function loadRepo(repoPath: string, options: LoadRepoConfigOptions = {}): Promise<LoadedRepo> {
  const { repoDir, file } = await locateConfigFile(repoPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FeatureRepoNotFoundError(file, err);
  }
  const expanded = expandEnvText(text, options.env ?? process.env);
  const source = parseYamlSource(expanded.text);
  if (source.errors.length > 0) {
    let hint = '';
    if (expanded.substitutions.length > 0 && parseYamlSource(text).errors.length === 0) {
      const names = [...new Set(expanded.substitutions.map((s) => s.written))].join(', ');
      hint = ` The file is valid YAML before ${names} ${expanded.substitutions.length > 1 ? 'are' : 'is'} replaced from the environment: check those values (a value with a line break does not fit; quote one that contains ": ", " #" or starts with a YAML indicator).`;
    }
    throw new FeastConfigError(`${file}: not valid YAML: ${source.errors[0]}${hint}`, { file });
  }
  const doc = source.value;
  if (doc === null || doc === undefined || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new FeastConfigError(
      `${file}: expected a mapping with at least "project", got ${doc === null || doc === undefined ? 'an empty file' : Array.isArray(doc) ? 'a list' : typeof doc}.`,
      { file },
    );
  }
  const top = doc as Record<string, unknown>;
  checkSubstitutions(source, expanded.substitutions, USED_KEYS, file);
  for (const dup of source.duplicates) {
    warnConfigOnce('FEAST_TS_DUPLICATE_CONFIG_KEY', dup, `${file}: ${dup} is given more than once; the last one is used (as in Feast).`);
  }

  // Unset variables in what feast-ts reads; those of the store's own keys wait until the store is known.
  const unset = unsetInUsedSections(source, expanded.unset, USED_KEYS);
  const early = unset.find((u) => u.section !== 'online_store' || u.keyPath === 'online_store' || u.keyPath === 'online_store.type');
  if (early) throw unsetVariableError(file, early);

  const parsed = UsedKeys.safeParse(top);
  if (!parsed.success) throw configErrorFromZod(parsed.error, file, []);
  const yaml = parsed.data;
  const registryConfig = toRegistryConfig(top.registry ?? DEFAULT_REGISTRY_PATH, repoDir, file);
  warnUnknownKeys(top, file);

  const requested = readOnlineStoreSection(top, file);
  let store: ResolvedOnlineStore;
  let onlineStore: OnlineStoreConfig;
  if (requested.kind === 'none') {
    store = NO_STORE;
    onlineStore = { type: NO_ONLINE_STORE_TYPE };
  } else {
    try {
      store = await resolveOnlineStore(requested.type, { repoPath: repoDir, resolveFrom: options.resolveFrom, storeModules: options.storeModules });
    } catch (err) {
      if (err instanceof FeastConfigError) throw new FeastConfigError(`${file}: ${err.message}`, { file, keyPath: 'online_store.type', cause: err });
      throw err;
    }
    const storeUnset = unset.find((u) => u.section === 'online_store');
    if (storeUnset) throw unsetVariableError(file, storeUnset);
    const storeConfig = store.configSchema.safeParse(requested.section);
    if (!storeConfig.success) throw configErrorFromZod(storeConfig.error, file, ['online_store']);
    onlineStore = storeConfig.data;
  }

  const rule = store.storeClass.projectNamePattern;
  if (rule && !rule.pattern.test(yaml.project)) {
    throw new FeastConfigError(`${file}: project: "${yaml.project}" is not allowed with ${store.exportName}: ${rule.description}.`, {
      file,
      keyPath: 'project',
    });
  }

  const config: RepoConfig = {
    project: yaml.project,
    ...(typeof yaml.project_description === 'string' ? { projectDescription: yaml.project_description } : {}),
    registry: registryConfig.path,
    registryConfig,
    provider: yaml.provider,
    onlineStore,
    entityKeySerializationVersion: yaml.entity_key_serialization_version,
    repoPath: repoDir,
    configFile: file,
    extras: Object.fromEntries(Object.entries(top).filter(([key]) => !USED_KEYS.has(key))),
  };
  return { config, store };
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
