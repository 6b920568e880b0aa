import { Entity, ValueType } from '@feast-ts/core';
import { assertReadResults } from '../assert.js';
import { featureView } from '../fixtures/definitions.js';
import { compoundKey, dummyEntityKey } from '../fixtures/keys.js';
import { at } from '../fixtures/time.js';
import { defineCheck } from './define.js';
import type { UniversalCheck } from './types.js';

/** A compound key written with join keys [a, b] reads back with [b, a]; every part of the key matters. */
export const compoundKeyOrder: UniversalCheck = defineCheck(
  'compound-key-order',
  'compound keys match irrespective of join-key order, and every part of the key matters',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const a = new Entity({ name: 'user', joinKeys: ['user_id'], valueType: ValueType.INT64 });
    const b = new Entity({ name: 'merchant', joinKeys: ['merchant_id'], valueType: ValueType.STRING });
    const view = featureView('compound', [a, b], ['n']);
    await env.apply([view]);
    const combos: Array<[bigint, string]> = [[1n, 'x'], [1n, 'y'], [2n, 'x']];
    await env.write(
      view,
      combos.map(([u, m], i) => [compoundKey([['user_id', { int64Val: u }], ['merchant_id', { stringVal: m }]]), { n: { int64Val: BigInt(i) } }, at(i), null]),
    );
    const reversed = combos.map(([u, m]) => compoundKey([['merchant_id', { stringVal: m }], ['user_id', { int64Val: u }]]));
    const missing = compoundKey([['merchant_id', { stringVal: 'y' }], ['user_id', { int64Val: 2n }]]);
    assertReadResults(
      await env.read(view, [...reversed, missing]),
      [...combos.map((_, i) => ({ eventTs: at(i), features: { n: { int64Val: BigInt(i) } } })), null],
      'compound keys read with join keys in the other order',
    );

    // Join key names whose order differs between UTF-16 and code-point sorting (Feast sorts by code point).
    const c = new Entity({ name: 'astral', joinKeys: ['\u{1F600}k'], valueType: ValueType.STRING });
    const d = new Entity({ name: 'bmp', joinKeys: ['\uFF5Ek'], valueType: ValueType.STRING });
    const view2 = featureView('compound_unicode', [c, d], ['n']);
    await env.apply([view2]);
    await env.write(view2, [[compoundKey([['\u{1F600}k', { stringVal: 'p' }], ['\uFF5Ek', { stringVal: 'q' }]]), { n: { int64Val: 5n } }, at(1), null]]);
    assertReadResults(
      await env.read(view2, [compoundKey([['\uFF5Ek', { stringVal: 'q' }], ['\u{1F600}k', { stringVal: 'p' }]])]),
      [{ eventTs: at(1), features: { n: { int64Val: 5n } } }],
      'compound key with astral and BMP join key names, read in the other order',
    );
  },
);

/** Entityless views use Feast's dummy entity key `__dummy_id` = "". */
export const entitylessView: UniversalCheck = defineCheck(
  'entityless-view',
  'an entityless view stores and reads its row under the dummy entity key',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('global_stats', [], ['total', 'max']);
    await env.apply([view]);
    assertReadResults(await env.read(view, [dummyEntityKey()]), [null], 'entityless view before any write');
    await env.write(view, [[dummyEntityKey(), { total: { int64Val: 10n }, max: { int64Val: 3n } }, at(0), null]]);
    await env.write(view, [[dummyEntityKey(), { total: { int64Val: 11n }, max: { int64Val: 4n } }, at(1), null]]);
    assertReadResults(
      await env.read(view, [dummyEntityKey(), dummyEntityKey()]),
      [0, 1].map(() => ({ eventTs: at(1), features: { total: { int64Val: 11n }, max: { int64Val: 4n } } })),
      'entityless view after two writes',
    );
  },
);
