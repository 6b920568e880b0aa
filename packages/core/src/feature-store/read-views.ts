import type { RepoConfig } from '../config/repo-config.js';
import { ValueConversionError } from '../errors.js';
import type { OnlineReadRequest, OnlineReadResult, OnlineStore } from '../online-store.js';

/**
 * The reads of several views: one `onlineReadMany` call when the store has
 * that capability (a store whose views of an entity share a record reads them
 * in one pass), else one `onlineRead` per view, in parallel. Result `i`
 * answers `requests[i]`; each must have one entry per entity key.
 */
export async function readViews(store: OnlineStore, config: RepoConfig, requests: readonly OnlineReadRequest[]): Promise<OnlineReadResult[][]> {
  if (requests.length === 0) return [];
  if (typeof store.onlineReadMany === 'function') {
    const results = await store.onlineReadMany(config, requests);
    if (!Array.isArray(results) || results.length !== requests.length) {
      throw new ValueConversionError(`${store.constructor.name}.onlineReadMany returned ${Array.isArray(results) ? results.length : typeof results} results for ${requests.length} views; it must return one per view.`);
    }
    return results;
  }
  if (requests.length === 1) {
    const r = requests[0]!;
    return [await store.onlineRead(config, r.table, r.entityKeys, r.requestedFeatures)];
  }
  return Promise.all(requests.map((r) => store.onlineRead(config, r.table, r.entityKeys, r.requestedFeatures)));
}
