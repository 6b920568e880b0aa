import { FeastError } from '../errors.js';

/** Where the guide to writing a store lives in the repository. */
export const ADDING_A_STORE_GUIDE = 'docs/how-to/adding-a-new-online-store.md';

/**
 * `online_store.type` names one of Python Feast's online stores (DynamoDB,
 * Milvus, Cassandra, a `feast.infra...` class path, ...) that feast-ts has no
 * adapter for yet. There is nothing to install: the store has to be written.
 */
export class OnlineStoreNotSupportedError extends FeastError {
  constructor(
    /** `online_store.type` as written. */
    readonly storeType: string,
    /** What the store is, such as "Amazon DynamoDB". */
    readonly label: string,
    /** Its Python class in Feast, when known. */
    readonly feastClass: string | undefined,
    /** The stores feast-ts does have, by short name. */
    available: readonly string[],
  ) {
    const what = label === storeType ? `Feast's online store ${storeType}` : `Feast's ${label} online store`;
    super(
      'STORE_NOT_SUPPORTED',
      `online_store.type "${storeType}" names ${what}` +
        (feastClass && feastClass !== storeType ? ` (${feastClass})` : '') +
        `. feast-ts has no adapter for it yet: it serves ${available.join(', ')}. ` +
        `Use one of those, or write an adapter (see ${ADDING_A_STORE_GUIDE}) and name it as "your-package#YourOnlineStore".`,
    );
  }
}

/**
 * The store package was found, but importing it failed because a module it
 * imports (usually its database driver) is not installed.
 */
export class OnlineStoreDependencyMissingError extends FeastError {
  constructor(
    /** The store module named by `online_store.type`. */
    readonly storeModule: string,
    /** The module that could not be found, as it was imported. */
    readonly missingModule: string,
    /** The file that imports it, when Node said which. */
    readonly importedFrom: string | undefined,
    cause: unknown,
  ) {
    const bare = !missingModule.startsWith('.') && !missingModule.startsWith('/') && !missingModule.startsWith('file:');
    const who = importedFrom ? `${importedFrom} imports "${missingModule}"` : `it imports "${missingModule}"`;
    super(
      'STORE_DEPENDENCY_MISSING',
      `The online store "${storeModule}" is installed, but it cannot be loaded: ${who}, which is not installed. ` +
        (bare
          ? `It is a dependency of the store, not the store itself: reinstall the store package so that its dependencies are installed (pnpm install), or add "${missingModule}" to your project.`
          : 'A file of the store is missing: rebuild or reinstall the store package.'),
      { cause },
    );
  }
}

/**
 * A read or write needs the online store, but feature_store.yaml says
 * `online_store: null` (or `none`): the repo has no online store.
 */
export class NoOnlineStoreError extends FeastError {
  constructor(
    /** The operation that needed a store, such as `onlineRead`. */
    readonly operation: string,
    /** The feature_store.yaml, when the config came from a file. */
    readonly file: string | undefined,
  ) {
    super(
      'NO_ONLINE_STORE',
      `${file ?? 'The repo config'} has no online store (online_store: null), so ${operation} cannot run. ` +
        'Configure one in feature_store.yaml, for example "online_store: {type: sqlite, path: data/online.db}".',
    );
  }
}
