import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Entity, FeastType, FeatureStore, FeatureView, Field, RegistryProto, ValueType } from '@feast-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeatureServer, type FeatureServer } from '../src/index.js';

// The examples of docs/how-to/serve-over-http.md, run: the embedding code below and examples/feature-server/curl-examples.sh.
const READ_RESPONSE = fileURLToPath(new URL('../../../examples/feature-server/read-response.json', import.meta.url));
const CURL_SCRIPT = fileURLToPath(new URL('../../../examples/feature-server/curl-examples.sh', import.meta.url));

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  schema: [new Field({ name: 'conv_rate', dtype: FeastType.Float32 }), new Field({ name: 'avg_daily_trips', dtype: FeastType.Int64 })],
});

describe('the serve-over-http guide', () => {
  let dir: string;
  let server: FeatureServer;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'feast-ts-guide-'));
    await writeFile(path.join(dir, 'feature_store.yaml'), 'project: driver_ranking\nregistry: data/registry.db\nonline_store:\n  type: sqlite\n  path: data/online.db\n');
    const setup = await FeatureStore.open(dir, { resolveFrom: [import.meta.url] });
    await setup.apply([driver, stats]);
    // The view's stream source is the push source driver_stats_push, as Feast records FeatureView(source=PushSource(...)).
    const reg = RegistryProto.decode(await readFile(setup.config.registry));
    reg.featureViews![0]!.spec!.streamSource = { name: 'driver_stats_push', type: 9 };
    await writeFile(setup.config.registry, RegistryProto.encode(reg));
    await setup.close();

    const repoDir = dir;
    // #region embed
    // import { FeatureStore } from '@feast-ts/core';
    // import { createFeatureServer } from '@feast-ts/server';
    const store = await FeatureStore.open(repoDir, { resolveFrom: [import.meta.url] }); // store packages: from this module
    const featureServer = await createFeatureServer(store, { logger: { level: 'warn' } });
    const address = await featureServer.listen({ host: '127.0.0.1', port: 0 }); // 0: any free port
    process.once('SIGTERM', () => void featureServer.close()); // drains, then closes the store
    // #endregion embed
    server = featureServer;
    url = address;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('curl-examples.sh gets the answers the guide shows', async () => {
    const { stdout } = await promisify(execFile)('bash', [CURL_SCRIPT], { env: { ...process.env, FEAST_URL: url } });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('null');
    // The answer the guide shows (examples/feature-server/read-response.json).
    expect(JSON.parse(lines[1]!)).toEqual(JSON.parse(await readFile(READ_RESPONSE, 'utf8')));
    expect(lines.slice(2)).toEqual(['null', '200', 'feast_online_features_request_total 1']);
  });
});
