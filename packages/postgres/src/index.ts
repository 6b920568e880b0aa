/**
 * `@feast-ts/postgres`: Feast's PostgreSQL online store for feast-ts. Use it
 * with `online_store: { type: postgres, ... }` in feature_store.yaml.
 *
 * @packageDocumentation
 */
export { PostgreSQLOnlineStore, WRITE_ATTEMPTS } from './postgres-online-store.js';
export {
  PostgreSQLOnlineStoreConfig,
  parseStoreConfig,
  schemaOf,
  type ParsedPostgreSQLOnlineStoreConfig,
  SSL_MODES,
  DEFAULT_PORT,
  DEFAULT_DB_SCHEMA,
  DEFAULT_MIN_CONN,
  DEFAULT_MAX_CONN,
  DEFAULT_CONNECT_TIMEOUT_SECONDS,
  DEFAULT_QUERY_TIMEOUT_SECONDS,
} from './config.js';
export { errorKind } from './errors.js';
export { MAX_IDENTIFIER_BYTES } from './sql.js';
export { WRITE_CHUNK_ROWS, WRITE_CHUNK_BYTES, MAX_VALUE_BYTES } from './write-plan.js';
