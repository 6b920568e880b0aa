/**
 * The shapes a store author hands to the suite: an online store config or a
 * creator that provisions one, grouped in an {@link IntegrationTestRepoConfig}.
 *
 * @module
 */

/**
 * An `online_store` section of feature_store.yaml: an object with at least
 * `type` (`{ type: 'mysql', host: '127.0.0.1', ... }`), or a bare type string
 * (`'sqlite'`), exactly as feature_store.yaml accepts it.
 */
export type OnlineStoreConfigInput = string | OnlineStoreConfigObject;

/** The object form of an `online_store` section: `type` plus the store's own keys. */
export type OnlineStoreConfigObject = { type: string } & Record<string, unknown>;

/**
 * Provisions a database for the suite and removes it afterwards: the
 * TypeScript form of Feast's `OnlineStoreCreator`. A creator may start a
 * container, create a throwaway database on a server given in the
 * environment, or make a temporary directory.
 *
 * The suite constructs it once per config (`new Creator(projectName)`), calls
 * {@link OnlineStoreCreator.createOnlineStore} before the first test and
 * {@link OnlineStoreCreator.teardown} after the last one.
 */
export interface OnlineStoreCreator {
  /**
   * Makes the database ready and returns the `online_store` section that
   * points at it, such as `{ type: 'mysql', host, port, user, password, database }`.
   * When the config also has a static `onlineStore` object, this result is
   * merged over it.
   */
  createOnlineStore(): Promise<OnlineStoreConfigObject>;
  /** Releases what {@link createOnlineStore} made (stop the container, drop the database). */
  teardown(): Promise<void>;
}

/**
 * A class that builds an {@link OnlineStoreCreator}; the suite passes a
 * project name (letters, digits and underscores) that the creator may use to
 * name what it makes.
 */
export type OnlineStoreCreatorClass = new (projectName: string) => OnlineStoreCreator;

/**
 * One store configuration to run the suite against: the TypeScript form of
 * Feast's `IntegrationTestRepoConfig`, as exported in a `FULL_REPO_CONFIGS`
 * array.
 *
 * @example
 * ```ts
 * export const FULL_REPO_CONFIGS: IntegrationTestRepoConfig[] = [
 *   { name: 'redis', creator: RedisOnlineStoreCreator, skip: ['round-trip-large-bytes'] },
 * ];
 * ```
 */
export interface IntegrationTestRepoConfig {
  /** Name shown in test titles; unique within a configs module. */
  name: string;
  /**
   * The `online_store` section of the generated feature_store.yaml. Optional
   * when {@link creator} is given (its result is used, merged over this
   * object when both are objects).
   */
  onlineStore?: OnlineStoreConfigInput;
  /** Provisions the database before the tests and removes it after them. */
  creator?: OnlineStoreCreatorClass;
  /**
   * Checks that do not apply to this store, by check id (`round-trip-large-bytes`)
   * or by check name (the test title). Skipped checks are reported as skipped.
   */
  skip?: string[];
  /** `provider` written to feature_store.yaml; default `local`. */
  provider?: string;
}
