import { runUniversalOnlineStoreTests } from '@feast-ts/universal-tests';
import { inject } from 'vitest';

// The shared conformance suite against this store, with this repo's configs
// module (tests-universal/mysql.ts): a database of its own on the run's
// server (the global setup's, unless FEAST_MYSQL_URL names one). `resolveFrom`
// lets the suite's temporary feature repos find `@feast-ts/contrib-mysql`
// (this package, through its built dist).
const url = inject('mysqlServerUrl');
if (url && !process.env.FEAST_MYSQL_URL) process.env.FEAST_MYSQL_URL = url;
const { FULL_REPO_CONFIGS } = await import('../../../tests-universal/mysql.js');

runUniversalOnlineStoreTests(FULL_REPO_CONFIGS, {
  resolveFrom: [import.meta.url],
  suiteName: '@feast-ts/contrib-mysql: universal online store tests',
});
