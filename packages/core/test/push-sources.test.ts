import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  Entity,
  FeastType,
  FeatureStore,
  FeatureView,
  Field,
  PushSourceNotFoundError,
  RegistryProto,
  pushSourceName,
  snapshotFromProtos,
  ValueType,
} from '../src/index.js';
import { makeRepo, MEMORY } from './helpers.js';

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const view = (name: string): FeatureView =>
  new FeatureView({ name, entities: [driver], schema: [new Field({ name: 'conv_rate', dtype: FeastType.Float32 })] });

describe('pushSourceName', () => {
  it('names a PushSource by its class type, else by type 9, and nothing else', () => {
    expect(pushSourceName({ name: 'p', type: 9 })).toBe('p');
    expect(pushSourceName({ name: 'p', type: 1, dataSourceClassType: 'feast.data_source.PushSource' })).toBe('p');
    expect(pushSourceName({ name: 'k', type: 3 })).toBeUndefined();
    expect(pushSourceName({ name: 'k', type: 9, dataSourceClassType: 'feast.data_source.KafkaSource' })).toBeUndefined();
    expect(pushSourceName({ type: 9 })).toBeUndefined();
    expect(pushSourceName(undefined)).toBeUndefined();
  });
});

describe('FeatureStore.getFeatureViewsByPushSource', () => {
  it('finds every batch and stream view whose stream source is the push source, as Feast push() does', async () => {
    const repo = await makeRepo(`project: push_test\nonline_store:\n  type: ${MEMORY}\n`);
    const fs = await FeatureStore.open(repo);
    await fs.apply([driver, view('a'), view('b'), view('c')]);
    // Give views a and b the push source "driver_push" and c a Kafka source, as Feast's apply records them.
    const reg = RegistryProto.decode(await readFile(fs.config.registry));
    for (const fv of reg.featureViews ?? []) {
      const name = fv.spec!.name!;
      fv.spec!.streamSource =
        name === 'c' ? { name: 'kafka_src', type: 3 } : { name: 'driver_push', type: 9, dataSourceClassType: 'feast.data_source.PushSource' };
    }
    await writeFile(fs.config.registry, RegistryProto.encode(reg));
    await fs.refreshRegistry();

    expect((await fs.getFeatureViewsByPushSource('driver_push')).map((v) => v.name).sort()).toEqual(['a', 'b']);
    const err = await fs.getFeatureViewsByPushSource('kafka_src').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushSourceNotFoundError);
    expect((err as PushSourceNotFoundError).code).toBe('NOT_FOUND');
    expect((err as Error).message).toContain('Push sources that feed views: driver_push');
    await fs.close();
  });

  it('snapshotFromProtos maps stream views fed by a push source too', () => {
    const snap = snapshotFromProtos('p', {
      entities: [{ spec: { name: 'driver', joinKey: 'driver_id', valueType: ValueType.INT64 } }],
      featureViews: [],
      streamFeatureViews: [
        {
          spec: {
            name: 's',
            entities: ['driver'],
            features: [{ name: 'x', valueType: ValueType.DOUBLE }],
            streamSource: { name: 'push_s', type: 9 },
          },
        },
      ],
      featureServices: [],
      onDemandFeatureViews: [],
    });
    expect([...snap.viewsByPushSource!.entries()]).toEqual([['push_s', ['s']]]);
  });
});
