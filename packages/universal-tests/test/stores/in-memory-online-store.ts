/**
 * The reference store the suite is tested against: core's MemoryOnlineStore
 * (Map-based, on core's row pipeline), under the names the suite's tests use.
 * State lives in named in-memory databases shared by every instance in the
 * process (online_store.database); broken-stores.ts derives one bug each from it.
 */
import { MemoryOnlineStore, MemoryOnlineStoreConfig, type OnlineReadRequest, type OnlineReadResult, type RepoConfig } from '@feast-ts/core';

export { dropMemoryDatabase as dropDatabase } from '@feast-ts/core';

/** The reference store. */
export class InMemoryOnlineStore extends MemoryOnlineStore {}
/** Config schema, found by core as `<ClassName>Config`. */
export const InMemoryOnlineStoreConfig = MemoryOnlineStoreConfig;
export type InMemoryOnlineStoreConfig = MemoryOnlineStoreConfig;

/** Lets other calls run, as a real driver's I/O would. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The reference store with Feast's Redis write rule: a row not newer than the
 * stored one (or than an earlier row of its key in the batch) is skipped.
 */
export class NewestEventWinsOnlineStore extends InMemoryOnlineStore {
  constructor() {
    super({ writeSemantics: 'newest-event-wins' });
  }
}
export const NewestEventWinsOnlineStoreConfig = InMemoryOnlineStoreConfig;

/** The reference store with the optional `onlineReadMany` capability (one pass over several views). */
export class ReadManyOnlineStore extends InMemoryOnlineStore {
  override async onlineReadMany(config: RepoConfig<InMemoryOnlineStoreConfig>, requests: readonly OnlineReadRequest[]): Promise<OnlineReadResult[][]> {
    const results: OnlineReadResult[][] = [];
    for (const r of requests) results.push(await this.onlineRead(config, r.table, r.entityKeys, r.requestedFeatures));
    return results;
  }
}
export const ReadManyOnlineStoreConfig = InMemoryOnlineStoreConfig;
