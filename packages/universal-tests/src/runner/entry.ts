/**
 * The test file the `feast-universal-tests` bin hands to vitest. It loads the
 * configs module named by FULL_REPO_CONFIGS_MODULE through vitest's module
 * loader (so a `.ts` module works) and registers the suite.
 */
import { loadFullRepoConfigs } from '../load-configs.js';
import { runUniversalOnlineStoreTests } from '../run.js';
import { splitList } from '../select-checks.js';
import { ONLY_ENV, SKIP_ENV } from './env.js';

runUniversalOnlineStoreTests(loadFullRepoConfigs(undefined, { importModule: (url) => import(/* @vite-ignore */ url) }), {
  only: splitList(process.env[ONLY_ENV]),
  skip: splitList(process.env[SKIP_ENV]),
});
