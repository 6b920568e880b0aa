import { runUniversalOnlineStoreTests } from '@feast-ts/universal-tests';
import { inject } from 'vitest';

// The shared conformance suite against this store, with this repo's configs
// module (tests-universal/postgres.ts): a database of its own on the run's
// server (the global setup's, unless FEAST_POSTGRES_URL names one).
// `resolveFrom` lets the suite's temporary feature repos find
// `@feast-ts/postgres` (this package, through its built dist).
const url = inject('postgresServerUrl');
if (url && !process.env.FEAST_POSTGRES_URL) process.env.FEAST_POSTGRES_URL = url;
const { FULL_REPO_CONFIGS } = await import('../../../tests-universal/postgres.js');

runUniversalOnlineStoreTests(FULL_REPO_CONFIGS, {
  resolveFrom: [import.meta.url],
  suiteName: '@feast-ts/postgres: universal online store tests',
});
