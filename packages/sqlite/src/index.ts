/**
 * `@feast-ts/sqlite`: Feast's SQLite online store for TypeScript, the
 * embedded default of feast-ts. Reads and writes the same tables, keys and
 * values as Python Feast's `SqliteOnlineStore`.
 *
 * @packageDocumentation
 */
export { SqliteOnlineStore } from './sqlite-online-store.js';
export { SqliteOnlineStoreConfig } from './config.js';
