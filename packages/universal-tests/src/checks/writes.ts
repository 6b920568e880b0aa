import type { OnlineReadResult, OnlineWriteRow, ValueProto } from '@feast-ts/core';
import { assertReadResults, assertSameSecond, check, fail, show } from '../assert.js';
import { driverEntity, featureView } from '../fixtures/definitions.js';
import { int64Key } from '../fixtures/keys.js';
import { at } from '../fixtures/time.js';
import { defineCheck } from './define.js';
import type { UniversalCheck } from './types.js';

/** A later write of the same entity replaces its values and event timestamp. */
export const overwriteReplaces: UniversalCheck = defineCheck(
  'overwrite-replaces',
  'a later write replaces the values and the event timestamp',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('overwrite', [driverEntity()], ['a', 'b']);
    await env.apply([view]);
    const first = { a: { int64Val: 1n }, b: { int64Val: 10n } };
    const second = { a: { int64Val: 2n }, b: { int64Val: 20n } };
    await env.write(view, [
      [int64Key('driver_id', 1), first, at(0), at(1)],
      [int64Key('driver_id', 2), first, at(0), null],
    ]);
    await env.write(view, [[int64Key('driver_id', 1), second, at(3600), at(3601)]]);
    assertReadResults(
      await env.read(view, [int64Key('driver_id', 1), int64Key('driver_id', 2)]),
      [{ eventTs: at(3600), features: second }, { eventTs: at(0), features: first }],
      'after overwriting entity 1',
    );
  },
);

/** The same key twice in one batch: the last (and latest) row wins. */
export const batchDuplicateKeys: UniversalCheck = defineCheck(
  'batch-duplicate-keys',
  'a batch that writes the same key twice keeps the last (latest) row',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('batch_duplicates', [driverEntity()], ['a', 'b']);
    await env.apply([view]);
    const first = { a: { int64Val: 1n }, b: { int64Val: 10n } };
    const second = { a: { int64Val: 2n }, b: { int64Val: 20n } };
    await env.write(view, [
      [int64Key('driver_id', 1), first, at(0), null],
      [int64Key('driver_id', 2), first, at(0), null],
      [int64Key('driver_id', 1), second, at(60), null],
    ]);
    assertReadResults(
      await env.read(view, [int64Key('driver_id', 1), int64Key('driver_id', 2)]),
      [{ eventTs: at(60), features: second }, { eventTs: at(0), features: first }],
      'same key twice in one batch',
    );
  },
);

/**
 * Writes whose event time is older than, or equal to, the stored row's:
 * with `last-write-wins` they replace it (an upsert), with
 * `newest-event-wins` they are skipped, in separate calls and within one
 * batch, as the store declares (`OnlineStore.writeSemantics`).
 */
export const staleWrites: UniversalCheck = defineCheck(
  'stale-writes',
  'a write not newer than the stored row replaces it or is skipped, as the store declares',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('stale_writes', [driverEntity()], ['a', 'b']);
    await env.apply([view]);
    const v = (n: number) => ({ a: { int64Val: BigInt(n) }, b: { stringVal: `v${n}` } });
    const key = (i: number) => int64Key('driver_id', i);
    await env.write(view, [
      [key(1), v(1), at(3600), null],
      [key(2), v(2), at(100), null],
    ]);
    await env.write(view, [
      [key(1), v(10), at(0), null], // older than the stored row
      [key(2), v(20), at(100), null], // the same event time
      [key(3), v(30), at(50), null], // the same key twice in one batch, the later row older
      [key(3), v(31), at(10), null],
    ]);
    const expected =
      env.writeSemantics === 'newest-event-wins'
        ? [{ eventTs: at(3600), features: v(1) }, { eventTs: at(100), features: v(2) }, { eventTs: at(50), features: v(30) }]
        : [{ eventTs: at(0), features: v(10) }, { eventTs: at(100), features: v(20) }, { eventTs: at(10), features: v(31) }];
    assertReadResults(await env.read(view, [key(1), key(2), key(3)]), expected, `stale writes under ${env.writeSemantics} (the store's declared write semantics)`);
  },
);

/** The progress callback's counts add up to the number of rows written. */
export const progressCallback: UniversalCheck = defineCheck(
  'progress-callback',
  'progress callback counts add up to the rows written',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('progress', [driverEntity()], ['a', 'b', 'c']);
    await env.apply([view]);
    for (const size of [1, 250]) {
      const calls: unknown[] = [];
      const rows = Array.from({ length: size }, (_, i): OnlineWriteRow => [
        int64Key('driver_id', size * 1000 + i),
        { a: { int64Val: 1n }, b: { int64Val: 2n }, c: { int64Val: 3n } },
        at(0),
        null,
      ]);
      await env.write(view, rows, (n) => calls.push(n));
      for (const n of calls) {
        check(typeof n === 'number' && Number.isInteger(n) && n >= 0, `progress was called with ${show(n)}; it takes a row count (a non-negative integer)`);
      }
      const total = (calls as number[]).reduce((s, n) => s + n, 0);
      if (total !== size) fail(`progress counts for a batch of ${size} rows add up to ${total} (calls: ${show(calls)}); they must add up to ${size}`, total, size);
    }
  },
);

const WRITERS = 6;
const DISTINCT_PER_WRITER = 20;
const SHARED_KEYS = 10;

/** Writer `writer`'s features for a key; the feature order differs per writer, so per-feature writes interleave differently. */
function writerFeatures(writer: number, key: number): Record<string, ValueProto> {
  const entries: Array<[string, ValueProto]> = [
    ['writer', { int64Val: BigInt(writer) }],
    ['tag', { stringVal: `writer-${writer}-key-${key}` }],
    ['payload', { bytesVal: new Uint8Array(64).fill(writer) }],
  ];
  const r = writer % entries.length;
  return Object.fromEntries([...entries.slice(r), ...entries.slice(0, r)]);
}

/** Which writer a read row came from, checking that all its features agree; fails on a torn row. */
function writerOf(result: OnlineReadResult, key: number, what: string): number {
  const [ts, features] = result;
  if (features === null) fail(`${what}: key ${key} has no row after concurrent writes`);
  const w = features['writer']?.int64Val;
  if (typeof w !== 'bigint' || w < 0n || w >= BigInt(WRITERS)) fail(`${what}: key ${key} has writer ${show(features['writer'])}, not one of the writers`);
  const writer = Number(w);
  const expected = writerFeatures(writer, key);
  const tag = features['tag']?.stringVal;
  const payload = features['payload']?.bytesVal;
  if (tag !== expected['tag']!.stringVal || !(payload instanceof Uint8Array) || payload.length !== 64 || payload.some((b) => b !== writer)) {
    fail(`${what}: key ${key} mixes features of different writes (writer=${writer}, tag=${show(tag)}, payload=${show(payload)}); each row must come from one write`);
  }
  assertSameSecond(ts, at(writer * 10), `${what}: key ${key} (written by writer ${writer}) event timestamp`);
  return writer;
}

/** Parallel onlineWriteBatch calls (one store instance and a second one) on distinct and shared keys. */
export const concurrentWrites: UniversalCheck = defineCheck(
  'concurrent-writes',
  'concurrent writers leave every key with exactly one of the written rows',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('concurrent', [driverEntity()], ['writer', 'tag', 'payload']);
    await env.apply([view]);
    const second = env.newStoreInstance();
    const shared = Array.from({ length: SHARED_KEYS }, (_, k) => k);
    await Promise.all(
      Array.from({ length: WRITERS }, (_, w) => {
        const distinct = Array.from({ length: DISTINCT_PER_WRITER }, (_, k) => 1000 + w * 100 + k);
        // Writers go through different key orders, so overlapping rows interleave.
        const keys = w % 2 === 0 ? [...shared, ...distinct] : [...distinct, ...[...shared].reverse()];
        const rows = keys.map((k): OnlineWriteRow => [int64Key('driver_id', k), writerFeatures(w, k), at(w * 10), null]);
        const store = w % 2 === 0 ? env.store : second;
        return store.onlineWriteBatch(env.config, view, rows);
      }),
    );
    const distinctIds = Array.from({ length: WRITERS }, (_, w) => Array.from({ length: DISTINCT_PER_WRITER }, (_, k) => [w, 1000 + w * 100 + k] as const)).flat();
    const distinctResults = await env.read(view, distinctIds.map(([, k]) => int64Key('driver_id', k)));
    assertReadResults(
      distinctResults,
      distinctIds.map(([w, k]) => ({ eventTs: at(w * 10), features: writerFeatures(w, k) })),
      'keys written by a single concurrent writer',
    );
    const sharedResults = await env.read(view, shared.map((k) => int64Key('driver_id', k)));
    check(sharedResults.length === SHARED_KEYS, `reading ${SHARED_KEYS} shared keys returned ${sharedResults.length} results`);
    sharedResults.forEach((r, i) => writerOf(r, shared[i]!, 'keys written by every concurrent writer'));
  },
);
