import { FeastConfigBaseModel } from '@feast-ts/core';
import { z } from 'zod';

// #region config
/**
 * The `online_store` section of feature_store.yaml for `NatsKvOnlineStore`.
 * Keys are snake_case, as in Feast; an unknown key is an error that names it.
 *
 * ```yaml
 * online_store:
 *   type: feast-ts-nats-kv-online-store-example#NatsKvOnlineStore
 *   url: nats://127.0.0.1:4222
 *   bucket_prefix: feast_
 * ```
 */
export const NatsKvOnlineStoreConfig = FeastConfigBaseModel.extend({
  /** How feature_store.yaml names this store: `package#Export`, Feast's `package.Export`, or a file path. */
  type: z.string().min(1).default('feast-ts-nats-kv-online-store-example#NatsKvOnlineStore'),
  /** Where NATS is: `nats://[user:password@]host:port`, or several of them separated by commas. */
  url: z
    .string()
    .regex(/^(nats|tls):\/\/[^,\s]+(,(nats|tls):\/\/[^,\s]+)*$/, {
      message: 'url must be nats://host:port (or tls://), several separated by commas, like nats://127.0.0.1:4222',
    })
    .default('nats://127.0.0.1:4222'),
  /** Put before the project name to make the bucket name, so several deployments can share one server. */
  bucket_prefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, { message: 'bucket_prefix may hold only letters, digits, _ and - (NATS bucket names do)' })
    .default('feast_'),
  /** Milliseconds to wait for the connection, and for each reply, before failing with `unreachable` or `timeout`. */
  timeout_ms: z.number().int().positive().default(5000),
});

/** The parsed form of {@link NatsKvOnlineStoreConfig}: what `config.onlineStore` holds. */
export type NatsKvOnlineStoreConfig = z.infer<typeof NatsKvOnlineStoreConfig>;
// #endregion config
