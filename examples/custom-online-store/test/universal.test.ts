// #region test
import { runUniversalOnlineStoreTests } from '@feast-ts/universal-tests';
import { FULL_REPO_CONFIGS } from './full-repo-configs.js';

// The whole conformance suite, as `vitest run` in this package (or the repo root) runs it.
runUniversalOnlineStoreTests(FULL_REPO_CONFIGS);
// #endregion test
