import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './repo.js';
import { SQLITE } from './stores.js';

describe('int64 in /get-online-features answers', () => {
  let s: RunningServer;
  beforeAll(async () => {
    s = await startServer((await SQLITE.acquire('i64'))!.yaml);
    const w = await s.post(
      '/write-to-online-store',
      '{"feature_view_name": "driver_hourly_stats", "df": {"driver_id": [-9223372036854775808], "conv_rate": [0.5], "acc_rate": [1], ' +
        '"avg_daily_trips": [9223372036854775807], "name": ["90071992547409930"], "tags": [["12345678901234567890"]], "event_timestamp": [0]}}',
    );
    expect(w.status).toBe(200);
  });
  afterAll(() => s.stop());

  it('writes int64 join keys and features as exact number literals, and digit strings of String features as strings', async () => {
    const r = await s.post('/get-online-features', {
      features: ['driver_hourly_stats:avg_daily_trips', 'driver_hourly_stats:name', 'driver_hourly_stats:tags'],
      entities: { driver_id: ['-9223372036854775808'] },
      full_feature_names: true,
    });
    expect(r.status).toBe(200);
    expect(r.text).toContain('"values":[-9223372036854775808]');
    expect(r.text).toContain('"values":[9223372036854775807]');
    expect(r.text).toContain('"values":["90071992547409930"]');
    expect(r.text).toContain('"values":[["12345678901234567890"]]');
  });
});
