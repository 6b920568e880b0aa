// The in-memory online store for the FeatureStore tests: core's reference MemoryOnlineStore,
// re-exported from a plain JavaScript file the feature repo (a temp directory) loads with
// Node's own import, as a user's store is loaded.
export { MemoryOnlineStore, MemoryOnlineStoreConfig } from '@feast-ts/core';
