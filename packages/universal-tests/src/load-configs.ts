import { fileURLToPath } from 'node:url';
import { AvailableOnlineStoresSchema, configsFromAvailableOnlineStores, FullRepoConfigsSchema } from './config-schema.js';
import { defaultRepoConfigs } from './default-configs.js';
import { FullRepoConfigsError } from './errors.js';
import { describeZodIssues } from './format-zod.js';
import { resolveModuleSpecifier } from './resolve-module.js';
import type { IntegrationTestRepoConfig } from './types.js';

/** The environment variable naming the configs module, as in Feast. */
export const FULL_REPO_CONFIGS_MODULE_ENV = 'FULL_REPO_CONFIGS_MODULE';

/** Options of {@link loadFullRepoConfigs}. */
export interface LoadFullRepoConfigsOptions {
  /** Directory that relative paths and package names resolve from; default `process.cwd()`. */
  cwd?: string;
  /** Environment to read {@link FULL_REPO_CONFIGS_MODULE_ENV} from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Imports the resolved file URL. Pass `(url) => import(url)` from a test
   * file so the import goes through vitest's transform (needed for a `.ts`
   * configs module when this package itself is not transformed).
   */
  importModule?: (url: string) => Promise<unknown>;
}

/**
 * Validates the exports of a configs module: `FULL_REPO_CONFIGS` (an array of
 * {@link IntegrationTestRepoConfig}) or Feast's `AVAILABLE_ONLINE_STORES` map
 * `{ name: [config | null, CreatorClass | null] }`, also accepted on a default
 * export.
 *
 * @param moduleSpecifier - how the module was named, for error messages
 * @throws FullRepoConfigsError naming the module and what is wrong
 */
export function parseFullRepoConfigs(moduleExports: unknown, moduleSpecifier: string, file?: string): IntegrationTestRepoConfig[] {
  const fail = (message: string, keyPath?: string): never => {
    const where = file && file !== moduleSpecifier ? ` (${file})` : '';
    throw new FullRepoConfigsError(moduleSpecifier, `Configs module "${moduleSpecifier}"${where}: ${message}`, { file, keyPath });
  };
  const candidates = [moduleExports, (moduleExports as { default?: unknown } | null | undefined)?.default];
  for (const mod of candidates) {
    if (mod === null || (typeof mod !== 'object' && typeof mod !== 'function')) continue;
    const exported = mod as { FULL_REPO_CONFIGS?: unknown; AVAILABLE_ONLINE_STORES?: unknown };
    if (exported.FULL_REPO_CONFIGS !== undefined) {
      const parsed = FullRepoConfigsSchema.safeParse(exported.FULL_REPO_CONFIGS);
      if (!parsed.success) return fail(describeZodIssues(parsed.error, 'FULL_REPO_CONFIGS'), 'FULL_REPO_CONFIGS');
      return parsed.data;
    }
    if (exported.AVAILABLE_ONLINE_STORES !== undefined) {
      const parsed = AvailableOnlineStoresSchema.safeParse(exported.AVAILABLE_ONLINE_STORES);
      if (!parsed.success) return fail(describeZodIssues(parsed.error, 'AVAILABLE_ONLINE_STORES'), 'AVAILABLE_ONLINE_STORES');
      return configsFromAvailableOnlineStores(parsed.data);
    }
  }
  const names = moduleExports !== null && typeof moduleExports === 'object' ? Object.keys(moduleExports) : [];
  return fail(
    `exports neither FULL_REPO_CONFIGS (an array of { name, onlineStore?, creator?, skip? }) nor AVAILABLE_ONLINE_STORES ` +
      `({ name: [config | null, CreatorClass | null] }). Its exports: ${names.length > 0 ? names.join(', ') : '(none)'}.`,
  );
}

/**
 * Loads the store configs to run the suite against. The module is
 * `moduleSpecifier`, else the one named by the `FULL_REPO_CONFIGS_MODULE`
 * environment variable (a path relative to the current directory, or a
 * package name). With neither, returns the built-in SQLite config
 * ({@link defaultRepoConfigs}).
 *
 * @throws FullRepoConfigsError when the module cannot be found or imported, or its export is invalid
 */
export async function loadFullRepoConfigs(
  moduleSpecifier?: string,
  options: LoadFullRepoConfigsOptions = {},
): Promise<IntegrationTestRepoConfig[]> {
  const specifier = moduleSpecifier ?? (options.env ?? process.env)[FULL_REPO_CONFIGS_MODULE_ENV];
  if (specifier === undefined || specifier.trim() === '') return defaultRepoConfigs();
  const cwd = options.cwd ?? process.cwd();
  const url = resolveModuleSpecifier(specifier, cwd);
  if (url === undefined) {
    throw new FullRepoConfigsError(
      specifier,
      `Configs module "${specifier}" (from ${FULL_REPO_CONFIGS_MODULE_ENV} or --configs) was not found: it is neither a file relative to ${cwd} ` +
        `nor an installed package. Give a path such as ./tests/repo-configs.ts, or a package name.`,
    );
  }
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  let moduleExports: unknown;
  try {
    moduleExports = await (options.importModule ?? ((u: string) => import(u)))(url);
  } catch (cause) {
    const hint = /\.[mc]?ts$/.test(file) && /Unknown file extension/.test(String((cause as Error)?.message))
      ? ' Node cannot import TypeScript here: run it through the feast-universal-tests bin, pass importModule from your test file, or compile the module.'
      : '';
    throw new FullRepoConfigsError(specifier, `Configs module "${specifier}" (${file}) failed to import: ${(cause as Error)?.message ?? String(cause)}.${hint}`, {
      file,
      cause,
    });
  }
  return parseFullRepoConfigs(moduleExports, specifier, file);
}
