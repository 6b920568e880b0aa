import { DriverOnlineStore } from '@feast-ts/core';
import type { SqliteOnlineStoreConfig } from './config.js';
import { SqliteDriver } from './sqlite-driver.js';

/**
 * Feast's SQLite online store for TypeScript, on better-sqlite3: one table per
 * feature view named `<project>_<view>`, one row per (entity, feature), in
 * exactly the layout Python Feast uses, so either side reads what the other
 * wrote. Timestamps are stored as integer Unix epoch seconds, and
 * `value_text` (where the table has it) as Feast fills it.
 *
 * Built on core's row pipeline ({@link DriverOnlineStore}); the SQL is in its
 * driver. Each store instance keeps one connection per database file (opened
 * on first use, WAL mode) and caches its prepared statements; {@link close}
 * releases them. Calls run synchronously on the calling thread
 * (better-sqlite3), the fastest way to use an embedded database. Writes are
 * one IMMEDIATE transaction per call; reads of more than 256 distinct keys
 * run in one read transaction, so they see one snapshot.
 */
export class SqliteOnlineStore extends DriverOnlineStore<SqliteOnlineStoreConfig> {
  /** Project names prefix table names, so they are limited to letters, digits and underscores. */
  static override readonly projectNamePattern = {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_]*$/,
    description: 'SQLite table names are <project>_<view>, so use letters, digits and underscores (no hyphens)',
  };

  constructor() {
    super(new SqliteDriver());
  }
}
