/**
 * `@feast-ts/redis`: Feast's Redis online store for TypeScript, on ioredis.
 * Reads and writes the same hashes, fields and bytes as Python Feast's
 * `RedisOnlineStore`, on a single server, Redis Sentinel or Redis Cluster.
 *
 * @packageDocumentation
 */
export { RedisOnlineStore } from './redis-online-store.js';
export { RedisOnlineStoreConfig, RedisType } from './config.js';
export { murmur3_32 } from './murmur3.js';
