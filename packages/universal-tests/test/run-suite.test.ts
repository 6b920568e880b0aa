import { fileURLToPath } from 'node:url';
import { runUniversalOnlineStoreTests } from '../src/index.js';
import { InMemoryOnlineStoreCreator, storeType } from './stores/creators.js';

// The suite as an adapter's test file runs it: explicit configs (a creator, and a static
// online_store with a skip list)...
runUniversalOnlineStoreTests(
  [
    { name: 'in-memory (creator)', creator: InMemoryOnlineStoreCreator },
    {
      name: 'in-memory (static config)',
      onlineStore: { type: storeType('in-memory-online-store.ts', 'InMemoryOnlineStore'), database: 'static-suite' },
      skip: ['round-trip-large-bytes', 'write then read returns every set Value type unchanged'],
    },
  ],
  { suiteName: 'universal suite, explicit configs' },
);

// ...and configs loaded from a module named like FULL_REPO_CONFIGS_MODULE, imported through vitest.
process.env['FULL_REPO_CONFIGS_MODULE'] = fileURLToPath(new URL('./fixtures/available-online-stores.ts', import.meta.url));
runUniversalOnlineStoreTests(undefined, {
  suiteName: 'universal suite, configs module',
  only: ['update-idempotent', 'project-isolation', 'feature-store-write-read'],
  importModule: (url) => import(/* @vite-ignore */ url),
});
