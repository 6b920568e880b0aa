import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';
import type { RegistryConfig, RepoConfig } from '../config/repo-config.js';
import { RegistryNotSupportedError, RegistryPackageMissingError, RegistryError } from '../errors.js';
import { FileRegistry } from './file-registry.js';
import type { Registry, RegistryClass } from './registry.js';

/** The package that implements `registry_type: sql`. */
export const SQL_REGISTRY_PACKAGE = '@feast-ts/sql-registry';

/** The registry section of a config, with Feast's defaults for a config built by hand. */
export function registryConfigOf(config: RepoConfig): RegistryConfig {
  return (
    config.registryConfig ?? {
      registryType: 'file',
      path: config.registry,
      cacheTtlSeconds: 600,
      enableOnlineFeatureViewVersioning: false,
      options: {},
    }
  );
}

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

function baseUrl(dir: string): string {
  return pathToFileURL(dir.endsWith(path.sep) ? dir : dir + path.sep).href;
}

async function importSqlRegistry(config: RepoConfig): Promise<RegistryClass> {
  const bases = [config.repoPath, fileURLToPath(new URL('.', import.meta.url)), process.cwd()].filter(Boolean);
  let lastError: unknown;
  for (const base of bases) {
    let url: string;
    try {
      url = resolveImport(SQL_REGISTRY_PACKAGE, baseUrl(base));
    } catch (err) {
      lastError = err;
      continue;
    }
    const mod = (await import(url)) as { SqlRegistry?: unknown };
    if (typeof mod.SqlRegistry !== 'function') {
      throw new RegistryError(`"${SQL_REGISTRY_PACKAGE}" (${url}) does not export a SqlRegistry class; install a version that matches @feast-ts/core.`);
    }
    return mod.SqlRegistry as RegistryClass;
  }
  throw new RegistryPackageMissingError(SQL_REGISTRY_PACKAGE, 'sql', lastError);
}

/**
 * The registry feature_store.yaml names, resolved like Feast's `registry_type`:
 * - `file` (the default): Feast's registry.db at `path` (a local path, or `file://`),
 * - `sql`: `SqlRegistry` of `@feast-ts/sql-registry`, imported on demand (resolved from the repo),
 * - anything else (`remote`, `snowflake.registry`, an `s3://` / `gs://` path, ...): a
 *   {@link RegistryNotSupportedError}, never a local file named after it.
 */
export async function openRegistry(config: RepoConfig): Promise<Registry> {
  const rc = registryConfigOf(config);
  const type = (rc.registryType || 'file').toLowerCase();
  if (type === 'file') {
    const scheme = URL_SCHEME.exec(rc.path)?.[1]?.toLowerCase();
    if (scheme && scheme !== 'file') {
      throw new RegistryNotSupportedError(
        rc.path,
        `registry path "${rc.path}" is a ${scheme}:// registry, which feast-ts does not support yet: it reads Feast's registry from a local file ` +
          `(registry: data/registry.db) or a SQL database (registry_type: sql). Copy the registry to a local file, or use a SQL registry.`,
      );
    }
    const file = scheme === 'file' ? fileURLToPath(rc.path) : path.resolve(config.repoPath ?? '.', rc.path);
    return new FileRegistry(file, { cacheTtlSeconds: rc.cacheTtlSeconds });
  }
  if (type === 'sql') {
    const SqlRegistry = await importSqlRegistry(config);
    return new SqlRegistry(rc, config);
  }
  throw new RegistryNotSupportedError(
    rc.registryType,
    `registry_type "${rc.registryType}" is not supported by feast-ts yet. Supported: file (Feast's registry.db, the default) and sql ` +
      `(with ${SQL_REGISTRY_PACKAGE}). To serve from a remote registry server's data, point feast-ts at the file or SQL registry behind it.`,
  );
}
