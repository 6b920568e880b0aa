import { FeastConfigBaseModel, FeastConfigError, parseOnlineStoreConfig, type OnlineStoreConfig, type RepoConfig } from '@feast-ts/core';
import { z } from 'zod';
import { connectionParams, type ConnectionParams } from './client-options.js';
import { ConnectionStringError, parseConnectionString, type RedisNode } from './connection-string.js';

/** Feast's `RedisType`: a single server, a Redis Cluster, or a master found through Sentinel. */
export const RedisType = z.enum(['redis', 'redis_cluster', 'redis_sentinel']);
/** The parsed form of {@link RedisType}. */
export type RedisType = z.infer<typeof RedisType>;

/**
 * The `online_store` section of feature_store.yaml for {@link RedisOnlineStore},
 * with the keys and defaults of Feast's `RedisOnlineStoreConfig`:
 *
 * ```yaml
 * online_store:
 *   type: redis
 *   redis_type: redis            # redis | redis_cluster | redis_sentinel
 *   connection_string: "localhost:6379,db=0,password=${REDIS_PASSWORD}"
 *   key_ttl_seconds: 86400       # optional: EXPIRE every written key
 * ```
 */
export const RedisOnlineStoreConfig = FeastConfigBaseModel.extend({
  /** `redis`, or a module + export naming this store. */
  type: z.string().min(1).default('redis'),
  /** `redis` (default), `redis_cluster`, or `redis_sentinel`. */
  redis_type: RedisType.default('redis'),
  /** The master's name the sentinels know (`redis_type: redis_sentinel`); default `mymaster`. */
  sentinel_master: z.string().min(1).default('mymaster'),
  /**
   * `host:port[,host2:port2...]` then `key=value` parameters (db, username,
   * password, ssl, ssl_ca_certs, ssl_certfile, ssl_keyfile, ssl_cert_reqs,
   * socket_timeout, socket_connect_timeout, client_name, read_from_replicas,
   * sentinel_kwargs). Default `localhost:6379`. For a cluster, any of its nodes;
   * for Sentinel, the sentinels.
   */
  connection_string: z.string().min(1).default('localhost:6379'),
  /** Seconds after its last write a key expires (`EXPIRE` on every written key); unset or 0: never. */
  key_ttl_seconds: z.number().int().nonnegative().nullable().optional(),
  /** Whether `apply` deletes the data of removed feature views (a SCAN of the keyspace); default true. */
  full_scan_for_deletion: z.boolean().nullable().default(true),
  /** Write every row without reading the stored event time first (last write wins); default false. */
  skip_dedup: z.boolean().default(false),
  /** Feast's vector search switch: accepted so one feature_store.yaml serves both, but only `false`. */
  vector_enabled: z.literal(false, { message: 'vector search is not supported by feast-ts yet; remove vector_enabled or set it to false' }).optional(),
  /** Feast's embedding length for vector search; only meaningful with `vector_enabled`. */
  vector_len: z.number().int().positive().optional(),
  /** Feast's vector similarity metric; only meaningful with `vector_enabled`. */
  similarity: z.string().optional(),
}).superRefine((cfg, ctx) => {
  try {
    const parsed = parseConnectionString(cfg.connection_string);
    const params = connectionParams(parsed.params);
    if (cfg.redis_type === 'redis_cluster' && params.db !== 0) {
      throw new ConnectionStringError(`db=${params.db}: a Redis Cluster has only database 0; remove db or set db=0`);
    }
  } catch (err) {
    if (!(err instanceof ConnectionStringError)) throw err;
    ctx.addIssue({ code: 'custom', path: ['connection_string'], message: `${err.message} (in "${redactConnectionString(cfg.connection_string)}")` });
  }
});

/** The parsed form of {@link RedisOnlineStoreConfig}. */
export type RedisOnlineStoreConfig = z.infer<typeof RedisOnlineStoreConfig>;

/** A connection string with the password (and sentinel_kwargs) hidden, for messages. */
export function redactConnectionString(s: string): string {
  return s
    .split(',')
    .map((item) => (/^\s*(password|sentinel_kwargs)\s*=/.test(item) ? `${item.slice(0, item.indexOf('=') + 1)}***` : item))
    .join(',');
}

/** Everything a store needs to connect, from the validated config. */
export interface ResolvedRedisConfig {
  config: RedisOnlineStoreConfig;
  nodes: RedisNode[];
  params: ConnectionParams;
  /** A stable identity of the connection target, to reuse one client per target. */
  identity: string;
}

/**
 * Validates `config.onlineStore` with {@link RedisOnlineStoreConfig} and reads
 * the connection string (files such as `ssl_ca_certs` against the repo).
 *
 * @throws FeastConfigError naming `online_store.connection_string` or the key at fault
 */
export function resolveRedisConfig(config: RepoConfig<OnlineStoreConfig>): ResolvedRedisConfig {
  const section = config.onlineStore as object;
  const cached = resolvedBySection.get(section);
  if (cached && cached.repoPath === config.repoPath) return cached.resolved;
  const resolved = resolveUncached(config);
  if (section !== null && typeof section === 'object') resolvedBySection.set(section, { repoPath: config.repoPath, resolved });
  return resolved;
}

/** Resolved configs by `online_store` section object: every read and write resolves its config, so once. */
const resolvedBySection = new WeakMap<object, { repoPath: string; resolved: ResolvedRedisConfig }>();

function resolveUncached(config: RepoConfig<OnlineStoreConfig>): ResolvedRedisConfig {
  const parsed = parseOnlineStoreConfig(RedisOnlineStoreConfig, config);
  const { nodes, params: raw } = parseConnectionString(parsed.connection_string);
  let params: ConnectionParams;
  try {
    params = connectionParams(raw, config.repoPath);
  } catch (err) {
    if (!(err instanceof ConnectionStringError)) throw err;
    const keyPath = 'online_store.connection_string';
    throw new FeastConfigError(`${config.configFile ?? 'config'}: ${keyPath}: ${err.message}`, { file: config.configFile, keyPath, cause: err });
  }
  const identity = JSON.stringify([parsed.redis_type, parsed.sentinel_master, parsed.connection_string, config.repoPath]);
  return { config: parsed, nodes, params, identity };
}
