import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './repo.js';
import { SQLITE } from './stores.js';

/** Every refused request: a 4xx with a JSON body naming the fault, never a 500, and the server keeps serving. */
describe('bad requests', () => {
  let s: RunningServer;
  beforeAll(async () => {
    s = await startServer((await SQLITE.acquire('bad'))!.yaml, { bodyLimitBytes: 2048 });
    await s.post('/write-to-online-store', {
      feature_view_name: 'driver_hourly_stats',
      df: { driver_id: [1], conv_rate: [0.5], acc_rate: [1], avg_daily_trips: [2], name: ['x'], tags: [[]], event_timestamp: ['2026-01-01T00:00:00Z'] },
    });
  });
  afterAll(() => s.stop());

  const online = (body: unknown) => s.post('/get-online-features', body);
  const cases: Array<[string, () => Promise<{ status: number; json: unknown }>, number, Record<string, unknown>, RegExp]> = [
    ['malformed JSON', () => online('{"features": ['), 400, { code: 'INPUT_INVALID', reason: 'malformed_json' }, /not valid JSON/],
    ['no body', () => s.post('/get-online-features', ''), 422, { reason: 'invalid_request' }, /got no body/],
    ['a body that is an array', () => online([1, 2]), 422, { reason: 'invalid_request' }, /must be a JSON object.*got an array/],
    ['no entities', () => online({ features: ['driver_hourly_stats:conv_rate'] }), 422, { reason: 'invalid_request' }, /"entities" must be an object of columns/],
    ['entities as rows', () => online({ features: ['driver_hourly_stats:conv_rate'], entities: [{ driver_id: 1 }] }), 422, {}, /"entities" must be an object of columns/],
    ['an entity column that is not a list', () => online({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: 1 } }), 422, {}, /"entities.driver_id" must be an array/],
    ['no features nor feature_service', () => online({ entities: { driver_id: [1] } }), 422, {}, /names no features/],
    ['features that is not a list', () => online({ features: 'driver_hourly_stats:conv_rate', entities: { driver_id: [1] } }), 422, {}, /"features" must be a non-empty list/],
    ['a feature reference without a view', () => online({ features: ['conv_rate'], entities: { driver_id: [1] } }), 422, {}, /"features\[0\]" must be a "view:feature" reference/],
    ['full_feature_names not a boolean', () => online({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] }, full_feature_names: 'yes' }), 422, {}, /"full_feature_names" must be true or false/],
    [
      'entity columns of different lengths',
      () => online({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1, 2], other: [1] } }),
      422,
      { code: 'VALUE_INVALID' },
      /same length: "driver_id" has 2 values and "other" has 1/,
    ],
    ['a fractional int64 join key', () => online({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1.5] } }), 422, { code: 'VALUE_INVALID' }, /driver_id/],
    ['a missing join key', () => online({ features: ['driver_hourly_stats:conv_rate'], entities: { rider_id: [1] } }), 422, { code: 'VALUE_INVALID' }, /join key "driver_id"/],
    ['an unknown feature service', () => online({ feature_service: 'nope', entities: { driver_id: [1] } }), 404, { code: 'NOT_FOUND' }, /Feature service "nope"/],
    ['a body over the size limit', () => online({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: new Array(2000).fill(1) } }), 413, { reason: 'body_too_large' }, /larger than the limit of 2048 bytes/],
    [
      'df columns of different lengths',
      () => s.post('/write-to-online-store', { feature_view_name: 'driver_hourly_stats', df: { driver_id: [1, 2], conv_rate: [0.5] } }),
      422,
      { code: 'VALUE_INVALID' },
      /"driver_id" has 2 values and "conv_rate" has 1/,
    ],
    [
      'a df without a feature column',
      () => s.post('/write-to-online-store', { feature_view_name: 'driver_hourly_stats', df: { driver_id: [1], conv_rate: [0.5], event_timestamp: [0] } }),
      422,
      {},
      /no column "acc_rate", "avg_daily_trips", "name", "tags"/,
    ],
    [
      'a df timestamp that is not one',
      () =>
        s.post('/write-to-online-store', {
          feature_view_name: 'driver_hourly_stats',
          df: { driver_id: [1], conv_rate: [0.5], acc_rate: [1], avg_daily_trips: [2], name: ['x'], tags: [[]], event_timestamp: ['yesterday'] },
        }),
      422,
      { code: 'VALUE_INVALID' },
      /"df.event_timestamp"\[0\]: expected a timestamp/,
    ],
    [
      'a df value of the wrong type',
      () =>
        s.post('/write-to-online-store', {
          feature_view_name: 'driver_hourly_stats',
          df: { driver_id: [1], conv_rate: ['fast'], acc_rate: [1], avg_daily_trips: [2], name: ['x'], tags: [[]], event_timestamp: [0] },
        }),
      422,
      { code: 'VALUE_INVALID' },
      /conv_rate/,
    ],
    ['write without feature_view_name', () => s.post('/write-to-online-store', { df: {} }), 422, {}, /"feature_view_name" must be a non-empty string/],
    ['push with an unknown mode', () => s.post('/push', { push_source_name: 'driver_push', df: {}, to: 'everywhere' }), 422, { reason: 'invalid_request' }, /"to" must be one of/],
    ['an unknown route', () => s.post('/get-features', {}), 404, { reason: 'route_not_found' }, /No route POST \/get-features/],
  ];

  for (const [what, send, status, fields, message] of cases) {
    it(`${what}: ${status}`, async () => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.json).toMatchObject({ status, ...fields });
      expect((res.json as { message: string }).message).toMatch(message);
      expect(typeof (res.json as { request_id: unknown }).request_id).toBe('string');
    });
  }

  it('wrote nothing for the refused writes, and still serves', async () => {
    const res = await online({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } });
    expect(res.status).toBe(200);
    expect((res.json as { results: Array<{ values: unknown[] }> }).results[1]!.values).toEqual([0.5]);
  });
});
