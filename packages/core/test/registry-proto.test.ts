import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EntityProto,
  FeatureServiceProto,
  FeatureViewProto,
  RegistryDocument,
  RegistryProto,
  StreamFeatureViewProto,
} from '../src/index.js';
import { fixture } from './helpers.js';

const bytes = new Uint8Array(readFileSync(fixture('feast-registry/registry.db')));
const expected = JSON.parse(readFileSync(fixture('feast-registry/expected.json'), 'utf8')) as {
  projects: string[];
  entities: Record<string, unknown>;
  feature_views: Record<string, unknown>;
  stream_feature_views: Record<string, unknown>;
  on_demand_feature_views: string[];
  feature_services: Record<string, unknown>;
};

describe('feast.core.Registry codec on the registry.db Feast wrote', () => {
  it('decodes every object of the file', () => {
    const reg = RegistryProto.decode(bytes);
    const project = 'driver_ranking';
    const names = (list: Array<{ spec?: { name?: string; project?: string } }> | undefined): string[] =>
      (list ?? []).filter((o) => o.spec?.project === project).map((o) => o.spec!.name!);
    expect(names(reg.entities).sort()).toEqual(Object.keys(expected.entities).sort());
    expect(names(reg.featureViews).sort()).toEqual(Object.keys(expected.feature_views).sort());
    expect(names(reg.streamFeatureViews).sort()).toEqual(Object.keys(expected.stream_feature_views).sort());
    expect(names(reg.onDemandFeatureViews).sort()).toEqual([...expected.on_demand_feature_views].sort());
    expect(names(reg.featureServices).sort()).toEqual(Object.keys(expected.feature_services).sort());
    expect(reg.registrySchemaVersion).toBe('1');
    expect(typeof reg.lastUpdated?.seconds).toBe('bigint');
  });

  it('splits and rejoins the file byte for byte', () => {
    const doc = RegistryDocument.parse(bytes);
    expect(Buffer.from(doc.toBytes()).equals(Buffer.from(bytes))).toBe(true);
    expect(doc.projectNames().sort()).toEqual([...expected.projects].sort());
    expect(doc.changed).toBe(false);
  });

  it('re-encodes each stored object to the same bytes', () => {
    const doc = RegistryDocument.parse(bytes);
    const codecs = {
      entities: EntityProto,
      featureViews: FeatureViewProto,
      streamFeatureViews: StreamFeatureViewProto,
      featureServices: FeatureServiceProto,
    } as const;
    let n = 0;
    for (const [kind, codec] of Object.entries(codecs)) {
      for (const o of doc.objects(kind as keyof typeof codecs)) {
        const again = (codec as typeof EntityProto).encode((codec as typeof EntityProto).decode(o.bytes));
        expect(Buffer.from(again).equals(Buffer.from(o.bytes)), `${kind} ${o.project}/${o.name}`).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  it('rejects bytes that are not a protobuf message with a RegistryError', () => {
    expect(() => RegistryDocument.parse(new TextEncoder().encode('{"version": 1}'), 'data/registry.json')).toThrow(
      expect.objectContaining({ code: 'REGISTRY_INVALID' }),
    );
  });
});
