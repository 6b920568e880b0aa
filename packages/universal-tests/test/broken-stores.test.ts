import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniversalSession, universalChecks } from '../src/index.js';
import { inMemoryCreator, InMemoryOnlineStoreCreator, storeType } from './stores/creators.js';

/** Runs every check against a session; returns the ids of the checks that failed, with their messages. */
async function failingChecks(session: UniversalSession): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  for (const check of universalChecks) {
    try {
      await session.runCheck(check);
    } catch (err) {
      failed.set(check.id, err instanceof Error ? err.message : String(err));
    }
  }
  return failed;
}

describe('the reference in-memory store', () => {
  it('passes every check', async () => {
    const session = await UniversalSession.start({ name: 'reference', creator: InMemoryOnlineStoreCreator });
    try {
      expect(Object.fromEntries(await failingChecks(session))).toEqual({});
    } finally {
      await session.end();
    }
  });

  it('passes every check with the onlineReadMany capability', async () => {
    const session = await UniversalSession.start({ name: 'read-many', creator: inMemoryCreator(storeType('in-memory-online-store.ts', 'ReadManyOnlineStore')) });
    try {
      expect(Object.fromEntries(await failingChecks(session))).toEqual({});
    } finally {
      await session.end();
    }
  });

  it('passes every check with the newest-event-wins write rule it declares', async () => {
    const session = await UniversalSession.start({ name: 'newest-wins', creator: inMemoryCreator(storeType('in-memory-online-store.ts', 'NewestEventWinsOnlineStore')) });
    try {
      expect(Object.fromEntries(await failingChecks(session))).toEqual({});
    } finally {
      await session.end();
    }
  });
});

/** Each broken store, and the checks that must catch its bug. */
const BROKEN: Array<{ store: string; bug: string; mustFail: string[] }> = [
  { store: 'ReversedResultsOnlineStore', bug: 'results out of order', mustFail: ['missing-entities', 'duplicate-keys', 'large-read', 'compound-key-order'] },
  { store: 'DroppedRowOnlineStore', bug: 'a dropped row on write', mustFail: ['missing-entities', 'large-read', 'concurrent-writes'] },
  { store: 'NonIdempotentUpdateOnlineStore', bug: 'a second update throws', mustFail: ['update-idempotent', 'feature-store-apply-teardown'] },
  { store: 'ClearingUpdateOnlineStore', bug: 'a second update empties the table', mustFail: ['update-idempotent'] },
  { store: 'SharedTablesOnlineStore', bug: 'tables shared across projects', mustFail: ['project-isolation'] },
  { store: 'IgnoresRequestedFeaturesOnlineStore', bug: 'requestedFeatures ignored', mustFail: ['requested-features'] },
  { store: 'TornWritesOnlineStore', bug: 'non-atomic per-feature writes', mustFail: ['concurrent-writes'] },
  { store: 'LeakyTeardownOnlineStore', bug: 'teardown keeps the data', mustFail: ['teardown-removes-data', 'project-isolation'] },
  { store: 'IgnoresDeletesOnlineStore', bug: 'update ignores tablesToDelete', mustFail: ['partial-update'] },
  { store: 'LossyInt64KeysOnlineStore', bug: 'int64 keys as lossy numbers', mustFail: ['round-trip-int64-extremes'] },
  { store: 'WrongProgressOnlineStore', bug: 'progress counted per feature', mustFail: ['progress-callback'] },
  { store: 'ClaimsNewestWinsOnlineStore', bug: 'declares newest-event-wins, but a stale write replaces the row', mustFail: ['stale-writes'] },
  { store: 'UndeclaredNewestWinsOnlineStore', bug: 'skips stale writes while declaring last-write-wins', mustFail: ['stale-writes'] },
  { store: 'StaleTimestampOnlineStore', bug: 'overwrite keeps the old event timestamp', mustFail: ['overwrite-replaces'] },
  { store: 'DropsNullsOnlineStore', bug: 'null features dropped', mustFail: ['round-trip-null'] },
  { store: 'TruncatingOnlineStore', bug: 'strings truncated to 255 code units', mustFail: ['round-trip-unicode'] },
  { store: 'NonAtomicWritesOnlineStore', bug: 'rows of a failing write call land one by one', mustFail: ['atomic-writes'] },
  { store: 'UntypedMissingTableOnlineStore', bug: "a missing table gives the driver's untyped error", mustFail: ['unapplied-view'] },
  { store: 'MissingTableWrongKindOnlineStore', bug: "a missing table gives kind 'query_failed'", mustFail: ['unapplied-view'] },
  { store: 'UntypedClosedPoolOnlineStore', bug: 'calls during close() fail with an untyped error', mustFail: ['calls-around-close'] },
  { store: 'SharedEntityRowsOnlineStore', bug: 'views of an entity share one row', mustFail: ['multi-view-reads', 'feature-store-multi-view'] },
  { store: 'FirstViewReadManyOnlineStore', bug: "onlineReadMany answers every request from the first request's view", mustFail: ['multi-view-reads', 'feature-store-multi-view'] },
];

describe.each(BROKEN)('the suite against $store ($bug)', ({ store, mustFail }) => {
  let session: UniversalSession;
  let failed: Map<string, string>;
  beforeAll(async () => {
    session = await UniversalSession.start({ name: store, creator: inMemoryCreator(storeType('broken-stores.ts', store)) });
    failed = await failingChecks(session);
  });
  afterAll(() => session?.end());

  it(`fails ${mustFail.join(', ')}`, () => {
    expect([...failed.keys()]).toEqual(expect.arrayContaining(mustFail));
  });
});
