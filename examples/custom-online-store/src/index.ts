/**
 * A feast-ts online store on the key-value store of NATS JetStream, written
 * the way a third party would publish one: it depends on the NATS client,
 * takes `@feast-ts/core` as a peer, and exports the store class with its
 * config schema named `<ClassName>Config`.
 *
 * @packageDocumentation
 */
// #region exports
export { NatsKvOnlineStore } from './nats-kv-online-store.js';
export { NatsKvOnlineStoreConfig } from './config.js';
// #endregion exports
