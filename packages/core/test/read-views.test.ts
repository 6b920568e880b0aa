import { describe, expect, it } from 'vitest';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '../src/index.js';
import type { MemoryOnlineStore } from './fixtures/memory-online-store.js';
import { fixture, makeRepo, MEMORY } from './helpers.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const a = new FeatureView({ name: 'a_stats', entities: [driver], schema: [new Field({ name: 'x', dtype: FeastType.Int64 })] });
const b = new FeatureView({ name: 'b_stats', entities: [driver], schema: [new Field({ name: 'y', dtype: FeastType.String })] });
const ts = new Date('2024-01-02T03:04:05Z');

async function readBoth(type: string): Promise<{ out: unknown; calls: string[] }> {
  const fs = await FeatureStore.open(await makeRepo(`project: read_views\nonline_store:\n  type: ${type}\n`));
  await fs.apply([a, b]);
  await fs.writeToOnlineStore('a_stats', [{ driver_id: 1n, x: 5n, event_timestamp: ts }]);
  await fs.writeToOnlineStore('b_stats', [{ driver_id: 2n, y: 'two', event_timestamp: ts }]);
  const mem = fs.onlineStore as MemoryOnlineStore;
  mem.calls.length = 0;
  const out = await fs.getOnlineFeatures({ features: ['a_stats:x', 'b_stats:y'], entityRows: [{ driver_id: 1n }, { driver_id: 2n }] }).then((r) => r.toDict());
  const calls = mem.calls.map((c) => `${c.method}(${String(c.args[0])})`);
  await fs.close();
  return { out, calls };
}

describe('getOnlineFeatures and the multi-view read capability', () => {
  it('makes one onlineReadMany call for every view when the store has it, with the same result', async () => {
    const plain = await readBoth(MEMORY);
    const many = await readBoth(`${fixture('memory-online-store.ts')}#MultiReadMemoryOnlineStore`);
    expect(plain.out).toEqual({ driver_id: [1n, 2n], x: [5n, null], y: [null, 'two'] });
    expect(many.out).toEqual(plain.out);
    expect(plain.calls.sort()).toEqual(['onlineRead(a_stats)', 'onlineRead(b_stats)']);
    expect(many.calls).toEqual(['onlineReadMany(a_stats,b_stats)', 'onlineRead(a_stats)', 'onlineRead(b_stats)']);
  });

  it('rejects a store whose onlineReadMany does not answer every view, with a typed error', async () => {
    await expect(readBoth(`${fixture('memory-online-store.ts')}#EmptyMultiReadOnlineStore`)).rejects.toMatchObject({
      code: 'VALUE_INVALID',
      message: expect.stringMatching(/onlineReadMany returned 0 results for 2 views/),
    });
  });
});
