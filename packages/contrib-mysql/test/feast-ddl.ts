import type mysql from 'mysql2/promise';

/** Feast's MySQLOnlineStore.update, statement for statement (names unquoted, as Feast writes them). */
export async function feastApply(raw: mysql.Connection, table: string): Promise<void> {
  await raw.query(`CREATE TABLE IF NOT EXISTS ${table} (entity_key VARCHAR(512),
                feature_name VARCHAR(256),
                value BLOB,
                event_ts timestamp NULL DEFAULT NULL,
                created_ts timestamp NULL DEFAULT NULL,
                PRIMARY KEY(entity_key, feature_name))`);
  await raw.query(`ALTER TABLE ${table} ADD INDEX ${table}_ek (entity_key);`);
}
