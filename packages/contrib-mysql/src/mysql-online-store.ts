import { DriverOnlineStore, warnContribStoreOnce } from '@feast-ts/core';
import type { MySQLOnlineStoreConfig } from './config.js';
import { MySQLDriver } from './mysql-driver.js';

export { DEADLOCK_ATTEMPTS } from './mysql-driver.js';
export { READ_CHUNK_KEYS, GROUPED_CHUNK_KEYS } from './read.js';

/**
 * Feast's MySQL online store for TypeScript (contrib, alpha): one table
 * `<project>_<view>` per feature view, one row per (entity, feature), the
 * same layout and bytes as Feast's `MySQLOnlineStore`, so Feast (Python) and
 * feast-ts read and write the same tables. Written for MySQL 5.7+/8.x and
 * MariaDB 10.3+ (tested on MariaDB 10.11).
 *
 * Built on core's row pipeline ({@link DriverOnlineStore}); the SQL is in its
 * driver. Connections come from mysql2 pools, one per distinct connection
 * settings, created lazily and ended by {@link close} (which waits for calls
 * in progress). Writes are multi-row upserts in one transaction per call;
 * reads are one SELECT per call (per 1,000 distinct keys, or 500 when the
 * rows come back one per entity).
 */
export class MySQLOnlineStore extends DriverOnlineStore<MySQLOnlineStoreConfig> {
  constructor() {
    super(new MySQLDriver());
    warnContribStoreOnce('MySQLOnlineStore');
  }
}
