import { Entity, FeastType, FeatureView, Field, ValueType } from '@feast-ts/core';

// `feast-ts apply` registers every exported Entity and FeatureView, and
// deletes views that are no longer exported.

/** A driver, identified by an Int64 driver_id. */
export const driver = new Entity({
  name: 'driver',
  joinKeys: ['driver_id'],
  valueType: ValueType.INT64,
  description: 'A driver of the ride-hailing fleet',
});

/** Hourly statistics per driver, as in Feast's quickstart. */
export const driverHourlyStats = new FeatureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  schema: [
    new Field({ name: 'conv_rate', dtype: FeastType.Float32, description: 'Conversion rate' }),
    new Field({ name: 'acc_rate', dtype: FeastType.Float32, description: 'Acceptance rate' }),
    new Field({ name: 'avg_daily_trips', dtype: FeastType.Int64, description: 'Average daily trips' }),
  ],
  ttl: 24 * 60 * 60, // one day
  timestampField: 'event_timestamp',
  tags: { team: 'driver_performance' },
});
