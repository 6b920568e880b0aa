import { FeastConfigError } from '../errors.js';

/** What the `online_store` key of feature_store.yaml asks for. */
export type OnlineStoreSection = { kind: 'none' } | { kind: 'store'; type: string; section: Record<string, unknown> };

/**
 * Reads `online_store` as Feast does: absent means SQLite with its defaults; a
 * string is a store type (`sqlite`), except `none` / `null` (any case), which
 * mean no online store, as YAML `null` (or an empty value) does; a mapping
 * without `type` is SQLite.
 *
 * @throws FeastConfigError for any other value
 */
export function readOnlineStoreSection(doc: Record<string, unknown>, file: string): OnlineStoreSection {
  if (!('online_store' in doc)) return { kind: 'store', type: 'sqlite', section: { type: 'sqlite' } };
  const value = doc.online_store;
  if (value === null || value === undefined) return { kind: 'none' };
  if (typeof value === 'string') {
    const name = value.trim();
    if (name.toLowerCase() === 'none' || name.toLowerCase() === 'null') return { kind: 'none' };
    if (name === '') throw invalid(file, 'online_store', 'is an empty string; name a store (sqlite) or write null for no online store');
    return { kind: 'store', type: name, section: { type: name } };
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const section: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (section.type === undefined) section.type = 'sqlite';
    if (typeof section.type !== 'string' || section.type.trim() === '') {
      throw invalid(file, 'online_store.type', 'must be a store name such as sqlite, "package#ExportedOnlineStore" or a file path');
    }
    return { kind: 'store', type: section.type, section };
  }
  throw invalid(file, 'online_store', 'must be a store name (sqlite), a mapping with "type", or null for no online store');
}

function invalid(file: string, keyPath: string, reason: string): FeastConfigError {
  return new FeastConfigError(`${file}: ${keyPath} ${reason}.`, { file, keyPath });
}
