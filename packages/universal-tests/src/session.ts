import { FeastConfigError } from '@feast-ts/core';
import type { UniversalCheck, UniversalCheckContext } from './checks/types.js';
import { createTestEnvironment, uniqueProjectName, type DisposableTestEnvironment } from './environment.js';
import type { IntegrationTestRepoConfig, OnlineStoreConfigInput, OnlineStoreCreator } from './types.js';

/** Options of {@link UniversalSession.start}. */
export interface UniversalSessionOptions {
  /** More places to resolve store packages from, after each temporary repo and the current directory. */
  resolveFrom?: Array<string | URL>;
}

function isConfigObject(value: unknown): value is { type: string } & Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * One config's run of the suite: its creator (if any) is constructed and
 * started once, then every check gets fresh environments on the resulting
 * database, and {@link end} tears the creator down.
 */
export class UniversalSession {
  private constructor(
    /** The config under test. */
    readonly config: IntegrationTestRepoConfig,
    /** The `online_store` section every environment's feature_store.yaml gets. */
    readonly onlineStore: OnlineStoreConfigInput,
    private readonly creator: OnlineStoreCreator | undefined,
    private readonly options: UniversalSessionOptions,
  ) {}

  /**
   * Constructs the config's creator with a project name, calls its
   * `createOnlineStore()`, and merges the result over `onlineStore`.
   *
   * @throws FeastConfigError when the creator is not usable or returns no `type`
   */
  static async start(config: IntegrationTestRepoConfig, options: UniversalSessionOptions = {}): Promise<UniversalSession> {
    if (!config.creator) {
      if (config.onlineStore === undefined) {
        throw new FeastConfigError(`Config "${config.name}" has neither onlineStore nor creator; give one of them.`);
      }
      return new UniversalSession(config, config.onlineStore, undefined, options);
    }
    const creator = new config.creator(uniqueProjectName());
    if (typeof creator.createOnlineStore !== 'function' || typeof creator.teardown !== 'function') {
      throw new FeastConfigError(
        `Config "${config.name}": the creator ${config.creator.name || '(anonymous class)'} must have createOnlineStore() and teardown() methods.`,
      );
    }
    try {
      const created: unknown = await creator.createOnlineStore();
      if (!isConfigObject(created)) {
        throw new FeastConfigError(
          `Config "${config.name}": ${config.creator.name}.createOnlineStore() must return an online_store object with a "type", such as { type: 'mysql', host: ... }; it returned ${JSON.stringify(created)}.`,
        );
      }
      const onlineStore = isConfigObject(config.onlineStore) ? { ...config.onlineStore, ...created } : created;
      return new UniversalSession(config, onlineStore, creator, options);
    } catch (err) {
      await creator.teardown().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Runs one check with a fresh context; every environment it made is
   * disposed afterwards (closing the stores), whether it passed or not.
   * Rejects with the check's failure, else with the first disposal error.
   */
  async runCheck(check: UniversalCheck): Promise<void> {
    const environments: DisposableTestEnvironment[] = [];
    const ctx: UniversalCheckContext = {
      configName: this.config.name,
      newEnvironment: async () => {
        const env = await createTestEnvironment(this.onlineStore, {
          ...(this.config.provider ? { provider: this.config.provider } : {}),
          ...(this.options.resolveFrom ? { resolveFrom: this.options.resolveFrom } : {}),
        });
        environments.push(env);
        return env;
      },
    };
    let failure: { error: unknown } | undefined;
    try {
      await check.run(ctx);
    } catch (error) {
      failure = { error };
    }
    const disposeErrors: unknown[] = [];
    for (const env of environments.reverse()) await env.dispose().catch((e: unknown) => disposeErrors.push(e));
    if (failure) throw failure.error;
    if (disposeErrors.length > 0) throw disposeErrors[0];
  }

  /** Calls the creator's `teardown()` (a no-op without a creator). */
  async end(): Promise<void> {
    await this.creator?.teardown();
  }
}
