/** The row pipeline of core and the driver surface a store implements to use it. */
export type {
  StoreDriver,
  DriverWriteOptions,
  DriverLimits,
  DriverSite,
  TimestampRange,
  LargestValue,
  WriteOrder,
  FetchRequest,
  FetchSink,
  CellProgress,
} from './driver.js';
export { DriverOnlineStore } from './driver-online-store.js';
export { encodeWrite, withContext, type EncodedWrite } from './encoded-write.js';
export { readKeys, driverFeatureFilter, type ReadKeys } from './read-keys.js';
export { ReadCollector } from './read-collector.js';
export { epochMsOf, epochSeconds } from './timestamps.js';
