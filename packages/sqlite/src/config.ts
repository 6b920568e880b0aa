import path from 'node:path';
import { FeastConfigBaseModel, parseOnlineStoreConfig, type RepoConfig, type OnlineStoreConfig } from '@feast-ts/core';
import { z } from 'zod';

/** Default of `busy_timeout`, in seconds: how long a write waits for another connection's lock. */
export const DEFAULT_BUSY_TIMEOUT_SECONDS = 5;

/** The path that opens a private in-memory database instead of a file. */
export const IN_MEMORY_PATH = ':memory:';

/**
 * The `online_store` section of feature_store.yaml for {@link SqliteOnlineStore},
 * with the same keys as Feast's `SqliteOnlineStoreConfig`:
 *
 * ```yaml
 * online_store:
 *   type: sqlite
 *   path: data/online.db   # relative to the feature repo, or absolute
 *   busy_timeout: 5        # seconds to wait for another connection's lock (feast-ts only)
 * ```
 *
 * `path: ":memory:"` keeps the data in memory, private to one store instance
 * and lost on `close()`; useful in tests.
 */
export const SqliteOnlineStoreConfig = FeastConfigBaseModel.extend({
  /** `sqlite`, or a module + export naming this store. */
  type: z.string().min(1).default('sqlite'),
  /** The database file, relative to the feature repo unless absolute; default `data/online.db`. */
  path: z.string().min(1, { message: 'path must name a database file, such as data/online.db' }).default('data/online.db'),
  /**
   * Seconds a statement waits for a lock another connection or process holds
   * before failing with a `timeout` error; default 5 (Python's sqlite3 default too).
   * feast-ts only: Python Feast's config does not know this key.
   */
  busy_timeout: z.number().min(0).max(3600).optional(),
  /** Feast's vector search switch: accepted so one feature_store.yaml serves both, but only `false` (not supported here). */
  vector_enabled: z
    .literal(false, {
      message: 'vector search is not supported by feast-ts yet (Feast does it with sqlite-vec); remove vector_enabled or set it to false, or serve this repo with Python Feast',
    })
    .optional(),
  /** Feast's embedding length for vector search; only meaningful with `vector_enabled`, accepted and ignored. */
  vector_len: z.number().int().positive().nullish(),
  /** Feast's vector similarity metric (default `cosine`); only meaningful with `vector_enabled`, accepted and ignored. */
  similarity: z.string().min(1).nullish(),
  /** Feast's full-text search switch: accepted, but only `false` (not supported here). */
  text_search_enabled: z
    .literal(false, { message: 'text search is not supported by feast-ts yet; remove text_search_enabled or set it to false' })
    .optional(),
  /**
   * Feast's switch for the extra columns of its OpenAI-compatible vector store API: accepted, but only
   * `false` (feast-ts writes Feast's standard table layout).
   */
  enable_openai_compatible_store: z
    .literal(false, {
      message: 'the OpenAI-compatible store layout is not supported by feast-ts yet; remove enable_openai_compatible_store or set it to false',
    })
    .optional(),
});

/** The parsed form of {@link SqliteOnlineStoreConfig}. */
export type SqliteOnlineStoreConfig = z.infer<typeof SqliteOnlineStoreConfig>;

/**
 * The database file a repo config points at: `online_store.path` resolved
 * against the repo directory (or `:memory:`). The section is validated with
 * {@link SqliteOnlineStoreConfig}, so a config built by hand gets the same
 * defaults and errors as one loaded from feature_store.yaml.
 *
 * @throws FeastConfigError when the `online_store` section is not a valid SQLite config
 */
export function resolveDbPath(config: RepoConfig<OnlineStoreConfig>): string {
  return resolveSqliteSettings(config).file;
}

/** What a store call needs from the `online_store` section. */
export interface SqliteSettings {
  /** The database file (absolute), or `:memory:`. */
  file: string;
  /** `busy_timeout` in milliseconds. */
  busyTimeoutMs: number;
}

/**
 * The database file ({@link resolveDbPath}) and the busy timeout of a repo config.
 *
 * @throws FeastConfigError when the `online_store` section is not a valid SQLite config
 */
export function resolveSqliteSettings(config: RepoConfig<OnlineStoreConfig>): SqliteSettings {
  // parseOnlineStoreConfig remembers its result per config section; so does this, per repo path.
  const parsed = parseOnlineStoreConfig(SqliteOnlineStoreConfig, config);
  const known = resolved.get(parsed);
  if (known !== undefined && known.repoPath === config.repoPath) return known.settings;
  const p = parsed.path;
  const file = p === IN_MEMORY_PATH || path.isAbsolute(p) ? p : path.resolve(config.repoPath, p);
  const settings: SqliteSettings = Object.freeze({ file, busyTimeoutMs: Math.round((parsed.busy_timeout ?? DEFAULT_BUSY_TIMEOUT_SECONDS) * 1000) });
  resolved.set(parsed, { repoPath: config.repoPath, settings });
  return settings;
}

/** Settings already resolved, by parsed config section (see {@link resolveSqliteSettings}). */
const resolved = new WeakMap<object, { repoPath: string; settings: SqliteSettings }>();
