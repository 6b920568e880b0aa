/**
 * Test data and cleanup the SQL stores' tests share: Feast's quickstart driver
 * entity and `driver_hourly_stats` view, its keys and write rows, and a list
 * of things to undo after each test.
 */
import { Entity, FeastType, FeatureView, Field, ValueType, type EntityKeyProto, type OnlineWriteRow, type ValueProto } from '@feast-ts/core';

/** The driver entity of Feast's quickstart. */
export const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });

/** A view like Feast's quickstart `driver_hourly_stats`: conv_rate (Float64), avg_daily_trips (Int64), name (String). */
export function driverStats(name = 'driver_hourly_stats'): FeatureView {
  return new FeatureView({
    name,
    entities: [driver],
    schema: [
      new Field({ name: 'conv_rate', dtype: FeastType.Float64 }),
      new Field({ name: 'avg_daily_trips', dtype: FeastType.Int64 }),
      new Field({ name: 'name', dtype: FeastType.String }),
    ],
  });
}

/** `{ driver_id: id }` as an entity key. */
export function driverKey(id: number | bigint): EntityKeyProto {
  return { joinKeys: ['driver_id'], entityValues: [{ int64Val: BigInt(id) }] };
}

/** A write row for driver `id` with the three features of {@link driverStats} (and `extra`). */
export function driverRow(id: number, eventTs: Date, extra: Partial<Record<string, ValueProto>> = {}, createdTs: Date | null = null): OnlineWriteRow {
  return [
    driverKey(id),
    { conv_rate: { doubleVal: id / 10 }, avg_daily_trips: { int64Val: BigInt(id * 3) }, name: { stringVal: `driver ${id}` }, ...extra } as Record<string, ValueProto>,
    eventTs,
    createdTs,
  ];
}

/** Things to undo after a test: {@link CleanupList.add} as the test goes, {@link CleanupList.run} in `afterEach`. */
export class CleanupList {
  readonly #steps: Array<() => Promise<void>> = [];

  /** Registers something to undo after the current test (the last added runs first). */
  add(fn: () => Promise<void>): void {
    this.#steps.push(fn);
  }

  /** Runs every step, last first; a step that fails is logged and the others still run. */
  async run(): Promise<void> {
    while (this.#steps.length > 0) await this.#steps.pop()!().catch((err: unknown) => console.error('cleanup failed:', err));
  }
}
