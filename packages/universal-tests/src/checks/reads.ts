import type { OnlineWriteRow, ValueProto } from '@feast-ts/core';
import { assertReadResults, type ExpectedRead } from '../assert.js';
import { driverEntity, featureView } from '../fixtures/definitions.js';
import { int64Key } from '../fixtures/keys.js';
import { at } from '../fixtures/time.js';
import { defineCheck } from './define.js';
import type { UniversalCheck } from './types.js';

const features = (i: number): Record<string, ValueProto> => ({
  value: { int64Val: BigInt(i) },
  label: { stringVal: `entity-${i}` },
  score: { doubleVal: i / 4 },
});

/** Entities never written come back as [null, null], aligned with the keys that exist. */
export const missingEntities: UniversalCheck = defineCheck(
  'missing-entities',
  'missing entities read as [null, null], aligned with the entities that exist',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('missing', [driverEntity()], ['value', 'label', 'score']);
    await env.apply([view]);
    assertReadResults(await env.read(view, [int64Key('driver_id', 1)]), [null], 'read before any write');
    await env.write(view, [2, 4].map((i): OnlineWriteRow => [int64Key('driver_id', i), features(i), at(i), null]));
    const ids = [1, 2, 3, 4, 5];
    const expected: ExpectedRead[] = ids.map((i) => (i % 2 === 0 ? { eventTs: at(i), features: features(i) } : null));
    assertReadResults(await env.read(view, ids.map((i) => int64Key('driver_id', i))), expected, 'mixed present and missing entities');
    assertReadResults(await env.read(view, [int64Key('driver_id', 99), int64Key('driver_id', 98)]), [null, null], 'only missing entities');
  },
);

/** `requestedFeatures` returns exactly the requested features. */
export const requestedFeatures: UniversalCheck = defineCheck(
  'requested-features',
  'requestedFeatures returns only those features (and all of them when omitted)',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('requested', [driverEntity()], ['value', 'label', 'score']);
    await env.apply([view]);
    await env.write(view, [[int64Key('driver_id', 7), features(7), at(0), null]]);
    const key = int64Key('driver_id', 7);
    const all = features(7);
    assertReadResults(await env.read(view, [key]), [{ eventTs: at(0), features: all }], 'read without requestedFeatures');
    assertReadResults(await env.read(view, [key], ['score', 'value']), [{ eventTs: at(0), features: { score: all['score']!, value: all['value']! } }], 'requestedFeatures [score, value]');
    assertReadResults(await env.read(view, [key, int64Key('driver_id', 8)], ['label']), [{ eventTs: at(0), features: { label: all['label']! } }, null], 'requestedFeatures [label]');
  },
);

/** The same key several times in one read gives the same result at each position. */
export const duplicateKeys: UniversalCheck = defineCheck(
  'duplicate-keys',
  'duplicate keys in one read give duplicated, aligned results',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('duplicates', [driverEntity()], ['value', 'label', 'score']);
    await env.apply([view]);
    await env.write(view, [1, 2].map((i): OnlineWriteRow => [int64Key('driver_id', i), features(i), at(i), null]));
    const ids = [1, 2, 1, 3, 1, 2, 3];
    const expected: ExpectedRead[] = ids.map((i) => (i === 3 ? null : { eventTs: at(i), features: features(i) }));
    assertReadResults(await env.read(view, ids.map((i) => int64Key('driver_id', i))), expected, 'read with duplicate keys');
  },
);

/** A deterministic shuffle (Fisher-Yates with a fixed LCG). */
function shuffled<T>(items: T[], seed = 12345): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** 1,000 keys in one read, in shuffled order, one in ten missing. */
export const largeRead: UniversalCheck = defineCheck(
  'large-read',
  'a 1,000-entity read (shuffled, 10% missing) returns aligned results',
  async (ctx) => {
    const env = await ctx.newEnvironment();
    const view = featureView('large_read', [driverEntity()], ['value', 'label', 'score']);
    await env.apply([view]);
    const written = Array.from({ length: 1000 }, (_, i) => i).filter((i) => i % 10 !== 3);
    await env.write(view, written.map((i): OnlineWriteRow => [int64Key('driver_id', 10_000 + i), features(i), at(i % 97), null]));
    const ids = shuffled(Array.from({ length: 1000 }, (_, i) => i));
    const expected: ExpectedRead[] = ids.map((i) => (i % 10 === 3 ? null : { eventTs: at(i % 97), features: features(i) }));
    assertReadResults(await env.read(view, ids.map((i) => int64Key('driver_id', 10_000 + i))), expected, '1,000-entity read');
  },
);
