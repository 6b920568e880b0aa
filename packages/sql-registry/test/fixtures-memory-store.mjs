// A minimal in-memory online store for the FeatureStore tests, written as plain JavaScript so the
// feature repo (a temp directory) can load it with Node's own import, as a user's store is loaded.
import { FeastConfigBaseModel, OnlineStore, onlineTableName, serializeEntityKey } from '@feast-ts/core';

export const MemoryOnlineStoreConfig = FeastConfigBaseModel;

const keyOf = (config, key) => Buffer.from(serializeEntityKey(key, config.entityKeySerializationVersion)).toString('hex');

export class MemoryOnlineStore extends OnlineStore {
  tables = new Map();

  async update(config, del, keep) {
    for (const v of del) this.tables.delete(onlineTableName(config.project, v));
    for (const v of keep) if (!this.tables.has(onlineTableName(config.project, v))) this.tables.set(onlineTableName(config.project, v), new Map());
  }

  async teardown(config, tables) {
    for (const v of tables) this.tables.delete(onlineTableName(config.project, v));
  }

  async onlineWriteBatch(config, table, data, progress) {
    const t = this.tables.get(onlineTableName(config.project, table));
    if (!t) throw new Error(`no table ${table.name}`);
    for (const [key, features, ts] of data) t.set(keyOf(config, key), { ts, features });
    progress?.(data.length);
  }

  async onlineRead(config, table, keys, requested) {
    const t = this.tables.get(onlineTableName(config.project, table)) ?? new Map();
    return keys.map((k) => {
      const row = t.get(keyOf(config, k));
      if (!row) return [null, null];
      return [row.ts, requested ? Object.fromEntries(Object.entries(row.features).filter(([n]) => requested.includes(n))) : row.features];
    });
  }
}
