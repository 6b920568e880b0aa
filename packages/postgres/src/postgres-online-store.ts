import { DriverOnlineStore } from '@feast-ts/core';
import type { PostgreSQLOnlineStoreConfig } from './config.js';
import { PostgreSQLDriver } from './postgres-driver.js';

export { WRITE_ATTEMPTS } from './postgres-driver.js';

/**
 * Feast's PostgreSQL online store for TypeScript: one table `<project>_<view>`
 * per feature view in `db_schema`, one row per (entity, feature), the same
 * columns and bytes as Feast's `PostgreSQLOnlineStore`, so Feast (Python) and
 * feast-ts read and write the same tables.
 *
 * Built on core's row pipeline ({@link DriverOnlineStore}); the SQL is in its
 * driver. Connections come from pg pools (one per distinct connection
 * settings), created lazily and ended by {@link close}. Writes are upserts of
 * binary arrays in one transaction per call (a key given twice is written
 * once, each feature from the last row that has it); reads are one SELECT per
 * call with `entity_key = ANY($1)`.
 */
export class PostgreSQLOnlineStore extends DriverOnlineStore<PostgreSQLOnlineStoreConfig> {
  constructor() {
    super(new PostgreSQLDriver());
  }
}
