import { isFeastError, type OnlineReadResult, type OnlineWriteRow } from '@feast-ts/core';
import { assertReadResults, fail, show } from '../assert.js';
import { driverEntity, featureView } from '../fixtures/definitions.js';
import { int64Key } from '../fixtures/keys.js';
import { at } from '../fixtures/time.js';
import { defineCheck } from './define.js';
import type { UniversalCheck } from './types.js';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function outcome<T>(call: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The `kind` of a core OnlineStoreError (code STORE_FAILED), else undefined. */
function storeErrorKind(error: unknown): string | undefined {
  if (!isFeastError(error) || error.code !== 'STORE_FAILED') return undefined;
  const kind = (error as { kind?: unknown }).kind;
  return typeof kind === 'string' ? kind : undefined;
}

function assertTableMissing(error: unknown, what: string): void {
  const kind = storeErrorKind(error);
  if (kind !== 'table_missing') {
    fail(
      `${what} failed with ${show(error)}; a view that update() never created must read as empty or fail with ` +
        `OnlineStoreError kind 'table_missing' (code STORE_FAILED)${kind ? `, not kind '${kind}'` : ''}`,
    );
  }
}

const row = (id: number, n: number): OnlineWriteRow => [int64Key('driver_id', id), { n: { int64Val: BigInt(n) } }, at(0), null];

/**
 * A view that `update` never created (no apply): reading it and writing it either work as for a
 * store without tables (reads are `[null, null]`, a write lands) or fail with the contract's typed
 * error, OnlineStoreError kind `table_missing`; never an untyped driver error.
 */
export const unappliedView: UniversalCheck = defineCheck(
  'unapplied-view',
  "a view never applied reads as empty or fails with OnlineStoreError kind 'table_missing'",
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('never_applied', [driverEntity()], ['n']);
    // Tear it down afterwards, in case the store creates tables lazily.
    env.track([view]);
    const keys = [int64Key('driver_id', 1), int64Key('driver_id', 2)];
    const read = await outcome(env.read(view, keys));
    if (read.ok) assertReadResults(read.value, [null, null], 'reading a view never applied');
    else assertTableMissing(read.error, 'reading a view never applied');
    const write = await outcome(env.write(view, [row(1, 1)]));
    if (write.ok) {
      assertReadResults(await env.read(view, keys), [{ eventTs: at(0), features: { n: { int64Val: 1n } } }, null], 'reading back a write to a view never applied (the write succeeded)');
    } else {
      assertTableMissing(write.error, 'writing a view never applied');
      const after = await outcome(env.read(view, keys));
      if (after.ok) assertReadResults(after.value, [null, null], 'reading a view never applied after a refused write');
      else assertTableMissing(after.error, 'reading a view never applied after a refused write');
    }
  },
);

/**
 * Calls in flight while `close()` runs, and calls made before it has finished: each either
 * completes correctly or fails with a typed store error (OnlineStoreError, code STORE_FAILED, such
 * as kind `closed`), never an untyped driver error ("pool is closed"); close() itself succeeds, and
 * the store works again afterwards.
 */
export const callsAroundClose: UniversalCheck = defineCheck(
  'calls-around-close',
  'calls racing close() complete or fail with a typed OnlineStoreError, and the store works after',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('around_close', [driverEntity()], ['n']);
    await env.apply([view]);
    await env.write(view, [row(1, 1)]);
    const expectedRead = [{ eventTs: at(0), features: { n: { int64Val: 1n } } }];
    const calls: Array<{ what: string; call: Promise<OnlineReadResult[] | void> }> = [];
    const start = (phase: string, i: number): void => {
      calls.push({ what: `a read started ${phase}`, call: env.read(view, [int64Key('driver_id', 1)]) });
      calls.push({ what: `a write started ${phase}`, call: env.write(view, [row(100 + i, i)]) });
    };
    for (let i = 0; i < 4; i++) start('before close()', i);
    const closing = outcome(env.store.close());
    for (let i = 4; i < 8; i++) start('while close() ran', i);
    const settled = await Promise.all(calls.map(async ({ what, call }) => ({ what, result: await outcome(call) })));
    const closed = await closing;
    if (!closed.ok) fail(`close() with calls in flight failed with ${show(closed.error)}; it must succeed`);
    for (const { what, result } of settled) {
      if (result.ok) {
        if (Array.isArray(result.value)) assertReadResults(result.value, expectedRead, `${what} (it succeeded)`);
      } else if (storeErrorKind(result.error) === undefined) {
        fail(`${what} failed with ${show(result.error)}; a call cut off by close() must fail with OnlineStoreError (code STORE_FAILED, kind 'closed'), or complete`);
      }
    }
    assertReadResults(await env.read(view, [int64Key('driver_id', 1)]), expectedRead, 'a read after close() finished');
    const written = settled.flatMap(({ what, result }, i) => (what.startsWith('a write') && result.ok ? [100 + Math.floor(i / 2)] : []));
    assertReadResults(
      await env.read(view, written.map((k) => int64Key('driver_id', k))),
      written.map((k) => ({ eventTs: at(0), features: { n: { int64Val: BigInt(k - 100) } } })),
      'the writes that succeeded around close()',
    );
  },
);
