import { FeastConfigBaseModel } from '@feast-ts/core';
import { z } from 'zod';

// #region config
/**
 * The `online_store` section of feature_store.yaml for `RedisOnlineStore`.
 * Keys are snake_case, as in Feast; an unknown key is an error that names it.
 *
 * ```yaml
 * online_store:
 *   type: feast-ts-redis-online-store-example#RedisOnlineStore
 *   url: redis://127.0.0.1:6379
 *   key_prefix: "feast:"
 * ```
 */
export const RedisOnlineStoreConfig = FeastConfigBaseModel.extend({
  /** How feature_store.yaml names this store: `package#Export`, Feast's `package.Export`, or a file path. */
  type: z.string().min(1).default('feast-ts-redis-online-store-example#RedisOnlineStore'),
  /** Where Redis is: `redis[s]://[[user][:password]@][host][:port][/db-number]`. */
  url: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'url must start with redis:// or rediss://, like redis://127.0.0.1:6379' })
    .default('redis://127.0.0.1:6379'),
  /** Put before every key this store writes, so several deployments can share one database. */
  key_prefix: z.string().default('feast:'),
  /** Milliseconds to wait for a connection before failing with `unreachable`. */
  connect_timeout_ms: z.number().int().positive().default(5000),
});

/** The parsed form of {@link RedisOnlineStoreConfig}: what `config.onlineStore` holds. */
export type RedisOnlineStoreConfig = z.infer<typeof RedisOnlineStoreConfig>;
// #endregion config
