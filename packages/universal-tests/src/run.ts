import { FeastConfigError } from '@feast-ts/core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { universalChecks } from './checks/index.js';
import type { UniversalCheck } from './checks/types.js';
import { loadFullRepoConfigs } from './load-configs.js';
import { checkTitle, isListed } from './select-checks.js';
import { UniversalSession } from './session.js';
import type { IntegrationTestRepoConfig } from './types.js';

/** Options of {@link runUniversalOnlineStoreTests}. */
export interface RunUniversalTestsOptions {
  /** Checks to run; default {@link universalChecks}. */
  checks?: readonly UniversalCheck[];
  /** Check ids or names to run; all when omitted or empty. */
  only?: readonly string[];
  /** Check ids or names to skip for every config (added to each config's own `skip`). */
  skip?: readonly string[];
  /** Timeout of each check in ms; default 60 000. */
  testTimeout?: number;
  /** Timeout of a creator's createOnlineStore()/teardown() in ms; default 600 000 (containers can be slow). */
  setupTimeout?: number;
  /** Title of the outer `describe`; default `feast-ts universal online store tests`. */
  suiteName?: string;
  /** More places to resolve store packages from (after each temporary repo and the current directory). */
  resolveFrom?: Array<string | URL>;
  /**
   * Used when `configs` is omitted and the configs module named by
   * `FULL_REPO_CONFIGS_MODULE` is loaded: pass `(url) => import(url)` from
   * your test file to import a `.ts` configs module through vitest.
   */
  importModule?: (url: string) => Promise<unknown>;
}

/**
 * Registers the universal online store suite with vitest: one `describe`
 * per config, one `it` per check (titled `<name> [<id>]`). Call it at the top
 * level of a test file.
 *
 * Each config's creator is started in `beforeAll` and torn down in
 * `afterAll`; each check runs in fresh feature repos with unique project names
 * and closes every store it opened.
 *
 * @param configs - the configs to test (or a promise of them); default: the
 *   module named by `FULL_REPO_CONFIGS_MODULE`, else the built-in SQLite config
 */
export function runUniversalOnlineStoreTests(
  configs?: readonly IntegrationTestRepoConfig[] | Promise<readonly IntegrationTestRepoConfig[]>,
  options: RunUniversalTestsOptions = {},
): void {
  const checks = (options.checks ?? universalChecks).filter((c) => !options.only?.length || isListed(c, options.only));
  const testTimeout = options.testTimeout ?? 60_000;
  const setupTimeout = options.setupTimeout ?? 600_000;

  describe(options.suiteName ?? 'feast-ts universal online store tests', async () => {
    const list = configs !== undefined
      ? await configs
      : await loadFullRepoConfigs(undefined, options.importModule ? { importModule: options.importModule } : {});
    for (const config of list) {
      describe(config.name, () => {
        let session: UniversalSession | undefined;
        beforeAll(async () => {
          session = await UniversalSession.start(config, options.resolveFrom ? { resolveFrom: options.resolveFrom } : {});
        }, setupTimeout);
        afterAll(async () => {
          await session?.end();
        }, setupTimeout);
        for (const check of checks) {
          const skipped = isListed(check, config.skip) || isListed(check, options.skip);
          const test = skipped ? it.skip : it;
          test(checkTitle(check), async () => {
            if (!session) {
              throw new FeastConfigError(`Config "${config.name}" did not start (its creator or online_store failed); see the beforeAll error.`);
            }
            await session.runCheck(check);
          }, testTimeout);
        }
      });
    }
  });
}
