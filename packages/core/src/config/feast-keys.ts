/**
 * The top-level keys of feature_store.yaml, from Feast's `RepoConfig`
 * (`sdk/python/feast/repo_config.py`).
 */

/** Keys feast-ts reads and validates strictly. */
export const USED_KEYS: ReadonlySet<string> = new Set([
  'project',
  'project_description',
  'provider',
  'registry',
  'online_store',
  'entity_key_serialization_version',
]);

/**
 * Keys of Feast's RepoConfig that have no effect on the online layer. They
 * are accepted without a warning, kept as written in `RepoConfig.extras`, and
 * not validated (an unset variable in them is left as written, as Feast does).
 */
export const IGNORED_FEAST_KEYS: ReadonlySet<string> = new Set([
  'offline_store',
  'batch_engine',
  'batch_engine_config',
  'feature_server',
  'auth',
  'flags',
  'coerce_tz_aware',
  'materialization',
  'openlineage',
  'mlflow',
  'repo_path',
]);

/** Every top-level key Feast knows. */
export const FEAST_TOP_LEVEL_KEYS: readonly string[] = [...USED_KEYS, ...IGNORED_FEAST_KEYS];
