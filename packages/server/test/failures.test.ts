import { rm, writeFile } from 'node:fs/promises';
import {
  FeatureStore,
  OnlineStore,
  OnlineStoreError,
  type EntityKeyProto,
  type FeatureView,
  type OnlineReadResult,
  type OnlineWriteRow,
  type RepoConfig,
} from '@feast-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFeatureServer, type FeatureServer } from '../src/index.js';
import { makeRepo, PUSH_SOURCE, pushedStats, pushedTotals } from './repo.js';
import { SQLITE } from './stores.js';

type Mode = 'ok' | 'store-error' | 'crash' | 'hang';

/** Delegates to a real store, or fails the way `mode` says. */
class FlakyOnlineStore extends OnlineStore {
  mode: Mode = 'ok';
  /** Writes to this view fail as the store being unreachable, whatever the mode. */
  failWritesTo: string | undefined;
  constructor(readonly inner: OnlineStore) {
    super();
  }
  private fail(): Promise<never> | undefined {
    if (this.mode === 'store-error') return Promise.reject(new OnlineStoreError('unreachable', 'connection refused by 127.0.0.1:1'));
    if (this.mode === 'crash') return Promise.reject(new TypeError('Cannot read properties of undefined'));
    if (this.mode === 'hang') return new Promise<never>(() => {});
    return undefined;
  }
  update(...a: Parameters<OnlineStore['update']>): Promise<void> {
    return this.inner.update(...a);
  }
  teardown(...a: Parameters<OnlineStore['teardown']>): Promise<void> {
    return this.inner.teardown(...a);
  }
  onlineWriteBatch(config: RepoConfig, table: FeatureView, data: OnlineWriteRow[]): Promise<void> {
    if (table.name === this.failWritesTo) return Promise.reject(new OnlineStoreError('connection_lost', 'the connection was lost'));
    return this.fail() ?? this.inner.onlineWriteBatch(config, table, data);
  }
  onlineRead(config: RepoConfig, table: FeatureView, keys: EntityKeyProto[], features?: string[]): Promise<OnlineReadResult[]> {
    return this.fail() ?? this.inner.onlineRead(config, table, keys, features);
  }
  override close(): Promise<void> {
    return this.inner.close();
  }
}

const READ = { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } };
const post = async (url: string, body: unknown) => {
  const res = await fetch(`${url}/get-online-features`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe('store and registry failures', () => {
  let server: FeatureServer | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('answers a store failure 503, an unexpected one 500, a hung store 503 after the timeout, and keeps serving', async () => {
    const { store, dir } = await makeRepo((await SQLITE.acquire('f'))!.yaml);
    dirs.push(dir);
    const flaky = new FlakyOnlineStore(store.onlineStore);
    const fs = new FeatureStore(store.config, flaky, await store.getRegistry());
    server = await createFeatureServer(fs, { requestTimeoutMs: 300 });
    const url = await server.listen({ port: 0 });

    flaky.mode = 'store-error';
    expect(await post(url, READ)).toMatchObject({ status: 503, json: { code: 'STORE_FAILED', error: 'OnlineStoreError', message: 'connection refused by 127.0.0.1:1' } });
    flaky.mode = 'crash';
    expect(await post(url, READ)).toMatchObject({ status: 500, json: { code: 'INTERNAL', error: 'TypeError', status: 500 } });
    flaky.mode = 'hang';
    expect(await post(url, READ)).toMatchObject({ status: 503, json: { reason: 'timeout', message: expect.stringMatching(/within 300 ms/) as unknown } });
    flaky.mode = 'ok';
    expect((await post(url, READ)).status).toBe(200);
  });

  it('a push whose store fails on its second view answers 503, leaves the first view written, and a retry completes it', async () => {
    const { store, dir } = await makeRepo((await SQLITE.acquire('p'))!.yaml);
    dirs.push(dir);
    const flaky = new FlakyOnlineStore(store.onlineStore);
    const fs = new FeatureStore(store.config, flaky, await store.getRegistry());
    server = await createFeatureServer(fs);
    const url = await server.listen({ port: 0 });
    const views = (await fs.getFeatureViewsByPushSource(PUSH_SOURCE)).map((v) => v.name);
    expect(views).toHaveLength(2);
    expect(views).toEqual(expect.arrayContaining([pushedStats.name, pushedTotals.name]));
    const [first, second] = views as [string, string];
    const push = () =>
      fetch(`${url}/push`, {
        method: 'POST',
        body: JSON.stringify({ push_source_name: PUSH_SOURCE, df: { driver_id: [7], last_trip_km: [2.5], event_timestamp: ['2026-02-01T12:30:00'] }, to: 'online' }),
      });
    const read = async () => {
      const r = await post(url, { features: [`${first}:last_trip_km`, `${second}:last_trip_km`], entities: { driver_id: [7] }, full_feature_names: true });
      return (r.json.results as Array<{ statuses: string[] }>).slice(1).map((c) => c.statuses[0]);
    };

    flaky.failWritesTo = second;
    const failed = await push();
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ code: 'STORE_FAILED', message: 'the connection was lost' });
    expect(await read()).toEqual(['PRESENT', 'NOT_FOUND']);

    flaky.failWritesTo = undefined;
    expect((await push()).status).toBe(200);
    expect(await read()).toEqual(['PRESENT', 'PRESENT']);
  });

  it('/metrics answers what metricsText gives, and a failing source with a typed 500 while requests keep being served', async () => {
    const { store, dir } = await makeRepo((await SQLITE.acquire('m'))!.yaml);
    dirs.push(dir);
    let fail = false;
    server = await createFeatureServer(store, {
      metricsText: async () => {
        if (fail) throw new Error('the primary process did not answer');
        return { text: 'summed_total 42\n', contentType: 'text/plain; version=0.0.4; charset=utf-8' };
      },
    });
    const url = await server.listen({ port: 0 });
    const ok = await fetch(`${url}/metrics`);
    expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await ok.text()).toBe('summed_total 42\n');
    fail = true;
    const bad = await fetch(`${url}/metrics`);
    expect(bad.status).toBe(500);
    expect(await bad.json()).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('did not answer') as unknown });
    expect((await post(url, READ)).status).toBe(200);
  });

  it('/health answers 503 while the registry cannot be read, serves the last registry meanwhile, and recovers', async () => {
    const { store, dir } = await makeRepo((await SQLITE.acquire('h'))!.yaml);
    dirs.push(dir);
    server = await createFeatureServer(store, { registryTtlSeconds: 0.2 });
    const url = await server.listen({ port: 0 });
    expect((await fetch(`${url}/health`)).status).toBe(200);

    const file = store.config.registry;
    const good = await import('node:fs/promises').then((m) => m.readFile(file));
    await writeFile(file, Buffer.from('not a registry'));
    await expect.poll(async () => (await fetch(`${url}/health`)).status, { timeout: 5000, interval: 50 }).toBe(503);
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toMatchObject({ reason: 'registry_unavailable', status: 503 });
    expect((await post(url, READ)).status).toBe(200); // the last registry read keeps serving

    await writeFile(file, good);
    await expect.poll(async () => (await fetch(`${url}/health`)).status, { timeout: 5000, interval: 50 }).toBe(200);
  });
});
