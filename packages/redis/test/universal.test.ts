import { runUniversalOnlineStoreTests } from '@feast-ts/universal-tests';

// The shared conformance suite against this store, with this repo's configs
// module (tests-universal/redis.ts): the run's Redis (FEAST_REDIS_URL, else a
// throwaway server) with and without skip_dedup, and a throwaway 3-node Redis
// Cluster. `resolveFrom` lets the suite's temporary feature repos find
// `@feast-ts/redis` (this package, through its built dist).
const { FULL_REPO_CONFIGS } = await import('../../../tests-universal/redis.js');

runUniversalOnlineStoreTests(FULL_REPO_CONFIGS, {
  resolveFrom: [import.meta.url],
  suiteName: '@feast-ts/redis: universal online store tests',
});
