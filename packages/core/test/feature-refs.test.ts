import { describe, expect, it } from 'vitest';
import { Entity, FeastType, FeatureView, Field, ValueType, type RegistrySnapshot } from '../src/index.js';
import { resolveFeatureRequest } from '../src/feature-store/feature-refs.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({
  name: 'stats',
  entities: [driver],
  schema: ['a', 'b', 'c'].map((name) => new Field({ name, dtype: FeastType.Int64 })),
});
const other = new FeatureView({ name: 'other', entities: [driver], schema: [new Field({ name: 'x', dtype: FeastType.String })] });
const snapshotOf = (): RegistrySnapshot => ({
  project: 'p',
  entities: new Map([['driver', driver]]),
  featureViews: new Map([
    ['stats', stats],
    ['other', other],
  ]),
  streamFeatureViews: new Map(),
  featureServices: new Map(),
  onDemandFeatureViewNames: new Set(),
  unreadableViews: new Map(),
});

const shape = (groups: ReturnType<typeof resolveFeatureRequest>): Array<[string, readonly string[]]> => groups.map((g) => [g.view.name, g.features]);

describe('resolveFeatureRequest (resolved once per snapshot)', () => {
  it('groups by view in first-seen order, drops repeated features, and answers each request anew', () => {
    const snap = snapshotOf();
    const first = resolveFeatureRequest(['stats:b', 'other:x', 'stats:a', 'stats:b'], snap);
    expect(shape(first)).toEqual([
      ['stats', ['b', 'a']],
      ['other', ['x']],
    ]);
    // The same references again: the same (frozen) groups.
    const again = resolveFeatureRequest(['stats:b', 'other:x', 'stats:a', 'stats:b'], snap);
    expect(again).toBe(first);
    expect(Object.isFrozen(first[0]!.features)).toBe(true);
    // Different references right after: their own groups, not the last ones.
    expect(shape(resolveFeatureRequest(['stats:c', 'stats:a'], snap))).toEqual([['stats', ['c', 'a']]]);
    // As many references as the last request, differing in one place only: not the last groups.
    expect(shape(resolveFeatureRequest(['stats:c', 'stats:b'], snap))).toEqual([['stats', ['c', 'b']]]);
    expect(shape(resolveFeatureRequest(['stats:b', 'other:x', 'stats:a'], snap))).toEqual([
      ['stats', ['b', 'a']],
      ['other', ['x']],
    ]);
    // A repeat within one call is dropped, while the next call takes the feature again.
    expect(shape(resolveFeatureRequest(['stats:a', 'stats:a'], snap))).toEqual([['stats', ['a']]]);
    expect(shape(resolveFeatureRequest(['stats:a'], snap))).toEqual([['stats', ['a']]]);
  });

  it('refuses an unknown feature every time, and a later snapshot resolves on its own', () => {
    const snap = snapshotOf();
    expect(() => resolveFeatureRequest(['stats:zzz'], snap)).toThrow(/zzz/);
    expect(() => resolveFeatureRequest(['stats:zzz'], snap)).toThrow(/zzz/);
    expect(() => resolveFeatureRequest(['nope:a'], snap)).toThrow(/nope/);
    const later = { ...snapshotOf(), featureViews: new Map([['stats', stats]]) };
    resolveFeatureRequest(['other:x'], snap);
    expect(() => resolveFeatureRequest(['other:x'], later)).toThrow(/other/);
  });
});
