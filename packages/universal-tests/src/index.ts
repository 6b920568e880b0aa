/**
 * `@feast-ts/universal-tests`: the conformance suite every feast-ts online
 * store runs. Call {@link runUniversalOnlineStoreTests} from a vitest test
 * file, or run the `feast-universal-tests` bin against a configs module.
 *
 * @packageDocumentation
 */
export type {
  IntegrationTestRepoConfig,
  OnlineStoreCreator,
  OnlineStoreCreatorClass,
  OnlineStoreConfigInput,
  OnlineStoreConfigObject,
} from './types.js';
export { FullRepoConfigsError, RunnerDependencyError } from './errors.js';
export {
  loadFullRepoConfigs,
  parseFullRepoConfigs,
  FULL_REPO_CONFIGS_MODULE_ENV,
  type LoadFullRepoConfigsOptions,
} from './load-configs.js';
export { IntegrationTestRepoConfigSchema, FullRepoConfigsSchema, AvailableOnlineStoresSchema } from './config-schema.js';
export { defaultRepoConfigs, TempSqliteOnlineStoreCreator } from './default-configs.js';
export { runUniversalOnlineStoreTests, type RunUniversalTestsOptions } from './run.js';
export { UniversalSession, type UniversalSessionOptions } from './session.js';
export {
  createTestEnvironment,
  uniqueProjectName,
  type CreateTestEnvironmentOptions,
  type DisposableTestEnvironment,
} from './environment.js';
export { universalChecks, UNIVERSAL_CHECK_IDS } from './checks/index.js';
export type { UniversalCheck, UniversalCheckContext, TestEnvironment } from './checks/types.js';
export { assertReadResults, CheckFailure, type ExpectedRead } from './assert.js';
