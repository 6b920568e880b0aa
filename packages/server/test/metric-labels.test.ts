import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './repo.js';
import { SQLITE } from './stores.js';

describe('request latency metric labels of /get-online-features', () => {
  let s: RunningServer;
  beforeAll(async () => {
    s = await startServer((await SQLITE.acquire('labels'))!.yaml);
  });
  afterAll(() => s.stop());

  it('counts the features and the distinct views of the references, however they are ordered', async () => {
    const read = (features: string[]) => s.post('/get-online-features', { features, entities: { driver_id: [1] }, full_feature_names: true });
    expect((await read(['driver_hourly_stats:conv_rate', 'driver_pushed_stats:last_trip_km', 'driver_hourly_stats:acc_rate'])).status).toBe(200);
    expect((await read(['driver_push_totals:last_trip_km', 'driver_pushed_stats:last_trip_km', 'driver_hourly_stats:name', 'driver_hourly_stats:tags'])).status).toBe(200);
    expect((await read(['driver_pushed_stats:last_trip_km'])).status).toBe(200);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    const count = (fc: number, fvc: number): RegExp =>
      new RegExp(`^feast_feature_server_request_latency_seconds_count\\{endpoint="/get-online-features",feature_count="${fc}",feature_view_count="${fvc}"\\} 1$`, 'm');
    expect(metrics).toMatch(count(3, 2));
    expect(metrics).toMatch(count(4, 3));
    expect(metrics).toMatch(count(1, 1));
  });
});
