/**
 * Every endpoint of the real server, over HTTP on a free port, against one online store; the
 * expected bodies are written out by hand in Feast's shapes (feature_server.py).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUSH_SOURCE, startServer, type RunningServer } from './repo.js';
import type { StoreKind, TestStore } from './stores.js';

const BIG = '9007199254740993'; // 2^53 + 1: not a JavaScript number
const BIG_N = 9007199254740993n;

export function endpointSuite(kind: StoreKind): void {
  describe(`feature server on ${kind.name}`, () => {
    let store: TestStore | undefined;
    let s: RunningServer | undefined;

    beforeAll(async () => {
      store = await kind.acquire('srv');
      if (store) s = await startServer(store.yaml);
    });
    afterAll(async () => {
      try {
        await s?.stop();
      } finally {
        await store?.cleanup();
      }
    });

    it('writes a columnar df (ISO and epoch timestamps, an int64 beyond 2^53) and reads it back in Feast\'s response shape', async (t) => {
      if (!s) return t.skip();
      // Raw JSON text: the driver id and trip count literals are beyond 2^53 and must not be rounded.
      const write = await s.post(
        '/write-to-online-store',
        `{"feature_view_name": "driver_hourly_stats", "df": {
          "driver_id": [1001, ${BIG}],
          "conv_rate": [0.5, 0.25],
          "acc_rate": [0.125, null],
          "avg_daily_trips": [12, ${BIG}],
          "name": ["Ann", "Bob"],
          "tags": [["a", "b"], []],
          "event_timestamp": ["2026-01-01T00:00:00Z", 1767229200]
        }}`,
      );
      expect(write.status).toBe(200);
      expect(write.text).toBe('null');

      const read = await s.post(
        '/get-online-features',
        `{"features": ["driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips", "driver_hourly_stats:name", "driver_hourly_stats:tags", "driver_hourly_stats:acc_rate"],
          "entities": {"driver_id": [1001, ${BIG}, 5]}}`,
      );
      expect(read.status).toBe(200);
      expect(read.headers.get('content-type')).toMatch(/^application\/json/);
      // As Feast's server: int64s are JSON numbers, exact however large (never rounded, never quoted).
      expect(read.text).toContain(`"values":[1001,${BIG},5]`);
      expect(read.text).toContain(`"values":[12,${BIG},null]`);
      expect(read.json).toEqual({
        metadata: { feature_names: ['driver_id', 'conv_rate', 'avg_daily_trips', 'name', 'tags', 'acc_rate'] },
        results: [
          { values: [1001, BIG_N, 5], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
          { values: [0.5, 0.25, null], statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'], event_timestamps: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', '1970-01-01T00:00:00Z'] },
          { values: [12, BIG_N, null], statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'], event_timestamps: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', '1970-01-01T00:00:00Z'] },
          { values: ['Ann', 'Bob', null], statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'], event_timestamps: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', '1970-01-01T00:00:00Z'] },
          { values: [['a', 'b'], [], null], statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'], event_timestamps: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', '1970-01-01T00:00:00Z'] },
          { values: [0.125, null, null], statuses: ['PRESENT', 'NOT_FOUND', 'NOT_FOUND'], event_timestamps: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', '1970-01-01T00:00:00Z'] },
        ],
      });
    });

    it('names columns <view>__<feature> with full_feature_names, and reads a feature service', async (t) => {
      if (!s) return t.skip();
      const full = await s.post('/get-online-features', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1001] }, full_feature_names: true });
      expect(full.status).toBe(200);
      expect(full.json).toEqual({
        metadata: { feature_names: ['driver_id', 'driver_hourly_stats__conv_rate'] },
        results: [
          { values: [1001], statuses: ['PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z'] },
          { values: [0.5], statuses: ['PRESENT'], event_timestamps: ['2026-01-01T00:00:00Z'] },
        ],
      });
      const svc = await s.post('/get-online-features', { feature_service: 'driver_activity', entities: { driver_id: [1001, 7] } });
      expect(svc.status).toBe(200);
      expect(svc.json).toEqual({
        metadata: { feature_names: ['driver_id', 'conv_rate'] },
        results: [
          { values: [1001, 7], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
          { values: [0.5, null], statuses: ['PRESENT', 'NOT_FOUND'], event_timestamps: ['2026-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
        ],
      });
    });

    it('pushes to every view whose stream source is the push source; other modes are a 422', async (t) => {
      if (!s) return t.skip();
      const push = await s.post('/push', {
        push_source_name: PUSH_SOURCE,
        df: { driver_id: [1001], last_trip_km: [3.5], event_timestamp: ['2026-02-01T12:30:00'] },
        to: 'online',
      });
      expect(push.status).toBe(200);
      expect(push.text).toBe('null');
      const read = await s.post('/get-online-features', {
        features: ['driver_pushed_stats:last_trip_km', 'driver_push_totals:last_trip_km'],
        entities: { driver_id: [1001] },
        full_feature_names: true,
      });
      expect(read.json).toEqual({
        metadata: { feature_names: ['driver_id', 'driver_pushed_stats__last_trip_km', 'driver_push_totals__last_trip_km'] },
        results: [
          { values: [1001], statuses: ['PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z'] },
          { values: [3.5], statuses: ['PRESENT'], event_timestamps: ['2026-02-01T12:30:00Z'] },
          { values: [3.5], statuses: ['PRESENT'], event_timestamps: ['2026-02-01T12:30:00Z'] },
        ],
      });

      const offline = await s.post('/push', { push_source_name: PUSH_SOURCE, df: { driver_id: [1] }, to: 'offline' });
      expect(offline.status).toBe(422);
      expect(offline.json).toMatchObject({ code: 'INPUT_INVALID', reason: 'unsupported_push_mode' });
      const unknown = await s.post('/push', { push_source_name: 'nope', df: { driver_id: [1] } });
      expect(unknown.status).toBe(422);
      expect(unknown.json).toMatchObject({ code: 'NOT_FOUND', error: 'PushSourceNotFoundError' });
      expect((unknown.json as { message: string }).message).toContain('driver_push');
    });

    it('answers /health 200 with an empty body and /metrics with Feast\'s metric names and counts', async (t) => {
      if (!s) return t.skip();
      const health = await fetch(`${s.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('');
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      // Three online reads and one refused push so far in this suite: the counters say so.
      expect(metrics).toMatch(/^feast_online_features_request_total 4$/m);
      expect(metrics).toMatch(/^feast_feature_server_request_total\{endpoint="\/get-online-features",status="success"\} 4$/m);
      expect(metrics).toMatch(/^feast_feature_server_request_total\{endpoint="\/push",status="error"\} 2$/m);
      expect(metrics).toMatch(/^feast_push_request_total\{push_source="driver_push",mode="online"\} 1$/m);
      expect(metrics).toMatch(/^feast_online_features_entity_count_sum 7$/m);
      expect(metrics).toMatch(/^feast_feature_server_request_latency_seconds_count\{endpoint="\/get-online-features",feature_count="5",feature_view_count="1"\} 1$/m);
      expect(metrics).toContain('feast_feature_server_cpu_usage');
      expect(metrics).toContain('feast_feature_server_memory_usage');
    });

    it('answers an unknown view or feature 404 with a typed body, and keeps serving', async (t) => {
      if (!s) return t.skip();
      const view = await s.post('/get-online-features', { features: ['nope:x'], entities: { driver_id: [1] } });
      expect(view.status).toBe(404);
      expect(view.json).toMatchObject({ code: 'NOT_FOUND', error: 'FeatureViewNotFoundError', status: 404 });
      expect(view.headers.get('x-request-id')).toBe((view.json as { request_id: string }).request_id);
      const feature = await s.post('/get-online-features', { features: ['driver_hourly_stats:nope'], entities: { driver_id: [1] } });
      expect(feature.status).toBe(404);
      expect((feature.json as { message: string }).message).toContain('has no feature "nope"');
      const write = await s.post('/write-to-online-store', { feature_view_name: 'nope', df: {} });
      expect(write.status).toBe(404);
      const ok = await s.post('/get-online-features', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1001] } });
      expect(ok.status).toBe(200);
    });
  });
}
