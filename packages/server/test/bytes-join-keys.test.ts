import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createFeatureServer, type FeatureServer } from '../src/index.js';

const device = new Entity({ name: 'device', joinKeys: ['device_id'], valueType: ValueType.BYTES });
const readings = new FeatureView({ name: 'device_readings', entities: [device], schema: [new Field({ name: 'temp', dtype: FeastType.Float64 })] });
const KEY = new Uint8Array([0x00, 0xff, 0x10, 0x80, 0x2b]); // base64 "AP8QgCs=", URL-safe "AP8QgCs"

describe('BYTES join keys over HTTP', () => {
  let server: FeatureServer | undefined;
  let dir = '';
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads base64 text (standard or URL-safe) as the key bytes, answers the key as base64, and refuses text that is not base64', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'feast-ts-server-bytes-'));
    await writeFile(path.join(dir, 'feature_store.yaml'), 'project: bytes_keys\nregistry: data/registry.db\nonline_store:\n  type: sqlite\n  path: data/online.db\n');
    const store = await FeatureStore.open(dir, { resolveFrom: [import.meta.url] });
    await store.apply([device, readings]);
    await store.writeToOnlineStore('device_readings', [{ device_id: KEY, temp: 21.5, event_timestamp: new Date('2026-01-01T00:00:00Z') }]);
    server = await createFeatureServer(store);
    const url = await server.listen({ port: 0 });
    const ask = (ids: unknown[]) =>
      fetch(`${url}/get-online-features`, { method: 'POST', body: JSON.stringify({ features: ['device_readings:temp'], entities: { device_id: ids } }) });

    const ok = await ask([Buffer.from(KEY).toString('base64'), 'AP8QgCs', Buffer.from([1, 2]).toString('base64')]);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { results: Array<{ values: unknown[]; statuses: string[] }> };
    expect(body.results[0]!.values).toEqual(['AP8QgCs=', 'AP8QgCs=', 'AQI=']);
    expect(body.results[1]!.values).toEqual([21.5, 21.5, null]);
    expect(body.results[1]!.statuses).toEqual(['PRESENT', 'PRESENT', 'NOT_FOUND']);

    const bad = await ask(['AP8QgCs=', 'not base64!']);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { message: string }).message).toMatch(/entities\.device_id\[1\] \(join key "device_id", of type BYTES\): expected Bytes as base64 text/);
  });
});
