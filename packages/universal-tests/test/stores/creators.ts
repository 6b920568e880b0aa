import { fileURLToPath } from 'node:url';
import type { OnlineStoreConfigObject, OnlineStoreCreator, OnlineStoreCreatorClass } from '../../src/index.js';
import { dropDatabase } from './in-memory-online-store.js';

/** `online_store.type` naming an export of one of the test store files by absolute path. */
export function storeType(file: 'in-memory-online-store.ts' | 'broken-stores.ts', exportName: string): string {
  return `${fileURLToPath(new URL(`./${file}`, import.meta.url))}#${exportName}`;
}

/**
 * A creator class for an in-memory store: every instance gets its own
 * database (named after the project), dropped on teardown.
 */
export function inMemoryCreator(type: string): OnlineStoreCreatorClass {
  return class InMemoryStoreCreator implements OnlineStoreCreator {
    private readonly database: string;
    constructor(projectName: string) {
      this.database = `db_${projectName}`;
    }
    async createOnlineStore(): Promise<OnlineStoreConfigObject> {
      return { type, database: this.database };
    }
    async teardown(): Promise<void> {
      dropDatabase(this.database);
    }
  };
}

/** The reference store's creator. */
export const InMemoryOnlineStoreCreator: OnlineStoreCreatorClass = inMemoryCreator(storeType('in-memory-online-store.ts', 'InMemoryOnlineStore'));
