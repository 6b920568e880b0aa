import { TempSqliteOnlineStoreCreator, runUniversalOnlineStoreTests } from '@feast-ts/universal-tests';

// The shared conformance suite against this store: a SQLite file in a fresh
// temporary directory. `resolveFrom` lets the suite's temporary feature repos
// find `@feast-ts/sqlite` (this package, through its built dist).
runUniversalOnlineStoreTests(
  [{ name: 'sqlite', onlineStore: { type: 'sqlite' }, creator: TempSqliteOnlineStoreCreator }],
  { resolveFrom: [import.meta.url], suiteName: '@feast-ts/sqlite: universal online store tests' },
);
