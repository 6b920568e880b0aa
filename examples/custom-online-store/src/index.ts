/**
 * A feast-ts online store on Redis, written the way a third party would
 * publish one: it depends on `redis`, takes `@feast-ts/core` as a peer, and
 * exports the store class with its config schema named `<ClassName>Config`.
 *
 * @packageDocumentation
 */
// #region exports
export { RedisOnlineStore } from './redis-online-store.js';
export { RedisOnlineStoreConfig } from './config.js';
// #endregion exports
