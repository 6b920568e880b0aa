import type { z } from 'zod';
import type { OnlineStoreConfig, RepoConfig } from './repo-config.js';
import { configErrorFromZod } from './zod-issues.js';

const parsedBySchema = new WeakMap<object, WeakMap<object, unknown>>();

/**
 * Validates `config.onlineStore` with a store's config schema, for stores
 * handed a RepoConfig that may have been built by hand rather than loaded from
 * feature_store.yaml: the same defaults apply and the same errors are thrown.
 * The result is remembered per (schema, config object), so calling it on every
 * read and write costs a lookup.
 *
 * @throws FeastConfigError naming the file and key, such as `online_store.port`
 */
export function parseOnlineStoreConfig<S extends z.ZodType<OnlineStoreConfig>>(schema: S, config: RepoConfig): z.output<S> {
  const section: unknown = config.onlineStore;
  const key = section !== null && typeof section === 'object' ? section : undefined;
  let cache = parsedBySchema.get(schema);
  if (!cache) parsedBySchema.set(schema, (cache = new WeakMap()));
  if (key && cache.has(key)) return cache.get(key) as z.output<S>;
  const result = schema.safeParse(section ?? {});
  if (!result.success) throw configErrorFromZod(result.error, config.configFile, ['online_store']);
  if (key) cache.set(key, result.data);
  return result.data;
}
