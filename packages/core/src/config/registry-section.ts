import path from 'node:path';
import { z } from 'zod';
import { FeastConfigError } from '../errors.js';
import { warnConfigOnce } from './config-warnings.js';
import { didYouMean } from './did-you-mean.js';
import type { RegistryConfig } from './repo-config.js';
import { configErrorFromZod } from './zod-issues.js';

/** Feast's default registry: a file next to the feature repo. */
export const DEFAULT_REGISTRY_PATH = 'data/registry.db';

/** Feast's default `registry.cache_ttl_seconds`. */
export const DEFAULT_REGISTRY_CACHE_TTL_SECONDS = 600;

const stringMap = z.record(z.string(), z.string());

/**
 * The keys of Feast's `RegistryConfig` (and of its SQL and remote variants),
 * each with Feast's type. Feast allows other keys in this section (a custom or
 * Snowflake registry has its own), so they are kept; for the registry types
 * feast-ts knows, an unknown key is a warning.
 */
const RegistryKeys = {
  registry_type: z.string().min(1).default('file'),
  registry_store_type: z.string().nullish(),
  path: z.string().min(1, { message: 'path must name the registry: a file such as data/registry.db, or a database URL for registry_type: sql' }),
  cache_ttl_seconds: z
    .number()
    .int({ message: 'cache_ttl_seconds must be a whole number of seconds (0 caches the registry until it is refreshed)' })
    .min(0, { message: 'cache_ttl_seconds must be 0 or more (0 caches the registry until it is refreshed)' })
    .default(DEFAULT_REGISTRY_CACHE_TTL_SECONDS),
  cache_mode: z.enum(['sync', 'thread'], { message: 'cache_mode is "sync" (the default) or "thread", as in Feast' }).default('sync'),
  s3_additional_kwargs: stringMap.nullish(),
  purge_feast_metadata: z.boolean().default(false),
  enable_online_feature_view_versioning: z.boolean().default(false),
  // registry_type: sql
  read_path: z.string().min(1).nullish(),
  sqlalchemy_config_kwargs: z.record(z.string(), z.unknown()).nullish(),
  // registry_type: remote
  cert: z.string().nullish(),
  is_tls: z.boolean().default(false),
};

/** The `registry` section as an object; unknown keys are kept. */
export const RegistrySection = z.looseObject(RegistryKeys);

/** The parsed `registry` section. */
export type RegistrySection = z.output<typeof RegistrySection>;

/**
 * Validates `registry:` as Feast reads it: a path string, or the object.
 *
 * @throws FeastConfigError naming the key, such as `registry.cache_ttl_seconds`
 */
export function parseRegistrySection(raw: unknown, file: string): RegistrySection {
  if (typeof raw === 'string') {
    if (raw.length === 0) throw new FeastConfigError(`${file}: registry: must name a file, such as data/registry.db`, { file, keyPath: 'registry' });
    return RegistrySection.parse({ path: raw });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FeastConfigError(`${file}: registry: must be a path (data/registry.db) or a mapping with "path"`, { file, keyPath: 'registry' });
  }
  const parsed = RegistrySection.safeParse(raw);
  if (!parsed.success) throw configErrorFromZod(parsed.error, file, ['registry']);
  return parsed.data;
}

/** Registry types whose keys feast-ts knows; others (snowflake.registry, custom ones) have keys of their own. */
const KNOWN_TYPES = new Set(['file', 'sql', 'remote']);
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The `registry` section as a {@link RegistryConfig}; a local file path is
 * made absolute against the repo. Warns (once per key) about keys Feast's
 * registry config does not have.
 */
export function toRegistryConfig(raw: unknown, repoDir: string, file: string): RegistryConfig {
  const parsed = parseRegistrySection(raw, file);
  const rawOptions: Record<string, unknown> =
    typeof raw === 'string' ? { path: raw } : raw !== null && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {};
  if (KNOWN_TYPES.has(parsed.registry_type)) {
    for (const key of Object.keys(rawOptions)) {
      if (key in RegistryKeys) continue;
      const near = didYouMean(key, Object.keys(RegistryKeys));
      warnConfigOnce(
        'FEAST_TS_UNKNOWN_CONFIG_KEY',
        `registry.${key}`,
        `${file}: registry.${key} is not a key of Feast's registry config; it is kept and ignored.` + (near ? ` Did you mean "${near}"?` : ''),
      );
    }
  }
  const isLocalFile = parsed.registry_type === 'file' && !URL_SCHEME.test(parsed.path);
  return {
    registryType: parsed.registry_type,
    path: isLocalFile ? path.resolve(repoDir, parsed.path) : parsed.path,
    cacheTtlSeconds: parsed.cache_ttl_seconds,
    enableOnlineFeatureViewVersioning: parsed.enable_online_feature_view_versioning,
    options: rawOptions,
  };
}
