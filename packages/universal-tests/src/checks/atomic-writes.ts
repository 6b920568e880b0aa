import { FeastType, isFeastError, type OnlineWriteRow, type ValueProto } from '@feast-ts/core';
import { assertReadResults, fail, show } from '../assert.js';
import { driverEntity, featureView } from '../fixtures/definitions.js';
import { int64Key } from '../fixtures/keys.js';
import { at } from '../fixtures/time.js';
import { defineCheck } from './define.js';
import type { UniversalCheck } from './types.js';

/**
 * A string no store may write: a lone UTF-16 surrogate, which UTF-8 cannot encode. Core's
 * `ValueProto.encode` refuses it with a ValueConversionError, so every store that encodes values
 * through core fails on the row that holds it.
 */
const UNWRITABLE: ValueProto = { stringVal: 'cut emoji \uD83D' };

const features = (n: number, s = `v${n}`): Record<string, ValueProto> => ({ n: { int64Val: BigInt(n) }, s: { stringVal: s } });

/** Rejects unless `call` fails with a typed error (a FeastError); returns that error's text for messages. */
async function expectTypedFailure(call: Promise<unknown>, what: string): Promise<void> {
  let error: unknown;
  try {
    await call;
  } catch (err) {
    error = err;
  }
  if (error === undefined) fail(`${what} succeeded; it must be refused, since one of its rows holds a string with a lone surrogate (${show(UNWRITABLE.stringVal)})`);
  if (!isFeastError(error)) {
    fail(`${what} failed with ${show(error)}, not a FeastError (with a stable code, such as core's ValueConversionError, code VALUE_INVALID)`);
  }
}

/**
 * One `onlineWriteBatch` call whose row fails part-way (the 2nd of 2 rows, and row 551 of a
 * 600-row call, past any chunk a store may flush on its own) writes nothing: the rows before it
 * in the same call are not visible, and what earlier calls wrote is intact.
 */
export const atomicWrites: UniversalCheck = defineCheck(
  'atomic-writes',
  'a write call with a row that fails part-way leaves nothing of that call written',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('atomic_writes', [driverEntity()], { n: FeastType.Int64, s: FeastType.String });
    await env.apply([view]);
    const key = (i: number) => int64Key('driver_id', i);
    const row = (i: number, f: Record<string, ValueProto>, t = 0): OnlineWriteRow => [key(i), f, at(t), null];
    // What earlier calls wrote: keys 1 and 2.
    await env.write(view, [row(1, features(1)), row(2, features(2))]);
    const before = [{ eventTs: at(0), features: features(1) }, { eventTs: at(0), features: features(2) }];

    // Two rows, the second unwritable: the first (an overwrite of key 1) must not land.
    await expectTypedFailure(env.write(view, [row(1, features(10), 60), row(3, { ...features(3), s: UNWRITABLE }, 60)]), 'a 2-row write whose 2nd row is unwritable');
    assertReadResults(await env.read(view, [key(1), key(2), key(3)]), [...before, null], 'after a 2-row write whose 2nd row failed: nothing of it may be written');

    // 600 rows: overwrites of keys 1 and 2, then new keys, row 551 unwritable.
    const rows: OnlineWriteRow[] = [row(1, features(100), 120), row(2, features(200), 120)];
    for (let i = 0; i < 598; i++) rows.push(row(1000 + i, features(1000 + i), 120));
    rows[550] = row(1548, { ...features(1548), s: UNWRITABLE }, 120);
    await expectTypedFailure(env.write(view, rows), 'a 600-row write whose row 551 is unwritable');
    const newKeys = [1000, 1001, 1200, 1547, 1548, 1549, 1597];
    assertReadResults(
      await env.read(view, [key(1), key(2), ...newKeys.map(key)]),
      [...before, ...newKeys.map(() => null)],
      'after a 600-row write whose row 551 failed: no row of it may be written (earlier rows included), earlier data intact',
    );

    // The store still writes afterwards.
    await env.write(view, [row(3, features(3), 180)]);
    assertReadResults(await env.read(view, [key(3)]), [{ eventTs: at(180), features: features(3) }], 'a good write after the failed ones');
  },
);
