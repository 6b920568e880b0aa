/** A feature repo for the server tests: definitions, a push source, and a running server. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  Entity,
  FeastType,
  FeatureService,
  FeatureStore,
  FeatureView,
  FeatureViewProjection,
  Field,
  RegistryProto,
  ValueType,
} from '@feast-ts/core';
import { createFeatureServer, parseJsonExact, type FeatureServer, type FeatureServerOptions } from '../src/index.js';

export const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
export const driverStats = new FeatureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  schema: [
    new Field({ name: 'conv_rate', dtype: FeastType.Float32 }),
    new Field({ name: 'acc_rate', dtype: FeastType.Float64 }),
    new Field({ name: 'avg_daily_trips', dtype: FeastType.Int64 }),
    new Field({ name: 'name', dtype: FeastType.String }),
    new Field({ name: 'tags', dtype: FeastType.Array(FeastType.String) }),
  ],
});
/** Fed by the push source `driver_push`, with `driver_push_totals`. */
export const pushedStats = new FeatureView({
  name: 'driver_pushed_stats',
  entities: [driver],
  schema: [new Field({ name: 'last_trip_km', dtype: FeastType.Float64 })],
});
export const pushedTotals = new FeatureView({
  name: 'driver_push_totals',
  entities: [driver],
  schema: [new Field({ name: 'last_trip_km', dtype: FeastType.Float64 })],
});
export const activity = new FeatureService({
  name: 'driver_activity',
  features: [new FeatureViewProjection({ featureViewName: 'driver_hourly_stats', features: [{ name: 'conv_rate', valueType: ValueType.FLOAT }] })],
});

export const PUSH_SOURCE = 'driver_push';

/** A temp repo with feature_store.yaml, the definitions applied, and the push views given `driver_push` as stream source. */
export async function makeRepo(onlineStoreYaml: string, extraYaml = ''): Promise<{ dir: string; store: FeatureStore; project: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'feast-ts-server-'));
  const project = `srv_${Math.random().toString(36).slice(2, 10)}`;
  await writeFile(
    path.join(dir, 'feature_store.yaml'),
    `project: ${project}\nregistry: data/registry.db\nprovider: local\nonline_store: ${onlineStoreYaml}\nentity_key_serialization_version: 3\n${extraYaml}`,
  );
  const store = await FeatureStore.open(dir, { resolveFrom: [import.meta.url] });
  await store.apply([driver, driverStats, pushedStats, pushedTotals, activity]);
  // What Feast's apply records for FeatureView(source=PushSource(name="driver_push", ...)).
  const reg = RegistryProto.decode(await readFile(store.config.registry));
  for (const fv of reg.featureViews ?? []) {
    if (fv.spec?.name === pushedStats.name || fv.spec?.name === pushedTotals.name) {
      fv.spec.streamSource = { name: PUSH_SOURCE, type: 9, dataSourceClassType: 'feast.data_source.PushSource' };
    }
  }
  await writeFile(store.config.registry, RegistryProto.encode(reg));
  await store.refreshRegistry();
  return { dir, store, project };
}

/** A running server on a free port of 127.0.0.1. */
export interface RunningServer {
  server: FeatureServer;
  url: string;
  store: FeatureStore;
  dir: string;
  post(route: string, body: unknown): Promise<{ status: number; json: unknown; text: string; headers: Headers }>;
  stop(): Promise<void>;
}

/** `makeRepo`, then a server over it listening on port 0. */
export async function startServer(onlineStoreYaml: string, options: FeatureServerOptions = {}): Promise<RunningServer> {
  const { dir, store } = await makeRepo(onlineStoreYaml);
  const server = await createFeatureServer(store, { closeStore: false, ...options });
  const url = await server.listen({ port: 0 });
  return {
    server,
    url,
    store,
    dir,
    async post(route, body) {
      const res = await fetch(`${url}${route}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await res.text();
      let json: unknown;
      try {
        json = parseJsonExact(text); // int64s beyond 2^53 come back as bigints
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text, headers: res.headers };
    },
    async stop() {
      await server.close();
      try {
        await store.teardown();
      } finally {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
