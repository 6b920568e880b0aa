/**
 * `@feast-ts/contrib-mysql`: Feast's MySQL online store for feast-ts
 * (contrib, alpha). Use it with `online_store: { type: mysql, ... }` in
 * feature_store.yaml.
 *
 * @packageDocumentation
 */
export { MySQLOnlineStore, READ_CHUNK_KEYS, GROUPED_CHUNK_KEYS, DEADLOCK_ATTEMPTS } from './mysql-online-store.js';
export {
  MySQLOnlineStoreConfig,
  parseStoreConfig,
  type ParsedMySQLOnlineStoreConfig,
  type MySQLSslConfig,
  MySQLSslOptions,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_USER,
  DEFAULT_PASSWORD,
  DEFAULT_DATABASE,
  DEFAULT_POOL_SIZE,
  DEFAULT_CONNECT_TIMEOUT_SECONDS,
  DEFAULT_QUERY_TIMEOUT_SECONDS,
  DEFAULT_ACQUIRE_TIMEOUT_SECONDS,
  DEFAULT_WRITE_CHUNK_SIZE,
  MAX_WRITE_CHUNK_SIZE,
} from './config.js';
export { errorKind } from './errors.js';
export { entityKeyHex, MAX_ENTITY_KEY_HEX_LENGTH } from './entity-key.js';
export { MAX_STATEMENT_BYTES } from './write-plan.js';
export { MIN_TIMESTAMP_SECONDS, MAX_TIMESTAMP_SECONDS } from './timestamps.js';
