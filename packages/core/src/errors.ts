/**
 * Every error feast-ts throws on purpose is a {@link FeastError}: a stable
 * machine-readable `code`, a message that says what to do next, and the
 * underlying `cause` when there is one.
 *
 * Recognise errors with {@link isFeastError} or by `code` rather than
 * `instanceof`: two copies of `@feast-ts/core` in one dependency tree have two
 * distinct classes, but the same codes.
 */

/** The stable codes of {@link FeastError}. New codes may be added in minor releases. */
export type FeastErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'STORE_PACKAGE_MISSING'
  | 'STORE_EXPORT_MISSING'
  | 'STORE_WRONG_SHAPE'
  | 'STORE_NOT_SUPPORTED'
  | 'STORE_DEPENDENCY_MISSING'
  | 'NO_ONLINE_STORE'
  | 'ENTITY_KEY_INVALID'
  | 'VALUE_INVALID'
  | 'DEFINITION_INVALID'
  | 'NOT_FOUND'
  | 'REGISTRY_INVALID'
  | 'REGISTRY_UNSUPPORTED'
  | 'REGISTRY_PACKAGE_MISSING'
  | 'REGISTRY_LOCKED'
  | 'NOT_SERVABLE'
  | 'STORE_FAILED'
  // The command lines (feast-ts, feast-universal-tests) and the universal suite:
  | 'USAGE'
  | 'FILE_NOT_FOUND'
  | 'INPUT_INVALID'
  | 'DEFINITIONS_INVALID'
  | 'REPO_EXISTS'
  | 'DEPENDENCY_MISSING'
  | 'CHECK_FAILED';

/** Base class of every error thrown by feast-ts and its stores. */
export class FeastError extends Error {
  /** Stable identifier of the kind of failure. */
  readonly code: FeastErrorCode;

  constructor(code: FeastErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** True when `err` is a feast-ts error (from this or any other copy of core). */
export function isFeastError(err: unknown): err is FeastError {
  return (
    err instanceof FeastError ||
    (err instanceof Error && typeof (err as { code?: unknown }).code === 'string' &&
      (err as { feastError?: unknown }).feastError === true)
  );
}
Object.defineProperty(FeastError.prototype, 'feastError', { value: true });

/** feature_store.yaml (or an online store config) is missing a key, has an unknown key, or a bad value. */
export class FeastConfigError extends FeastError {
  /** The file at fault, when the config came from a file. */
  readonly file: string | undefined;
  /** Path of the offending key, such as `online_store.port`. */
  readonly keyPath: string | undefined;

  constructor(message: string, details: { file?: string; keyPath?: string; cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, { cause: details.cause });
    this.file = details.file;
    this.keyPath = details.keyPath;
  }
}

/** No feature_store.yaml where one was expected. */
export class FeatureRepoNotFoundError extends FeastError {
  constructor(readonly file: string, cause?: unknown) {
    super(
      'CONFIG_NOT_FOUND',
      `No feature repository at ${file}: the file does not exist. Run \`feast-ts init\` to create one, or pass the repo directory (-C <repo>).`,
      { cause },
    );
  }
}

/** The package named by `online_store.type` is not installed where the feature repo can see it. */
export class OnlineStorePackageMissingError extends FeastError {
  constructor(readonly packageName: string, readonly storeType: string, readonly searchedFrom: string, cause?: unknown) {
    super(
      'STORE_PACKAGE_MISSING',
      `online_store.type "${storeType}" needs the package "${packageName}", which is not installed (looked from ${searchedFrom}). ` +
        `Install it in your project: pnpm add ${packageName}  (or npm install ${packageName}).`,
      { cause },
    );
  }
}

/** The module was found but does not export the named class. */
export class OnlineStoreExportMissingError extends FeastError {
  constructor(readonly moduleName: string, readonly exportName: string, available: string[]) {
    super(
      'STORE_EXPORT_MISSING',
      `"${moduleName}" has no export named "${exportName}". ` +
        (available.length > 0 ? `Exports ending in OnlineStore: ${available.join(', ')}. ` : '') +
        `Fix online_store.type to name an exported class, e.g. "${moduleName}#MyOnlineStore".`,
    );
  }
}

/** The export exists but is not a usable OnlineStore class (or its config schema is missing or invalid). */
export class NotAnOnlineStoreError extends FeastError {
  constructor(readonly moduleName: string, readonly exportName: string, reason: string) {
    super('STORE_WRONG_SHAPE', `"${moduleName}#${exportName}" is not a usable online store: ${reason}`);
  }
}

/** An entity key cannot be serialized or deserialized. */
export class EntityKeySerializationError extends FeastError {
  constructor(message: string, cause?: unknown) {
    super('ENTITY_KEY_INVALID', message, { cause });
  }
}

/** A value does not fit the type declared for it (a feature, an entity, a Value proto). */
export class ValueConversionError extends FeastError {
  constructor(message: string, cause?: unknown) {
    super('VALUE_INVALID', message, { cause });
  }
}

/** An Entity, Field or FeatureView definition is invalid. */
export class DefinitionError extends FeastError {
  constructor(message: string) {
    super('DEFINITION_INVALID', message);
  }
}

/** A feature view, feature or entity that was asked for does not exist in the registry. */
export class NotFoundError extends FeastError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** The registry file cannot be read or parsed. */
export class RegistryError extends FeastError {
  constructor(message: string, cause?: unknown) {
    super('REGISTRY_INVALID', message, { cause });
  }
}

/**
 * The registry file is feast-ts's old JSON registry (or other JSON), not Feast's protobuf registry.db.
 * Nothing was read from it and it is left as it is.
 */
export class LegacyJsonRegistryError extends RegistryError {
  constructor(readonly file: string) {
    super(
      `The registry ${file} is JSON (feast-ts's former registry format), but feast-ts now reads and writes Feast's own registry: ` +
        `a protobuf registry.db, as Python Feast does. The file was not read and is left untouched. ` +
        `Point \`registry:\` in feature_store.yaml at a Feast registry (default data/registry.db), then run \`feast-ts apply\` ` +
        `to register your TypeScript definitions there (or \`feast apply\` for Python ones).`,
    );
  }
}

/** The registry type or location of feature_store.yaml is one feast-ts cannot use yet (remote, s3://, gs://, ...). */
export class RegistryNotSupportedError extends FeastError {
  constructor(
    /** What feature_store.yaml names: a `registry_type` or a path. */
    readonly registry: string,
    message: string,
  ) {
    super('REGISTRY_UNSUPPORTED', message);
  }
}

/** `registry_type: sql` needs `@feast-ts/sql-registry`, which is not installed. */
export class RegistryPackageMissingError extends FeastError {
  constructor(readonly packageName: string, readonly registryType: string, cause?: unknown) {
    super(
      'REGISTRY_PACKAGE_MISSING',
      `registry_type "${registryType}" needs the package "${packageName}", which is not installed. ` +
        `Install it in your project: pnpm add ${packageName}  (or npm install ${packageName}).`,
      { cause },
    );
  }
}

/** Another process held the registry's write lock for longer than feast-ts waits. */
export class RegistryLockedError extends FeastError {
  constructor(readonly lockFile: string, message: string) {
    super('REGISTRY_LOCKED', message);
  }
}

/**
 * A feature view (or a feature service using it) cannot be served by feast-ts: an on-demand
 * feature view runs Python code, and a view with `online: false` has no online table.
 */
export class FeatureViewNotServableError extends FeastError {
  constructor(
    /** The view at fault. */
    readonly viewName: string,
    /** Why: `on_demand` (needs Python Feast's feature server) or `offline` (`online: false`). */
    readonly reason: 'on_demand' | 'offline',
    message: string,
  ) {
    super('NOT_SERVABLE', message);
  }
}

/**
 * A database operation of an online store failed. Store adapters throw this
 * with a `kind` that names what went wrong, mapped from their driver's errors.
 */
export class OnlineStoreError extends FeastError {
  constructor(
    readonly kind: OnlineStoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('STORE_FAILED', message, options);
  }
}

/**
 * What went wrong in an {@link OnlineStoreError}. Two kinds the universal suite checks for every
 * store (`@feast-ts/universal-tests`):
 * - `table_missing`: a read or write of a view that `update` (apply) never created, for a store
 *   that keeps a table per view (a store without tables reads such a view as empty instead);
 * - `closed`: a call cut off because `close()` ran while it was in flight (the next call
 *   reconnects, as after any close).
 */
export type OnlineStoreErrorKind =
  | 'auth_failed'
  | 'database_missing'
  | 'table_missing'
  | 'closed'
  | 'unreachable'
  | 'timeout'
  | 'connection_lost'
  | 'value_too_large'
  | 'invalid_identifier'
  | 'query_failed';
